/**
 * Judge verdicts written the odd ways real models write them, all of which the app's parser must accept (and
 * one it must send back for repair): extra keys, a code fence, scores as strings or "8/10", a pass flag as a
 * word or missing, criterion ids in capitals, an over-long reason, and (rarely) prose around the JSON.
 */
type Verdict = Record<string, unknown>;

const VARIANTS: ((ids: string[]) => string)[] = [
  (ids) =>
    JSON.stringify({
      verdicts: ids.map((criterion) => ({ criterion, pass: true, score: 8, reason: "Meets it.", confidence: 0.9 })),
      overall: "good",
    }),
  (ids) => `\`\`\`json\n${JSON.stringify({ verdicts: ids.map((criterion) => base(criterion)) })}\n\`\`\``,
  (ids) => JSON.stringify({ verdicts: ids.map((criterion) => ({ ...base(criterion), score: "8/10" })) }),
  (ids) => JSON.stringify({ verdicts: ids.map((criterion) => ({ ...base(criterion), score: "7", pass: "yes" })) }),
  (ids) => JSON.stringify({ verdicts: ids.map((criterion) => ({ criterion, score: 9, reason: "Fine." })) }),
  (ids) =>
    JSON.stringify({ verdicts: ids.map((criterion) => ({ ...base(criterion), criterion: criterion.toUpperCase() })) }),
  (ids) => JSON.stringify({ verdicts: ids.map((criterion) => ({ ...base(criterion), reason: "Long. ".repeat(200) })) }),
  // Prose around the JSON: refused, so the app asks once more (the repair), which gets a plain verdict.
  (ids) => `Here is my assessment:\n${JSON.stringify({ verdicts: ids.map((criterion) => base(criterion)) })}`,
];

function base(criterion: string): Verdict {
  return { criterion, pass: true, score: 8, reason: "The output meets this criterion." };
}

export function oddVerdict(ids: string[], random: () => number): string {
  return VARIANTS[Math.floor(random() * VARIANTS.length)](ids);
}
