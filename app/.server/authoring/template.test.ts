import { describe, expect, it } from "vitest";
import { exerciseTemplate, leftoverTemplateText, TEMPLATE_PLACEHOLDERS } from "./template";

describe("the new-exercise template's placeholder text", () => {
  it("every placeholder is in the template, so the list cannot drift from it", () => {
    const template = exerciseTemplate("course", 1);
    for (const p of TEMPLATE_PLACEHOLDERS) expect(template).toContain(p.text);
    expect(leftoverTemplateText(template)).toHaveLength(TEMPLATE_PLACEHOLDERS.length);
  });

  it("names the line, column and field of each leftover; an edited text has none", () => {
    const text = "slug: my-exercise\ntitle: Real title\nbrief: |\n  Intro.\n\n  - the first requirement;\n";
    expect(leftoverTemplateText(text)).toEqual([
      expect.objectContaining({ line: 6, column: 3, field: "brief", message: expect.stringMatching(/placeholder/) }),
    ]);
    // The slug and title count only as whole values.
    expect(leftoverTemplateText("slug: new-exercise-two\ntitle: A new exercise on caching\n")).toEqual([]);
    expect(leftoverTemplateText("slug: new-exercise # unique\ntitle: A new exercise\n")).toEqual([
      expect.objectContaining({ line: 1, field: "slug" }),
      expect.objectContaining({ line: 2, field: "title" }),
    ]);
  });
});
