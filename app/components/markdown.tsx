import { Fragment, type ReactNode } from "react";

/**
 * A small Markdown renderer that builds React elements instead of HTML strings, so authored
 * content can never inject markup, scripts or event handlers. Supports what briefs use:
 * headings, paragraphs, bullet and numbered lists, fenced code, block quotes, tables,
 * **bold**, *italic*, `code` and [links](https://...) (http, https and mailto only).
 */
export function Markdown({ source }: { source: string }) {
  return <div className="markdown">{renderBlocks(source.replace(/\r\n?/g, "\n"))}</div>;
}

function renderBlocks(text: string): ReactNode[] {
  const lines = text.split("\n");
  const out: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const key = out.length;
    if (line.trim() === "") {
      i++;
    } else if (line.startsWith("```")) {
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith("```"); i++) body.push(lines[i]);
      i++;
      out.push(
        <pre key={key}>
          <code>{body.join("\n")}</code>
        </pre>,
      );
    } else if (/^#{1,4}\s/.test(line)) {
      const level = Math.min(line.match(/^#+/)![0].length + 1, 5);
      const Tag = `h${level}` as "h2";
      out.push(<Tag key={key}>{inline(line.replace(/^#+\s*/, ""))}</Tag>);
      i++;
    } else if (/^\s*([-*]|\d+\.)\s/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      while (i < lines.length && /^\s*([-*]|\d+\.)\s/.test(lines[i])) {
        let item = lines[i].replace(/^\s*([-*]|\d+\.)\s+/, "");
        for (i++; i < lines.length && /^\s{2,}\S/.test(lines[i]) && !/^\s*([-*]|\d+\.)\s/.test(lines[i]); i++)
          item += ` ${lines[i].trim()}`;
        items.push(item);
      }
      const List = ordered ? "ol" : "ul";
      out.push(
        <List key={key}>
          {items.map((it, n) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static content, never reordered
            <li key={n}>{inline(it)}</li>
          ))}
        </List>,
      );
    } else if (line.startsWith(">")) {
      const body: string[] = [];
      for (; i < lines.length && lines[i].startsWith(">"); i++) body.push(lines[i].replace(/^>\s?/, ""));
      out.push(<blockquote key={key}>{renderBlocks(body.join("\n"))}</blockquote>);
    } else if (line.trim().startsWith("|") && lines[i + 1] && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1])) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i].trim().startsWith("|"); i++) rows.push(splitRow(lines[i]));
      const [head, , ...body] = rows;
      out.push(
        <table key={key} className="table">
          <thead>
            <tr>
              {head.map((c, n) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: static content
                <th key={n}>{inline(c)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {body.map((r, rn) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: static content
              <tr key={rn}>
                {r.map((c, n) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: static content
                  <td key={n}>{inline(c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>,
      );
    } else {
      const para: string[] = [];
      for (; i < lines.length && lines[i].trim() !== "" && !/^(#{1,4}\s|```|>|\s*([-*]|\d+\.)\s)/.test(lines[i]); i++)
        para.push(lines[i].trim());
      out.push(<p key={key}>{inline(para.join(" "))}</p>);
    }
  }
  return out;
}

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((c) => c.trim());
}

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/g;

export function inline(text: string): ReactNode {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    const token = m[0];
    const key = parts.length;
    if (m[1]) parts.push(<code key={key}>{token.slice(1, -1)}</code>);
    else if (m[2]) parts.push(<strong key={key}>{inline(token.slice(2, -2))}</strong>);
    else if (m[3]) parts.push(<em key={key}>{inline(token.slice(1, -1))}</em>);
    else {
      const [, label, href] = token.match(/^\[([^\]]+)\]\(([^)\s]+)\)$/)!;
      parts.push(
        isSafeHref(href) ? (
          <a key={key} href={href} rel="noopener noreferrer nofollow" target="_blank">
            {label}
          </a>
        ) : (
          <Fragment key={key}>{label}</Fragment>
        ),
      );
    }
    last = at + token.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function isSafeHref(href: string): boolean {
  return /^(https?:|mailto:)/i.test(href.trim()) || /^\/(?!\/)/.test(href.trim());
}
