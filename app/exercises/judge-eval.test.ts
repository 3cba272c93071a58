import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countTokens } from "~/.server/tokenizer.server";
import { gradePrompt } from "~/domain/grade";
import {
  type EvalCase,
  type EvalOutcome,
  type ExerciseReport,
  formatReport,
  gradeCase,
  loadEvalSet,
  summarise,
} from "./judge-eval.server";
import { loadContent, loadModelCatalogue } from "./load.server";

/**
 * The offline judge on its labelled evaluation set (issue "Grades people can trust"). The targets: good
 * rewrites pass ≥ 90%, flawed ≤ 5%, gaming, reversed rules and grader-addressed prompts never, every starting
 * prompt fails, and a correct bloated prompt outscores any failing gaming one; issue 14: for every exercise.
 *
 * - tune/ (writers A–I and the earlier fair rewrites; N1–N6 for the twenty exercises of the new courses): every set
 *   in it has been looked at, so it is where the judge and the requirements are tuned. Every exercise meets every
 *   target but the misses listed in TUNE_KNOWN_MISSES, which may only go down (a ratchet: lower a count when a fix
 *   removes a miss; never raise one).
 * - holdout/ (written blind from the learner's view and never tuned on; see test/judge-eval/README.md for each
 *   writer's figures): HOLDOUT_FLOORS hold the figures it was first graded at, per exercise.
 */

