import { describe, expect, it } from "vitest";
import { droppedMember, memberList } from "./condition-members";
import { readPrompt } from "./reading";

const PROD = "Asks for confirmation with ask_user before a restart, scale or rollback in prod, whoever asks.";
const QUALITY = "Complaints about quality, delivery or price alone are OK.";
const HIGH = "HIGH for unlimited liability, exclusivity or auto-renewal over 12 months.";

function dropped(description: string, prompt: string): string | null {
  const list = memberList(description);
  if (!list) throw new Error(`no list in ${description}`);
  return droppedMember(readPrompt(prompt), list, () => true)?.member ?? null;
}

describe("memberList: the cases of a condition, from a requirement's description", () => {
  it("reads the cases and the frame they lead to", () => {
    const list = memberList(PROD);
    expect(list?.members).toEqual([["restart"], ["scale"], ["rollback"]]);
    expect(list?.frame.has("confirmation")).toBe(true);
    expect(memberList(QUALITY)?.frame.has("ok")).toBe(true);
    expect(memberList(HIGH)?.members).toEqual([["unlimited", "liability"], ["exclusivity"], ["auto", "renewal"]]);
  });

  it("reads no list from examples, things forbidden, label sets, or fewer than three cases", () => {
    expect(
      memberList("SAFETY is defined concretely, an injury or a hazard such as fire, overheating, shock or choking."),
    ).toBeNull();
    expect(
      memberList("No names, account or card numbers, amounts or dates from the message in the answer."),
    ).toBeNull();
    expect(memberList("No investment, legal or tax advice; refer them to an advisor.")).toBeNull();
    expect(memberList("issue is one of damaged, missing, wrong_item, late or other.")).toBeNull();
    expect(memberList("Free return shipping for faulty or wrong items, otherwise £6.95 deducted.")).toBeNull();
    expect(memberList("Copies the sentences word for word, without summarising or rewording.")).toBeNull();
  });
});

describe("droppedMember: the rule restated with a case left out", () => {
  it.each([
    ["A restart or rollback in prod always goes through ask_user for confirmation first.", "scale"],
    ["Before restarting or rolling back anything in prod, confirm with ask_user.", "scale"],
    ["Only a prod rollback or restart needs an ask_user confirmation.", "scale"],
    ["Scaling or restarting in prod: ask_user to confirm first.", "rollback"],
    ["Confirm with ask_user before you scale or roll back prod.", "restart"],
  ])("the prod confirmation without a case: %s", (prompt, member) => {
    expect(dropped(PROD, prompt)).toBe(member);
  });

  it.each([
    "Before a restart, scale or rollback in prod, confirm with ask_user.",
    "Restart, resize or roll back in prod only after ask_user confirms.",
    "A restart or rollback in prod needs confirmation through ask_user. Scaling prod also needs an ask_user confirmation.",
    "Any change to prod (restart, scale, rollback) is confirmed with ask_user first.",
    "Tools: restart_service, scale_service, rollback. Ask_user before any prod action.",
    "Restarting prod needs an ask_user confirmation; the same goes for scaling and for rollbacks.",
  ])("the prod confirmation kept: %s", (prompt) => {
    expect(dropped(PROD, prompt)).toBeNull();
  });

  it.each([
    ["OK: complaints only about delivery or price.", "quality"],
    ["Complaints about late delivery or a high price alone are OK.", "quality"],
    ["Price or delivery complaints with no hazard are OK.", "quality"],
  ])("the OK cases without one: %s", (prompt, member) => {
    expect(dropped(QUALITY, prompt)).toBe(member);
  });

  it.each([
    "OK: complaints about quality, delivery or price alone.",
    "Poor quality, slow delivery or a high price, with no hazard, is OK.",
    "Complaints about delivery, price, or build that mention no hazard are OK.",
  ])("the OK cases kept: %s", (prompt) => {
    expect(dropped(QUALITY, prompt)).toBeNull();
  });

  it("reads the escalation criteria both ways", () => {
    expect(dropped(HIGH, "HIGH for unlimited liability or exclusivity.")).toBe("auto");
    expect(dropped(HIGH, "HIGH: uncapped liability, exclusivity, or auto-renewal beyond 12 months.")).toBeNull();
  });
});
