import { Tiktoken } from "js-tiktoken/lite";
import cl100k from "js-tiktoken/ranks/cl100k_base";
import o200k from "js-tiktoken/ranks/o200k_base";
import { describe, expect, it } from "vitest";
import { countTokensFull } from "~/domain/token-counter";
import { buildEncoderInSlices } from "./sliced-encoder";

const SAMPLES = [
  "Summarise the ticket below in two sentences. Do not include the customer's name.",
  'naïve café — 日本語のテキスト, emoji 🎉🎉, tabs\tand\r\nCRLF, <|endoftext|> as text, {"json": [1, 2.5e3]}',
  "   leading spaces, trailing spaces   \n\n\n```ts\nconst x = () => 42;\n```\n",
  "Antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

describe("buildEncoderInSlices", () => {
  it.each([
    ["o200k_base", o200k],
    ["cl100k_base", cl100k],
  ])(
    "builds a %s encoder that encodes exactly as js-tiktoken's constructor does, yielding between slices",
    async (_, ranks) => {
      let yields = 0;
      const sliced = await buildEncoderInSlices(ranks, {
        sliceMs: 1,
        yieldFn: async () => {
          yields++;
        },
      });
      const whole = new Tiktoken(ranks);
      expect(yields).toBeGreaterThan(5);
      for (const text of SAMPLES) {
        expect(sliced.encode(text, [], [])).toEqual(whole.encode(text, [], []));
        expect(countTokensFull(sliced, text)).toBe(countTokensFull(whole, text));
      }
    },
  );

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    const build = buildEncoderInSlices(o200k, {
      sliceMs: 1,
      yieldFn: async () => controller.abort(),
      signal: controller.signal,
    });
    await expect(build).rejects.toThrow();
  });
});
