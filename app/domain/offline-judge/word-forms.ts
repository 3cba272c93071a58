/**
 * Word forms for the offline judge's forgiving matches: inflections the NLP lemmatiser may not
 * give for a word read out of context, and a one-typo tolerance.
 */

/**
 * The word itself plus the bases it may be an inflection of. Two words match when their forms
 * intersect, which avoids picking one canonical stem ("using" → "use" or "us"?).
 */
export function baseForms(word: string): string[] {
  const forms = [word];
  const add = (f: string) => {
    if (f.length >= 3 && !forms.includes(f)) forms.push(f);
  };
  const nouns = [word.endsWith("'s") ? word.slice(0, -2) : word];
  if (nouns[0] !== word) add(nouns[0]);
  const w = nouns[0];
  if (w.endsWith("ies")) nouns.push(`${w.slice(0, -3)}y`);
  else if (w.endsWith("es")) nouns.push(w.slice(0, -1), w.slice(0, -2));
  else if (w.endsWith("s") && !/(?:ss|us|is)$/.test(w)) nouns.push(w.slice(0, -1));
  // Adverbs meet their adjectives: "exactly" ~ "exact", "easily" ~ "easy".
  if (w.endsWith("ily") && w.length >= 6) nouns.push(`${w.slice(0, -3)}y`);
  else if (w.endsWith("ly") && w.length >= 6) nouns.push(w.slice(0, -2));
  // British and American spellings meet: "summarise" ~ "summarize", "categorise" ~ "categorize".
  if (/is(?:e|ed|es|ing|ation)$/.test(w)) nouns.push(w.replace(/is(e|ed|es|ing|ation)$/, "iz$1"));
  for (const n of nouns) {
    add(n);
    if (n.endsWith("ing") && n.length >= 5) addVerbBase(n.slice(0, -3), add);
    else if (n.endsWith("ied")) add(`${n.slice(0, -3)}y`);
    else if (n.endsWith("ed") && n.length > 4) {
      add(n.slice(0, -1));
      addVerbBase(n.slice(0, -2), add);
    }
  }
  return forms;
}

/** `stem` is what is left without -ing/-ed; a stem without a vowel ("th" of "thing") is no verb. */
function addVerbBase(stem: string, add: (f: string) => void): void {
  if (!/[aeiouy]/.test(stem)) return;
  add(stem);
  add(`${stem}e`);
  const last = stem.length - 1;
  if (last > 1 && stem[last] === stem[last - 1] && !/[aeiou]/.test(stem[last])) add(stem.slice(0, -1));
}

/**
 * True when `a` and `b` differ by at most one edit. Insertions and deletions always count;
 * substitutions and adjacent swaps only when `allowSwap`: at 5–6 letters they turn real words into
 * other real words ("format" vs "formal", "casual" vs "causal").
 */
export function withinOneEdit(a: string, b: string, allowSwap: boolean): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (!allowSwap) return false;
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
