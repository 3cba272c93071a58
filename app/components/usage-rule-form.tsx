import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { RulePreview } from "~/.server/usage/attribution-preview";
import type { RuleLine, TeamOption } from "~/.server/usage/rules-page";
import { formatMicros } from "~/domain/cost";

/**
 * The attribution rule editor: what the rule looks at, how it matches, where the cost goes; and, as the admin
 * types, a live preview of what it would catch in the last 30 days (fetched from /admin/usage/rules/preview,
 * 300 ms after the last change).
 */

const FIELDS: [string, string][] = [
  ["project", "Project or sub-account"],
  ["apiKey", "API key"],
  ["workspace", "Workspace or LiteLLM team"],
  ["tag", "Tag (key=value)"],
  ["user", "User"],
  ["model", "Model"],
  ["account", "Billing account"],
  ["provider", "Provider"],
  ["service", "Service"],
  ["source", "Source"],
  ["tier", "Model tier"],
];

type Preview = { ok: true; preview: RulePreview } | { ok: false; errors: Record<string, string> };

export function RuleForm(props: {
  teams: TeamOption[];
  departments: { id: number; name: string }[];
  editing: RuleLine | null;
  errors: Record<string, string>;
}) {
  const { teams, departments, editing, errors } = props;
  const initial = editing?.form;
  const [targetKind, setTargetKind] = useState(initial?.targetKind ?? "team");
  const [preview, setPreview] = useState<Preview | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const busy = useNavigation().state !== "idle";

  const refresh = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      if (!form.current) return;
      const query = new URLSearchParams();
      for (const [key, value] of new FormData(form.current))
        if (key !== "intent" && typeof value === "string") query.append(key, value);
      try {
        const res = await fetch(`/admin/usage/rules/preview?${query}`, { headers: { Accept: "application/json" } });
        if (res.ok) setPreview((await res.json()) as Preview);
      } catch {
        // A preview that fails to load is not shown; the next change tries again.
      }
    }, 300);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <Form
      method="post"
      ref={form}
      onChange={refresh}
      className="rule-form"
      data-testid="rule-form"
      key={editing?.id ?? "new"}
    >
      {editing ? <input type="hidden" name="ruleId" value={editing.id} /> : null}
      <div className="row-form">
        <label>
          When
          <select name="field" defaultValue={initial?.field ?? "project"} aria-invalid={!!errors.field}>
            {FIELDS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Match
          <select name="match" defaultValue={initial?.match ?? "is"}>
            <option value="is">is</option>
            <option value="starts-with">starts with</option>
            <option value="contains">contains</option>
          </select>
        </label>
        <label>
          Value
          <input
            name="value"
            defaultValue={initial?.value ?? ""}
            required
            maxLength={200}
            aria-invalid={!!errors.value}
          />
          {errors.value ? <span className="field-error">{errors.value}</span> : null}
        </label>
      </div>
      <fieldset className="checkbox-group">
        <legend>The cost goes to</legend>
        {(
          [
            ["team", "A team"],
            ["department", "A department, no team"],
            ["user-team", "The team of the Tokenwise user with that email (rules on the user)"],
            ["shared", "Shared between teams"],
          ] as const
        ).map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name="targetKind"
              value={value}
              checked={targetKind === value}
              onChange={() => setTargetKind(value)}
            />{" "}
            {label}
          </label>
        ))}
        {errors.targetKind ? <span className="field-error">{errors.targetKind}</span> : null}
        {targetKind === "team" ? (
          <label>
            Team
            <select name="teamId" defaultValue={initial?.teamId ?? ""} aria-invalid={!!errors.teamId}>
              <option value="">Choose a team</option>
              {teams.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.department})
                </option>
              ))}
            </select>
            {errors.teamId ? <span className="field-error">{errors.teamId}</span> : null}
          </label>
        ) : null}
        {targetKind === "department" ? (
          <label>
            Department
            <select name="departmentId" defaultValue={initial?.departmentId ?? ""} aria-invalid={!!errors.departmentId}>
              <option value="">Choose a department</option>
              {departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
            {errors.departmentId ? <span className="field-error">{errors.departmentId}</span> : null}
          </label>
        ) : null}
        {targetKind === "shared" ? (
          <>
            <div className="shared-teams">
              {teams.map((t) => (
                <label key={t.id}>
                  <input
                    type="checkbox"
                    name="sharedTeamIds"
                    value={t.id}
                    defaultChecked={initial?.sharedTeamIds.includes(t.id)}
                  />{" "}
                  {t.name} ({t.department})
                </label>
              ))}
            </div>
            {errors.sharedTeamIds ? <span className="field-error">{errors.sharedTeamIds}</span> : null}
            <label>
              Split
              <select name="splitBy" defaultValue={initial?.splitBy ?? "calls"}>
                <option value="calls">by each team's own calls that day</option>
                <option value="tokens">by each team's own tokens that day</option>
                <option value="cost">by each team's own cost that day</option>
                <option value="equal">equally</option>
              </select>
            </label>
          </>
        ) : null}
      </fieldset>
      {errors.form ? (
        <p className="form-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <button type="submit" name="intent" value="save" className="primary" disabled={busy}>
        {editing ? "Save rule" : "Add rule"}
      </button>
      <PreviewPanel preview={preview} />
    </Form>
  );
}

function PreviewPanel({ preview }: { preview: Preview | null }) {
  if (!preview) return <p className="muted">A preview of what the rule catches appears as you type.</p>;
  if (!preview.ok) return <p className="muted">Preview: {Object.values(preview.errors).join(" ")}</p>;
  const p = preview.preview;
  return (
    <section className="rule-preview" aria-live="polite" data-testid="rule-preview">
      <p>
        <strong>
          Catches {p.matchedDims} source combination{p.matchedDims === 1 ? "" : "s"}, {formatMicros(p.matchedMicros)} in
          the last 30 days
        </strong>
        {p.newlyDecidedMicros > 0 ? `, of which ${formatMicros(p.newlyDecidedMicros)} is unallocated now` : ""}.
        Unallocated would go from {formatMicros(p.unallocatedBefore)} to{" "}
        <span data-testid="preview-unallocated">{formatMicros(p.unallocatedAfter)}</span>.
      </p>
      {p.matched.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th>Usage it catches</th>
              <th className="num">Last 30 days</th>
              <th>Goes now to</th>
            </tr>
          </thead>
          <tbody>
            {p.matched.map((m) => (
              <tr key={m.dimId}>
                <td>{m.label}</td>
                <td className="num">{formatMicros(m.costMicros)}</td>
                <td>{m.now}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
