import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { attempts, exercises, exerciseVersions, modelCalls } from "#db/schema";
import { config } from "~/.server/config";
import { db } from "~/.server/db";
import { formatMicros } from "~/domain/cost";
import type { ExerciseFile } from "~/domain/exercise";
import { loader as attemptLoader } from "~/routes/attempts.$attemptId";
import { loader as coursesLoader } from "~/routes/courses._index";
import { action as exerciseAction, loader as exerciseLoader } from "~/routes/exercises.$slug";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { call, exerciseId, firstExerciseSlug, get, makeUser, post, ready, unwrap } from "./harness";

let slug: string;
beforeAll(async () => {
  await ready();
  slug = firstExerciseSlug();
});

async function submit(cookie: string, prompt: string) {
  const res = await call(exerciseAction, post(`/exercises/${slug}`, { intent: "submit", prompt }, cookie), { slug });
  return res as Response;
}

function attemptIdFrom(res: Response): number {
  const location = res.headers.get("Location") ?? "";
  const match = location.match(/^\/attempts\/(\d+)$/);
  if (!match) throw new Error(`expected a redirect to an attempt, got ${res.status} ${location}`);
  return Number(match[1]);
}

describe("login", () => {
  it("refuses a wrong password with a message and no cookie", async () => {
    const user = await makeUser();
    const { status, body } = unwrap<{ errors: Record<string, string> }>(
      await call(loginAction, post("/login", { email: user.email, password: "wrong password" })),
    );
    expect(status).toBe(401);
    expect(body.errors.form).toMatch(/do not match/);
  });

  it("names the field when the email is malformed", async () => {
    const { status, body } = unwrap<{ errors: Record<string, string> }>(
      await call(loginAction, post("/login", { email: "not-an-email", password: "x" })),
    );
    expect(status).toBe(400);
    expect(body.errors.email).toBe("Enter a valid email address");
  });

  it("sets an httpOnly session cookie that opens protected pages, and logout ends it", async () => {
    const user = await makeUser();
    const res = (await call(loginAction, post("/login", { email: user.email, password: user.password }))) as Response;
    expect(res.status).toBe(302);
    const setCookie = res.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(";")[0];
    const courses = unwrap<{ courses: unknown[] }>(await call(coursesLoader, get("/courses", cookie)));
    expect(courses.body.courses.length).toBeGreaterThanOrEqual(2);

    await call(logoutAction, post("/logout", {}, cookie));
    const after = (await call(coursesLoader, get("/courses", cookie))) as Response;
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toMatch(/^\/login\?redirectTo=%2Fcourses/);
  });

  it("does not follow an open redirect after login", async () => {
    const user = await makeUser();
    const res = (await call(
      loginAction,
      post("/login", { email: user.email, password: user.password, redirectTo: "//evil.example/x" }),
    )) as Response;
    expect(res.headers.get("Location")).toBe("/");
  });

  it("sends a signed-out visitor to the login page from every learner page", async () => {
    for (const [handler, path, params] of [
      [coursesLoader, "/courses", {}],
      [exerciseLoader, `/exercises/${slug}`, { slug }],
      [attemptLoader, "/attempts/1", { attemptId: "1" }],
    ] as const) {
      const res = (await call(handler, get(path), params)) as Response;
      expect(res.status, path).toBe(302);
      expect(res.headers.get("Location"), path).toMatch(/^\/login/);
    }
  });
});

