import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import remixOptions from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { port: 3000 },
  resolve: {
    alias: {
      "~": fileURLToPath(new URL("./app", import.meta.url)),
      "#db": fileURLToPath(new URL("./db", import.meta.url)),
    },
  },
  plugins: [
    !process.env.VITEST &&
      remix({
        ignoredRouteFiles: remixOptions.ignoredRouteFiles,
        serverModuleFormat: remixOptions.serverModuleFormat,
        future: remixOptions.future,
      }),
  ],
  optimizeDeps: {
    include: [
      "monaco-editor",
      "@monaco-editor/react",
      "js-tiktoken/lite",
      "js-tiktoken/ranks/o200k_base",
      "js-tiktoken/ranks/cl100k_base",
    ],
  },
  // The token worker loads one encoding on demand (dynamic import), which needs ES-module workers.
  worker: { format: "es" },
  build: { chunkSizeWarningLimit: 8000 },
});
