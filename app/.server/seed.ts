import { count } from "drizzle-orm";
import { departments, exercises as exercisesTable, teams, users } from "#db/schema";
import { gradeOfflineAttempt, submitAttempt } from "./attempts";
import { getPublishedExercise, type PublishedExercise } from "./catalog";
import { gradeHere } from "./cpu/tasks";
import type { Db } from "./db";
import { createUser, listSessionUsers } from "./users";

export const DEMO_PASSWORD = "tokenwise-demo";

export const DEMO_ACCOUNTS = [
  { email: "learner@tokenwise.example", role: "learner", name: "Lena Learner" },
  { email: "manager@tokenwise.example", role: "manager", name: "Malik Manager" },
  { email: "instructor@tokenwise.example", role: "instructor", name: "Ines Instructor" },
  { email: "admin@tokenwise.example", role: "admin", name: "Ada Admin" },
] as const;

const ORG = [
  {
    department: "Customer Support",
    costCentre: "CC-2100",
    teams: {
      "Support EMEA": ["Lena Learner", "Omar Haddad", "Sofia Rossi", "Jonas Berg"],
      "Support Americas": ["Priya Nair", "Diego Alvarez", "Grace Kim"],
    },
  },
  {
    department: "Engineering",
    costCentre: "CC-3300",
    teams: { Platform: ["Ines Instructor", "Tom Becker", "Yuki Tanaka"], Data: ["Ada Admin", "Noor Aziz"] },
  },
  { department: "Finance", costCentre: "CC-4100", teams: { "FP&A": ["Malik Manager", "Clara Dubois"] } },
];

/** True when the database holds no users yet: the demo organisation is only ever seeded into an empty database. */
export function isEmpty(database: Db): boolean {
  return (database.select({ n: count() }).from(users).get()?.n ?? 0) === 0;
}

export async function seedDemoOrganisation(database: Db): Promise<void> {
  const teamIds = new Map<string, number>();
  const memberTeam = new Map<string, number>();
  for (const dept of ORG) {
    const { id: departmentId } = database
      .insert(departments)
      .values({ name: dept.department, costCentre: dept.costCentre })
      .returning({ id: departments.id })
      .get();
    for (const [name, members] of Object.entries(dept.teams)) {
      const { id } = database.insert(teams).values({ name, departmentId }).returning({ id: teams.id }).get();
      teamIds.set(name, id);
      for (const m of members) memberTeam.set(m, id);
    }
  }
  const special = new Map<string, (typeof DEMO_ACCOUNTS)[number]>(DEMO_ACCOUNTS.map((a) => [a.name, a]));
  for (const [name, teamId] of memberTeam) {
    const account = special.get(name);
    const email = account?.email ?? `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@tokenwise.example`;
    await createUser(database, {
      email,
      name,
      password: DEMO_PASSWORD,
      teamId,
      roles: account ? [account.role] : ["learner"],
      manages:
        account?.role === "manager" ? [teamIds.get("Support EMEA")!, teamIds.get("Support Americas")!] : undefined,
    });
  }
}

/** Variations on the reference solution that demo learners "submit", so leaderboards have something to show. */
export const DEMO_TWEAKS = [
  (p: string) => p,
  (p: string) => `Please read carefully. ${p}`,
  (p: string) => `${p}\nThank you very much for your help, it is really appreciated.`,
  (p: string) => `You are a helpful assistant working for our company.\n${p}`,
];

/** Everyone in the demo organisation but Lena Learner, who starts with a clean slate. */
export const DEMO_LEARNER_COUNT = ORG.flatMap((d) => Object.values(d.teams).flat()).length - 1;

/**
 * Which demo learner attempts which exercise (by position), with which tweak of the reference solution and whether
 * the starting prompt goes first: a deterministic spread, so some learners attempt more exercises than others and
 * some fail first. Pure, so a test can check that every exercise of every course gets a passing attempt.
 */
export function demoAttemptPlan(learners: number, exercises: number) {
  const plan: { learner: number; exercise: number; tweak: number; startFirst: boolean }[] = [];
  for (let ui = 0; ui < learners; ui++)
    for (let ei = 0; ei < exercises; ei++) {
      if ((ui * 7 + ei * 3) % 5 >= 3 - (ui % 3)) continue;
      plan.push({ learner: ui, exercise: ei, tweak: (ui + ei) % DEMO_TWEAKS.length, startFirst: (ui + ei) % 4 === 0 });
    }
  return plan;
}

/**
 * Demo learners' attempts, graded by the real grader so every figure is genuine. Lena Learner
 * (the demo learner) is left with a clean slate.
 */
export async function seedDemoAttempts(database: Db): Promise<number> {
  const published = database
    .select({ slug: exercisesTable.slug })
    .from(exercisesTable)
    .orderBy(exercisesTable.id)
    .all();
  const learners = listSessionUsers(database).filter((u) => u.email !== DEMO_ACCOUNTS[0].email);
  let made = 0;
  // Graded on this thread: the seed runs before the server starts, on content from the repository.
  const submit = (user: (typeof learners)[number], exercise: PublishedExercise, prompt: string) =>
    gradeOfflineAttempt(
      database,
      { ...user, userId: user.id },
      exercise,
      submitAttempt(database, user, exercise, prompt),
      gradeHere,
    );
  for (const step of demoAttemptPlan(learners.length, published.length)) {
    const user = learners[step.learner];
    const exercise = getPublishedExercise(database, published[step.exercise].slug);
    if (!exercise) continue;
    if (step.startFirst) await submit(user, exercise, exercise.content.starting_prompt);
    await submit(user, exercise, DEMO_TWEAKS[step.tweak](exercise.content.reference_solution));
    made++;
  }
  return made;
}