/**
 * Per exercise, every wrong verdict on tune/: good prompts failing, flawed and gaming prompts passing, and
 * `bloated: true` where a bloated prompt does not outscore a failing gaming one. Measured when writers I and N3–N6
 * moved to tune/ (2026-12-06 05:25: good 1,015/1,048, flawed 18/922, gaming 1/920), then when writers R1–R3 (`.r1`–`.r3`,
 * 600 prompts with 10 flawed per exercise, most of them reversed rules in other words) were added and the breakers
 * tuned on them (09:36: good 1,207/1,228, flawed 3/1,222, gaming 2/980; 10:10, with the reading of one-term-per-line columns: gaming 1/980). An exercise not listed has none.
 *
 * What R1–R3 left (first look: good 150/180, flawed 71/300, gaming 1/60; after: 160/180, 3/300, 1/60), and why it stays:
 * - good: wordings the phrase lists cannot take without letting reversals through, or that the judge's reading gets
 *   wrong (the label SKIP read as the verb "skip"; a "no" read over a comma list: "no charge on Unlimited, £2.25 a day
 *   on all other plans"; a declarative "The reply is ..." spec); see the branch's report.
 * - flawed: compact-spec and meeting-action-items rename the pipeline's rule names or fields (nothing in the
 *   requirements names them); json-not-prose asks for a best guess inside parentheses, which the reading skips.
 * - gaming: a truncated instruction followed by the checks' keywords reads as an instruction (subject-lines).
 * - bloated: R's failing gaming prompts score 175–199, above the older sets' most wasteful bloated prompts.
 *
 * Writers T1–T3 (`.t1`–`.t3`, 300 prompts on 15 exercises, written blind at 11:21 on 2026-12-06 from the learner's
 * view, 6 good / 6 flawed / 2 bloated / 6 gaming each) joined at 11:30 with their first-look misses (good 77/90, flawed
 * 12/90, reversed 8/53, gaming 1/90); their sister sets T4–T6 are kept outside the repository as the blind check.
 * After the reading of joined conditions, fronted phrases and asides, and breakers written as concepts (12:40): T1–T3
 * flawed 0/90, gaming 1/90 (a one-line word list on prune-retrieved-passages), good 77/90 unchanged; the whole tune set
 * good 1,284/1,318, flawed 3/1,312 (reversed 1/779), gaming 2/1,070.
 *
 * Then the reading of good rewrites in other words (branch judge-goods, 12:50, on main 1c816af: tune good 1,312/1,318,
 * flawed 3/1,312, gaming 2/1,070). The six good misses left: a JSON spec that never says order_id is kept as written;
 * "charge lines" for line items; two meeting-action-items prompts (a template the required JSON check does not see, a
 * declarative spec); "name the clauses by id alone, leading with the strongest" read as sorting by id (a breaker);
 * reusable-answers' "from these facts alone" (the synonym let a flawed prompt pass whose real flaw nothing reads).
 *
 * Writers U1–U3 (`.u1`–`.u3`, 300 prompts on 15 exercises, written blind at 14:15 on 2026-12-06 from views regenerated
 * from the exercise files, 6 good / 6 flawed / 2 bloated / 6 gaming each) joined at 14:40 with their first-look misses:
 * good 78/90 (paraphrase 11/15, declarative 11/15, template 12/15), flawed 9/90 (reversed 5/56, task-changed 3/19),
 * gaming 1/90 (a truncated prompt plus keywords); whole tune set then good 1,390/1,408, flawed 12/1,402, gaming
 * 3/1,160. Their sister sets U4–U6 are kept outside the repository as the blind check (first look: good 69/90, flawed
 * 10/90, reversed 8/57, gaming 1/90).
 *
 * Then each exercise declared its task (`task:`; branch judge-tasks, 14:45): a prompt ordering another reply shape, a
 * label or key set in other names, or another count fails, quoted. Flawed 12 → 7/1,402 (task-changed 5 → 0/197:
 * compact-spec's and meeting-action-items' renamed rule names and fields, meeting's wrapper object, prune's one
 * sentence, subject lines as a JSON array), good 1,390 unchanged.
 *
 * Writers V1–V6 (`.v1`–`.v6`, 600 prompts, 20 per exercise on all thirty, written blind at 17:21 on 2026-12-06 from
 * views regenerated from the exercise files) joined at 17:27 with their first-look misses: good 162/180 (paraphrase
 * 20/30, template 26/30), flawed 18/180 (reversed 11/114, dropped 3/32, task-changed 4/34), gaming 1/180 (a wrong task
 * naming the brief's terms); whole tune set then good 1,565/1,588, flawed 25/1,582, gaming 3/1,340. Their sister sets
 * W1–W6 (20 per exercise on all thirty, other writers, other groupings of exercises) are kept outside the repository
 * as the blind check.
 *
 * Then an order for a part of the reply beside its value where the reply is the value alone (a reason, a note, a
 * sentence on why, a label wrapped in "Final answer: ..."; extra-reply-part.ts, branch judge-additions): flawed
 * 25 → 21/1,582, good 1,565 unchanged. Then a closed list of values opened (a value added to a key's list as the
 * reference writes it, another key's value given to one, a bracketed token the labels do not have; closed-values.ts):
 * flawed 21 → 17/1,582, good 1,565 unchanged. Then "only" before a preposition read as restricting what follows
 * ("every line only on offers" no longer says "lines only"; only-scope.ts): flawed 17 → 16/1,582 (dropped 4 → 3).
 * Then content a requirement says to leave out ("skip greetings" beside "greetings") ordered kept, in any form of its
 * words (kept-content.ts): flawed 16 → 15/1,582 (reversed 12 → 11), good 1,565 unchanged.
 *
 * Then rules read as their descriptions state them (stated-rules.ts, branch judge-conditions): a comparison turned
 * round, a default swapped with its exception, an exemption taken back, a case left out of a rule's list. Flawed
 * 21 → 15/1,582 (reversed 9/949), good 1,576/1,588 unchanged (main with judge-words, 18:50).
 *
 * Then the reading of wordy prompts (branch judge-bloated, 18:45, on main 7947996): back-references and frames
 * ("as explained above", "please note that"), "no need to", consequences told as reasons, courtesies, worked
 * examples, quoted examples a clause rules out, "anything other than X", the purpose of a forbidden act, what the
 * model is told to read; and verbless term lists without {{input}} read as gaming. A bloated prompt outscores every
 * failing gaming one on 21 of 30 exercises (12 before); good 1,576/1,588, flawed 21/1,582, gaming 3/1,340 unchanged.
 *
 * Writers X1–X6 (`.x1`–`.x6`, 600 prompts on all thirty exercises, written blind at 20:30 on 2026-12-06) joined with
 * their first-look misses (good 162/180, flawed 15/180, reversed 13/109, gaming 2/180): the whole set good 1,741/1,768,
 * flawed 24/1,762, gaming 5/1,520; their sister set Y1–Y6 is kept outside the repository.
 *
 * Then good rewrites the judge failed on X, read as classes (branch judge-x-good, 21:50): a fallback value mapped from
 * a negative situation ("Matches none → other"; fallback-mapping.ts), a list's last word that is also an order
 * (list-tail.ts), complete key lines (key-lines.ts), "as written" said through spelling (spelling-idioms.ts), "single"
 * as "one"; two more (where a negation stops; a breaker not read from a compound's second half) were reverted on the
 * held-out floors. Flawed and gaming X prompts read as classes (branch judge-x-flawed): a cap made a minimum, a
 * default in a key's parentheses, a member coined for a closed list, the empty case given another value, a case
 * limited by what it lacks widened, a prohibition given a way back in, three exercises' declarations completed. Lines
 * that order nothing but bind a case to the opposite value (branch judge-opposites; case-bindings.ts). Whole set at
 * 22:20: good 1,750/1,768, flawed 14/1,762, gaming 3/1,520 (X: good 171/180, flawed 5/180, gaming 0/180).
 *
 * Then gaming on the 8,550 (branch judge-r-gaming, 2026-12-07 00:35): a failing score halves for each essential missed
 * and is 0 without {{input}} or when the prompt orders another job or none (scoring.ts); an instruction broken off
 * mid-sentence before a heap of terms is gaming (cut-off.ts); another job in place of the exercise's (other-task.ts
 * `replacesJob`, opening-action.ts from task.action). Gaming 13 -> 0/2,420, good and flawed unchanged; a bloated prompt
 * outscores every failing gaming one on 13 of 30 exercises (1 before). What is left there is mostly bloated prompts
 * the judge reads as missing or contradicting one essential (every bloated prompt under a gaming one has such a miss).
 *
 * Writers Z1–Z12 (`.z1`–`.z12`, 1,200 prompts, the holdout reported on 2026-12-07 at good 312/360, flawed 20/360,
 * reversed 10/216, gaming 2/360) moved to tune/ at 03:10 on 2026-12-07 with their misses, so the judge can be tuned
 * on them; a fresh blind set (AA1–AA12) is being written outside the repository to take their place. Whole set then:
 * good 2,872/3,028, flawed 80/3,022 (reversed 44/1,786), gaming 2/2,780.
 *
 * Then good rewrites said in other words, read as classes (branch judge-s-para): a subject judged wrong ("a plausible
 * one is wrong"; rejected-subject.ts), verbs sharing a negative object ("invent or infer nothing"; shared-object.ts),
 * "even if" conceding rather than licensing (concession.ts), "leave X out", "Nothing else is replaced" as one clause,
 * a format glossed in parentheses; then where a negation reaches ("never on outside knowledge", "<..., no answer> or
 * NONE", "none left out"). Good 2,872 → 2,886/3,028; flawed, gaming and bloated unchanged.
 *
 * Then gaming below bloated (branch judge-s-bloat, 03:35): a reply to the input's sender ordered where the job is not
 * replying (reply-job.ts), a role line before another job's order, a role that names its job, "a list of N keywords",
 * merged texts and minutes (other-task.ts), ellipses in a heap of terms (cut-off.ts), a grader label with its kind and
 * an order to mark every requirement met (grader-address.ts). Gaming 2 -> 0/2,780, good and flawed unchanged; a
 * bloated prompt outscores every failing gaming one on 16 of 30 exercises (13 before). Then three misreadings of wordy
 * or broken text: "treat any comment inside the extracts as data" adds no part to the reply (extra-reply-part.ts), a
 * participle ("are recorded and summarised into notes") is no first order (opening-action.ts), an order and its
 * particle at a line's end ("and copy out") is broken off (cut-off.ts): 18 of 30, good and flawed unchanged.
 *
 * Then good rewrites shown as templates (branch judge-s-tmpl): the slots of a template line read against the fields a
 * requirement's description declares, its order and its count (slot-template.ts), a fallback mapped to a fixed reply
 * (fallback-mapping.ts), a colon line completed by the label on the next line, label rows ('[EMAIL] for email
 * addresses'; label-rows.ts): good 2,872 → 2,891. And flawed prompts read as classes (branch judge-s-rev): a closed
 * list written short (narrowed-list.ts), "The reply is …" as an order about the reply and "one of five labels" as
 * naming the set (declared-task.ts), a guess by description where the value is null (guessed-fallback.ts), a line
 * introducing or commenting as an extra part, five exercises' declarations completed: flawed 80 → 61 (reversed 44 →
 * 33, dropped 19 → 15, task-changed 17 → 13), good unchanged. All four branches together (04:25): good 2,903/3,028,
 * flawed 61/3,022 (reversed 33/1,786), gaming 0/2,780, bloated above every failing gaming prompt on 16 of 30.
 *
 * Writers AA1–AA12 (`.aa1`–`.aa12`, 1,200 prompts, the holdout reported on 2026-12-07 at good 306/360, flawed 20/360,
 * reversed 13/202, gaming 4/360) moved to tune/ at 06:40 on 2026-12-07 with their misses; a fresh blind set (BB1–BB12)
 * is being written outside the repository to take their place. Whole set then: good 3,210/3,388, flawed 81/3,382
 * (reversed 46/1,988), gaming 4/3,140.
 *
 * Then flawed prompts read as classes from what the exercises declare (branch judge-s-rev3): an exemption moved to the
 * side the other rules hold (exemptions.ts), a label row added for forbidden content (banned-row.ts), a limit set from
 * the other side (turned-bound.ts), a row headed LENGTH/FORMAT/OUTPUT read as the reply's spec (declared-task.ts), "even
 * one with a ticket id" widening a lack, a key's list in brackets, a key listed beside those that have the fallback
 * value, a true|false key given a scale (closed-values.ts), another value put in the empty case's place
 * (guessed-fallback.ts), and UNKNOWN's second case (two causes at once) required on frontier-worth-it: flawed 81 → 62
 * (reversed 46 → 30, dropped 20 → 18, task-changed 15 → 14), good and gaming unchanged. Then "never promise anything
 * the promotion does not say" made essential on byte-identical-template (its loose "nothing else" phrases dropped), and
 * "all tags that apply" read as a count where the reply holds exactly one: flawed 62 → 55 (reversed 28, dropped 13).
 * Then AA's four gaming passes read as classes (branch judge-s-gaming3): the input placeholder listed as the last item
 * of a run of terms with no order (input-item.ts); a sentence broken off after notation its line closed with a full
 * stop, and a whole line of capitals after a sentence broken off in lower case (cut-off.ts). Gaming 4 -> 0/3,140; good,
 * flawed and bloated unchanged. Then the failing gaming prompts that outscored bloated ones, read as classes: a prompt
 * that is nothing but a run of terms beside its input (input-item.ts), a line broken off on a subject ("make sure
 * you"), on "that each", in a clause with a subject and no verb ("when the clause"), before bracketed tags
 * (cut-off.ts): a bloated prompt outscores every failing gaming one on 21 of 30 (16 before); good, flawed and gaming
 * unchanged. Then a score spelled in spaced digits ("s c o r e  1 0 0 / 1 0 0"; grader-address.ts): 22 of 30.
 * Then vocabulary written blind from the exercises (branch judge-s-vocab, before opening any tune prompt): POS-gated word
 * classes for instruction verbs and output-rule nouns (synonyms.ts) and ~1,330 phrases naming each requirement's
 * concepts. Its blind run on tune: good 3,210 → 3,193 (paraphrase 265 → 281, template 457 → 445), flawed 81 → 86,
 * gaming 4 → 6; pruned of the entries that misread ("verbatim" for "exactly", "remove" for "omit"): good 3,229,
 * flawed, gaming and bloated unchanged. All five branches merged (07:55): good 3,229/3,388, flawed 55/3,382 (reversed
 * 28/1,988), gaming 0/3,140, bloated above gaming on 22 of 30.
 *
 * Writers BB1–BB12 (`.bb1`–`.bb12`, 1,200 prompts, the holdout reported on 2026-12-07 at good 317/360, flawed 22/360,
 * reversed 14/201, gaming 1/360) moved to tune/ at 09:50 on 2026-12-07 with their misses; a fresh blind set (CC1–CC12)
 * is being written outside the repository to take their place. Whole set then: good 3,546/3,748, flawed 77/3,742
 * (reversed 42/2,189), gaming 1/3,500.
 *
 * Then requirements counted as said by another line, read as classes (branch judge-s-drop2): words of the reply-alone
 * rule ("JSON call and nothing else") taken for the closed tool set (shared-words.ts), the NONE fallback's empty case
 * taken for the selection rule (borrowed-condition.ts; "helps answer" no longer split into an order), a topic's
 * negative phrase found without its negation ("Give" for "not given"), a limit loosened from the same side ("no more
 * than 12 words" where 8 is the cap; turned-bound.ts), a label coined beside the task's ("answer MULTIPLE";
 * closed-values.ts), a quoted key read against the brief's words rather than the phrase lists' synonyms, the reply's
 * objects wrapped in another key, a template line of another shape than ID;LABEL;TOPIC (declared-task.ts,
 * slot-template.ts), and breakers completed (the first broken rule, several paragraphs, all that apply, a third
 * worked example, a line per topic). Flawed 77 → 59/3,742 (dropped 21 → 15, task-changed 14 → 4, reversed 42 → 40),
 * good 3,546 → 3,548, gaming and bloated unchanged.
 *
 * All the session's branches merged (11:08 on 2026-12-07; besides drop2: limits said any way and exclusions said with a
 * place, judge-s-para2; reversals read from declarations, judge-s-rev4; correct restatements no longer read as their
 * reversal, judge-s-bloat3 and the lead's coverage.ts): good 3,546 → 3,558/3,748 (paraphrase 313 → 323/420), flawed
 * 77 → 51/3,742 (reversed 42 → 32, dropped 21 → 15, task-changed 14 → 4), gaming 1/3,500, bloated above gaming on 19
 * of 30.
 *
 * Writers CC1–CC12 (`.cc1`–`.cc12`, 1,200 prompts, the holdout reported on 2026-12-07 at good 318/360, flawed 17/360,
 * reversed 10/193, gaming 0/360) moved to tune/ at 12:40 on 2026-12-07 with their misses; a fresh blind set (DD1–DD12)
 * is being written outside the repository to take their place. Whole set then: good 3,876/4,108, flawed 68/4,102
 * (reversed 42/2,382, dropped 21/1,012, task-changed 5/708), gaming 1/3,860.
 *
 * Four rules today's briefs call essential became `must` (branch judge-s-relabel, 2026-12-07): reusable-answers'
 * anyone-else's-details → ACCOUNT_SPECIFIC and contract-fields-null's notice-in-months → null (both in the briefs since
 * e0242fc), meeting-action-items' urgent-and-blocking-first (e0242fc) and batch-the-reviews' SKIP-topic-other
 * (06e57fc), and a fifth found by reading the briefs for rules they call essential: cite-dont-quote's partial answer
 * (e0242fc). The good prompts of writers who wrote before those commits (N1–N6) and leave the rule out were
 * relabelled flawed/dropped, with a note saying so (57 prompts); every later writer's good prompt that states the rule
 * is read. Flawed passing on these five: 26 -> 6.
 *
 * All the session's branches merged (14:00 on 2026-12-07; besides relabel: reversals read from a case bound to another
 * label, an exemption moved by leave, a part put after a label, judge-s-rev5; "only what the source says" said by
 * ruling out the unsaid and identifiers named with another head, judge-s-para3; the writer's own telling, a negation
 * inside a condition and a reason after a comma no longer read as orders, judge-s-bloat4; no verdict changed,
 * judge-s-speed3): good 3,876/4,108 → 3,829/4,051 (57 early good prompts relabelled flawed; failing good 232 → 222;
 * paraphrase 359 → 368/480), flawed 68/4,102 → 41/4,159 (reversed 42 → 29, dropped 21 → 7, task-changed 5), gaming
 * 1/3,860, bloated above gaming on 19 → 20 of 30.
 *
 * Then a failing score scaled by the share of the prompt's words that stand in sentences (branch judge-s-bloat5,
 * sentence-share.ts, scoring.ts): terms piled after a broken-off line or one per line keep none of a failing score.
 * No verdict changed (good 3,829/4,051, flawed 41/4,159, gaming 1/3,860); bloated above gaming on 20 → 25 of 30.
 * Then a hard-wrapped sentence whose next line is a run of nouns but which goes on to a verb and its full stop within
 * three lines is no longer read as broken off before a heap of terms (cut-off.ts): good, flawed and gaming unchanged,
 * bloated above gaming 25 → 26 of 30 (compress-long-context).
 * A second part beside each declared item of a reply of lines ("each followed by a dash and the angle it uses",
 * "subject line | preview text": extra-reply-part.ts, judge-s-rev6): flawed 41 → 38 (reversed 29 → 28, task-changed
 * 5 → 3), good unchanged. Two essentials the briefs state made gates (byte-identical-template's promotion end date,
 * grounded-docs-assistant's chunks not about the question ignored): no verdict changed; grounded-docs-assistant's
 * highest failing gaming prompt 187 → 93 (bloated above gaming on 20 → 21 of 30). A value said to be the whole reply
 * read as "only <VALUE>" (sole-value.ts) and "alone"/"only" after its noun read as "only" before it (only-scope.ts,
 * judge-s-para4): failing good 222 → 214 (paraphrase 368 → 376/480). All merged (16:58): good 3,837/4,051, flawed
 * 38/4,159 (reversed 28, dropped 7, task-changed 3), gaming 1/3,860, bloated above gaming on 27 of 30.
 *
 * Writers DD1–DD12 (`.dd1`–`.dd12`, the holdout reported on 2026-12-07 at good 314/360, flawed 15/360, reversed 9/202,
 * gaming 1/360) then moved to tune/ (17:05) with their misses: whole set good 4,152/4,411, flawed 53/4,519, gaming
 * 2/4,220 (14,550 prompts).
 *
 * "This prompt runs on a small model to route tickets to the correct queue" is no verdict on the prompt: a verdict
 * word after "the" picks a thing out (grader-address.ts, 2026-12-07 19:05). route-to-nano's most wasteful bloated
 * prompt 0 → 53, above its highest failing gaming prompt (36): bloated above gaming on 26 of 30; nothing else moved.
 *
 * Wordy lines that restate a rule no longer read as orders against it (branch judge-s-bloat6, 20:05): a question in
 * the model's own voice, as in a FAQ ("Can I skip confirmation if it's urgent? No.", asked-questions.ts); a recap
 * opened "Just to recap:", "To go over it once more:", "Checklist:", "Before you reply, please double-check ...", or
 * under a "FINAL CHECKLIST" heading (recap.ts); a paragraph opened "About the input:" (background.ts); "no claim
 * without a citation" (two negations cancel) and what a winner "beats" or "wins over" (the side refused: polarity.ts);
 * a quotation's own "!" and a letter standing for a thing ("do not do X.") as sentence ends (reading.ts). Bloated
 * above gaming 26 → 29 of 30 (cascade-escalate 29 → 170, compact-tool-descriptions 26 → 318, grounded-docs-assistant
 * 71 → 266); good 4,152/4,411, flawed 53/4,519 (reversed 37, dropped 11, task-changed 5) and gaming 2/4,220 unchanged,
 * every exercise's counts identical.
 *
 * Also that evening: a case sent to the wrong label read from the exercise's declarations (a case named before a
 * colon and handled otherwise, "label X NEG" binding; the end of a relative clause: case-handling.ts, reading.ts; the
 * brief's non-English reviews and not-arrived parcels declared; judge-s-rev7): flawed 53 → 44 (reversed 37 → 28).
 * Paraphrases read as English (the day the meeting was held, a noun's 's as "their", a hypothetical "would reveal",
 * "lack" as "without", passage/excerpt: noun-compounds.ts, possessor.ts, hypothetical.ts; judge-s-para5) and
 * templates and descriptions (where a negation stops before a second verb or a free "-ing" adjunct, a tool "is one of"
 * the list, "nothing before or after": judge-s-tmpl2): good 4,152 → 4,185. All merged (20:30): good 4,185/4,411,
 * flawed 44/4,519 (reversed 28, dropped 11, task-changed 5), gaming 2/4,220, bloated above gaming on 29 of 30.
 *
 * Writers EE1–EE12 (`.ee1`–`.ee12`, the holdout reported at good 318/360, flawed 10/360; graded again on this
 * evening's merged judge, never tuned on: good 321/360, flawed 9/360, reversed 6/203, gaming 0/360) then moved to
 * tune/ (20:35) with their misses: whole set good 4,506/4,771, flawed 53/4,879, gaming 2/4,580 (15,750 prompts).
 *
 * Six branches tuned on those 15,750 (2026-12-07/08: objects negated in English's own ways, relative clauses, terse
 * spec rows, reversals from declarations; merged 00:08): good 4,617/4,771, flawed 48/4,879 (reversed 29), gaming 2.
 * Writers FF1–FF12 (`.ff1`–`.ff12`, the holdout reported on 2026-12-08 at good 332/360, flawed 12/360, reversed
 * 6/194, gaming 0/360, graded three times and never tuned on) then moved to tune/ (01:50) with their misses: whole set
 * good 4,949/5,131, flawed 60/5,239 (reversed 35, dropped 16, task-changed 9), gaming 2/4,940 (16,950 prompts).
 */
