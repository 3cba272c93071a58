import { uuidV5, XAPI_VERSION } from "./statement";

/**
 * xAPI statements of the learning journey (pure): "<manager> assigned <learner>" with the course as the context
 * activity and the due date, one per learner; "<learner> completed <course>" once per learner and course. Ids are
 * UUID v5 of stable URLs, so queueing one twice or re-sending it to an LRS is the same statement.
 */

const ASSIGN = "http://activitystrea.ms/schema/1.0/assign";
const COMPLETED = "http://adlnet.gov/expapi/verbs/completed";
const COURSE = "http://adlnet.gov/expapi/activities/course";
const EXT = "https://tokenwise.dev/xapi";

export interface Person {
  name: string;
  email: string;
}
export interface CourseRef {
  slug: string;
  title: string;
}

const base = (publicUrl: string) => publicUrl.replace(/\/+$/, "");
const agent = (p: Person) => ({ objectType: "Agent" as const, name: p.name, mbox: `mailto:${p.email}` });
const courseActivity = (root: string, c: CourseRef) => ({
  objectType: "Activity" as const,
  id: `${root}/courses/${c.slug}`,
  definition: { type: COURSE, name: { "en-US": c.title } },
});

export interface AssignedFacts {
  assignmentId: number;
  learnerId: number;
  learner: Person;
  /** Who assigned it; null when that account is gone (the platform is named instead). */
  assigner: Person | null;
  course: CourseRef;
  dueAt: Date;
  exercises: number;
  /** The team it was assigned to, or null for an assignment to one person. */
  team: string | null;
  at: Date;
}

export function assignedStatementId(publicUrl: string, assignmentId: number, learnerId: number): string {
  return uuidV5(`${base(publicUrl)}/assignments/${assignmentId}/learners/${learnerId}`);
}

export function buildAssignedStatement(f: AssignedFacts, publicUrl: string) {
  const root = base(publicUrl);
  return {
    id: assignedStatementId(root, f.assignmentId, f.learnerId),
    actor: f.assigner
      ? agent(f.assigner)
      : { objectType: "Agent" as const, name: "Tokenwise", account: { homePage: root, name: "tokenwise" } },
    verb: { id: ASSIGN, display: { "en-US": "assigned" } },
    object: agent(f.learner),
    context: {
      platform: "Tokenwise",
      language: "en-US",
      contextActivities: { parent: [courseActivity(root, f.course)] },
      extensions: {
        [`${EXT}/due`]: f.dueAt.toISOString(),
        [`${EXT}/assignment`]: `${root}/assignments/${f.assignmentId}`,
        [`${EXT}/exercises`]: f.exercises,
        [`${EXT}/team`]: f.team ?? "",
      },
    },
    timestamp: f.at.toISOString(),
    version: XAPI_VERSION,
  };
}

export interface CompletedFacts {
  learnerId: number;
  learner: Person;
  course: CourseRef;
  completedAt: Date;
  exercises: number;
  /** The assignment it completed, with its due date; null for a course nobody assigned. */
  assignment: { id: number; dueAt: Date } | null;
}

export function completedStatementId(publicUrl: string, courseSlug: string, learnerId: number): string {
  return uuidV5(`${base(publicUrl)}/courses/${courseSlug}/completions/${learnerId}`);
}

export function buildCompletedStatement(f: CompletedFacts, publicUrl: string) {
  const root = base(publicUrl);
  const extensions: Record<string, string | number | boolean> = {
    [`${EXT}/exercises`]: f.exercises,
    [`${EXT}/certificate`]: `${root}/certificates/${f.course.slug}`,
  };
  if (f.assignment) {
    extensions[`${EXT}/assignment`] = `${root}/assignments/${f.assignment.id}`;
    extensions[`${EXT}/due`] = f.assignment.dueAt.toISOString();
    extensions[`${EXT}/on-time`] = f.completedAt.getTime() <= f.assignment.dueAt.getTime();
  }
  return {
    id: completedStatementId(root, f.course.slug, f.learnerId),
    actor: agent(f.learner),
    verb: { id: COMPLETED, display: { "en-US": "completed" } },
    object: courseActivity(root, f.course),
    result: { completion: true, success: true },
    context: { platform: "Tokenwise", language: "en-US", extensions },
    timestamp: f.completedAt.toISOString(),
    version: XAPI_VERSION,
  };
}
