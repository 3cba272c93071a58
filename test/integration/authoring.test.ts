import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, exercises, exerciseVersions } from "#db/schema";
import { getCourseLessons } from "~/.server/authoring/catalog";
import { syncContent } from "~/.server/content";
import { db, openDb } from "~/.server/db";
import type { ExerciseFile } from "~/domain/exercise";
import { parseExerciseText } from "~/exercises/load.server";
import * as authorIndex from "~/routes/author._index";
import * as authorCourse from "~/routes/author.courses.$slug";
import * as editRoute from "~/routes/author.exercises.$slug.edit";
import * as exportRoute from "~/routes/author.exercises.$slug.export";
import * as versionsRoute from "~/routes/author.exercises.$slug.versions";
import * as newRoute from "~/routes/author.exercises.new";
import * as importRoute from "~/routes/author.import";
import * as validateRoute from "~/routes/author.validate";
import ExercisePage, { action as learnerAction, loader as learnerLoader } from "~/routes/exercises.$slug";
import { call, get, makeUser, post, ready, unwrap } from "./harness";

/**
 * Authoring in the app, end to end through the real loaders and actions: who may author, the round
 * trip with exercises/ files, validation with line numbers, drafts and archived exercises hidden
 * from learners, versions and their diff, and attempts that keep the version they were graded on.
 */

const SOURCE_FILE = "exercises/prompt-compression/01-compress-ticket-summary.yaml";
const COURSE = "prompt-compression";
const FILE_SLUG = "compress-ticket-summary";
const HIDDEN_LABEL = "HIDDEN-OUTPUT-CHECK-LABEL";

const base = readFileSync(SOURCE_FILE, "utf8");
const reference = parseExerciseText(base, SOURCE_FILE);
if (!reference.ok) throw new Error("the source exercise must be valid");
const REFERENCE_SOLUTION = reference.exercise.reference_solution;

/** A valid exercise file for the app: the first course exercise under a new slug, with a hidden output check. */
function exerciseText(slug: string, edit: (text: string) => string = (t) => t): string {
  const text = base
    .replace(/^slug: .*$/m, `slug: ${slug}`)
    .replace(/^title: .*$/m, `title: App-made ${slug}`)
    .replace(/\n*$/, "\n");
  return edit(
    `${text}output_checks:\n  - id: hidden-check\n    kind: contains\n    label: ${HIDDEN_LABEL}\n    value: ESCALATE\n`,
  );
}

const lineOf = (text: string, prefix: string) => text.split("\n").findIndex((l) => l.startsWith(prefix)) + 1;

let instructor: Awaited<ReturnType<typeof makeUser>>;
let slugCounter = 0;
const newSlug = () => `app-made-${++slugCounter}-${process.pid}`;

beforeAll(async () => {
  await ready();
  instructor = await makeUser({ roles: ["instructor"] });
});

/**
 * Publishes a new exercise the way the pages do: "Publish" on the new page saves the draft and opens its review on
 * the edit page, whose "Confirm and publish" sends the review's token. Returns where the author ends up.
 */
async function publishNew(text: string) {
  const res = await call(
    newRoute.action,
    post("/author/exercises/new", { intent: "publish", text }, instructor.cookie),
  );
  if (!(res instanceof Response) || res.status !== 302)
    throw new Error(`publish failed: ${JSON.stringify(unwrap(res).body)}`);
  const location = res.headers.get("Location") ?? "";
  const slug = /\/author\/exercises\/([^/]+)\/edit\?review=1$/.exec(location)?.[1];
  if (!slug) throw new Error(`expected the review page, got ${location}`);
  const review = unwrap<{ review: { token: string } | null }>(
    await call(editRoute.loader, get(location, instructor.cookie), { slug }),
  ).body.review;
  if (!review) throw new Error("the edit page showed no review");
  const confirmed = await confirmEdit(slug, text, review.token);
  if (!confirmed.body.ok) throw new Error(`confirming failed: ${JSON.stringify(confirmed.body)}`);
  return `/author/exercises/${slug}/edit?published=${/version (\d+)/.exec(confirmed.body.message)?.[1]}`;
}

