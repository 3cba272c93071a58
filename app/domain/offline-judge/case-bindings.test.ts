import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";

/** Each line added to the exercise's reference solution: [exercise, line]. */
type Case = [slug: string, line: string];

const judged = (slug: string, line: string) => mustFailures(slug, referenceWith(slug, line));

describe("case bindings: a line that orders nothing still binds a case to the brief's value (case-bindings.ts)", () => {
  it("fails a worked example, background or statement that binds a case to the opposite value", () => {
    const cases: Case[] = [
      ["drop-the-reasoning", "For example, an unsure review is OK."],
      ["drop-the-reasoning", "For instance, a charger that overheated counts as OK."],
      ["drop-the-reasoning", "For example, a review that mentions smoke is OK."],
      ["drop-the-reasoning", "Background: unsure reviews are OK in our queue."],
      ["drop-the-reasoning", "Our team reads unsure reviews as OK."],
      ["cascade-escalate", "For example, unlimited liability is LOW."],
      ["route-to-nano", "For example, a sign-in problem is billing."],
      ["closed-enumerations", "For example, an angry customer counts as churn_risk true."],
      ["cut-unused-context", "For example, a line with wine counts as needs_review false."],
      ["compress-ticket-summary", "For example, a customer who threatens to cancel gets no ESCALATE line."],
    ];
    for (const [slug, line] of cases) expect(judged(slug, line), `${slug}: ${line}`).toContain("(contradicted)");
  });

  it("fails a case bound to another of the exercise's closed labels, as the exercise writes it", () => {
    const cases: Case[] = [
      ["cascade-escalate", "For example, an ambiguous clause is LOW."],
      ["cascade-escalate", "Background: an unclear clause counts as LOW in our old queue."],
      ["route-to-nano", "For example, a ticket that fits no queue is billing."],
      ["drop-the-reasoning", "For example, a borderline review is just OK."],
      ["route-to-nano", "For instance, a ticket that matches no queue: bug."],
    ];
    for (const [slug, line] of cases) expect(judged(slug, line), `${slug}: ${line}`).toContain("(contradicted)");
  });

  it("passes a case bound to its own label, and other cases bound to other labels", () => {
    const cases: Case[] = [
      ["cascade-escalate", "For example, an ambiguous clause is ESCALATE."],
      ["cascade-escalate", "For example, a clear clause with a liability cap is LOW."],
      ["cascade-escalate", "For example, an unambiguous clause with none of these risks is LOW."],
      ["route-to-nano", "For example, a ticket that fits no queue is other."],
      ["drop-the-reasoning", "For example, a borderline review is SAFETY, never OK."],
    ];
    for (const [slug, line] of cases) expect(judged(slug, line), `${slug}: ${line}`).toBe("");
  });

  it("fails a figure's side, a default or an exemption stated otherwise in a line that orders nothing", () => {
    const cases: Case[] = [
      ["compress-long-context", "For example, invoices up to €25,000 need CFO approval."],
      ["compress-long-context", "Background: our CFO approves invoices up to €25,000, and we hold them for her."],
      ["cascade-escalate", "For example, an auto-renewal of 12 months or less is HIGH."],
      ["compact-spec", "For example, console.log in test files is flagged too."],
      ["cache-friendly-prefix", "For example, a faulty item gets £6.95 deducted."],
    ];
    for (const [slug, line] of cases) expect(judged(slug, line), `${slug}: ${line}`).toContain("(contradicted)");
  });

  it("passes the same rules stated the brief's way, and an example that names only some of a rule's cases", () => {
    const cases: Case[] = [
      ["compress-long-context", "For example, an invoice of EUR 30,000 needs CFO approval, so it is held."],
      ["compress-long-context", "For example, invoices up to €25,000 need no CFO approval."],
      ["cascade-escalate", "For example, an auto-renewal of 24 months is HIGH."],
      ["compact-spec", "For example, console.log in test files is fine."],
      ["cache-friendly-prefix", "For example, a faulty item is returned free of charge."],
      ["drop-the-reasoning", "For example, complaints about delivery are OK."],
      ["compact-tool-descriptions", "For example, a restart in prod goes through ask_user first."],
    ];
    for (const [slug, line] of cases) expect(judged(slug, line), `${slug}: ${line}`).toBe("");
  });

  it("quotes the binding line as the contradiction", () => {
    expect(judged("drop-the-reasoning", "For example, an unsure review is OK.")).toBe(
      "When unsure, the answer is SAFETY. (contradicted)",
    );
  });

  it("passes look-alikes that bind the brief's own value, deny the opposite, or tell history", () => {
    const cases: Case[] = [
      ["drop-the-reasoning", "For example an unsure review is SAFETY."],
      ["drop-the-reasoning", "For example, a late parcel is OK."],
      ["drop-the-reasoning", "For instance, a charger that sparked is definitely SAFETY, while a late parcel is OK."],
      ["drop-the-reasoning", "For example, a kettle whose lid melted is definitely a safety issue."],
      ["drop-the-reasoning", "For example, a kettle that is ugly is not a safety issue."],
      ["drop-the-reasoning", "For example, a review of a kettle that burned someone is SAFETY, not OK."],
      ["drop-the-reasoning", "For example, an unsure review is never OK."],
      [
        "drop-the-reasoning",
        "Background: our safety team would rather see an unsure review as SAFETY than miss a hazard.",
      ],
      ["drop-the-reasoning", "Background: a late or overpriced kettle is OK for our queue, but smoke is SAFETY."],
      ["drop-the-reasoning", "In the past, unsure reviews were marked OK, and a burn was missed."],
      ["drop-the-reasoning", 'For example, a review saying "I am not sure it is OK" is SAFETY.'],
      ["drop-the-reasoning", "Thank you for treating unsure reviews as SAFETY."],
      ["cascade-escalate", "For example, unlimited liability is HIGH."],
      ["cascade-escalate", "For example, an ambiguous clause is never LOW."],
      ["route-to-nano", "For example, a sign-in problem is account and a refund question is billing."],
      ["closed-enumerations", "For example, a customer who says they will switch counts as churn_risk true."],
      ["cut-unused-context", "For example, a line with wine counts as needs_review true."],
      ["compress-ticket-summary", "For example, a customer who threatens to cancel gets an ESCALATE line."],
      ["compress-ticket-summary", "For example, a customer who only asks a question gets no ESCALATE line."],
    ];
    for (const [slug, line] of cases) expect(judged(slug, line), `${slug}: ${line}`).toBe("");
  });
});
