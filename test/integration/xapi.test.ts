import { eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xapiStatements } from "#db/schema";
import { db } from "~/.server/db";
import {
  buildStatement,
  gradedAttempts,
  isoDuration,
  plainSummary,
  sendPendingStatements,
  statementId,
  statementPages,
  statementsStream,
  uuidV5,
  type XapiStatement,
} from "~/.server/xapi";
import { action as xapiAction } from "~/routes/xapi._index";
import { loader as downloadLoader } from "~/routes/xapi.statements[.]json";
import { type FakeLrs, startFakeLrs } from "../fakes/lrs-server";
import { call, get, post, unwrap } from "./harness";
import { type Org, seedOrg } from "./org-fixture";

const PUBLIC_URL = "https://tokenwise.example.com";
let org: Org;
beforeAll(async () => {
  org = await seedOrg();
});

function attemptById(attemptId: number) {
  const found = gradedAttempts(db(), undefined).find((a) => a.attemptId === attemptId);
  if (!found) throw new Error(`no graded attempt ${attemptId}`);
  return found;
}

describe("building a statement", () => {
  it("makes RFC 4122 version-5 ids (the standard test vector) and one stable id per attempt", () => {
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
    expect(statementId("http://localhost:3000", 1)).toBe("136ad460-4410-5484-a78c-b3a4b4209b26");
    expect(statementId("http://localhost:3000/", 1)).toBe(statementId("http://localhost:3000", 1));
    expect(statementId(PUBLIC_URL, 1)).not.toBe(statementId(PUBLIC_URL, 2));
  });

  it("writes durations in ISO 8601 with hundredths of a second", () => {
    expect(isoDuration(0)).toBe("PT0S");
    expect(isoDuration(1500)).toBe("PT1.5S");
    expect(isoDuration(65_250)).toBe("PT1M5.25S");
    expect(isoDuration(3_600_000)).toBe("PT1H");
    expect(isoDuration(3_723_000)).toBe("PT1H2M3S");
  });

  it("states a passing attempt as 'passed' with the scaled score, success, completion and cost extensions", () => {
    const s = buildStatement(attemptById(org.anaBestCompress), PUBLIC_URL);
    expect(s.id).toBe(statementId(PUBLIC_URL, org.anaBestCompress));
    expect(s.actor).toEqual({ objectType: "Agent", name: "Ana Heavy", mbox: "mailto:ana.heavy@fixture.example" });
    expect(s.verb).toEqual({ id: "http://adlnet.gov/expapi/verbs/passed", display: { "en-US": "passed" } });
    expect(s.object.id).toBe(`${PUBLIC_URL}/exercises/compress-ticket-summary`);
    expect(s.object.definition.type).toBe("http://adlnet.gov/expapi/activities/assessment");
    expect(s.object.definition.name["en-US"]).toBeTruthy();
    // The brief's first paragraph of prose, its figures rendered: not its "## Why this costs money" heading.
    const description = s.object.definition.description["en-US"];
    expect(description).toMatch(/^Every new support ticket at Northwind Outfitters is summarised by a model/);
    expect(description).not.toContain("[[");
    expect(description).not.toContain("#");
    expect(s.result).toMatchObject({
      score: { scaled: 1, raw: 1000, min: 0, max: 1000 },
      success: true,
      completion: true,
      duration: "PT1.5S",
    });
    expect(s.result.extensions).toMatchObject({
      "https://tokenwise.dev/xapi/tokens": 100,
      "https://tokenwise.dev/xapi/baseline-tokens": 400,
      "https://tokenwise.dev/xapi/cost-micros": 2000,
      "https://tokenwise.dev/xapi/monthly-cost-micros": 2_000_000,
      "https://tokenwise.dev/xapi/baseline-monthly-cost-micros": 9_000_000,
      "https://tokenwise.dev/xapi/grading-cost-micros": 0,
    });
    expect(s.context.contextActivities.parent).toEqual([
      {
        objectType: "Activity",
        id: `${PUBLIC_URL}/courses/prompt-compression`,
        definition: { type: "http://adlnet.gov/expapi/activities/course", name: { "en-US": expect.any(String) } },
      },
    ]);
    expect(s.timestamp).toBe("2026-03-17T10:04:01.500Z");
  });

  it("states a failing attempt as 'failed', completed but not successful", () => {
    const s = buildStatement(attemptById(org.halFail), PUBLIC_URL);
    expect(s.verb.id).toBe("http://adlnet.gov/expapi/verbs/failed");
    expect(s.result).toMatchObject({ success: false, completion: true, score: { scaled: 0.3, raw: 300 } });
  });
});

