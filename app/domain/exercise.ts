import { z } from "zod";
import { exerciseCrossFieldIssues } from "./exercise-cross-fields";
import { safeRegexError } from "./safe-regex";

/**
 * The one schema for an exercise file (`exercises/<course>/<slug>.yaml`).
 * Field names are snake_case because they are written by hand in YAML; see exercises/README.md.
 */

export const SKILL_AREAS = [
  "compression",
  "model-tiering",
  "structured-output",
  "caching",
  "safety",
  "context-engineering",
] as const;
export const TIERS = ["nano", "small", "medium", "frontier"] as const;

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lower-case words joined by hyphens, e.g. compress-triage");

const containsCheck = z.object({
  id: slug,
  kind: z.literal("contains"),
  label: z.string().min(1),
  value: z.string().min(1),
  case_sensitive: z.boolean().default(false),
  required: z.boolean().default(true),
});
const notContainsCheck = containsCheck.extend({ kind: z.literal("not_contains") });
const regexCheck = z.object({
  id: slug,
  kind: z.literal("regex"),
  label: z.string().min(1),
  value: z
    .string()
    .min(1)
    .superRefine((source, ctx) => {
      const error = safeRegexError(source);
      if (error) ctx.addIssue({ code: "custom", message: error });
    }),
  flags: z
    .string()
    .regex(/^[imsu]*$/, "may only use the flags i, m, s, u")
    .default("i"),
  required: z.boolean().default(true),
});
const notRegexCheck = regexCheck.extend({ kind: z.literal("not_regex") });

/** A deterministic check on the learner's prompt. Cheap, exact, run live in the browser and again on the server. */
export const promptCheckSchema = z.discriminatedUnion("kind", [
  z.object({
    id: slug,
    kind: z.literal("max_tokens"),
    label: z.string().min(1),
    value: z.number().int().positive(),
    required: z.boolean().default(true),
  }),
  containsCheck,
  notContainsCheck,
  regexCheck,
  notRegexCheck,
  z.object({
    // For caching lessons: the variable part ({{input}}) must come after the static part,
    // i.e. at least `value` percent of the prompt's characters precede the placeholder.
    id: slug,
    kind: z.literal("static_prefix"),
    label: z.string().min(1),
    value: z.number().min(0).max(100),
    required: z.boolean().default(true),
  }),
]);
export type PromptCheck = z.infer<typeof promptCheckSchema>;

/**
 * A deterministic check on a model's OUTPUT (live grading only). Runs before the judge: a failed
 * required check skips the judge call, so no money is spent grading a known fail.
 */
export const outputCheckSchema = z.discriminatedUnion("kind", [
  containsCheck,
  notContainsCheck,
  regexCheck,
  z.object({
    id: slug,
    kind: z.literal("json_schema"),
    label: z.string().min(1),
    /** A JSON Schema (draft 2020-12 subset understood by Ajv) the whole output must satisfy. */
    schema: z.record(z.unknown()),
    required: z.boolean().default(true),
  }),
  z.object({
    id: slug,
    kind: z.literal("max_output_tokens"),
    label: z.string().min(1),
    value: z.number().int().positive(),
    required: z.boolean().default(true),
  }),
]);
export type OutputCheck = z.infer<typeof outputCheckSchema>;

const phraseGroups = z.array(z.array(z.string().min(1)).min(1)).min(1);

