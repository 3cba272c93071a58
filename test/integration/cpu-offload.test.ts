import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, exercises, exerciseVersions } from "#db/schema";
import { submitAttempt } from "~/.server/attempts";
import { getPublishedExercise } from "~/.server/catalog";
import { storeExercise } from "~/.server/content";
import { CpuTimeLimitError } from "~/.server/cpu/pool";
import { db } from "~/.server/db";
import { recoverOfflineAttempts, unfinishedOfflineAttempts } from "~/.server/offline-recovery";
import { countTokens } from "~/.server/tokenizer.server";
import { listSessionUsers } from "~/.server/users";
import type { ExerciseFile } from "~/domain/exercise";
import { loadModelCatalogue } from "~/exercises/load.server";
import { action as attemptAction, loader as attemptLoader } from "~/routes/attempts.$attemptId";
import { action as exerciseAction, loader as exerciseLoader } from "~/routes/exercises.$slug";
import { call, firstExerciseSlug, get, makeUser, post, ready, unwrap } from "./harness";

let slug: string;
beforeAll(async () => {
  await ready();
  slug = firstExerciseSlug();
});

/** The longest gap between 5 ms timer ticks while `work` runs: how long this thread's event loop was blocked. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 5);
  try {
    return { value: await work(), stallMs };
  } finally {
    clearInterval(timer);
  }
}

describe("CPU work off the event loop", () => {
  it("grades a 19,990-character pathological prompt without blocking the event loop", async () => {
    const user = await makeUser();
    // Warm the pool (thread start, encoder load) so the figure below is the grading itself.
    await call(exerciseAction, post(`/exercises/${slug}`, { intent: "submit", prompt: "Warm up." }, user.cookie), {
      slug,
    });
    for (const unit of ["b", "é"]) {
      const prompt = unit.repeat(19_990);
      const { value: res, stallMs } = await longestStall(
        async () =>
          (await call(exerciseAction, post(`/exercises/${slug}`, { intent: "submit", prompt }, user.cookie), {
            slug,
          })) as Response,
      );
      const id = Number(res.headers.get("Location")?.split("/").pop());
      const attempt = db().select().from(attempts).where(eq(attempts.id, id)).get()!;
      expect(attempt.status).toBe("scored");
      expect(attempt.promptTokens).toBe(countTokens(prompt, "o200k_base"));
      // Was 29 s ("b") and 97 s ("é") on the request's own thread; the stall left is the database work.
      expect(stallMs).toBeLessThan(250);
    }
  });

  it("stores test-input counts with the version, so a page view counts nothing", async () => {
    const exercise = getPublishedExercise(db(), slug)!;
    const hostile = `{"blob":"${"QUJD".repeat(5_000)}"}`;
    const content: ExerciseFile = {
      ...exercise.content,
      test_inputs: [...exercise.content.test_inputs, { ...exercise.content.test_inputs[0], input: hostile }],
    };
    storeExercise(db(), exercise.courseId, content, "(test)", "file");
    const stored = getPublishedExercise(db(), slug)!;
    // The page counts with the exercise's model's encoding (cl100k_base for an Anthropic model).
    const encoding = loadModelCatalogue().find((m) => m.id === content.model)!.encoding;
    const counts = stored.tokenCounts![encoding];
    const inputs = content.test_inputs.map((t) => countTokens(t.input, encoding));
    expect(counts.avgInput).toBe(Math.round(inputs.reduce((a, b) => a + b, 0) / inputs.length));
    expect(counts.startingPrompt).toBe(countTokens(content.starting_prompt, encoding));

    const user = await makeUser();
    const { value, stallMs } = await longestStall(async () =>
      call(exerciseLoader, get(`/exercises/${slug}`, user.cookie), { slug }),
    );
    const page = unwrap<{ page: { avgInputTokens: number; baseline: { tokens: number } } }>(value).body.page;
    expect(page.avgInputTokens).toBe(counts.avgInput);
    expect(page.baseline.tokens).toBe(counts.startingPrompt);
    expect(stallMs).toBeLessThan(100);
  });

  it("backfills counts of versions stored before counts were kept", async () => {
    db().update(exerciseVersions).set({ tokenCounts: null }).run();
    const { backfillTokenCounts } = await import("~/.server/exercise-tokens");
    expect(backfillTokenCounts(db())).toBeGreaterThan(0);
    expect(getPublishedExercise(db(), slug)!.tokenCounts?.cl100k_base.startingPrompt).toBeGreaterThan(0);
  });
});

describe("offline attempts interrupted by a crash", () => {
  function strandedAttempt(status: "queued" | "grading"): number {
    const exercise = getPublishedExercise(db(), slug)!;
    const user = listSessionUsers(db())[0];
    const id = submitAttempt(db(), user, exercise, exercise.content.reference_solution);
    // What a process killed between storing and scoring leaves behind.
    db().update(attempts).set({ status }).where(eq(attempts.id, id)).run();
    return id;
  }

  it("are graded again at start-up", async () => {
    await makeUser();
    const ids = [strandedAttempt("queued"), strandedAttempt("grading")];
    expect(unfinishedOfflineAttempts(db())).toEqual(expect.arrayContaining(ids));
    expect(await recoverOfflineAttempts(db())).toEqual(expect.arrayContaining(ids));
    for (const id of ids) expect(db().select().from(attempts).where(eq(attempts.id, id)).get()!.status).toBe("scored");
    expect(unfinishedOfflineAttempts(db())).toEqual([]);
  });

  it("are marked failed with the reason when grading fails, and the learner's retry grades them", async () => {
    const user = await makeUser();
    const exercise = getPublishedExercise(db(), slug)!;
    const session = listSessionUsers(db()).find((u) => u.id === user.id)!;
    const id = submitAttempt(db(), session, exercise, exercise.content.reference_solution);
    db().update(attempts).set({ status: "grading" }).where(eq(attempts.id, id)).run();
    await recoverOfflineAttempts(db(), () => {
      throw new CpuTimeLimitError("Grading", 10_000);
    });
    const failed = db().select().from(attempts).where(eq(attempts.id, id)).get()!;
    expect(failed.status).toBe("failed");
    expect(failed.error).toBe("Grading took longer than 10 s and was stopped; shorten the text and try again.");
    const page = unwrap<{ canRetry: boolean }>(
      await call(attemptLoader, get(`/attempts/${id}`, user.cookie), { attemptId: String(id) }),
    );
    expect(page.body.canRetry).toBe(true);
    const res = (await call(attemptAction, post(`/attempts/${id}`, {}, user.cookie), {
      attemptId: String(id),
    })) as Response;
    expect(res.status).toBe(302);
    expect(db().select().from(attempts).where(eq(attempts.id, id)).get()!.status).toBe("scored");
    expect(db().select().from(exercises).where(eq(exercises.slug, slug)).get()).toBeTruthy();
  });
});
