// The production server (`npm start`, `npm run serve`, the browser tests): the built Remix app behind the guards
// every request passes first (server/remix-adapter.ts), static files, compression and a redacted access log.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { config } from "~/.server/config";
import { redactLine } from "~/.server/redact-log";
import { parseTrustedOrigins } from "./csrf";
import { remixHandler } from "./remix-adapter";
import { BASE_HEADERS } from "./security-headers";

installGlobals({ nativeFetch: true });
process.env.NODE_ENV ??= "production";
const cfg = config();
const buildPath = resolve(process.argv[2] ?? "build/server/index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
app.use((_req, res, next) => {
  for (const [k, v] of Object.entries(BASE_HEADERS)) res.setHeader(k, v);
  next();
});
app.use(compression());
app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.use((req, res, next) => {
  // One line per request, with anything named like a token or password taken out of the query string.
  const started = performance.now();
  res.on("finish", () => {
    if (cfg.LOG_LEVEL === "silent" || cfg.LOG_LEVEL === "error") return;
    const ms = (performance.now() - started).toFixed(0);
    console.log(redactLine(`${req.method} ${req.originalUrl} ${res.statusCode} - ${ms} ms`));
  });
  next();
});
const handler = remixHandler(build, process.env.NODE_ENV, {
  trustedOrigins: new Set([new URL(cfg.PUBLIC_URL).origin, ...parseTrustedOrigins(cfg.TRUSTED_ORIGINS)]),
  // Usage uploads: the route refuses a file over USAGE_UPLOAD_MAX_MB itself; a megabyte more here is the form around it.
  limits: {
    body: cfg.MAX_BODY_BYTES,
    imports: cfg.MAX_IMPORT_BYTES,
    uploads: (cfg.USAGE_UPLOAD_MAX_MB + 1) * 1024 * 1024,
  },
  sessionCookie: "tw_session",
});
app.all("*", (req, res, next) => {
  handler(req, res).catch(next);
});

const server = app.listen(cfg.PORT, process.env.HOST ?? "0.0.0.0", () => {
  console.log(`[tokenwise] http://localhost:${cfg.PORT}`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    // Live grading drains first (app/.server/grading/service.ts: calls in flight finish and are settled, leases
    // handed back, within GRADING_SHUTDOWN_SECONDS); the app's entry module sets this hook.
    const drain = (globalThis as { __tokenwiseDrain?: () => Promise<void> }).__tokenwiseDrain;
    (drain ? drain() : Promise.resolve()).finally(() => process.exit(0));
  });
