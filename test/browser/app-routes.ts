import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { matchRoutes } from "@remix-run/react";

/** One route of the built app, as its client manifest describes it. */
export interface AppRoute {
  id: string;
  /** The full URL pattern, e.g. `/exercises/:slug`. */
  pattern: string;
  /** False for resource routes (CSV, JSON, event streams, redirects): Vite leaves their client module empty. */
  isPage: boolean;
  /** True when the pattern has no `:param` or `*`: it can be visited without knowing an id. */
  isStatic: boolean;
}

interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  module: string;
}

type RouteNode = Parameters<typeof matchRoutes>[0][number];

const CLIENT = "build/client";

/**
 * The routes of the built app, read from the manifest Remix writes for the browser, so a page another developer
 * adds is walked without anyone editing a list.
 */
export function readAppRoutes(): { routes: AppRoute[]; match: (pathname: string) => string | null } {
  const assets = join(CLIENT, "assets");
  const file = readdirSync(assets).find((f) => /^manifest-[\w-]+\.js$/.test(f));
  if (!file) throw new Error(`no Remix manifest in ${assets}: build the app first`);
  const source = readFileSync(join(assets, file), "utf8");
  const json = source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1);
  const manifest = JSON.parse(json) as { routes: Record<string, ManifestRoute> };
  const all = Object.values(manifest.routes);

  const fullPattern = (route: ManifestRoute): string => {
    const parts: string[] = [];
    for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) {
      if (r.path) parts.unshift(r.path);
    }
    return `/${parts.join("/")}`.replace(/\/+/g, "/");
  };
  const moduleBytes = (route: ManifestRoute) => {
    const path = join(CLIENT, route.module);
    return existsSync(path) ? statSync(path).size : 0;
  };
  const routes = all
    .filter((r) => r.id !== "root")
    .map((r) => {
      const pattern = fullPattern(r);
      return { id: r.id, pattern, isPage: moduleBytes(r) > 16, isStatic: !/[:*]/.test(pattern) };
    });

  const toNode = (r: ManifestRoute): RouteNode => {
    if (r.index) return { id: r.id, path: r.path, index: true };
    const children = all.filter((c) => c.parentId === r.id).map(toNode);
    return { id: r.id, path: r.path, children: children.length ? children : undefined };
  };
  const roots = all.filter((r) => !r.parentId).map(toNode);
  const match = (pathname: string) => {
    const matches = matchRoutes(roots, pathname);
    return matches?.length ? (matches[matches.length - 1].route.id ?? null) : null;
  };
  return { routes, match };
}
