/**
 * The page's main-thread tasks between two performance marks, from a Chromium trace: the longtask API only reports
 * tasks over 50 ms, and the typing benchmark also wants the longest one below that.
 */
import type { Page } from "playwright-core";

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { data?: { type?: string; url?: string; functionName?: string } };
}

export interface Task {
  ms: number;
  /** The task's largest outermost parts, e.g. "FunctionCall prompt-editor.client-x.js 12.1 ms", biggest first. */
  parts: string[];
}

export interface MainThreadTrace {
  /** Ends the trace and returns the main-thread tasks between the two marks, in order. */
  tasksBetween: (startMark: string, endMark: string) => Promise<Task[]>;
}

/** Parts shorter than this are not worth naming. */
const MIN_PART_US = 500;

function describe(e: TraceEvent): string {
  const d = e.args?.data;
  const what = d?.type ?? [d?.functionName, d?.url?.replace(/^.*\//, "")].filter(Boolean).join(" ");
  return `${e.name}${what ? ` ${what}` : ""} ${((e.dur ?? 0) / 1000).toFixed(1)} ms`;
}

/** Starts tracing the page's renderer: one "RunTask" event per task of each thread, plus performance marks. */
export async function traceMainThread(page: Page): Promise<MainThreadTrace> {
  const cdp = await page.context().newCDPSession(page);
  const complete = new Promise<string>((resolve, reject) =>
    cdp.on("Tracing.tracingComplete", (event) =>
      event.stream ? resolve(event.stream) : reject(new Error("the trace has no stream")),
    ),
  );
  await cdp.send("Tracing.start", {
    categories: "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing",
    transferMode: "ReturnAsStream",
  });
  return {
    async tasksBetween(startMark, endMark) {
      await cdp.send("Tracing.end");
      const stream = await complete;
      const chunks: string[] = [];
      for (;;) {
        const chunk = await cdp.send("IO.read", { handle: stream });
        chunks.push(chunk.base64Encoded ? Buffer.from(chunk.data, "base64").toString("utf8") : chunk.data);
        if (chunk.eof) break;
      }
      await cdp.send("IO.close", { handle: stream });
      await cdp.detach();
      const parsed: TraceEvent[] | { traceEvents: TraceEvent[] } = JSON.parse(chunks.join(""));
      const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
      // The marks are emitted on the page's main thread, which names the renderer process and thread to read.
      const start = events.find((e) => e.cat === "blink.user_timing" && e.name === startMark);
      const end = events.find((e) => e.cat === "blink.user_timing" && e.name === endMark);
      if (!start || !end) throw new Error(`the trace lacks the marks ${startMark} and ${endMark}`);
      const main = events.filter((e) => e.pid === start.pid && e.tid === start.tid && e.ph === "X");
      const parts = main
        .filter((e) => e.name !== "RunTask" && (e.dur ?? 0) >= MIN_PART_US)
        .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
      const tasks = main
        .filter((e) => e.name === "RunTask" && e.ts + (e.dur ?? 0) >= start.ts && e.ts <= end.ts)
        .sort((a, b) => a.ts - b.ts);
      // Tasks do not overlap, so one sweep over the parts, both in time order, finds each task's parts.
      let next = 0;
      return tasks.map((task) => {
        const endTs = task.ts + (task.dur ?? 0);
        while (next < parts.length && parts[next].ts < task.ts) next++;
        const outer: TraceEvent[] = [];
        for (; next < parts.length && parts[next].ts < endTs; next++) {
          // Only the outermost parts: a FunctionCall inside an EventDispatch is already counted in it.
          const last = outer.at(-1);
          if (!last || parts[next].ts >= last.ts + (last.dur ?? 0)) outer.push(parts[next]);
        }
        return {
          ms: (task.dur ?? 0) / 1000,
          parts: outer
            .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
            .slice(0, 3)
            .map(describe),
        };
      });
    },
  };
}
