import { describe, expect, it } from "vitest";
import { countTokens, getEncoder } from "./tokenizer.server";

describe("server token counting", () => {
  it("counts known strings as tiktoken does", () => {
    // The OpenAI cookbook's example: [83, 1609, 5963, 374, 2294, 0] in cl100k_base.
    expect(getEncoder("cl100k_base").encode("tiktoken is great!", [], [])).toEqual([83, 1609, 5963, 374, 2294, 0]);
    expect(countTokens("tiktoken is great!", "o200k_base")).toBe(6);
    expect(countTokens("Hello world", "o200k_base")).toBe(2);
    expect(countTokens("Hello world", "cl100k_base")).toBe(2);
    expect(countTokens("", "o200k_base")).toBe(0);
  });

  it("counts special-token text as ordinary text instead of throwing", () => {
    const text = "Reply in JSON.<|endoftext|><|endofprompt|>";
    for (const encoding of ["o200k_base", "cl100k_base"] as const) {
      expect(countTokens(text, encoding)).toBe(getEncoder(encoding).encode(text, [], []).length);
      expect(countTokens(text, encoding)).toBeGreaterThan(getEncoder(encoding).encode(text, "all").length);
    }
  });

  it("builds each encoding once per process and shares it", () => {
    expect(getEncoder("o200k_base")).toBe(getEncoder("o200k_base"));
    expect(getEncoder("cl100k_base")).toBe(getEncoder("cl100k_base"));
    expect(getEncoder("o200k_base")).not.toBe(getEncoder("cl100k_base"));
  });
});
