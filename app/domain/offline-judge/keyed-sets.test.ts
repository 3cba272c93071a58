import { describe, expect, it } from "vitest";
import { requirementStatus } from "../../../test/support/judge-exercise";
import { madeUpExercise as exercise, readAsWordList as gaming, statuses } from "../../../test/support/made-up-exercise";

/**
 * A field given with its closed set of values ("product is one of app, web, api", "topic (bug, account, other)")
 * defines the reply; several in one sentence are no list of the brief's terms (keyed-sets.ts, read by keywordRuns in
 * instruction.ts). Each with its look-alike: the same terms with no key and no "one of" are still a word list.
 */
describe("fields with their closed sets of values", () => {
  const sets = exercise(
    { all_of: [["json"], ["only", "nothing else"]], together: true },
    { all_of: [["product"], ["app"], ["web"], ["api"]], names_only: true },
    { all_of: [["topic"], ["bug"], ["account"], ["complaint"]], names_only: true },
    { all_of: [["sentiment"], ["negative"], ["neutral"], ["positive"]], names_only: true },
    { all_of: [["other"]] },
  );

  it("reads 'KEY is one of a, b, c' strung with semicolons as the fields' definitions (closed-enumerations)", () => {
    const prompt =
      "The reply to the ticket below is a single JSON object and nothing more. product is one of app, web, billing, api, other; topic one of bug, how_to, feature_request, account, complaint, other; sentiment one of negative, neutral, positive.\n{{input}}";
    for (const id of ["product-values", "topic-values", "sentiment-values"])
      expect(requirementStatus("closed-enumerations", id, prompt), id).toBe("covered");
    // (the same sentence without its sets' keys and "one of" is a heap of the values)
    const heap =
      "The reply to the ticket below is a single JSON object and nothing more. product, app, web, billing, api, other; topic, bug, how_to, feature_request, account, complaint, other; sentiment, negative, neutral, positive.\n{{input}}";
    expect(requirementStatus("closed-enumerations", "product-values", heap)).toBe("missing");
  });

  it("reads 'KEY, one of ...' after a lead-in, and 'KEY (a, b, c)' after 'Keys:'", () => {
    for (const rule of [
      "Reply with one JSON object and nothing else, with four keys: product, one of app, web, api, other; topic, one of bug, account, complaint, other; sentiment, one of negative, neutral, positive.",
      "Reply with JSON only. Keys: product (app, web, api, other), topic (bug, account, complaint, other), sentiment (negative, neutral, positive).",
      "Reply with JSON only.\nsentiment - negative / neutral / positive\ntopic - bug / account / complaint / other\nproduct - app / web / api / other",
    ]) {
      const prompt = `${rule}\n{{input}}`;
      expect(gaming(prompt, sets), rule).toBe(false);
      expect(statuses(prompt, sets), rule).toEqual(["covered", "covered", "covered", "covered", "covered"]);
    }
  });

  it("still reads the same values strung with no key and no 'one of' as a list of terms", () => {
    for (const rule of [
      "JSON only, product, app, web, api, topic, bug, account, complaint, sentiment, negative, neutral, positive.",
      "Terms: product, app, web, api, topic, bug, account, complaint, sentiment, negative, neutral, positive, JSON only.",
    ]) {
      expect(gaming(`${rule}\n{{input}}`, sets), rule).toBe(true);
    }
  });

  it("still misses a field whose set is left out", () => {
    const prompt =
      "The reply is one JSON object and nothing else. product is one of app, web, api, other; topic one of bug, account, complaint, other.\n{{input}}";
    expect(statuses(prompt, sets)).toEqual(["covered", "covered", "covered", "missing", "covered"]);
  });
});