/** One requirement the offline judge looks for in the prompt. */
export const requirementSchema = z
  .object({
    id: slug,
    /**
     * `must`: a gate: missing or contradicted, the attempt does not pass, whatever its quality.
     * `should`: weighed into quality only. Default `must`: a requirement is a gate unless the author
     * says it may be traded away.
     */
    level: z.enum(["must", "should"]).default("must"),
    /** Shown to the learner: say it in the brief's terms (never list the phrases below). */
    description: z.string().min(1),
    weight: z.number().positive().default(1),
    /**
     * Every group must be instructed; a group matches when any of its phrases is found with the
     * right polarity ("don't guess" must be found forbidden, "copy exactly" affirmed). A phrase
     * wrapped in slashes, like "/\\bjson\\b/", is a regular expression.
     */
    all_of: phraseGroups,
    /**
     * What the requirement is about, found in any polarity: "final sale" in "Final-sale items cannot be
     * returned" is negated as a subject, yet it is the topic of the rule. Counted like `all_of` groups.
     */
    topic: phraseGroups.optional(),
    /**
     * The requirement only names things (labels, keys, categories): a negated mention ("not a safety
     * issue", "OK = no hazard") does not reverse it.
     */
    names_only: z.boolean().default(false),
    /** All groups in one rule (a sentence, a line, a list item with its heading): "ESCALATE if they cancel". */
    together: z.boolean().default(false),
    /**
     * What breaks the requirement when the prompt asks for it: a group of phrases, or `{ all_of }`
     * for things that break it together in one clause with its condition ("unsure" + "OK").
     */
    broken_by: z
      .array(z.union([z.array(z.string().min(1)).min(1), z.object({ all_of: phraseGroups }).strict()]))
      .default([]),
  })
  .strict();
export type Requirement = z.infer<typeof requirementSchema>;

/** What the prompt must have the model do: a small closed vocabulary, so the judge can tell the job from another. */
export const TASK_ACTIONS = [
  "classify",
  "extract",
  "write",
  "answer",
  "summarise",
  "rewrite",
  "redact",
  "select",
  "review",
] as const;
/**
 * The shape of the reply: one `label`; a comma-separated `list` on one line; `lines` (one item a line, e.g.
 * subject lines or findings); `bullets`; free `text` (a reply, a paragraph, a note); a `json-object`, a
 * `json-array`, or `json-lines` (one JSON object a line).
 */
export const TASK_OUTPUTS = [
  "label",
  "list",
  "lines",
  "bullets",
  "text",
  "json-object",
  "json-array",
  "json-lines",
] as const;

const taskFields = z
  .object({
    action: z.enum(TASK_ACTIONS),
    output: z.enum(TASK_OUTPUTS),
    /** The closed set of labels (or rule names, causes) the reply uses, exactly as written. */
    labels: z.array(z.string().min(1)).min(1).optional(),
    /** The keys of each JSON object of the reply. */
    keys: z.array(z.string().min(1)).min(1).optional(),
    /**
     * How many of `unit` the reply holds: `exactly`, at most `max`, or neither (as many as the input needs, so
     * a prompt that fixes a number changes the task).
     */
    count: z
      .object({
        unit: z.array(z.string().min(1)).min(1),
        exactly: z.number().int().positive().optional(),
        max: z.number().int().positive().optional(),
      })
      .strict()
      .refine((c) => c.exactly === undefined || c.max === undefined, "give exactly or max, not both")
      .optional(),
  })
  .strict();
/** The keys of `task` and its values, for the exercise editor's completions. */
export const TASK_FIELDS = Object.keys(taskFields.shape);
export const taskSchema = taskFields.refine((t) => !t.keys || t.output.startsWith("json"), {
  message: "keys are for JSON outputs",
  path: ["keys"],
});
export type ExerciseTask = z.infer<typeof taskSchema>;

export const rubricCriterionSchema = z.object({
  id: slug,
  criterion: z.string().min(1),
  weight: z.number().positive().default(1),
});
export type RubricCriterion = z.infer<typeof rubricCriterionSchema>;

export const testInputSchema = z.object({
  name: z.string().min(1),
  input: z.string().min(1),
  /** What a good output looks like, for the reader and the LLM judge. */
  expected: z.string().optional(),
});

