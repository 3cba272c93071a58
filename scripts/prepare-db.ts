// Applies migrations, syncs exercises and seeds the demo organisation (see app/.server/bootstrap.ts).
import { prepareDatabase } from "~/.server/bootstrap";
import { ConfigError } from "~/.server/config";
import { ContentError } from "~/.server/content";
import { LockBusyError } from "~/.server/db-lock";

try {
  await prepareDatabase();
} catch (err) {
  if (err instanceof ConfigError || err instanceof ContentError || err instanceof LockBusyError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
