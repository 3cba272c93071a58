import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { exercises, exerciseVersions } from "#db/schema";
import { fieldReference } from "~/.server/authoring/field-reference";
import { TEMPLATE_PLACEHOLDERS } from "~/.server/authoring/template";
import { db } from "~/.server/db";
import { exerciseFileSchema } from "~/domain/exercise";
import * as calibrateRoute from "~/routes/author.exercises.$slug.calibrate";
import * as editRoute from "~/routes/author.exercises.$slug.edit";
import * as newRoute from "~/routes/author.exercises.new";
import * as referenceRoute from "~/routes/author.reference";
import * as validateRoute from "~/routes/author.validate";
import { call, get, makeUser, post, ready, unwrap } from "./harness";

/**
 * Safe publishing: publish shows the learner preview and the diff against the live version and waits for a
 * confirmation bound to that text and that live version; leftover template text is refused; every validation error
 * comes at once; calibration samples are kept per exercise; the field reference is a page.
 */

const base = readFileSync("exercises/prompt-compression/01-compress-ticket-summary.yaml", "utf8");
let n = 0;
const newSlug = () => `safe-pub-${++n}-${process.pid}`;
const textFor = (slug: string, edit: (t: string) => string = (t) => t) =>
  edit(base.replace(/^slug: .*$/m, `slug: ${slug}`).replace(/^title: .*$/m, `title: Safe ${slug}`));

let instructor: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  await ready();
  instructor = await makeUser({ roles: ["instructor"] });
});

type Outcome = {
  ok: boolean;
  message: string;
  errors?: { line: number; column: number; field: string; message: string }[];
  review?: {
    token: string;
    liveVersion: number | null;
    diff: { added: number; removed: number; rows: { op: string; text?: string }[] } | null;
    preview: Record<string, unknown>;
  };
};

const edit = async (slug: string, fields: Record<string, string>) =>
  unwrap<Outcome>(
    await call(editRoute.action, post(`/author/exercises/${slug}/edit`, fields, instructor.cookie), { slug }),
  );
const versionOf = (slug: string) =>
  db()
    .select({ version: exerciseVersions.version })
    .from(exercises)
    .leftJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .where(eq(exercises.slug, slug))
    .get()?.version ?? null;

/** A new exercise through the new page: "Publish" saves it as a draft and sends the author to its review. */
async function draftViaNewPage(text: string): Promise<string> {
  const res = (await call(
    newRoute.action,
    post("/author/exercises/new", { intent: "publish", text }, instructor.cookie),
  )) as Response;
  expect(res.status).toBe(302);
  const slug = /\/author\/exercises\/([^/]+)\/edit\?review=1$/.exec(res.headers.get("Location") ?? "")?.[1];
  if (!slug) throw new Error(`no review redirect: ${res.headers.get("Location")}`);
  return slug;
}

