/**
 * Exponential backoff with full jitter (delay drawn uniformly from 0..base·2^try, capped), never
 * sooner than the provider's Retry-After. Full jitter spreads a burst of 429s so the retries do not
 * arrive together again.
 */
export function backoffDelayMs(
  tries: number,
  opts: { baseMs?: number; capMs?: number; retryAfterMs?: number; random?: () => number } = {},
): number {
  const base = opts.baseMs ?? 500;
  const cap = opts.capMs ?? 30_000;
  const random = opts.random ?? Math.random;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, tries - 1));
  const jittered = Math.round(random() * ceiling);
  return Math.max(jittered, opts.retryAfterMs ?? 0);
}
