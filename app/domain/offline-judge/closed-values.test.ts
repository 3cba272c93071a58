import { describe, expect, it } from "vitest";
import { loadContent } from "~/exercises/load.server";
import type { ExerciseTask } from "../exercise";
import { judgeOffline, TASK_CHANGED_FAILURE } from "../offline-judge";
import { closedSets, findOpenedSet } from "./closed-values";
import { readRules } from "./instruction";
import { readPrompt } from "./reading";

/**
 * A closed list of values opened by an order. The wordings are our own, written before the rule: five of each
 * defect and good prompts that look alike.
 */

const ticket: ExerciseTask = { action: "classify", output: "json-object", keys: ["mood", "channel"] };
const ticketSets = closedSets(ticket, 'Reply with JSON: {"mood": "calm"|"angry"|"other", "channel": "email"|"phone"}');
const redact: ExerciseTask = { action: "redact", output: "text", labels: ["EMAIL", "PHONE"] };
const redactSets = closedSets(redact, "Replace each email with [EMAIL] and phone number with [PHONE].");

const find = (prompt: string, sets = ticketSets) => {
  const reading = readPrompt(`${prompt}\n{{input}}`);
  const rules = readRules(reading);
  return findOpenedSet(reading, (i) => rules[i]?.instructs === true, sets, new Set());
};

describe("the closed sets an exercise declares", () => {
  it("reads each key's list from the reference's template, and bracketed labels", () => {
    expect(ticketSets.values.get("mood")).toEqual(new Set(["calm", "angry", "other"]));
    expect(ticketSets.values.get("channel")).toEqual(new Set(["email", "phone"]));
    expect(redactSets.bracketed).toEqual(new Set(["EMAIL", "PHONE"]));
    expect(closedSets(ticket, '{"mood": "imperative, at most 12 words"}').values.size).toBe(0);
  });
});

