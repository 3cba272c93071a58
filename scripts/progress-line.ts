/**
 * A one-line progress bar for the terminal (rewritten in place with \r), or, when stderr is not a terminal
 * (CI logs), a plain line at every tenth of the way.
 */
export interface Progress {
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
  phase: "checking" | "writing";
}

const WIDTH = 30;
let lastTenth = -1;

export function progressLine(p: Progress, startedMs: number, tty = process.stderr.isTTY === true): string {
  const fraction = p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
  const seconds = Math.max(0.001, (Date.now() - startedMs) / 1000);
  const rate = Math.round(p.rowsRead / seconds).toLocaleString("en-US");
  const text = `${(fraction * 100).toFixed(0).padStart(3)}% ${p.rowsRead.toLocaleString("en-US")} rows, ${rate} rows/s (${p.phase})`;
  if (tty) {
    const filled = Math.round(fraction * WIDTH);
    return `\r[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${text}   `;
  }
  const tenth = Math.floor(fraction * 10);
  if (tenth === lastTenth) return "";
  lastTenth = tenth;
  return `${text}\n`;
}
