import { readdirSync } from "node:fs";
import type { ActionFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { mulberry32 as rng } from "../../bench/tokenizer-node";
import { firstExerciseSlug, makeUser, ready } from "./harness";

/**
 * Every action of every route, as an admin (who reaches the most code) and as a learner, receives random and
 * hostile form data: very long values, NUL, lone surrogates, deeply nested brackets and keys, wrong types, files
 * where text is expected and text where a file is, repeated keys, hostile route params. Each must answer below
 * 500, a 4xx with a message, and never throw; the process's memory must stay bounded.
 */

const ROUTES = readdirSync("app/routes").filter((f) => /\.tsx$/.test(f));

const FIELDS = [
  "intent",
  "prompt",
  "text",
  "email",
  "password",
  "confirm",
  "redirectTo",
  "name",
  "title",
  "slug",
  "course",
  "model",
  "purpose",
  "file",
  "token",
  "roles",
  "teamId",
  "departmentId",
  "manages",
  "heads",
  "costCentre",
  "scope",
  "scopeId",
  "limit",
  "warnPercent",
  "window",
  "privacyMode",
  "id",
  "input",
  "output",
  "expect",
  "markdown",
  "afterPosition",
  "direction",
  "lessons",
  "sample",
  "asOf",
  "min",
  "max",
  "cachedInput",
  "status",
  "view",
  "q",
  "publish",
  "description",
  "remove",
  "to",
  "from",
  "username",
];
const INTENTS = [
  "submit",
  "save-draft",
  "save",
  "publish",
  "access",
  "passwordLink",
  "revokeLinks",
  "deactivate",
  "reactivate",
  "endSessions",
  "check",
  "import",
  "details",
  "lessons",
  "move",
  "archive",
  "restore",
  "remove",
  "send",
];

const HOSTILE: ((r: () => number) => string)[] = [
  () => "",
  () => "x".repeat(300_000),
  () => "\u0000".repeat(1_000),
  () => `a\u0000b`,
  () => "\ud800\udfff\ud800".repeat(500),
  () => "\udc00",
  () => "[".repeat(50_000) + "]".repeat(50_000),
  () => '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000),
  () => "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
  () => ">".repeat(20_000),
  () => "NaN",
  () => "-1",
  () => "1e309",
  () => "99999999999999999999999",
  () => "true",
  () => "null",
  () => "2026-13-45",
  () => "/\t/evil.example",
  () => "//evil.example",
  () => "<script>alert(1)</script>",
  () => "=cmd|' /C calc'!A0",
  () => "^(a+)+$",
  () => "'; DROP TABLE users; --",
  (r) => INTENTS[Math.floor(r() * INTENTS.length)],
  (r) => String(Math.floor(r() * 5) + 1),
  (r) => Array.from({ length: 200 }, () => String.fromCharCode(Math.floor(r() * 0xffff))).join(""),
];

function hostileForm(r: () => number): FormData {
  const form = new FormData();
  form.set("intent", INTENTS[Math.floor(r() * INTENTS.length)]);
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const name = r() < 0.1 ? `${"a[".repeat(500)}x${"]".repeat(500)}` : FIELDS[Math.floor(r() * FIELDS.length)];
    const value = HOSTILE[Math.floor(r() * HOSTILE.length)](r);
    if (r() < 0.15)
      form.append(name, new File([value], r() < 0.5 ? "x.csv" : "../../etc/passwd", { type: "text/csv" }));
    else form.append(name, value);
    if (r() < 0.1) form.append(name, value); // a repeated key
  }
  return form;
}

function hostileParams(r: () => number, slug: string, userId: number): Record<string, string> {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  return {
    slug: pick([slug, "x".repeat(5_000), "\u0000", "../admin", "%00", "nope"]),
    userId: pick([String(userId), "0", "-1", "1e9", "abc", "\ud800"]),
    attemptId: pick(["1", "0", "-5", "NaN", "9".repeat(40)]),
  };
}

async function messageOf(result: unknown): Promise<string> {
  if (result instanceof Response) return result.headers.get("Location") ? "redirect" : await result.clone().text();
  if (result && typeof result === "object" && "data" in result)
    return JSON.stringify((result as { data: unknown }).data);
  return JSON.stringify(result ?? "");
}

function statusOf(result: unknown): number {
  if (result instanceof Response) return result.status;
  if (result && typeof result === "object" && "type" in result && result.type === "DataWithResponseInit")
    return (result as unknown as { init: { status?: number } | null }).init?.status ?? 200;
  return 200;
}

let slug: string;
let cookies: { admin: string; learner: string };
let victimId: number;
beforeAll(async () => {
  await ready();
  slug = firstExerciseSlug();
  const admin = await makeUser({ roles: ["admin", "instructor"] });
  const learner = await makeUser();
  victimId = (await makeUser()).id;
  cookies = { admin: admin.cookie, learner: learner.cookie };
});

describe("every action under random and hostile form data", () => {
  const FORMS_PER_ACTION = 12;
  for (const file of ROUTES) {
    it(`${file}: never a 500, never a throw; a 4xx says why`, async () => {
      const mod = (await import(`../../app/routes/${file.replace(/\.tsx$/, "")}`)) as {
        action?: (a: ActionFunctionArgs) => unknown;
      };
      if (!mod.action) return;
      const r = rng([...file].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7));
      const rssBefore = process.memoryUsage().rss;
      for (let i = 0; i < FORMS_PER_ACTION; i++) {
        const who = i % 3 === 0 ? "learner" : "admin";
        const request = new Request(`http://localhost/${file}`, {
          method: "POST",
          body: hostileForm(r),
          headers: { Cookie: cookies[who] },
        });
        let result: unknown;
        try {
          result = await mod.action({ request, params: hostileParams(r, slug, victimId), context: {} });
        } catch (thrown) {
          if (!(thrown instanceof Response)) throw new Error(`${file} threw ${String(thrown)}`);
          result = thrown;
        }
        const status = statusOf(result);
        expect(status, `${file} answered ${status}`).toBeLessThan(500);
        if (status >= 400)
          expect((await messageOf(result)).length, `${file}: a ${status} without a message`).toBeGreaterThan(0);
      }
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 1024 * 1024);
    }, 60_000);
  }
});