function confirmEdit(slug: string, text: string, confirm?: string) {
  return call(
    editRoute.action,
    post(
      `/author/exercises/${slug}/edit`,
      { intent: "publish", text, ...(confirm ? { confirm } : {}) },
      instructor.cookie,
    ),
    { slug },
  ).then((r) =>
    unwrap<{
      ok: boolean;
      message: string;
      errors?: { line: number; field: string; message: string }[];
      review?: { token: string; liveVersion: number | null; diff: { added: number; removed: number } | null };
    }>(r),
  );
}

/** "Publish" then "Confirm and publish" on the edit page; a refusal at the first step is returned as it is. */
async function publishEdit(slug: string, text: string) {
  const first = await confirmEdit(slug, text);
  if (!first.body.review) return first;
  return confirmEdit(slug, text, first.body.review.token);
}

async function validate(text: string, slug?: string) {
  const res = (await call(
    validateRoute.action,
    post("/author/validate", { text, ...(slug ? { slug } : {}) }, instructor.cookie),
  )) as Response;
  return (await res.json()) as {
    errors: { line: number; column: number; field: string; message: string }[];
    preview: Record<string, unknown> | null;
  };
}

function upload(fileName: string, text: string, cookie: string, publish: boolean): Request {
  const form = new FormData();
  form.set("file", new File([text], fileName, { type: "application/yaml" }));
  if (publish) form.set("publish", "on");
  return new Request("http://localhost/author/import", { method: "POST", body: form, headers: { Cookie: cookie } });
}

function storedExercise(slug: string) {
  const row = db()
    .select({ status: exercises.status, source: exercises.source, versionId: exercises.currentVersionId })
    .from(exercises)
    .where(eq(exercises.slug, slug))
    .get();
  if (!row) return null;
  const version = row.versionId
    ? db().select().from(exerciseVersions).where(eq(exerciseVersions.id, row.versionId)).get()
    : undefined;
  return { ...row, version: version?.version ?? null, content: (version?.content ?? null) as ExerciseFile | null };
}

describe("who may author", () => {
  it("answers 403 to learners and managers on every authoring page and action, and changes nothing", async () => {
    const slug = newSlug();
    await publishNew(exerciseText(slug));
    const learner = await makeUser();
    const manager = await makeUser({ roles: ["manager"] });
    for (const user of [learner, manager]) {
      const c = user.cookie;
      const attempts: [string, unknown][] = [
        ["index loader", await call(authorIndex.loader, get("/author", c))],
        [
          "index action",
          await call(authorIndex.action, post("/author", { slug: "x-course", title: "X course", description: "d" }, c)),
        ],
        ["course loader", await call(authorCourse.loader, get(`/author/courses/${COURSE}`, c), { slug: COURSE })],
        [
          "course action",
          await call(
            authorCourse.action,
            post(
              `/author/courses/${COURSE}`,
              { intent: "details", title: "Hacked", description: "x", status: "archived" },
              c,
            ),
            { slug: COURSE },
          ),
        ],
        ["new loader", await call(newRoute.loader, get("/author/exercises/new", c))],
        [
          "new action",
          await call(
            newRoute.action,
            post("/author/exercises/new", { intent: "publish", text: exerciseText(newSlug()) }, c),
          ),
        ],
        ["edit loader", await call(editRoute.loader, get(`/author/exercises/${slug}/edit`, c), { slug })],
        [
          "edit action",
          await call(editRoute.action, post(`/author/exercises/${slug}/edit`, { intent: "save", text: "x" }, c), {
            slug,
          }),
        ],
        ["versions loader", await call(versionsRoute.loader, get(`/author/exercises/${slug}/versions`, c), { slug })],
        [
          "versions action",
          await call(versionsRoute.action, post(`/author/exercises/${slug}/versions`, { intent: "archive" }, c), {
            slug,
          }),
        ],
        ["export", await call(exportRoute.loader, get(`/author/exercises/${slug}/export`, c), { slug })],
        ["import loader", await call(importRoute.loader, get("/author/import", c))],
        ["import action", await call(importRoute.action, upload("x.yaml", exerciseText(newSlug()), c, true))],
        ["validate", await call(validateRoute.action, post("/author/validate", { text: "slug: x" }, c))],
      ];
      for (const [name, result] of attempts)
        expect({ name, status: unwrap(result).status }).toEqual({ name, status: 403 });
    }
    expect(storedExercise(slug)?.status).toBe("published");
    expect(storedExercise(slug)?.version).toBe(1);
  });

  it("opens every authoring page to instructors and admins", async () => {
    const admin = await makeUser({ roles: ["admin"] });
    for (const { cookie } of [instructor, admin]) {
      const index = unwrap<{ courses: { slug: string; exercises: { slug: string; source: string }[] }[] }>(
        await call(authorIndex.loader, get("/author", cookie)),
      );
      expect(index.status).toBe(200);
      const course = index.body.courses.find((c) => c.slug === COURSE);
      expect(course?.exercises.find((e) => e.slug === FILE_SLUG)?.source).toBe("file");
      expect(
        unwrap(await call(editRoute.loader, get(`/author/exercises/${FILE_SLUG}/edit`, cookie), { slug: FILE_SLUG }))
          .status,
      ).toBe(200);
      expect(unwrap(await call(newRoute.loader, get("/author/exercises/new", cookie))).status).toBe(200);
      expect(
        unwrap(await call(authorCourse.loader, get(`/author/courses/${COURSE}`, cookie), { slug: COURSE })).status,
      ).toBe(200);
    }
  });
});

