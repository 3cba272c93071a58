import { createHash } from "node:crypto";
import type { Db } from "~/.server/db";
import { getSetting, setSetting } from "~/.server/settings";
import { type ReallocateReport, reallocate } from "./allocate";

/**
 * A hash of everything attribution depends on besides the usage itself: the rules, each team's department and
 * each user's team (user rules send usage to the user's team). Upkeep compares it with the one stored when
 * history was last attributed, so a change made on another page (a team moved, a user moved) re-attributes
 * history within a minute.
 */
export function attributionFingerprint(database: Db) {
  const s = database.$client;
  const rows = [
    s
      .prepare(
        "select id, position, field, match, value, target_kind, team_id, department_id, shared_team_ids, split_by from usage_rules order by id",
      )
      .raw()
      .all(),
    s.prepare("select id, department_id from teams order by id").raw().all(),
    s.prepare("select lower(email), team_id from users where team_id is not null order by 1").raw().all(),
  ];
  const value = createHash("sha256").update(JSON.stringify(rows)).digest("base64url");
  return {
    value,
    /** True when history was last attributed (or marked for it) under this value. */
    isStored: () => getSetting(database, "usageAttributionFingerprint") === value,
    /** True (and the new value stored) when it differs from the one stored. */
    changed(): boolean {
      if (getSetting(database, "usageAttributionFingerprint") === value) return false;
      setSetting(database, "usageAttributionFingerprint", value, null);
      return true;
    },
  };
}

/**
 * Attributes all of history at once under the current rules and organisation, and records what it was done under:
 * the reference a background run (usage/reattribution.ts) must equal, and the benchmark's.
 */
export function reattributeAll(database: Db): ReallocateReport {
  const report = reallocate(database, "all");
  attributionFingerprint(database).changed();
  return report;
}
