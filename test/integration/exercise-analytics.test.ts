import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, courses, exerciseVersions, modelCalls } from "#db/schema";
import type { ExerciseAnalytics } from "~/.server/authoring/analytics";
import { exerciseAnalytics } from "~/.server/authoring/analytics";
import { storeExercise } from "~/.server/content";
import { db } from "~/.server/db";
import type { ExerciseFile } from "~/domain/exercise";
import { loader } from "~/routes/author.exercises.$slug.analytics";
import { call, exerciseId, get, makeUser, ready, unwrap } from "./harness";

/**
 * Known answers on seeded attempts and ledger rows. The probe is a copy of compress-ticket-summary
 * stored from the app, in two versions (par 80, then par 60):
 *
 * v1: u1 pass 900 (70 tokens) · u1 fail 300 (200 tokens; token budget failed, ESCALATE missed)
 *     · u2 pass 850 (90 tokens; ESCALATE missed) · u3 grading failed (not graded)
 * v2: u2 pass 1000 (50 tokens; live: faithful failed on 1 of 2 outputs, a third input skipped)
 *     · u4 fail 120 (400 tokens; both checks failed, summary and ESCALATE missed; live: both criteria failed)
 * Ledger: v1 one offline-judge row ($0); v2 two target rows ($0.001 each), two judge rows ($0.0003 each)
 * and a judge cache hit ($0); two calibration previews ($0.00025 each); and a row of another exercise.
 */

const SLUG = "analytics-probe";
const PATH = `/author/exercises/${SLUG}/analytics`;

let probeId: number;
let v1: number;
let v2: number;
const users: Record<"u1" | "u2" | "u3" | "u4", number> = { u1: 0, u2: 0, u3: 0, u4: 0 };

const CHECKS = [
  { id: "token-budget", label: "At most 150 tokens", kind: "max_tokens" },
  { id: "keeps-input", label: "Keeps the {{input}} placeholder", kind: "contains" },
];
const REQUIREMENTS = [
  { id: "summarise", description: "Asks for a summary of the ticket." },
  { id: "escalate", description: "Adds ESCALATE on cancellation, chargeback or legal threats." },
];

type Verdicts = { criterion: string; pass: boolean }[] | null;

function result(opts: { failedChecks?: string[]; missed?: string[]; live?: Verdicts[] }) {
  return {
    checks: CHECKS.map((c) => ({
      ...c,
      required: true,
      passed: !opts.failedChecks?.includes(c.id),
      detail: "",
    })),
    judge: {
      requirements: REQUIREMENTS.map((r) => ({
        ...r,
        weight: 1,
        covered: !opts.missed?.includes(r.id),
        reason: "",
      })),
    },
    ...(opts.live
      ? {
          live: {
            report: {
              inputs: opts.live.map((verdicts, i) => ({
                name: `input ${i + 1}`,
                verdicts:
                  verdicts?.map((v) => ({
                    criterion: v.criterion,
                    pass: v.pass,
                    score: v.pass ? 8 : 2,
                    reason: "r",
                    passOverridden: false,
                  })) ?? null,
              })),
            },
          },
        }
      : {}),
  };
}

function attempt(
  user: number,
  versionId: number,
  a: { score?: number; passed?: boolean; tokens?: number; status?: "scored" | "failed"; result?: unknown },
): number {
  return db()
    .insert(attempts)
    .values({
      userId: user,
      exerciseId: probeId,
      exerciseVersionId: versionId,
      modelId: "gpt-4.1-mini",
      prompt: "Summarise {{input}}",
      status: a.status ?? "scored",
      passed: a.passed ?? null,
      score: a.score ?? null,
      promptTokens: a.tokens ?? null,
      result: a.result ?? null,
    })
    .returning({ id: attempts.id })
    .get().id;
}

function ledger(row: {
  exerciseId: number;
  attemptId: number | null;
  purpose: "target" | "judge" | "preview";
  cost: number;
  builtin?: boolean;
  cacheHit?: boolean;
}) {
  db()
    .insert(modelCalls)
    .values({
      provider: row.builtin ? "builtin" : "openai-compatible",
      model: row.builtin ? "offline-judge@1" : "gpt-4.1-mini",
      tier: "small",
      purpose: row.purpose,
      inputTokens: 100,
      outputTokens: 10,
      inputMicrosPerM: 0,
      cachedInputMicrosPerM: 0,
      outputMicrosPerM: 0,
      priceAsOf: "2026-01-01",
      costMicros: row.cost,
      latencyMs: 1,
      status: "ok",
      cacheHit: row.cacheHit ?? false,
      exerciseId: row.exerciseId,
      attemptId: row.attemptId,
    })
    .run();
}

