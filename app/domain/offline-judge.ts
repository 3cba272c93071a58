import { hasFormatInstruction, someFormatInstruction } from "./checks";
import type { ExerciseFile } from "./exercise";
import { askedQuestionRules } from "./offline-judge/asked-questions";
import { backgroundRules } from "./offline-judge/background";
import { bannedRow } from "./offline-judge/banned-row";
import { bareTerms } from "./offline-judge/bare-terms";
import { borrowedConditions } from "./offline-judge/borrowed-condition";
import { bothRequiredReason, disjunctiveRequirements, findBothRequired } from "./offline-judge/both-triggers";
import { boundOpposite } from "./offline-judge/case-bindings";
import { labelCases, otherHandling, otherLabelBound } from "./offline-judge/case-handling";
import { closedSets, describeOpenedSet, findOpenedSet } from "./offline-judge/closed-values";
import { courtesyRules } from "./offline-judge/courtesy";
import {
  assessRequirement,
  contradict,
  contradictAll,
  findRequirement,
  type RequirementCoverage,
  type RequirementHits,
  type RequirementStatus,
} from "./offline-judge/coverage";
import { cutOffTerms } from "./offline-judge/cut-off";
import { actionVerbs, checkDeclaredTask, describeTaskFinding, ownWords } from "./offline-judge/declared-task";
import { doubtKeptReason, findDoubtKept, selectionRequirements } from "./offline-judge/doubt-keeping";
import { exampleSubjectTokens } from "./offline-judge/example-subjects";
import { extraPartReason, findExtraReplyPart, replyAloneRequirements } from "./offline-judge/extra-reply-part";
import {
  type FallbackSlot,
  fallbackSlot,
  negativeSituationHits,
  quotedReplies,
} from "./offline-judge/fallback-mapping";
import { findForbiddenKey, forbiddenKeyReason, forbiddenKeys } from "./offline-judge/forbidden-key";
import { detectGraderAddress } from "./offline-judge/grader-address";
import { inputAsItem, termsBesideInput } from "./offline-judge/input-item";
import { inputReadingTokens } from "./offline-judge/input-reading";
import { detectKeywordList, keywordRuns, readRules } from "./offline-judge/instruction";
import {
  findAddedAct,
  findKeptContent,
  forbiddenActs,
  forbiddenContent,
  keptContentReason,
} from "./offline-judge/kept-content";
import { labelRows } from "./offline-judge/label-rows";
import { describeNarrowedList, findNarrowedList } from "./offline-judge/narrowed-list";
import { negatedPurposeTokens } from "./offline-judge/negated-purpose";
import { noNeedTokens } from "./offline-judge/no-need";
import { openingOtherAction } from "./offline-judge/opening-action";
import { detectOtherTask, replacesJob, taskVocabulary } from "./offline-judge/other-task";
import { indexReading, type PhraseHit, prescanRegexPhrases } from "./offline-judge/phrases";
import { type Reading, readPrompt, tokenFrom } from "./offline-judge/reading";
import { recapRules } from "./offline-judge/recap";
import { replyOrder } from "./offline-judge/reply-job";
import { selfCheckRules } from "./offline-judge/self-check";
import { selfReferenceTokens } from "./offline-judge/self-reference";
import { sentenceShare } from "./offline-judge/sentence-share";
import { spentOnOtherRule } from "./offline-judge/shared-words";
import {
  declaredShape,
  otherLineShape,
  shownByTemplate,
  slotFieldHits,
  templateLines,
} from "./offline-judge/slot-template";
import { breachOfStatedRule, readStatedRules } from "./offline-judge/stated-rules";
import { saysOnlyGiven, unsaidExclusions, unsaidHits } from "./offline-judge/unsaid-content";
import { assessWaste } from "./offline-judge/waste";
import { workedExampleRules } from "./offline-judge/worked-examples";

export { FILLER_PHRASES, WASTE_PENALTY } from "./offline-judge/waste";

