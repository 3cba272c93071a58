import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
    CPU_WORKERS: z.coerce.number().int().min(1).max(64).default(2),
    CPU_TASK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
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
    LLM_MODEL_NANO: z.string().min(1).optional(),
    LLM_MODEL_SMALL: z.string().min(1).optional(),
    LLM_MODEL_MEDIUM: z.string().min(1).optional(),
    LLM_MODEL_FRONTIER: z.string().min(1).optional(),
    LLM_JUDGE_MODEL: z.string().min(1).default("gpt-4.1-mini"),
    LLM_JUDGE_PROVIDER_MODEL: z.string().min(1).optional(),
    LLM_EMBEDDING_MODEL: z.string().min(1).optional(),
    // The provider's name for the embeddings model, when it differs from the catalogue id (an Azure deployment,
    // an Ollama tag); the catalogue id still prices the calls.
    LLM_EMBEDDING_PROVIDER_MODEL: z.string().min(1).optional(),
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    LLM_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
    LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
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
    PUBLIC_URL: z
      .string()
      .url("must be the app's public URL, e.g. https://tokenwise.example.com")
      .default("http://localhost:3000"),
    // Background upkeep (expired cache rows, budget holds of dead workers, xAPI sending); 0 turns it off.
    // Digits only: an empty value must be an error, not coerced to 0, which would silently turn it off.
    MAINTENANCE_INTERVAL_SECONDS: z
      .string()
      .regex(/^\d+$/, "must be a whole number of seconds (0 turns maintenance off)")
      .default("60")
      .transform(Number)
      .pipe(z.number().max(86_400, "must be at most 86400 seconds (one day)")),
  })
  .superRefine((env, ctx) => {
    if (env.LLM_PROVIDER === "anthropic" && !env.LLM_API_KEY)
      ctx.addIssue({ code: "custom", path: ["LLM_API_KEY"], message: "is required when LLM_PROVIDER=anthropic" });
    if (env.LLM_PROVIDER === "openai-compatible" && !env.LLM_BASE_URL && !env.LLM_API_KEY)
      ctx.addIssue({
        code: "custom",
        path: ["LLM_BASE_URL"],
        message: "set LLM_BASE_URL (e.g. Ollama, vLLM) or LLM_API_KEY (OpenAI) when LLM_PROVIDER=openai-compatible",
      });
    if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [env.ADMIN_EMAIL ? "ADMIN_PASSWORD" : "ADMIN_EMAIL"],
        message: "ADMIN_EMAIL and ADMIN_PASSWORD must be set together",
      });
    }
  });

export type Config = Omit<z.infer<typeof envSchema>, "SESSION_SECRET"> & { SESSION_SECRET: string };

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(environment)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration in environment variables:\n${lines.join("\n")}`);
  }
  const cfg = parsed.data;
  return { ...cfg, SESSION_SECRET: cfg.SESSION_SECRET ?? localSessionSecret(cfg.DATABASE_PATH) };
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
