import { beforeAll, describe, expect, it } from "vitest";
import { LOGIN_LIMITS, recordSignInFailure } from "~/.server/login-throttle";
import { action as loginAction } from "~/routes/login";
import { makeUser, post, ready, unwrap } from "./harness";

beforeAll(ready);

async function signIn(email: string, password: string, clientIp = "203.0.113.7") {
  return unwrap<{ errors?: Record<string, string> }>(
    await loginAction({ request: post("/login", { email, password }), params: {}, context: { clientIp } }).catch(
      (r) => r,
    ),
  );
}

describe("sign-in throttling", () => {
  it("locks an account after its failures, even for the right password, and says how long", async () => {
    const user = await makeUser();
    // Failures counted as the action counts them (each real one costs a password hash); the last through the form.
    for (let i = 0; i < LOGIN_LIMITS.perAccount.failures - 1; i++)
      await recordSignInFailure(user.email, `198.51.100.${i}`);
    expect((await signIn(user.email, "wrong password", "198.51.100.150")).status).toBe(401);
    const locked = await signIn(user.email, user.password, "198.51.100.200");
    expect(locked.status).toBe(429);
    expect(locked.body.errors?.form).toBe("Too many failed sign-ins. Try again in 15 minutes.");
    // The same address may still sign in to another account.
    const other = await makeUser();
    expect((await signIn(other.email, other.password, "198.51.100.0")).status).toBe(302);
  });

  it("locks an address that guesses across many accounts", async () => {
    const ip = "192.0.2.99";
    for (let i = 0; i < LOGIN_LIMITS.perAddress.failures - 1; i++)
      await recordSignInFailure(`nobody${i}@x.example`, ip);
    expect((await signIn("nobody@tokenwise.example", "guess", ip)).status).toBe(401);
    const user = await makeUser();
    const refused = await signIn(user.email, user.password, ip);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.form).toMatch(/^Too many failed sign-ins\. Try again in \d+ minutes?\.$/);
    expect((await signIn(user.email, user.password, "192.0.2.100")).status).toBe(302);
  });

  it("clears an account's count when it signs in", async () => {
    const user = await makeUser();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < LOGIN_LIMITS.perAccount.failures - 1; i++) await recordSignInFailure(user.email, "192.0.2.1");
      expect((await signIn(user.email, user.password, "192.0.2.1")).status).toBe(302);
    }
  });
});
