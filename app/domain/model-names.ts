/**
 * Production bills name a model many ways: "gpt-4o-mini-2024-07-18" (OpenAI), "claude-sonnet-4-20250514"
 * (Anthropic), "anthropic.claude-3-5-haiku-20241022-v1:0" (Bedrock), "azure/gpt-4o" (LiteLLM),
 * "claude-opus-4@20250514" (Vertex). These rules reduce such a name to the catalogue's id (db/models.yaml), so a
 * row gets its tier (nano, small, medium, frontier) and the frontier share means something.
 */

const ROUTE_PREFIX = /^(?:[a-z0-9_-]+\/)+/; // azure/, openai/, bedrock/converse/
const VENDOR_PREFIX = /^(?:(?:us|eu|apac|global)\.)?(?:anthropic|openai|meta|mistral|amazon|cohere)\./; // Bedrock
const VERSION_SUFFIX = /(?:-v\d+(?::\d+)?|:\d+)$/; // -v1:0, :0
const DATE_SUFFIX = /(?:[-@]\d{8}|-\d{4}-\d{2}-\d{2})$/; // -20250514, @20250514, -2024-07-18

/** The name stripped of routing, vendor, version and date decorations, lower-cased. */
export function normaliseModelName(name: string): string {
  let n = name.trim().toLowerCase().replace(ROUTE_PREFIX, "").replace(VENDOR_PREFIX, "");
  for (let i = 0; i < 3; i++) n = n.replace(VERSION_SUFFIX, "").replace(DATE_SUFFIX, "");
  return n;
}

/**
 * The catalogue id a production model name stands for: the longest id that equals the normalised name or
 * starts it followed by "-" ("gpt-4o-mini-audio" is a gpt-4o-mini; "gpt-4o" does not claim "gpt-4o-mini",
 * which the longer id wins). Null when none does.
 */
export function catalogueIdOf(name: string, ids: readonly string[]): string | null {
  const n = normaliseModelName(name);
  let best: string | null = null;
  for (const id of ids) {
    const lower = id.toLowerCase();
    if ((n === lower || n.startsWith(`${lower}-`)) && (best === null || lower.length > best.length)) best = id;
  }
  return best;
}

export const UNKNOWN_TIER = "unknown";

/** The tier of a production model name, or "unknown" when the catalogue does not know it. */
export function tierOf(name: string, catalogue: ReadonlyMap<string, string>): string {
  const id = catalogueIdOf(name, [...catalogue.keys()]);
  return id === null ? UNKNOWN_TIER : (catalogue.get(id) ?? UNKNOWN_TIER);
}

/**
 * The model a row is for, from the names a source offers in order of trust: the first one the catalogue knows,
 * as the catalogue's id (so one model reads the same from every source), else the first name given, as it is.
 */
export function resolveModel(
  names: (string | null | undefined)[],
  catalogue: ReadonlyMap<string, string>,
): { model: string; tier: string } | null {
  const ids = [...catalogue.keys()];
  for (const name of names) {
    if (!name) continue;
    const id = catalogueIdOf(name, ids);
    if (id !== null) return { model: id, tier: catalogue.get(id) ?? UNKNOWN_TIER };
  }
  const first = names.find((n) => !!n);
  return first ? { model: first, tier: UNKNOWN_TIER } : null;
}
