import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { budgetReservations, departments, modelCalls, teams } from "#db/schema";
import {
  type Calibration,
  calibrateExercise,
  calibrationSubject,
  MAX_SAMPLES,
  type PreviewContext,
} from "~/.server/authoring/calibration";
import { setBudget } from "~/.server/budgets";
import { db } from "~/.server/db";
import { getModel } from "~/.server/models";
import { createLimiter } from "~/.server/providers/limiter";
import { createOpenAICompatible } from "~/.server/providers/openai-compatible";
import { action, loader } from "~/routes/author.exercises.$slug.calibrate";
import { gradingHandler, isJudgeRequest } from "../fakes/grading";
import { createFakeOpenAIServer, type FakeProviderServer, type Handler } from "../fakes/openai-server";
import { call, exerciseId, get, makeUser, ready, unwrap } from "./harness";

const SLUG = "compress-ticket-summary";
const PATH = `/author/exercises/${SLUG}/calibrate`;
const SOURCE = readFileSync(`exercises/prompt-compression/01-${SLUG}.yaml`, "utf8");
const params = { slug: SLUG };

/** The exercise file with some top-level fields replaced, as an instructor would paste it. */
function draftWith(changes: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(SOURCE);
  changes(doc);
  return doc.toString();
}
const field = (doc: ReturnType<typeof parseDocument>, key: string) => String(doc.get(key));

/** A POST with repeated fields (the harness's `post` takes one value per name). */
function postForm(path: string, entries: [string, string][], cookie: string): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body: new URLSearchParams(entries),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
  });
}

type ActionBody =
  | { kind: "calibrated"; calibration: Calibration }
  | { kind: "invalid"; errors: Record<string, string> }
  | { kind: "draft-errors"; errors: { line: number; column: number; field: string; message: string }[] };

async function calibrate(entries: [string, string][], cookie: string) {
  return unwrap<ActionBody>(await call(action, postForm(PATH, entries, cookie), params));
}

function calibrated(res: { status: number; body: ActionBody }): Calibration {
  expect(res.status).toBe(200);
  if (res.body.kind !== "calibrated") throw new Error(`expected a calibration, got ${JSON.stringify(res.body)}`);
  return res.body.calibration;
}

const codes = (c: Calibration) => c.warnings.map((w) => `${w.judge}:${w.code}`);

let instructor: Awaited<ReturnType<typeof makeUser>>;
let teamId: number;
let departmentId: number;

beforeAll(async () => {
  await ready();
  departmentId = db()
    .insert(departments)
    .values({ name: `Calibration ${process.pid}`, costCentre: `CC-CAL${process.pid}` })
    .returning()
    .get().id;
  teamId = db().insert(teams).values({ name: "Content team", departmentId }).returning().get().id;
  instructor = await makeUser({ teamId, roles: ["instructor"] });
});

describe("who may calibrate", () => {
  it("refuses a learner with 403 on the page and on the action", async () => {
    const learner = await makeUser();
    const page = await call(loader, get(PATH, learner.cookie), params);
    expect((page as Response).status).toBe(403);
    const posted = await call(
      action,
      postForm(
        PATH,
        [
          ["sample", "x {{input}}"],
          ["expect", "pass"],
        ],
        learner.cookie,
      ),
      params,
    );
    expect((posted as Response).status).toBe(403);
  });

  it("shows the page to an instructor and an admin", async () => {
    const admin = await makeUser({ roles: ["admin"] });
    for (const cookie of [instructor.cookie, admin.cookie]) {
      const page = unwrap<{ exercise: { title: string } | null; liveJudge: string | null }>(
        await call(loader, get(PATH, cookie), params),
      );
      expect(page.status).toBe(200);
      expect(page.body.exercise?.title).toBe("Compress the ticket summariser");
      expect(page.body.liveJudge).toBeNull();
    }
  });
});