describe("a closed set opened", () => {
  it("finds a value added to a key's list, in any notation", () => {
    const defects = [
      "channel ∈ {email, phone, chat}",
      'Reply with JSON: {"mood": "calm|angry|sad|other", "channel": "email|phone"}',
      "Set channel to one of email, phone or sms.",
      "- mood: calm | angry | annoyed | other",
      'Reply {"mood": "calm"|"angry"|"other", "channel": "email"|"phone"|"letter"}',
    ];
    for (const prompt of defects) expect(find(prompt)?.made, prompt).toMatch(/chat|sad|sms|annoyed|letter/);
    expect(find("channel: email, phone or other")).toMatchObject({ key: "channel", made: "other" });
  });

  it("finds another key's value given to a key whose list lacks it", () => {
    const defects = [
      'Whenever a field has no clear match, channel included, use "other".',
      'Channel may also be "other" when it is unclear.',
      "If the channel is unclear, set channel to other.",
    ];
    for (const prompt of defects) expect(find(prompt), prompt).toMatchObject({ key: "channel", made: "other" });
  });

  it("reads a key's list in brackets after it as the list, not an aside", () => {
    expect(find("Keys: mood (calm, angry, or other when unclear), channel (email, phone, or chat).")).toMatchObject({
      key: "channel",
      made: "chat",
    });
    expect(find("channel (email, phone, or sms when texted)")).toMatchObject({ key: "channel", made: "sms" });
    // an aside that is not the key's list adds nothing
    expect(find("channel: email or phone (a chat counts as email)")).toBe(null);
  });

  it("finds a key listed beside keys that have the value, in the fallback's condition", () => {
    expect(find('When nothing fits mood or channel, use "other".')).toMatchObject({ key: "channel", made: "other" });
    expect(find("If mood, channel or both are unclear, answer other.")).toMatchObject({ key: "channel" });
    // only the key that has it, the other one told apart
    expect(find('When nothing fits mood, use "other"; channel is always email or phone.')).toBe(null);
  });

  it("finds a true|false key given a scale of words", () => {
    const flags: ExerciseTask = { action: "classify", output: "json-object", keys: ["mood", "urgent"] };
    const sets = closedSets(flags, '{"mood": "calm"|"angry"|"other", "urgent": true|false}');
    expect(sets.booleans).toEqual(new Set(["urgent"]));
    expect(find('{"mood": "calm|angry|other", "urgent": "low|medium|high"}', sets)).toMatchObject({ key: "urgent" });
    expect(find("urgent: one of low, medium or high", sets)).toMatchObject({ key: "urgent" });
    // the cases of true listed, and the booleans themselves
    expect(find("urgent: outage, data loss or legal threat -> true, else false", sets)).toBe(null);
    expect(find('{"mood": "calm|angry|other", "urgent": true|false}', sets)).toBe(null);
  });

  it("finds a token the labels do not have", () => {
    expect(find("Also replace any other personal detail with [PRIVATE].", redactSets)?.made).toBe("[PRIVATE]");
    expect(find("Mask names as [NAME] too.", redactSets)?.made).toBe("[NAME]");
  });

  it("finds a label coined beside the task's labels, given as an order's value", () => {
    const causes: ExerciseTask = {
      action: "classify",
      output: "label",
      labels: ["FIRE", "FLOOD", "UNKNOWN", "GAS_LEAK"],
    };
    const sets = closedSets(causes, "Answer FIRE, FLOOD, GAS_LEAK or UNKNOWN.");
    expect(find("Answer FIRE or FLOOD. If both are supported, answer MULTIPLE; if neither, UNKNOWN.", sets)?.made).toBe(
      "MULTIPLE",
    );
    expect(find("When unsure, reply with NEEDS_REVIEW.", sets)?.made).toBe("NEEDS_REVIEW");
    for (const prompt of [
      "Answer FIRE, FLOOD or UNKNOWN; if both are supported, answer UNKNOWN.",
      "Reply in JSON with the label: FIRE, FLOOD or UNKNOWN.",
      "Never answer MAYBE: if unsure, answer UNKNOWN.",
      "If you smell gas, answer GAS_LEAK.",

      "If the report says MULTIPLE, answer UNKNOWN.",
    ])
      expect(find(prompt, sets), prompt).toBe(null);
  });

  it("finds a value given to a case in the key's own line, outside its list", () => {
    for (const [prompt, made] of [
      ["- mood: calm, angry or other; use mixed when the customer is both", "mixed"],
      ["mood: calm, angry or other; choose unclear if you cannot tell", "unclear"],
      ["- channel: email or phone; use chat when they wrote in the live chat", "chat"],
      ["channel = email or phone, and use unknown if it is not said", "unknown"],
    ])
      expect(find(prompt)?.made, prompt).toBe(made);
  });

  it("leaves a listed value given to a case in the key's line, and words that name no case", () => {
    for (const prompt of [
      "- mood: calm, angry or other; use other when the customer is both calm and angry",
      "- mood: calm, angry or other; use calm when the tone is mixed",
      "- channel: email or phone; use lowercase.",
      "- channel: email or phone; use null if it is not stated",
      "- mood: calm, angry or other; never use mixed when the customer is both",
      "If the customer is both, use mixed feelings as a hint for angry. mood: calm, angry or other",
    ])
      expect(find(prompt), prompt).toBe(null);
  });

  it("leaves the lists as declared, a forbidden value, and other where the key has it", () => {
    const goods = [
      "Use only these values: mood calm|angry|other, channel email|phone. Never a new value.",
      'If nothing fits, use "other" (mood only; channel is always email or phone).',
      'mood: "calm"|"angry"|"other", channel: "email"|"phone"',
      "channel: email | phone, never other",
      "Other only for mood; use null when the channel is unknown.",
      "Replace emails with [EMAIL] and phones with [PHONE]; never invent a token such as [NAME].",
    ];
    for (const prompt of goods) expect(find(prompt, prompt.includes("[") ? redactSets : ticketSets), prompt).toBe(null);
  });

  it("fails an exercise's attempt that opens a list, and says which", () => {
    const exercise = loadContent("exercises").exercises.find(
      (e) => e.exercise.slug === "closed-enumerations",
    )?.exercise;
    if (!exercise) throw new Error("closed-enumerations is missing");
    expect(judgeOffline(exercise.reference_solution, exercise).mustFailures).toEqual([]);
    const flawed = exercise.reference_solution.replace("neutral|positive", "neutral|positive|mixed");
    const failures = judgeOffline(flawed, exercise).mustFailures;
    expect(failures[0]).toContain(TASK_CHANGED_FAILURE);
    expect(failures[0]).toContain("gives sentiment the value mixed");
  });
});
