import type { BriefProblem } from "./brief-figures";
import { formatMicrosExact } from "./cost";
import { modelBefore, modelMentions, type PricedModel } from "./quoted-prices";

/**
 * "Four times the input price": a ratio of output to input price that a brief or a lesson states for a model, which
 * must hold in the catalogue. It goes stale silently when an exercise moves to a model priced differently
 * (`claude-3-5-haiku`'s output is five times its input, `gpt-3.5-turbo`'s three). The model is the one named last
 * before the phrase in its sentence; in a brief that names none, the exercise's own model.
 */

const NUMBERS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, eight: 8, ten: 10 };

const TIMES_INPUT =
  /\b(two|three|four|five|six|eight|ten|\d+(?:\.\d+)?)\**\s+times\**\s+(?:the\s+|its\s+|an?\s+)?(?:\$\d+(?:\.\d+)?\s+)?input\s+(?:price|tokens?)\b/gi;

export function priceRatioConflicts(
  text: string,
  catalogue: readonly PricedModel[],
  own: PricedModel | null = null,
): BriefProblem[] {
  const plain = text.replace(/\[\[\s*([a-z_]+)\s*\]\]/g, (whole, name: string) =>
    name === "model" ? "[[model]]".padEnd(whole.length) : " ".repeat(whole.length),
  );
  const mentions = modelMentions(plain, catalogue, own);
  const out: BriefProblem[] = [];
  for (const m of plain.matchAll(TIMES_INPUT)) {
    const offset = m.index ?? 0;
    const model = modelBefore(plain, mentions, offset) ?? own;
    if (!model || model.inputMicrosPerM === 0) continue;
    const stated = NUMBERS[m[1].toLowerCase()] ?? Number(m[1]);
    const actual = model.outputMicrosPerM / model.inputMicrosPerM;
    if (Math.abs(actual - stated) <= stated * 0.05) continue;
    out.push({
      offset,
      message: `"${m[0].replace(/\*/g, "").replace(/\s+/g, " ")}" does not hold for ${model.id} in the model catalogue: its output price ${formatMicrosExact(model.outputMicrosPerM)} per 1M is ${Number(actual.toFixed(2))} times its input price ${formatMicrosExact(model.inputMicrosPerM)}`,
    });
  }
  return out;
}
