import { describe, expect, it } from "vitest";
import { mustFailures, referenceOpenedWith } from "../../../test/support/judge-exercise";

describe("the writer's own telling breaks no rule about the reply (writers-act.ts)", () => {
  const opened = (slug: string, line: string) => mustFailures(slug, referenceOpenedWith(slug, line));

  it("reads 'I will explain ...' and 'I'm going to explain ...' as the writer's act, not an explanation asked for", () => {
    expect(
      opened("cut-unused-context", "I will explain everything you need to know for this task, step by step."),
    ).toBe("");
    expect(opened("cut-unused-context", "I want to explain the whole process so you understand the context.")).toBe("");
    expect(opened("route-to-nano", "I'm going to explain the five queues in some detail, so please read on.")).toBe("");
    expect(opened("route-to-nano", "Let me explain the queues first.")).toBe("");
  });

  it("still fails an explanation asked of the model in the same words", () => {
    expect(opened("cut-unused-context", "I want you to explain your reasoning after the JSON.")).not.toBe("");
    expect(opened("route-to-nano", "I'd like an explanation of your choice after the label.")).not.toBe("");
    expect(
      opened("route-to-nano", "I'll explain the queues below, and then you explain your reasoning after the label."),
    ).not.toBe("");
  });

  it("does not take wanting to see something for the writer's telling", () => {
    expect(opened("route-to-nano", "I want to see your reasoning after the label.")).not.toBe("");
  });
});
