import { afterAll, describe, expect, it } from "vitest";
import { settings, users } from "#db/schema";
import { openDb } from "./db";
import { getSetting, getSettings, SETTING_DEFAULTS, setSetting } from "./settings";

const database = openDb(":memory:");
afterAll(() => database.$client.close());
const adminId = database
  .insert(users)
  .values({ email: "admin@example.com", name: "Admin", passwordHash: "x" })
  .returning({ id: users.id })
  .get().id;

describe("organisation settings", () => {
  it("reads the default when the key was never set", () => {
    expect(getSetting(database, "privacyMode")).toBe(false);
    expect(getSettings(database)).toEqual(SETTING_DEFAULTS);
  });

  it("stores a value with who changed it, and replaces it on a second write", () => {
    setSetting(database, "privacyMode", true, adminId);
    expect(getSetting(database, "privacyMode")).toBe(true);
    setSetting(database, "privacyMode", false, adminId);
    expect(getSetting(database, "privacyMode")).toBe(false);
    const rows = database.select().from(settings).all();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ key: "privacyMode", value: false, updatedBy: adminId });
  });

  it("refuses a value of the wrong type", () => {
    expect(() => setSetting(database, "privacyMode", "yes" as unknown as boolean, adminId)).toThrow();
  });

  it("falls back to the default when the stored value no longer fits the schema", () => {
    database.update(settings).set({ value: "on" }).run();
    expect(getSetting(database, "privacyMode")).toBe(false);
  });
});
