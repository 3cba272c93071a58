import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { XapiStatement } from "~/.server/xapi";

/** A learning record store stand-in on loopback: records each POST of statements; can be told to refuse. */
export interface FakeLrs {
  /** The statements endpoint, as XAPI_LRS_URL would name it. */
  url: string;
  /** Every accepted POST, in order. */
  received: { headers: IncomingHttpHeaders; body: XapiStatement[] }[];
  /** Answers the next `n` POSTs with HTTP 503 and this body. */
  failNext(n: number, body?: string): void;
  close(): Promise<void>;
}

export async function startFakeLrs(): Promise<FakeLrs> {
  const received: FakeLrs["received"] = [];
  let failures = 0;
  let failBody = "LRS is down";
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      if (failures > 0) {
        failures--;
        res.writeHead(503, { "Content-Type": "text/plain" }).end(failBody);
        return;
      }
      const body = JSON.parse(raw) as XapiStatement[];
      received.push({ headers: req.headers, body });
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body.map((s) => s.id)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/xapi/statements`,
    received,
    failNext(n, body = "LRS is down") {
      failures = n;
      failBody = body;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
