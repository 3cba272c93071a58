import { existsSync, readdirSync, readFileSync } from "node:fs";

import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetConfigForTests } from "~/.server/config";
import { db } from "~/.server/db";
import { importsSettled } from "~/.server/usage/import-jobs";
import { markInterrupted } from "~/.server/usage/import-run";
import { uploadDirectory } from "~/.server/usage/upload";
import { loader as usagePage } from "~/routes/admin.usage._index";
import { loader as importStatus } from "~/routes/admin.usage.imports.$importId[.]json";
import { action as upload } from "~/routes/admin.usage.upload";
import { call, get, makeUser, unwrap } from "./harness";

const FOCUS = readFileSync("test/fixtures/usage/focus-1.2.csv");

function uploadRequest(
  cookie: string,
  fields: { file?: { name: string; body: Buffer | string }; source?: string; policy?: string },
  json = true,
) {
  const form = new FormData();
  if (fields.source !== undefined) form.set("source", fields.source);
  if (fields.policy !== undefined) form.set("policy", fields.policy);
  if (fields.file)
    form.set(
      "file",
      new Blob([typeof fields.file.body === "string" ? fields.file.body : new Uint8Array(fields.file.body)]),
      fields.file.name,
    );
  return new Request("http://localhost/admin/usage/upload", {
    method: "POST",
    body: form,
    headers: { Cookie: cookie, ...(json ? { Accept: "application/json" } : {}) },
  });
}

let admin: Awaited<ReturnType<typeof makeUser>>;
let learner: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  admin = await makeUser({ roles: ["admin"] });
  learner = await makeUser();
});
afterEach(async () => {
  await importsSettled();
  delete process.env.USAGE_UPLOAD_MAX_MB;
  resetConfigForTests();
});

describe("the admin's usage import", () => {
  it("stores the upload, imports it in the background, reports progress as JSON and deletes the file", async () => {
    const res = (await call(
      upload,
      uploadRequest(admin.cookie, { file: { name: "aws-focus.csv", body: FOCUS }, source: "focus", policy: "keep" }),
    )) as Response;
    expect(res.status).toBe(200);
    const { importId } = (await res.json()) as { importId: number };
    await importsSettled();
    const status = (await call(importStatus, get(`/admin/usage/imports/${importId}.json`, admin.cookie), {
      importId: String(importId),
    })) as Response;
    expect(await status.json()).toMatchObject({
      id: importId,
      source: "focus",
      origin: "aws-focus.csv",
      status: "done",
      rowsAdded: 9,
      rowsSkipped: 1,
      bytesRead: FOCUS.length,
      bytesTotal: FOCUS.length,
    });
    expect(existsSync(uploadDirectory()) ? readdirSync(uploadDirectory()) : []).toEqual([]);

    const page = unwrap<{ imports: { id: number; status: string }[]; selected: { id: number } | null }>(
      await call(usagePage, get(`/admin/usage?import=${importId}`, admin.cookie)),
    );
    expect(page.body.selected?.id).toBe(importId);
    expect(page.body.imports[0]).toMatchObject({ id: importId, status: "done" });
  });

  it("sends a browser without JavaScript to the import's page", async () => {
    const res = (await call(
      upload,
      uploadRequest(admin.cookie, { file: { name: "f.csv", body: FOCUS }, source: "focus", policy: "refuse" }, false),
    )) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/admin\/usage\?import=\d+$/);
  });

  it("refuses a missing file, an unknown source or policy, and an oversized file, deleting what it stored", async () => {
    const problems = [
      [{ source: "focus", policy: "keep" }, 400, /Choose a file/],
      [{ file: { name: "f.csv", body: FOCUS }, source: "excel", policy: "keep" }, 400, /what kind of file/],
      [{ file: { name: "f.csv", body: FOCUS }, source: "focus", policy: "maybe" }, 400, /bad rows/],
      [{ file: { name: "f.csv", body: "" }, source: "focus", policy: "keep" }, 400, /Choose a file/],
    ] as const;
    for (const [fields, status, message] of problems) {
      const res = (await call(upload, uploadRequest(admin.cookie, fields))) as Response;
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    }
    process.env.USAGE_UPLOAD_MAX_MB = "1";
    resetConfigForTests();
    const big = Buffer.alloc(1024 * 1024 + 10, "a");
    const res = (await call(
      upload,
      uploadRequest(admin.cookie, { file: { name: "big.csv", body: big }, source: "focus", policy: "keep" }),
    )) as Response;
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/larger than 1 MB \(USAGE_UPLOAD_MAX_MB\)/);
    expect(readdirSync(uploadDirectory())).toEqual([]);
  });

  it("lets only admins upload or read an import", async () => {
    const res = (await call(
      upload,
      uploadRequest(learner.cookie, { file: { name: "f.csv", body: FOCUS }, source: "focus", policy: "keep" }),
    )) as Response;
    expect(res.status).toBe(403);
    const anonymous = (await call(upload, uploadRequest("", { source: "focus" }))) as Response;
    expect(anonymous.status).toBe(302);
    const missing = (await call(importStatus, get("/admin/usage/imports/999999.json", admin.cookie), {
      importId: "999999",
    })) as Response;
    expect(missing.status).toBe(404);
    const garbage = (await call(importStatus, get("/admin/usage/imports/x.json", admin.cookie), {
      importId: "x",
    })) as Response;
    expect(garbage.status).toBe(400);
  });

  it("marks an import whose process died as interrupted once it stops beating", async () => {
    const now = new Date();
    const { id } = db()
      .$client.prepare(
        "insert into usage_imports (source, origin, policy, started_at, beat_at) values ('focus', 'x.csv', 'keep', ?, ?) returning id",
      )
      .get(now.getTime() - 3_600_000, now.getTime() - 3_600_000) as { id: number };
    expect(markInterrupted(db(), now)).toBeGreaterThanOrEqual(1);
    const status = (await call(importStatus, get(`/admin/usage/imports/${id}.json`, admin.cookie), {
      importId: String(id),
    })) as Response;
    expect(await status.json()).toMatchObject({ status: "failed", message: expect.stringMatching(/^Interrupted/) });
  });
});