async function download(cookie: string, query = ""): Promise<{ status: number; statements: XapiStatement[] }> {
  const res = (await call(downloadLoader, get(`/xapi/statements.json${query}`, cookie))) as Response;
  return { status: res.status, statements: res.status === 200 ? await res.json() : [] };
}

describe("downloading statements", () => {
  it("gives a learner only their own, a manager their team's, and an admin everyone's", async () => {
    const ben = await download(org.user.ben.cookie);
    expect(ben.statements.map((s) => s.actor.name)).toEqual(["Ben Alpha"]);
    const mia = await download(org.user.mia.cookie);
    expect(new Set(mia.statements.map((s) => s.actor.name))).toEqual(new Set(["Ana Heavy", "Ben Alpha"]));
    expect(mia.statements).toHaveLength(12);
    const pat = await download(org.user.pat.cookie);
    expect(pat.statements).toHaveLength(18);
  });

  it("filters by the graded day, both ends included, and sends the xAPI version header", async () => {
    const res = (await call(
      downloadLoader,
      get("/xapi/statements.json?from=2026-03-10", org.user.pat.cookie),
    )) as Response;
    expect(res.headers.get("X-Experience-API-Version")).toBe("1.0.3");
    expect(res.headers.get("Content-Disposition")).toMatch(/attachment/);
    expect(((await res.json()) as XapiStatement[]).length).toBe(13); // not Ana's four of 03-03 nor Hal's of 02-06
    expect((await download(org.user.pat.cookie, "?to=2026-03-03")).statements).toHaveLength(5);
    expect((await download(org.user.pat.cookie, "?from=2026-03-03&to=2026-03-03")).statements).toHaveLength(4);
  });

  it("reads statements a page at a time, and streams them as one JSON array", async () => {
    const admin = { id: org.user.pat.id, roles: ["admin" as const] };
    const pages = [...statementPages(db(), admin, {}, PUBLIC_URL, 5)];
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 3]);
    const text = await new Response(statementsStream(statementPages(db(), admin, {}, PUBLIC_URL, 5))).text();
    expect((JSON.parse(text) as XapiStatement[]).map((s) => s.id)).toEqual(pages.flat().map((s) => s.id));
    const none = statementPages(db(), admin, { from: new Date("2030-01-01T00:00:00Z") }, PUBLIC_URL, 5);
    expect(JSON.parse(await new Response(statementsStream(none)).text())).toEqual([]);
  });

  it("answers 400 naming a malformed or reversed period", async () => {
    expect((await download(org.user.pat.cookie, "?from=2026-13-01")).status).toBe(400);
    expect((await download(org.user.pat.cookie, "?from=2026-03-10&to=2026-03-01")).status).toBe(400);
  });
});

