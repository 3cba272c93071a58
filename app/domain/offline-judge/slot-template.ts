import type { ExerciseTask, Requirement } from "../exercise";
import { type PhraseHit, statedHit } from "./phrases";
import { lineAt, type Reading, type Token } from "./reading";

/**
 * A reply shown rather than described: a template line of slots the model fills in.
 *
 *     <owner(s) or none> | <task as a short command> | <YYYY-MM-DD or none>
 *     <most relevant id>, <next>, <next>
 *     "<Name> <does its main benefit>. <One or two further facts>."
 *
 * A slot is a stretch between angle brackets on one line. What a template line shows, read from the exercise's own
 * declarations, never from a learner's wording:
 *
 * - the field each slot stands for, where a requirement's description declares the line's shape with the same
 *   separator ("One line in the shape OWNER | TASK | DUE."): the third slot is DUE, so "<YYYY-MM-DD or none>" says
 *   what DUE holds when there is none (slotFieldHits);
 * - the reply's order: its first slot comes first, so "<most relevant id>, <next>, <next>" says what a requirement
 *   "The most relevant clause first." says, when the first slot names the description's subject;
 * - the reply's count: a line of nothing but N slots, one naming the counted unit, holds at most N of them, what
 *   "At most three clauses." says where the task declares that most (shownByTemplate).
 */

export interface TemplateSlot {
  /** Token index of "<". */
  open: number;
  /** Token index of ">". */
  close: number;
  /** The words between the brackets. */
  words: Token[];
}

export interface TemplateLine {
  rule: number;
  /** 1-based line of the prompt. */
  line: number;
  slots: TemplateSlot[];
  /** The separators between its slots, "|" or "," (the first that stands between two). */
  separator: string | null;
  /** Nothing but slots, separators and quotes on the line: the line is the reply. */
  onlySlots: boolean;
  /** The line opens with a slot (after quotes or a list marker at most). */
  opensWithSlot: boolean;
}

const WORD = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD.test(t.text);
/** A slot is a short description: past this many tokens, angle brackets hold something else. */
const MAX_SLOT_TOKENS = 40;

/** Every line of the prompt that holds at least one slot, with its slots. */
export function templateLines(reading: Reading): TemplateLine[] {
  const { tokens } = reading;
  const lines: TemplateLine[] = [];
  let start = 0;
  for (let i = 1; i <= tokens.length; i++) {
    if (i < tokens.length && !tokens[i].newlineBefore) continue;
    const line = readLine(reading, start, i);
    if (line) lines.push(line);
    start = i;
  }
  return lines;
}

function readLine(reading: Reading, from: number, to: number): TemplateLine | null {
  const { tokens } = reading;
  const slots: TemplateSlot[] = [];
  const outside: Token[] = [];
  for (let i = from; i < to; i++) {
    if (tokens[i].text === "<") {
      let close = -1;
      for (let k = i + 1; k < Math.min(to, i + MAX_SLOT_TOKENS); k++) {
        if (tokens[k].text === "<") break;
        if (tokens[k].text === ">") {
          close = k;
          break;
        }
      }
      const words = close < 0 ? [] : tokens.slice(i + 1, close).filter(isWord);
      if (words.length > 0) {
        slots.push({ open: i, close, words });
        i = close;
        continue;
      }
    }
    outside.push(tokens[i]);
  }
  if (slots.length === 0) return null;
  let separator: string | null = null;
  for (let s = 1; s < slots.length && separator === null; s++)
    for (let k = slots[s - 1].close + 1; k < slots[s].open; k++)
      if (tokens[k].text === "|" || tokens[k].text === "," || tokens[k].text === ";") {
        separator = tokens[k].text;
        break;
      }
  let opens = true;
  for (let k = from; k < slots[0].open; k++) if (isWord(tokens[k])) opens = false;
  return {
    rule: tokens[slots[0].open].rule,
    line: lineAt(reading, tokens[from].start),
    slots,
    separator,
    onlySlots: outside.every((t) => !isWord(t)),
    opensWithSlot: opens,
  };
}

/** "One line in the shape OWNER | TASK | DUE.": the fields a description declares, with their separator. */
export function declaredShape(description: string): { fields: string[]; separator: string } | null {
  const m = /\b[A-Z][A-Z_]+(?:\s*([|,;])\s*[A-Z][A-Z_]+)+\b/.exec(description);
  if (!m) return null;
  const separator = m[1];
  return { fields: m[0].split(separator).map((f) => f.trim().toLowerCase()), separator };
}