describe("calibration by the offline judge", () => {
  it("finds nothing to warn about in the published version of a calibrated exercise", async () => {
    const c = calibrated(await calibrate([], instructor.cookie));
    expect(c.source).toEqual({ kind: "version", version: expect.any(Number), status: "published" });
    expect(c.llm).toEqual({ state: "off" });
    expect(c.prompts.map((p) => [p.role, p.offline.passed])).toEqual([
      ["starting", false],
      ["reference", true],
    ]);
    expect(c.warnings).toEqual([]);
  });

  it("warns on a draft whose starting prompt passes and whose reference fails (the two swapped)", async () => {
    const draft = draftWith((doc) => {
      const [start, ref] = [field(doc, "starting_prompt"), field(doc, "reference_solution")];
      doc.set("starting_prompt", ref);
      doc.set("reference_solution", start);
    });
    const c = calibrated(await calibrate([["draft", draft]], instructor.cookie));
    expect(c.source).toEqual({ kind: "draft" });
    expect(codes(c)).toEqual(["offline:starting-passes", "offline:reference-fails", "offline:narrow-margin"]);
    expect(c.warnings[0].message).toMatch(/^The starting prompt passes under the offline judge/);
  });

  it("warns on a draft whose reference solution lacks most requirements", async () => {
    const draft = draftWith((doc) =>
      doc.set("reference_solution", "Summarise this support ticket in at most 3 bullets.\n\n{{input}}\n"),
    );
    const c = calibrated(await calibrate([["draft", draft]], instructor.cookie));
    expect(codes(c)).toContain("offline:reference-fails");
    const reference = c.prompts.find((p) => p.role === "reference")!;
    expect(reference.offline.missedRequirements).toContain(
      "Adds an ESCALATE line when the customer threatens to cancel, mentions a chargeback or legal action.",
    );
  });

  it("shows how many sample prompts the judge graded as the instructor expected", async () => {
    const exercise = parseDocument(SOURCE);
    const c = calibrated(
      await calibrate(
        [
          ["sample", field(exercise, "reference_solution")],
          ["expect", "pass"],
          ["min", "800"],
          ["max", ""],
          // The starting prompt, wrongly expected to pass: the one disagreement.
          ["sample", field(exercise, "starting_prompt")],
          ["expect", "pass"],
          ["min", ""],
          ["max", ""],
          ["sample", ""],
          ["expect", "pass"],
          ["min", ""],
          ["max", ""],
          ["sample", "Summarise: {{input}}"],
          ["expect", "fail"],
          ["min", ""],
          ["max", "400"],
          [
            "sample",
            "Summarize for a support agent, max 3 bullets: problem / what they tried / what they want. Keep order numbers exact. No guessing. Add ESCALATE if they threaten to cancel, charge back or sue.\n\nTicket: {{input}}",
          ],
          ["expect", "pass"],
          ["min", ""],
          ["max", ""],
        ],
        instructor.cookie,
      ),
    );
    expect(c.agreement).toEqual([
      {
        judge: "offline",
        agreed: 3,
        total: 4,
        percent: 75,
        text: "3 of 4 samples graded as you expected (75%) by the offline judge.",
      },
    ]);
    expect(c.prompts.filter((p) => p.role === "sample").map((p) => [p.label, p.asExpected?.offline])).toEqual([
      ["Sample 1", true],
      ["Sample 2", false],
      ["Sample 3", true],
      ["Sample 4", true],
    ]);
    expect(codes(c)).toEqual(["offline:sample-disagrees"]);
    expect(c.warnings[0].message).toMatch(/^Sample 2: you expected pass; the offline judge fails \(score \d+/);
  });

  it("returns a broken draft's errors with their line numbers, and grades nothing", async () => {
    const draft = SOURCE.replace(/^pass_mark: 75$/m, "pass_mark: high");
    const line = draft.split("\n").findIndex((l) => l.startsWith("pass_mark:")) + 1;
    const res = unwrap<ActionBody>(await call(action, postForm(PATH, [["draft", draft]], instructor.cookie), params));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      kind: "draft-errors",
      errors: [{ line, column: 1, field: "pass_mark", message: "must be a number, not a string" }],
      echo: expect.anything(),
    });
  });

  it("refuses a draft whose model is an embeddings model, pointing at its model line", async () => {
    const draft = draftWith((doc) => {
      doc.set("model", "text-embedding-3-small");
      doc.set("tier", "nano");
    });
    const line = draft.split("\n").findIndex((l) => l.startsWith("model:")) + 1;
    const res = unwrap<ActionBody>(await call(action, postForm(PATH, [["draft", draft]], instructor.cookie), params));
    expect(res.body.kind === "draft-errors" && res.body.errors).toEqual([
      { line, column: 1, field: "model", message: expect.stringMatching(/embeddings model/) },
    ]);
  });

  it("refuses a draft of another exercise, pointing at its slug", async () => {
    const draft = draftWith((doc) => doc.set("slug", "some-other-exercise"));
    const res = unwrap<ActionBody>(await call(action, postForm(PATH, [["draft", draft]], instructor.cookie), params));
    expect(res.status).toBe(400);
    expect(res.body.kind === "draft-errors" && res.body.errors[0]).toMatchObject({ line: 1, field: "slug" });
  });

  it(`refuses more than ${MAX_SAMPLES} samples with a message, not a 500`, async () => {
    const entries = Array.from({ length: MAX_SAMPLES + 1 }, (_, i): [string, string][] => [
      ["sample", `Prompt ${i}: {{input}}`],
      ["expect", "fail"],
    ]).flat();
    const res = await calibrate(entries, instructor.cookie);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ kind: "invalid", errors: { samples: expect.stringContaining("At most 20") } });
  });

  it("answers 404 for an unknown exercise without a draft", async () => {
    const res = unwrap<ActionBody>(
      await call(action, postForm("/author/exercises/no-such-exercise/calibrate", [], instructor.cookie), {
        slug: "no-such-exercise",
      }),
    );
    expect(res.status).toBe(404);
  });
});

