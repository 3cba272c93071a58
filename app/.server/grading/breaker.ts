import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhenResult,
} from "cockatiel";
import type { ProviderError } from "../providers";

/**
 * One circuit breaker per provider client (cockatiel's): after OUTAGE_FAILURES consecutive calls fail as an
 * outage would (5xx, timeouts, network errors; a 429 is the provider pacing us and does not count), calls stop
 * going out; after a pause (1 s, doubling to HALF_OPEN_MAX_MS) one probe call is let through, and its success
 * closes the breaker. Callers do not fail while it is open: they wait and try again within their retry budget,
 * and their attempts show "waiting for the model provider".
 */

export const OUTAGE_FAILURES = 5;
export const HALF_OPEN_MAX_MS = 5_000;

type Answer = { ok: true } | { ok: false; error: Pick<ProviderError, "kind"> };

const OUTAGE_KINDS = new Set(["server", "timeout", "network"]);

export function isOutage(result: unknown): boolean {
  const r = result as Answer;
  return r?.ok === false && OUTAGE_KINDS.has(r.error.kind);
}

/** The breaker is open: no call was made. */
export const BROKEN = Symbol("circuit open");

export interface Breaker {
  /** Runs `call` unless the breaker is open (then BROKEN, at once). */
  run<T extends Answer>(call: () => Promise<T>): Promise<T | typeof BROKEN>;
  readonly state: "closed" | "open" | "half-open";
  /** When it last opened (ms), for the health page; null if never. */
  readonly openedAt: number | null;
}

const breakers = new WeakMap<object, Breaker>();

function createBreaker(): Breaker {
  let openedAt: number | null = null;
  const policy: CircuitBreakerPolicy = circuitBreaker(handleWhenResult(isOutage), {
    halfOpenAfter: new ExponentialBackoff({ initialDelay: 1_000, maxDelay: HALF_OPEN_MAX_MS }),
    breaker: new ConsecutiveBreaker(OUTAGE_FAILURES),
  });
  policy.onBreak(() => {
    openedAt = Date.now();
  });
  return {
    async run(call) {
      try {
        return await policy.execute(call);
      } catch (err) {
        if (err instanceof BrokenCircuitError) return BROKEN;
        throw err;
      }
    },
    get state() {
      const s = policy.state;
      return s === CircuitState.Closed ? "closed" : s === CircuitState.HalfOpen ? "half-open" : "open";
    },
    get openedAt() {
      return openedAt;
    },
  };
}

/** The breaker of a provider client, shared by every call through it in this process. */
export function breakerFor(provider: object): Breaker {
  let breaker = breakers.get(provider);
  if (!breaker) {
    breaker = createBreaker();
    breakers.set(provider, breaker);
  }
  return breaker;
}
