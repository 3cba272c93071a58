import { describe, expect, it } from "vitest";
import { locateKey, peekIdentity } from "./validate";

describe("peekIdentity", () => {
  it("reads slug, course and title from a draft that does not validate yet", () => {
    expect(peekIdentity("slug: my-draft\ncourse: caching\ntitle: Half done\ndifficulty: lots\n")).toEqual({
      slug: "my-draft",
      course: "caching",
      title: "Half done",
    });
  });

  it("ignores a slug that is not lower-case words joined by hyphens, and text that is not a YAML map", () => {
    expect(peekIdentity("slug: My Draft\ncourse: x").slug).toBeNull();
    expect(peekIdentity("- just\n- a list").slug).toBeNull();
    expect(peekIdentity("slug: [unclosed").slug).toBeNull();
    expect(peekIdentity("").course).toBeNull();
  });
});

describe("locateKey", () => {
  it("finds the line and column of a top-level key, and falls back to the first line", () => {
    const text = "# comment\nslug: a\n\ncourse: b\n";
    expect(locateKey(text, "course")).toEqual({ line: 4, column: 1 });
    expect(locateKey(text, "model")).toEqual({ line: 1, column: 1 });
  });
});
