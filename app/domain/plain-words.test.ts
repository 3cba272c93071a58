import { describe, expect, it } from "vitest";
import { ENCODINGS } from "./models";
import { judgeName, judgeNameCapitalised, tokenizerName } from "./plain-words";

describe("plain words for internal names", () => {
  it("names every encoding the catalogue allows without its internal id", () => {
    for (const e of ENCODINGS) {
      expect(tokenizerName(e)).not.toMatch(/_base|\d00k/);
      expect(tokenizerName(e)).toMatch(/tokenizer$/);
    }
  });
  it("names the offline judge with its version in words, and leaves a model's name alone", () => {
    expect(judgeName("offline-judge@2")).toBe("the built-in offline judge (version 2)");
    expect(judgeName("gpt-4.1-mini")).toBe("gpt-4.1-mini");
    expect(judgeName("offline-judge@")).toBe("offline-judge@");
    expect(judgeNameCapitalised("offline-judge@2")).toBe("The built-in offline judge (version 2)");
  });
});
