import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MARKDOWN_CACHE, Markdown, markdownCacheSize, renderMarkdown, safeUrl } from "./markdown";

const html = (source: string) => renderToString(<Markdown source={source} />);

describe("Markdown (react-markdown + remark-gfm)", () => {
  it("renders what briefs use: headings a level down, lists, code, tables, emphasis, links", () => {
    const out = html(
      "# Goal\n\nWrite **less**, *better*.\n\n- one\n- two\n\n1. a\n2. b\n\n```\ncode <b>\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n[docs](https://example.com) and `x`",
    );
    expect(out).toContain("<h2>Goal</h2>");
    expect(out).toContain("<strong>less</strong>");
    expect(out).toContain("<li>two</li>");
    expect(out).toContain("<code>code &lt;b&gt;\n</code>");
    expect(out).toContain("<td>2</td>");
    expect(out).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow" target="_blank">docs</a>');
  });

  it("fits authored headings into the page's outline: the topmost at the given level, never skipping one", () => {
    const levels = (source: string, headingLevel?: number) =>
      [...renderToString(<Markdown source={source} headingLevel={headingLevel} />).matchAll(/<h(\d)>/g)].map((m) =>
        Number(m[1]),
      );
    // A brief that starts at "###" under the page's h1.
    expect(levels("### Why this costs money\n\ntext\n\n#### Worked figures")).toEqual([2, 3]);
    // Jumps inside the text are closed up; going back up is kept.
    expect(levels("# A\n\n### B\n\n###### C\n\n## D\n\n# E")).toEqual([2, 3, 4, 3, 2]);
    // Under a lesson's own h2.
    expect(levels("#### Compressing context\n\n##### More", 3)).toEqual([3, 4]);
    // Deep outlines stop at h6; a heading inside a quote or list counts in document order.
    expect(levels("# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6", 3)).toEqual([3, 4, 5, 6, 6, 6]);
    expect(levels("> ### quoted\n\n- #### listed\n\n## after")).toEqual([2, 3, 2]);
    expect(levels("no headings at all")).toEqual([]);
  });

  it("drops raw HTML, script URLs and images", () => {
    const out = html(
      '<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) [y](data:text/html,hi) [z](//evil.example) ![i](https://evil.example/p.png) <a href="javascript:1">h</a>',
    );
    expect(out).not.toMatch(/<script|onerror|javascript:|data:text|evil\.example|<img/);
  });

  it("renders 8,000 nested quotes (which overflowed the old renderer) quickly, flattened below a depth", () => {
    for (const source of [
      ">".repeat(8_000),
      `${"> ".repeat(8_000)}deep`,
      "- ".repeat(5_000),
      "*".repeat(20_000),
      ">".repeat(200_000),
      Array.from({ length: 3_000 }, (_, i) => `${" ".repeat(2 * i)}- item`).join("\n"),
    ]) {
      const started = performance.now();
      const out = html(source);
      // A guard against a blow-up (the old renderer overflowed its stack; a quadratic one takes minutes), not a speed
      // target: the suite runs on machines shared with other work, where 2 s failed at a load of 20.
      expect(performance.now() - started).toBeLessThan(10_000);
      expect((out.match(/<blockquote>/g) ?? []).length).toBeLessThanOrEqual(24);
    }
    expect(html(`${"> ".repeat(8_000)}deep`)).toContain("deep");
  });

  it("allows only http, https, mailto and same-site links", () => {
    expect(safeUrl("https://a.example/x")).toBe("https://a.example/x");
    expect(safeUrl("mailto:x@y.z")).toBe("mailto:x@y.z");
    expect(safeUrl("/courses#a")).toBe("/courses#a");
    for (const bad of ["javascript:alert(1)", " JAVASCRIPT:x", "vbscript:x", "data:text/html,x", "//evil", "/\\evil"])
      expect(safeUrl(bad)).toBe("");
  });

  it("parses a source once and renders the kept tree the same; the cache stays bounded and skips huge texts", () => {
    const source = "# Kept\n\nA brief with **bold**, a [link](/courses) and\n\n| a |\n| - |\n| 1 |";
    const first = html(source);
    expect(renderMarkdown(source)).toBe(renderMarkdown(source));
    expect(html(source)).toBe(first);
    for (let i = 0; i < MARKDOWN_CACHE.entries + 50; i++) renderMarkdown(`brief ${i}`);
    expect(markdownCacheSize()).toBe(MARKDOWN_CACHE.entries);
    const huge = "word ".repeat(MARKDOWN_CACHE.maxChars);
    expect(renderMarkdown(huge)).not.toBe(renderMarkdown(huge));
  });
});