describe("publishing asks to confirm what learners will see and what changes", () => {
  it("a first publish shows the learner preview (no reference solution) and publishes only on confirmation", async () => {
    const slug = await draftViaNewPage(textFor(newSlug()));
    expect(versionOf(slug)).toBeNull();
    const page = unwrap<{ review: Outcome["review"] }>(
      await call(editRoute.loader, get(`/author/exercises/${slug}/edit?review=1`, instructor.cookie), { slug }),
    ).body;
    expect(page.review?.liveVersion).toBeNull();
    expect(page.review?.diff).toBeNull();
    expect(page.review?.preview.title).toBe(`Safe ${slug}`);
    expect(JSON.stringify(page.review)).not.toContain("reference_solution");

    const confirmed = await edit(slug, { intent: "publish", text: textFor(slug), confirm: page.review!.token });
    expect(confirmed.body).toMatchObject({ ok: true, message: "Published version 1." });
    expect(versionOf(slug)).toBe(1);
  });

  it("a new version shows the line diff against the live one; an edit after the review, or another publish meanwhile, needs a new review", async () => {
    const slug = await draftViaNewPage(textFor(newSlug()));
    const first = await edit(slug, { intent: "publish", text: textFor(slug) });
    await edit(slug, { intent: "publish", text: textFor(slug), confirm: first.body.review!.token });
    expect(versionOf(slug)).toBe(1);

    const v2 = textFor(slug, (t) => t.replace(/^pass_mark: \d+/m, "pass_mark: 80"));
    const review = await edit(slug, { intent: "publish", text: v2 });
    expect(review.status).toBe(200);
    expect(review.body.ok).toBe(false);
    expect(versionOf(slug)).toBe(1);
    expect(review.body.review).toMatchObject({ liveVersion: 1, diff: { added: 1, removed: 1 } });
    expect(review.body.review!.diff!.rows.filter((r) => r.op === "added").map((r) => r.text)).toEqual([
      "pass_mark: 80",
    ]);

    // The author changed the text after reviewing: the old confirmation does not publish it.
    const v2b = textFor(slug, (t) => t.replace(/^pass_mark: \d+/m, "pass_mark: 85"));
    const stale = await edit(slug, { intent: "publish", text: v2b, confirm: review.body.review!.token });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/changed since your review/);
    expect(versionOf(slug)).toBe(1);

    // Someone else publishes v2b meanwhile: a review made against v1 no longer confirms anything.
    const otherReview = await edit(slug, { intent: "publish", text: v2b });
    await edit(slug, { intent: "publish", text: v2b, confirm: stale.body.review!.token });
    expect(versionOf(slug)).toBe(2);
    const late = await edit(slug, { intent: "publish", text: v2b, confirm: otherReview.body.review!.token });
    expect(late.status).toBe(409);
    expect(late.body.review).toMatchObject({ liveVersion: 2, diff: { added: 0, removed: 0 } });

    // A forged token publishes nothing either.
    const forged = await edit(slug, { intent: "publish", text: v2, confirm: "x".repeat(43) });
    expect(forged.status).toBe(409);
    expect(versionOf(slug)).toBe(2);
  });
});

describe("leftover template text", () => {
  it("the untouched new-exercise template is refused with every placeholder named, and nothing is stored", async () => {
    const page = unwrap<{ text: string; initial: { errors: Outcome["errors"]; preview: unknown } }>(
      await call(newRoute.loader, get("/author/exercises/new?course=prompt-compression", instructor.cookie)),
    ).body;
    // The preview still works while the placeholders are listed.
    expect(page.initial.preview).not.toBeNull();
    expect(page.initial.errors?.map((e) => e.field)).toEqual(TEMPLATE_PLACEHOLDERS.map((p) => p.field));
    const res = unwrap<Outcome>(
      await call(
        newRoute.action,
        post("/author/exercises/new", { intent: "publish", text: page.text }, instructor.cookie),
      ),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(TEMPLATE_PLACEHOLDERS.length);
    expect(res.body.errors?.every((e) => /placeholder/.test(e.message))).toBe(true);
    expect(db().select().from(exercises).where(eq(exercises.slug, "new-exercise")).get()).toBeUndefined();
  });

  it("one placeholder left in the brief of a published exercise's new version is refused at its line", async () => {
    const slug = await draftViaNewPage(textFor(newSlug()));
    const first = await edit(slug, { intent: "publish", text: textFor(slug) });
    await edit(slug, { intent: "publish", text: textFor(slug), confirm: first.body.review!.token });
    const leftover = textFor(slug, (t) => t.replace(/^brief: \|\n/m, "brief: |\n  - the first requirement;\n"));
    const res = await edit(slug, { intent: "publish", text: leftover });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        field: "brief",
        line: leftover.split("\n").indexOf("  - the first requirement;") + 1,
        column: 3,
      }),
    ]);
  });
});

