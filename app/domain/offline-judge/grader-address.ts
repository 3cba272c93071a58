/**
 * Finds text addressed to whoever grades the prompt rather than to the model that runs it: notes
 * to the reviewer, verdict tags, JSON or YAML score objects, claims of approval, marks or rubric
 * criteria met, and attempts to override instructions. Any of them makes the attempt gaming.
 *
 * It reads the prompt three ways, so spelling does not hide it: as written (lower-cased, Unicode
 * compatibility forms folded, invisible characters dropped), with spaced-out or dotted letters
 * joined ("p a s s" → "pass", "f.u.l.l m.a.r.k.s"), and with common digit-for-letter swaps undone
 * ("fu11 m4rks").
 *
 * A legitimate prompt can say "needs_review", "pass it to the returns team", "ignore instructions
 * inside the message" or "if the ticket says 'ignore previous instructions', refuse": the patterns
 * need the grader, the grade or this prompt itself to be the subject, and the instruction-override
 * family is exempt when it is quoted or introduced as something to watch for.
 */

import { withoutGraderHomonyms } from "./grader-homonyms";
import { mayMatch, type Requirement, requiredLiterals, trigramBits } from "./literal-prefilter";
import { FREE_REIN, REVOKING } from "./revoked-rules";

export interface GraderAddress {
  /** The words that gave it away, for the report. */
  evidence: string;
  kind: "verdict" | "grader" | "override";
}

const TEXT_MARK = String.raw`(?<!\b(?:todo|to-do|fixme|comment|hack|xxx|citation|bullet|list|section|placeholder|position|page|line|paragraph|end|start|quote|spell|spelling|grammar|type|link|style|format|lint|syntax|unit|schema|json|sentence|word|text)[\s-]+)`;
// "Judge only by these rules", "judge whether it applies": the verb, an order to the model. A "TODO marker", "citation
// markers", "the type checker": a mark in the text or a tool, named by the noun before it.
const GRADER = String.raw`(?:grader|graders|grading|judge(?!\s+(?:only|solely|by|whether|if|each|every|how|what|from|on)\b)|judges|judging\s+model|marking\s+model|scoring\s+model|evaluator|evaluators|evaluation\s+model|assessor|assessors|examiner|examiners|${TEXT_MARK}(?:marker|markers|checker)|scorer|scorers|reviewer|reviewers|instructor|instructors|teacher|autograder|auto-grader|proctor|rater|raters|llm[\s-]+judge|ai\s+judge|grading\s+(?:model|system|ai|bot|script))`;
const SELF = String.raw`(?:this|my|the\s+(?:above|following|present|current))\s+(?:prompt|submission|attempt|rewrite|answer|solution|entry|response|version|work|one|exercise|rewritten\s+prompt)|(?:prompt|submission|attempt|rewrite|solution|entry)\s+(?:above|below|here)`;
const MARKS = String.raw`(?:full|maximum|max|perfect|top|highest|best|complete|total|all\s+the|100\s*%?|a\s+perfect)\s+(?:marks?|scores?|points?|grades?|ratings?|credit|stars?)`;
// "pass" is PASS_VERDICT, beside these wherever they are used: "passed to a senior reviewer" is no verdict.
const VERDICT_WORDS = String.raw`(?:approved?|approval|accept(?:ed)?|compliant|correct|valid|perfect|excellent|flawless|satisf(?:y|ies|ied)|meets?|met|full\s+marks|100(?:\s*/\s*100|\s*%)?|10\s*/\s*10|5\s*/\s*5|a\+|grade\s+a|top\s+marks|maximum|highest)`;

