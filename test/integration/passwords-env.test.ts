import { like } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { settings } from "#db/schema";
import { resetConfigForTests } from "~/.server/config";
import { db } from "~/.server/db";
import { passwordPolicy } from "~/.server/sign-in/oidc-settings";
import { action as loginAction } from "~/routes/login";
import { call, makeUser, post, ready } from "./harness";

beforeAll(async () => {
  await ready();
});
afterEach(() => {
  delete process.env.LOCAL_PASSWORDS;
  resetConfigForTests();
});

describe("LOCAL_PASSWORDS=off from the environment", () => {
  it("cannot lock everyone out: with no company sign-in configured, passwords still work", async () => {
    const admin = await makeUser({ roles: ["admin"] });
    // No provider: neither OIDC_* variables (the test environment sets none) nor one saved by an admin.
    db().delete(settings).where(like(settings.key, "sign-in:%")).run();
    process.env.LOCAL_PASSWORDS = "off";
    resetConfigForTests();
    expect(passwordPolicy(db())).toMatchObject({ passwordsOff: false, source: "environment" });
    const res = (await call(loginAction, post("/login", { email: admin.email, password: admin.password }))) as Response;
    expect(res.status).toBe(302);
  });
});
