import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { createSession, destroySession, getUser, userIsAdmin } from "~/.server/auth";
import { db } from "~/.server/db";
import { log } from "~/.server/log";
import { consumePasswordLink, verifyPasswordLink } from "~/.server/password-links";
import { passwordPolicy } from "~/.server/sign-in/oidc-settings";
import { signInFailure } from "~/.server/sign-in/sign-in-failures";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/domain/password-links";
import { type FieldErrors, parseForm } from "~/lib/forms";

/**
 * Public page behind a one-time link from an admin (invitation or reset): the token is the
 * authorisation. No rate limit: tokens are 256-bit random, so guessing one online is hopeless.
 * Every dead link (unknown, used, expired, replaced) gets the same message and status, and
 * nothing on the page depends on an email address. The token is never logged.
 */

export const meta: MetaFunction = () => [
  { title: "Choose your password · Tokenwise" },
  { name: "robots", content: "noindex" },
  { name: "referrer", content: "no-referrer" },
];

// The token sits in the URL: keep it out of Referer headers sent elsewhere and out of every cache.
const PRIVATE = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => PRIVATE;

/** 410 Gone for every dead link alike, so a status reveals no more than the message. */
const DEAD = 410;

const passwordSchema = z
  .object({
    password: z
      .string({ required_error: "Enter a new password" })
      .min(PASSWORD_MIN_LENGTH, `The new password must be at least ${PASSWORD_MIN_LENGTH} characters`)
      .max(PASSWORD_MAX_LENGTH, `The new password must be at most ${PASSWORD_MAX_LENGTH} characters`),
    confirm: z.string({ required_error: "Enter the new password again" }),
  })
  .superRefine((form, ctx) => {
    if (form.password !== form.confirm)
      ctx.addIssue({ code: "custom", path: ["confirm"], message: "The confirmation does not match the new password" });
  });

type LoaderData =
  | { valid: false }
  | {
      valid: true;
      purpose: "invite" | "reset";
      name: string;
      email: string;
      expiresAt: string;
      /** Someone else signed in on this browser (e.g. the admin trying the link): they will be signed out. */
      signedInAs: string | null;
    };

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const checked = verifyPasswordLink(db(), token);
  if (!checked.ok) return data<LoaderData>({ valid: false }, { status: DEAD, headers: PRIVATE });
  const { link } = checked;
  const viewer = await getUser(request);
  return data<LoaderData>(
    {
      valid: true,
      purpose: link.purpose,
      name: link.name,
      email: link.email,
      expiresAt: link.expiresAt.toISOString(),
      signedInAs: viewer && viewer.id !== link.userId ? viewer.name : null,
    },
    { headers: PRIVATE },
  );
}

type ActionData = { valid: false; errors: FieldErrors } | { valid: true; errors: FieldErrors };

export async function action({ request }: ActionFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const form = await request.formData();
  // A dead link is said so first: no point making someone fix a password it cannot set.
  const verified = verifyPasswordLink(db(), token);
  if (!verified.ok) return data<ActionData>({ valid: false, errors: {} }, { status: DEAD, headers: PRIVATE });
  // With password sign-in off, a link must not become a way in by password (break glass: admins only).
  const policy = passwordPolicy(db());
  if (policy.passwordsOff && !(policy.breakGlass && userIsAdmin(db(), verified.link.userId)))
    return data<ActionData>(
      { valid: true, errors: { password: signInFailure("passwords-off").message } },
      { status: 403, headers: PRIVATE },
    );
  const parsed = parseForm(passwordSchema, form);
  if (!parsed.ok) return data<ActionData>({ valid: true, errors: parsed.errors }, { status: 400, headers: PRIVATE });
  const used = await consumePasswordLink(db(), token, parsed.data.password);
  if (!used.ok) return data<ActionData>({ valid: false, errors: {} }, { status: DEAD, headers: PRIVATE });
  log.info(`user ${used.userId} set a password through a ${used.purpose} link`);
  // Whoever was signed in on this browser before is signed out (their session row deleted too).
  await destroySession(request);
  return redirect("/", { headers: { ...PRIVATE, "Set-Cookie": await createSession(used.userId) } });
}

export default function SetPassword() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  if (!page.valid || result?.valid === false) return <DeadLink />;
  const errors: FieldErrors = result?.errors ?? {};
  const expires = page.expiresAt.slice(0, 16).replace("T", " ");
  return (
    <section className="login">
      <h1>{page.purpose === "invite" ? "Welcome to Tokenwise" : "Choose a new password"}</h1>
      <p>
        For <strong>{page.name}</strong> ({page.email}).
      </p>
      {page.signedInAs ? (
        <p className="banner" role="status">
          You are signed in as {page.signedInAs}. Setting this password signs you out and signs {page.name} in.
        </p>
      ) : null}
      <p className="muted">
        At least {PASSWORD_MIN_LENGTH} characters; a few unrelated words make a strong one. This link works once, until{" "}
        {expires} UTC.
        {page.purpose === "reset" ? " Setting a new password signs you out on every other device." : null}
      </p>
      {/* posts to this same URL, token included, so a form error re-renders this page for this link */}
      <Form method="post" className="stack" noValidate>
        {/* lets password managers file the new password under the right account */}
        <input type="email" name="username" autoComplete="username" value={page.email} readOnly hidden />
        <label>
          New password
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={PASSWORD_MIN_LENGTH}
            maxLength={PASSWORD_MAX_LENGTH}
            required
            aria-invalid={!!errors.password}
          />
          {errors.password ? <span className="field-error">{errors.password}</span> : null}
        </label>
        <label>
          New password again
          <input
            name="confirm"
            type="password"
            autoComplete="new-password"
            maxLength={PASSWORD_MAX_LENGTH}
            required
            aria-invalid={!!errors.confirm}
          />
          {errors.confirm ? <span className="field-error">{errors.confirm}</span> : null}
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : "Set password and sign in"}
        </button>
      </Form>
    </section>
  );
}

function DeadLink() {
  return (
    <section className="login" role="alert">
      <h1>This link does not work</h1>
      <p>
        It may have expired, been used already, or been replaced by a newer link. Ask your Tokenwise administrator for a
        new one.
      </p>
      <p>
        <Link to="/login">Sign in</Link> if you already have a password.
      </p>
    </section>
  );
}
