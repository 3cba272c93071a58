import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { gradingHandler } from "../fakes/grading";
import { createFakeOpenAIServer } from "../fakes/openai-server";
import { prepareTemplateDatabase, startApp } from "../support/app-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    /** The same app configured with a (fake) OpenAI-compatible provider: live grading. */
    liveBaseURL: string;
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync("build/server/index.js")) throw new Error("Build the app first: npm run build");
  if (!existsSync("/usr/bin/chromium")) throw new Error("Chromium is missing: apt-get install -y chromium");
  // The provider answers after 400 ms, so each grading step is visible on the page as it happens.
  // One seeded demo database for the run: these two apps and every test file's own app start from copies of it (the
  // test workers inherit the environment variable that names it).
  const removeTemplate = prepareTemplateDatabase();
  const provider = createFakeOpenAIServer({ handler: gradingHandler({ score: 9 }), delayMs: 400 });
  await provider.start();
  // Every browser test signs in as the same demo learner on these two servers, so together they submit faster than
  // one person may (SUBMIT_LIMIT_PER_MINUTE); the limit itself is tested in test/integration/fair-share.test.ts.
  const limit = { SUBMIT_LIMIT_PER_MINUTE: "600" };
  const [app, live] = await Promise.all([
    startApp(limit),
    startApp({ ...limit, LLM_PROVIDER: "openai-compatible", LLM_BASE_URL: provider.url, LLM_CONCURRENCY: "2" }),
  ]);
  project.provide("baseURL", app.baseURL);
  project.provide("liveBaseURL", live.baseURL);
  return async () => {
    await Promise.all([app.stop(), live.stop(), provider.close()]);
    removeTemplate();
  };
}
