import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  unstable_composeUploadHandlers as composeUploadHandlers,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  MaxPartSizeExceededError,
  unstable_parseMultipartFormData as parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import { config } from "~/.server/config";

/**
 * Receives an uploaded usage file straight to disk, streamed and written with backpressure (a multi-gigabyte
 * FOCUS export never sits in memory), into data/imports beside the database. Other form fields are small and
 * read into memory (at most 64 KB each).
 */

export interface Upload {
  path: string;
  /** The name the browser sent, for the format and the import's origin. */
  filename: string;
  size: number;
  form: FormData;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export function uploadDirectory(): string {
  return join(dirname(resolve(config().DATABASE_PATH)), "imports");
}

/** The upload in the request's `file` field; throws UploadError (413, 400) with a message for the page. */
export async function receiveUpload(request: Request, field = "file"): Promise<Upload> {
  const maxBytes = config().USAGE_UPLOAD_MAX_MB * 1024 * 1024;
  const tooLarge = `The file is larger than ${config().USAGE_UPLOAD_MAX_MB} MB (USAGE_UPLOAD_MAX_MB): import it with npm run usage:import on the server.`;
  if (Number(request.headers.get("Content-Length") ?? 0) > maxBytes + 1024 * 1024) throw new UploadError(tooLarge, 413);
  const dir = uploadDirectory();
  mkdirSync(dir, { recursive: true });
  let received: Omit<Upload, "form"> | null = null;
  const toDisk: UploadHandler = async ({ name, filename, data }) => {
    if (name !== field || !filename) return undefined;
    const path = join(dir, `upload-${Date.now()}-${randomBytes(6).toString("hex")}`);
    const out = createWriteStream(path);
    let size = 0;
    try {
      for await (const chunk of data) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new MaxPartSizeExceededError(name, maxBytes);
        if (!out.write(chunk)) await once(out, "drain");
      }
      out.end();
      await once(out, "finish");
    } catch (error) {
      out.destroy();
      rmSync(path, { force: true });
      throw error;
    }
    received = { path, filename, size };
    return path;
  };
  let form: FormData;
  try {
    form = await parseMultipartFormData(
      request,
      composeUploadHandlers(toDisk, createMemoryUploadHandler({ maxPartSize: 64 * 1024 })),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) throw new UploadError(tooLarge, 413);
    throw new UploadError("The upload could not be read: send the form again.", 400);
  }
  const file = received as Omit<Upload, "form"> | null;
  if (!file || file.size === 0) {
    if (file) rmSync(file.path, { force: true });
    throw new UploadError("Choose a file to import.", 400);
  }
  return { ...file, form };
}
