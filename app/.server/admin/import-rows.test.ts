import { describe, expect, it } from "vitest";
import { checkImport, emailsIn, formatProblem, type ImportContext, parseRoles, resolveTeam } from "./import-rows";

const TEAMS = [
  { id: 1, name: "Platform", department: "Engineering" },
  { id: 2, name: "Platform", department: "Data" },
  { id: 3, name: "FP&A", department: "Finance" },
  { id: 4, name: "Web/Mobile", department: "Engineering" },
];
const context: ImportContext = { teams: TEAMS, existingEmails: new Set(["taken@example.com"]) };
const HEADER = "email,name,team,roles\r\n";

const messages = (text: string) => checkImport(text, context).problems.map(formatProblem);

describe("resolveTeam", () => {
  it("finds a unique team name without case", () => {
    expect(resolveTeam(TEAMS, "fp&a")).toMatchObject({ ok: true, team: { id: 3 } });
  });

  it("calls a name that two departments share ambiguous and shows the Department/Team form", () => {
    expect(resolveTeam(TEAMS, "Platform")).toEqual({
      ok: false,
      message: 'team "Platform" exists in Data and Engineering: write it as Department/Team, e.g. "Data/Platform"',
    });
    const three = [...TEAMS, { id: 9, name: "Platform", department: "Apps" }];
    expect(resolveTeam(three, "platform")).toMatchObject({
      message: expect.stringContaining(
        'exists in Apps, Data and Engineering: write it as Department/Team, e.g. "Apps/Platform"',
      ),
    });
    expect(resolveTeam(TEAMS, "Engineering/Platform")).toMatchObject({ ok: true, team: { id: 1 } });
    expect(resolveTeam(TEAMS, "data / platform")).toMatchObject({ ok: true, team: { id: 2 } });
  });

  it("finds a team whose own name contains a slash, alone or after its department", () => {
    expect(resolveTeam(TEAMS, "Web/Mobile")).toMatchObject({ ok: true, team: { id: 4 } });
    expect(resolveTeam(TEAMS, "Engineering/Web/Mobile")).toMatchObject({ ok: true, team: { id: 4 } });
  });

  it("names an unknown team", () => {
    expect(resolveTeam(TEAMS, "Sales/Platform")).toEqual({ ok: false, message: 'unknown team "Sales/Platform"' });
  });
});

describe("parseRoles", () => {
  it("splits on ; or |, ignores case and blanks, and always includes learner", () => {
    expect(parseRoles("Manager; admin")).toEqual({ ok: true, roles: ["learner", "manager", "admin"] });
    expect(parseRoles("instructor|learner|")).toEqual({ ok: true, roles: ["learner", "instructor"] });
    expect(parseRoles("")).toEqual({ ok: true, roles: ["learner"] });
  });

  it("names every unknown role", () => {
    expect(parseRoles("learner;boss;chief")).toEqual({
      ok: false,
      message: 'unknown roles "boss", "chief" (use learner, manager, instructor, admin, separated by ; or |)',
    });
  });
});

describe("checkImport", () => {
  it("accepts good rows, with lower-cased emails, resolved teams and roles", () => {
    const { rows, problems } = checkImport(
      `${HEADER}Ana@Example.com,Ana Ruiz,FP&A,learner;manager\r\nbo@example.com,"Bo, Jr.",,\r\n`,
      context,
    );
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        email: "ana@example.com",
        name: "Ana Ruiz",
        teamId: 3,
        team: "Finance/FP&A",
        roles: ["learner", "manager"],
      },
      { line: 3, email: "bo@example.com", name: "Bo, Jr.", teamId: null, team: null, roles: ["learner"] },
    ]);
  });

  it("accepts the columns in any order", () => {
    const { rows } = checkImport("Roles,Team,Name,Email\nadmin,FP&A,Cy,cy@example.com\n", context);
    expect(rows[0]).toMatchObject({ email: "cy@example.com", name: "Cy", teamId: 3, roles: ["learner", "admin"] });
  });

  it("reports each bad row by line and field, and every bad field of a row", () => {
    const text =
      HEADER +
      "ok@example.com,Fine,FP&A,learner\r\n" +
      "not-an-email,Bad Email,FP&A,learner\r\n" +
      "boss@example.com,Bad Role,FP&A,boss\r\n" +
      "ok@example.com,Dup,FP&A,learner\r\n" +
      "taken@example.com,Taken,,\r\n" +
      "nameless@example.com,,Sales,learner\r\n" +
      "amb@example.com,Ambiguous,Platform,learner\r\n" +
      "short@example.com,Short\r\n";
    const result = checkImport(text, context);
    expect(result.rows.map((r) => r.line)).toEqual([2]);
    expect(result.problems.map(formatProblem)).toEqual([
      'line 3, email: "not-an-email" is not a valid email address',
      'line 4, roles: unknown role "boss" (use learner, manager, instructor, admin, separated by ; or |)',
      'line 5, email: "ok@example.com" is already on line 2',
      'line 6, email: a user with the email "taken@example.com" already exists',
      "line 7, name: missing name",
      'line 7, team: unknown team "Sales"',
      'line 8, team: team "Platform" exists in Data and Engineering: write it as Department/Team, e.g. "Data/Platform"',
      "line 9, row: expected 4 fields (email,name,team,roles), found 2",
    ]);
  });

  it("counts lines physically, so a row after a multi-line quoted name has the line an editor shows", () => {
    expect(messages(`${HEADER}a@example.com,"Two\nLines",FP&A,learner\nb@example.com,B,FP&A,chief\n`)).toEqual([
      'line 4, roles: unknown role "chief" (use learner, manager, instructor, admin, separated by ; or |)',
    ]);
  });

  it("keeps a formula-looking name as the text it is", () => {
    const { rows } = checkImport(`${HEADER}f@example.com,"=HYPERLINK(""http://x"",""y"")",,\n`, context);
    expect(rows[0].name).toBe('=HYPERLINK("http://x","y")');
  });

  it("reports a bad header, an empty file and a broken quote", () => {
    expect(messages("email,name,group\n")).toEqual([
      'line 1, header: unknown column "group": the header must be email,name,team,roles',
      'line 1, header: missing column "team": the header must be email,name,team,roles',
      'line 1, header: missing column "roles": the header must be email,name,team,roles',
    ]);
    expect(messages("")).toEqual(["line 1, file: the file is empty"]);
    expect(messages(HEADER)).toEqual(["line 1, file: no users after the header"]);
    expect(messages(`${HEADER}a@example.com,"open,FP&A,learner\n`)).toEqual([
      "line 2, file: a quoted field is not closed before the end of the file",
    ]);
  });

  it("lists the file's emails for the existence lookup", () => {
    expect(emailsIn("name,EMAIL,team,roles\nA, A@X.io ,,\nB,b@x.io,,\n")).toEqual(["a@x.io", "b@x.io"]);
  });
});
