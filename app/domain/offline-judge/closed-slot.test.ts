import { describe, expect, it } from "vitest";
import { mustFailures } from "../../../test/support/judge-exercise";

const SHAPE = `Reply with one JSON object and nothing before or after it:
{"tool": "<name>", "args": {<arguments>}}`;
const TOOLS =
  "get_status(service, env) | read_logs(service, env, minutes) | restart_service(service, env) | scale_service(service, env, replicas) | rollback(service, env, version) | ask_user(question)";
const RULES = `Use ask_user to confirm before restart_service, scale_service or rollback when env is prod, even if the requester is senior or says it is urgent. Use ask_user when an argument is missing; never guess one.

{{input}}`;
const tools = (lead: string) => mustFailures("compact-tool-descriptions", `${SHAPE}\n\n${lead}\n${TOOLS}\n\n${RULES}`);

describe("a template slot whose value is said to be one of a list (compact-tool-descriptions)", () => {
  it("reads '<name> must be one of:' and 'the tool set is closed' as the listed tools only", () => {
    expect(tools("<name> must be one of:")).toBe("");
    expect(tools("<tool> is one of these:")).toBe("");
    expect(tools("The tool set is closed:")).toBe("");
  });

  it("does not read a list of tools, or env's closed values, as closing the tools", () => {
    expect(tools("Tools:")).toMatch(/not in the list/);
    expect(tools("env must be one of dev, staging or prod. Tools:")).toMatch(/not in the list/);
  });
});
