import type { BriefProblem } from "./brief-figures";
import { formatMicrosExact } from "./cost";
import type { ModelInfo } from "./models";

/**
 * Prices per 1M tokens quoted next to a model id, in a brief or a lesson, that are not that model's prices in the
 * catalogue: "`gpt-4.1-nano` ($0.15 per 1M input)" when the catalogue says $0.10. A price must equal the catalogue
 * exactly (a list price is not rounded); one whose kind the text names ("per 1M output", "$0.40 out", a table column
 * "cached input") must equal that kind. A price with no model id before it in its sentence ("a frontier model at
 * $15.00 per 1M", the article's tiers) is not checked: there is no model to compare it with.
 */

export type PricedModel = Pick<
  ModelInfo,
  "id" | "inputMicrosPerM" | "cachedInputMicrosPerM" | "outputMicrosPerM" | "priceAsOf"
>;

type Kind = "input" | "cached input" | "output";

const PRICE = /\$\s?(\d{1,4}(?:\.\d+)?)(?![\d,])/g;
const PER_MILLION = String.raw`\**\s*(?:per|\/|a)\s*(?:1\s?M|1\s?million|million)\b`;
/** "$0.10 per 1M", "$0.10 per 1M input tokens", "$0.50 per 1M cached input". */
const PRICE_PER_MILLION = new RegExp(
  String.raw`^${PER_MILLION}(?:\s*\**\s*(cached input|cached|input|output)\b)?`,
  "i",
);
/** "$2.50 input price", "$0.40 output", "$0.10 in, $0.40 out)", "$2.00 in / $8.00 out per 1M". */
const PRICE_WITH_KIND = /^\**\s+(?:(input|output)\b|(in|out)\b(?=\s*(?:[,/)]|and\b|per\b|$)))/i;
/** The first of two prices that share one "per 1M": "$0.30 instead of $3.00 per 1M", "$0.15 and $0.60 per 1M". */
const PRICE_PAIRED = new RegExp(
  String.raw`^\**\s*(?:instead of|or|and|vs\.?|versus|\/|,)\s*\**\s*\$\s?\d{1,4}(?:\.\d+)?${PER_MILLION}`,
  "i",
);
const KIND_COLUMN =
  /^(?:(cached input|input|output)(?: price)?|(input|output|cached input) price per 1M(?: tokens)?)$/i;
const OWN_MODEL = "[[model]]";

