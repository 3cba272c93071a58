import { afterAll, describe, expect, it } from "vitest";
import { users } from "#db/schema";
import { modelSchema, toModelInfo } from "~/domain/models";
import { type Db, openDb } from "./db";
import { allowedModels, getModel, isAllowedModel, listModels, seedModels, updatePrices } from "./models";

const database: Db = openDb(":memory:");
seedModels(database, "db/models.yaml");
afterAll(() => database.$client.close());

const EMBEDDERS = ["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"];

describe("embeddings models in the catalogue", () => {
  it("are seeded from db/models.yaml with their kind and dated list prices, billed on input only", () => {
    expect(getModel("text-embedding-3-small", database)).toMatchObject({
      kind: "embedding",
      tier: "nano",
      inputMicrosPerM: 20_000,
      outputMicrosPerM: 0,
      priceAsOf: "2024-01-25",
    });
    expect(getModel("text-embedding-3-large", database)).toMatchObject({ kind: "embedding", inputMicrosPerM: 130_000 });
    expect(getModel("gpt-4.1-nano", database).kind).toBe("chat");
  });

  it("are never offered to a learner, whatever the exercise's tier", () => {
    for (const exerciseModel of ["gpt-4.1-nano", "o1"]) {
      const offered = allowedModels(getModel(exerciseModel, database), database).map((m) => m.id);
      expect(offered).toContain("gpt-4.1-nano");
      for (const id of EMBEDDERS) expect(offered).not.toContain(id);
      expect(isAllowedModel(exerciseModel, "text-embedding-3-small", database)).toBe(false);
    }
  });

  it("with a provider configured, are offered only when it serves them (besides the exercise's own, graded offline)", () => {
    const offered = (provider: string) =>
      allowedModels(getModel("gpt-4.1", database), database, provider).map((m) => m.id);
    // Anthropic's models are not offered against an OpenAI-compatible endpoint, nor OpenAI's against Anthropic.
    expect(offered("openai-compatible")).toEqual(expect.arrayContaining(["gpt-4.1", "gpt-4.1-nano", "gpt-4o-mini"]));
    expect(offered("openai-compatible")).not.toContain("claude-3-5-haiku");
    expect(offered("openai-compatible")).not.toContain("claude-sonnet-4");
    expect(offered("anthropic")).toEqual(expect.arrayContaining(["gpt-4.1", "claude-3-5-haiku", "claude-sonnet-4"]));
    expect(offered("anthropic")).not.toContain("gpt-4o-mini");
    expect(isAllowedModel("gpt-4.1", "claude-sonnet-4", database, "openai-compatible")).toBe(false);
    expect(isAllowedModel("gpt-4.1", "claude-sonnet-4", database, "anthropic")).toBe(true);
  });

  it("are listed, and their prices editable, for the admin", () => {
    expect(listModels(database).map((m) => m.id)).toEqual(expect.arrayContaining(EMBEDDERS));
    const admin = database
      .insert(users)
      .values({ email: "admin@example.com", name: "Admin", passwordHash: "x" })
      .returning()
      .get();
    const update = {
      inputMicrosPerM: 25_000,
      cachedInputMicrosPerM: 25_000,
      outputMicrosPerM: 0,
      priceAsOf: "2026-01-02",
    };
    expect(updatePrices(database, { id: "text-embedding-ada-002", ...update }, admin.id)).toBe(true);
    expect(getModel("text-embedding-ada-002", database)).toMatchObject({ ...update, kind: "embedding" });
  });

  it("reads a catalogue entry without a kind as a chat model", () => {
    const entry = {
      id: "m",
      provider: "other",
      tier: "small",
      encoding: "o200k_base",
      exact_tokenizer: true,
      context_window: 1000,
      price: { input: 1, cached_input: 1, output: 2, as_of: "2025-01-01" },
    };
    expect(toModelInfo(modelSchema.parse(entry)).kind).toBe("chat");
    expect(modelSchema.safeParse({ ...entry, kind: "rerank" }).success).toBe(false);
  });
});
