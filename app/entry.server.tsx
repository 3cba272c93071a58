import { PassThrough } from "node:stream";

import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";

import { cpuPool } from "~/.server/cpu/pool";
import { db } from "~/.server/db";
import { drainLiveGrading, liveGrading } from "~/.server/grading/service";
import { log } from "~/.server/log";
import { startMaintenance } from "~/.server/maintenance";
import { recoverOfflineAttempts } from "~/.server/offline-recovery";
import { reattribute } from "~/.server/usage/reattribution";
import { NonceContext } from "~/components/nonce";

const ABORT_DELAY = 5_000;

// Open the database at start: the process then holds its lock (app/.server/db-lock.ts), so `npm run db:restore`
// refuses to replace it from the moment the server runs, not from its first request.
if (process.env.NODE_ENV !== "test") db();

// Start the grading worker with the server (when a provider is configured), so jobs a previous
// process left unfinished are resumed without waiting for a visitor.
// On SIGTERM the server (server/index.ts) closes its listener and calls this drain before it exits: calls in flight
// finish and are settled, leases are handed back.
if (process.env.NODE_ENV !== "test") {
  liveGrading();
  (globalThis as { __tokenwiseDrain?: () => Promise<void> }).__tokenwiseDrain = drainLiveGrading;
}

// The CPU pool's threads start and load their encoders now, not on the first learner's submission.
if (process.env.NODE_ENV !== "test") cpuPool();

// Offline attempts a previous process left "grading" (kill -9 between storing and scoring) are graded again.
const recovered = globalThis as { __tokenwiseRecovered?: boolean };
if (process.env.NODE_ENV !== "test" && !recovered.__tokenwiseRecovered) {
  recovered.__tokenwiseRecovered = true;
  void recoverOfflineAttempts(db());
  // Production usage days a previous process left marked (killed while attributing history again) are finished now,
  // in the background, not at the first upkeep tick.
  void reattribute(db());
}

// Background upkeep (expired cache rows, stale budget holds, xAPI statements to the LRS) on
// MAINTENANCE_INTERVAL_SECONDS. The dev server re-runs this module when a file it imports changes:
// the previous scheduler is stopped first, so there is never more than one.
const running = globalThis as { __tokenwiseStopMaintenance?: () => Promise<void> };
if (process.env.NODE_ENV !== "test") {
  void running.__tokenwiseStopMaintenance?.();
  running.__tokenwiseStopMaintenance = startMaintenance();
}

/** Errors of loaders, actions and rendering, through the app's logger (which redacts tokens from every line). */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  const url = new URL(request.url);
  // A 404 for a path no route matches (a browser asking for /favicon.ico) is not an error of the app.
  if (error && typeof error === "object" && "status" in error && (error as { status: number }).status < 500) return;
  log.error(`${request.method} ${url.pathname}${url.search} failed:`, error);
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Set by server/remix-adapter.ts (absent under the Vite dev server, which sends no CSP).
  const nonce = (loadContext as { cspNonce?: string }).cspNonce ?? "";
  // Crawlers and SPA mode get the whole document at once; browsers get it streamed from the shell.
  const waitForAll = isbot(request.headers.get("user-agent")) || remixContext.isSpaMode;
  return renderDocument(request, responseStatusCode, responseHeaders, remixContext, nonce, waitForAll);
}

function renderDocument(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  nonce: string,
  waitForAll: boolean,
) {
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const respond = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html");
      resolve(
        new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
      );
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        ...(waitForAll ? { onAllReady: respond } : { onShellReady: respond }),
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // An error while streaming after the shell is logged here (through the redacting logger); one in the shell
          // rejects and is logged by handleError.
          if (shellRendered)
            log.error(`${request.method} ${new URL(request.url).pathname} failed while streaming:`, error);
        },
      },
    );

    setTimeout(abort, ABORT_DELAY);
  });
}
