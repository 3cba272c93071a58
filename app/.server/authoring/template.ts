/**
 * The text a new exercise starts from: every required field, filled with a small but valid example,
 * so the preview works at once and the author edits rather than remembers the format.
 */
export function exerciseTemplate(courseSlug: string, order: number): string {
  return `slug: new-exercise # unique across all courses; it cannot change once published
title: A new exercise
course: ${courseSlug}
order: ${order}
skill: compression # compression, model-tiering, structured-output, caching, safety
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