describe("submitting a prompt", () => {
  it("stores the attempt, grades it with the offline judge and writes a $0 ledger row", async () => {
    const user = await makeUser();
    const page = unwrap<{ page: { exercise: { starting_prompt: string } } }>(
      await call(exerciseLoader, get(`/exercises/${slug}`, user.cookie), { slug }),
    ).body.page;
    const id = attemptIdFrom(await submit(user.cookie, page.exercise.starting_prompt));

    const row = db().select().from(attempts).where(eq(attempts.id, id)).get()!;
    expect(row.status).toBe("scored");
    expect(row.userId).toBe(user.id);
    expect(row.prompt).toBe(page.exercise.starting_prompt);
    expect(row.passed).toBe(false);
    expect(row.judge).toMatch(/offline/);

    const calls = db().select().from(modelCalls).where(eq(modelCalls.attemptId, id)).all();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ purpose: "judge", costMicros: 0, userId: user.id, status: "ok" });
    expect(calls[0].exerciseId).toBe(exerciseId(slug));
    expect(calls[0].courseId).not.toBeNull();

    const result = unwrap<{ result: { score: { passed: boolean; factors: unknown[] } } }>(
      await call(attemptLoader, get(`/attempts/${id}`, user.cookie), { attemptId: String(id) }),
    ).body.result;
    expect(result.score.passed).toBe(false);
    expect(result.score.factors.length).toBeGreaterThan(2);
  });

  it("passes the exercise's reference solution", async () => {
    const user = await makeUser();
    const version = db()
      .select({ content: exerciseVersions.content })
      .from(exercises)
      .innerJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
      .where(eq(exercises.slug, slug))
      .get()!;
    const reference = (version.content as { reference_solution: string }).reference_solution;
    const id = attemptIdFrom(await submit(user.cookie, reference));
    const row = db().select().from(attempts).where(eq(attempts.id, id)).get()!;
    expect(row.passed).toBe(true);
    expect(row.score).toBeGreaterThan(0);
    expect(row.monthlyCostMicros!).toBeLessThan(row.baselineMonthlyCostMicros!);
  });

  it("rejects an over-long prompt with a clear message and stores nothing", async () => {
    const user = await makeUser();
    const before = db().select().from(attempts).where(eq(attempts.userId, user.id)).all().length;
    const tooLong = "a".repeat(config().MAX_PROMPT_CHARS + 1);
    const { status, body } = unwrap<{ errors: Record<string, string> }>(
      await call(exerciseAction, post(`/exercises/${slug}`, { intent: "submit", prompt: tooLong }, user.cookie), {
        slug,
      }),
    );
    expect(status).toBe(400);
    expect(body.errors.prompt).toMatch(/longer than 20,000 characters/);
    expect(db().select().from(attempts).where(eq(attempts.userId, user.id)).all()).toHaveLength(before);
  });

  it("rejects an empty prompt naming the field", async () => {
    const user = await makeUser();
    const { status, body } = unwrap<{ errors: Record<string, string> }>(
      await call(exerciseAction, post(`/exercises/${slug}`, { intent: "submit", prompt: "   " }, user.cookie), {
        slug,
      }),
    );
    expect(status).toBe(400);
    expect(body.errors.prompt).toBe("Write a prompt before submitting");
  });

  it("keeps the prompt and shows a failure when grading throws", async () => {
    const user = await makeUser();
    // A version whose model is missing from the catalogue makes grading fail after the attempt is stored.
    const ex = db().select().from(exercises).where(eq(exercises.slug, slug)).get()!;
    const current = db().select().from(exerciseVersions).where(eq(exerciseVersions.id, ex.currentVersionId!)).get()!;
    const broken = db()
      .insert(exerciseVersions)
      .values({
        exerciseId: ex.id,
        version: 999,
        contentHash: "broken",
        content: { ...(current.content as object), model: "no-such-model" },
        sourceText: current.sourceText,
      })
      .returning()
      .get();
    db().update(exercises).set({ currentVersionId: broken.id }).where(eq(exercises.id, ex.id)).run();
    try {
      const id = attemptIdFrom(await submit(user.cookie, "Classify {{input}} and reply with JSON."));
      const row = db().select().from(attempts).where(eq(attempts.id, id)).get()!;
      expect(row.status).toBe("failed");
      expect(row.error).toMatch(/no-such-model/);
      expect(row.prompt).toBe("Classify {{input}} and reply with JSON.");
      const page = unwrap<{ attempt: { status: string; error: string } }>(
        await call(attemptLoader, get(`/attempts/${id}`, user.cookie), { attemptId: String(id) }),
      ).body;
      expect(page.attempt.status).toBe("failed");
    } finally {
      db().update(exercises).set({ currentVersionId: current.id }).where(eq(exercises.id, ex.id)).run();
      db().delete(attempts).where(eq(attempts.exerciseVersionId, broken.id)).run();
      db().delete(exerciseVersions).where(eq(exerciseVersions.id, broken.id)).run();
    }
  });

  it("saves a draft and offers it when the learner comes back", async () => {
    const user = await makeUser();
    await call(
      exerciseAction,
      post(`/exercises/${slug}`, { intent: "save-draft", prompt: "my draft {{input}}" }, user.cookie),
      {
        slug,
      },
    );
    const page = unwrap<{ page: { draft: string | null } }>(
      await call(exerciseLoader, get(`/exercises/${slug}`, user.cookie), { slug }),
    ).body.page;
    expect(page.draft).toBe("my draft {{input}}");
  });
});

