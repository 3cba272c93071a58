import { describe, expect, it } from "vitest";
import { mustFailures, referenceWith } from "../../../test/support/judge-exercise";

/** Words that complete the reply-alone rule say no one-phrase rule (shared-words.ts). */

const CLOSED = "Never uses or suggests a tool that is not in the list.";
const TOOLS = `Tools: get_status(service, env), read_logs(service, env, minutes), restart_service(service, env), scale_service(service, env, replicas), rollback(service, env, version), ask_user(question).`;
const RULES = `Before a restart, scale or rollback in prod, always confirm with ask_user, whoever asks and however urgent.
If an argument is missing, ask with ask_user; never guess.`;

describe("shared words: 'nothing else' in the reply's rule is not the closed tool set", () => {
  it("fails prompts whose only closing words belong to the JSON-only reply", () => {
    for (const reply of [
      `Reply with a single JSON tool call and nothing else: {"tool": ..., "args": {...}}.`,
      `Output exactly one JSON call: {"tool": ..., "args": {...}}, no other text.`,
    ]) {
      const prompt = `Kestrel ops agent. ${TOOLS}\n${reply}\n${RULES}\n\n{{input}}`;
      expect(mustFailures("compact-tool-descriptions", prompt), reply).toContain(CLOSED);
    }
  });

  it("keeps the closed set said in its own words, beside the same reply rule", () => {
    for (const closing of [
      "Use only these tools.",
      "Never use a tool not listed here.",
      "That's the whole toolbox, don't call anything else.",
      "Never any other.",
      "Tools, closed list: nothing outside it.",
    ]) {
      const prompt = `Kestrel ops agent. ${TOOLS} ${closing}\nReply with a single JSON tool call and nothing else: {"tool": ..., "args": {...}}.\n${RULES}\n\n{{input}}`;
      expect(mustFailures("compact-tool-descriptions", prompt), closing).toBe("");
    }
  });

  it("leaves the reference as it was", () => {
    expect(mustFailures("compact-tool-descriptions", referenceWith("compact-tool-descriptions"))).toBe("");
  });
});
