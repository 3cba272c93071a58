/**
 * A V8 CPU profile of the page's main thread over a stretch of the benchmark, saved for DevTools and summed by
 * function: where the time goes when a figure misses its target. Sampling slows the page, so the figures of a
 * profiled run are not the benchmark's figures.
 */
import { writeFileSync } from "node:fs";
import type { Page } from "playwright-core";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

export interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  what: string;
  ms: number;
}

export interface CpuProfiler {
  /** Stops, writes the profile to `path` (open it in DevTools' Performance panel) and returns the top self times. */
  stop: (path: string, top?: number) => Promise<{ byFunction: SelfTime[]; byFile: SelfTime[]; totalMs: number }>;
}

export async function profileMainThread(page: Page, sampleIntervalUs = 200): Promise<CpuProfiler> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: sampleIntervalUs });
  await cdp.send("Profiler.start");
  return {
    async stop(path, top = 15) {
      const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: Profile };
      await cdp.detach();
      writeFileSync(path, JSON.stringify(profile));
      return summariseProfile(profile, top);
    },
  };
}

/** A V8 CPU profile's self times summed by function and by file (the top `top` of each), and its busy total. */
export function summariseProfile(
  profile: Profile,
  top = 15,
): { byFunction: SelfTime[]; byFile: SelfTime[]; totalMs: number } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalMs = 0;
  (profile.samples ?? []).forEach((id, i) => {
    const node = nodes.get(id);
    const ms = (profile.timeDeltas?.[i] ?? 0) / 1000;
    if (!node) return;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const file = url ? url.replace(/^.*\//, "") : "(native)";
    const fn = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}:${columnNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
    if (functionName !== "(idle)" && functionName !== "(program)") totalMs += ms;
  });
  const sorted = (m: Map<string, number>) =>
    [...m]
      .map(([what, ms]) => ({ what, ms }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top);
  return { byFunction: sorted(byFunction), byFile: sorted(byFile), totalMs };
}
