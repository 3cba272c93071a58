import type { PromptCheck } from "./exercise";
import { compileSafeRegex } from "./safe-regex";

/**
 * The exercise's deterministic checks on a prompt. They run on every keystroke in the browser
 * (on prompts up to 16 KB) and again on the server, so each check list is compiled once
 * (memoised by array identity) and every check is a single linear scan: regexes run on RE2 (safe-regex), never
 * on JavaScript's backtracking engine, so an instructor's pattern cannot stall either side.
 */

export interface CheckResult {
  id: string;
  label: string;
  kind: PromptCheck["kind"];
  required: boolean;
  passed: boolean;
  detail: string;
}

const PLACEHOLDER = "{{input}}";

type Compiled = PromptCheck & { find: (prompt: string) => { index: number; text: string } | null };

const compiledLists = new WeakMap<readonly PromptCheck[], Compiled[]>();

function compile(check: PromptCheck): Compiled {
  switch (check.kind) {
    case "contains":
    case "not_contains": {
      const needle = check.case_sensitive ? check.value : check.value.toLowerCase();
      return {
        ...check,
        find: (prompt) => {
          const hay = check.case_sensitive ? prompt : prompt.toLowerCase();
          const index = hay.indexOf(needle);
          return index < 0 ? null : { index, text: prompt.slice(index, index + check.value.length) };
        },
      };
    }
    case "regex":
    case "not_regex": {
      const compiled = compileSafeRegex(check.value, check.flags);
      return {
        ...check,
        // A pattern RE2 cannot run never reaches a published exercise (the schema refuses it); if one did, the
        // check finds nothing rather than throwing.
        find: (prompt) => {
          if (!compiled.ok) return null;
          const m = compiled.regex.find(prompt);
          return m ? { index: m.index, text: m.text } : null;
        },
      };
    }
    default:
      return { ...check, find: () => null };
  }
}

function compileList(checks: readonly PromptCheck[]): Compiled[] {
  let list = compiledLists.get(checks);
  if (!list) {
    list = checks.map(compile);
    compiledLists.set(checks, list);
  }
  return list;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, " ");
  return `"${oneLine.length > 40 ? `${oneLine.slice(0, 39)}…` : oneLine}"`;
}

function evaluate(check: Compiled, prompt: string, promptTokens: number): { passed: boolean; detail: string } {
  switch (check.kind) {
    case "max_tokens": {
      const passed = promptTokens <= check.value;
      const over = passed ? "" : ` (${promptTokens - check.value} over)`;
      return { passed, detail: `${promptTokens} tokens, limit ${check.value}${over}` };
    }
    case "contains":
    case "regex": {
      const hit = check.find(prompt);
      if (hit) return { passed: true, detail: `found ${quote(hit.text)} at line ${lineOf(prompt, hit.index)}` };
      const what = check.kind === "contains" ? quote(check.value) : `a match for /${check.value}/`;
      return { passed: false, detail: `${what} not found` };
    }
    case "not_contains":
    case "not_regex": {
      const hit = check.find(prompt);
      if (hit) return { passed: false, detail: `found ${quote(hit.text)} at line ${lineOf(prompt, hit.index)}` };
      const what = check.kind === "not_contains" ? quote(check.value) : `nothing matches /${check.value}/`;
      return { passed: true, detail: check.kind === "not_contains" ? `${what} does not occur` : what };
    }
    case "static_prefix": {
      const at = prompt.indexOf(PLACEHOLDER);
      if (at < 0)
        return { passed: false, detail: `no ${PLACEHOLDER} placeholder, so nothing marks where the static part ends` };
      // Share of the prompt's own characters (the placeholder excluded) that come before it.
      const own = prompt.length - PLACEHOLDER.length;
      const share = own === 0 ? 0 : (at / own) * 100;
      const passed = share >= check.value;
      return {
        passed,
        detail: `${Math.floor(share)}% of the prompt comes before ${PLACEHOLDER}, need ${check.value}%`,
      };
    }
  }
}

export function runPromptChecks(prompt: string, checks: PromptCheck[], promptTokens: number): CheckResult[] {
  return compileList(checks).map((check) => ({
    id: check.id,
    label: check.label,
    kind: check.kind,
    required: check.required,
    ...evaluate(check, prompt, promptTokens),
  }));
}

