import type { IncomingMessage } from "node:http";

/**
 * Request bodies read with a size limit enforced while the bytes arrive, before any route (or authentication) sees
 * them: a declared Content-Length over the limit is refused without reading, and a chunked body is cut off at the
 * limit, so no request can make the server buffer more than `limit` bytes.
 */

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request is larger than ${formatBytes(limit)}; send less (for example, a smaller file).`);
    this.name = "BodyTooLarge";
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** The whole body, or a BodyTooLarge rejection as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/**
 * Production usage files (FOCUS exports run to gigabytes) are not read here: their body is passed to the route as a
 * stream, cut off at `limit` bytes as it arrives, and the route writes it to disk as it reads it.
 */
const STREAMED_PATHS = [/^\/admin\/usage\/upload$/];

export function isStreamedUpload(pathname: string): boolean {
  return STREAMED_PATHS.some((re) => re.test(pathname));
}

/** The body as a web stream that fails with BodyTooLarge as soon as it passes `limit` bytes. */
export function limitedStream(req: IncomingMessage, limit: number): ReadableStream<Uint8Array> {
  let size = 0;
  const iterator = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) return controller.close();
      size += (value as Buffer).length;
      if (size > limit) {
        req.resume();
        return controller.error(new BodyTooLarge(limit));
      }
      controller.enqueue(new Uint8Array(value as Buffer));
    },
    cancel() {
      req.resume();
    },
  });
}

/** Paths that take uploads (a CSV of users, an exercise file) get the larger import limit. */
const IMPORT_PATHS = [/^\/admin\/users\/import(?:\.data)?$/, /^\/author\/import(?:\.data)?$/];

export function bodyLimitFor(pathname: string, limits: { body: number; imports: number }): number {
  return IMPORT_PATHS.some((re) => re.test(pathname)) ? limits.imports : limits.body;
}
