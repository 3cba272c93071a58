import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { config } from "./config";

/**
 * Submissions per learner per minute (rate-limiter-flexible, in the server's memory: a restart forgets the counts,
 * which costs nothing but a fresh minute). Past SUBMIT_LIMIT_PER_MINUTE, the submission is refused before it is
 * stored or graded, with the seconds to wait, so one learner's flood of pathological prompts costs the server a
 * cheap 429 each instead of a grade each.
 */

let limiter: { points: number; value: RateLimiterMemory } | undefined;

function get(): RateLimiterMemory {
  const points = config().SUBMIT_LIMIT_PER_MINUTE;
  if (limiter?.points !== points) limiter = { points, value: new RateLimiterMemory({ points, duration: 60 }) };
  return limiter.value;
}

export interface SubmitRefusal {
  message: string;
  retryAfterSeconds: number;
}

/** Counts one submission by `userId`; null when it may go ahead, else why not and how long to wait. */
export async function submitRefusal(userId: number): Promise<SubmitRefusal | null> {
  try {
    await get().consume(String(userId));
    return null;
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    const limit = config().SUBMIT_LIMIT_PER_MINUTE;
    return {
      message: `You have submitted ${limit} times in the last minute, the most allowed; try again in ${retryAfterSeconds} s.`,
      retryAfterSeconds,
    };
  }
}
