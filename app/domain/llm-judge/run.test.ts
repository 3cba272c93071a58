import { describe, expect, it } from "vitest";
import type { ChatMessage } from "./prompt";
import { judgeWithRepair } from "./run";

const rubric = [{ id: "a" }, { id: "b" }];
const messages: ChatMessage[] = [
  { role: "system", content: "grade" },
  { role: "user", content: "output" },
];
const good = JSON.stringify({
  verdicts: [
    { criterion: "a", pass: true, score: 8, reason: "Good." },
    { criterion: "b", pass: false, score: 2, reason: "Bad." },
  ],
});

/** A scripted judge: answers in turn, and records what it was asked. */
function scripted(...replies: string[]) {
  const calls: { messages: ChatMessage[]; call: string }[] = [];
  const ask = async (m: ChatMessage[], call: "first" | "repair") => {
    calls.push({ messages: m, call });
    return replies[calls.length - 1];
  };
  return { ask, calls };
}

describe("judgeWithRepair", () => {
  it("makes one call when the first reply parses", async () => {
    const judge = scripted(good);
    const r = await judgeWithRepair(judge.ask, messages, rubric);
    expect(r).toMatchObject({ ok: true, repaired: false, replies: [good] });
    expect(r.ok && r.verdicts.map((v) => v.score)).toEqual([8, 2]);
    expect(judge.calls.map((c) => c.call)).toEqual(["first"]);
  });

  it("retries once with the error after a malformed reply, and takes the repaired verdict", async () => {
    const judge = scripted("Sure! The output is great.", good);
    const r = await judgeWithRepair(judge.ask, messages, rubric);
    expect(r).toMatchObject({ ok: true, repaired: true });
    expect(judge.calls.map((c) => c.call)).toEqual(["first", "repair"]);
    const repair = judge.calls[1].messages;
    expect(repair.slice(0, 2)).toEqual(messages);
    expect(repair[2]).toEqual({ role: "assistant", content: "Sure! The output is great." });
    expect(repair[3].content).toMatch(/^Your reply could not be used: the reply is not a single JSON object/);
  });

  it("fails clearly after a second bad reply, without a third call", async () => {
    const missingB = JSON.stringify({ verdicts: [{ criterion: "a", pass: true, score: 8, reason: "Good." }] });
    const judge = scripted("nope", missingB, good);
    const r = await judgeWithRepair(judge.ask, messages, rubric);
    expect(r).toEqual({
      ok: false,
      error: "The judge's reply could not be read, even after one retry: missing verdicts for: b.",
      replies: ["nope", missingB],
    });
    expect(judge.calls).toHaveLength(2);
  });

  it("lets a provider error from the call propagate to the job layer", async () => {
    const ask = async () => {
      throw new Error("rate limited");
    };
    await expect(judgeWithRepair(ask, messages, rubric)).rejects.toThrow("rate limited");
  });
});