describe("sending to a learning record store", () => {
  let fake: FakeLrs;
  beforeAll(async () => {
    fake = await startFakeLrs();
  });
  afterAll(() => fake.close());

  const lrs = () => ({
    url: fake.url,
    username: "lrs-user",
    password: "lrs-pass",
    publicUrl: PUBLIC_URL,
    batchSize: 5,
  });

  it("does nothing when no LRS is configured", async () => {
    expect(await sendPendingStatements(db(), globalThis.fetch, null)).toMatchObject({ configured: false, sent: 0 });
    expect(db().select().from(xapiStatements).all()).toHaveLength(0);
  });

  it("keeps statements unsent with the LRS's reason when it refuses, and stops there", async () => {
    fake.failNext(1, "LRS is down for maintenance");
    const report = await sendPendingStatements(db(), globalThis.fetch, lrs());
    expect(report).toMatchObject({ configured: true, queued: 18, sent: 0, failed: 5 });
    expect(report.error).toBe("LRS answered HTTP 503: LRS is down for maintenance");
    const rows = db().select().from(xapiStatements).all();
    expect(rows).toHaveLength(18);
    expect(rows.every((r) => r.sentAt === null)).toBe(true);
    expect(rows.filter((r) => r.lastError !== null)).toHaveLength(5);
    expect(fake.received).toHaveLength(0);
  });

  it("sends everything in batches with basic auth and the version header, and records when", async () => {
    const report = await sendPendingStatements(db(), globalThis.fetch, lrs());
    expect(report).toMatchObject({ configured: true, queued: 0, sent: 18, failed: 0, error: null });
    expect(fake.received.map((r) => r.body.length)).toEqual([5, 5, 5, 3]);
    const first = fake.received[0].headers;
    expect(first["x-experience-api-version"]).toBe("1.0.3");
    expect(first["content-type"]).toBe("application/json");
    expect(first.authorization).toBe(`Basic ${Buffer.from("lrs-user:lrs-pass").toString("base64")}`);
    const ids = fake.received.flatMap((r) => r.body.map((s) => s.id));
    expect(new Set(ids).size).toBe(18);
    expect(ids).toContain(statementId(PUBLIC_URL, org.anaBestCompress));
    expect(db().select().from(xapiStatements).where(isNull(xapiStatements.sentAt)).all()).toHaveLength(0);
    expect(
      db()
        .select()
        .from(xapiStatements)
        .all()
        .every((r) => r.lastError === null),
    ).toBe(true);
  });

  it("sends nothing twice", async () => {
    const before = fake.received.length;
    expect(await sendPendingStatements(db(), globalThis.fetch, lrs())).toMatchObject({ queued: 0, sent: 0 });
    expect(fake.received).toHaveLength(before);
  });

  it("records an unreachable LRS as an error instead of throwing", async () => {
    const down = { ...lrs(), url: "http://127.0.0.1:9/xapi/statements" };
    const statement = db().select().from(xapiStatements).get()!;
    db().update(xapiStatements).set({ sentAt: null }).where(eq(xapiStatements.id, statement.id)).run();
    const report = await sendPendingStatements(db(), globalThis.fetch, down);
    expect(report.error).toMatch(/^LRS unreachable/);
    expect(db().select().from(xapiStatements).where(eq(xapiStatements.id, statement.id)).get()!.lastError).toMatch(
      /unreachable/,
    );
  });

  it("lets only an admin trigger sending from the page, and says when no LRS is configured", async () => {
    const res = (await call(xapiAction, post("/xapi", {}, org.user.mia.cookie))) as Response;
    expect(res.status).toBe(403);
    const admin = unwrap<{ message: string }>(await call(xapiAction, post("/xapi", {}, org.user.pat.cookie)));
    expect(admin.status).toBe(409);
    expect(admin.body.message).toMatch(/XAPI_LRS_URL/);
  });
});

describe("plainSummary (the activity description)", () => {
  it("skips headings, keeps the first paragraph of prose as plain text, and cuts it at the limit", () => {
    expect(plainSummary("## Why this costs money\n\nEvery **ticket** is `summarised` by [a model](x).\n\nMore.")).toBe(
      "Every ticket is summarised by a model.",
    );
    expect(plainSummary("# Title\nFirst line under the title.\n\nSecond.")).toBe("First line under the title.");
    expect(plainSummary("## Only a heading")).toBe("");
    expect(plainSummary(`${"word ".repeat(100)}`, 20)).toBe("word word word word…");
  });
});
