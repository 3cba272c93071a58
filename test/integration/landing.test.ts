import { describe, expect, it } from "vitest";
import { loader as homeLoader } from "~/routes/_index";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { call, get, makeUser, post } from "./harness";

describe("each role lands where it works", () => {
  it("signs in to '/', which sends each role on to its own page", async () => {
    for (const [roles, home] of [
      [["learner"], "/learning"],
      [["manager"], "/manager/assignments"],
      [["instructor"], "/author"],
      [["admin"], "/admin"],
      [["learner", "manager"], "/manager/assignments"],
    ] as const) {
      const user = await makeUser({ roles: [...roles] });
      const signIn = (await call(
        loginAction,
        post("/login", { email: user.email, password: user.password }),
      )) as Response;
      expect(signIn.headers.get("Location")).toBe("/");
      const landing = (await call(homeLoader, get("/", user.cookie))) as Response;
      expect([roles.join("+"), landing.headers.get("Location")]).toEqual([roles.join("+"), home]);
      // The sign-in page itself sends a signed-in person home too.
      const again = (await call(loginLoader, get("/login", user.cookie))) as Response;
      expect(again.headers.get("Location")).toBe("/");
    }
  });

  it("keeps a safe redirectTo over the role's home, and refuses another site", async () => {
    const user = await makeUser({ roles: ["manager"] });
    const form = { email: user.email, password: user.password };
    const kept = (await call(loginAction, post("/login", { ...form, redirectTo: "/leaderboard" }))) as Response;
    expect(kept.headers.get("Location")).toBe("/leaderboard");
    const refused = (await call(
      loginAction,
      post("/login", { ...form, redirectTo: "https://evil.example/" }),
    )) as Response;
    expect(refused.headers.get("Location")).toBe("/");
  });

  it("sends a signed-out visitor from '/' to the sign-in page", async () => {
    const res = (await call(homeLoader, get("/"))) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });
});
