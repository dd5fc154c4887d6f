import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { prisma } from "@/core/db";
import { actAs } from "../helpers/session-shim";
import { createWorld, type Actor, type World } from "../helpers/fixtures";
import {
  ACCESS_TABLE,
  CALLERS,
  grantedCallers,
  type Caller,
  type Needs,
  type RouteEntry,
} from "./access-table";

const ROOT = path.resolve(__dirname, "../..");
const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

// Everything a caller can reach: each exported server action and each route handler method.
async function discoverEntryPoints(): Promise<string[]> {
  const found: string[] = [];
  for (const file of walk(path.join(ROOT, "app")).filter((f) => /\.(ts|tsx)$/.test(f))) {
    const rel = path.relative(ROOT, file);
    const source = readFileSync(file, "utf8");
    const isRoute = /\/route\.ts$/.test(rel);
    const isActions = /^\s*["']use server["']/.test(source);
    if (!isRoute && !isActions) continue;
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== "function") continue;
      if (isRoute && !HTTP_METHODS.includes(name)) continue;
      found.push(`${rel}#${name}`);
    }
  }
  return found.sort();
}

function actorFor(world: World, caller: Caller): Actor | null {
  return {
    anonymous: null,
    otherCustomer: world.otherCustomerUser,
    customer: world.customerUser,
    support: world.support,
    admin: world.admin,
  }[caller];
}

type Outcome =
  { kind: "allowed" } | { kind: "denied"; code: string } | { kind: "other"; detail: string };

async function callAction(fn: unknown, input: FormData, expectFailure = false): Promise<Outcome> {
  try {
    const result = (await (fn as (s: unknown, f: FormData) => Promise<unknown>)(
      undefined,
      input,
    )) as { ok: boolean; code?: string; message?: string } | undefined;
    if (result?.ok) return { kind: "allowed" };
    if (expectFailure && ["error", "invalid"].includes(result?.code ?? ""))
      return { kind: "allowed" };
    if (result && ["unauthenticated", "forbidden", "not_found"].includes(result.code ?? ""))
      return { kind: "denied", code: result.code! };
    return { kind: "other", detail: JSON.stringify(result) };
  } catch (error) {
    // redirect() after a successful change
    if (String((error as { digest?: string }).digest ?? "").startsWith("NEXT_REDIRECT"))
      return { kind: "allowed" };
    return { kind: "other", detail: String(error) };
  }
}

const auditCount = () => prisma.auditEvent.count();

type Checked = { key: string; needs: Needs; allow: Caller[]; route?: RouteEntry };
const withNeeds = Object.entries(ACCESS_TABLE).flatMap(([key, entry]): Checked[] => {
  if (entry.kind === "action") return [{ key, needs: entry.needs, allow: entry.allow }];
  if (entry.kind !== "route" || !entry.needs) return [];
  const allow = CALLERS.filter((c) => (entry.expectStatusFor?.[c] ?? entry.expectStatus) === 200);
  return [{ key, needs: entry.needs, allow, route: entry }];
});

describe("the permission table and the reviewed expectations agree", () => {
  it("grants every action and route exactly the callers its entry allows", () => {
    const differ = withNeeds
      .map(({ key, needs, allow }) => ({ key, table: grantedCallers(needs), allow }))
      .filter(({ table, allow }) => [...table].sort().join() !== [...allow].sort().join());
    expect(
      differ,
      "lib/auth/policy.ts grants differ from tests/integration/access-table.ts",
    ).toEqual([]);
  });

  it("refuses routes with 401 without a session and 403 without the grant", () => {
    const unchecked = Object.entries(ACCESS_TABLE)
      .filter(([, e]) => e.kind === "route" && e.access === "signed-in" && !e.needs)
      .map(([key]) => key);
    expect(unchecked, "signed-in routes must name the permission they need").toEqual([]);
    for (const { key, needs, route } of withNeeds) {
      if (!route) continue;
      const granted = grantedCallers(needs);
      for (const caller of CALLERS) {
        const status = route.expectStatusFor?.[caller] ?? route.expectStatus;
        const expected = granted.includes(caller) ? 200 : caller === "anonymous" ? 401 : 403;
        expect(status, `${key} · ${caller}`).toBe(expected);
      }
    }
  });

  // Fixed, whatever the table says: these fail even if the table and an entry are loosened together.
  it("never lets anyone in without a session, or a portal user at another customer's objects", () => {
    for (const { key, needs, allow } of withNeeds) {
      if (needs === "public") continue;
      for (const callers of [allow, grantedCallers(needs)]) {
        expect(callers, key).not.toContain("anonymous");
        if (needs.on === "object") expect(callers, key).not.toContain("otherCustomer");
      }
    }
  });

  it("keeps billing, staff management and admin tools away from support, and the portal from staff", () => {
    const notSupport = [
      "billing.read",
      "billing.portal",
      "staff.manage",
      "plans.write",
      "customers.write",
      "servers.write",
      "policies.write",
      "jobs.manage",
    ];
    const portalOnly = ["billing.portal", "service.close", "customers.export"];
    for (const { key, needs, allow } of withNeeds) {
      if (needs === "public") continue;
      for (const callers of [allow, grantedCallers(needs)]) {
        if (notSupport.includes(needs.permission)) expect(callers, key).not.toContain("support");
        const staff = callers.filter((c) => c === "support" || c === "admin");
        if (portalOnly.includes(needs.permission)) expect(staff, key).toEqual([]);
      }
    }
  });
});

