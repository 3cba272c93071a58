import type { LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { exercises, users } from "#db/schema";
import { prepareDatabase } from "~/.server/bootstrap";
import { db } from "~/.server/db";
import { createUser } from "~/.server/users";
import { action as loginAction } from "~/routes/login";

/**
 * Integration tests run the real loaders and actions against the worker's own SQLite file
 * (test/setup/db-per-worker.ts), with the real exercises/ content synced into it.
 */

let prepared: Promise<void> | undefined;
export function ready(): Promise<void> {
  prepared ??= prepareDatabase();
  return prepared;
}

let n = 0;
export async function makeUser(
  opts: { teamId?: number | null; roles?: ("learner" | "manager" | "instructor" | "admin")[] } = {},
) {
  await ready();
  n++;
  const email = `user${n}-${process.pid}@tokenwise.example`;
  const password = "correct horse battery staple";
  const id = await createUser(db(), {
    email,
    name: `Test User ${n}`,
    password,
    teamId: opts.teamId ?? null,
    roles: opts.roles ?? ["learner"],
  });
  const cookie = await login(email, password);
  return { id, email, password, cookie };
}

export async function login(email: string, password: string): Promise<string> {
  const res = await call(loginAction, post("/login", { email, password }));
  const setCookie = (res as Response).headers.get("Set-Cookie");
  if (!setCookie) throw new Error(`login failed for ${email}`);
  return setCookie.split(";")[0];
}

export function get(path: string, cookie?: string): Request {
  return new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function post(path: string, fields: Record<string, string>, cookie?: string): Request {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
  });
}

type Handler = (args: LoaderFunctionArgs) => unknown;

/** Calls a loader or action; a thrown Response (redirect, 403, 404) is returned, not thrown. */
export async function call(handler: Handler, request: Request, params: Record<string, string> = {}) {
  try {
    return await handler({ request, params, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Unwraps Remix's `data(value, init)` into { status, body }. */
export function unwrap<T = unknown>(result: unknown): { status: number; body: T } {
  if (result instanceof Response) return { status: result.status, body: undefined as T };
  if (result && typeof result === "object" && "type" in result && result.type === "DataWithResponseInit") {
    const r = result as unknown as { data: T; init: { status?: number } | null };
    return { status: r.init?.status ?? 200, body: r.data };
  }
  return { status: 200, body: result as T };
}

export function exerciseId(slug: string): number {
  return db().select({ id: exercises.id }).from(exercises).where(eq(exercises.slug, slug)).get()!.id;
}

export function firstExerciseSlug(): string {
  return db().select({ slug: exercises.slug }).from(exercises).orderBy(exercises.id).get()!.slug;
}

export function userIdByEmail(email: string): number {
  return db().select({ id: users.id }).from(users).where(eq(users.email, email)).get()!.id;
}