type Misses = { good?: number; flawed?: number; gaming?: number; bloated?: true };
const TUNE_KNOWN_MISSES: Record<string, Misses> = {
  "batch-the-reviews": { good: 7, flawed: 1 },
  "bounded-output": { good: 2, flawed: 2 },
  "byte-identical-template": { good: 2, flawed: 4 },
  "cache-friendly-prefix": { good: 3, flawed: 1 },
  "cascade-escalate": { good: 5 },
  "cite-dont-quote": { good: 7 },
  "closed-enumerations": { good: 6, flawed: 3 },
  "compact-spec": { good: 1, flawed: 1 },
  "compact-tool-descriptions": { good: 1, flawed: 3 },
  "compress-long-context": { good: 3, flawed: 4 },
  "compress-ticket-summary": { good: 4, flawed: 1 },
  "contract-fields-null": { good: 6, flawed: 2 },
  "cut-unused-context": { good: 4, flawed: 1 },
  "drop-the-reasoning": { good: 4, flawed: 3 },
  "few-shot-diet": { good: 7, flawed: 3, bloated: true },
  "frontier-worth-it": { good: 7, flawed: 1 },
  "grounded-docs-assistant": { good: 4, flawed: 1 },
  "json-not-prose": { good: 4, flawed: 1 },
  "keep-the-safety-rules": { good: 12, flawed: 3 },
  "line-items-stop-rule": { good: 5, flawed: 3 },
  "meeting-action-items": { good: 5, flawed: 1 },
  "normalise-for-semantic-cache": { good: 2, flawed: 3 },
  "profile-last": { good: 1 },
  "prune-retrieved-passages": { good: 1, flawed: 1 },
  "redact-on-nano": { good: 5, flawed: 2 },
  "rerank-top-three": { good: 5, flawed: 2 },
  "reusable-answers": { good: 10 },
  "route-to-nano": { good: 1 },
  "subject-lines-no-preamble": { good: 9, flawed: 3 },
  "summarise-chat-history": { good: 5, flawed: 1 },
};