describe("round trip with exercises/ files", () => {
  it("an exercise created in the app, exported, imported and synced is the same exercise", async () => {
    const slug = newSlug();
    const text = exerciseText(slug);
    expect(await publishNew(text)).toBe(`/author/exercises/${slug}/edit?published=1`);
    const created = storedExercise(slug)!;
    expect(created).toMatchObject({ status: "published", source: "app", version: 1 });

    const download = (await call(exportRoute.loader, get(`/author/exercises/${slug}/export`, instructor.cookie), {
      slug,
    })) as Response;
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Disposition")).toBe(`attachment; filename="01-${slug}.yaml"`);
    const exported = await download.text();
    expect(exported).toBe(text);

    // Import it back (review ticked): it becomes the draft and its review says nothing changes.
    const imported = (await call(
      importRoute.action,
      upload(`01-${slug}.yaml`, exported, instructor.cookie, true),
    )) as Response;
    expect(imported.headers.get("Location")).toBe(`/author/exercises/${slug}/edit?review=1`);
    const review = unwrap<{ review: { liveVersion: number; diff: { added: number; removed: number } } }>(
      await call(editRoute.loader, get(`/author/exercises/${slug}/edit?review=1`, instructor.cookie), { slug }),
    ).body.review;
    expect(review).toMatchObject({ liveVersion: 1, diff: { added: 0, removed: 0 } });
    expect(storedExercise(slug)!.content).toEqual(created.content);

    // Sync the exported file from a folder, as `npm run exercises:sync` would, into a fresh database.
    const dir = mkdtempSync(join(tmpdir(), "tokenwise-roundtrip-"));
    try {
      mkdirSync(join(dir, COURSE));
      writeFileSync(join(dir, COURSE, "course.yaml"), readFileSync(`exercises/${COURSE}/course.yaml`));
      writeFileSync(join(dir, COURSE, `01-${slug}.yaml`), exported);
      const fresh = openDb(join(dir, "sync.db"));
      const report = syncContent(fresh, dir);
      expect(report.newVersions).toEqual([slug]);
      const synced = fresh
        .select({ content: exerciseVersions.content })
        .from(exerciseVersions)
        .innerJoin(exercises, eq(exercises.id, exerciseVersions.exerciseId))
        .where(eq(exercises.slug, slug))
        .get();
      fresh.$client.close();
      expect(synced?.content).toEqual(created.content);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("imports a new file as a draft, and refuses a broken file or a file exercise's slug with line-numbered errors", async () => {
    const slug = newSlug();
    const ok = (await call(
      importRoute.action,
      upload(`${slug}.yaml`, exerciseText(slug), instructor.cookie, false),
    )) as Response;
    expect(ok.headers.get("Location")).toBe(`/author/exercises/${slug}/edit?saved=1`);
    expect(storedExercise(slug)).toMatchObject({ status: "draft", source: "app", version: null });

    const broken = exerciseText(newSlug(), (t) => t.replace(/^pass_mark: \d+/m, "pass_mark: lots"));
    const refused = unwrap<{ fileName: string; errors: { line: number; field: string }[] }>(
      await call(importRoute.action, upload("broken.yaml", broken, instructor.cookie, true)),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.fileName).toBe("broken.yaml");
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: "pass_mark", line: lineOf(broken, "pass_mark:") }),
    ]);

    const fileCopy = unwrap<{ errors: { line: number; field: string; message: string }[] }>(
      await call(importRoute.action, upload("copy.yaml", base, instructor.cookie, true)),
    );
    expect(fileCopy.status).toBe(400);
    expect(fileCopy.body.errors[0]).toMatchObject({ field: "slug", line: 1 });
    expect(fileCopy.body.errors[0].message).toMatch(/exercise file/);
  });
});