describe("privacy", () => {
  it("answers 404 when a learner opens another learner's attempt", async () => {
    const alice = await makeUser();
    const bob = await makeUser();
    const id = attemptIdFrom(await submit(alice.cookie, "Summarise {{input}} in one line."));
    const res = (await call(attemptLoader, get(`/attempts/${id}`, bob.cookie), { attemptId: String(id) })) as Response;
    expect(res.status).toBe(404);
    const own = unwrap(await call(attemptLoader, get(`/attempts/${id}`, alice.cookie), { attemptId: String(id) }));
    expect(own.status).toBe(200);
  });

  it("sends no hidden field of any exercise to the learner's browser", async () => {
    const user = await makeUser();
    const published = db().select({ slug: exercises.slug }).from(exercises).all();
    expect(published.length).toBeGreaterThanOrEqual(10);
    for (const { slug: each } of published) {
      const data = unwrap(await call(exerciseLoader, get(`/exercises/${each}`, user.cookie), { slug: each })).body;
      const json = JSON.stringify(data);
      const content = db()
        .select({ content: exerciseVersions.content })
        .from(exerciseVersions)
        .where(eq(exerciseVersions.exerciseId, exerciseId(each)))
        .get()!.content as ExerciseFile;
      for (const key of ["reference_solution", "requirements", "rubric", "output_checks", "expected", "target_when"]) {
        expect(json, `${each}: ${key}`).not.toContain(`"${key}"`);
      }
      expect(json, each).not.toContain(JSON.stringify(content.reference_solution).slice(1, 60));
      for (const t of content.test_inputs.filter((x) => x.expected)) {
        expect(json, `${each}: expected output of ${t.name}`).not.toContain(JSON.stringify(t.expected).slice(1, 60));
      }
      // Phrases and requirements may quote the starting prompt or the brief, which the learner does see.
      const visible = content.starting_prompt + content.brief;
      const hidden = (text: string) => text.length > 12 && !visible.includes(text);
      for (const phrase of (content.output_tokens.target_when ?? []).flat().filter(hidden)) {
        expect(json, `${each}: target_when phrase ${phrase}`).not.toContain(JSON.stringify(phrase).slice(1, -1));
      }
      for (const r of content.requirements.filter((x) => hidden(x.description))) {
        expect(json, `${each}: requirement ${r.id}`).not.toContain(JSON.stringify(r.description).slice(1, -1));
      }
    }
  });

  it("shows every brief with its figures rendered from the numbers the live panel shows", async () => {
    const user = await makeUser();
    const published = db().select({ slug: exercises.slug }).from(exercises).all();
    let rendered = 0;
    for (const { slug: each } of published) {
      const { page } = unwrap<Awaited<ReturnType<typeof exerciseLoader>>>(
        await call(exerciseLoader, get(`/exercises/${each}`, user.cookie), { slug: each }),
      ).body;
      expect(page.exercise.brief, each).not.toMatch(/\[\[[a-z_]+\]\]/);
      const content = db()
        .select({ content: exerciseVersions.content })
        .from(exerciseVersions)
        .where(eq(exerciseVersions.exerciseId, exerciseId(each)))
        .get()!.content as ExerciseFile;
      if (content.brief.includes("[[start_monthly_cost]]")) {
        expect(page.exercise.brief, each).toContain(formatMicros(page.baseline.monthlyMicros));
        rendered++;
      }
      if (content.brief.includes("[[start_tokens]]"))
        expect(page.exercise.brief, each).toContain(page.baseline.tokens.toLocaleString("en-US"));
    }
    expect(rendered).toBeGreaterThanOrEqual(5);
  });

  it("prices a saved draft at the short reply size only when it asks for the short reply", async () => {
    const user = await makeUser();
    const target = "compress-ticket-summary";
    const save = async (prompt: string) =>
      unwrap<{ outputTokens: number }>(
        await call(exerciseAction, post(`/exercises/${target}`, { intent: "save-draft", prompt }, user.cookie), {
          slug: target,
        }),
      ).body.outputTokens;
    const content = db()
      .select({ content: exerciseVersions.content })
      .from(exerciseVersions)
      .where(eq(exerciseVersions.exerciseId, exerciseId(target)))
      .get()!.content as ExerciseFile;
    expect(await save("Summarise {{input}} in at most 3 bullets.")).toBe(content.output_tokens.target);
    expect(await save("Summarise {{input}}.")).toBe(content.output_tokens.baseline);
    const page = unwrap<{ page: { outputTokens: number } }>(
      await call(exerciseLoader, get(`/exercises/${target}`, user.cookie), { slug: target }),
    ).body.page;
    expect(page.outputTokens).toBe(content.output_tokens.baseline);
  });

  it("answers 400 for a malformed attempt id and 404 for an unknown exercise", async () => {
    const user = await makeUser();
    const bad = (await call(attemptLoader, get("/attempts/abc", user.cookie), { attemptId: "abc" })) as Response;
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/attemptId/);
    const missing = (await call(exerciseLoader, get("/exercises/nope", user.cookie), { slug: "nope" })) as Response;
    expect(missing.status).toBe(404);
  });
});

