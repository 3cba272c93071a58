import { describe, expect, it } from "vitest";
import { exerciseBySlug, mustFailures } from "../../../test/support/judge-exercise";
import { spellingWindows } from "./spelling-idioms";

describe("spelling idioms: 'as written' said through spelling (spelling-idioms.ts)", () => {
  it("rewrites the idiom as 'as written', keeping every offset", () => {
    const line = "parties: the names as the contract spells them; dates ISO";
    const [w] = spellingWindows(line);
    expect(w.text).toHaveLength(line.length);
    expect(w.text).toContain("names as written");
    expect(spellingWindows("spell check the text")).toEqual([]);
  });
});

/** contract-fields-null's reference with its schema line's parties said by `parties`. */
const contract = (parties: string) => {
  const lines = exerciseBySlug("contract-fields-null").reference_solution.split("\n");
  lines[1] = lines[1].replace('"parties": [names exactly as written], ', "");
  return [...lines.slice(0, 2), parties, ...lines.slice(2)].join("\n");
};
const NAMES = "Party names exactly as written.";

describe("spelling idioms: party names kept as the contract spells them (judge)", () => {
  it("reads five wordings as names kept as written", () => {
    for (const line of [
      "parties is a list of the party names as the contract spells them.",
      "parties: a list of party names, spelled identically to the contract.",
      "parties: the party names as they are spelled in the contract.",
      "parties: each party's name with its original spelling.",
      "parties: list the party names; keep the spelling of every name.",
    ])
      expect(mustFailures("contract-fields-null", contract(line)), line).toBe("");
  });

  it("still fails three look-alikes that change the names", () => {
    expect(mustFailures("contract-fields-null", contract("parties: a list of the party names."))).toContain(NAMES);
    for (const line of [
      "parties: the party names as the contract spells them, but drop Ltd and other suffixes.",
      "parties: the party names, spelling corrected and normalised.",
    ])
      expect(mustFailures("contract-fields-null", contract(line)), line).toContain(NAMES);
  });
});

const meeting = (owner: string) =>
  exerciseBySlug("meeting-action-items").reference_solution.replace(
    '"owner": name as written or null',
    `"owner": ${owner}`,
  );
const OWNER = "owner is the name as written in the notes, or null; never a suggested owner.";

describe("spelling idioms: an owner spelled identically (judge)", () => {
  it("reads five wordings as the owner as written", () => {
    for (const owner of [
      "whoever volunteered, spelled identically, or null",
      "the name spelled identically to the notes, or null",
      "the name as the notes spell it, or null",
      "the volunteer's name with the same spelling, or null",
      "name copied identically from the notes, or null",
    ])
      expect(mustFailures("meeting-action-items", meeting(owner)), owner).toBe("");
  });

  it("still fails three look-alikes that suggest an owner", () => {
    for (const owner of [
      "the name spelled identically, or the most likely person if nobody volunteered",
      "the name spelled identically, or a suggested owner if nobody volunteered",
      "the name spelled identically; if nobody volunteered, nominate someone",
    ])
      expect(mustFailures("meeting-action-items", meeting(owner)), owner).toContain(OWNER);
  });
});
