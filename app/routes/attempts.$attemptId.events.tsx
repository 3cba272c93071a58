import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireUser } from "~/.server/auth";
import { db } from "~/.server/db";
import { attemptProgress } from "~/.server/grading/progress";
import { parseParams } from "~/lib/params";

const POLL_MS = 250;
const MAX_STREAM_MS = 10 * 60_000;

/** Server-sent events: the attempt's grading progress until it is scored or failed. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { attemptId } = parseParams(z.object({ attemptId: z.coerce.number().int().positive() }), params);
  if (!attemptProgress(db(), user.id, attemptId)) throw new Response("Not found", { status: 404 });

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let last = "";
      const started = Date.now();
      const send = () => {
        const progress = attemptProgress(db(), user.id, attemptId);
        const payload = JSON.stringify(progress);
        if (payload !== last) {
          controller.enqueue(encoder.encode(`event: progress\ndata: ${payload}\n\n`));
          last = payload;
        }
        const done = !progress || progress.stage === "scored" || progress.stage === "failed";
        if (done || Date.now() - started > MAX_STREAM_MS || request.signal.aborted) {
          clearInterval(timer);
          controller.close();
        }
      };
      const timer = setInterval(send, POLL_MS);
      request.signal.addEventListener("abort", () => clearInterval(timer));
      send();
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" },
  });
}
