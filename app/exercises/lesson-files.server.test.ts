import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadLessonFolder, loadLessons, parseLessonText } from "./lesson-files.server";

const FILE = "exercises/x/lessons/01-why.md";
const messages = (text: string) => {
  const parsed = parseLessonText(text, FILE);
  return parsed.ok ? [] : parsed.errors.map((e) => e.message);
};

describe("a lesson file's front matter and body", () => {
  it("reads the title, the position (0 by default) and the Markdown body", () => {
    expect(parseLessonText("---\ntitle: Why filler costs money\n---\n\nA token is paid for.\n", FILE)).toEqual({
      ok: true,
      lesson: { title: "Why filler costs money", afterPosition: 0, markdown: "A token is paid for." },
    });
    const placed = parseLessonText("\uFEFF---\r\ntitle: Later\r\nafter: 3\r\n---\r\nBody\r\n", FILE);
    expect(placed).toMatchObject({ ok: true, lesson: { title: "Later", afterPosition: 3, markdown: "Body" } });
  });

  it("keeps a later --- line (a Markdown rule) in the body", () => {
    const parsed = parseLessonText("---\ntitle: Rules\n---\nabove\n\n---\n\nbelow\n", FILE);
    expect(parsed.ok && parsed.lesson.markdown).toBe("above\n\n---\n\nbelow");
  });

  it("names the file and the line of every mistake, counted in the .md file", () => {
    expect(messages("# No front matter\n")).toEqual([
      `${FILE}:1:1 (front matter): must start with a line "---", then "title: ...", then a closing "---"`,
    ]);
    expect(messages("---\ntitle: Never closed\nbody")).toEqual([
      `${FILE}:1:1 (front matter): is not closed: add a line "---" after it`,
    ]);
    expect(messages("---\ntitle: Fine title\ntittle: typo\n---\nBody")).toEqual([
      `${FILE}:3:1 tittle: is not a known field`,
    ]);
    expect(messages("---\nafter: 1\n---\nBody")).toEqual([`${FILE}:2:1 title: is required`]);
    expect(messages("---\ntitle: Fine title\nafter: -1\n---\nBody")).toEqual([`${FILE}:3:1 after: must be at least 0`]);
    expect(messages("---\ntitle: Fine title\nafter: 1.5\n---\nBody")).toEqual([
      `${FILE}:3:1 after: must be a whole number, not float`,
    ]);
    expect(messages("---\ntitle: Fine title\n---\n\n   \n")).toEqual([
      `${FILE}:4:1 (body): is empty: write the lesson in Markdown below the front matter`,
    ]);
    expect(messages("---\ntitle: [unclosed\n---\nBody")[0]).toMatch(
      /^exercises\/x\/lessons\/01-why\.md:\d+:\d+ \(syntax\)/,
    );
  });

  it("refuses front matter that is not a map, an alias bomb and an oversized file without parsing it all", () => {
    expect(messages("---\n- a list\n---\nBody")[0]).toMatch(/:2:1 \(root\): must be an object, not an array$/);
    const bomb = [
      "a: &a [x,x,x,x,x,x,x,x,x,x]",
      ...Array.from({ length: 12 }, (_, i) => {
        const prev = i === 0 ? "a" : `b${i - 1}`;
        return `b${i}: &b${i} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
      }),
    ].join("\n");
    expect(messages(`---\ntitle: Bomb\n${bomb}\n---\nBody`)[0]).toMatch(/\(syntax\): uses aliases/);
    expect(messages(`---\ntitle: Big\n---\n${"x".repeat(30_000)}`)).toEqual([
      `${FILE}:1:1 (file): is 30019 characters; at most 25000`,
    ]);
    expect(messages(`---\ntitle: Long body\n---\n${"x".repeat(20_001)}`)).toEqual([
      `${FILE}:4:1 (body): is 20001 characters; at most 20000`,
    ]);
  });
});

describe("a course's lessons folder", () => {
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const write = (files: Record<string, string>) => {
    dir = mkdtempSync(join(tmpdir(), "tokenwise-lessons-"));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };

  it("loads every course's lessons in course order, then by file name", () => {
    const root = write({
      "c/course.yaml": "slug: c\n",
      "c/01-a.yaml": "",
      "c/02-b.yaml": "",
      "c/lessons/01-first.md": "---\ntitle: First one\n---\nA",
      "c/lessons/02-after-two.md": "---\ntitle: After two\nafter: 2\n---\nB",
      "c/lessons/03-also-first.md": "---\ntitle: Also first\n---\nC",
      "d/course.yaml": "slug: d\n",
    });
    const { lessons, errors } = loadLessons(root);
    expect(errors).toEqual([]);
    expect(lessons.map((l) => [l.course, l.slug, l.afterPosition])).toEqual([
      ["c", "first", 0],
      ["c", "also-first", 0],
      ["c", "after-two", 2],
    ]);
  });

  it("refuses a misnamed file and a duplicate slug, and keeps a position past the last exercise", () => {
    const root = write({
      "lessons/01-why.md": "---\ntitle: Why it matters\n---\nA",
      "lessons/02-why.md": "---\ntitle: Why again\n---\nB",
      "lessons/Notes.txt": "scratch",
      "lessons/03-late.md": "---\ntitle: Too late\nafter: 3\n---\nC",
      "lessons/.hidden.md": "ignored",
    });
    const { lessons, errors } = loadLessonFolder(join(root, "lessons"), "exercises/c/lessons", "c");
    expect(lessons.map((l) => [l.slug, l.afterPosition])).toEqual([
      ["why", 0],
      ["late", 3],
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      'exercises/c/lessons/02-why.md:1:1 (file): duplicate lesson slug "why", already exercises/c/lessons/01-why.md',
      "exercises/c/lessons/Notes.txt:1:1 (file): a lesson is a Markdown file named <NN>-<slug>.md, e.g. 01-why.md",
    ]);
  });

  it("checks the prices a lesson quotes next to a model id against the catalogue, at their line and column", () => {
    const root = write({
      "lessons/01-prices.md":
        "---\ntitle: Prices\n---\nOn `gpt-4.1-nano` ($0.10 per 1M input) it is cheap.\n\nOn `gpt-4.1-nano` it costs **$0.15 per 1M input tokens**.",
    });
    const nano = {
      id: "gpt-4.1-nano",
      inputMicrosPerM: 100_000,
      cachedInputMicrosPerM: 25_000,
      outputMicrosPerM: 400_000,
      priceAsOf: "2025-04-14",
    };
    expect(loadLessonFolder(join(root, "lessons"), "exercises/c/lessons", "c").errors).toEqual([]);
    const { lessons, errors } = loadLessonFolder(join(root, "lessons"), "exercises/c/lessons", "c", {
      catalogue: [nano],
    });
    expect(lessons).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([
      'exercises/c/lessons/01-prices.md:6:30 (body): "$0.15 per 1M input" is not gpt-4.1-nano\'s input price in the model catalogue (input $0.10, cached input $0.025, output $0.40 per 1M, as of 2025-04-14)',
    ]);
  });
});
