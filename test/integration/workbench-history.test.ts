import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, draftHistory, exercises, exerciseVersions } from "#db/schema";
import { getDraft } from "~/.server/catalog";
import { db } from "~/.server/db";
import { KEEP } from "~/.server/draft-history";
import type { ExerciseFile } from "~/domain/exercise";
import { action } from "~/routes/exercises.$slug";
import { call, makeUser, post, unwrap } from "./harness";

/** The workbench's reset and load: the editor's text is kept in history first; only one's own prompts load. */

const SLUG = "compress-ticket-summary";
const OTHER = "route-to-nano";
let me: Awaited<ReturnType<typeof makeUser>>;
let other: Awaited<ReturnType<typeof makeUser>>;
let exerciseId: number;
let starting: string;

function addAttempt(userId: number, slug: string, prompt: string): number {
  const ex = db()
    .select({ id: exercises.id, versionId: exercises.currentVersionId })
    .from(exercises)
    .where(eq(exercises.slug, slug))
    .get()!;
  return db()
    .insert(attempts)
    .values({
      userId,
      exerciseId: ex.id,
      exerciseVersionId: ex.versionId!,
      modelId: "gpt-4.1-mini",
      prompt,
      status: "scored",
      passed: false,
      score: 100,
    })
    .returning({ id: attempts.id })
    .get().id;
}

const send = (fields: Record<string, string>, cookie = me.cookie, slug = SLUG) =>
  call(action, post(`/exercises/${slug}`, fields, cookie), { slug });
const history = () =>
  db()
    .select({ prompt: draftHistory.prompt })
    .from(draftHistory)
    .where(and(eq(draftHistory.userId, me.id), eq(draftHistory.exerciseId, exerciseId)))
    .all()
    .map((r) => r.prompt);

beforeAll(async () => {
  me = await makeUser();
  other = await makeUser();
  const row = db()
    .select({ id: exercises.id, content: exerciseVersions.content })
    .from(exercises)
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .where(eq(exercises.slug, SLUG))
    .get()!;
  exerciseId = row.id;
  starting = (row.content as ExerciseFile).starting_prompt;
});

describe("load an earlier attempt / improve this attempt", () => {
  it("puts that attempt's prompt in the draft and keeps the editor's text in history", async () => {
    const attempt = addAttempt(me.id, SLUG, "attempt one's prompt {{input}}");
    const res = (await send({ intent: "load", source: `attempt:${attempt}`, prompt: "half-written text" })) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(new RegExp(`^/exercises/${SLUG}\\?loaded=[a-z0-9]+$`));
    expect(getDraft(db(), me.id, exerciseId)).toBe("attempt one's prompt {{input}}");
    expect(history()).toEqual(["half-written text"]);
  });

  it("from a result page (no editor text) keeps the saved draft instead", async () => {
    const attempt = addAttempt(me.id, SLUG, "attempt two {{input}}");
    await send({ intent: "load", source: `attempt:${attempt}` });
    expect(history()).toEqual(["half-written text", "attempt one's prompt {{input}}"]);
    expect(getDraft(db(), me.id, exerciseId)).toBe("attempt two {{input}}");
  });

  it("refuses someone else's attempt, an attempt on another exercise and someone else's kept prompt (404)", async () => {
    const theirs = addAttempt(other.id, SLUG, "not yours");
    const elsewhere = addAttempt(me.id, OTHER, "other exercise");
    expect(((await send({ intent: "load", source: `attempt:${theirs}` })) as Response).status).toBe(404);
    expect(((await send({ intent: "load", source: `attempt:${elsewhere}` })) as Response).status).toBe(404);
    const kept = db()
      .select({ id: draftHistory.id })
      .from(draftHistory)
      .where(eq(draftHistory.userId, me.id))
      .get()!.id;
    expect(((await send({ intent: "load", source: `kept:${kept}` }, other.cookie)) as Response).status).toBe(404);
    expect(getDraft(db(), other.id, exerciseId)).toBeNull();
  });

  it("answers 400 for a malformed source, never a 500", async () => {
    for (const source of [
      "attempt:abc",
      "attempt:",
      "kept:-1",
      "file:/etc/passwd",
      "attempt:1 or 1=1",
      "x".repeat(5000),
      "attempt:99999999999999999999",
    ]) {
      const res = unwrap(await send({ intent: "load", source }));
      expect(res.status, source.slice(0, 30)).toBe(400);
    }
  });
});

describe("reset to the starting prompt", () => {
  it("asks nothing of the server but keeps the text: the draft becomes the starting prompt", async () => {
    const before = history().length;
    await send({ intent: "reset", prompt: "my clever rewrite {{input}}" });
    expect(getDraft(db(), me.id, exerciseId)).toBe(starting);
    expect(history().slice(before)).toEqual(["my clever rewrite {{input}}"]);
  });

  it("does not keep the starting prompt, an empty editor or the same text twice", async () => {
    const before = history().length;
    await send({ intent: "reset", prompt: starting });
    await send({ intent: "reset", prompt: "   " });
    await send({ intent: "reset", prompt: "my clever rewrite {{input}}" });
    expect(history().length).toBe(before);
  });

  it(`keeps the newest ${KEEP} prompts per learner and exercise`, async () => {
    for (let i = 0; i < KEEP + 5; i++) await send({ intent: "reset", prompt: `version ${i}` });
    const kept = history();
    expect(kept).toHaveLength(KEEP);
    expect(kept.at(-1)).toBe(`version ${KEEP + 4}`);
  });
});
