import { teams, users } from "#db/schema";
import type { Db } from "~/.server/db";
import { DEMO_ACCOUNTS } from "~/.server/seed";
import { seedDemoTraining } from "./demo-training";
import { DEMO_DAYS, seedDemoUsage } from "./demo-usage";

/**
 * The demo organisation's production side, seeded with it on an empty database: DEMO_DAYS days of usage with its
 * attribution rules (demo-usage.ts), and the trained teams' course completions on their training days
 * (demo-training.ts), so showback, attribution and training impact have something real to show on `npm start`.
 */
export async function seedDemoProduction(database: Db, now: Date) {
  const teamIds = new Map(
    database
      .select({ id: teams.id, name: teams.name })
      .from(teams)
      .all()
      .map((t) => [t.name, t.id]),
  );
  const admin = database
    .select({ id: users.id, email: users.email })
    .from(users)
    .all()
    .find((u) => u.email === DEMO_ACCOUNTS[3].email);
  if (!admin) return { rows: 0, attempts: 0, days: DEMO_DAYS };
  const rows = await seedDemoUsage(database, now, teamIds, admin.id);
  const attempts = await seedDemoTraining(database, now, teamIds, DEMO_ACCOUNTS[0].email);
  return { rows, attempts, days: DEMO_DAYS };
}
