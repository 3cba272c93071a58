// Opens the database (DATABASE_PATH) as every Tokenwise process does, applying pending migrations; prints how many
// migrations it then holds. Several of these started at once stand for processes starting together after an upgrade.
import { db } from "~/.server/db";

const [{ n }] = db().$client.prepare("select count(*) as n from __drizzle_migrations").all() as { n: number }[];
console.log(JSON.stringify({ migrations: n }));
