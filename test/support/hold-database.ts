// A process that opens the database the way the app does (db(), which holds its lock) and keeps it open until it is
// killed or its stdin closes: a stand-in for "the app is running" where the built app is not needed.
import { db } from "~/.server/db";

db();
console.log(`holding ${process.pid}`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0));
