import type { RubricCriterion } from "../exercise";
import { buildRepairMessages, type ChatMessage } from "./prompt";
import { type CriterionVerdict, type ParsedVerdict, parseJudgeVerdict } from "./verdict";

/**
 * The judge conversation for one output: ask, parse strictly, and on a malformed reply ask once
 * more with the error; a second bad reply is a clear failure. `ask` is the provider call (the job
 * layer's, which records each call in the ledger); a provider error it throws propagates untouched.
 */

export type JudgeRun =
  | { ok: true; verdicts: CriterionVerdict[]; repaired: boolean; replies: string[] }
  | { ok: false; error: string; replies: string[] };

export async function judgeWithRepair(
  ask: (messages: ChatMessage[], call: "first" | "repair") => Promise<string>,
  messages: ChatMessage[],
  rubric: readonly Pick<RubricCriterion, "id">[],
  /** parseJudgeVerdict against `rubric`, or a caller's memo of it (the job layer parses a reply once to cache it). */
  parse: (reply: string) => ParsedVerdict = (reply) => parseJudgeVerdict(reply, rubric),
): Promise<JudgeRun> {
  const first = await ask(messages, "first");
  const parsed = parse(first);
  if (parsed.ok) return { ok: true, verdicts: parsed.verdicts, repaired: false, replies: [first] };

  const second = await ask(buildRepairMessages(messages, first, parsed.error), "repair");
  const repaired = parse(second);
  if (repaired.ok) return { ok: true, verdicts: repaired.verdicts, repaired: true, replies: [first, second] };
  return {
    ok: false,
    error: `The judge's reply could not be read, even after one retry: ${repaired.error}.`,
    replies: [first, second],
  };
}