/**
 * The built-in offline judge: reads the prompt itself (no model runs) against the exercise's
 * requirements, deterministically and without a network. See DESIGN.md.
 *
 * - Each requirement is covered only by a rule that instructs it with the right polarity, missing,
 *   or contradicted by a rule that says the opposite (quoted back with its line).
 * - `must` requirements are gates: one missing or contradicted and the attempt does not pass.
 * - quality = weighted share of requirements covered (must and should; the output-format
 *   instruction counts as one more of weight 1 when the exercise asks for it) × 100
 *   − waste (filler, repetition, unused context; capped).
 * - Gaming scores 0: a prompt that lists terms instead of instructing, or that addresses whoever
 *   grades it (notes, verdict tags, score objects, "pre-approved", instruction overrides).
 */

export const OFFLINE_JUDGE_NAME = "offline-judge@2";
/** What every offline grade says about itself, wherever it is shown. */
export const OFFLINE_BASIS =
  "A reading of the prompt by the built-in offline judge: no model was run, so no output was graded.";
export const KEYWORD_LIST_QUALITY_CAP = 25;

export interface RequirementVerdict {
  id: string;
  level: "must" | "should";
  description: string;
  weight: number;
  status: RequirementStatus;
  covered: boolean;
  reason: string;
  contradiction: { line: number; quote: string } | null;
}

export interface OfflineVerdict {
  judge: string;
  /** "prompt": the verdict is a reading of the prompt text, not of any model output. */
  basis: "prompt";
  basisNote: string;
  /** 0–100, integer. */
  quality: number;
  requirements: RequirementVerdict[];
  /** `must` requirements missing or contradicted: each one fails the attempt. */
  mustFailures: string[];
  /**
   * false when no line orders the exercise's declared job (only its rules are named), or when the prompt opens by
   * ordering another job in its place (other-task.ts): it does none of the exercise's job, and a failing score is 0
   * (scoring.ts). Absent from verdicts stored before it existed.
   */
  taskOrdered?: boolean;
  /**
   * 0–1: the share of the prompt's words that stand in sentences, not in heaps of terms (sentence-share.ts); a failing
   * score is scaled by it (scoring.ts). Absent from verdicts stored before it existed.
   */
  sentenceShare?: number;
  format: { required: boolean; found: boolean; reason: string };
  waste: {
    filler: { phrase: string; count: number }[];
    repetition: string[];
    unusedContext: { phrase: string; reason: string }[];
    penalty: number;
    reason: string;
  };
  /** `injection`: the passage addressed to the grader (kept under this name for stored verdicts). */
  gaming: { keywordList: boolean; injection: string | null; reasons: string[] };
  summary: string;
}

type JudgedExercise = Pick<ExerciseFile, "requirements" | "format_instruction" | "unused_context"> &
  Partial<Pick<ExerciseFile, "brief" | "reference_solution" | "task">>;

/** The exercise's own words: its brief, its reference solution and its requirements' phrases. */
function exerciseTexts(exercise: JudgedExercise): string[] {
  return [
    exercise.brief ?? "",
    exercise.reference_solution ?? "",
    ...exercise.requirements.flatMap((r) => [...r.all_of.flat(), ...(r.topic ?? []).flat()]),
  ];
}

/** A value computed once per exercise object (the judge runs on every keystroke). */
function perExercise<T>(read: (exercise: JudgedExercise) => T): (exercise: JudgedExercise) => T {
  const memo = new WeakMap<JudgedExercise, T>();
  return (exercise) => {
    if (!memo.has(exercise)) memo.set(exercise, read(exercise));
    return memo.get(exercise) as T;
  };
}