/**
 * Hits of a requirement's topic groups at the slots that stand for a declared field, where the slot itself holds the
 * rest of the requirement: "<YYYY-MM-DD or none>" in the DUE position is "none" said of the due date. One slot, not its
 * line: "<owner or none> | <task> | <YYYY-MM-DD>" says nothing of a missing date.
 */
export function slotFieldHits(
  reading: Reading,
  lines: readonly TemplateLine[],
  shapes: readonly { fields: string[]; separator: string }[],
  req: Requirement,
  groups: readonly PhraseHit[][],
): PhraseHit[][] | null {
  const topics = req.topic ?? [];
  if (topics.length === 0 || shapes.length === 0) return null;
  let added: PhraseHit[][] | null = null;
  for (const line of lines)
    for (const shape of shapes) {
      if (line.slots.length !== shape.fields.length || line.separator !== shape.separator) continue;
      line.slots.forEach((slot, k) => {
        const inSlot = (h: PhraseHit) => h.from > slot.open && h.to <= slot.close && h.asWritten;
        // The rest of the requirement, said in this slot.
        if (!groups.slice(topics.length).every((hits) => hits.some(inSlot))) return;
        topics.forEach((group, g) => {
          if (!group.some((p) => p.toLowerCase() === shape.fields[k])) return;
          added ??= groups.map(() => []);
          added[g].push(statedHit(reading.tokens, slot.open + 1, slot.close));
        });
      });
    }
  return added;
}

const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
/** Superlatives of rank: what comes first in a ranked reply. */
const SUPERLATIVE = /^(?:most|best|top|highest|strongest|closest|likeliest)$/;
/** The other end of a ranking: a slot that says it is the reply's first holds the reverse order. */
const CONTRARY = /^(?:least|worst|lowest|weakest)$/;
const STOP = new Set(["the", "a", "an", "its", "their", "and", "or", "of", "come", "comes", "first", "is", "are"]);

/** "The most relevant clause first.", "The product name and its main benefit come first.": the subject's words. */
function firstSubject(description: string): string[] | null {
  const m = /^(.+?)\s+(?:(?:comes?|goes?|is|are)\s+)?first\.?$/i.exec(description.trim());
  if (!m) return null;
  return m[1]
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !STOP.has(w));
}

/** "At most three clauses.": the most it declares and the unit it counts. */
function declaredMost(description: string): { most: number; unit: string } | null {
  const m = /\b(?:at most|no more than|up to)\s+(\d+|[a-z]+)\s+(\p{L}+)/iu.exec(description);
  if (!m) return null;
  const n = /^\d+$/.test(m[1]) ? Number(m[1]) : NUMBER_WORDS.indexOf(m[1].toLowerCase());
  return n > 0 ? { most: n, unit: m[2].toLowerCase().replace(/s$/, "") } : null;
}

const singular = (w: string) => w.toLowerCase().replace(/s$/, "");

/**
 * The line of a template that shows what a requirement says of the reply's order or count, or null. Only lines that
 * instruct count, and a slot's word that is negated ("<not the least relevant>") shows nothing.
 */
export function shownByTemplate(
  lines: readonly TemplateLine[],
  req: Requirement,
  task: ExerciseTask | undefined,
  instructs: (rule: number) => boolean,
): TemplateLine | null {
  const units = new Set([...(task?.count?.unit ?? []).map(singular), "id"]);
  const subject = firstSubject(req.description);
  if (subject) {
    const ranked = subject.some((w) => SUPERLATIVE.test(w));
    // The unit counted says what the reply is made of, not which comes first ("<clause id>, <clause id>").
    const named = subject.filter((w) => !units.has(singular(w)));
    for (const line of lines) {
      if (!instructs(line.rule) || line.slots.length < 2 || !line.opensWithSlot) continue;
      const words = line.slots[0].words.filter((t) => !t.negated).map((t) => t.lower);
      // A ranked subject ("the most relevant clause") needs a slot ranked the same way; another, its own words.
      if (words.some((w) => CONTRARY.test(w))) continue;
      if (ranked ? words.some((w) => SUPERLATIVE.test(w)) : words.some((w) => named.includes(w))) return line;
    }
  }
  const most = declaredMost(req.description);
  if (most && task?.count?.max === most.most && units.has(most.unit)) {
    for (const line of lines) {
      if (!instructs(line.rule) || !line.onlySlots || line.slots.length !== most.most) continue;
      if (line.slots.some((s) => s.words.some((t) => units.has(singular(t.lower))))) return line;
    }
  }
  return null;
}