function kindOf(word: string | undefined): Kind | null {
  const w = word?.toLowerCase();
  if (!w) return null;
  if (w.startsWith("cached")) return "cached input";
  if (w === "in" || w === "input") return "input";
  return "output";
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export interface Mention {
  offset: number;
  model: PricedModel;
}

/** Catalogue ids as written (case-sensitive: "GPT-4o" in a quotation names no catalogue entry), longest first. */
export function modelMentions(text: string, catalogue: readonly PricedModel[], own: PricedModel | null): Mention[] {
  const byId = new Map(catalogue.map((m) => [m.id, m]));
  const ids = [...byId.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const out: Mention[] = [];
  if (ids.length > 0) {
    const re = new RegExp(String.raw`(?<![\w.-])(${ids.join("|")})(?![\w-]|\.\d)`, "g");
    for (const m of text.matchAll(re)) out.push({ offset: m.index ?? 0, model: byId.get(m[1])! });
  }
  if (own) {
    for (let i = text.indexOf(OWN_MODEL); i >= 0; i = text.indexOf(OWN_MODEL, i + 1))
      out.push({ offset: i, model: own });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** A full stop, ? or ! that ends a sentence (not the dot of "gpt-4.1" or "$2.00"), or a blank line. */
const SENTENCE_END = /[.!?]["')*_]*\s+(?=[A-Z*_`(])|\n[ \t]*\n/;

/** The model named last before `offset` in the same sentence, at most 300 characters back. */
export function modelBefore(text: string, mentions: readonly Mention[], offset: number): PricedModel | null {
  let found: Mention | null = null;
  for (const m of mentions) {
    if (m.offset >= offset) break;
    found = m;
  }
  if (!found || offset - found.offset > 300) return null;
  return SENTENCE_END.test(text.slice(found.offset, offset)) ? null : found.model;
}

const priceOf = (model: PricedModel, kind: Kind) =>
  kind === "input" ? model.inputMicrosPerM : kind === "output" ? model.outputMicrosPerM : model.cachedInputMicrosPerM;

function describePrices(model: PricedModel): string {
  return `input ${formatMicrosExact(model.inputMicrosPerM)}, cached input ${formatMicrosExact(model.cachedInputMicrosPerM)}, output ${formatMicrosExact(model.outputMicrosPerM)} per 1M, as of ${model.priceAsOf}`;
}

function conflict(
  offset: number,
  quoted: string,
  micros: number,
  kind: Kind | null,
  model: PricedModel,
  own: PricedModel | null,
): BriefProblem | null {
  const kinds: Kind[] = kind ? [kind] : ["input", "cached input", "output"];
  if (kinds.some((k) => priceOf(model, k) === micros)) return null;
  const what = kind ? `${model.id}'s ${kind} price` : `a price of ${model.id}`;
  const hint =
    own && model.id === own.id ? "; write [[input_price]], [[cached_input_price]] or [[output_price]] instead" : "";
  return {
    offset,
    message: `"${quoted}" is not ${what} in the model catalogue (${describePrices(model)})${hint}`,
  };
}

/** Cells of a Markdown table row, with the offset of each cell's text. */
function cells(line: string, lineOffset: number): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let start = line.indexOf("|") + 1;
  for (let i = start; i <= line.length; i++) {
    if (i === line.length || line[i] === "|") {
      if (i === line.length && line.slice(start).trim() === "") break;
      out.push({ text: line.slice(start, i), offset: lineOffset + start });
      start = i + 1;
    }
  }
  return out;
}

/** Prices in table columns headed "input", "cached input", "output" (or "... price"), in rows that name a model. */
function tableConflicts(text: string, catalogue: readonly PricedModel[], own: PricedModel | null): BriefProblem[] {
  const out: BriefProblem[] = [];
  const lines = text.split("\n");
  let offset = 0;
  let header: (Kind | null)[] | null = null;
  for (const line of lines) {
    const lineOffset = offset;
    offset += line.length + 1;
    if (!/^\s*\|/.test(line)) {
      header = null;
      continue;
    }
    const row = cells(line, lineOffset);
    if (header === null) {
      header = row.map((c) => {
        const m = KIND_COLUMN.exec(c.text.replace(/\*/g, "").trim());
        return m ? kindOf(m[1] ?? m[2]) : null;
      });
      continue;
    }
    if (/^[\s|:-]+$/.test(line)) continue;
    const model = modelMentions(line, catalogue, own)[0]?.model;
    if (!model) continue;
    row.forEach((c, i) => {
      const kind = header?.[i];
      if (!kind) return;
      for (const p of c.text.matchAll(PRICE)) {
        const micros = Math.round(Number(p[1]) * 1_000_000);
        const problem = conflict(c.offset + (p.index ?? 0), p[0], micros, kind, model, own);
        if (problem) out.push(problem);
      }
    });
  }
  return out;
}

/**
 * Every quoted price that disagrees with the catalogue. `own` is the exercise's model, which `[[model]]` names in a
 * brief; a lesson has none.
 */
export function quotedPriceConflicts(
  text: string,
  catalogue: readonly PricedModel[],
  own: PricedModel | null = null,
): BriefProblem[] {
  // Other placeholders render from the catalogue; blank them so "[[input_price]] per 1M" is not read as a literal.
  const plain = text.replace(/\[\[\s*([a-z_]+)\s*\]\]/g, (whole, name: string) =>
    name === "model" ? OWN_MODEL.padEnd(whole.length) : " ".repeat(whole.length),
  );
  const mentions = modelMentions(plain, catalogue, own);
  const out: BriefProblem[] = [];
  for (const p of plain.matchAll(PRICE)) {
    const offset = p.index ?? 0;
    if (/^\s*\|/.test(plain.slice(plain.lastIndexOf("\n", offset) + 1))) continue; // table rows: by column below
    const after = plain.slice(offset + p[0].length, offset + p[0].length + 80);
    const perMillion = PRICE_PER_MILLION.exec(after);
    const withKind = perMillion ? null : PRICE_WITH_KIND.exec(after);
    if (!perMillion && !withKind && !PRICE_PAIRED.test(after)) continue;
    const model = modelBefore(plain, mentions, offset);
    if (!model) continue;
    const kind = kindOf(perMillion?.[1] ?? withKind?.[1] ?? withKind?.[2]);
    const quoted = (p[0] + (perMillion?.[0] ?? withKind?.[0] ?? "")).replace(/\*/g, "").replace(/\s+/g, " ").trim();
    const problem = conflict(offset, quoted, Math.round(Number(p[1]) * 1_000_000), kind, model, own);
    if (problem) out.push(problem);
  }
  out.push(...tableConflicts(plain, catalogue, own));
  return out.sort((a, b) => a.offset - b.offset);
}
