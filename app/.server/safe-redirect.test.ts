import { describe, expect, it } from "vitest";
import { safeRedirect } from "./auth";

describe("safeRedirect", () => {
  it("keeps paths on this site, with their query and fragment", () => {
    expect(safeRedirect("/exercises/x?tab=1#top", "/courses")).toBe("/exercises/x?tab=1#top");
    expect(safeRedirect("/admin/users/12", "/courses")).toBe("/admin/users/12");
  });

  it("refuses every way off the site, and control characters, with the fallback", () => {
    for (const hostile of [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example", // what "/%09/evil.example" in the login URL decodes to
      "/\n/evil.example",
      "/\r\nSet-Cookie: x=1",
      "/\u0000",
      "https://evil.example/",
      "evil.example",
      "javascript:alert(1)",
      "",
      "/".repeat(3_000),
    ])
      expect(safeRedirect(hostile, "/courses")).toBe("/courses");
    expect(safeRedirect(undefined, "/courses")).toBe("/courses");
    expect(safeRedirect(null)).toBe("/");
  });

  it("keeps a percent-encoded tab encoded, so it stays a path here", () => {
    expect(safeRedirect("/%09/evil.example", "/courses")).toBe("/%09/evil.example");
  });
});