/**
 * A template that shows another line than the declared shape: a run of slots joined by separators alone names the
 * shape's fields ("<label>", "<topic>"), two or more of them, but with another separator ("<id> | <label> | <topic>"
 * where the shape is ID;LABEL;TOPIC) or fewer slots than the shape has fields ("<label>;<topic>": the id left out). A
 * slot that describes its value instead of naming its field ("<YYYY-MM-DD or none>") names no field, and a run naming
 * one field ("<id> | <text>", the input's own shape) shows no reply line. Runs are read apart: a sentence may show the
 * input's shape and then the reply's.
 */
export function otherLineShape(
  reading: Reading,
  lines: readonly TemplateLine[],
  shapes: readonly { fields: string[]; separator: string }[],
  instructs: (rule: number) => boolean,
): { line: TemplateLine; shape: { fields: string[]; separator: string } } | null {
  const { tokens } = reading;
  for (const line of lines) {
    if (!instructs(line.rule)) continue;
    // Consecutive slots with nothing but separators between them are one run; its separator is the first between two.
    const runs: { slots: TemplateSlot[]; separator: string | null }[] = [];
    for (const slot of line.slots) {
      const run = runs[runs.length - 1];
      const prev = run?.slots[run.slots.length - 1];
      const between = prev ? tokens.slice(prev.close + 1, slot.open) : [];
      if (prev && between.every((t) => !isWord(t)) && between.length <= 3) {
        run.slots.push(slot);
        run.separator ??= between.find((t) => ["|", ",", ";"].includes(t.text))?.text ?? null;
      } else runs.push({ slots: [slot], separator: null });
    }
    for (const shape of shapes)
      for (const run of runs) {
        if (run.separator === null) continue;
        const fields = run.slots
          .map((s) => shape.fields.indexOf(singular(s.words[0]?.text ?? "")))
          .filter((f) => f >= 0);
        if (fields.length < 2) continue;
        if (run.separator !== shape.separator || run.slots.length < shape.fields.length || !inOrder(fields))
          return { line, shape };
      }
  }
  return bareShape(reading, shapes, instructs);
}

/** The shape's fields named in the shape's order ("<id>;<topic>;<label>" swaps two where the shape is ID;LABEL;TOPIC). */
const inOrder = (fields: readonly number[]) => fields.every((f, k) => k === 0 || f > fields[k - 1]);

/**
 * The line's fields written bare and joined tight by the shape's separator, "id;topic;label": a shape shown in
 * another order than the declared one. (Prose lists its fields with spaces, "an id, a label and a topic", and says no
 * order of a line.)
 */
function bareShape(
  reading: Reading,
  shapes: readonly { fields: string[]; separator: string }[],
  instructs: (rule: number) => boolean,
): { line: TemplateLine; shape: { fields: string[]; separator: string } } | null {
  const { tokens } = reading;
  for (const shape of shapes)
    for (let i = 0; i + 2 < tokens.length; i++) {
      if (
        tokens[i + 1].text !== shape.separator ||
        (i > 0 && tokens[i - 1].end === tokens[i].start && isWord(tokens[i - 1]))
      )
        continue;
      const fields: number[] = [];
      for (let k = i; k < tokens.length; k += 2) {
        const f = shape.fields.indexOf(singular(tokens[k].lower));
        if (f < 0) break;
        fields.push(f);
        const sep = tokens[k + 1];
        const next = tokens[k + 2];
        if (sep?.text !== shape.separator || sep.start !== tokens[k].end || next?.start !== sep.end) break;
      }
      if (fields.length < 2 || inOrder(fields) || !instructs(tokens[i].rule)) continue;
      const line = lineAt(reading, tokens[i].start);
      return {
        line: {
          rule: tokens[i].rule,
          line,
          slots: [],
          separator: shape.separator,
          onlySlots: false,
          opensWithSlot: false,
        },
        shape,
      };
    }
  return null;
}
