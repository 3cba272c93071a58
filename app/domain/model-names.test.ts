import { describe, expect, it } from "vitest";
import { catalogueIdOf, normaliseModelName, resolveModel, tierOf } from "./model-names";

const IDS = [
  "gpt-4o",
  "gpt-4o-mini",
  "gpt-4.1",
  "gpt-4.1-mini",
  "gpt-4.1-nano",
  "claude-3-5-haiku",
  "claude-opus-4",
  "o1",
];
const TIERS = new Map([
  ["gpt-4o", "medium"],
  ["gpt-4o-mini", "small"],
  ["gpt-4.1-nano", "nano"],
  ["claude-opus-4", "frontier"],
  ["claude-3-5-haiku", "small"],
]);

describe("catalogueIdOf", () => {
  it.each([
    ["gpt-4o-mini-2024-07-18", "gpt-4o-mini"],
    ["gpt-4o-2024-11-20", "gpt-4o"],
    ["GPT-4o", "gpt-4o"],
    ["azure/gpt-4o", "gpt-4o"],
    ["openai/gpt-4.1-nano", "gpt-4.1-nano"],
    ["anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku"],
    ["us.anthropic.claude-opus-4-20250514-v1:0", "claude-opus-4"],
    ["claude-opus-4@20250514", "claude-opus-4"],
    ["gpt-4o-mini-audio-preview", "gpt-4o-mini"],
    ["o1", "o1"],
  ])("%s is %s", (name, id) => {
    expect(catalogueIdOf(name, IDS)).toBe(id);
  });

  it.each(["o1x", "gpt-4", "llama-3.1-8b", "", "gpt-4omini"])("%j matches nothing", (name) => {
    expect(catalogueIdOf(name, IDS)).toBeNull();
  });

  it("keeps a name without decorations as it is, lower-cased", () => {
    expect(normaliseModelName("  My-Model  ")).toBe("my-model");
  });
});

describe("tierOf", () => {
  it("gives the tier of the matched model, or unknown", () => {
    expect(tierOf("claude-opus-4-20250514", TIERS)).toBe("frontier");
    expect(tierOf("gpt-4o-mini-2024-07-18", TIERS)).toBe("small");
    expect(tierOf("mistral-large", TIERS)).toBe("unknown");
  });
});

describe("resolveModel", () => {
  it("takes the first name the catalogue knows, as its id, else the first name given", () => {
    expect(resolveModel([null, "contoso-openai", "gpt-4o-mini-0718 Inp glbl Tokens"], TIERS)).toEqual({
      model: "gpt-4o-mini",
      tier: "small",
    });
    expect(resolveModel(["", "gemini-2.0-flash", "Vertex AI"], TIERS)).toEqual({
      model: "gemini-2.0-flash",
      tier: "unknown",
    });
    expect(resolveModel([null, ""], TIERS)).toBeNull();
  });
});
