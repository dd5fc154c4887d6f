import { afterEach, beforeAll, describe, expect, it } from "vitest";
import path from "node:path";
import { prisma } from "@/core/db";
import { guardRoute } from "@/lib/auth/route-guard";
import { actAs } from "../helpers/session-shim";
import { createUser, createWorld, type Actor, type World } from "../helpers/fixtures";
import { ACCESS_TABLE, type ActionEntry } from "../integration/access-table";

// 15.1: with "two-factor required for staff" on, a staff sign-in without TOTP may only enrol.
// The attack: such a user calls every staff action of the console directly (no page, no
// banner), through the real define-action wrapper and the real session lookup.
const ROOT = path.resolve(__dirname, "../..");
// The only actions that stay open: enrolling the second factor itself.
const ENROLMENT = new Set([
  "app/_components/security/actions.ts#startTwoFactorAction",
  "app/_components/security/actions.ts#confirmTwoFactorAction",
]);
const staffActions = Object.entries(ACCESS_TABLE).filter(
  (e): e is [string, ActionEntry] =>
    e[1].kind === "action" &&
    e[1].needs !== "public" &&
    (e[1].allow.includes("admin") || e[1].allow.includes("support")),
);

type Result = { ok: boolean; code?: string; message?: string } | undefined;
async function call(key: string, input: FormData): Promise<Result> {
  const [file, name] = key.split("#");
  const mod = (await import(/* @vite-ignore */ path.join(ROOT, file))) as Record<
    string,
    (s: unknown, f: FormData) => Promise<Result>
  >;
  try {
    return await mod[name](undefined, input);
  } catch (error) {
    // redirect() after a successful change
    if (String((error as { digest?: string }).digest ?? "").startsWith("NEXT_REDIRECT"))
      return { ok: true };
    throw error;
  }
}

const setRequired = (on: boolean) =>
  prisma.installSettings.upsert({
    where: { id: 1 },
    create: { id: 1, requireStaffTwoFactor: on },
    update: { requireStaffTwoFactor: on },
  });
const isEnrolled = async (a: Actor) =>
  Boolean((await prisma.user.findUniqueOrThrow({ where: { id: a.id } })).totpEnabledAt);

let w: World;
beforeAll(async () => {
  w = await createWorld();
});
afterEach(async () => {
  actAs(null);
  await setRequired(false);
});

describe("11.15.1 staff two-factor is enforced when required", () => {
  it(`every staff action (${staffActions.length}) refuses an unenrolled admin; only enrolment stays open`, async () => {
    await setRequired(true);
    const letThrough: string[] = [];
    let checked = 0;
    for (const [key, entry] of staffActions) {
      const admin = await createUser("ADMIN");
      const input = await entry.input(w, admin);
      if (await isEnrolled(admin)) continue; // the input itself enrols (recovery codes)
      actAs(admin);
      const result = await call(key, input);
      checked++;
      if (ENROLMENT.has(key)) {
        expect(result?.ok, `${key}: ${JSON.stringify(result)}`).toBe(true);
        continue;
      }
      const refused = result?.ok === false && result.code === "forbidden";
      if (!refused || !/two-factor/i.test(result?.message ?? ""))
        letThrough.push(`${key}: ${JSON.stringify(result)}`);
    }
    expect(checked).toBeGreaterThan(30);
    expect(letThrough).toEqual([]);
  });

  it("an unenrolled support member is refused too, and so is a staff route", async () => {
    await setRequired(true);
    const letThrough: string[] = [];
    for (const [key, entry] of staffActions) {
      if (!entry.allow.includes("support") || ENROLMENT.has(key)) continue;
      const support = await createUser("SUPPORT");
      const input = await entry.input(w, support);
      if (await isEnrolled(support)) continue;
      actAs(support);
      const result = await call(key, input);
      if (result?.ok !== false || result.code !== "forbidden") letThrough.push(key);
    }
    expect(letThrough).toEqual([]);
    actAs(await createUser("SUPPORT"));
    const route = await guardRoute("jobs.read");
    expect(route instanceof Response ? route.status : "let through").toBe(403);
  });

  it("the same calls go through when the setting is off, or once the user has enrolled", async () => {
    const key = "app/(console)/console/staff/actions.ts#unlockUserAction";
    const entry = ACCESS_TABLE[key] as ActionEntry;
    const admin = await createUser("ADMIN");
    actAs(admin);
    await setRequired(false);
    expect((await call(key, await entry.input(w, admin)))?.ok).toBe(true);
    await setRequired(true);
    expect((await call(key, await entry.input(w, admin)))?.code).toBe("forbidden");
    await prisma.user.update({ where: { id: admin.id }, data: { totpEnabledAt: new Date() } });
    expect((await call(key, await entry.input(w, admin)))?.ok).toBe(true);
  });

  it("portal users are not affected", async () => {
    await setRequired(true);
    actAs(w.customerUser);
    const key = "app/_components/security/actions.ts#markNotificationsReadAction";
    expect((await call(key, new FormData()))?.ok).toBe(true);
  });
});