describe("validation as the author types", () => {
  it("returns a schema error at the line of the field, and a preview only for a valid file", async () => {
    const good = await validate(exerciseText(newSlug()));
    expect(good.errors).toEqual([]);
    expect(good.preview).toMatchObject({ title: expect.stringMatching(/^App-made/) });
    expect(JSON.stringify(good.preview)).not.toContain("reference_solution");
    expect(JSON.stringify(good.preview)).not.toContain(HIDDEN_LABEL);

    const broken = exerciseText(newSlug(), (t) => t.replace(/^difficulty: \d+/m, "difficulty: 9"));
    const bad = await validate(broken);
    expect(bad.preview).toBeNull();
    expect(bad.errors).toEqual([
      { line: lineOf(broken, "difficulty:"), column: 1, field: "difficulty", message: "must be at most 5" },
    ]);

    const typo = exerciseText(newSlug(), (t) => t.replace(/^title:/m, "tittle:"));
    const typoErrors = (await validate(typo)).errors;
    expect(typoErrors.map((e) => [e.field, e.line])).toEqual(
      expect.arrayContaining([
        ["tittle", lineOf(typo, "tittle:")],
        ["title", 1],
      ]),
    );

    const wrongTier = exerciseText(newSlug(), (t) => t.replace(/^tier: .*/m, "tier: nano"));
    expect((await validate(wrongTier)).errors).toEqual([
      expect.objectContaining({
        field: "tier",
        line: lineOf(wrongTier, "tier:"),
        message: expect.stringMatching(/must be "small"/),
      }),
    ]);

    const embedder = exerciseText(newSlug(), (t) =>
      t.replace(/^model: .*/m, "model: text-embedding-3-small").replace(/^tier: .*/m, "tier: nano"),
    );
    expect((await validate(embedder)).errors).toEqual([
      expect.objectContaining({
        field: "model",
        line: lineOf(embedder, "model:"),
        message: expect.stringMatching(/embeddings model/),
      }),
    ]);
  });

  it("refuses to publish a broken exercise and stores no version", async () => {
    const slug = newSlug();
    const broken = exerciseText(slug, (t) => t.replace(/^difficulty: \d+/m, "difficulty: 9"));
    const res = unwrap<{ ok: boolean; errors: { line: number; field: string }[] }>(
      await call(
        newRoute.action,
        post("/author/exercises/new", { intent: "publish", text: broken }, instructor.cookie),
      ),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: "difficulty", line: lineOf(broken, "difficulty:") }),
    ]);
    expect(storedExercise(slug)).toBeNull();
  });

  it("refuses to publish under the slug of another exercise", async () => {
    const text = exerciseText(FILE_SLUG);
    const res = unwrap<{ errors: { line: number; field: string; message: string }[] }>(
      await call(newRoute.action, post("/author/exercises/new", { intent: "publish", text }, instructor.cookie)),
    );
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ field: "slug", line: 1, message: expect.stringMatching(/already used/) }),
    ]);
  });

  it("keeps an invalid draft and refuses a published exercise's new version until it validates", async () => {
    const slug = newSlug();
    await publishNew(exerciseText(slug));
    const half = `${exerciseText(slug)}\nrubric: [unclosed\n`;
    const saved = unwrap<{ ok: boolean }>(
      await call(
        editRoute.action,
        post(`/author/exercises/${slug}/edit`, { intent: "save", text: half }, instructor.cookie),
        { slug },
      ),
    );
    expect(saved.body.ok).toBe(true);
    const page = unwrap<{ text: string; initial: { errors: { field: string }[]; stale: boolean } }>(
      await call(editRoute.loader, get(`/author/exercises/${slug}/edit`, instructor.cookie), { slug }),
    );
    expect(page.body.text).toBe(half);
    expect(page.body.initial.errors.length).toBeGreaterThan(0);
    expect(page.body.initial.stale).toBe(true);

    const refused = await publishEdit(slug, half);
    expect(refused.status).toBe(400);
    expect(storedExercise(slug)!.version).toBe(1);
  });
});

