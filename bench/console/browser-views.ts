import { launchChromium } from "../../tests/helpers/e2e-browser";
import { cpuMsOf } from "../lib/process-cpu";

// What a browser asks of the console to show a page, beyond the HTML the page timings fetch:
// the page's script may send more (prefetching every link once made about 100 requests per
// list view). Requests that reached the console (not the browser's cache), counted from
// navigation until the network has been idle a while; the console's CPU (its whole process
// group, /proc's 10 ms ticks) averaged over `views` views.
// `besides`: the other paths requested in the views, with how many times (prefetches would show
// here).
export type BrowserView = { requests: number; serverCpuMs: number; besides: string };

const groupCpuMs = (pgid: number) => cpuMsOf(({ fields }) => Number(fields[2]) === pgid);

// "/icon.svg ×6, /console/x ×3, … (12 paths)": the most requested first, three at most.
function summary(paths: string[]): string {
  const counts = new Map<string, number>();
  for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = top.slice(0, 3).map(([p, n]) => `${p} ×${n}`);
  return [...shown, ...(top.length > 3 ? [`… (${top.length} paths)`] : [])].join(", ") || "—";
}

export async function browserViews(o: {
  base: string;
  cookies: { name: string; value: string }[];
  pgid: number;
  pages: [name: string, pathname: string][];
  views: number;
}): Promise<Map<string, BrowserView>> {
  const browser = await launchChromium();
  const results = new Map<string, BrowserView>();
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addCookies(o.cookies.map((c) => ({ ...c, url: o.base })));
    const page = await context.newPage();
    // Chromium's own network events: Playwright reports a request answered from the browser's
    // cache like any other, and those never reach the console.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const origin = new URL(o.base).origin;
    const sent = new Map<string, string>();
    let requested: string[] = [];
    cdp.on("Network.requestWillBeSent", ({ requestId, request }) => {
      const url = new URL(request.url);
      if (url.origin === origin && !url.pathname.startsWith("/_next/static/"))
        sent.set(requestId, url.pathname);
    });
    const fromCache = ({ requestId }: { requestId: string }) => sent.delete(requestId);
    cdp.on("Network.requestServedFromCache", fromCache);
    cdp.on("Network.responseReceived", ({ requestId, response }) => {
      if (response.fromDiskCache || response.fromPrefetchCache) fromCache({ requestId });
    });
    cdp.on("Network.loadingFinished", ({ requestId }) => {
      const pathname = sent.get(requestId);
      if (pathname !== undefined) requested.push(pathname);
      sent.delete(requestId);
    });
    const view = async (pathname: string) => {
      await page.goto(`${o.base}${pathname}`, { waitUntil: "networkidle" });
      // Links prefetch as they come into view, after the network first goes quiet.
      await page.waitForTimeout(500);
      await page.waitForLoadState("networkidle");
    };
    for (const [name, pathname] of o.pages) {
      await view(pathname); // the browser's cache of scripts and styles, as on a second visit
      requested = [];
      const cpu = groupCpuMs(o.pgid);
      for (let i = 0; i < o.views; i++) await view(pathname);
      results.set(name, {
        requests: requested.length / o.views,
        serverCpuMs: (groupCpuMs(o.pgid) - cpu) / o.views,
        besides: summary(requested.filter((p) => p !== new URL(pathname, o.base).pathname)),
      });
    }
  } finally {
    await browser.close();
  }
  return results;
}
