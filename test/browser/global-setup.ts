import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { startApp } from "../support/app-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync("build/server/index.js")) throw new Error("Build the app first: npm run build");
  if (!existsSync("/usr/bin/chromium")) throw new Error("Chromium is missing: apt-get install -y chromium");
  const app = await startApp();
  project.provide("baseURL", app.baseURL);
  return app.stop;
}