describe("every validation error at once", () => {
  it("a schema error, an unknown course and an unknown model come in one answer, each at its line", async () => {
    const text = textFor(newSlug(), (t) =>
      t
        .replace(/^difficulty: \d+/m, "difficulty: 9")
        .replace(/^course: .*/m, "course: no-such-course")
        .replace(/^model: .*/m, "model: no-such-model"),
    );
    const res = (await call(validateRoute.action, post("/author/validate", { text }, instructor.cookie))) as Response;
    const { errors } = (await res.json()) as { errors: { field: string; line: number }[] };
    const lineOf = (prefix: string) => text.split("\n").findIndex((l) => l.startsWith(prefix)) + 1;
    expect(errors).toEqual([
      expect.objectContaining({ field: "course", line: lineOf("course:") }),
      expect.objectContaining({ field: "difficulty", line: lineOf("difficulty:") }),
      expect.objectContaining({ field: "model", line: lineOf("model:") }),
    ]);
  });

  it("field errors and the rules across fields come in one answer, each naming its field; fixing the fields brings no second wave", async () => {
    const lineOf = (t: string, prefix: string) => t.split("\n").findIndex((l) => l.startsWith(prefix)) + 1;
    // Rules across fields and items, all broken beside two field errors (one of the wrong type, which makes the
    // schema skip its own refinements): a duplicate check id, a duplicate requirement id, the {{input}} placeholder
    // missing from both prompts, a requirement phrase that is a broken regular expression, an unknown brief figure.
    const broken = (t: string) =>
      t
        .replace("  - id: keeps-input", "  - id: token-budget")
        .replace("  - id: three-bullets\n    level", "  - id: summarise\n    level")
        .replace(/^ {2}\{\{input\}\}$/gm, "  (the ticket)")
        .replace("          summarise,\n", '          "/sum(mar/",\n')
        .replace("[[par_tokens]] tokens", "[[par_tokenz]] tokens");
    const fieldErrors = (t: string) =>
      t.replace(/^par_tokens: \d+/m, "par_tokens: lots").replace(/^pass_mark: \d+/m, "pass_mark: 500");
    const text = fieldErrors(broken(textFor(newSlug())));
    const validate = async (t: string) => {
      const res = (await call(
        validateRoute.action,
        post("/author/validate", { text: t }, instructor.cookie),
      )) as Response;
      return ((await res.json()) as { errors: { field: string; line: number; message: string }[] }).errors;
    };
    const first = await validate(text);
    const fields = first.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "par_tokens",
        "pass_mark",
        "checks[1].id",
        "requirements[1].id",
        "starting_prompt",
        "reference_solution",
        "requirements[0].all_of[0][0]",
        "brief",
      ]),
    );
    expect(first.find((e) => e.field === "checks[1].id")).toMatchObject({
      // The second of the two, where the duplicate is.
      line: text.split("\n").lastIndexOf("  - id: token-budget") + 1,
      message: 'duplicate check id "token-budget"',
    });
    expect(first.find((e) => e.field === "par_tokens")?.line).toBe(lineOf(text, "par_tokens:"));
    expect(first.find((e) => e.field === "brief")?.message).toMatch(/par_tokenz/);
    // Each error once, in the order of the file.
    expect(new Set(first.map((e) => `${e.field}:${e.message}`)).size).toBe(first.length);
    expect(first.map((e) => e.line)).toEqual([...first.map((e) => e.line)].sort((a, b) => a - b));

    // The author fixes only the two field errors: what remains was all in the first answer.
    const second = await validate(broken(textFor(newSlug())).replace(/^slug: .*$/m, text.match(/^slug: .*$/m)![0]));
    const key = (e: { field: string; message: string }) => `${e.field}:${e.message}`;
    expect(second.length).toBeGreaterThan(0);
    for (const e of second) expect(first.map(key), key(e)).toContain(key(e));
    expect(second.map((e) => e.field)).not.toContain("par_tokens");

    // The new-exercise form's "Publish" answers the same list, and stores nothing.
    const publish = unwrap<Outcome>(
      await call(newRoute.action, post("/author/exercises/new", { intent: "publish", text }, instructor.cookie)),
    );
    expect(publish.status).toBe(400);
    expect(publish.body.errors?.map(key)).toEqual(first.map(key));
  });

  it("a YAML syntax error alone is reported alone (nothing else can be read)", async () => {
    const res = (await call(
      validateRoute.action,
      post("/author/validate", { text: "slug: [unclosed\ncourse: nope\n" }, instructor.cookie),
    )) as Response;
    const { errors } = (await res.json()) as { errors: { field: string }[] };
    expect(errors.every((e) => e.field === "(syntax)")).toBe(true);
  });
});

