import { eq, max } from "drizzle-orm";
import { z } from "zod";
import { departments, teams, usageRules } from "#db/schema";
import { type Db, writeTransaction } from "~/.server/db";
import { RULE_FIELDS, RULE_MATCHES, type RuleTarget, SPLIT_KEYS } from "~/domain/attribution";
import type { FieldErrors } from "~/lib/forms";
import { storedRules } from "./attribution-data";
import { markHistory } from "./reattribution";

/**
 * The admin's attribution rules: validated input, saved at the end of the list (or in place), deleted, moved.
 * Every change marks all of history for attribution again in its own transaction (usage/reattribution.ts), so the
 * showback ends under the rules as they are now; the caller starts the background run (`reattribute`), which never
 * holds up the request.
 */

export const TARGET_KINDS = ["team", "department", "user-team", "shared"] as const;

const id = z.coerce.number().int().positive();

export const ruleInput = z
  .object({
    field: z.enum(RULE_FIELDS, { errorMap: () => ({ message: "Choose what the rule looks at" }) }),
    match: z.enum(RULE_MATCHES, { errorMap: () => ({ message: "Choose how it matches" }) }),
    value: z.string().trim().min(1, "Enter the value to match").max(200, "At most 200 characters"),
    targetKind: z.enum(TARGET_KINDS, { errorMap: () => ({ message: "Choose where the cost goes" }) }),
    teamId: id.optional(),
    departmentId: id.optional(),
    sharedTeamIds: z.array(id).max(200, "At most 200 teams").default([]),
    splitBy: z.enum(SPLIT_KEYS).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.targetKind === "team" && !r.teamId)
      ctx.addIssue({ code: "custom", path: ["teamId"], message: "Choose a team" });
    if (r.targetKind === "department" && !r.departmentId)
      ctx.addIssue({ code: "custom", path: ["departmentId"], message: "Choose a department" });
    if (r.targetKind === "shared") {
      if (r.sharedTeamIds.length < 2)
        ctx.addIssue({
          code: "custom",
          path: ["sharedTeamIds"],
          message: "Choose at least two teams to share between",
        });
      if (!r.splitBy) ctx.addIssue({ code: "custom", path: ["splitBy"], message: "Choose how to split" });
    }
    if (r.targetKind === "user-team" && r.field !== "user")
      ctx.addIssue({
        code: "custom",
        path: ["targetKind"],
        message: "Only a rule on the user can send it to the user's team",
      });
    if (r.field === "tag" && /^\s*=/.test(r.value))
      ctx.addIssue({ code: "custom", path: ["value"], message: "Write a tag as key=value (or the key alone)" });
  });

export type RuleInput = z.infer<typeof ruleInput>;

/** The form's fields (a form post or a preview's query string; sharedTeamIds repeated), parsed; errors by field. */
export function parseRuleForm(
  form: Pick<FormData, "get" | "getAll"> | URLSearchParams,
): { ok: true; data: RuleInput } | { ok: false; errors: FieldErrors } {
  const blank = (v: FormDataEntryValue | null) => (v === null || v === "" ? undefined : v);
  const parsed = ruleInput.safeParse({
    field: form.get("field"),
    match: form.get("match"),
    value: form.get("value") ?? "",
    targetKind: form.get("targetKind"),
    teamId: blank(form.get("teamId")),
    departmentId: blank(form.get("departmentId")),
    sharedTeamIds: form.getAll("sharedTeamIds").filter((v) => v !== ""),
    splitBy: blank(form.get("splitBy")),
  });
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return { ok: false, errors };
}

/** The rule's target as attribution reads it. */
export function targetOf(r: RuleInput): RuleTarget {
  if (r.targetKind === "team") return { kind: "team", teamId: r.teamId as number };
  if (r.targetKind === "department") return { kind: "department", departmentId: r.departmentId as number };
  if (r.targetKind === "user-team") return { kind: "user-team" };
  return { kind: "shared", teamIds: r.sharedTeamIds, splitBy: r.splitBy ?? "equal" };
}

