import { TIERS } from "~/domain/exercise";

/**
 * Leaderboard normalisation, so a best score on a hard exercise or on a cheap model counts for
 * more than the same score on an easy exercise run on a frontier model:
 *
 *   normalised = round(score × (0.8 + 0.1 × difficulty) × tierFactor)
 *
 * Difficulty (1–5) scales from 0.9 to 1.3: a 5 is worth about 44% more than a 1, enough to
 * reward taking on hard exercises without letting one hard pass outweigh several easy ones.
 * The tier factor is the tier of the model the attempt ran on: frontier 1.00, medium 1.05,
 * small 1.10, nano 1.15. A cheaper model makes good output harder (less instruction-following,
 * less slack for a vague prompt); the score already pays for the lower cost through cost
 * efficiency, so the factor stays small to avoid paying for the same choice twice.
 *
 * Computed in integers (difficulty tenths × tier percent), so no floating-point drift.
 */

export type Tier = (typeof TIERS)[number];

/** Percent per tier; frontier is the reference. */
export const TIER_PERCENT: Record<Tier, number> = { frontier: 100, medium: 105, small: 110, nano: 115 };

export const NORMALISATION_FORMULA =
  "normalised = round(score × (0.8 + 0.1 × difficulty) × tier factor), tier factor: nano 1.15, small 1.10, medium 1.05, frontier 1.00";

export function isTier(value: unknown): value is Tier {
  return typeof value === "string" && (TIERS as readonly string[]).includes(value);
}

/** Difficulty outside 1–5 is clamped; an unknown tier counts as the reference (factor 1). */
export function normalisedScore(score: number, difficulty: number, tier: string): number {
  const d = Math.min(5, Math.max(1, Math.round(difficulty)));
  const percent = isTier(tier) ? TIER_PERCENT[tier] : 100;
  return Math.round((score * (8 + d) * percent) / 1000);
}
