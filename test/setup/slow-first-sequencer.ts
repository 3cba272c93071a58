import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that wait longest (child processes, leases, backups) go first, so the last file a worker takes is a short
 * one and no worker idles at the end while another runs a minute-long file. Vitest orders by the durations it cached
 * on the last run, but a fresh clone (CI) has no cache and falls back to file size, which puts these late.
 * Figures: seconds alone on a quiet 2-core machine (CI log of 2026-12-06); refresh them when the order drifts.
 */
// The two grading-process files are the heaviest (each runs a provider and two workers with CPU pools): an in-process
// file between them, so that two workers do not start both at once.
const SLOW_FIRST = [
  "test/integration/grading-storms.test.ts", // 54
  "app/exercises/judge-eval.test.ts", // 24, in-process
  "test/integration/grading-crash.test.ts", // 48
  "test/integration/restore.test.ts", // 41
  "test/integration/backup.test.ts", // 28
  "test/integration/write-contention.test.ts", // 28
  "test/integration/live-grading.test.ts", // 21
  "test/integration/learner-loop.test.ts", // 13
  "test/integration/usage-cli.test.ts", // 12
  "test/integration/disk-full.test.ts", // 12
  "scripts/grade.test.ts", // 12
  "app/domain/bpe-count.test.ts", // 12
];

export default class SlowFirstSequencer extends BaseSequencer {
  async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((path) => file.moduleId.endsWith(`/${path}`));
      return i === -1 ? SLOW_FIRST.length : i;
    };
    const rest = await super.sort(files.filter((f) => rank(f) === SLOW_FIRST.length));
    return [...files.filter((f) => rank(f) < SLOW_FIRST.length).sort((a, b) => rank(a) - rank(b)), ...rest];
  }
}
