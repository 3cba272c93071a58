import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/.server/auth";
import { db } from "~/.server/db";
import { reattribute, reattributionStatus } from "~/.server/usage/reattribution";
import { deleteRule, moveRule, parseRuleForm, saveRule } from "~/.server/usage/rules";
import { rulesPage } from "~/.server/usage/rules-page";
import { ReattributionNotice } from "~/components/reattribution-notice";
import { RuleForm } from "~/components/usage-rule-form";
import { formatMicros } from "~/domain/cost";
import { parseParams } from "~/lib/params";
import adminCss from "~/styles/admin.css?url";
import finopsCss from "~/styles/finops.css?url";

export const meta: MetaFunction = () => [{ title: "Attribution rules · Tokenwise" }];
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: adminCss },
  { rel: "stylesheet", href: finopsCss },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { edit } = parseParams(
    z.object({ edit: z.coerce.number().int().positive().optional() }),
    Object.fromEntries(new URL(request.url).searchParams),
  );
  const page = rulesPage(db(), new Date());
  const editing = edit ? (page.rules.find((r) => r.id === edit) ?? null) : null;
  if (edit && !editing) throw new Response("No such rule.", { status: 404 });
  return { ...page, editing, reattribution: reattributionStatus(db()) };
}

type ActionData = { ok: boolean; message: string; errors: Record<string, string> };

const ruleId = z.coerce.number().int().positive();

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const form = await request.formData();
  const intent = form.get("intent");
  const fail = (status: number, errors: Record<string, string>) =>
    data<ActionData>({ ok: false, message: "", errors }, { status });
  let change: ReturnType<typeof saveRule>;
  if (intent === "save") {
    const parsed = parseRuleForm(form);
    if (!parsed.ok) return fail(400, parsed.errors);
    const id = form.get("ruleId") ? ruleId.safeParse(form.get("ruleId")) : null;
    if (id && !id.success) return fail(400, { form: "Unknown rule" });
    change = saveRule(db(), parsed.data, admin.id, id?.data);
  } else if (intent === "delete" || intent === "up" || intent === "down") {
    const id = ruleId.safeParse(form.get("ruleId"));
    if (!id.success) return fail(400, { form: "Unknown rule" });
    change = intent === "delete" ? deleteRule(db(), id.data) : moveRule(db(), id.data, intent);
  } else return fail(400, { form: "Unknown form" });
  if (!change.ok) return fail(change.status, change.errors);
  // In the background, never in this request: on a large history it takes seconds of work (in slices).
  void reattribute(db());
  const days = change.markedDays;
  return data<ActionData>({
    ok: true,
    message:
      days === 0
        ? "Saved. There is no imported usage to attribute yet."
        : `Saved. ${days} day${days === 1 ? " is" : "s are"} being attributed again under the rules as they are now, in the background: the progress is below.`,
    errors: {},
  });
}

export default function AttributionRules() {
  const { options, summary, rules, editing, reattribution } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const share = summary.totalMicros > 0 ? Math.round((summary.unallocatedMicros / summary.totalMicros) * 1000) / 10 : 0;
  return (
    <>
      <p className="crumbs">
        <Link to="/admin">Administration</Link> › <Link to="/admin/usage">Production usage</Link> › Attribution rules
      </p>
      <h1>Attribution rules</h1>
      <p className="muted">
        Each rule sends the usage it matches to a team, a department or several teams; the first rule that matches wins.
        Usage no rule matches is <strong>unallocated</strong>. Changing a rule attributes all of history again, in the
        background, so every figure follows the rules as they are now once it is done; until then the showback pages say
        their figures are being updated. Figures below are read under the rules as they are now, for the last{" "}
        {summary.days} days ({summary.from} to {summary.to}, not included).
      </p>
      {result?.ok ? (
        <p className="banner" role="status">
          {result.message}
        </p>
      ) : null}
      <ReattributionNotice status={reattribution} detail />
      <dl className="finops-summary" data-testid="unallocated">
        <div>
          <dt>Imported, last {summary.days} days</dt>
          <dd>{formatMicros(summary.totalMicros)}</dd>
        </div>
        <div>
          <dt>Unallocated</dt>
          <dd data-testid="unallocated-amount">{formatMicros(summary.unallocatedMicros)}</dd>
        </div>
        <div>
          <dt>Unallocated share</dt>
          <dd data-testid="unallocated-share">{share}%</dd>
        </div>
      </dl>

      <section className="admin-section">
        <h2>Rules, in order</h2>
        {rules.length === 0 ? (
          <p className="muted">No rules yet: all usage is unallocated.</p>
        ) : (
          <table className="table" data-testid="rules">
            <thead>
              <tr>
                <th>#</th>
                <th>When</th>
                <th>The cost goes to</th>
                <th className="num">Decides (last {summary.days} days)</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r, i) => (
                <tr key={r.id} className={r.broken ? "broken" : undefined}>
                  <td>{r.position}</td>
                  <td>{r.when}</td>
                  <td>{r.goesTo}</td>
                  <td className="num">
                    {formatMicros(r.recentMicros)}{" "}
                    <span className="muted">
                      ({r.recentDims} combination{r.recentDims === 1 ? "" : "s"})
                    </span>
                  </td>
                  <td>
                    <Form method="post" className="row-form">
                      <input type="hidden" name="ruleId" value={r.id} />
                      <button type="submit" name="intent" value="up" className="link-button" disabled={busy || i === 0}>
                        Up
                      </button>
                      <button
                        type="submit"
                        name="intent"
                        value="down"
                        className="link-button"
                        disabled={busy || i === rules.length - 1}
                      >
                        Down
                      </button>
                      <Link to={`/admin/usage/rules?edit=${r.id}`}>Edit</Link>
                      <button type="submit" name="intent" value="delete" className="link-button" disabled={busy}>
                        Delete
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="admin-section">
        <h2>{editing ? `Edit rule ${editing.position}` : "Add a rule"}</h2>
        <RuleForm
          teams={options.teams}
          departments={options.departments}
          editing={editing}
          errors={result && !result.ok ? result.errors : {}}
        />
        {editing ? <Link to="/admin/usage/rules">Cancel editing</Link> : null}
      </section>

      <section className="admin-section">
        <h2>Largest unallocated usage</h2>
        {summary.topUnallocated.length === 0 ? (
          <p className="muted">Nothing is unallocated.</p>
        ) : (
          <table className="table" data-testid="top-unallocated">
            <thead>
              <tr>
                <th>Usage (source, provider, project, key, workspace, user, model, tags)</th>
                <th className="num">Last {summary.days} days</th>
              </tr>
            </thead>
            <tbody>
              {summary.topUnallocated.map((d) => (
                <tr key={d.dimId}>
                  <td>{d.label}</td>
                  <td className="num">{formatMicros(d.costMicros)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