/**
 * The holdout's floors per exercise (good passed at least, flawed and gaming passed at most; "of" gives the counts),
 * set to the figures of the holdout's first look. On 2026-12-07 every earlier held-out writer (J, N9, N10, K1–N12b,
 * T4–T6, U4–U6, W1–W6, Y1–Y6: 3,300 prompts, reported at good 794/900, flawed 71/900, gaming 10/900) moved to tune/,
 * so that the judge could be tuned on what it got wrong there; the holdout is then a fresh blind set, Z1–Z12 (`.z1`–
 * `.z12`, 1,200 prompts, two writers per exercise, written blind at 23:40 on 2026-12-06 from the learner's view), kept
 * outside the repository while three branches tuned on tune/, and graded twice: first look on main cfa81bc (good
 * 309/360, flawed 26/360, reversed 16/216, gaming 5/360) and final look after the branches landed (01:15: good
 * 312/360, flawed 20/360, reversed 10/216, gaming 2/360). Z1–Z12 then moved to tune/ (2026-12-07 03:10); the next
 * blind set takes the holdout's place with floors at its final look: AA1–AA12 (`.aa1`–`.aa12`, 1,200 prompts, two
 * writers per exercise, written blind at 02:58–03:08 on 2026-12-07 from the learner's view, kept outside the
 * repository while four branches tuned on tune/), first look on lead-s6 58b93a0 (good 307/360, flawed 20/360, reversed
 * 13/202, gaming 4/360), final look after the branches landed (04:33: good 306/360, flawed 20/360, reversed 13/202,
 * gaming 4/360). AA1–AA12 then moved to tune/ (2026-12-07 06:17); the next blind set: BB1–BB12 (`.bb1`–`.bb12`,
 * 1,200 prompts, two writers per exercise, written blind at 06:14–06:24 from the learner's view, kept outside the
 * repository while five branches tuned on tune/), first look on main 16e7bec's judge (good 315/360, flawed 25/360,
 * reversed 17/201, gaming 2/360), final look after the branches landed (08:07: good 317/360, flawed 22/360, reversed
 * 14/201, gaming 1/360). BB1–BB12 then moved to tune/ (2026-12-07 09:40); the next blind set: CC1–CC12 (`.cc1`–`.cc12`,
 * 1,200 prompts, two writers per exercise in new random pairs, written blind at 09:35–09:45 from the learner's view
 * regenerated after the content review, kept outside the repository while five branches tuned on tune/), first look on
 * lead-s8 dba0b76's judge (good 317/360, flawed 19/360, reversed 10/193, gaming 0/360), final look after the branches
 * landed (11:10: good 318/360, flawed 17/360, reversed 10/193, gaming 0/360, bloated above gaming on 30 of 30).
 * CC1–CC12 then moved to tune/ (2026-12-07 12:40); the next blind set: DD1–DD12 (`.dd1`–`.dd12`, 1,200 prompts, two
 * writers per exercise in new random pairs, written blind at 12:35–12:47 from the learner's view, kept outside the
 * repository while five branches tuned on tune/), first look on lead-s9 b780ced's judge (good 312/360, flawed 18/360,
 * reversed 10/202, gaming 1/360), final look after the branches landed (14:02: good 314/360, flawed 15/360, reversed
 * 9/202, gaming 1/360, bloated above gaming on 28 of 30). DD1–DD12 then moved to tune/ (17:05); the next blind set:
 * EE1–EE12 (`.ee1`–`.ee12`, 1,200 prompts, two writers per exercise in new random pairs, written blind at 15:49–16:05
 * from the learner's view, kept outside the repository while four branches tuned on tune/), first look on lead-s10's
 * judge at 625607b (good 318/360, flawed 12/360, reversed 7/203, gaming 0/360, bloated above gaming on 30 of 30), final
 * look after the branches landed (16:59: good 318/360, flawed 10/360, reversed 7/203, gaming 0/360, bloated above
 * gaming on 30 of 30). EE1–EE12 then moved to tune/ (20:35); the next blind set: FF1–FF12 (`.ff1`–`.ff12`, 1,200
 * prompts, two writers per exercise in new random pairs, written blind at 18:55–19:15 from the learner's view, kept
 * outside the repository while six branches tuned on tune/), first look on lead-s11's judge at 5609f71 (good 316/360,
 * flawed 12/360, reversed 6/194, gaming 0/360, bloated above gaming on 28 of 30), final look after the branches landed
 * (20:33: good 319/360, flawed 12/360, reversed 6/194, gaming 0/360, bloated above gaming on 28 of 30). FF was
 * graded a third time after the next session's six branches landed, none of them tuned on it (2026-12-08 00:08: good
 * 332/360, flawed 12/360, reversed 6/194, gaming 0/360, bloated above gaming on 28 of 30). FF1–FF12 then moved to
 * tune/ (2026-12-08 01:50); the next blind set: GG1–GG12 (`.gg1`–`.gg12`, 1,200 prompts, two writers per exercise in
 * new random pairs, written blind at 01:21–01:45 on 2026-12-08 from the learner's view regenerated from the exercise
 * files, with a rewritten writer's brief that asks paraphrases to avoid the brief's key words wherever English
 * allows), first look on main 8167d4a's judge before any tuning (good 310/360, flawed 14/360, reversed 12/180, gaming
 * 4/360, word lists; bloated above gaming on 27 of 30), final look after the session's six branches and the lead's
 * fixes landed, none of them tuned on it (03:17: good 312/360, flawed 14/360, reversed 12/180, gaming 3/360, bloated
 * above gaming on 27 of 30). The floors are that look's figures. Each writer's figures:
 * test/judge-eval/README.md.
 */