describe("a stored draft that no longer parses", () => {
  it("opens in the editor with its error at its line (an alias bomb gave a 500 on every visit)", async () => {
    const slug = newSlug();
    await publishNew(exerciseText(slug));
    const bomb = `${exerciseText(slug)}x: &x [a, a, a, a, a, a, a, a, a, a]\ny: &y [*x, *x, *x, *x, *x, *x, *x, *x, *x, *x]\nz: &z [*y, *y, *y, *y, *y, *y, *y, *y, *y, *y]\nw: [*z, *z, *z, *z, *z, *z, *z, *z, *z, *z]\n`;
    const saved = unwrap<{ ok: boolean }>(
      await call(
        editRoute.action,
        post(`/author/exercises/${slug}/edit`, { intent: "save", text: bomb }, instructor.cookie),
        { slug },
      ),
    );
    expect(saved.body.ok).toBe(true);
    const page = unwrap<{ text: string; initial: { errors: { line: number; field: string; message: string }[] } }>(
      await call(editRoute.loader, get(`/author/exercises/${slug}/edit`, instructor.cookie), { slug }),
    );
    expect(page.status).toBe(200);
    expect(page.body.text).toBe(bomb);
    expect(page.body.initial.errors).toEqual([
      expect.objectContaining({
        line: lineOf(bomb, "y: &y"),
        field: "(syntax)",
        message: expect.stringMatching(/aliases/),
      }),
    ]);
    expect((await publishEdit(slug, bomb)).status).toBe(400);
  });
});