describe("role and ownership table", () => {
  it("lists every route handler and exported server action, and nothing that no longer exists", async () => {
    const discovered = await discoverEntryPoints();
    const missing = discovered.filter((k) => !(k in ACCESS_TABLE));
    const stale = Object.keys(ACCESS_TABLE).filter((k) => !discovered.includes(k));
    expect(missing, "entry points missing from tests/integration/access-table.ts").toEqual([]);
    expect(stale, "table entries with no entry point").toEqual([]);
  }, 120_000);

  for (const [key, entry] of Object.entries(ACCESS_TABLE)) {
    const [file, name] = key.split("#");
    const load = async () =>
      ((await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<string, unknown>)[name];

    if (entry.kind === "action") {
      for (const caller of CALLERS) {
        const expected = entry.allow.includes(caller) ? "allowed" : "denied";
        it(`${key} · ${caller} → ${expected}`, async () => {
          const world = await createWorld();
          const actor = actorFor(world, caller);
          actAs(actor);
          const input = await entry.input(world, actor);
          const before = await auditCount();
          const outcome = await callAction(await load(), input, entry.expectFailure);
          expect(outcome.kind, JSON.stringify(outcome)).toBe(expected);
          const after = await auditCount();
          // Every allowed mutation leaves an audit row; a denied call leaves nothing.
          if (expected === "allowed" && entry.audited !== false)
            expect(after).toBeGreaterThan(before);
          else expect(after).toBe(before);
        });
      }
    } else if (entry.kind === "token") {
      for (const caller of CALLERS) {
        it(`${key} · ${caller} → needs a valid one-time token`, async () => {
          const world = await createWorld();
          actAs(actorFor(world, caller));
          const action = await load();
          const before = await auditCount();
          expect((await callAction(action, entry.invalidInput())).kind).toBe("denied");
          expect(await auditCount()).toBe(before);
          const valid = await entry.validInput(world);
          const beforeValid = await auditCount();
          expect((await callAction(action, valid)).kind).toBe("allowed");
          expect(await auditCount()).toBeGreaterThan(beforeValid);
          // Spent: the same token does not work twice.
          expect((await callAction(action, valid)).kind).toBe("denied");
        });
      }
    } else if (entry.kind === "public-request") {
      for (const caller of CALLERS) {
        it(`${key} · ${caller} → same reply for known and unknown`, async () => {
          const world = await createWorld();
          actAs(actorFor(world, caller));
          const action = (await load()) as (s: unknown, f: FormData) => Promise<unknown>;
          const known = await action(undefined, await entry.knownInput(world));
          const unknown = await action(undefined, entry.unknownInput());
          expect(known).toBeTruthy();
          expect(JSON.stringify(known).replace(/"values":\{[^}]*\}/, "")).toBe(
            JSON.stringify(unknown).replace(/"values":\{[^}]*\}/, ""),
          );
        });
      }
    } else if (entry.via === "direct") {
      for (const caller of CALLERS) {
        const status = entry.expectStatusFor?.[caller] ?? entry.expectStatus;
        it(`${key} · ${caller} → ${entry.access} (${status})`, async () => {
          const world = await createWorld();
          actAs(actorFor(world, caller));
          const handler = (await load()) as (req: Request, context?: unknown) => Promise<Response>;
          const response = await handler(entry.request(), entry.context?.());
          expect(response.status).toBe(status);
        });
      }
    }
  }
});