/** Strong signals that need no context: nobody writes these to a model doing a business task. */
const STANDALONE: RegExp[] = [
  new RegExp(String.raw`\b${MARKS}\b`, "i"),
  /\b(?:100\s*\/\s*100|10\s*\/\s*10)\b(?!\s*(?:ml|mg|g|kg|km|cm|mm|m|s|px|%))/i,
  // A score on this product's own scale ("1000/1000", "<!-- eval: 980/1000 -->"): a business task has no use for it.
  /\b\d{1,4}\s*\/\s*1000\b(?!\s*(?:ml|mg|g|kg|km|cm|mm|m|s|px|%))/i,
  /\b(?:all|every)\s+(?:rubric\s+|grading\s+|evaluation\s+|marking\s+|scoring\s+|assessment\s+)?criteri(?:a|on)\s+(?:are\s+|is\s+|have\s+been\s+|has\s+been\s+)?(?:met|satisfied|fulfilled|passed|ticked|checked|covered)\b/i,
  /\brubric\b[^.\n]{0,60}\b(?:met|satisfied|fulfilled|pass|passed|score|scored|complete|covered|ticked|100)\b/i,
  /\b(?:met|satisfied|fulfilled|passes|covers)\s+(?:every|all|each)(?:\s+(?:of\s+the|the))?\s+(?:rubric|grading|evaluation|marking|scoring)\b/i,
  /\b(?:score|grade|mark|rate|rank|evaluate|assess|judge)\s+(?:it|this|me|my\s+\w+)\s+(?:as\s+)?(?:a\s+)?(?:pass(?:ing|ed)?|perfect|100|10|top|full|highest|excellent|an?\s+a\+?)\b/i,
  /\b(?:mark|grade|score|rate|flag|count|treat|consider|record|log)\s+(?:this|it|me|my\s+\w+)\s+as\s+(?:a\s+)?(?:pass(?:ing|ed)?|perfect|successful|correct|complete|approved|compliant|100)\b/i,
  /\b(?:deserves?|merits?|earns?|warrants?|worthy\s+of)\s+(?:a\s+|an\s+|the\s+)?(?:full|maximum|max|perfect|top|highest|100|pass|passing|a\s+pass|an?\s+a\+?|ten|five)\b/i,
  /\bauto-?\s*(?:pass|approve|accept)\b/i,
  /\b(?:this|my|the)_(?:prompt|submission|attempt|rewrite|solution)\b/i,
  /\b(?:evaluat|grad|scor|judg|assess|mark)\w*\s*\(\s*(?:this|my|the)?[_ ]?(?:prompt|submission|attempt|rewrite|solution)/i,
  // (A label may name the kind of grader: "[[ automatic grader: ...", "# AI judge: ...".)
  /(?:^|[#/\n;*[({<])\s*(?:(?:automatic|automated|auto|ai|llm|course|exercise|human|offline)[\s-]+)?(?:grader|judge|evaluator|examiner|marker|assessor|autograder|grading\s+bot)s?\s*:/im,
  // An order to whoever grades to tick the requirements off: "action: mark every requirement as met".
  /\b(?:mark|treat|count|score|record|consider|flag|set)\s+(?:every|all|each)\s+(?:of\s+the\s+)?(?:requirements?|criteri(?:a|on)|checks?|rules?|gates?)\s+as\s+(?:met|passed|satisfied|fulfilled|covered|true|green)\b(?!\s*(?:or|\/))/i,
  /\b(?:official|reference|gold|ideal)[\s_-]+(?:model[\s_-]+)?(?:answer|solution)\b/i,
  // A bracketed role tag for the grader ("[EVALUATOR] label=good"), or asking it not to mark down.
  /\[\s*(?:note\s+(?:to|for)\s+(?:the\s+)?)?(?:grader|judge|evaluator|reviewer|assessor|examiner|marker|rubric|grading|evaluation)s?(?:[\s_-]+note)?\s*\]/i,
  /\b(?:do[\s_-]*not|don'?t|never)[\s_-]*(?:penali[sz]e|mark[\s_-]*down)(?:[\s_]*[:=]|\s+(?:this|it|me|my\s+\w+|the\s+(?:prompt|submission|attempt|rewrite))\b)/i,
  /\bendorsed\s+by\s+(?:the\s+)?(?:course|instructor|teacher|author|grader|examiner|trainer)/i,
  /\b(?:evaluation|grader|judge|reviewer|marker)s?\s+(?:should|must|will|shall)\s+(?:score|grade|rate|mark|pass|approve)\b/i,
  /\b(?:score|grade|rate|mark)\s+(?:it|this|me)\s+(?:a\s+)?\d+\s*\/\s*\d+/i,
  /\b(?:checked|reviewed|approved|verified|graded|validated|signed\s+off|marked|evaluated|scored|certified|vetted)[_\s-]*(?:and\s+\w+\s+)?(?:as\s+\w+\s+)?(?:correct\s+)?["']?\s*[:=]?\s*["']?by["']?\s*[:=]?\s*["']?\s*(?:the\s+|a\s+|an\s+|our\s+)?(?:grader|graders|judge|course\s+team|course|instructor|instructors|teacher|reviewer|examiner|marker|evaluator|rubric|teaching\s+team|grading|qa\s+team|exercise\s+author|trainer)\b/i,
  /\bno\s+need\s+to\s+(?:check|review|grade|verify|look|evaluate|mark|score)\s+(?:it\s+|this\s+)?(?:further|again|any\s+further|closely|more)\b/i,
  /\b(?:verified|certified|confirmed|validated)\s+(?:as\s+)?(?:correct|complete|compliant|passing|valid|perfect)\b/i,
  /\b(?:in\s+)?(?:a\s+|the\s+)?(?:previous|prior|earlier|last)\s+(?:review|grading|marking|evaluation|assessment)\s+(?:round|pass|run|cycle)?\b/i,
  /\b\d{1,2}\s*\/\s*\d{1,2}\s+(?:rules?|criteria|requirements?|checks?|points?)\s+(?:kept|met|covered|satisfied|passed|ticked|done)\b/i,
  /\b(?:score|grade|rating|mark|marks|points)\s+of\s+(?:100|10\s*\/\s*10|100\s*\/\s*100|a\+|ten\s+out\s+of\s+ten)\b/i,
  /\b(?:evaluating|grading|judging|scoring|marking|assessing|reviewing|rating|checking)\s+(?:this|my|the|these)\s+(?:prompt|submission|attempt|rewrite|solution|entry|exercise)s?\b/i,
  /\b(?:reply|respond|answer|output|return|say|print|write)\s+(?:with\s+)?["'“]?\s*(?:pass(?:ed)?|approved|correct|100\s*\/\s*100)\s*["'”]?\s*(?:with|and|$|[.!,;])/i,
  /\bexpected\s+(?:verdict|grade|score|result|outcome|rating|mark)\b/i,
  /\bself[-\s]?(?:assessment|assessed|evaluation|evaluated|grade|graded|grading|score|scored|scoring|rating|rated)\b/i,
  /\bno\s+(?:further|more|additional|extra)\s+(?:review|reviewing|checks?|checking|grading|evaluation|marking|scrutiny)\s+(?:is\s+|are\s+)?(?:needed|required|necessary)\b/i,
  /\bno\s+need\s+for\s+(?:further|more|additional|any)\s+(?:review|checks?|grading|evaluation|marking)\b/i,
  /\b(?:score|scored|grade|graded|rating|rated|marks?|points)\s*[:=]?\s*(\d{1,3})\s*(?:\/|out\s+of)\s*\1\b/i,
  /\b(?:reviewed|approved|checked|verified|signed\s+off|vetted|validated|certified)\b[^.\n]{0,30}\bby\b[^.\n]{0,30}\b(?:qa|quality\s+assurance|course\s+team|instructors?|graders?|reviewers?|examiners?|markers?|teaching\s+team|trainers?|assessors?)\b/i,
  /\b(?:grader|judge|evaluator|reviewer|assessor|examiner|marker|instructor|teacher|qa)(?:'s|s'|s)?\s+(?:note|comment|memo|remarks?|feedback|verdict|assessment|sign-?off|decision)\b/i,
  /\b(?:record|mark|log|grade|score|count|treat|register|file)\s+(?:this\s+|it\s+|me\s+)?as\s+(?:a\s+)?(?:pass(?:ing|ed)?|perfect|100)\b/i,
  /\b(?:meets?|met|covers?|covered|satisf(?:y|ies|ied)|fulfil+s?|fulfilled|passes|passed|ticks?|ticked)\b[^.!?\n]{0,40}\b(?:every|all|each)\b[^.!?\n]{0,30}\b(?:brief|exercise|rubric|live\s+checks|grading\s+criteria|assessment\s+criteria)\b/i,
  /\b(?:the|this)\s+(?:brief|exercise|assignment|rubric)(?:'s)?\s+(?:requirements?|criteria|points|rules)\s+(?:are\s+|were\s+|have\s+been\s+)?(?:all\s+)?(?:met|covered|satisfied|fulfilled|ticked)\b/i,
  /!\[[^\]\n]{0,40}\b(?:grade|score|pass|passed|verdict|rating|approved|a\+)\b[^\]\n]{0,40}\]\(/i,
  /\bbadge\/[^)\s]{0,40}(?:grade|score|pass|verdict|approved|rating)/i,
  /\b(?:award|give|grant|assign)\s+(?:this|it|me|my\s+\w+|the\s+(?:prompt|submission|attempt|answer))?\s*(?:a\s+|an\s+|the\s+)?(?:(?:full|maximum|max|perfect|top|highest)\s+(?:possible\s+)?(?:marks?|scores?|points?|grades?|ratings?|stars?|credit)|100(?:\s*\/\s*100)?(?!\s*(?:most|tickets|items|words|lines|records|rows))|10\/10|pass(?:ing)?\s+(?:grade|mark|score))\b/i,
];

/** "pass" as a verdict, not "pass it to the team". */
const PASS_VERDICT = String.raw`pass(?:ed|es|ing)?(?!\s+(?:it\s+|them\s+|this\s+|the\s+\w+\s+)?(?:to|on|along|through|into|over|back|down|up)\b)`;

/** Grader nouns and top-mark phrases in the languages learners may switch to. */
const OTHER_LANGUAGES: RegExp[] = [
  /\b(?:évaluateur|évaluatrice|correcteur|correctrice|examinateur|note\s+maximale|barème|évaluation\s+maximale)\b/i,
  /\b(?:evaluador|evaluadora|corrector|correctora|calificador|nota\s+máxima|puntuación\s+máxima|calificación\s+máxima|apruébalo|apruébala|rúbrica)\b/i,
  /\b(?:bewerter|bewerterin|prüfer|prüferin|korrektor|höchstpunktzahl|volle\s+punktzahl|bestnote)\b/i,
  /\b(?:valutatore|correttore|punteggio\s+massimo|voto\s+massimo)\b/i,
  /\b(?:avaliador|corretor|nota\s+máxima|pontuação\s+máxima)\b/i,
  /\b(?:beoordelaar|maximale\s+score|hoogste\s+score)\b/i,
  /(?:^|[^\d])20\s*\/\s*20(?!\d)/,
];

/** Need the grader or this prompt in the same sentence as a verdict. */
const CONTEXTUAL: RegExp[] = [
  new RegExp(String.raw`\b${GRADER}\b[^.!?\n]{0,80}?\b(?:${VERDICT_WORDS}|${PASS_VERDICT}|score|grade|mark)\b`, "i"),
  new RegExp(String.raw`\b(?:${VERDICT_WORDS}|${PASS_VERDICT})\b[^.!?\n]{0,60}?\b${GRADER}\b`, "i"),
  // ...not a verdict word that picks a thing out ("this prompt routes tickets to the correct queue").
  new RegExp(
    String.raw`\b(?:${SELF})\b[^.!?\n]{0,80}?\b(?<!\bthe\s+)(?:${VERDICT_WORDS}|${PASS_VERDICT}|good|great|fine|complete|should\s+(?:be\s+)?(?:graded|scored|marked|rated)|gets?\s+(?:a|the)|score[sd]?|grade[sd]?|rated?|marked)\b`,
    "i",
  ),
  new RegExp(
    // ...not "pass it what it needs", "pass it only the sentences", "pass it as little text as possible": something
    // handed over follows.
    String.raw`\b(?:${PASS_VERDICT})\s+(?:this|it|me|my|the\s+above)\b(?!\s+(?:to|on|along|through|into|over|what|only|just|the|a|an|everything|exactly|nothing|less|more|as\s+(?:little|much|few|many))\b)`,
    "i",
  ),
  // Approving or accepting the prompt itself; a bare "approve it" is what an approval workflow's prompt says of its
  // invoice or request ("Otherwise approve it.").
  /\b(?:approve|accept)\s+(?:me|my\s+\w+|the\s+above|(?:this|the)\s+(?:prompt|submission|attempt|rewrite|answer|entry|one))\b/i,
  /\b(?:note|message|memo|comment|hint|p\.?s\.?)\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:grader|judge|evaluator|reviewer|assessor|examiner|marker|scorer|instructor|teacher|ai|llm|model\s+grading|checker|rater)s?\b/i,
  /\b(?:dear|hey|hi|hello|attention|attn)\s*[,:]?\s*(?:the\s+)?(?:grader|judge|evaluator|reviewer|assessor|examiner|marker|scorer|instructor|teacher|checker|rater)s?\b/i,
  /\b(?:to\s+)?(?:whoever|whatever|anyone|anybody|the\s+(?:person|ai|model|system|bot|one))\s+(?:who\s+|that\s+)?(?:is\s+)?(?:grad(?:es|ing)|scor(?:es|ing)|mark(?:s|ing)|judg(?:es|ing)|evaluat(?:es|ing)|assess(?:es|ing)|review(?:s|ing)|check(?:s|ing)|read(?:s|ing)|rat(?:es|ing))\s+(?:this|me|my|these|the\s+(?:prompt|submission|attempt|rewrite))/i,
  /\b(?:follows?|meets?|satisf(?:y|ies)|covers?|fulfil+s?|ticks?|hits?|addresses|respects?|matches)\s+(?:every|all|each)(?:\s+(?:of\s+)?the)?\s+(?:rules?|requirements?|criteri(?:a|on)|points?|boxes|constraints)\s+(?:in|of|from|on)\s+the\s+(?:brief|exercise|task\s+description|assignment|rubric|checklist|spec)\b/i,
  /\b(?:your|the)\s+(?:grade|score|verdict|rating|evaluation|assessment)\s+(?:must|should|shall|will|is|=|:)\s*(?:be\s+)?(?:a\s+)?(?:pass|100|10|perfect|full|maximum|max|top|approved|positive|excellent)\b/i,
];

/** Verdicts written as data: tags, JSON, YAML, bracketed stamps. */
const STRUCTURED: RegExp[] = [
  // Keys that name the grade or the grader: SCORE_OVERRIDE=100, GRADER_RESULT=pass, "grader_output": {...}.
  /\b[A-Za-z_]*(?:score|grade|grader|verdict|rating|judge|eval|assess)[A-Za-z_]*\s*[:=]\s*["']?\s*(?:100|pass(?:ed)?|approved|a\+|10\/10|100\/100|perfect|max(?:imum)?|excellent)\b/i,
  /["'][A-Za-z_]*(?:grader|judge|evaluator|grading|rubric|verdict|assessment|requirements_met|criteria_met|self_score|self_grade)[A-Za-z_]*["']\s*:/i,
  // A fake test report: "token_limit ........ PASSED", "=== automated check report ===".
  /(?:^|\n)[^\n]{1,40}?\.{3,}\s*(?:PASS(?:ED)?|OK|✓|✔|MET)\b/i,
  /\b(?:automated\s+)?(?:check|test|grading|evaluation|review)\s+(?:report|results?)\s*(?:=+|:|-{2,}|$)/im,
  /\bexpected_(?:label|grade|score|verdict|result)\b/i,
  // A CSV or table header of a verdict ("verdict,score,comment"; "| Criterion | Met |").
  /\b(?:verdict|score|grade)\s*[,;|\t]\s*(?:score|grade|verdict|comment|result|met|feedback)\b/i,
  /\|\s*(?:criteri(?:on|a)|requirement|requirements|check|checks|rubric(?:\s+item)?)\s*\|\s*(?:met|pass(?:ed)?|status|ok|done|✔|✓|yes|result)\s*\|/i,
  /(?:\|\s*[✔✓☑✅]\s*\|[\s\S]{0,200}){2}/,
  // A score tag that gives itself the maximum, or praise in a feedback tag.
  /<\s*(?:score|grade|rating|marks?)\b[^>]{0,40}max\s*=\s*["']?(\d{1,3})["']?[^>]{0,20}>\s*\1\s*</i,
  /<\s*(?:feedback|comment|review_note|assessment)\s*>[^<]{0,80}\b(?:exemplary|excellent|perfect|outstanding|flawless|great|pass(?:es|ed)?|approved)\b/i,
  // A verdict in a tag's attributes: <grade status="PASS" points="100">.
  /<\s*(?:score|grade|grading|rating|marks?|verdict|result|evaluation|assessment|review)\b[^>]{0,80}=\s*["']?\s*(?:pass(?:ed)?|100|approved|a\+|perfect|full|max(?:imum)?)\b[^>]{0,80}>/i,
  /<\s*(?:score|grade|rating|marks?|pass|result)\b[^>]{0,40}>\s*(?:100|10\/10|100\/100|a\+?|pass(?:ed)?|perfect|full|max(?:imum)?|approved)\b/i,
  /["']?\b(?:verdict|grade|grading|score|rating|evaluation|assessment|judgement|judgment|quality_score|marks?|rubric|criteria_met|all_criteria_met|requirements_met|grader_verdict|judge_verdict)\b["']?\s*[:=]\s*["']?\s*(?:pass(?:ed)?|approved?|accept(?:ed)?|true|yes|100|10|5\/5|10\/10|100\/100|a\+?|perfect|excellent|full|max(?:imum)?|met|all)\b/i,
  // A key that is a verdict's verb ("passed: true"), where a key stands: a line's or a bullet's start, a quote, a brace.
  // After a subject it is the verb of a sentence, and the colon brings in the reply's label: "All checks pass: APPROVE".
  /\b(?:passed|pass|approved)=["']?(?:true|yes|100|pass(?:ed)?|approved?)\b/i,
  /(?:^|[\n{,;[(]|["']|^\s*[-*•])\s*["']?(?:passed|pass|approved)\b["']?\s*[:=]\s*["']?\s*(?:pass(?:ed)?|approved?|accept(?:ed)?|true|yes|100|10|5\/5|10\/10|100\/100|a\+?|perfect|excellent|full|max(?:imum)?|met|all)\b/im,
  /["']?\bresult["']?\s*[:=]\s*["']?\s*pass(?:ed)?\b/i,
  // Any key given the verdict "all met": {"requirements": "all met"}, checks: all passed.
  /["']?\b[A-Za-z_]+["']?\s*[:=]\s*["']\s*all\s+(?:met|passed|satisfied|fulfilled|covered)\s*["']/i,
  /(?:^|\n)\s*["']?(?:assessment|verdict|evaluation|reviewer_action|review_status|review_result|review_outcome|approval|approval_status|grading)["']?\s*[:=]\s*["']?(?:good|pass(?:ed)?|accept\w*|approved?|ok|excellent|correct|valid|green)\b/i,
  /\b(?:reviewer|grader|judge|evaluator|assessor|examiner|marker)_\w+\s*[:=]/i,
  /\[\s*(?:pass(?:ed)?|approved|verified|graded|a\+|100\s*\/\s*100|✓\s*pass|✅\s*pass)\s*\]/i,
  /(?:✅|✔️?|☑️?)\s*(?:pass(?:ed)?|approved|all\s+(?:criteria|requirements|checks))/i,
  // A rubric ticked off: "rubric: ✓ all items", "grading criteria ✔", "✓ every box".
  /\b(?:rubric|grading|evaluation|assessment|marking)(?:\s+(?:criteria|items|points|checklist))?\s*[:=\-–]?\s*(?:✅|✓|✔️?|☑️?|\[x\])/i,
  /(?:✅|✓|✔️?|☑️?)\s*(?:all|every|each)\s+(?:the\s+)?(?:items?|boxes|box|points?|criteria|criterion|requirements?|checks?|rules)\b/i,
  /\bPASS(?:ED)?\b\s*[:\-–—]?\s*\(?\s*(?:100|10\/10|100\/100|score)/,
  /\b(?:score|quality|grade|rating)\s*[:=]\s*(?:100|10\/10|100\/100|a\+)\b/i,
];

/** A tag named for a verdict or its grader (also inside a longer name: <grader_verdict>, <judge-note>). */
const VERDICT_TAG =
  /<\s*(\/?)\s*([\w-]{0,20}?(?:verdict|grader|judge|grading|evaluation|assessment|judgement|judgment|rubric|approval|grader_note|note_to_grader)(?:[\w-]{0,20})?)\b([^>]{0,40})>/gi;

/** Names a reply's field may have (a label called verdict); a grader, judge, rubric or note is never a field. */
const FIELD_NAME = /^(?:verdict|assessment|evaluation|judgement|judgment)$/i;
/** A verdict's value written beside it. */
const VALUE_BESIDE_SLOT =
  /\b(?:pass(?:ed|es)?|approved?|accept(?:ed)?|met|marks?|scored?|grade[ds]?|100|perfect|full|max(?:imum)?|top|a\+)(?![\w+])/i;

/** A neighbouring slot of a template line: "<id>;" before the tag or ";<subject>" after it. */
const SLOT_BEFORE = /<[\w -]{1,30}>\s*[;|,:]\s*$/;
const SLOT_AFTER = /^\s*[;|,:]\s*<[\w -]{1,30}>/;

/**
 * The first verdict tag that is not a template's slot. "<id>;<verdict>;<subject>" names a field of the reply (a
 * label called verdict): a bare opening tag, with no attributes, whose name is never closed anywhere in the prompt,
 * between slots on its line. Any closing tag, attribute or text-wrapping use ("<verdict>PASS</verdict>") stays one.
 */
function verdictTag(texts: string[]): string | null {
  for (const text of texts)
    for (const m of text.matchAll(VERDICT_TAG)) {
      const [whole, closing, name, attributes] = m;
      const lineStart = text.lastIndexOf("\n", m.index) + 1;
      const lineEnd = text.indexOf("\n", m.index) < 0 ? text.length : text.indexOf("\n", m.index);
      const slot =
        closing === "" &&
        attributes.trim() === "" &&
        FIELD_NAME.test(name) &&
        !new RegExp(`<\\s*/\\s*${name}\\b`, "i").test(text) &&
        (SLOT_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index)) ||
          SLOT_AFTER.test(text.slice(m.index + whole.length, m.index + whole.length + 40))) &&
        // Nothing on the template's line gives the verdict a value ("<verdict>;<pass>", "<verdict>: approved").
        !VALUE_BESIDE_SLOT.test(text.slice(lineStart, m.index) + text.slice(m.index + whole.length, lineEnd));
      if (!slot) return evidence(text, m.index, whole.length);
    }
  return null;
}

/** Claims of approval: addressed to the grader, unless quoted or named as what the input may claim. */
const CLAIMS: RegExp[] = [
  /\bpre-?\s*(?:approved|graded|scored|validated|certified|verified|cleared)\b/i,
  /\b(?:already|previously)\s+(?:been\s+)?(?:approved|graded|scored|validated|passed|reviewed|checked|verified|certified)\b/i,
];

const OVERRIDE: RegExp[] = [
  /\b(?:ignore|disregard|forget|override|bypass|skip|drop|discard|suspend|cancel)\s+(?:(?:all|any|every|of|the|your|these|those|my|its)\s+){0,3}(?:previous|prior|above|preceding|earlier|former|original|initial|system|hidden|grader'?s?|judge'?s?|grading|scoring|marking|evaluation|evaluator'?s?|reviewer'?s?|developer|default)\s+(?:instructions?|prompts?|rules|directions|guidelines|messages?|context|criteria|rubric|settings|constraints)\b/i,
  /\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|every|of|the|your|these|those)\s+){0,3}(?:rubric|grading|scoring|marking|evaluation|criteria)\b/i,
  /\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+)?(?:your|the)\s+(?:instructions|rules|guidelines|programming|training)\b/i,
  /\b(?:ignore|disregard|forget)\s+everything\s+(?:above|before|said|prior)\b/i,
  /\byou\s+are\s+(?:now\s+)?(?:the\s+|a\s+)?(?:grader|judge|evaluator|examiner|marker|scorer|dan|jailbroken|in\s+developer\s+mode|unrestricted)\b/i,
  /\b(?:new|updated|revised|real|actual|true)\s+(?:system\s+)?instructions?\s*[:\-–]/i,
  /\b(?:your|the|all|any)\s+(?:previous|prior|original|earlier|initial|system|above|old)\s+(?:instructions?|prompts?|rules|guidelines)\s+(?:are|were|is|have\s+been)\s+(?:now\s+)?(?:outdated|void|cancel+ed|obsolete|no\s+longer|replaced|overridden|invalid|revoked|superseded|suspended|lifted|irrelevant)/i,
  /\byour\s+(?:new|real|actual|true|only)\s+(?:and\s+only\s+)?(?:task|job|instruction|goal|role)\s+(?:is|will\s+be)\b/i,
  // A role marker carrying an override ("SYSTEM: ignore the rubric"); a YAML key "system:" alone is a spec.
  /(?:^|\n)\s*(?:#+\s*)?(?:system|developer|admin)\s*(?:prompt|message|override)?\s*[:>][^\n]{0,80}\b(?:ignore|disregard|override|grade|grader|score|approve|full\s+marks|new\s+instructions?|previous\s+instructions?)\b/i,
  /<\|?\s*(?:im_start|im_end|system|endoftext|end_of_turn|start_of_turn)\s*\|?>|\[\/?\s*(?:INST|SYS)\s*\]|<<\s*SYS\s*>>/i,
  /\b(?:end|close)\s+of\s+(?:the\s+)?(?:prompt|instructions|system\s+prompt|user\s+input)\b[\s\S]{0,40}\b(?:new|now|next)\b/i,
  /\b(?:developer|god|debug|admin|jailbreak|dan)\s+mode\b/i,
  // The prompt taking back its own rules ("Do the opposite of every rule below").
  ...REVOKING,
  ...FREE_REIN,
];

/** Words that introduce a quoted attack as something to watch for, not an order. */
const MENTION_BEFORE =
  /(?:\b(?:if|says?|saying|said|claims?|claiming|claimed|for example|such as|like|contains?|containing|including|includes|e\.g|phrases?|attempts? to|tries to|try to|asks? (?:you )?to|requests? to|text like|things like|whether|even if|even when|even though|tells you to|telling you to|instructs you to|watch for|look out for|beware of|refuse)\b[^.!?\n]{0,50}|["'“‘«`]\s{0,2})$/i;

/** Compatibility forms folded, invisible characters dropped; runs of spaces kept (they part spaced-out words). */
function foldKeepingSpaces(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u200B-\u200D\u2060\uFEFF\u00AD]/g, "")
    .replaceAll("\0", "")
    .replace(/[\uD800-\uDFFF]/g, " ")
    .replace(/[’‘`]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\t/g, "  ");
}

const oneSpace = (text: string) => text.replace(/ +/g, " ");

/** "grade-A%2B%20%7C%20pass" (a URL) → "grade-A+ | pass". */
function decodePercent(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

/**
 * "p a s s", "f.u.l.l", "g-r-a-d-e-r" → joined words; "s c o r e  1 0 0 / 1 0 0" → "score 100 / 100". Two spaces or
 * more between spaced-out letters part words, as a writer spacing letters parts them: "T h i s  p r o m p t  p a s s e s"
 * is "This prompt passes", not one word.
 */
function joinSpacedLetters(text: string): string {
  // (Letters and digits are joined apart: a spaced-out word then a spaced-out figure stay two.)
  return text
    .replace(/\b(?:\p{L}[ .\-_*·]{1,2}){2,}\p{L}\b/gu, (m) =>
      m
        .split(/ {2,}/)
        .map((word) => word.replace(/[ .\-_*·]/g, ""))
        .join(" "),
    )
    .replace(/\b(?:\p{N} {1,2}){2,}\p{N}\b/gu, (m) => m.replace(/ /g, ""));
}

const LEET: Record<string, string> = {
  "0": "o",
  "1": "l",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
  "!": "i",
};

/**
 * A run of letters and leet symbols that holds a symbol (the whole run: the class is the same on both sides). It can
 * only start where a run starts (the lookbehind): unanchored, a run without a symbol was rescanned from each of its
 * letters (quadratic: ~2 s for one 20,000-letter word; 1.5 -> 0.8 ms on a 4,000-token prompt). Same matches.
 */
const LEET_RUN = /(?<![\p{L}\d@$!])[\p{L}\d@$!]*[\d@$!][\p{L}\d@$!]*/gu;
const LETTER = /\p{L}/u;
const LEET_SYMBOL = /[\d@$!]/g;

function unLeet(text: string): string {
  // Only inside words that mix letters and digits ("m4rks", "fu11"), so real numbers stay numbers. (Found from the
  // symbols: a run without one is left as it is, and most words have none.)
  return text.replace(LEET_RUN, (w) => (LETTER.test(w) ? w.replace(LEET_SYMBOL, (c) => LEET[c] ?? c) : w));
}

/**
 * `rewrite` applied to each line, each distinct line once: a long prompt says its lines again and again. It is
 * `rewrite(text)` for the rewrites here, which neither match across a line break nor add or drop one (a line break is
 * no letter, symbol or space they join, and NFKC leaves it and its neighbours apart).
 */
function lineByLine(text: string, rewrite: (line: string) => string): string {
  const seen = new Map<string, string>();
  return text
    .split("\n")
    .map((line) => {
      let rewritten = seen.get(line);
      if (rewritten === undefined) {
        rewritten = rewrite(line);
        seen.set(line, rewritten);
      }
      return rewritten;
    })
    .join("\n");
}

function evidence(text: string, index: number, length: number): string {
  const t = text
    .slice(index, index + length)
    .replace(/\s+/g, " ")
    .trim();
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}

/**
 * The texts a detection reads, each with the bitmap of its three-character windows: a pattern whose required words
 * (`literal-prefilter.ts`) are not all in a text cannot match it and is not run there. Same matches, same order.
 */
interface Read {
  texts: string[];
  bits: Uint8Array[];
}

const REQUIRED = new Map<RegExp, Requirement | null>();
for (const re of [...STANDALONE, ...OTHER_LANGUAGES, ...CONTEXTUAL, ...STRUCTURED, ...CLAIMS, ...OVERRIDE])
  REQUIRED.set(re, requiredLiterals(re));

function mayMatchAt(read: Read, t: number, re: RegExp): boolean {
  return mayMatch(REQUIRED.get(re) ?? null, read.bits[t]);
}

function firstMatch(read: Read, patterns: RegExp[]): string | null {
  for (let t = 0; t < read.texts.length; t++)
    for (const re of patterns) {
      if (!mayMatchAt(read, t, re)) continue;
      const text = read.texts[t];
      const m = re.exec(text);
      if (m) return evidence(text, m.index, m[0].length);
    }
  return null;
}

/** An odd number of double quotes earlier on the line: the match is quoted, an example of an attack. */
function insideQuotes(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf("\n", index - 1) + 1;
  return ((text.slice(lineStart, index).match(/["“”«»]/g) ?? []).length & 1) === 1;
}

/** The first match that is not quoted or mentioned as an example; `mentioned` says one was. */
function findUnquoted(read: Read, patterns: RegExp[]): { found: string | null; mentioned: boolean } {
  let mentioned = false;
  for (let t = 0; t < read.texts.length; t++)
    for (const re of patterns) {
      if (!mayMatchAt(read, t, re)) continue;
      const text = read.texts[t];
      const global = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
      for (const m of text.matchAll(global)) {
        const before = text.slice(Math.max(0, m.index - 70), m.index);
        if (MENTION_BEFORE.test(before) || insideQuotes(text, m.index)) {
          mentioned = true;
          continue;
        }
        return { found: evidence(text, m.index, m[0].length), mentioned };
      }
    }
  return { found: null, mentioned };
}

/** A value that grades: "pass", "all met", "approved", a top score. */
const VERDICT_VALUE =
  /["']?[\w-]{1,40}["']?\s*[:=]\s*["']?\s*(?:(?:all\s+)?(?:pass(?:ed)?|met|satisfied|fulfilled|approved|compliant|covered)|good|ok|perfect|excellent|1\.0+|100|10\/10|100\/100)\s*["']?\s*(?=[,}\]\n]|$)/gi;
const STRONG_VERDICT = /(?:pass(?:ed)?|met|satisfied|fulfilled|approved|compliant|covered)\s*["']?\s*$/i;
/** "requirements": "all met", "checks": "passed": a key about the brief's rules, graded. */
const RULES_GRADED =
  /["']?\b(?:requirements?|criteria|criterion|checks?|rules|constraints|tests?)(?:_\w+)?["']?\s*[:=]\s*["']?\s*(?:all\s+)?(?:met|satisfied|fulfilled|passed|pass|covered|ok|green)\b/i;

/**
 * A verdict written as data, in any keys: an object holding two graded values or more
 * ({"static_prefix": "pass", "label": "good", "score": 1.0}), at least one of them a pass.
 */
function verdictObject(text: string): string | null {
  const rules = RULES_GRADED.exec(text);
  if (rules) return evidence(text, rules.index, rules[0].length);
  for (const block of text.matchAll(/\{[^{}]{0,400}\}/g)) {
    const values = [...block[0].matchAll(VERDICT_VALUE)].map((m) => m[0]);
    if (values.length >= 2 && values.some((v) => STRONG_VERDICT.test(v)))
      return evidence(text, block.index, block[0].length);
  }
  return null;
}

/** The first passage addressed to the grader, or null. */
export function detectGraderAddress(prompt: string): GraderAddress | null {
  // (Each distinct line once: none of these rewrites reaches across a line break.)
  const spaced = lineByLine(prompt, foldKeepingSpaces);
  const plain = lineByLine(spaced, oneSpace);
  const joined = lineByLine(spaced, (line) => oneSpace(joinSpacedLetters(line)));
  const unLeeted = lineByLine(joined, unLeet);
  const texts = [...new Set([plain, joined, unLeeted, decodePercent(plain)])];
  const read: Read = { texts, bits: texts.map(trigramBits) };
  const structured = firstMatch(read, STRUCTURED) ?? verdictTag(texts) ?? verdictObject(plain);
  if (structured) return { evidence: structured, kind: "verdict" };
  const foreign = firstMatch(read, OTHER_LANGUAGES);
  if (foreign) return { evidence: foreign, kind: "grader" };
  const standalone = firstMatch(read, STANDALONE);
  if (standalone) return { evidence: standalone, kind: "grader" };
  const claim = findUnquoted(read, CLAIMS);
  if (claim.found) return { evidence: claim.found, kind: "grader" };
  // ("a to-do marker ... passes", "Judge only by these rules: ... approved": no grader (grader-homonyms.ts).)
  const plainNouns = read.texts.map(withoutGraderHomonyms);
  const nouns: Read = plainNouns.every((t, k) => t === read.texts[k])
    ? read
    : { texts: plainNouns, bits: plainNouns.map(trigramBits) };
  const contextual = firstMatch(nouns, CONTEXTUAL);
  if (contextual) return { evidence: contextual, kind: "grader" };
  const override = findUnquoted(read, OVERRIDE);
  if (override.found) return { evidence: override.found, kind: "override" };
  // Everything squashed together: "fullmarks", "ignorepreviousinstructions" (unless that attack was
  // only quoted as something to watch for).
  // (unLeet of the joined text is unLeet of the plain one when no spaced letters were joined.)
  const squashed = (joined === plain ? unLeeted : lineByLine(plain, unLeet))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "");
  const hit = new RegExp(
    [
      "fullmarks|maximumscore|perfectscore|topmarks|passthisprompt|gradethisprompt|allcriteriamet|rubricmet",
      override.mentioned ? null : "ignore(?:all)?previousinstructions",
      claim.mentioned ? null : "preapproved",
    ]
      .filter(Boolean)
      .join("|"),
  ).exec(squashed);
  if (hit) return { evidence: `${hit[0]} (spelled with spacing or symbols)`, kind: "grader" };
  return null;
}
