import { baseForms as textBaseForms } from "../text-match";

/**
 * Word forms for the offline judge's forgiving matches: inflections the NLP lemmatiser may not give for a word
 * read out of context, British and American spellings ("summarise" ~ "summarize"), and a one-typo tolerance
 * (`withinOneEdit`, shared with the reply-size estimate's matcher in text-match.ts).
 */

export { withinOneEdit } from "../text-match";

/** The word itself plus the bases it may be an inflection or another spelling of. */
export function baseForms(word: string): string[] {
  return textBaseForms(word, true);
}