beforeAll(async () => {
  await ready();
  const source = db()
    .select({ content: exerciseVersions.content })
    .from(exerciseVersions)
    .where(eq(exerciseVersions.exerciseId, exerciseId("compress-ticket-summary")))
    .get()!.content as ExerciseFile;
  const courseId = db().select({ id: courses.id }).from(courses).where(eq(courses.slug, source.course)).get()!.id;
  const probe: ExerciseFile = { ...source, slug: SLUG, title: "Analytics probe" };
  storeExercise(db(), courseId, probe, "(seeded by the test)", "app");
  storeExercise(db(), courseId, { ...probe, par_tokens: 60 }, "(seeded by the test)", "app");
  probeId = exerciseId(SLUG);
  [v1, v2] = db()
    .select({ id: exerciseVersions.id })
    .from(exerciseVersions)
    .where(eq(exerciseVersions.exerciseId, probeId))
    .orderBy(asc(exerciseVersions.version))
    .all()
    .map((r) => r.id);
  for (const key of Object.keys(users) as (keyof typeof users)[]) users[key] = (await makeUser()).id;
  const { u1, u2, u3, u4 } = users;

  const a1 = attempt(u1, v1, { score: 900, passed: true, tokens: 70, result: result({}) });
  attempt(u1, v1, {
    score: 300,
    passed: false,
    tokens: 200,
    result: result({ failedChecks: ["token-budget"], missed: ["escalate"] }),
  });
  attempt(u2, v1, { score: 850, passed: true, tokens: 90, result: result({ missed: ["escalate"] }) });
  attempt(u3, v1, { status: "failed" });
  const a5 = attempt(u2, v2, {
    score: 1000,
    passed: true,
    tokens: 50,
    result: result({
      live: [
        [
          { criterion: "three-bullets", pass: true },
          { criterion: "faithful", pass: false },
        ],
        [
          { criterion: "three-bullets", pass: true },
          { criterion: "faithful", pass: true },
        ],
        null,
      ],
    }),
  });
  attempt(u4, v2, {
    score: 120,
    passed: false,
    tokens: 400,
    result: result({
      failedChecks: ["token-budget", "keeps-input"],
      missed: ["summarise", "escalate"],
      live: [
        [
          { criterion: "three-bullets", pass: false },
          { criterion: "faithful", pass: false },
        ],
      ],
    }),
  });

  ledger({ exerciseId: probeId, attemptId: a1, purpose: "judge", cost: 0, builtin: true });
  for (let i = 0; i < 2; i++) ledger({ exerciseId: probeId, attemptId: a5, purpose: "target", cost: 1000 });
  for (let i = 0; i < 2; i++) ledger({ exerciseId: probeId, attemptId: a5, purpose: "judge", cost: 300 });
  ledger({ exerciseId: probeId, attemptId: a5, purpose: "judge", cost: 0, cacheHit: true });
  for (let i = 0; i < 2; i++) ledger({ exerciseId: probeId, attemptId: null, purpose: "preview", cost: 250 });
  ledger({ exerciseId: exerciseId("route-to-nano"), attemptId: null, purpose: "preview", cost: 99_999 });
});

function analytics(): ExerciseAnalytics {
  const a = exerciseAnalytics(db(), SLUG);
  if (!a) throw new Error("the probe exercise should exist");
  return a;
}

const counts = (bins: { count: number }[]) => bins.map((b) => b.count);

