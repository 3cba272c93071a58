import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, models } from "#db/schema";
import { db } from "~/.server/db";
import { getModel } from "~/.server/models";
import { action as adminAction, loader as adminLoader } from "~/routes/admin.models";
import { action as exerciseAction, loader as exerciseLoader } from "~/routes/exercises.$slug";
import { call, get, makeUser, post, ready, unwrap } from "./harness";

beforeAll(ready);

const SLUG = "bounded-output"; // runs on gpt-4o, a medium-tier model

describe("choosing a model", () => {
  it("offers the exercise's model and every cheaper-or-equal tier, with each model's prices", async () => {
    const user = await makeUser();
    const page = unwrap<{ page: { model: { id: string }; models: { id: string; tier: string }[] } }>(
      await call(exerciseLoader, get(`/exercises/${SLUG}`, user.cookie), { slug: SLUG }),
    ).body.page;
    expect(page.model.id).toBe("gpt-4o");
    const tiers = new Set(page.models.map((m) => m.tier));
    expect(tiers).toEqual(new Set(["nano", "small", "medium"]));
    expect(page.models.map((m) => m.id)).toContain("gpt-4.1-nano");
    expect(page.models.map((m) => m.id)).not.toContain("o1");
  });

  it("grades on the picked cheaper model, priced against the starting prompt on the exercise's model", async () => {
    const user = await makeUser();
    const res = (await call(
      exerciseAction,
      post(
        `/exercises/${SLUG}`,
        { intent: "submit", prompt: "Describe {{input}} in at most 60 words.", model: "gpt-4.1-nano" },
        user.cookie,
      ),
      { slug: SLUG },
    )) as Response;
    const id = Number(res.headers.get("Location")!.split("/").pop());
    const row = db().select().from(attempts).where(eq(attempts.id, id)).get()!;
    expect(row.modelId).toBe("gpt-4.1-nano");
    const nano = getModel("gpt-4.1-nano");
    const result = row.result as { tokens: { inputPerCall: number; outputPerCall: number }; model: { id: string } };
    expect(result.model.id).toBe("gpt-4.1-nano");
    const expected = Math.round(
      (result.tokens.inputPerCall * nano.inputMicrosPerM + result.tokens.outputPerCall * nano.outputMicrosPerM) / 1e6,
    );
    expect(row.costPerCallMicros).toBe(expected);
    expect(row.baselineCostPerCallMicros).toBeGreaterThan(row.costPerCallMicros! * 10);
  });

  it("refuses a model above the exercise's tier, naming it", async () => {
    const user = await makeUser();
    const { status, body } = unwrap<{ errors: Record<string, string> }>(
      await call(
        exerciseAction,
        post(`/exercises/${SLUG}`, { intent: "submit", prompt: "Describe {{input}}.", model: "o1" }, user.cookie),
        { slug: SLUG },
      ),
    );
    expect(status).toBe(400);
    expect(body.errors.model).toBe('The model "o1" is not allowed for this exercise');
  });
});

describe("admin price editing", () => {
  it("is refused to a learner", async () => {
    const learner = await makeUser();
    const res = (await call(adminLoader, get("/admin/models", learner.cookie))) as Response;
    expect(res.status).toBe(403);
    const post403 = (await call(
      adminAction,
      post(
        "/admin/models",
        { id: "gpt-4o", input: "0", cachedInput: "0", output: "0", asOf: "2026-01-01" },
        learner.cookie,
      ),
    )) as Response;
    expect(post403.status).toBe(403);
  });

  it("saves new prices in micro-dollars with their date, and names a bad field", async () => {
    const admin = await makeUser({ roles: ["admin"] });
    const before = getModel("gpt-4.1-mini");
    const ok = unwrap(
      await call(
        adminAction,
        post(
          "/admin/models",
          { id: "gpt-4.1-mini", input: "0.35", cachedInput: "0.09", output: "1.5", asOf: "2026-11-01" },
          admin.cookie,
        ),
      ),
    );
    expect(ok.status).toBe(200);
    const after = db().select().from(models).where(eq(models.id, "gpt-4.1-mini")).get()!;
    expect(after).toMatchObject({
      inputMicrosPerM: 350_000,
      cachedInputMicrosPerM: 90_000,
      outputMicrosPerM: 1_500_000,
      priceAsOf: "2026-11-01",
    });
    const bad = unwrap<{ errors: Record<string, string> }>(
      await call(
        adminAction,
        post(
          "/admin/models",
          { id: "gpt-4.1-mini", input: "-1", cachedInput: "x", output: "1", asOf: "2099-01-01" },
          admin.cookie,
        ),
      ),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toMatchObject({
      input: "Input price cannot be negative",
      cachedInput: "Cached input price must be a number of dollars per 1M tokens",
      asOf: "The price date cannot be in the future",
    });
    // put the catalogue price back for other tests in this worker
    db()
      .update(models)
      .set({
        inputMicrosPerM: before.inputMicrosPerM,
        cachedInputMicrosPerM: before.cachedInputMicrosPerM,
        outputMicrosPerM: before.outputMicrosPerM,
        priceAsOf: before.priceAsOf,
      })
      .where(eq(models.id, before.id))
      .run();
  });
});
