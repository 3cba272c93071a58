import { readPrompt } from "~/domain/offline-judge/reading";

/** The prompt's clauses as the judge splits them, each as its tokens joined by spaces (for reading tests). */
export function clauseTexts(text: string): string[] {
  const reading = readPrompt(text);
  return reading.clauses.map((c) =>
    reading.tokens
      .slice(c.from, c.to)
      .map((t) => t.text)
      .join(" "),
  );
}