describe("exercise analytics", () => {
  it("counts attempts, learners and the pass rate over every version", () => {
    const { exercise, totals } = analytics();
    expect(exercise).toMatchObject({ slug: SLUG, title: "Analytics probe", parTokens: 60, status: "published" });
    expect(totals).toMatchObject({ attempts: 6, graded: 5, learners: 4, passed: 3, passRate: 60 });
  });

  it("keeps each version's figures to the attempts graded on it, newest version first", () => {
    const [second, first] = analytics().versions;
    expect(second).toMatchObject({
      version: 2,
      current: true,
      parTokens: 60,
      passMark: 75,
      attempts: 2,
      graded: 2,
      learners: 2,
      passed: 1,
      passRate: 50,
    });
    expect(first).toMatchObject({
      version: 1,
      current: false,
      parTokens: 80,
      attempts: 4,
      graded: 3,
      learners: 3,
      passed: 2,
      passRate: 66.7,
    });
  });

  it("gives the median tokens of passing prompts, per version and overall", () => {
    const a = analytics();
    expect(a.versions.map((v) => v.medianPassingTokens)).toEqual([50, 80]);
    expect(a.totals.medianPassingTokens).toBe(70);
  });

  it("bins scores by 100 and tokens by one round width shared by every version", () => {
    const [second, first] = analytics().versions;
    expect(counts(first.scoreBins)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 1, 1]);
    expect(counts(second.scoreBins)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(second.scoreBins.at(-1)).toEqual({ from: 900, to: 1000, count: 1 });
    expect(analytics().tokenBinWidth).toBe(50);
    expect(counts(first.tokenBins)).toEqual([0, 2, 0, 0, 1, 0, 0, 0, 0]);
    expect(counts(second.tokenBins)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it("ranks the checks, requirements and rubric criteria learners fail most", () => {
    const [second, first] = analytics().versions;
    expect(first.failures.checks).toEqual([{ id: "token-budget", label: "At most 150 tokens", failed: 1, seen: 3 }]);
    expect(first.failures.requirements).toEqual([
      { id: "escalate", label: "Adds ESCALATE on cancellation, chargeback or legal threats.", failed: 2, seen: 3 },
    ]);
    expect(first.failures.criteria).toEqual([]);
    expect(second.failures.checks.map((r) => [r.id, r.failed, r.seen])).toEqual([
      ["token-budget", 1, 2],
      ["keeps-input", 1, 2],
    ]);
    expect(second.failures.requirements.map((r) => [r.id, r.failed, r.seen])).toEqual([
      ["escalate", 1, 2],
      ["summarise", 1, 2],
    ]);
    // Per judged output of live attempts (the skipped output has no verdicts), labelled from the version's rubric.
    expect(second.failures.criteria).toEqual([
      {
        id: "faithful",
        label: "Nothing in the summary is absent from the ticket (no invented facts, dates or products).",
        failed: 2,
        seen: 3,
      },
      {
        id: "three-bullets",
        label: "The summary has at most three bullets, covering problem, what was tried, and what the customer wants.",
        failed: 1,
        seen: 3,
      },
    ]);
  });

  it("sums the exercise's ledger spend by purpose, per version, with previews apart", () => {
    const a = analytics();
    expect(a.totals.spend).toEqual({
      calls: 8,
      costMicros: 3100,
      byPurpose: [
        { purpose: "target", calls: 2, offlineCalls: 0, cacheHits: 0, costMicros: 2000 },
        { purpose: "judge", calls: 4, offlineCalls: 1, cacheHits: 1, costMicros: 600 },
        { purpose: "preview", calls: 2, offlineCalls: 0, cacheHits: 0, costMicros: 500 },
      ],
    });
    const [second, first] = a.versions;
    expect(first.spend).toEqual({
      calls: 1,
      costMicros: 0,
      byPurpose: [{ purpose: "judge", calls: 1, offlineCalls: 1, cacheHits: 0, costMicros: 0 }],
    });
    expect(second.spend).toMatchObject({ calls: 5, costMicros: 2600 });
    expect(a.previews).toMatchObject({ calls: 2, costMicros: 500 });
  });

  it("answers an exercise without attempts with zeros and no rates", () => {
    const empty = exerciseAnalytics(db(), "few-shot-diet")!;
    expect(empty.totals).toMatchObject({
      attempts: 0,
      graded: 0,
      learners: 0,
      passRate: null,
      medianPassingTokens: null,
    });
    expect(empty.versions[0].scoreBins.every((b) => b.count === 0)).toBe(true);
  });
});

describe("the analytics page", () => {
  it("serves the figures to instructors and admins", async () => {
    for (const roles of [["instructor"], ["admin"]] as const) {
      const user = await makeUser({ roles: [...roles] });
      const res = unwrap<{ analytics: ExerciseAnalytics }>(await call(loader, get(PATH, user.cookie), { slug: SLUG }));
      expect(res.status).toBe(200);
      expect(res.body.analytics.totals.attempts).toBe(6);
    }
  });

  it("refuses a learner with 403", async () => {
    const learner = await makeUser();
    const res = await call(loader, get(PATH, learner.cookie), { slug: SLUG });
    expect((res as Response).status).toBe(403);
  });

  it("answers 404 for an unknown exercise and 400 for a malformed slug", async () => {
    const instructor = await makeUser({ roles: ["instructor"] });
    const missing = await call(loader, get("/author/exercises/nope/analytics", instructor.cookie), { slug: "nope" });
    expect((missing as Response).status).toBe(404);
    const bad = await call(loader, get("/author/exercises/Bad_Slug/analytics", instructor.cookie), {
      slug: "Bad_Slug",
    });
    expect((bad as Response).status).toBe(400);
  });
});
