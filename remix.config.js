// Remix options. The Vite plugin does not read this file by itself: vite.config.ts imports it
// and passes the keys it supports to `remix()` by name.
/** @type {{ ignoredRouteFiles: string[], serverModuleFormat: "esm", future: Record<string, boolean> }} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