describe("calibration samples are kept per exercise", () => {
  it("the samples of a calibration are stored, listed on the exercise's page and offered on the next calibration", async () => {
    const slug = await draftViaNewPage(textFor(newSlug()));
    const first = await edit(slug, { intent: "publish", text: textFor(slug) });
    await edit(slug, { intent: "publish", text: textFor(slug), confirm: first.body.review!.token });
    const form = new URLSearchParams();
    for (const [sample, expectGrade, min] of [
      ["Summarise the ticket in one line: {{input}}", "pass", "500"],
      ["Tell me a joke", "fail", ""],
    ]) {
      form.append("sample", sample);
      form.append("expect", expectGrade);
      form.append("min", min);
      form.append("max", "");
    }
    const request = new Request(`http://localhost/author/exercises/${slug}/calibrate`, {
      method: "POST",
      body: form,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: instructor.cookie },
    });
    const ran = unwrap<{ kind: string }>(await call(calibrateRoute.action, request, { slug }));
    expect(ran.body.kind).toBe("calibrated");

    const page = unwrap<{ samples: { samples: { prompt: string; expect: string; minScore?: number }[] } | null }>(
      await call(editRoute.loader, get(`/author/exercises/${slug}/edit`, instructor.cookie), { slug }),
    ).body;
    expect(page.samples?.samples).toEqual([
      { prompt: "Summarise the ticket in one line: {{input}}", expect: "pass", minScore: 500 },
      { prompt: "Tell me a joke", expect: "fail" },
    ]);
    const next = unwrap<{ kept: { sample: string; expect: string; min: string }[] | null }>(
      await call(calibrateRoute.loader, get(`/author/exercises/${slug}/calibrate`, instructor.cookie), { slug }),
    ).body;
    expect(next.kept?.map((r) => [r.sample, r.expect, r.min])).toEqual([
      ["Summarise the ticket in one line: {{input}}", "pass", "500"],
      ["Tell me a joke", "fail", ""],
    ]);
    // Another exercise has its own (none).
    const other = unwrap<{ samples: unknown }>(
      await call(editRoute.loader, get("/author/exercises/compress-ticket-summary/edit", instructor.cookie), {
        slug: "compress-ticket-summary",
      }),
    ).body;
    expect(other.samples).toBeNull();
  });
});

describe("the field reference is a page in the app", () => {
  it("serves exercises/README.md to instructors, names every field of the exercise schema, and refuses learners", async () => {
    const page = unwrap<{ markdown: string }>(
      await call(referenceRoute.loader, get("/author/reference", instructor.cookie)),
    );
    expect(page.status).toBe(200);
    expect(page.body.markdown).toBe(readFileSync("exercises/README.md", "utf8"));
    const shape = (exerciseFileSchema as unknown as { _def: { schema: { shape: Record<string, unknown> } } })._def
      .schema.shape;
    for (const field of Object.keys(shape)) expect(fieldReference(), field).toContain(`\`${field}\``);
    const learner = await makeUser();
    expect(unwrap(await call(referenceRoute.loader, get("/author/reference", learner.cookie))).status).toBe(403);
  });
});
