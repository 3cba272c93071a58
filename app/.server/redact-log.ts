/**
 * Log lines with secrets taken out: the access log (server/index.ts) has every request's URL, errors may quote one,
 * a set-password link carries its one-time token in the query string (`/set-password?token=…`) and the company sign-in callback its code and state. Anything named like a token, key or password in a
 * query string is replaced, so a log file never holds a working link.
 */
const SECRET_PARAM = /([?&](?:token|key|api_key|password|secret|code|state)=)[^&\s"]+/gi;

export function redactLine(line: string): string {
  return line.replace(SECRET_PARAM, "$1[redacted]");
}

/** A stream transformer for a child's output: whole lines are redacted, a partial line waits for its end. */
export function lineRedactor(write: (text: string) => void): { push: (chunk: string) => void; end: () => void } {
  let pending = "";
  return {
    push(chunk) {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      if (lines.length > 0) write(`${lines.map(redactLine).join("\n")}\n`);
    },
    end() {
      if (pending) write(redactLine(pending));
      pending = "";
    },
  };
}
