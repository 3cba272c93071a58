/**
 * The text a new exercise starts from: every required field, filled with a small but valid example,
 * so the preview works at once and the author edits rather than remembers the format.
 */
export function exerciseTemplate(courseSlug: string, order: number): string {
  return `slug: new-exercise # unique across all courses; it cannot change once published
title: A new exercise
course: ${courseSlug}
order: ${order}
skill: compression # compression, model-tiering, structured-output, caching, safety, context-engineering
difficulty: 1 # 1 to 5
model: gpt-4.1-mini
tier: small # must equal the model's tier in the catalogue
volume: { calls: 10000, per: day }
output_tokens:
  baseline: 120
  target: 60
brief: |
  ## Why this costs money

  Say how often the prompt runs, on which model, and what the waste costs a month.

  ## Your job

  - the first requirement;
  - the second requirement.
starting_prompt: |
  Hello! Could you please, if it is not too much trouble, read the text below very carefully and
  then write a short summary of it for me? Please keep it short. Thank you so much!

  {{input}}
test_inputs:
  - name: first example
    input: |
      A realistic input that fills {{input}}.
checks:
  - id: token-budget
    kind: max_tokens
    label: At most 40 tokens
    value: 40
  - id: keeps-input
    kind: contains
    label: Keeps the {{input}} placeholder
    value: "{{input}}"
rubric:
  - id: faithful
    criterion: The summary states only what the text says.
requirements:
  - id: summarise
    level: must # must: missing or contradicted fails the attempt; should: only lowers quality
    description: Asks for a summary. # shown to the learner when missed: use the brief's words
    all_of: # every group instructed; phrases in a group are synonyms
      - [summarise, summarize, summary]
    broken_by: # a rule asking for any of these contradicts the requirement
      - [translate, rewrite it in full]
par_tokens: 20
pass_mark: 75
hints:
  - Politeness costs tokens on every call and changes nothing in the output.
reference_solution: |
  Summarise in one sentence:
  {{input}}
`;
}

/**
 * Text of the template above that only stands in for the author's own: an exercise still holding any of it is not
 * ready for learners, so publishing refuses it (a draft may keep it). The template test checks each is in it.
 */
export const TEMPLATE_PLACEHOLDERS: readonly { field: string; text: string; wholeValue?: true }[] = [
  // The slug and title lines count only as the whole value: "new-exercise-caching" is the author's own.
  { field: "slug", text: "slug: new-exercise", wholeValue: true },
  { field: "title", text: "title: A new exercise", wholeValue: true },
  { field: "brief", text: "Say how often the prompt runs, on which model, and what the waste costs a month." },
  { field: "brief", text: "- the first requirement;" },
  { field: "brief", text: "- the second requirement." },
  { field: "test_inputs", text: "A realistic input that fills {{input}}." },
];

/** Each placeholder still in the text, at its line and column. */
export function leftoverTemplateText(text: string): { line: number; column: number; field: string; message: string }[] {
  const out: { line: number; column: number; field: string; message: string }[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (const placeholder of TEMPLATE_PLACEHOLDERS) {
    lines.forEach((line, i) => {
      const column = line.indexOf(placeholder.text);
      if (column === -1) return;
      if (placeholder.wholeValue && !/^\s*(#.*)?$/.test(line.slice(column + placeholder.text.length))) return;
      out.push({
        line: i + 1,
        column: column + 1,
        field: placeholder.field,
        message: `still holds the new-exercise template's placeholder “${placeholder.text}”: replace it with your own before publishing`,
      });
    });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