describe("drafts", () => {
  it("lets a never-published draft change its slug, and refuses to save over an exercise file", async () => {
    const first = newSlug();
    await call(
      newRoute.action,
      post("/author/exercises/new", { intent: "save", text: exerciseText(first) }, instructor.cookie),
    );
    const renamed = newSlug();
    const res = (await call(
      editRoute.action,
      post(`/author/exercises/${first}/edit`, { intent: "save", text: exerciseText(renamed) }, instructor.cookie),
      { slug: first },
    )) as Response;
    expect(res.headers.get("Location")).toBe(`/author/exercises/${renamed}/edit?saved=1`);
    expect(storedExercise(first)).toBeNull();
    expect(storedExercise(renamed)).toMatchObject({ status: "draft", source: "app" });

    const fileEdit = unwrap<{ errors: { field: string; message: string }[] }>(
      await call(
        editRoute.action,
        post(`/author/exercises/${FILE_SLUG}/edit`, { intent: "publish", text: base }, instructor.cookie),
        { slug: FILE_SLUG },
      ),
    );
    expect(fileEdit.status).toBe(409);
    expect(fileEdit.body.errors[0].message).toMatch(/exercise file in exercises\//);
    expect(storedExercise(FILE_SLUG)).toMatchObject({ source: "file", version: 1 });
  });
});

describe("what learners can reach", () => {
  it("refuses a draft and an archived exercise with 404, and serves it again once restored", async () => {
    const learner = await makeUser();
    const draftSlug = newSlug();
    const saved = (await call(
      newRoute.action,
      post("/author/exercises/new", { intent: "save", text: exerciseText(draftSlug) }, instructor.cookie),
    )) as Response;
    expect(saved.headers.get("Location")).toBe(`/author/exercises/${draftSlug}/edit?saved=1`);
    const draftRes = await call(learnerLoader, get(`/exercises/${draftSlug}`, learner.cookie), { slug: draftSlug });
    expect(unwrap(draftRes).status).toBe(404);

    const slug = newSlug();
    await publishNew(exerciseText(slug));
    expect(unwrap(await call(learnerLoader, get(`/exercises/${slug}`, learner.cookie), { slug })).status).toBe(200);
    const archived = unwrap<{ ok: boolean }>(
      await call(
        versionsRoute.action,
        post(`/author/exercises/${slug}/versions`, { intent: "archive" }, instructor.cookie),
        { slug },
      ),
    );
    expect(archived.body.ok).toBe(true);
    expect(unwrap(await call(learnerLoader, get(`/exercises/${slug}`, learner.cookie), { slug })).status).toBe(404);
    expect(
      unwrap(
        await call(
          learnerAction,
          post(`/exercises/${slug}`, { intent: "submit", prompt: "x {{input}}" }, learner.cookie),
          { slug },
        ),
      ).status,
    ).toBe(404);
    await call(
      versionsRoute.action,
      post(`/author/exercises/${slug}/versions`, { intent: "restore" }, instructor.cookie),
      { slug },
    );
    expect(unwrap(await call(learnerLoader, get(`/exercises/${slug}`, learner.cookie), { slug })).status).toBe(200);
  });

  it("sends a learner no reference solution and no output checks, in the loader data or the HTML", async () => {
    const slug = newSlug();
    const hostile = "  <script>alert('brief')</script> <img src=x onerror=alert(1)> [click me](javascript:alert(1))";
    await publishNew(
      exerciseText(slug, (t) => t.replace("  ## Why this costs money", `${hostile}\n\n  ## Why this costs money`)),
    );
    const learner = await makeUser();
    const { status, body } = unwrap(await call(learnerLoader, get(`/exercises/${slug}`, learner.cookie), { slug }));
    expect(status).toBe(200);
    const json = JSON.stringify(body);
    expect(json).toContain(`App-made ${slug}`);
    // Keys as they would appear in JSON: the brief may well use the word "requirements".
    for (const secret of [
      REFERENCE_SOLUTION.trim(),
      REFERENCE_SOLUTION.split("\n")[0],
      '"reference_solution"',
      '"output_checks"',
      '"requirements"',
      '"rubric"',
      HIDDEN_LABEL,
    ])
      expect(json).not.toContain(secret);

    const html = await renderPage(`/exercises/${slug}`, body);
    expect(html).toContain(`App-made ${slug}`);
    for (const secret of [REFERENCE_SOLUTION.split("\n")[0], HIDDEN_LABEL]) expect(html).not.toContain(secret);
    // Raw HTML in authored Markdown is dropped: no script, no element with an event handler, no javascript: link.
    expect(html).not.toMatch(/<script>alert|alert\(&#x27;brief|<img|href="javascript:/i);
    expect(html).toContain("click me");
  });
});

/** Server-renders the learner's exercise page with the given loader data, as Remix would. */
async function renderPage(path: string, loaderData: unknown): Promise<string> {
  const handler = createStaticHandler([
    { id: "page", path: "*", loader: () => loaderData as Record<string, unknown>, Component: ExercisePage },
  ]);
  const context = await handler.query(new Request(`http://localhost${path}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToString(createElement(StaticRouterProvider, { router, context }));
}

describe("versions", () => {
  it("shows a line diff of two versions", async () => {
    const slug = newSlug();
    const v1 = exerciseText(slug);
    await publishNew(v1);
    const v2 = v1.replace(/^pass_mark: 75$/m, "pass_mark: 74");
    expect((await publishEdit(slug, v2)).body).toMatchObject({ ok: true, message: "Published version 2." });
    const page = unwrap<{
      versions: { version: number; current: boolean }[];
      diff: {
        added: number;
        removed: number;
        rows: { op: string; text?: string; oldLine?: number; newLine?: number }[];
      };
    }>(
      await call(versionsRoute.loader, get(`/author/exercises/${slug}/versions?from=1&to=2`, instructor.cookie), {
        slug,
      }),
    );
    expect(page.body.versions.map((v) => [v.version, v.current])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(page.body.diff).toMatchObject({ added: 1, removed: 1 });
    const line = lineOf(v1, "pass_mark:");
    expect(page.body.diff.rows.filter((r) => r.op === "removed" || r.op === "added")).toEqual([
      { op: "removed", text: "pass_mark: 75", oldLine: line, newLine: null },
      { op: "added", text: "pass_mark: 74", oldLine: null, newLine: line },
    ]);
    const missing = await call(
      versionsRoute.loader,
      get(`/author/exercises/${slug}/versions?from=1&to=9`, instructor.cookie),
      { slug },
    );
    expect(unwrap(missing).status).toBe(404);
  });

  it("keeps an attempt on the version it was graded on after a new version is published", async () => {
    const slug = newSlug();
    await publishNew(exerciseText(slug));
    const learner = await makeUser();
    const submitted = (await call(
      learnerAction,
      post(`/exercises/${slug}`, { intent: "submit", prompt: REFERENCE_SOLUTION }, learner.cookie),
      { slug },
    )) as Response;
    const attemptId = Number(submitted.headers.get("Location")?.match(/\/attempts\/(\d+)$/)?.[1]);
    const before = db().select().from(attempts).where(eq(attempts.id, attemptId)).get()!;
    expect(before.status).toBe("scored");
    expect(before.passed).toBe(true);

    const v2 = exerciseText(slug, (t) => t.replace(/^pass_mark: 75$/m, "pass_mark: 99"));
    expect((await publishEdit(slug, v2)).body.ok).toBe(true);

    const after = db().select().from(attempts).where(eq(attempts.id, attemptId)).get()!;
    expect(after).toEqual(before);
    const listed = unwrap<{ versions: { version: number; attempts: number; id: number }[] }>(
      await call(versionsRoute.loader, get(`/author/exercises/${slug}/versions`, instructor.cookie), { slug }),
    );
    expect(listed.body.versions.map((v) => [v.version, v.attempts])).toEqual([
      [1, 1],
      [2, 0],
    ]);
    expect(listed.body.versions[0].id).toBe(before.exerciseVersionId);
    const page = unwrap<{ page: { version: number } }>(
      await call(learnerLoader, get(`/exercises/${slug}`, learner.cookie), { slug }),
    );
    expect(page.body.page.version).toBe(2);
  });
});

describe("courses", () => {
  it("creates a draft course, edits it, orders its exercises and stores lessons between them", async () => {
    const courseSlug = `course-${process.pid}`;
    const created = (await call(
      authorIndex.action,
      post("/author", { slug: courseSlug, title: "Caching basics", description: "Prefixes first." }, instructor.cookie),
    )) as Response;
    expect(created.headers.get("Location")).toBe(`/author/courses/${courseSlug}`);
    const duplicate = unwrap<{ errors: Record<string, string> }>(
      await call(
        authorIndex.action,
        post("/author", { slug: courseSlug, title: "Again", description: "x" }, instructor.cookie),
      ),
    );
    expect(duplicate.status).toBe(409);

    const a = newSlug();
    const b = newSlug();
    for (const slug of [a, b])
      await publishNew(exerciseText(slug, (t) => t.replace(/^course: .*/m, `course: ${courseSlug}`)));
    const load = async () =>
      unwrap<{ course: { status: string; title: string }; exercises: { slug: string }[] }>(
        await call(authorCourse.loader, get(`/author/courses/${courseSlug}`, instructor.cookie), { slug: courseSlug }),
      ).body;
    expect((await load()).exercises.map((e) => e.slug)).toEqual([a, b]);

    const act = (fields: Record<string, string>) =>
      call(authorCourse.action, post(`/author/courses/${courseSlug}`, fields, instructor.cookie), { slug: courseSlug });
    await act({ intent: "move", exercise: b, direction: "up" });
    expect((await load()).exercises.map((e) => e.slug)).toEqual([b, a]);
    expect(unwrap(await act({ intent: "move", exercise: b, direction: "up" })).status).toBe(400);

    await act({
      intent: "details",
      title: "Caching, basics first",
      description: "Prefixes first.",
      status: "published",
    });
    expect((await load()).course).toMatchObject({ title: "Caching, basics first", status: "published" });

    const form = new URLSearchParams([
      ["intent", "lessons"],
      ["afterPosition", "1"],
      ["markdown", "## Why prefixes\n\nCached input is **90% cheaper**."],
      ["afterPosition", "0"],
      ["markdown", "Read this first."],
      ["afterPosition", "2"],
      ["markdown", "   "],
    ]);
    const saved = await call(
      authorCourse.action,
      new Request(`http://localhost/author/courses/${courseSlug}`, {
        method: "POST",
        body: form,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: instructor.cookie },
      }),
      { slug: courseSlug },
    );
    expect(unwrap(saved).status).toBe(200);
    expect(getCourseLessons(db(), courseSlug)).toEqual([
      { afterPosition: 0, markdown: "Read this first." },
      { afterPosition: 1, markdown: "## Why prefixes\n\nCached input is **90% cheaper**." },
    ]);
  });
});