/** The line shapes the requirements' descriptions declare ("OWNER | TASK | DUE", slot-template.ts). */
const declaredShapesOf = perExercise((exercise) =>
  exercise.requirements.flatMap((r) => {
    const shape = declaredShape(r.description);
    return shape ? [shape] : [];
  }),
);
/** The words the exercise names its own job with. Without a brief there is nothing to tell its job from another's. */
const vocabularyOf = perExercise((exercise) =>
  exercise.brief ? taskVocabulary(exerciseTexts(exercise)) : new Set<string>(),
);
/** The requirements an explanation breaks: the reply is its value alone (extra-reply-part.ts). */
const replyAloneOf = perExercise((exercise) => replyAloneRequirements(exercise.requirements));
/** The requirements whose triggers each suffice (both-triggers.ts). */
const disjunctiveOf = perExercise((exercise) => disjunctiveRequirements(exercise.requirements));
/** The thing each "No <thing>" description forbids, where the reply has declared keys (forbidden-key.ts). */
const forbiddenKeysOf = perExercise((exercise) => forbiddenKeys(exercise.requirements, exercise.task));
/** The requirements that pass on only what meets a test (doubt-keeping.ts). */
const selectionsOf = perExercise((exercise) => selectionRequirements(exercise.requirements));
/** The content the exercise's requirements say to leave out (kept-content.ts). */
const forbiddenContentOf = perExercise((exercise) => forbiddenContent(exercise.requirements));
/** The acts the exercise's descriptions forbid outright ("Never answer the question": kept-content.ts). */
const forbiddenActsOf = perExercise((exercise) => forbiddenActs(exercise.requirements));
/** The closed value lists the exercise declares (closed-values.ts). */
const closedSetsOf = perExercise((exercise) => closedSets(exercise.task, exercise.reference_solution ?? ""));
/** The fallback value each requirement declares, with its situation (fallback-mapping.ts). */
const fallbackSlotsOf = perExercise((exercise) => {
  const replies = quotedReplies(exercise.reference_solution ?? "");
  return exercise.requirements.map((r) => fallbackSlot(r, exercise.task, replies));
});
/** The cases each requirement sends to one of the exercise's labels (case-handling.ts). */
const labelCasesOf = perExercise((exercise) =>
  exercise.requirements.map((r) => labelCases(r, exercise.task?.labels ?? [])),
);
/** Each requirement's rule as its description states it (stated-rules.ts). */
/** Per requirement, which of its groups say "only what is stated" (unsaid-content.ts). */
const onlyGivenGroupsOf = perExercise((exercise) =>
  exercise.requirements.map((r) => [...(r.topic ?? []), ...r.all_of].map((g) => saysOnlyGiven(g))),
);

const statedRulesOf = perExercise((exercise) => readStatedRules(exercise.requirements.map((r) => r.description)));
/** Every phrase of the requirements, for finding which of its patterns match at all in one pass (phrases.ts). */
const phrasesOf = perExercise((exercise) =>
  exercise.requirements.flatMap((r) => [
    ...(r.topic ?? []).flat(),
    ...r.all_of.flat(),
    ...r.broken_by.flatMap((entry) => (Array.isArray(entry) ? entry : entry.all_of.flat())),
  ]),
);
/** The exercise's words as written, for telling its own labels and keys from others. */
const writtenWordsOf = perExercise((exercise) => ownWords(exerciseTexts(exercise)));
/** The words a learner reads: the brief and the reference (declared-task.ts, for keys). */
const briefWordsOf = perExercise((exercise) => ownWords([exercise.brief ?? "", exercise.reference_solution ?? ""]));

/** Listed with the essential requirements when the prompt's orders ask for another job than the exercise's. */
export const OTHER_TASK_FAILURE = "Does this exercise's job";
/** Listed with the essential requirements when an order changes the reply's shape, labels, keys or count. */
export const TASK_CHANGED_FAILURE = "Keeps the reply this exercise asks for";

/** "Matches none → other": a negative situation mapped to the fallback value is one more hit of its situation. */
function withFallbackSituations(reading: Reading, hits: RequirementHits, slot: FallbackSlot | null): RequirementHits {
  if (!slot) return hits;
  const extra = negativeSituationHits(reading, hits.groups[slot.value]);
  if (extra.length === 0) return hits;
  return { ...hits, groups: hits.groups.map((g, i) => (i === slot.situation ? [...g, ...extra] : g)) };
}

