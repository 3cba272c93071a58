import { eq } from "drizzle-orm";
import { userRoles } from "#db/schema";
import { seedDemoAssignments } from "./assignments/demo-assignments";
import { config } from "./config";
import { syncContent } from "./content";
import { ensureRollups } from "./dashboard/rollup";
import { db } from "./db";
import { log } from "./log";
import { seedModels } from "./models";
import { isEmpty, seedDemoAttempts, seedDemoOrganisation } from "./seed";
import { seedDemoProduction } from "./usage/demo-production";
import { refreshTeamTraining } from "./usage/training-dates";
import { createUser, findUserIdByEmail } from "./users";

/**
 * Makes the database ready to serve: migrations (on open), exercises synced from files,
 * the demo organisation seeded into an empty database (unless DEMO_SEED=false), and the first
 * admin created from ADMIN_EMAIL / ADMIN_PASSWORD when given.
 */
export async function prepareDatabase(): Promise<void> {
  const cfg = config();
  const database = db();
  const wasEmpty = isEmpty(database);
  const addedModels = seedModels(database, cfg.MODELS_FILE);
  if (addedModels) log.info(`model catalogue: added ${addedModels} models from ${cfg.MODELS_FILE}`);
  const report = syncContent(database, cfg.EXERCISES_DIR);
  log.info(
    `content: ${report.courses} courses, ${report.exercises} exercises, ${report.lessons} lessons` +
      (report.newVersions.length ? `, new versions: ${report.newVersions.join(", ")}` : "") +
      (report.archived.length ? `, archived: ${report.archived.join(", ")}` : ""),
  );
  if (wasEmpty && cfg.DEMO_SEED) {
    await seedDemoOrganisation(database);
    const attempts = await seedDemoAttempts(database);
    log.info(`seeded the demo organisation and ${attempts} graded demo attempts (set DEMO_SEED=false to skip)`);
    const usage = await seedDemoProduction(database, new Date());
    log.info(
      `seeded ${usage.days} days of demo production usage (${usage.rows} rows) and ${usage.attempts} training attempts`,
    );
    // After the training attempts: assignments made now find who had already completed them.
    log.info(`seeded ${seedDemoAssignments(database, new Date())} demo assignments`);
  }
  if (cfg.ADMIN_EMAIL && cfg.ADMIN_PASSWORD && findUserIdByEmail(database, cfg.ADMIN_EMAIL) === undefined) {
    const id = await createUser(database, {
      email: cfg.ADMIN_EMAIL,
      name: cfg.ADMIN_NAME,
      password: cfg.ADMIN_PASSWORD,
      teamId: null,
      roles: ["admin"],
    });
    log.info(`created admin ${cfg.ADMIN_EMAIL} (user ${id})`);
  }
  ensureRollups(database);
  refreshTeamTraining(database);
  const admins = database.select().from(userRoles).where(eq(userRoles.role, "admin")).all();
  if (admins.length === 0) log.info("no admin account exists: set ADMIN_EMAIL and ADMIN_PASSWORD to create one");
}
