import type { ReactElement } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

/**
 * Authored Markdown (briefs, lessons) rendered by react-markdown + remark-gfm as React elements: raw HTML is
 * dropped, links keep only http, https, mailto and same-site paths, images are not loaded. Nesting deeper than
 * MAX_DEPTH (8,000 ">" in a lesson overflowed the old hand-written renderer's stack) is flattened to its text
 * before rendering, by a walk that keeps its own stack, so any text renders in bounded depth.
 */

const MAX_DEPTH = 24;
/** Container markers (">", "- ", "1. ") kept at the start of a line: the parser's own passes recurse per level. */
const MAX_LINE_CONTAINERS = 16;
const CONTAINER = /[ \t]{0,3}(?:>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)/y;

/**
 * The text with container nesting bounded before it is parsed: at most MAX_LINE_CONTAINERS markers open a line
 * and indentation is cut to what that many levels need. remark-gfm's transforms recurse once per level, so 8,000
 * nested quotes must never reach them.
 */
export function boundNesting(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const rest = line.replace(/^[ \t]{65,}/, (ws) => ws.slice(0, 64));
      let prefix = "";
      let at = 0;
      let kept = 0;
      CONTAINER.lastIndex = 0;
      for (let m = CONTAINER.exec(rest); m && m[0].length > 0; m = CONTAINER.exec(rest)) {
        if (kept < MAX_LINE_CONTAINERS) prefix += m[0];
        kept += 1;
        at = CONTAINER.lastIndex;
      }
      return prefix + rest.slice(at);
    })
    .join("\n");
}
export const MAX_MARKDOWN_CHARS = 200_000;

const SAFE_PROTOCOLS = /^(?:https?|mailto):/i;

export function safeUrl(url: string): string {
  const trimmed = url.trim();
  if (SAFE_PROTOCOLS.test(trimmed)) return trimmed;
  // Same-site paths and fragments; a scheme (javascript:, data:, vbscript:…) or a protocol-relative URL is dropped.
  if (/^[/#?]/.test(trimmed) && !trimmed.startsWith("//") && !trimmed.startsWith("/\\")) return trimmed;
  return "";
}

/** The part of an mdast node this reads (react-markdown's own mdast types are a major ahead of Remix's). */
interface MdNode {
  type: string;
  value?: string;
  depth?: number;
  children?: MdNode[];
}

function textOf(node: MdNode): string {
  let out = "";
  const stack: MdNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (typeof n.value === "string") out += `${n.value} `;
    if (n.children) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out.replace(/\s+/g, " ").trim();
}

/** A remark plugin: nodes below MAX_DEPTH become one paragraph of their text. */
function flattenDeepNesting() {
  return (tree: MdNode) => {
    const stack: { node: MdNode; depth: number }[] = [{ node: tree, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      node.children = node.children?.map((child) => {
        if (!child.children) return child;
        if (depth + 1 < MAX_DEPTH) {
          stack.push({ node: child, depth: depth + 1 });
          return child;
        }
        return { type: "paragraph", children: [{ type: "text", value: textOf(child) }] };
      });
    }
  };
}

/**
 * A remark plugin: authored headings fitted into the page's outline. The source's topmost heading becomes `top` (the
 * level below the page's own heading) and no heading goes more than one level deeper than the one before it, so a
 * brief that starts at "###", or jumps from "#" to "###", never skips a level for a screen reader (axe
 * heading-order). Relative depth is kept otherwise; h6 is the floor.
 */
function outlineHeadings(options: { top: number }) {
  return (tree: MdNode) => {
    const headings: MdNode[] = [];
    const stack: MdNode[] = [tree];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === "heading") headings.push(n);
      else if (n.children) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    }
    if (headings.length === 0) return;
    const shallowest = Math.min(...headings.map((h) => h.depth ?? 1));
    let previous = options.top - 1;
    for (const h of headings) {
      const wanted = options.top + (h.depth ?? 1) - shallowest;
      h.depth = Math.min(6, wanted, previous + 1);
      previous = h.depth;
    }
  };
}

const components: Components = {
  a: ({ href, children }) =>
    href && /^https?:/i.test(href) ? (
      <a href={href} rel="noopener noreferrer nofollow" target="_blank">
        {children}
      </a>
    ) : (
      <a href={href}>{children}</a>
    ),
};

/**
 * Rendered Markdown by source text. Parsing is the costly part of a page's render (an exercise brief took ~9 ms of
 * the server's event loop per page view under load), and the sources are authored content that changes rarely, so
 * the element tree (React elements are immutable and reusable) is kept; the cache holds a bounded number of texts
 * of bounded size and forgets the oldest first.
 */
const rendered = new Map<string, ReactElement>();
export const MARKDOWN_CACHE = { entries: 256, maxChars: 50_000 };

export function renderMarkdown(source: string, headingLevel = 2): ReactElement {
  const text = source.length > MAX_MARKDOWN_CHARS ? source.slice(0, MAX_MARKDOWN_CHARS) : source;
  const key = `${headingLevel}\n${text}`;
  const cached = rendered.get(key);
  if (cached) return cached;
  // react-markdown's Markdown is synchronous and uses no hooks: called as a function it returns its element tree.
  const element = ReactMarkdown({
    remarkPlugins: [remarkGfm, flattenDeepNesting, [outlineHeadings, { top: headingLevel }]],
    skipHtml: true,
    disallowedElements: ["img"],
    unwrapDisallowed: true,
    urlTransform: safeUrl,
    components,
    children: boundNesting(text),
  });
  if (text.length <= MARKDOWN_CACHE.maxChars) {
    if (rendered.size >= MARKDOWN_CACHE.entries) rendered.delete(rendered.keys().next().value!);
    rendered.set(key, element);
  }
  return element;
}

export function markdownCacheSize(): number {
  return rendered.size;
}

/** `headingLevel`: the level authored headings start at, one below the heading the text sits under (default 2). */
export function Markdown({ source, headingLevel = 2 }: { source: string; headingLevel?: number }) {
  return <div className="markdown">{renderMarkdown(source, headingLevel)}</div>;
}
