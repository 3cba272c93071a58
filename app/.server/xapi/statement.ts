import { createHash } from "node:crypto";

/**
 * xAPI 1.0.3 statements, one per graded attempt: "<learner> passed|failed <exercise>", with the
 * scaled score, success, completion, duration, and tokens and cost in result extensions. Statement
 * ids are UUID v5 of the attempt's URL, so a statement downloaded twice or re-sent to an LRS is the
 * same statement (an LRS ignores an identical re-send instead of storing a duplicate). Pure: no
 * database, no configuration.
 */

export const XAPI_VERSION = "1.0.3";
const VERB = {
  passed: "http://adlnet.gov/expapi/verbs/passed",
  failed: "http://adlnet.gov/expapi/verbs/failed",
} as const;
const ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment";
const COURSE = "http://adlnet.gov/expapi/activities/course";
const EXT = "https://tokenwise.dev/xapi";
const MAX_SCORE = 1000;

export interface XapiStatement {
  id: string;
  actor: { objectType: "Agent"; name: string; mbox: string };
  verb: { id: string; display: Record<string, string> };
  object: {
    objectType: "Activity";
    id: string;
    definition: { type: string; name: Record<string, string>; description: Record<string, string> };
  };
  result: {
    score: { scaled: number; raw: number; min: number; max: number };
    success: boolean;
    completion: boolean;
    duration: string;
    extensions: Record<string, string | number | null>;
  };
  context: {
    platform: string;
    language: string;
    contextActivities: {
      parent: { objectType: "Activity"; id: string; definition: { type: string; name: Record<string, string> } }[];
    };
    extensions: Record<string, string | number>;
  };
  timestamp: string;
}

/** What a statement is made of: one graded attempt with its learner, exercise and course. */
export interface GradedAttempt {
  attemptId: number;
  createdAt: Date;
  gradedAt: Date | null;
  passed: boolean;
  score: number;
  quality: number | null;
  efficiency: number | null;
  promptTokens: number | null;
  baselineTokens: number | null;
  costPerCallMicros: number | null;
  monthlyCostMicros: number | null;
  baselineMonthlyCostMicros: number | null;
  gradingCostMicros: number;
  modelId: string;
  judge: string | null;
  learner: { name: string; email: string };
  exercise: { slug: string; title: string; brief: string; skill: string; difficulty: number; version: number };
  course: { slug: string; title: string };
}

const URL_NAMESPACE = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";

/** RFC 4122 version-5 (SHA-1, name-based) UUID. */
export function uuidV5(name: string, namespace = URL_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const bytes = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const base = (publicUrl: string) => publicUrl.replace(/\/+$/, "");

export function statementId(publicUrl: string, attemptId: number): string {
  return uuidV5(`${base(publicUrl)}/attempts/${attemptId}`);
}

/** ISO 8601 duration with at most two decimals of seconds (xAPI keeps 0.01 s precision), e.g. PT1M5.25S. */
export function isoDuration(ms: number): string {
  const centis = Math.max(0, Math.round(ms / 10));
  const hours = Math.floor(centis / 360_000);
  const minutes = Math.floor((centis % 360_000) / 6000);
  const seconds = (centis % 6000) / 100;
  return `PT${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds || (!hours && !minutes) ? `${seconds}S` : ""}`;
}

/**
 * The brief's first paragraph of prose as plain text, for the activity description: heading lines are skipped (briefs
 * open with "## Why this costs money", which described every exercise alike).
 */
export function plainSummary(markdown: string, max = 280): string {
  const withoutHeadings = (p: string) =>
    p
      .split("\n")
      .filter((line) => !/^\s{0,3}#{1,6}(?:\s|$)/.test(line))
      .join("\n")
      .trim();
  const paragraph =
    markdown
      .trim()
      .split(/\n\s*\n/)
      .map(withoutHeadings)
      .find((p) => p.length > 0) ?? "";
  const text = paragraph
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[*_#>]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export function buildStatement(a: GradedAttempt, publicUrl: string): XapiStatement {
  const root = base(publicUrl);
  const verb = a.passed ? "passed" : "failed";
  const graded = a.gradedAt ?? a.createdAt;
  return {
    id: statementId(root, a.attemptId),
    actor: { objectType: "Agent", name: a.learner.name, mbox: `mailto:${a.learner.email}` },
    verb: { id: VERB[verb], display: { "en-US": verb } },
    object: {
      objectType: "Activity",
      id: `${root}/exercises/${a.exercise.slug}`,
      definition: {
        type: ASSESSMENT,
        name: { "en-US": a.exercise.title },
        description: { "en-US": plainSummary(a.exercise.brief) },
      },
    },
    result: {
      score: { scaled: a.score / MAX_SCORE, raw: a.score, min: 0, max: MAX_SCORE },
      success: a.passed,
      // A graded attempt is a completed assessment whether or not it passed.
      completion: true,
      duration: isoDuration(graded.getTime() - a.createdAt.getTime()),
      extensions: {
        [`${EXT}/tokens`]: a.promptTokens,
        [`${EXT}/baseline-tokens`]: a.baselineTokens,
        [`${EXT}/cost-micros`]: a.costPerCallMicros,
        [`${EXT}/monthly-cost-micros`]: a.monthlyCostMicros,
        [`${EXT}/baseline-monthly-cost-micros`]: a.baselineMonthlyCostMicros,
        [`${EXT}/grading-cost-micros`]: a.gradingCostMicros,
        [`${EXT}/quality`]: a.quality,
        [`${EXT}/efficiency`]: a.efficiency,
        [`${EXT}/model`]: a.modelId,
        [`${EXT}/judge`]: a.judge,
      },
    },
    context: {
      platform: "Tokenwise",
      language: "en-US",
      contextActivities: {
        parent: [
          {
            objectType: "Activity",
            id: `${root}/courses/${a.course.slug}`,
            definition: { type: COURSE, name: { "en-US": a.course.title } },
          },
        ],
      },
      extensions: {
        [`${EXT}/skill`]: a.exercise.skill,
        [`${EXT}/difficulty`]: a.exercise.difficulty,
        [`${EXT}/exercise-version`]: a.exercise.version,
      },
    },
    timestamp: graded.toISOString(),
  };
}
