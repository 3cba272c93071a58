import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * Several processes write Tokenwise's database at once (the app, the grading worker, `npm run usage:import`, the
 * scheduled backup's neighbours). A transaction begun DEFERRED that reads before it writes is refused at its first
 * write with SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT, at once and whatever the busy timeout, when another process has
 * committed meanwhile (test/integration/write-contention.test.ts shows it happen). So every transaction in the app
 * begins IMMEDIATE: drizzle's `database.transaction(fn, { behavior: "immediate" })`, better-sqlite3's
 * `sqlite.transaction(fn).immediate()`. This reads the source and names any that does not.
 */

const ROOTS = ["app", "scripts", "server"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const WRITE_MODES = new Set(["immediate", "exclusive"]);

/** `{ behavior: "immediate" }`, possibly `as const`. */
function isImmediateConfig(node: ts.Expression): boolean {
  const literal = ts.isAsExpression(node) ? node.expression : node;
  return (
    ts.isObjectLiteralExpression(literal) &&
    literal.properties.some(
      (p) =>
        ts.isPropertyAssignment(p) &&
        p.name.getText() === "behavior" &&
        ts.isStringLiteral(p.initializer) &&
        WRITE_MODES.has(p.initializer.text),
    )
  );
}

/**
 * `.transaction(fn, { behavior: "immediate" })` (the config inline or a const of this file holding it), or the call
 * followed by `.immediate(…)`.
 */
function beginsImmediate(call: ts.CallExpression, immediateConsts: Set<string>): boolean {
  const config = call.arguments[1];
  if (config) return ts.isIdentifier(config) ? immediateConsts.has(config.text) : isImmediateConfig(config);
  const parent = call.parent;
  return ts.isPropertyAccessExpression(parent) && parent.expression === call && WRITE_MODES.has(parent.name.text);
}

/** Every `x.transaction(…)` call in a file that does not begin IMMEDIATE, as `file:line`. */
function deferredTransactions(path: string, text: string): string[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const immediateConsts = new Set<string>();
  const calls: ts.CallExpression[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer &&
      isImmediateConfig(node.initializer)
    )
      immediateConsts.add(node.name.text);
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "transaction"
    )
      calls.push(node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return calls
    .filter((call) => !beginsImmediate(call, immediateConsts))
    .map((call) => `${relative(process.cwd(), path)}:${file.getLineAndCharacterOfPosition(call.getStart()).line + 1}`);
}

describe("transactions", () => {
  it("are recognised as deferred or immediate in both drizzle's and better-sqlite3's forms", () => {
    const text = [
      "db.transaction((tx) => tx.insert(t).run());",
      "db.transaction((tx) => tx.insert(t).run(), { behavior: 'immediate' });",
      "db.transaction((tx) => tx.insert(t).run(), { behavior: 'deferred' });",
      "s.transaction(() => {})();",
      "s.transaction(() => {}).immediate();",
      "s.transaction(() => {}).deferred();",
      "type T = Db['transaction'];",
      "const IMMEDIATE = { behavior: 'immediate' } as const;",
      "db.transaction((tx) => tx.insert(t).run(), IMMEDIATE);",
      "db.transaction((tx) => tx.insert(t).run(), OTHER);",
    ].join("\n");
    expect(deferredTransactions("example.ts", text)).toEqual([
      "example.ts:1",
      "example.ts:3",
      "example.ts:4",
      "example.ts:6",
      "example.ts:10",
    ]);
  });

  it("in the app and its scripts all begin IMMEDIATE, so another process's write never refuses them", () => {
    const offenders = ROOTS.flatMap(sourceFiles).flatMap((path) =>
      deferredTransactions(path, readFileSync(path, "utf8")),
    );
    expect(offenders, 'begin these with { behavior: "immediate" } or .immediate()').toEqual([]);
  });
});