describe("course lessons", () => {
  it("shows the instructor's Markdown lessons to learners on the course page", async () => {
    const { setCourseLessons } = await import("~/.server/authoring/catalog");
    const { loader: courseLoader } = await import("~/routes/courses.$courseSlug");
    const user = await makeUser();
    setCourseLessons(
      db(),
      "prompt-compression",
      [{ afterPosition: 1, markdown: "## Why filler costs money" }],
      user.id,
    );
    const page = unwrap<{ lessons: { afterPosition: number; markdown: string }[] }>(
      await call(courseLoader, get("/courses/prompt-compression", user.cookie), { courseSlug: "prompt-compression" }),
    ).body;
    expect(page.lessons).toEqual([{ afterPosition: 1, markdown: "## Why filler costs money" }]);
  });

  it("shows lesson files on the course page and each on its own page, leading to the exercise after it", async () => {
    const { storeFileLessons } = await import("~/.server/file-lessons");
    const { loader: courseLoader } = await import("~/routes/courses.$courseSlug");
    const { loader: lessonLoader } = await import("~/routes/courses.$courseSlug_.lessons.$lessonSlug");
    const user = await makeUser();
    const lesson = (slug: string, afterPosition: number) => ({
      file: `exercises/prompt-compression/lessons/${slug}.md`,
      course: "prompt-compression",
      slug,
      title: `Lesson ${slug}`,
      afterPosition,
      markdown: `Body of ${slug} <script>alert(1)</script>`,
    });
    storeFileLessons(db(), [lesson("why", 0), lesson("later", 1)]);
    const page = unwrap<{ fileLessons: { slug: string }[]; exercises: { slug: string }[] }>(
      await call(courseLoader, get("/courses/prompt-compression", user.cookie), { courseSlug: "prompt-compression" }),
    ).body;
    expect(page.fileLessons.map((l) => l.slug)).toEqual(["why", "later"]);

    const open = (courseSlug: string, lessonSlug: string) =>
      call(lessonLoader, get(`/courses/${courseSlug}/lessons/${lessonSlug}`, user.cookie), { courseSlug, lessonSlug });
    const first = unwrap<{
      lesson: { title: string };
      next: { slug: string } | null;
      previous: unknown;
      nextExercise: { slug: string };
    }>(await open("prompt-compression", "why")).body;
    expect(first.lesson.title).toBe("Lesson why");
    expect(first.previous).toBeNull();
    expect(first.next?.slug).toBe("later");
    expect(first.nextExercise.slug).toBe(page.exercises[0].slug);
    const second = unwrap<{ nextExercise: { slug: string } }>(await open("prompt-compression", "later")).body;
    expect(second.nextExercise.slug).toBe(page.exercises[1].slug);

    // Unknown lessons, lessons of another course, traversal-looking and oversized slugs: 404 or 400, never a 500.
    expect(((await open("prompt-compression", "nope")) as Response).status).toBe(404);
    expect(((await open("cost-aware-models", "why")) as Response).status).toBe(404);
    expect(((await open("prompt-compression", "..%2F..%2Fetc")) as Response).status).toBe(404);
    expect(((await open("prompt-compression", "x".repeat(500))) as Response).status).toBe(400);
    const anonymous = (await call(lessonLoader, get("/courses/prompt-compression/lessons/why"), {
      courseSlug: "prompt-compression",
      lessonSlug: "why",
    })) as Response;
    expect(anonymous.status).toBe(302);
    storeFileLessons(db(), []);
  });
});
