import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "~/domain/password-links";

/**
 * All configuration, read once from the environment and validated. Every variable is documented
 * in the README; nothing else in the app reads process.env.
 */

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], {
    errorMap: () => ({ message: "must be true or false" }),
  })
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A positive decimal number of seconds (or minutes), bounded; an empty value is an error, not 0. */
function seconds(min: number, max: number, fallback: number, unit = "seconds") {
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/, `must be a number of ${unit}`)
    .default(String(fallback))
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min} ${unit}`).max(max, `must be at most ${max} ${unit}`));
}

/** A claim name in an ID token or userinfo reply: letters, digits and a few separators (namespaced URLs too). */
export const CLAIM_NAME = /^[A-Za-z0-9_:./-]{1,200}$/;

/** Variables earlier versions read, and where their job went: set, they stop the app rather than do nothing. */
const RETIRED: Record<string, string> = {
  LLM_MODEL_NANO: "models are mapped by name: say in MODELS_FILE which provider serves each model (served_as)",
  LLM_MODEL_SMALL: "models are mapped by name: say in MODELS_FILE which provider serves each model (served_as)",
  LLM_MODEL_MEDIUM: "models are mapped by name: say in MODELS_FILE which provider serves each model (served_as)",
  LLM_MODEL_FRONTIER: "models are mapped by name: say in MODELS_FILE which provider serves each model (served_as)",
  LLM_JUDGE_PROVIDER_MODEL: "the judge's provider name is its catalogue entry's served_as in MODELS_FILE",
  LLM_EMBEDDING_PROVIDER_MODEL: "the embeddings model's provider name is its served_as in MODELS_FILE",
  LLM_MAX_RETRIES: "retries are per call now, within LLM_RETRY_BUDGET_MINUTES",
};

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    DATABASE_PATH: z.string().min(1).default("data/tokenwise.db"),
    EXERCISES_DIR: z.string().min(1).default("exercises"),
    MODELS_FILE: z.string().min(1).default("db/models.yaml"),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    SESSION_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    SECURE_COOKIES: bool.default("false"),
    DEMO_SEED: bool.default("true"),
    ADMIN_EMAIL: z.string().email("must be an email address").optional(),
    ADMIN_PASSWORD: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
      .optional(),
    ADMIN_NAME: z.string().min(1).default("Administrator"),
    MAX_PROMPT_CHARS: z.coerce.number().int().min(100).max(200_000).default(20_000),
    // CPU-bound work (token counts, offline grading) runs on worker threads, each task within a time limit.
    // Default: one core left for the event loop (1 on a 2-core machine).
    CPU_WORKERS: z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .default(Math.max(1, availableParallelism() - 1)),
    CPU_TASK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    // The CPU threads' nice value on Linux (0 = the server's priority, 19 = the lowest): pages win a busy CPU.
    CPU_WORKERS_NICE: z.coerce.number().int().min(0).max(19).default(10),
    // Submissions per learner per minute; past it, a 429 with Retry-After (one learner cannot flood the graders).
    SUBMIT_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(12),
    // Requests that change state must come from this site: its PUBLIC_URL's origin and these (a proxy's address).
    TRUSTED_ORIGINS: z
      .string()
      .optional()
      .refine(
        (v) =>
          !v ||
          v.split(",").every((o) => {
            try {
              return o.trim() === "" || ["http:", "https:"].includes(new URL(o.trim()).protocol);
            } catch {
              return false;
            }
          }),
        "must be comma-separated origins such as https://lms.example.com",
      ),
    // Largest request body, read before anything else; CSV and exercise-file imports may be larger.
    MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(1_073_741_824).default(1_048_576),
    MAX_IMPORT_BYTES: z.coerce.number().int().min(1024).max(1_073_741_824).default(10_485_760),
    LOG_LEVEL: z.enum(["silent", "error", "info", "debug"]).default("info"),
    // Live grading by a real model provider; "none" keeps everything on the offline judge.
    LLM_PROVIDER: z.enum(["none", "openai-compatible", "anthropic"]).default("none"),
    LLM_BASE_URL: z.string().url("must be a URL such as http://localhost:11434/v1").optional(),
    LLM_API_KEY: z.string().min(1).optional(),
    // The judge, by catalogue id; which provider serves it and under what name is the catalogue's (served_as).
    LLM_JUDGE_MODEL: z.string().min(1).default("gpt-4.1-mini"),
    LLM_EMBEDDING_MODEL: z.string().min(1).optional(),
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    LLM_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
    // Retries are per call: a failing call is tried again (full jitter, never sooner than Retry-After) until this
    // much time has passed since its first try; while the provider is down, attempts wait rather than fail.
    LLM_RETRY_BUDGET_MINUTES: seconds(0.01, 24 * 60, 10, "minutes"),
    // A grading job's lease: renewed every heartbeat while the job runs; a dead worker's jobs are taken over once
    // it lapses (at once, on this machine, when the worker's process is gone).
    GRADING_LEASE_SECONDS: seconds(0.2, 3600, 15),
    GRADING_HEARTBEAT_SECONDS: seconds(0.05, 1200, 5),
    // On SIGTERM: stop taking jobs, let calls in flight finish for up to this long, then settle and hand back.
    GRADING_SHUTDOWN_SECONDS: seconds(0, 600, 20),
    CACHE_TTL_HOURS: z.coerce
      .number()
      .min(0)
      .max(24 * 365)
      .default(168),
    SEMANTIC_CACHE_THRESHOLD: z.coerce.number().min(0.5).max(1).default(0.97),
    // Learning-record store for xAPI statements (optional): statements are always downloadable.
    XAPI_LRS_URL: z.string().url("must be the LRS statements endpoint URL").optional(),
    XAPI_LRS_USERNAME: z.string().min(1).optional(),
    XAPI_LRS_PASSWORD: z.string().min(1).optional(),
    // Production usage: the largest file an admin may upload for import (FOCUS exports run to gigabytes).
    USAGE_UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(100_000).default(2048),
    // Scheduled pulls of production usage (app/.server/usage/pulls.ts), each source on when its key is set. The
    // keys are admin keys: read only by the pull, never logged, never sent to a browser.
    OPENAI_ADMIN_KEY: z.string().min(1).optional(),
    OPENAI_ADMIN_URL: z
      .string()
      .url("must be the API's base URL, e.g. https://api.openai.com/v1")
      .default("https://api.openai.com/v1"),
    ANTHROPIC_ADMIN_KEY: z.string().min(1).optional(),
    ANTHROPIC_ADMIN_URL: z
      .string()
      .url("must be the API's origin, e.g. https://api.anthropic.com")
      .default("https://api.anthropic.com"),
    LITELLM_URL: z.string().url("must be the LiteLLM proxy's URL, e.g. http://litellm:4000").optional(),
    LITELLM_API_KEY: z.string().min(1).optional(),
    USAGE_PULL_HOURS: z.coerce.number().min(0.05).max(168).default(6),
    USAGE_PULL_BACKFILL_DAYS: z.coerce.number().int().min(1).max(366).default(30),
    PUBLIC_URL: z
      .string()
      .url("must be the app's public URL, e.g. https://tokenwise.example.com")
      .default("http://localhost:3000"),
    // Company sign-in (OpenID Connect). Set here, they win over the admin's Sign-in page (shown there read-only).
    OIDC_ISSUER: z
      .string()
      .url("must be the identity provider's issuer URL, e.g. https://login.example.com/realms/acme")
      .optional(),
    OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
    OIDC_EMAIL_CLAIM: z.string().regex(CLAIM_NAME, "must be a claim name such as email or upn").default("email"),
    OIDC_TEAM_CLAIM: z.string().regex(CLAIM_NAME, "must be a claim name such as team").optional(),
    OIDC_DEPARTMENT_CLAIM: z.string().regex(CLAIM_NAME, "must be a claim name such as department").optional(),
    OIDC_TIMEOUT_SECONDS: seconds(1, 120, 10),
    // "off": only company sign-in (passwords refused); unset, the admin's Sign-in page decides.
    LOCAL_PASSWORDS: z.enum(["on", "off"], { errorMap: () => ({ message: "must be on or off" }) }).optional(),
    // Break glass: admins may sign in with their password even while passwords are off (for a broken provider).
    LOCAL_SIGN_IN_BREAK_GLASS: bool.default("false"),
    // Background upkeep (expired cache rows, budget holds of dead workers, xAPI sending); 0 turns it off.
    // Digits only: an empty value must be an error, not coerced to 0, which would silently turn it off.
    MAINTENANCE_INTERVAL_SECONDS: z
      .string()
      .regex(/^\d+$/, "must be a whole number of seconds (0 turns maintenance off)")
      .default("60")
      .transform(Number)
      .pipe(z.number().max(86_400, "must be at most 86400 seconds (one day)")),
    // Online backups (app/.server/backup): where, how often (checked on each upkeep run; 0 turns them off), how many kept.
    BACKUP_DIR: z.string().min(1).optional(),
    BACKUP_INTERVAL_HOURS: z
      .string()
      .regex(/^\d+(\.\d+)?$/, "must be a number of hours such as 24 or 0.5 (0 turns scheduled backups off)")
      .default("24")
      .transform(Number)
      .pipe(z.number().max(24 * 31, "must be at most 744 hours (31 days)")),
    BACKUP_KEEP: z
      .string()
      .regex(/^\d+$/, "must be a whole number of backups to keep")
      .default("7")
      .transform(Number)
      .pipe(z.number().min(1, "must keep at least 1 backup").max(1000, "must be at most 1000")),
  })
  .superRefine((env, ctx) => {
    if (env.GRADING_HEARTBEAT_SECONDS * 2 > env.GRADING_LEASE_SECONDS)
      ctx.addIssue({
        code: "custom",
        path: ["GRADING_HEARTBEAT_SECONDS"],
        message: "must be at most half of GRADING_LEASE_SECONDS, so one missed heartbeat does not lose the lease",
      });
    if (env.LLM_PROVIDER === "anthropic" && !env.LLM_API_KEY)
      ctx.addIssue({ code: "custom", path: ["LLM_API_KEY"], message: "is required when LLM_PROVIDER=anthropic" });
    if (env.LLM_PROVIDER === "openai-compatible" && !env.LLM_BASE_URL && !env.LLM_API_KEY)
      ctx.addIssue({
        code: "custom",
        path: ["LLM_BASE_URL"],
        message: "set LLM_BASE_URL (e.g. Ollama, vLLM) or LLM_API_KEY (OpenAI) when LLM_PROVIDER=openai-compatible",
      });
    if (env.OIDC_ISSUER && !(env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET))
      ctx.addIssue({
        code: "custom",
        path: [env.OIDC_CLIENT_ID ? "OIDC_CLIENT_SECRET" : "OIDC_CLIENT_ID"],
        message: "OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together",
      });
    if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [env.ADMIN_EMAIL ? "ADMIN_PASSWORD" : "ADMIN_EMAIL"],
        message: "ADMIN_EMAIL and ADMIN_PASSWORD must be set together",
      });
    }
  });

export type Config = Omit<z.infer<typeof envSchema>, "SESSION_SECRET" | "BACKUP_DIR"> & {
  SESSION_SECRET: string;
  BACKUP_DIR: string;
};

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const retired = Object.keys(RETIRED).filter((name) => env[name] !== undefined);
  if (!parsed.success || retired.length > 0) {
    const lines = [
      ...retired.map((name) => `  ${name}: is no longer read; ${RETIRED[name]}`),
      ...(parsed.success ? [] : parsed.error.issues).map(
        (i) => `  ${i.path.join(".") || "(environment)"}: ${i.message}`,
      ),
    ];
    throw new ConfigError(`Invalid configuration in environment variables:\n${lines.join("\n")}`);
  }
  const cfg = parsed.data!;
  return {
    ...cfg,
    SESSION_SECRET: cfg.SESSION_SECRET ?? localSessionSecret(cfg.DATABASE_PATH),
    // Beside the database by default; a deployment puts it on another disk.
    BACKUP_DIR: cfg.BACKUP_DIR ?? join(dirname(cfg.DATABASE_PATH), "backups"),
  };
}

/**
 * With no SESSION_SECRET, a random one is kept beside the database so that `npm start` works on a
 * fresh machine and sessions survive restarts. Deployments set SESSION_SECRET.
 */
function localSessionSecret(databasePath: string): string {
  const file = join(dirname(resolve(databasePath)), ".session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

let cached: Config | undefined;

export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** For tests that change the environment between cases. */
export function resetConfigForTests(): void {
  cached = undefined;
}
