import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

// First-load JavaScript of each App Router page, from the build in .next: the scripts every
// page loads (build-manifest.json `rootMainFiles`: React, the router, the Turbopack runtime)
// plus the page's own entry chunks (`entryJSFiles` of its client reference manifest, which
// lists the chunks of the root and route layouts, error and not-found boundaries and the page).
// Each distinct file is gzipped (zlib level 9) and the sizes summed. Polyfills (served only to
// browsers without ES modules) and chunks loaded later on demand are not counted.
export type RouteJs = { route: string; files: number; bytes: number; gzip: number };

export function firstLoadJs(nextDir: string): RouteJs[] {
  const build = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  const gz = new Map<string, { bytes: number; gzip: number }>();
  const size = (file: string) => {
    let s = gz.get(file);
    if (!s) {
      const data = readFileSync(path.join(nextDir, file));
      s = { bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
      gz.set(file, s);
    }
    return s;
  };
  const results: RouteJs[] = [];
  for (const manifest of findManifests(path.join(nextDir, "server", "app"))) {
    const text = readFileSync(manifest, "utf8");
    const route = /__RSC_MANIFEST\["([^"]+)"\]/.exec(text)?.[1];
    const entries = /"entryJSFiles":(\{[^}]*\})/.exec(text)?.[1];
    if (!route || !entries) continue;
    const files = new Set([
      ...build.rootMainFiles,
      ...Object.values(JSON.parse(entries) as Record<string, string[]>).flat(),
    ]);
    let bytes = 0;
    let gzip = 0;
    for (const f of files) {
      const s = size(f);
      bytes += s.bytes;
      gzip += s.gzip;
    }
    results.push({ route: route.replace(/\/page$/, "") || "/", files: files.size, bytes, gzip });
  }
  return results.sort((a, b) => a.route.localeCompare(b.route));
}

function findManifests(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findManifests(p);
    return e.name === "page_client-reference-manifest.js" ? [p] : [];
  });
}
