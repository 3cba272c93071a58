import { describe, expect, it } from "vitest";
import { exerciseBySlug } from "../../../test/support/judge-exercise";
import { judgeOffline } from "../offline-judge";
import { readPrompt } from "./reading";
import { sentenceShare } from "./sentence-share";

const share = (prompt: string) => sentenceShare(readPrompt(prompt));

describe("sentence share: the words of a prompt that stand in sentences (sentence-share.ts)", () => {
  it("reads prose, wordy or not, as all sentences", () => {
    expect(
      share(
        "Classify the support ticket below into exactly one queue. Refunds and invoices are billing; sign-in problems are account. If nothing else fits, answer other. Reply with the label only.\n\n{{input}}",
      ),
    ).toBeGreaterThan(0.9);
    // Background and the writer's own explanations are sentences too: the share says nothing of what they order.
    expect(
      share(
        "Some background first: our router sends each ticket to a team, and a wrong queue costs a day. I have laid the rules out below so that they are easy to check.\nAnswer with one of billing, bug, account, feature_request or other.\n{{input}}",
      ),
    ).toBeGreaterThan(0.9);
    expect(share("Be brief.\nOutput JSON only.\n{{input}}")).toBe(1);
  });

  it("reads a heap of terms after a broken-off line, or one term per line, as no sentence", () => {
    const truncated = share(
      "Classify the support ticket into exactly one\nbilling bug account feature_request other refunds=billing login=account label only\n{{input}}",
    );
    expect(truncated).toBeLessThan(0.5);
    expect(
      share("SAFETY\nOK\ninjury\nhazard\nfire burning overheating smoke\nunsure = SAFETY\none word\n{{input}}"),
    ).toBe(0);
    expect(
      share("PO EUR net-45 receipt 25,000 CFO hold fuel surcharge 6% freight APPROVE HOLD: semicolons one-line"),
    ).toBe(0);
  });

  it("reads the two halves of a mixed prompt by their words", () => {
    const mixed = share(
      "Classify the support ticket below into exactly one queue and reply with the label only.\nbilling bug account feature_request other refunds=billing login=account\n{{input}}",
    );
    expect(mixed).toBeGreaterThan(0.4);
    expect(mixed).toBeLessThan(0.8);
  });

  it("is what the verdict carries, and a failing heap of terms scores below a failing wordy prompt", () => {
    const ex = exerciseBySlug("route-to-nano");
    const heap = judgeOffline(
      "Classify the support ticket into exactly one\nbilling bug account feature_request other refunds=billing login=account label only\n{{input}}",
      ex,
    );
    expect(heap.sentenceShare).toBeLessThan(0.5);
    const prose = judgeOffline(
      "Classify the support ticket below into exactly one of these queues: billing, bug, account, feature_request or other. Money matters such as refunds are billing, and sign-in problems are account. Reply with the label only.\n\n{{input}}",
      ex,
    );
    expect(prose.sentenceShare).toBeGreaterThan(0.9);
  });
});
