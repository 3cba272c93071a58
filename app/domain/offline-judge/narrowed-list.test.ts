import { describe, expect, it } from "vitest";
import { loadContent } from "~/exercises/load.server";
import type { ExerciseTask } from "../exercise";
import { judgeOffline, TASK_CHANGED_FAILURE } from "../offline-judge";
import { closedSets } from "./closed-values";
import { readRules } from "./instruction";
import { findNarrowedList } from "./narrowed-list";
import { readPrompt } from "./reading";

/**
 * A key's closed list written without one of its declared values, the value never given to that key elsewhere.
 * The wordings are our own: the defect in several notations, and good prompts that look alike (the value given
 * in a sentence about the key, in a sentence about no key, or in the list after an aside).
 */

const ticket: ExerciseTask = { action: "classify", output: "json-object", keys: ["mood", "channel", "urgent_flag"] };
const sets = closedSets(
  ticket,
  'Reply with JSON: {"mood": "calm"|"angry"|"other", "channel": "email"|"phone"|"chat"|"other", "urgent_flag": true|false}',
);

const find = (prompt: string) => {
  const reading = readPrompt(`${prompt}\n{{input}}`);
  const rules = readRules(reading);
  return findNarrowedList(reading, (i) => rules[i]?.instructs === true, sets);
};

describe("a closed list written short", () => {
  it("finds a key's list without a declared value that nothing else gives the key", () => {
    const defects = [
      "Return JSON only:\nchannel: email | phone | chat\nmood: calm | angry | other (other when unsure)",
      'Return JSON only: {"mood": "calm|angry|other", "channel": "email|phone|chat"}. mood is other when unsure.',
      "Set channel to one of email, phone or chat. Set mood to calm, angry or other.",
      "Return JSON only.\n- mood: calm / angry / other\n- channel: email / phone / chat\nIf the mood is unclear, use other.",
    ];
    for (const p of defects) expect(find(p)?.missing, p).toEqual(["other"]);
    expect(find(defects[0])?.key).toBe("channel");
  });

  it("keeps a list whose missing value is given to the key, or to every key, elsewhere", () => {
    const goods = [
      "Return JSON only:\nchannel: email | phone | chat (other if none fits)\nmood: calm | angry | other",
      "Return JSON only:\nchannel: email | phone | chat\nmood: calm | angry\nIf nothing fits, use other.",
      "Set channel to one of email, phone or chat; when no channel fits, write other. mood: calm, angry or other.",
      'Return JSON only: {"mood": "calm|angry|other", "channel": "email|phone|chat|other"}',
      "Return JSON only.\nchannel: email / phone (or a call back) / chat / other\nmood: calm / angry / other",
      "Return JSON only. channel: email | phone | chat | other. mood: calm | angry | other. No other values.",
    ];
    for (const p of goods) expect(find(p), p).toBe(null);
  });

  it("leaves forbidden lists and lists in asides alone", () => {
    expect(find("Return JSON only: mood is calm, angry or other. Never set channel to email or phone.")).toBe(null);
    expect(find("Return JSON only (channel: email, phone, chat and so on). mood: calm | angry | other")).toBe(null);
  });
});

describe("on the exercises", () => {
  const exercise = loadContent("exercises").exercises.find((e) => e.exercise.slug === "closed-enumerations")!.exercise;
  const grade = (prompt: string) => judgeOffline(prompt, exercise);

  it("fails a prompt whose product list loses other, and passes its twin that gives it", () => {
    expect(grade(exercise.reference_solution ?? "").mustFailures).toEqual([]);
    const body = (product: string) =>
      `Return one JSON object and nothing else, with exactly these keys and one value each:\n${product}\ntopic: bug | how_to | feature_request | account | complaint | other\nsentiment: negative | neutral | positive\nchurn_risk: true only if the customer says they will cancel, leave or switch provider, else false\nUse only these values, spelled exactly.\n\nTicket: {{input}}`;
    const short = grade(body("product: app | web | billing | api"));
    expect(short.mustFailures.some((f) => f.startsWith(TASK_CHANGED_FAILURE))).toBe(true);
    const whole = grade(body("product: app | web | billing | api | other"));
    expect(whole.mustFailures.filter((f) => f.startsWith(TASK_CHANGED_FAILURE))).toEqual([]);
    const said = grade(body("product: app | web | billing | api (other when no product fits)"));
    expect(said.mustFailures.filter((f) => f.startsWith(TASK_CHANGED_FAILURE))).toEqual([]);
  });
});