describe("calibration by the LLM judge (fake provider)", () => {
  let fake: FakeProviderServer | undefined;

  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function liveContext(handler: Handler = gradingHandler()): Promise<PreviewContext> {
    fake = createFakeOpenAIServer({ handler });
    await fake.start();
    return {
      database: db(),
      provider: createOpenAICompatible({ baseURL: fake.url, timeoutMs: 5000 }),
      limiter: createLimiter(4),
      judge: { model: getModel("gpt-4.1-mini"), providerModel: "gpt-4.1-mini" },
      cfg: { LLM_RETRY_BUDGET_MINUTES: 0.05, CACHE_TTL_HOURS: 24, SEMANTIC_CACHE_THRESHOLD: 0.97 },
    };
  }

  /** A draft whose test inputs no other test sent, so no call is answered from the cache. */
  function uniqueDraft(): string {
    const marker = `calibration run ${process.pid}-${Date.now()}-${Math.random()}`;
    return draftWith((doc) => {
      const inputs = doc.get("test_inputs") as {
        items: { get(k: string): unknown; set(k: string, v: unknown): void }[];
      };
      for (const item of inputs.items) item.set("input", `${String(item.get("input"))}\n(${marker})`);
    });
  }

  function subjectOf(draft: string) {
    const subject = calibrationSubject(db(), SLUG, draft);
    if (!subject?.ok) throw new Error("the draft should be valid");
    return subject.subject;
  }

  function previewRows(userId: number) {
    return db()
      .select()
      .from(modelCalls)
      .where(and(eq(modelCalls.userId, userId), eq(modelCalls.purpose, "preview")))
      .all();
  }

  it("grades every prompt by both judges and records each call as a preview tagged to the instructor", async () => {
    const ctx = await liveContext();
    const who = await makeUser({ teamId, roles: ["instructor"] });
    const subject = subjectOf(uniqueDraft());
    const c = await calibrateExercise({
      database: db(),
      subject,
      samples: [{ prompt: "Summarise: {{input}}", expect: "fail" }],
      instructor: { id: who.id, teamId, departmentId },
      live: ctx,
    });

    const inputs = subject.exercise.test_inputs.length;
    expect(c.llm).toMatchObject({ state: "ran", judgeModel: "gpt-4.1-mini", targetModel: "gpt-4.1-mini" });
    // The fake judge gives 8/10 on every criterion: quality 80 for every prompt.
    expect(c.prompts.map((p) => [p.role, p.llm?.quality, p.llm?.passed])).toEqual([
      ["starting", 80, false], // fails its required token budget whatever the outputs are
      ["reference", 80, true],
      ["sample", 80, true],
    ]);
    expect(c.prompts.every((p) => p.llm?.inputs.length === inputs && p.llmError === null)).toBe(true);
    // A judge that grades every output alike cannot tell the reference from the starting prompt, and passes the
    // terse sample the offline judge rightly fails.
    expect(codes(c)).toEqual(["llm:narrow-margin", "llm:sample-disagrees"]);
    expect(c.agreement.map((a) => a.text)).toEqual([
      "1 of 1 sample graded as you expected (100%) by the offline judge.",
      "0 of 1 sample graded as you expected (0%) by the LLM judge.",
    ]);

    const rows = previewRows(who.id);
    expect(rows).toHaveLength(3 * inputs * 2);
    expect(fake!.requests.filter(isJudgeRequest)).toHaveLength(3 * inputs);
    expect(fake!.requests).toHaveLength(3 * inputs * 2);
    for (const row of rows)
      expect(row).toMatchObject({
        purpose: "preview",
        status: "ok",
        cacheHit: false,
        userId: who.id,
        teamId,
        departmentId,
        exerciseId: exerciseId(SLUG),
        attemptId: null,
        provider: "openai-compatible",
      });
    expect(rows.every((r) => r.courseId !== null && r.costMicros > 0)).toBe(true);
    const spent = rows.reduce((s, r) => s + r.costMicros, 0);
    expect(c.llm.state === "ran" && c.llm.costMicros).toBe(spent);
    // The run's budget hold is settled once its real cost is in the ledger.
    const held = db()
      .select()
      .from(budgetReservations)
      .where(and(eq(budgetReservations.teamId, teamId), eq(budgetReservations.status, "held")))
      .all();
    expect(held).toEqual([]);
  });

  it("shows the offline grades only, and makes no call, when the instructor's team budget blocks", async () => {
    const ctx = await liveContext();
    const deptId = db()
      .insert(departments)
      .values({ name: `Calibration broke ${process.pid}`, costCentre: `CC-CALB${process.pid}` })
      .returning()
      .get().id;
    const brokeTeam = db().insert(teams).values({ name: "Broke team", departmentId: deptId }).returning().get().id;
    setBudget(db(), { scope: "team", scopeId: brokeTeam, monthlyLimitMicros: 1 });
    const who = await makeUser({ teamId: brokeTeam, roles: ["instructor"] });
    const c = await calibrateExercise({
      database: db(),
      subject: subjectOf(uniqueDraft()),
      samples: [],
      instructor: { id: who.id, teamId: brokeTeam, departmentId: deptId },
      live: ctx,
    });
    expect(c.llm.state).toBe("blocked");
    expect(c.llm.state === "blocked" && c.llm.message).toMatch(
      /^Your team's monthly model budget \(\$0\.000001\) .*the LLM judge did not run/,
    );
    expect(c.prompts.map((p) => [p.role, p.offline.passed, p.llm])).toEqual([
      ["starting", false, null],
      ["reference", true, null],
    ]);
    expect(c.warnings).toEqual([]);
    expect(fake!.requests).toHaveLength(0);
    expect(previewRows(who.id)).toEqual([]);
  });

  it("shows a provider failure on the prompt it hit, records the failed call, and grades the rest", async () => {
    const failing = "Summarise, and this sample's calls fail: {{input}}";
    const ctx = await liveContext(
      gradingHandler({
        target: (req) =>
          req.messages[0].content.startsWith("Summarise, and this sample")
            ? { status: 400, message: "the model refused this request" }
            : { text: `Echo: ${req.messages[0].content}` },
      }),
    );
    const who = await makeUser({ teamId, roles: ["instructor"] });
    const c = await calibrateExercise({
      database: db(),
      subject: subjectOf(uniqueDraft()),
      samples: [{ prompt: failing, expect: "fail" }],
      instructor: { id: who.id, teamId, departmentId },
      live: ctx,
    });
    const sample = c.prompts.find((p) => p.role === "sample")!;
    expect(sample.llm).toBeNull();
    expect(sample.llmError).toMatch(/^The call to gpt-4.1-mini failed: .*refused/);
    expect(c.prompts.find((p) => p.role === "reference")?.llm?.passed).toBe(true);
    expect(previewRows(who.id).filter((r) => r.status === "error").length).toBeGreaterThan(0);
  });
});