function checkOrg(database: Db, r: RuleInput): FieldErrors {
  const teamExists = (teamId: number) =>
    !!database.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).get();
  if (r.targetKind === "team" && !teamExists(r.teamId as number)) return { teamId: "That team does not exist" };
  if (
    r.targetKind === "department" &&
    !database
      .select({ id: departments.id })
      .from(departments)
      .where(eq(departments.id, r.departmentId as number))
      .get()
  )
    return { departmentId: "That department does not exist" };
  if (r.targetKind === "shared" && !r.sharedTeamIds.every(teamExists))
    return { sharedTeamIds: "A chosen team does not exist" };
  return {};
}

function columns(r: RuleInput) {
  return {
    field: r.field,
    match: r.match,
    value: r.value,
    targetKind: r.targetKind,
    teamId: r.targetKind === "team" ? (r.teamId as number) : null,
    departmentId: r.targetKind === "department" ? (r.departmentId as number) : null,
    sharedTeamIds: r.targetKind === "shared" ? [...new Set(r.sharedTeamIds)].sort((a, b) => a - b) : null,
    splitBy: r.targetKind === "shared" ? (r.splitBy ?? null) : null,
    updatedAt: new Date(),
  };
}

export type RuleChange =
  /** `markedDays`: the days of usage marked for attribution again. */
  { ok: true; ruleId: number; markedDays: number } | { ok: false; errors: FieldErrors; status: number };

/** Saves a new rule at the end of the list, or an existing one in place, and marks history for attribution. */
export function saveRule(database: Db, input: RuleInput, userId: number, ruleId?: number): RuleChange {
  const errors = checkOrg(database, input);
  if (Object.keys(errors).length > 0) return { ok: false, errors, status: 400 };
  return writeTransaction(database, (): RuleChange => {
    let saved: number;
    if (ruleId !== undefined) {
      const changed = database.update(usageRules).set(columns(input)).where(eq(usageRules.id, ruleId)).run().changes;
      if (changed === 0) return { ok: false, errors: { form: "That rule no longer exists" }, status: 404 };
      saved = ruleId;
    } else {
      const last =
        database
          .select({ n: max(usageRules.position) })
          .from(usageRules)
          .get()?.n ?? 0;
      saved = database
        .insert(usageRules)
        .values({ ...columns(input), position: last + 1, createdBy: userId })
        .returning({ id: usageRules.id })
        .get().id;
    }
    return { ok: true, ruleId: saved, markedDays: markHistory(database) };
  });
}

export function deleteRule(database: Db, ruleId: number): RuleChange {
  return writeTransaction(database, (): RuleChange => {
    const removed = database.delete(usageRules).where(eq(usageRules.id, ruleId)).run().changes;
    if (removed === 0) return { ok: false, errors: { form: "That rule no longer exists" }, status: 404 };
    return { ok: true, ruleId, markedDays: markHistory(database) };
  });
}

/** Moves a rule one place up or down (earlier rules win); positions are renumbered 1, 2, 3… */
export function moveRule(database: Db, ruleId: number, direction: "up" | "down"): RuleChange {
  const order = storedRules(database).map((r) => r.id);
  const at = order.indexOf(ruleId);
  if (at < 0) return { ok: false, errors: { form: "That rule no longer exists" }, status: 404 };
  const to = direction === "up" ? at - 1 : at + 1;
  if (to >= 0 && to < order.length) [order[at], order[to]] = [order[to], order[at]];
  const markedDays = writeTransaction(database, (tx) => {
    order.forEach((id, i) => {
      tx.update(usageRules)
        .set({ position: i + 1 })
        .where(eq(usageRules.id, id))
        .run();
    });
    return markHistory(database);
  });
  return { ok: true, ruleId, markedDays };
}
