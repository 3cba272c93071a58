import type { BriefProblem } from "./brief-figures";
import type { ExerciseFile } from "./exercise";

/**
 * Reply sizes a brief quotes ("about 600 output tokens", "a 90-token answer") that are neither of the sizes the panel
 * prices replies at: `output_tokens.baseline` for the starting prompt and `target` for a prompt that asks for the
 * short reply. A brief that promises a 40-token reply while the panel prices 90 makes every dollar figure look wrong.
 */

const REPLY_TOKENS =
  /\b(\d[\d,]*)\**\s+(?:visible\s+)?output\s+tokens?\b|\b(\d[\d,]*)-token\s+(?:answer|answers|reply|replies|response|responses|output)\b/gi;

const near = (a: number, b: number) => Math.abs(a - b) <= Math.max(1, b * 0.15);

export function replySizeConflicts(
  brief: string,
  outputTokens: Pick<ExerciseFile["output_tokens"], "baseline" | "target">,
): BriefProblem[] {
  const text = brief.replace(/\[\[[^\]]*\]\]/g, (whole) => " ".repeat(whole.length));
  const out: BriefProblem[] = [];
  for (const m of text.matchAll(REPLY_TOKENS)) {
    const tokens = Number((m[1] ?? m[2]).replace(/,/g, ""));
    if (near(tokens, outputTokens.baseline) || near(tokens, outputTokens.target)) continue;
    out.push({
      offset: m.index ?? 0,
      message: `"${m[0].replace(/\*/g, "")}" is neither the starting prompt's reply (output_tokens.baseline: ${outputTokens.baseline}) nor the short reply (output_tokens.target: ${outputTokens.target}), the sizes the panel prices replies at; change the brief or output_tokens`,
    });
  }
  return out;
}