/** "<YYYY-MM-DD or none>" in the DUE slot of a declared "OWNER | TASK | DUE": the field named where its slot is. */
function withSlotFields(
  reading: Reading,
  template: ReturnType<typeof templateLines>,
  shapes: ReturnType<typeof declaredShapesOf>,
  req: JudgedExercise["requirements"][number],
  hits: RequirementHits,
): RequirementHits {
  if (template.length === 0) return hits;
  const extra = slotFieldHits(reading, template, shapes, req, hits.groups);
  return extra ? { ...hits, groups: hits.groups.map((g, i) => [...g, ...extra[i]]) } : hits;
}

export function judgeOffline(prompt: string, exercise: JudgedExercise): OfflineVerdict {
  const reading = readPrompt(prompt);
  const index = indexReading(reading);
  prescanRegexPhrases(index, phrasesOf(exercise));
  const rules = readRules(reading);
  // "- [EMAIL] for email addresses": a row mapping a declared label to its case orders without a verb (label-rows.ts).
  for (const i of labelRows(reading, exercise.task?.labels ?? []))
    if (rules[i] && !rules[i].instructs) rules[i] = { ...rules[i], instructs: true, kind: "instruction" };
  // Words about the prompt itself ("as explained above") and the purpose of a forbidden act ("to reach three") count
  // for nothing; what there is "no need to" do, quoted examples of what a clause rules out and what the model is told
  // to read are not asked for (self-reference.ts, negated-purpose.ts, no-need.ts, example-subjects.ts,
  // input-reading.ts).
  const aside = selfReferenceTokens(reading);
  for (const i of negatedPurposeTokens(reading)) aside.add(i);
  const unasked = noNeedTokens(reading);
  for (const i of aside) unasked.add(i);
  for (const i of exampleSubjectTokens(reading)) unasked.add(i);
  for (const i of inputReadingTokens(reading)) unasked.add(i);
  const outside = (set: Set<number>) => (h: PhraseHit) => {
    for (let i = h.from; i < h.to; i++) if (!set.has(i)) return true;
    return h.from === h.to;
  };
  const slots = fallbackSlotsOf(exercise);
  // A template's slots: the reply shown rather than described (slot-template.ts).
  const template = templateLines(reading);
  const shapes = declaredShapesOf(exercise);
  // "Nothing the chat doesn't state": only what the source says, said by ruling out the unsaid (unsaid-content.ts).
  const unsaid = unsaidExclusions(reading);
  const onlyGiven = onlyGivenGroupsOf(exercise);
  const foundAll = exercise.requirements.map((r, k) => {
    const read = withSlotFields(
      reading,
      template,
      shapes,
      r,
      withFallbackSituations(reading, findRequirement(index, r), slots[k]),
    );
    const extra = unsaid.length > 0 && onlyGiven[k].includes(true) ? unsaidHits(reading, unsaid, onlyGiven[k]) : null;
    const hits = extra ? { ...read, groups: read.groups.map((g, i) => [...g, ...extra[i]]) } : read;
    if (unasked.size === 0) return hits;
    return {
      groups: hits.groups.map((g) => g.filter(outside(aside))),
      breakers: hits.breakers.map((entry) => entry.map((g) => g.filter(outside(unasked)))),
    };
  });
  // "If no passage helps answer the question, reply NONE": the empty case of a fallback label is that label's
  // situation; it covers another requirement only where its outcome says something of that one too
  // (borrowed-condition.ts).
  const borrowed = borrowedConditions(
    reading,
    exercise.task?.labels ?? [],
    foundAll.map((f) => f.groups),
  );
  // "Reply with one JSON call and nothing else": words that complete another rule say no one-phrase rule (shared-words.ts).
  const spent = spentOnOtherRule(
    exercise.requirements,
    replyAloneOf(exercise),
    foundAll.map((f) => f.groups),
  );
  const found = foundAll.map((f, k) =>
    borrowed[k].size === 0 && spent[k].size === 0
      ? f
      : { ...f, groups: f.groups.map((g) => g.filter((h) => !borrowed[k].has(h.clause) && !spent[k].has(h))) },
  );

  // First pass: rules that instruct; then keyword runs found among them are set aside too.
  // Background and self-check questions may state a rule but break none by their words alone (background.ts,
  // self-check.ts); a case they bind to the opposite value still does (case-bindings.ts, below).
  const stating = backgroundRules(reading);
  for (const i of selfCheckRules(reading)) stating.add(i);
  // ...and so may a question in the model's own voice, as in a FAQ, whose answer follows (asked-questions.ts).
  for (const i of askedQuestionRules(reading)) stating.add(i);
  // Thanks, greetings and good wishes order nothing either (courtesy.ts).
  for (const i of courtesyRules(reading)) stating.add(i);
  // A worked example ("For example, a late kettle is not a safety issue") illustrates a rule (worked-examples.ts).
  for (const i of workedExampleRules(reading)) stating.add(i);
  const recaps = recapRules(reading);
  const assess = (k: number, instructs: (i: number) => boolean) => {
    const breaks = (i: number) => instructs(i) && !stating.has(i);
    const r = exercise.requirements[k];
    const strict = assessRequirement(reading, r, found[k], instructs, (i) => breaks(i) && !recaps.has(i));
    // What a recap seems to break, a rule outside it that covers the requirement already says (recap.ts).
    const assessed =
      recaps.size === 0 || (strict.status === "covered" && strict.rules.some((i) => !recaps.has(i)))
        ? strict
        : assessRequirement(reading, r, found[k], instructs, breaks);
    if (assessed.status === "contradicted" || stating.size === 0) return assessed;
    // ...but a case they bind to a value must get the brief's value: "For example, an unsure review is OK"
    // (case-bindings.ts).
    const bound = boundOpposite(reading, r, found[k], (i) => instructs(i) && stating.has(i), exercise.task?.labels);
    return bound ? contradict(assessed, bound) : assessed;
  };
  const first = exercise.requirements.map((_, k) => assess(k, (i) => rules[i]?.instructs === true));
  const runs = keywordRuns(reading, first);
  // Text outside every rule (rule -1: a code fence line) instructs nothing.
  const instructs = (i: number) => rules[i]?.instructs === true && !runs.has(i);
  const read = runs.size ? exercise.requirements.map((_, k) => assess(k, instructs)) : first;
  // What the prompt orders: instructing rules, not background, self-checks, courtesies or worked examples.
  const orders = (i: number) => instructs(i) && !stating.has(i);
  // An order for a reason, a note or a lead-in beside a reply that must be its value alone.
  const replyAlone = replyAloneOf(exercise);
  const extraPart = replyAlone.size > 0 ? findExtraReplyPart(reading, orders, exercise.task) : null;
  const withParts = extraPart
    ? contradictAll(
        read,
        (id) => replyAlone.has(id),
        { line: extraPart.line, quote: extraPart.evidence },
        extraPartReason(extraPart),
      )
    : read;
  // An order to keep what a requirement says to leave out: "fold in how the employee greeted and thanked".
  // ...or to add what a requirement forbids doing: "add one line with a short answer" where it says never answer.
  const kept =
    findKeptContent(reading, orders, forbiddenContentOf(exercise)) ??
    findAddedAct(reading, orders, forbiddenActsOf(exercise));
  const withKept = kept
    ? contradictAll(
        withParts,
        (id) => id === kept.id,
        { line: kept.line, quote: kept.evidence },
        keptContentReason(kept),
      )
    : withParts;
  // "When unsure, keep the sentence" where only the sentences that help are passed on (doubt-keeping.ts).
  const doubtKept = findDoubtKept(reading, orders, selectionsOf(exercise));
  const withDoubt = doubtKept
    ? contradictAll(
        withKept,
        (id) => doubtKept.ids.includes(id),
        { line: doubtKept.line, quote: doubtKept.evidence },
        doubtKeptReason(doubtKept),
      )
    : withKept;
  // "true only when both apply: over £75 without a receipt, and alcohol" where either is enough (both-triggers.ts).
  const ids = exercise.requirements.map((r) => r.id);
  const both = findBothRequired(reading, orders, disjunctiveOf(exercise), (id, rule) =>
    found[ids.indexOf(id)].groups.some((g) => g.some((h) => h.rule === rule)),
  );
  const withBoth = both
    ? contradictAll(
        withDoubt,
        (id) => both.ids.includes(id),
        { line: both.line, quote: both.evidence },
        bothRequiredReason(both),
      )
    : withDoubt;
  // 'JSON with "cause", "evidence" and "reasoning"' where the description says "No reasoning" (forbidden-key.ts).
  const keyed = findForbiddenKey(reading, orders, forbiddenKeysOf(exercise), exercise.task);
  const withKeys = keyed
    ? contradictAll(
        withBoth,
        (id) => id === keyed.id,
        { line: keyed.line, quote: keyed.evidence },
        forbiddenKeyReason(keyed),
      )
    : withBoth;
  // A rule said otherwise than its description ("EUR 25,000 or less -> CFO approval") contradicts what the phrase
  // lists cover.
  const breaksAny = (i: number) => orders(i) && !recaps.has(i);
  const bindsAny = (i: number) => instructs(i) && !recaps.has(i);
  // Where the other requirements name a case of the same label: an outcome naming one still sends its case there.
  const labelled = labelCasesOf(exercise);
  const caseTokens = (k: number) => {
    const set = new Set<number>();
    labelled.forEach((lc, j) => {
      if (!lc || j === k || lc.label !== labelled[k]?.label) return;
      for (const g of lc.groups)
        for (const h of found[j].groups[g] ?? []) for (let i = h.from; i < h.to; i++) set.add(i);
    });
    return set;
  };
  const coverage: RequirementCoverage[] = withKeys.map((r, k) => {
    if (r.status === "contradicted") return r;
    // A reply's order or count shown by a template line's slots, not said in words (slot-template.ts).
    const shown =
      r.status === "missing" ? shownByTemplate(template, exercise.requirements[k], exercise.task, orders) : null;
    if (shown)
      r = {
        ...r,
        status: "covered",
        covered: true,
        reason: `Shown by the template on line ${shown.line}.`,
        rules: [shown.rule],
      };
    // A line that orders nothing binds a figure's side, a default or an exemption as surely as an order does; a case
    // it leaves out of a list is only an example (case-bindings.ts).
    const stated = statedRulesOf(exercise)[k];
    const breach = breachOfStatedRule(reading, stated, bindsAny, r.status === "covered", breaksAny);
    if (breach) return contradict(r, breach, breach.reason);
    // "- FORMAT: any formatting problem" among the exercise's label rows: a label added for forbidden content.
    const row = stated.banned && bannedRow(reading, stated.banned, exercise.task?.labels ?? [], bindsAny);
    if (row)
      return contradict(
        r,
        row,
        `Line ${row.line} says "${row.quote}", which adds a label for what the rule forbids outright.`,
      );
    // A case the exercise sends to a label, given an order of its own instead (case-handling.ts).
    const lc = labelled[k];
    const handled =
      lc &&
      otherHandling(
        reading,
        lc,
        found[k],
        exercise.task?.labels ?? [],
        caseTokens(k),
        breaksAny,
        exercise.task?.action === "select",
      );
    if (handled)
      return contradict(
        r,
        handled,
        `Line ${handled.line} says "${handled.quote}", which handles a case that must be ${lc?.label} another way.`,
      );
    // ...or binds it to another of the exercise's labels: "spam counts as NEG" where spam must be SKIP.
    const sent = lc && otherLabelBound(reading, lc, found[k], exercise.task?.labels ?? [], breaksAny);
    return sent
      ? contradict(
          r,
          sent,
          `Line ${sent.line} says "${sent.quote}", which gives a case that must be ${lc?.label} another label.`,
        )
      : r;
  });

  const formatHit = hasFormatInstruction(reading.text);
  const formatInstructed =
    formatHit.found &&
    someFormatInstruction(reading.text, (start) => {
      const t = tokenFrom(reading, start);
      return t ? instructs(t.rule) : false;
    });
  const format = {
    required: exercise.format_instruction,
    found: formatInstructed,
    reason: formatInstructed
      ? `states the output format: "${formatHit.evidence}"`
      : exercise.format_instruction
        ? "no output format stated (e.g. JSON, a single label, N bullets, a word limit)"
        : "no output format stated; this exercise does not require one",
  };
  const waste = assessWaste(index, exercise.unused_context);

  const totalWeight = coverage.reduce((s, r) => s + r.weight, 0) + (format.required ? 1 : 0);
  const coveredWeight =
    coverage.reduce((s, r) => s + (r.covered ? r.weight : 0), 0) + (format.required && format.found ? 1 : 0);
  const coveragePct = totalWeight === 0 ? 0 : (coveredWeight / totalWeight) * 100;

  const listed = detectKeywordList(reading, coverage, (i) => !instructs(i));
  // Terms with neither an order nor the input placeholder (bare-terms.ts).
  const bare = listed.keywordList ? null : bareTerms(prompt, reading);
  // The input placeholder as one more item of a run of terms (input-item.ts).
  // ...or the prompt is nothing but a run of terms beside its input (input-item.ts).
  const item = listed.keywordList || bare ? null : (inputAsItem(prompt, reading) ?? termsBesideInput(prompt, reading));
  // An instruction broken off mid-sentence, then the brief's terms (cut-off.ts).
  const cut = listed.keywordList || bare || item ? null : cutOffTerms(prompt, reading);
  const keywords = bare
    ? {
        keywordList: true,
        reason: `The prompt lists terms with no order and no {{input}} for the model to work on (e.g. "${bare}").`,
      }
    : item
      ? {
          keywordList: true,
          reason: `The prompt strings terms together beside {{input}} ("${item}"), with no order.`,
        }
      : cut
        ? {
            keywordList: true,
            reason: `The prompt breaks off an instruction mid-sentence ("${cut}") and lists terms after it.`,
          }
        : listed;
  const addressed = detectGraderAddress(prompt);

  let quality = Math.round(Math.max(0, Math.min(100, coveragePct - waste.penalty)));
  const reasons: string[] = [];
  if (keywords.keywordList && keywords.reason) {
    reasons.push(`${keywords.reason} A list of terms is not an instruction; it scores 0.`);
    quality = Math.min(quality, KEYWORD_LIST_QUALITY_CAP);
  }
  if (addressed) {
    reasons.push(
      `The prompt addresses whoever grades it ("${addressed.evidence}"), so it scores 0. Write for the model, not the grader.`,
    );
    quality = 0;
  }

  const mustFailures = coverage
    .filter((r) => r.level === "must" && !r.covered)
    .map((r) => (r.status === "contradicted" ? `${r.description} (contradicted)` : r.description));
  // "Write a short risk memo ... This memo covers JSON, parties, ...": the requirements named around another job.
  const otherTask = detectOtherTask(reading, rules, vocabularyOf(exercise));
  if (otherTask)
    mustFailures.unshift(
      `${OTHER_TASK_FAILURE}: line ${otherTask.line} asks for something the brief does not ask for ("${otherTask.evidence}").`,
    );
  // "Classify the sentiment ..." where the job is to redact: the first order is another job (opening-action.ts).
  // "Write a short reply to the customer" where the job is to summarise: a reply to the sender is answering (reply-job.ts).
  const otherAction = !exercise.task
    ? null
    : ((otherTask ? null : openingOtherAction(reading, rules, exercise.task, actionVerbs(exercise.task.action))) ??
      (otherTask && replacesJob(otherTask) ? null : replyOrder(reading, rules, exercise.task)));
  if (otherAction)
    mustFailures.unshift(
      `${OTHER_TASK_FAILURE}: line ${otherAction.line} asks for another job than this exercise's ("${otherAction.evidence}").`,
    );
  // The declared task: ordered at all, and not changed (another reply shape, label, key or count).
  const taskFinding =
    otherTask || otherAction
      ? null
      : checkDeclaredTask(reading, rules, exercise.task, writtenWordsOf(exercise), briefWordsOf(exercise));
  if (taskFinding && exercise.task)
    mustFailures.unshift(
      `${taskFinding.kind === "not-ordered" ? OTHER_TASK_FAILURE : TASK_CHANGED_FAILURE}: ${describeTaskFinding(taskFinding, exercise.task)}`,
    );
  // A line shape the template shows otherwise than declared: "<id> | <label> | <topic>" for ID;LABEL;TOPIC (slot-template.ts).
  // (A description listing the labels, "Labels POS, NEG, MIXED", declares no line.)
  const labelNames = new Set((exercise.task?.labels ?? []).map((l) => l.toLowerCase()));
  const lineShapes = shapes.filter((s) => !s.fields.every((f) => labelNames.has(f)));
  const shape = otherTask || taskFinding ? null : otherLineShape(reading, template, lineShapes, orders);
  if (shape)
    mustFailures.unshift(
      `${TASK_CHANGED_FAILURE}: line ${shape.line.line} shows a reply line of another shape than ${shape.shape.fields.join(shape.shape.separator).toUpperCase()}.`,
    );
  // A closed list of values opened: a value added to a key's list or the labels, or another key's value given to one.
  const opened = otherTask ? null : findOpenedSet(reading, orders, closedSetsOf(exercise), writtenWordsOf(exercise));
  if (opened) mustFailures.unshift(`${TASK_CHANGED_FAILURE}: ${describeOpenedSet(opened)}`);
  // A closed list written short: a key's declared value left out and never given to it (narrowed-list.ts).
  const narrowed = otherTask || opened ? null : findNarrowedList(reading, orders, closedSetsOf(exercise));
  if (narrowed) mustFailures.unshift(`${TASK_CHANGED_FAILURE}: ${describeNarrowedList(narrowed)}`);
  const coveredCount = coverage.filter((r) => r.covered).length;
  const contradicted = coverage.filter((r) => r.status === "contradicted").length;
  const parts = [
    `Covers ${coveredCount} of ${coverage.length} requirement${coverage.length === 1 ? "" : "s"} (${Math.round(coveragePct)}% by weight${format.required ? ", the output format counted as one" : ""})`,
    contradicted > 0 ? `contradicts ${contradicted}` : null,
    mustFailures.length > 0
      ? `${mustFailures.length} essential requirement${mustFailures.length === 1 ? "" : "s"} not met`
      : null,
    format.found ? "states an output format" : format.required ? "states no output format" : null,
    waste.penalty > 0 ? `waste costs ${waste.penalty} point${waste.penalty === 1 ? "" : "s"}` : "no waste found",
  ].filter(Boolean);
  const verdict = addressed
    ? "Quality 0: it addresses the grader."
    : keywords.keywordList
      ? "Gaming: it lists terms instead of instructing."
      : `Quality ${quality}/100.`;

  return {
    judge: OFFLINE_JUDGE_NAME,
    basis: "prompt",
    basisNote: OFFLINE_BASIS,
    quality,
    requirements: coverage.map(({ id, level, description, weight, status, covered, reason, contradiction }) => ({
      id,
      level,
      description,
      weight,
      status,
      covered,
      reason,
      contradiction,
    })),
    mustFailures,
    taskOrdered: otherAction ? false : otherTask ? !replacesJob(otherTask) : taskFinding?.kind !== "not-ordered",
    sentenceShare: sentenceShare(reading),
    format,
    waste,
    gaming: { keywordList: keywords.keywordList, injection: addressed?.evidence ?? null, reasons },
    summary: `${parts.join("; ")}. ${verdict}`,
  };
}
