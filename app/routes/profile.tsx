import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { leaderboardOptIn, setLeaderboardOptIn } from "~/.server/users";
import { isStaff } from "~/domain/landing";
import { parseForm } from "~/lib/forms";

export const meta: MetaFunction = () => [{ title: "Your profile · Tokenwise" }];

const ROLE_WORDS: Record<string, string> = {
  learner: "Learner",
  manager: "Manager",
  instructor: "Instructor",
  admin: "Administrator",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    name: user.name,
    email: user.email,
    roles: user.roles.map((r) => ROLE_WORDS[r] ?? r),
    staff: isStaff(user.roles),
    optIn: leaderboardOptIn(db(), user.id),
  };
}

// An unticked checkbox sends nothing, so absence means off.
const profileForm = z.object({
  intent: z.literal("leaderboard", { errorMap: () => ({ message: "Unknown form" }) }),
  optIn: z
    .enum(["on"], { errorMap: () => ({ message: "Showing you on leaderboards is on or off" }) })
    .optional()
    .transform((v) => v === "on"),
});

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(profileForm, await request.formData());
  if (!parsed.ok) return data({ ok: false, errors: parsed.errors }, { status: 400 });
  if (!isStaff(user.roles))
    return data({ ok: false, errors: { optIn: "Learners are always on the learner leaderboards." } }, { status: 400 });
  setLeaderboardOptIn(db(), user.id, parsed.data.optIn);
  return data({ ok: true, errors: {} as Record<string, string> });
}

export default function Profile() {
  const profile = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <h1>Your profile</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{profile.name}</dd>
        <dt>Email</dt>
        <dd>{profile.email}</dd>
        <dt>Roles</dt>
        <dd>{profile.roles.join(", ")}</dd>
      </dl>
      <h2>Leaderboards</h2>
      {profile.staff ? (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="leaderboard" />
          <p className="muted">
            As a manager, instructor or administrator you are left off the learner leaderboards, so the people learning
            compete with each other. Your team's board still counts you as a member.
          </p>
          <label>
            <input type="checkbox" name="optIn" defaultChecked={profile.optIn} />
            Show me on the learner leaderboards
          </label>
          {result?.ok ? (
            <p className="banner" role="status">
              Saved: you are {profile.optIn ? "now shown" : "no longer shown"} on the learner leaderboards.
            </p>
          ) : null}
          {result && !result.ok ? (
            <p className="form-error" role="alert">
              {Object.values(result.errors).join(" ")}
            </p>
          ) : null}
          <div>
            <button type="submit" className="primary" disabled={busy}>
              Save
            </button>
          </div>
        </Form>
      ) : (
        <p>You appear on the learner leaderboards with your best passing scores.</p>
      )}
    </>
  );
}