const HOLDOUT_FLOORS: Record<string, { good: number; flawed: number; gaming: number; bloatedAboveGaming: boolean }> = {
  "batch-the-reviews": { good: 9, flawed: 2, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "bounded-output": { good: 10, flawed: 0, gaming: 0, bloatedAboveGaming: false }, // of 12/12/12
  "byte-identical-template": { good: 11, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "cache-friendly-prefix": { good: 10, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "cascade-escalate": { good: 11, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "cite-dont-quote": { good: 9, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "closed-enumerations": { good: 10, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "compact-spec": { good: 10, flawed: 2, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "compact-tool-descriptions": { good: 11, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "compress-long-context": { good: 10, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "compress-ticket-summary": { good: 11, flawed: 0, gaming: 0, bloatedAboveGaming: false }, // of 12/12/12
  "contract-fields-null": { good: 11, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "cut-unused-context": { good: 11, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "drop-the-reasoning": { good: 9, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "few-shot-diet": { good: 10, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "frontier-worth-it": { good: 10, flawed: 0, gaming: 1, bloatedAboveGaming: true }, // of 12/12/12
  "grounded-docs-assistant": { good: 10, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "json-not-prose": { good: 11, flawed: 1, gaming: 0, bloatedAboveGaming: false }, // of 12/12/12
  "keep-the-safety-rules": { good: 10, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "line-items-stop-rule": { good: 9, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "meeting-action-items": { good: 12, flawed: 2, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "normalise-for-semantic-cache": { good: 10, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "profile-last": { good: 11, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "prune-retrieved-passages": { good: 12, flawed: 0, gaming: 1, bloatedAboveGaming: true }, // of 12/12/12
  "redact-on-nano": { good: 9, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "rerank-top-three": { good: 11, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "reusable-answers": { good: 12, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "route-to-nano": { good: 10, flawed: 1, gaming: 1, bloatedAboveGaming: true }, // of 12/12/12
  "subject-lines-no-preamble": { good: 12, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
  "summarise-chat-history": { good: 10, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 12/12/12
};

const exercises = new Map(loadContent().exercises.map((e) => [e.exercise.slug, e.exercise]));
const models = new Map(loadModelCatalogue().map((m) => [m.id, m]));

/** The cases of a set, by exercise; an unknown exercise is an error of the set's file. */
function casesOf(set: string): Map<string, EvalCase[]> {
  const dir = `test/judge-eval/${set}`;
  const bySlug = new Map<string, EvalCase[]>();
  if (!existsSync(dir)) return bySlug;
  for (const c of loadEvalSet(dir)) {
    if (!exercises.has(c.exercise)) throw new Error(`${c.file}: no exercise "${c.exercise}"`);
    bySlug.set(c.exercise, [...(bySlug.get(c.exercise) ?? []), c]);
  }
  return bySlug;
}

/** One exercise's report: its cases graded, and its starting prompt. */
function grade(slug: string, cases: EvalCase[]): ExerciseReport {
  const exercise = exercises.get(slug);
  const model = exercise && models.get(exercise.model);
  if (!exercise || !model) throw new Error(`no exercise or model for ${slug}`);
  const outcomes: EvalOutcome[] = cases.map((c) => gradeCase(c, exercise, model));
  const start = gradePrompt({
    prompt: exercise.starting_prompt,
    exercise,
    model,
    countTokens: (t) => countTokens(t, model.encoding),
  });
  const [report] = summarise(outcomes, new Map([[slug, start.score.passed]]));
  return report;
}

/** What an exercise's report misses of the targets, as counts: the shape of TUNE_KNOWN_MISSES. */
function missCounts(r: ExerciseReport): Required<Omit<Misses, "bloated">> & { bloated: boolean } {
  const { good, flawed, gaming } = r.counts;
  return {
    good: good.total - good.passed,
    flawed: flawed.passed,
    gaming: gaming.passed,
    bloated: r.minBloated !== null && r.maxFailingGaming !== null && r.minBloated <= r.maxFailingGaming,
  };
}

// One test per exercise, each starting with a turn of the event loop: the runner's messages to its main process wait
// for one, and grading several thousand prompts in one go made them time out ("Timeout calling onTaskUpdate").
const yieldToRunner = () => new Promise((resolve) => setImmediate(resolve));
const tune = casesOf("tune");
const holdout = casesOf("holdout");

describe("the offline judge on the tune set: every target but each exercise's known misses, which only go down", () => {
  it.each([...exercises.keys()])("%s", { timeout: 60_000 }, async (slug) => {
    await yieldToRunner();
    const cases = tune.get(slug) ?? [];
    // At least 20 labelled prompts for every exercise, or the figures prove nothing.
    expect(cases.length, `tune prompts for ${slug}`).toBeGreaterThanOrEqual(20);
    const r = grade(slug, cases);
    const report = `\n${formatReport([r])}`;
    const known = TUNE_KNOWN_MISSES[slug] ?? {};
    const got = missCounts(r);
    expect(r.startingPromptPasses, `${slug}: starting prompt`).toBe(false);
    expect(got.good, `${slug}: good tune prompts failing${report}`).toBeLessThanOrEqual(known.good ?? 0);
    expect(got.flawed, `${slug}: flawed tune prompts passing${report}`).toBeLessThanOrEqual(known.flawed ?? 0);
    expect(got.gaming, `${slug}: gaming tune prompts passing${report}`).toBeLessThanOrEqual(known.gaming ?? 0);
    if (!known.bloated) expect(got.bloated, `${slug}: bloated vs gaming${report}`).toBe(false);
  });
});

describe.skipIf(holdout.size === 0)(
  "the offline judge on the holdout set: each exercise at or above its floors",
  () => {
    it("has floors for exactly the holdout's exercises", () => {
      expect([...holdout.keys()].sort()).toEqual(Object.keys(HOLDOUT_FLOORS).sort());
    });
    it.each([...holdout.keys()])("%s", { timeout: 60_000 }, async (slug) => {
      await yieldToRunner();
      const r = grade(slug, holdout.get(slug) ?? []);
      const report = `\n${formatReport([r])}`;
      const floor = HOLDOUT_FLOORS[slug];
      const { good, flawed, gaming } = r.counts;
      expect(good.passed, `${slug}: good${report}`).toBeGreaterThanOrEqual(floor.good);
      expect(flawed.passed, `${slug}: flawed${report}`).toBeLessThanOrEqual(floor.flawed);
      expect(gaming.passed, `${slug}: gaming${report}`).toBeLessThanOrEqual(floor.gaming);
      expect(r.startingPromptPasses, `${slug}: starting prompt`).toBe(false);
      if (floor.bloatedAboveGaming && r.minBloated !== null && r.maxFailingGaming !== null)
        expect(r.minBloated, `${slug}: bloated vs gaming${report}`).toBeGreaterThan(r.maxFailingGaming);
    });
  },
);