export const exerciseFileSchema = z
  .object({
    slug,
    title: z.string().min(3).max(120),
    course: slug,
    order: z.number().int().min(0),
    skill: z.enum(SKILL_AREAS),
    difficulty: z.number().int().min(1).max(5),
    /** Model id from db/models.yaml; its tier must equal `tier`. */
    model: z.string().min(1),
    tier: z.enum(TIERS),
    volume: z.object({
      calls: z.number().int().positive(),
      per: z.enum(["day", "month"]),
    }),
    /**
     * Output tokens of a typical reply to the starting prompt (baseline) and to a good prompt
     * (target), for the offline cost estimate. A prompt is priced at `target` only when it matches
     * every `target_when` group (any-of phrases, the same syntax as requirements); without
     * `target_when` every prompt is priced at `baseline`.
     */
    output_tokens: z
      .object({
        baseline: z.number().int().min(0),
        target: z.number().int().min(0),
        target_when: z
          .array(z.array(z.string().min(1)).min(1))
          .min(1)
          .optional(),
      })
      .strict(),
    brief: z.string().min(1),
    starting_prompt: z.string().min(1),
    test_inputs: z.array(testInputSchema).min(1),
    checks: z.array(promptCheckSchema).default([]),
    /** Checks on each model output when a provider is configured. */
    output_checks: z.array(outputCheckSchema).default([]),
    rubric: z.array(rubricCriterionSchema).min(1),
    requirements: z.array(requirementSchema).min(1),
    /**
     * The job the prompt must order: its action and the reply's shape. Optional so files and stored versions
     * written before it still load (the judge's task checks then stay off); every bundled exercise declares it.
     */
    task: taskSchema.optional(),
    /** Whether the prompt must state an output format (JSON, a single label, N bullets...). */
    format_instruction: z.boolean().default(true),
    /** Phrases of context that the task does not need; each found costs quality. */
    unused_context: z.array(z.object({ phrase: z.string().min(1), reason: z.string().min(1) })).default([]),
    par_tokens: z.number().int().positive(),
    pass_mark: z.number().int().min(1).max(100),
    hints: z.array(z.string().min(1)).default([]),
    reference_solution: z.string().min(1),
  })
  .strict()
  // The rules across fields live in exercise-cross-fields.ts, so they also run on a text this schema refused.
  .superRefine((ex, ctx) => {
    for (const issue of exerciseCrossFieldIssues(ex)) ctx.addIssue({ code: "custom", ...issue });
  });

export type ExerciseFile = z.infer<typeof exerciseFileSchema>;

export const courseFileSchema = z
  .object({
    slug,
    title: z.string().min(3).max(120),
    description: z.string().min(1),
    order: z.number().int().min(0),
  })
  .strict();
export type CourseFile = z.infer<typeof courseFileSchema>;

/**
 * What the learner's browser may see of an exercise: no reference solution, no requirements or rubric, no expected
 * outputs, no `target_when` phrases (the server says which reply size a draft is priced at), no output checks.
 */
export interface LearnerExercise
  extends Pick<
    ExerciseFile,
    | "slug"
    | "title"
    | "course"
    | "skill"
    | "difficulty"
    | "model"
    | "tier"
    | "volume"
    | "brief"
    | "starting_prompt"
    | "checks"
    | "par_tokens"
    | "pass_mark"
    | "hints"
  > {
  /** `shortWhenAsked`: a prompt that asks for the short reply is priced at `target`; otherwise always `baseline`. */
  output_tokens: { baseline: number; target: number; shortWhenAsked: boolean };
  test_inputs: { name: string; input: string }[];
}

export function toLearnerExercise(ex: ExerciseFile): LearnerExercise {
  return {
    slug: ex.slug,
    title: ex.title,
    course: ex.course,
    skill: ex.skill,
    difficulty: ex.difficulty,
    model: ex.model,
    tier: ex.tier,
    volume: ex.volume,
    output_tokens: {
      baseline: ex.output_tokens.baseline,
      target: ex.output_tokens.target,
      shortWhenAsked: ex.output_tokens.target_when !== undefined,
    },
    brief: ex.brief,
    starting_prompt: ex.starting_prompt,
    test_inputs: ex.test_inputs.map((t) => ({ name: t.name, input: t.input })),
    checks: ex.checks,
    par_tokens: ex.par_tokens,
    pass_mark: ex.pass_mark,
    hints: ex.hints,
  };
}
