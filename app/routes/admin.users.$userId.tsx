import {
  type ActionFunctionArgs,
  data,
  type HeadersFunction,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef, useState } from "react";
import { z } from "zod";
import { PASSWORD_LINK_PURPOSES, type PasswordLinkPurpose, ROLES } from "#db/schema";
import { deactivatedSince, deactivateUser, endAllSessions, reactivateUser } from "~/.server/admin/accounts";
import { listDepartments, listTeams } from "~/.server/admin/org";
import { getUserAccess, parseUserAccessForm, updateUserAccess } from "~/.server/admin/users";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { log } from "~/.server/log";
import { issuePasswordLink, latestPasswordLink, revokePasswordLinks, setPasswordUrl } from "~/.server/password-links";
import { LINK_LIFETIME_MS } from "~/domain/password-links";
import { type FieldErrors, parseForm } from "~/lib/forms";
import { parseParams } from "~/lib/params";
import adminCss from "~/styles/admin.css?url";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.user.name ?? "User"} · Users · Tokenwise` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: adminCss }];

const paramsSchema = z.object({ userId: z.coerce.number().int().positive() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const { userId } = parseParams(paramsSchema, params);
  const user = getUserAccess(db(), userId);
  if (!user) throw new Response(`No user ${userId}.`, { status: 404 });
  const link = latestPasswordLink(db(), userId);
  return {
    user,
    isSelf: admin.id === userId,
    deactivatedAt: deactivatedSince(db(), userId)?.toISOString() ?? null,
    passwordLink: link && {
      purpose: link.purpose,
      state: link.state,
      createdAt: link.createdAt.toISOString(),
      createdBy: link.createdBy,
      expiresAt: link.expiresAt.toISOString(),
      usedAt: link.usedAt?.toISOString() ?? null,
    },
    roles: ROLES,
    teams: listTeams(db()),
    departments: listDepartments(db()),
  };
}

/** A fresh link, returned once: only its hash is stored. */
interface NewLink {
  url: string;
  purpose: PasswordLinkPurpose;
  expiresAt: string;
}

type ActionData =
  | { intent: "access"; ok: boolean; errors: FieldErrors }
  | { intent: "passwordLink"; ok: boolean; errors: FieldErrors; link: NewLink | null }
  | { intent: "revokeLinks"; ok: true; errors: FieldErrors; revoked: number }
  | { intent: "account"; ok: boolean; errors: FieldErrors; done: string };

// The form saving team and roles sends no intent (or "access"); the sign-in link buttons name theirs.
const intentSchema = z.enum(["access", "passwordLink", "revokeLinks", "deactivate", "reactivate", "endSessions"]);
const linkSchema = z.object({
  purpose: z.enum(PASSWORD_LINK_PURPOSES, { errorMap: () => ({ message: "Choose a reset or an invitation link" }) }),
});
// A response holding a live link must not be kept by any cache.
const NO_STORE = { "Cache-Control": "no-store" };

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const { userId } = parseParams(paramsSchema, params);
  const form = await request.formData();
  const intent = intentSchema.safeParse(form.get("intent") ?? "access");
  if (!intent.success)
    return data<ActionData>({ intent: "access", ok: false, errors: { form: "Unknown action" } }, { status: 400 });

  if (intent.data === "deactivate" || intent.data === "reactivate" || intent.data === "endSessions") {
    if (!getUserAccess(db(), userId)) throw new Response(`No user ${userId}.`, { status: 404 });
    const outcome =
      intent.data === "deactivate"
        ? deactivateUser(db(), admin.id, userId)
        : intent.data === "reactivate"
          ? reactivateUser(db(), userId)
          : { ok: true as const, ended: endAllSessions(db(), userId) };
    log.info(`admin ${admin.id}: ${intent.data} user ${userId} (${outcome.ok ? "done" : "refused"})`);
    if (!outcome.ok)
      return data<ActionData>(
        { intent: "account", ok: false, errors: { form: outcome.message }, done: "" },
        { status: 409 },
      );
    const done = {
      deactivate: "Deactivated: every session ended, sign-in and unused links stopped. Their history is kept.",
      reactivate: "Reactivated: they can sign in again with their password.",
      endSessions: "Signed out everywhere: every session of this user has ended.",
    }[intent.data];
    return data<ActionData>({ intent: "account", ok: true, errors: {}, done });
  }

  if (intent.data === "passwordLink" || intent.data === "revokeLinks") {
    if (!getUserAccess(db(), userId)) throw new Response(`No user ${userId}.`, { status: 404 });
    if (intent.data === "revokeLinks") {
      const revoked = revokePasswordLinks(db(), userId);
      log.info(`admin ${admin.id} withdrew ${revoked} set-password link(s) of user ${userId}`);
      return data<ActionData>({ intent: "revokeLinks", ok: true, errors: {}, revoked });
    }
    const parsed = parseForm(linkSchema, form);
    if (!parsed.ok)
      return data<ActionData>(
        { intent: "passwordLink", ok: false, errors: parsed.errors, link: null },
        { status: 400 },
      );
    const link = issuePasswordLink(db(), userId, { purpose: parsed.data.purpose, createdBy: admin.id });
    log.info(`admin ${admin.id} created a ${link.purpose} link for user ${userId}`);
    return data<ActionData>(
      {
        intent: "passwordLink",
        ok: true,
        errors: {},
        link: { url: setPasswordUrl(link.token), purpose: link.purpose, expiresAt: link.expiresAt.toISOString() },
      },
      { headers: NO_STORE },
    );
  }

  const parsed = parseUserAccessForm(form);
  if (!parsed.ok) return data<ActionData>({ intent: "access", ok: false, errors: parsed.errors }, { status: 400 });
  const outcome = updateUserAccess(db(), admin.id, userId, parsed.data);
  if (!outcome.ok) return data<ActionData>({ intent: "access", ok: false, errors: outcome.errors }, { status: 400 });
  return data<ActionData>({ intent: "access", ok: true, errors: {} });
}

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const cacheControl = actionHeaders.get("Cache-Control");
  return cacheControl ? { "Cache-Control": cacheControl } : new Headers();
};

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;
const hours = (purpose: PasswordLinkPurpose) => LINK_LIFETIME_MS[purpose] / (3600 * 1000);
const lifetime = (purpose: PasswordLinkPurpose) =>
  hours(purpose) % 24 === 0 && hours(purpose) > 24 ? `${hours(purpose) / 24} days` : `${hours(purpose)} hours`;

function FieldError({ message }: { message?: string }) {
  return message ? (
    <p className="field-error" role="alert">
      {message}
    </p>
  ) : null;
}

export default function AdminUser() {
  const { user, isSelf, roles, teams, departments, passwordLink, deactivatedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result?.intent === "access" ? result.errors : {};
  const busy = useNavigation().state !== "idle";
  const byDepartment = departments.map((d) => ({ ...d, teams: teams.filter((t) => t.departmentId === d.id) }));
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › <Link to="/admin/users">Users</Link> › {user.name}
      </p>
      <h1>{user.name}</h1>
      <p className="muted">{user.email}</p>
      {result?.intent === "access" && result.ok ? (
        <p className="banner" role="status">
          Saved. The changes apply from the user's next page load.
        </p>
      ) : null}
      <FieldError message={errors.form} />
      <Form method="post" className="stack" data-testid="user-access">
        <label>
          Team
          <select name="teamId" defaultValue={user.teamId ?? ""} aria-invalid={!!errors.teamId}>
            <option value="">No team</option>
            {byDepartment.map((d) => (
              <optgroup key={d.id} label={d.name}>
                {d.teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <FieldError message={errors.teamId} />
        </label>

        <fieldset className="checkbox-group">
          <legend>Roles</legend>
          <div className="checkbox-row">
            {roles.map((r) => (
              <label key={r}>
                <input type="checkbox" name="roles" value={r} defaultChecked={user.roles.includes(r)} />
                {r}
              </label>
            ))}
          </div>
          {isSelf ? <p className="muted">You cannot remove your own admin role.</p> : null}
          <FieldError message={errors.roles} />
        </fieldset>

        <fieldset className="checkbox-group">
          <legend>Manages these teams</legend>
          <p className="muted">A manager sees the progress and spend of the teams ticked here, and nothing else.</p>
          <div className="checkbox-grid">
            {teams.map((t) => (
              <label key={t.id}>
                <input type="checkbox" name="manages" value={t.id} defaultChecked={user.manages.includes(t.id)} />
                {t.department} / {t.name}
              </label>
            ))}
          </div>
          <FieldError message={errors.manages} />
        </fieldset>

        <fieldset className="checkbox-group">
          <legend>Heads these departments</legend>
          <p className="muted">A department head sees every team of the departments ticked here.</p>
          <div className="checkbox-grid">
            {departments.map((d) => (
              <label key={d.id}>
                <input type="checkbox" name="heads" value={d.id} defaultChecked={user.heads.includes(d.id)} />
                {d.name} ({d.costCentre})
              </label>
            ))}
          </div>
          <FieldError message={errors.heads} />
        </fieldset>

        <div>
          <button type="submit" name="intent" value="access" className="primary" disabled={busy}>
            Save
          </button>
        </div>
      </Form>

      <section className="admin-section" data-testid="account-state">
        <h2>Account</h2>
        {deactivatedAt ? (
          <p className="banner bad" role="status">
            Deactivated since {deactivatedAt.slice(0, 16).replace("T", " ")} UTC: {user.name} cannot sign in.
          </p>
        ) : null}
        {result?.intent === "account" ? (
          <p className={result.ok ? "banner" : "banner bad"} role="status">
            {result.ok ? result.done : result.errors.form}
          </p>
        ) : null}
        <Form method="post" className="row-form">
          <button type="submit" name="intent" value="endSessions" className="secondary" disabled={busy}>
            Sign out everywhere
          </button>
          {deactivatedAt ? (
            <button type="submit" name="intent" value="reactivate" className="primary" disabled={busy}>
              Reactivate
            </button>
          ) : (
            <button type="submit" name="intent" value="deactivate" className="danger" disabled={busy || isSelf}>
              Deactivate
            </button>
          )}
        </Form>
      </section>

      <section className="admin-section" data-testid="password-link">
        <h2>Password</h2>
        <p className="muted">
          Tokenwise sends no email: create a one-time link and give it to {user.name} yourself, as you would a password.
          With it they choose a new password and are signed in; a reset also signs them out everywhere else. A new link
          replaces any earlier unused one.
        </p>
        {passwordLink ? <LinkStatus link={passwordLink} /> : <p>No set-password link has been created yet.</p>}
        {result?.intent === "passwordLink" && result.link ? <NewLinkBox link={result.link} /> : null}
        {result?.intent === "passwordLink" && result.errors.purpose ? (
          <FieldError message={result.errors.purpose} />
        ) : null}
        {result?.intent === "revokeLinks" ? (
          <p className="banner" role="status">
            {result.revoked ? "The unused link was withdrawn: it no longer works." : "There was no unused link."}
          </p>
        ) : null}
        <Form method="post" className="row-form">
          <input type="hidden" name="intent" value="passwordLink" />
          <button type="submit" name="purpose" value="reset" className="primary" disabled={busy}>
            Create password reset link ({lifetime("reset")})
          </button>
          <button type="submit" name="purpose" value="invite" className="secondary" disabled={busy}>
            Create invitation link ({lifetime("invite")})
          </button>
        </Form>
        {passwordLink?.state === "pending" ? (
          <Form method="post" className="row-form">
            <button type="submit" name="intent" value="revokeLinks" className="secondary" disabled={busy}>
              Withdraw the unused link
            </button>
          </Form>
        ) : null}
      </section>
    </>
  );
}

type LinkInfo = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["passwordLink"]>;

function LinkStatus({ link }: { link: LinkInfo }) {
  const kind = link.purpose === "invite" ? "Invitation link" : "Password reset link";
  const by = link.createdBy ? ` by ${link.createdBy}` : "";
  const state = {
    pending: `not used yet; works until ${utc(link.expiresAt)}`,
    used: `used ${link.usedAt ? utc(link.usedAt) : ""}`,
    expired: `expired unused ${utc(link.expiresAt)}`,
    revoked: "replaced or withdrawn before use",
  }[link.state];
  return (
    <p data-testid="password-link-status">
      Latest: {kind} created {utc(link.createdAt)}
      {by}: {state}.
    </p>
  );
}

/** The link is in the page only in this response: copy it now. */
function NewLinkBox({ link }: { link: NewLink }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "select" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied("yes");
    } catch {
      // No clipboard access (plain http, or denied): select it for Ctrl+C instead.
      input.current?.select();
      setCopied("select");
    }
  };
  return (
    <div className="banner" role="status">
      <p>
        <strong>
          {link.purpose === "invite" ? "Invitation" : "Password reset"} link, shown only now: copy it before leaving
          this page.
        </strong>{" "}
        It works once, until {utc(link.expiresAt)}.
      </p>
      <div className="row-form">
        <input
          ref={input}
          readOnly
          value={link.url}
          aria-label="Set-password link"
          data-testid="new-password-link"
          onFocus={(e) => e.currentTarget.select()}
          style={{ flex: 1, fontFamily: "var(--mono, ui-monospace, monospace)" }}
        />
        <button type="button" onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy"}
        </button>
      </div>
      {copied === "select" ? (
        <p className="muted">The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.</p>
      ) : null}
    </div>
  );
}
