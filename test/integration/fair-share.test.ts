import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts } from "#db/schema";
import { getBestAttempt, submitAttempt } from "~/.server/attempts";
import { getPublishedExercise } from "~/.server/catalog";
import { config } from "~/.server/config";
import { db } from "~/.server/db";
import { listSessionUsers } from "~/.server/users";
import { expectedOutputTokens } from "~/domain/estimate";
import { action as exerciseAction, loader as exerciseLoader } from "~/routes/exercises.$slug";
import { call, firstExerciseSlug, get, makeUser, post, ready, unwrap } from "./harness";

/**
 * One learner's share of the server: a flood of submissions is refused with 429 and the time to wait (before anything
 * is stored or graded), and nothing a page view does on the event loop grows with the learner's history or draft.
 */

let slug: string;
beforeAll(async () => {
  await ready();
  slug = firstExerciseSlug();
});

const submit = (cookie: string, prompt: string) =>
  call(exerciseAction, post(`/exercises/${slug}`, { intent: "submit", prompt }, cookie), { slug });

const attemptsOf = (userId: number) =>
  db().select({ n: count() }).from(attempts).where(eq(attempts.userId, userId)).get()!.n;

describe("a learner flooding submissions", () => {
  it("gets a 429 with Retry-After and a plain message past the per-minute limit; nothing of the refused is stored", async () => {
    const limit = config().SUBMIT_LIMIT_PER_MINUTE;
    const flooder = await makeUser();
    // Short prompts up to the limit (quick to grade), then the pathological one the flood is made of.
    const prompts = Array.from({ length: limit + 3 }, (_, i) =>
      i < limit ? `Summarise the ticket in three bullets (${i}).` : "b".repeat(19_990),
    );
    const results = [];
    for (const p of prompts) results.push(await submit(flooder.cookie, p));
    const accepted = results.filter((r) => r instanceof Response && r.status === 302);
    expect(accepted).toHaveLength(limit);
    // A script or a page post gets the message as a plain 429 page, without the exercise page rendered for it.
    for (const refused of results.slice(limit)) {
      expect(refused).toBeInstanceOf(Response);
      const res = refused as Response;
      expect(res.status).toBe(429);
      const wait = Number(res.headers.get("Retry-After"));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(60);
      expect(await res.text()).toBe(
        `You have submitted ${limit} times in the last minute, the most allowed; try again in ${wait} s.`,
      );
    }
    // The workbench's own post (fetch) gets it as form errors, shown beside the editor.
    const request = post(`/exercises/${slug}`, { intent: "submit", prompt: "b".repeat(19_990) }, flooder.cookie);
    request.headers.set("Sec-Fetch-Mode", "cors");
    const inPage = (await call(exerciseAction, request, { slug })) as {
      data: { errors: { submit: string } };
      init: { status: number; headers: Record<string, string> };
    };
    expect(inPage.init.status).toBe(429);
    expect(inPage.init.headers["Retry-After"]).toMatch(/^[1-9]\d?$/);
    expect(inPage.data.errors.submit).toMatch(
      /^You have submitted \d+ times in the last minute, the most allowed; try again in \d+ s\.$/,
    );
    expect(attemptsOf(flooder.id)).toBe(limit);

    // Another learner is not held back by the flooder's count; drafts are still saved (only submissions count).
    const other = await makeUser();
    expect(((await submit(other.cookie, "Summarise the ticket in three bullets.")) as Response).status).toBe(302);
    const saved = unwrap<{ ok: boolean }>(
      await call(exerciseAction, post(`/exercises/${slug}`, { intent: "save-draft", prompt: "x" }, flooder.cookie), {
        slug,
      }),
    );
    expect(saved.body.ok).toBe(true);
  }, 120_000);
});

describe("an exercise page view of a learner with a long history and a 19,990-character draft", () => {
  it("reads one best attempt, prices the draft off the event loop, and equals the full computation", async () => {
    const user = await makeUser();
    const session = listSessionUsers(db()).find((u) => u.id === user.id)!;
    const exercise = getPublishedExercise(db(), slug)!;
    // 150 scored attempts of 19,990 characters (stored directly: the per-minute limit is for requests).
    const ids = Array.from({ length: 150 }, (_, i) => {
      const id = submitAttempt(db(), session, exercise, "b".repeat(19_990));
      db()
        .update(attempts)
        .set({ status: "scored", passed: i % 7 === 3, score: (i * 37) % 1000 })
        .where(eq(attempts.id, id))
        .run();
      return { id, passed: i % 7 === 3, score: (i * 37) % 1000 };
    });
    const ranked = [...ids].sort((a, b) => Number(b.passed) - Number(a.passed) || b.score - a.score || b.id - a.id);
    expect(getBestAttempt(db(), user.id, exercise.id)?.id).toBe(ranked[0].id);
    expect(getBestAttempt(db(), user.id, exercise.id, ranked[0].id)?.id).toBe(ranked[1].id);

    // Asks for the short reply in the words of either first exercise's `target_when`.
    const draft = `${"é".repeat(19_900)} At most three bullets. Reply with the label only.`;
    const saved = unwrap<{ outputTokens: number }>(
      await call(exerciseAction, post(`/exercises/${slug}`, { intent: "save-draft", prompt: draft }, user.cookie), {
        slug,
      }),
    );
    const expected = expectedOutputTokens(draft, exercise.content.output_tokens);
    expect(expected).toBe(exercise.content.output_tokens.target);
    expect(saved.body.outputTokens).toBe(expected);
    // A short draft is priced on the request's thread, the same way.
    for (const short of ["Reply with the label only. At most three bullets.", "Summarise it."]) {
      const r = unwrap<{ outputTokens: number }>(
        await call(exerciseAction, post(`/exercises/${slug}`, { intent: "save-draft", prompt: short }, user.cookie), {
          slug,
        }),
      );
      expect(r.body.outputTokens).toBe(expectedOutputTokens(short, exercise.content.output_tokens));
    }
    await call(exerciseAction, post(`/exercises/${slug}`, { intent: "save-draft", prompt: draft }, user.cookie), {
      slug,
    });

    let last = performance.now();
    let stallMs = 0;
    const timer = setInterval(() => {
      stallMs = Math.max(stallMs, performance.now() - last);
      last = performance.now();
    }, 5);
    const page = unwrap<{ page: { outputTokens: number; best: { id: number } } }>(
      await call(exerciseLoader, get(`/exercises/${slug}`, user.cookie), { slug }),
    ).body.page;
    clearInterval(timer);
    expect(page.best.id).toBe(ranked[0].id);
    expect(page.outputTokens).toBe(expected);
    expect(stallMs).toBeLessThan(100);
  }, 60_000);
});