// ---------------------------------------------------------------------------------------------
// Output-format instructions
// ---------------------------------------------------------------------------------------------

const NUMBER = "(?:\\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|a single|single)";
const UNIT =
  "(?:bullets?|bullet points?|points|sentences?|lines?|words?|items?|paragraphs?|characters?|chars|keywords?|tags?|labels?|tokens?)";
const NOUN =
  "(?:label|category|categories|class|word|number|answer|name|code|score|rating|sentiment|value|id|result|language|emoji|letter|digit|verdict|json|list|tag)";

/**
 * What counts as telling the model the shape of its output. Each pattern is a plain alternation
 * with bounded gaps only, so a 16 KB prompt is scanned in linear time.
 */
const FORMAT_PATTERNS: RegExp[] = [
  /\b(?:json|jsonl|yaml|xml|csv|tsv|markdown table|html table)\b/gi,
  /\b(?:json )?schema\b/gi,
  /\{\s*"[\w ]{1,40}"\s*:/g,
  /\b(?:reply|respond|answer|return|output|give|print|write|say)\b[^.\n]{0,30}?\b(?:only|just|solely|nothing but|exactly)\b/gi,
  new RegExp(`\\b(?:only|just) (?:the |a |an |one )?${NOUN}s?\\b`, "gi"),
  new RegExp(`\\b${NOUN} only\\b`, "gi"),
  /\b(?:nothing else|no other (?:text|words|output|commentary)|no (?:explanations?|preamble|prose|commentary|extra text)|without (?:any )?(?:explanations?|preamble|commentary|extra text)|do not explain|don't explain)\b/gi,
  /\b(?:one|a single|single|1)[- ](?:word|line|sentence|paragraph|label|number|token|character|letter|emoji)\b/gi,
  new RegExp(`\\b${NUMBER}[ -]${UNIT}\\b`, "gi"),
  new RegExp(
    `(?:\\b(?:at most|max(?:imum)?|no more than|fewer than|less than|under|up to|within)|≤|<=)\\s*${NUMBER}\\s*${UNIT}`,
    "gi",
  ),
  /\b(?:yes\s*(?:\/|or)\s*no|true\s*(?:\/|or)\s*false)\b/gi,
  /\b(?:bullet(?:ed)? (?:list|points?)|numbered list|comma[- ]separated|one per line|as a (?:list|table)|in a table|table with)\b/gi,
  /\b(?:in (?:the|this) format|(?:following|this|same) (?:format|template|shape|layout)|format(?:ted)? (?:as|like)|format:|template:)/gi,
  /\b(?:yyyy-mm-dd|iso[- ]?8601)\b/gi,
  /\b(?:a|an|one) (?:integer|number|score|rating|digit) (?:from|between)\b|\bon a scale (?:of|from)\b/gi,
  /\b(?:reply|respond|answer|return|output)\s+(?:with\s+)?(?:one of|either)\b/gi,
  /\b(?:lowercase|uppercase|lower-case|upper-case|all caps)\b/gi,
  /<[a-z_]{1,30}(?:\|[a-z_ ]{1,30}){1,20}>/gi,
];

/** Every output-format instruction in the prompt, in order of position. */
export function findFormatInstructions(prompt: string): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  for (const re of FORMAT_PATTERNS) {
    for (const m of prompt.matchAll(re)) out.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * Whether one of `findFormatInstructions` starts where `at` holds, each pattern's matches read only until one does
 * (a 4,000-token prompt repeats its format instructions in every copy; the first that counts settles it).
 */
export function someFormatInstruction(prompt: string, at: (start: number) => boolean): boolean {
  for (const re of FORMAT_PATTERNS) for (const m of prompt.matchAll(re)) if (at(m.index)) return true;
  return false;
}

/** Whether the prompt states an output format (JSON, a single label, N bullets, yes/no, a word limit…). */
export function hasFormatInstruction(prompt: string): { found: boolean; evidence: string | null } {
  let best: { index: number; text: string } | null = null;
  for (const re of FORMAT_PATTERNS) {
    re.lastIndex = 0;
    const m = re.exec(prompt);
    re.lastIndex = 0;
    if (m && (!best || m.index < best.index)) best = { index: m.index, text: m[0] };
  }
  return best ? { found: true, evidence: best.text.replace(/\s+/g, " ").trim() } : { found: false, evidence: null };
}
