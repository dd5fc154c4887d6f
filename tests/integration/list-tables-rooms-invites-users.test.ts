import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { seedDatabase } from "@/bench/seed/seed-data";
import { ZRoomListParams, listRooms, roomListWhere } from "@/lib/rooms/queries";
import {
  INVITE_STATUSES,
  ZInviteListParams,
  inviteStatus,
  listInvites,
} from "@/lib/invites/queries";
import { ZPortalUserListParams, listPortalUsers, portalUserState } from "@/lib/users/queries";
import { COUNT_CAP, cappedCount, encodeCursor } from "@/lib/tables/keyset";
import { walk } from "../helpers/keyset-walk";

// The console's room, invite and portal-user lists: keyset pages walk every matching row once
// in both directions under each sort (nullable dates included), each filter and search gives
// exactly the expected rows, and any URL becomes a valid view.

const sorted = (ids: string[]) => [...ids].sort();
let serverId: string;
let customerId: string;

beforeAll(async () => {
  await seedDatabase(prisma, { customers: 150, seed: 5, chunkSize: 200 });
  const server = await prisma.server.findFirstOrThrow({ where: { rooms: { some: {} } } });
  serverId = server.id;
  const plan = await prisma.plan.findFirstOrThrow();
  const c = await prisma.customer.create({
    data: { name: "Zebulon Quartz", contactEmail: "zq-owner@quartz.test", planId: plan.id },
  });
  customerId = c.id;
  await prisma.room.create({
    data: {
      customerId,
      serverId,
      name: "zebulon-lounge",
      domain: `muc.${server.domain}`,
      title: "Quartz Lounge",
      status: "ACTIVE",
    },
  });
  // More rooms than a page, half created in the same millisecond: the id breaks the ties.
  const sameTime = new Date("2026-02-02T10:00:00Z");
  for (let i = 0; i < 20; i++)
    await prisma.room.create({
      data: {
        customerId,
        serverId,
        name: `extra-${i}`,
        domain: `muc.${server.domain}`,
        status: i % 3 ? "ACTIVE" : "FAILED",
        ...(i % 2 ? { createdAt: sameTime } : {}),
      },
    });
  await prisma.invite.create({
    data: {
      tokenHash: "test-hash-zebulon",
      kind: "ACCOUNT",
      customerId,
      serverId,
      localpart: "zebulon.q",
      note: "Quartz welcome",
    },
  });
  const at = now();
  const users = [
    { name: "Zebulon Quartz", email: "zq-portal@quartz.test", disabledAt: null, lockedUntil: null },
    { name: "Yara Quartz", email: "yq@quartz.test", disabledAt: at, lockedUntil: null },
    {
      name: "Xeno Quartz",
      email: "xq@quartz.test",
      disabledAt: null,
      lockedUntil: new Date(at.getTime() + 3_600_000),
    },
  ];
  for (const u of users)
    await prisma.user.create({
      data: { ...u, role: "CUSTOMER", customerId, passwordHash: "x", lastLoginAt: null },
    });
  // Ties on the nullable sort: the id must break them.
  const some = await prisma.user.findMany({ where: { role: "CUSTOMER" }, take: 4 });
  await prisma.user.updateMany({
    where: { id: { in: some.map((u) => u.id) } },
    data: { lastLoginAt: new Date("2026-01-01T00:00:00Z") },
  });
}, 180_000);

describe(`room list (${process.env.PARLEY_TEST_DB})`, () => {
  const params = (raw: Record<string, string>) => ZRoomListParams.parse(raw);
  const FIELD = { address: "name", created: "createdAt", status: "status" } as const;

  for (const sort of ["address", "created", "status"] as const)
    for (const dir of ["asc", "desc"] as const)
      it(`walks every listed room once both ways sorted by ${sort} ${dir}`, async () => {
        const p = params({ sort, dir, size: "25" });
        const all = (
          await prisma.room.findMany({
            where: roomListWhere(p),
            orderBy: [{ [FIELD[sort]]: dir }, { id: dir }],
            select: { id: true },
          })
        ).map((r) => r.id);
        expect(all.length).toBeGreaterThan(25);
        const { forward, backward } = await walk((c) => listRooms({ ...p, ...c }));
        expect(forward).toEqual(all);
        expect(backward).toEqual(all);
      });

  it("filters by status, server, customer and created range exactly, never deleted rooms", async () => {
    const rows = await prisma.room.findMany();
    const ids = async (raw: Record<string, string>) => {
      const p = params({ ...raw, size: "100" });
      return sorted((await walk((c) => listRooms({ ...p, ...c }))).forward);
    };
    const want = (keep: (r: (typeof rows)[number]) => boolean) =>
      sorted(rows.filter((r) => keep(r) && r.status !== "DELETED").map((r) => r.id));
    expect(rows.some((r) => r.status === "DELETED")).toBe(true);
    expect(await ids({})).toEqual(want(() => true));
    expect(await ids({ status: "ACTIVE" })).toEqual(want((r) => r.status === "ACTIVE"));
    expect(await ids({ status: "DELETED" })).toEqual(want(() => true)); // not offered: ignored
    expect(await ids({ server: serverId })).toEqual(want((r) => r.serverId === serverId));
    const other = rows.find((r) => r.customerId !== customerId)!.customerId;
    expect(await ids({ customer: other })).toEqual(want((r) => r.customerId === other));
    const days = sorted(rows.map((r) => r.createdAt.toISOString().slice(0, 10)));
    const [from, to] = [days[Math.floor(days.length / 3)], days[Math.floor(days.length / 2)]];
    const range = want((r) => {
      const d = r.createdAt.toISOString().slice(0, 10);
      return d >= from && d <= to;
    });
    expect(range.length).toBeGreaterThan(0);
    expect(await ids({ from, to })).toEqual(range);
  });

  it("searches the address, name and title by prefix and by substring, any case", async () => {
    const names = async (raw: Record<string, string>) =>
      (await listRooms(params(raw))).rows.map((r) => r.name);
    const room = await prisma.room.findFirstOrThrow({ where: { name: "zebulon-lounge" } });
    expect(await names({ q: "zebulon-l", match: "prefix" })).toEqual(["zebulon-lounge"]);
    expect(await names({ q: "ZEBULON", match: "prefix" })).toEqual(["zebulon-lounge"]);
    expect(await names({ q: "on-lou", match: "prefix" })).toEqual([]);
    expect(await names({ q: "on-lou", match: "contains" })).toEqual(["zebulon-lounge"]);
    expect(await names({ q: "quartz lou", match: "prefix" })).toEqual(["zebulon-lounge"]);
    expect(await names({ q: "rtz loun", match: "contains" })).toEqual(["zebulon-lounge"]);
    const address = `${room.name}@${room.domain}`;
    expect(await names({ q: address.toUpperCase(), match: "prefix" })).toEqual([room.name]);
    expect(await names({ q: "zebulon@", match: "prefix" })).toEqual([]);
  });
});

describe(`invite list (${process.env.PARLEY_TEST_DB})`, () => {
  const params = (raw: Record<string, string>) => ZInviteListParams.parse(raw);

  // Expiry ascending is soonest first, never-expiring last; descending the reverse.
  async function byExpiry(dir: "asc" | "desc") {
    const rows = await prisma.invite.findMany({ select: { id: true, expiresAt: true } });
    const never = rows.filter((r) => !r.expiresAt).map((r) => r.id);
    const dated = rows
      .filter((r) => r.expiresAt)
      .sort((a, b) => +a.expiresAt! - +b.expiresAt! || (a.id < b.id ? -1 : 1))
      .map((r) => r.id);
    const asc = [...dated, ...sorted(never)];
    return dir === "asc" ? asc : asc.reverse();
  }

  for (const dir of ["asc", "desc"] as const) {
    it(`walks every invite once both ways sorted by expiry ${dir}, never-expiring at the end`, async () => {
      const all = await byExpiry(dir);
      expect(all.length).toBeGreaterThan(50);
      const p = params({ sort: "expires", dir, size: "25" });
      const { forward, backward } = await walk((c) => listInvites({ ...p, ...c }));
      expect(forward).toEqual(all);
      expect(backward).toEqual(all);
    });
    it(`walks every invite once both ways sorted by created ${dir}`, async () => {
      const all = (
        await prisma.invite.findMany({
          orderBy: [{ createdAt: dir }, { id: dir }],
          select: { id: true },
        })
      ).map((r) => r.id);
      const p = params({ sort: "created", dir, size: "25" });
      const { forward, backward } = await walk((c) => listInvites({ ...p, ...c }));
      expect(forward).toEqual(all);
      expect(backward).toEqual(all);
    });
  }

  it("filters by each status, kind, server, customer and created range exactly", async () => {
    const at = now();
    const rows = await prisma.invite.findMany();
    const ids = async (raw: Record<string, string>) => {
      const p = params({ ...raw, size: "100" });
      return sorted((await walk((c) => listInvites({ ...p, ...c }))).forward);
    };
    const want = (keep: (r: (typeof rows)[number]) => boolean) =>
      sorted(rows.filter(keep).map((r) => r.id));
    for (const status of INVITE_STATUSES) {
      const expected = want((r) => inviteStatus(r, at) === status);
      expect(expected.length, status).toBeGreaterThan(0);
      expect(await ids({ status }), status).toEqual(expected);
    }
    expect(await ids({ kind: "ROOM" })).toEqual(want((r) => r.kind === "ROOM"));
    expect(await ids({ server: serverId })).toEqual(want((r) => r.serverId === serverId));
    expect(await ids({ customer: customerId })).toEqual(want((r) => r.customerId === customerId));
    const days = sorted(rows.map((r) => r.createdAt.toISOString().slice(0, 10)));
    const [from, to] = [days[Math.floor(days.length / 4)], days[Math.floor(days.length / 2)]];
    expect(await ids({ from, to })).toEqual(
      want((r) => {
        const d = r.createdAt.toISOString().slice(0, 10);
        return d >= from && d <= to;
      }),
    );
  });

  it("searches the note and the fixed username by prefix and by substring; never the token", async () => {
    const list = async (raw: Record<string, string>) => (await listInvites(params(raw))).rows;
    const notes = async (raw: Record<string, string>) => (await list(raw)).map((r) => r.note);
    expect(await notes({ q: "quartz w", match: "prefix" })).toEqual(["Quartz welcome"]);
    expect(await notes({ q: "rtz wel", match: "contains" })).toEqual(["Quartz welcome"]);
    expect(await notes({ q: "rtz wel", match: "prefix" })).toEqual([]);
    expect(await notes({ q: "ZEBULON.Q", match: "prefix" })).toEqual(["Quartz welcome"]);
    expect(await notes({ q: "test-hash", match: "contains" })).toEqual([]);
    const [row] = await list({ q: "zebulon.q" });
    expect(Object.keys(row)).not.toContain("tokenHash");
  });
});

describe(`portal user list (${process.env.PARLEY_TEST_DB})`, () => {
  const params = (raw: Record<string, string>) => ZPortalUserListParams.parse(raw);

  for (const sort of ["name", "email", "created"] as const)
    for (const dir of ["asc", "desc"] as const)
      it(`walks every portal user once both ways sorted by ${sort} ${dir}`, async () => {
        const field = sort === "created" ? "createdAt" : sort;
        const all = (
          await prisma.user.findMany({
            where: { role: "CUSTOMER" },
            orderBy: [{ [field]: dir }, { id: dir }],
            select: { id: true },
          })
        ).map((r) => r.id);
        const p = params({ sort, dir, size: "50" });
        const { forward, backward } = await walk((c) => listPortalUsers({ ...p, ...c }));
        expect(forward).toEqual(all);
        expect(backward).toEqual(all);
      });

  for (const dir of ["asc", "desc"] as const)
    it(`walks by last sign-in ${dir}: never signed in below everyone, ties by id`, async () => {
      const rows = await prisma.user.findMany({ where: { role: "CUSTOMER" } });
      const never = sorted(rows.filter((r) => !r.lastLoginAt).map((r) => r.id));
      expect(never.length).toBeGreaterThanOrEqual(3);
      const dated = rows
        .filter((r) => r.lastLoginAt)
        .sort((a, b) => +a.lastLoginAt! - +b.lastLoginAt! || (a.id < b.id ? -1 : 1))
        .map((r) => r.id);
      const asc = [...never, ...dated];
      const p = params({ sort: "login", ...(dir === "asc" ? { dir } : {}), size: "25" });
      const { forward, backward } = await walk((c) => listPortalUsers({ ...p, ...c }));
      const want = dir === "asc" ? asc : asc.reverse();
      expect(forward).toEqual(want);
      expect(backward).toEqual(want);
    });

  it("filters by state, customer and created range exactly; staff are never listed", async () => {
    const at = now();
    const rows = await prisma.user.findMany({ where: { role: "CUSTOMER" } });
    const ids = async (raw: Record<string, string>) => {
      const p = params({ ...raw, size: "100" });
      return sorted((await walk((c) => listPortalUsers({ ...p, ...c }))).forward);
    };
    const want = (keep: (r: (typeof rows)[number]) => boolean) =>
      sorted(rows.filter(keep).map((r) => r.id));
    for (const state of ["active", "disabled", "locked"] as const) {
      const expected = want((r) => portalUserState(r, at) === state);
      expect(expected.length, state).toBeGreaterThan(0);
      expect(await ids({ state }), state).toEqual(expected);
    }
    expect(await ids({ customer: customerId })).toHaveLength(3);
    const staff = await prisma.user.findMany({ where: { role: { not: "CUSTOMER" } } });
    expect(staff.length).toBeGreaterThan(0);
    const listed = new Set(await ids({}));
    for (const s of staff) expect(listed.has(s.id)).toBe(false);
    const days = sorted(rows.map((r) => r.createdAt.toISOString().slice(0, 10)));
    const [from, to] = [days[Math.floor(days.length / 4)], days[Math.floor(days.length / 2)]];
    expect(await ids({ from, to })).toEqual(
      want((r) => {
        const d = r.createdAt.toISOString().slice(0, 10);
        return d >= from && d <= to;
      }),
    );
  });

  it("searches names and emails by prefix and substring, and shows no secrets", async () => {
    const list = async (raw: Record<string, string>) => (await listPortalUsers(params(raw))).rows;
    const emails = async (raw: Record<string, string>) =>
      sorted((await list(raw)).map((r) => r.email));
    expect(await emails({ q: "zebulon q", match: "prefix" })).toEqual(["zq-portal@quartz.test"]);
    expect(await emails({ q: "ZQ-PORTAL", match: "prefix" })).toEqual(["zq-portal@quartz.test"]);
    expect(await emails({ q: "portal@quar", match: "contains" })).toEqual([
      "zq-portal@quartz.test",
    ]);
    expect(await emails({ q: "portal@quar", match: "prefix" })).toEqual([]);
    expect(await emails({ q: "o quartz", match: "contains" })).toEqual(["xq@quartz.test"]);
    const [row] = await list({ q: "zq-portal" });
    for (const secret of ["passwordHash", "totpSecretEnc", "totpEnabledAt", "sessionVersion"])
      expect(Object.keys(row)).not.toContain(secret);
    expect(row.customer?.id).toBe(customerId);
  });
});

describe(`lists' params and counts (${process.env.PARLEY_TEST_DB})`, () => {
  it("turns any URL into a valid view: bad values fall back, stale cursors start over", async () => {
    const bad = { sort: "evil", dir: "up", size: "7", status: "NOPE", from: "x", match: "re" };
    expect(ZRoomListParams.parse(bad)).toMatchObject({ sort: "created", size: 25 });
    expect(ZInviteListParams.parse({ ...bad, kind: "ALL" })).toMatchObject({ sort: "created" });
    const u = ZPortalUserListParams.parse({ ...bad, state: "gone" });
    expect(u).toMatchObject({ sort: "created", match: "contains", size: 25 });
    expect([u.state, u.from, u.dir]).toEqual([undefined, undefined, undefined]);
    const first = await listRooms(ZRoomListParams.parse({}));
    for (const after of ["garbage", encodeCursor(null, "zzz")]) {
      const again = await listRooms(ZRoomListParams.parse({ after }));
      expect(again.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
      expect(again.prev).toBeNull();
    }
    // A null cursor is valid on a nullable sort: the rows after "never signed in, id 0".
    const users = await listPortalUsers(
      ZPortalUserListParams.parse({ sort: "login", dir: "asc", after: encodeCursor(null, "0") }),
    );
    expect(users.rows.length).toBeGreaterThan(0);
  });

  it("counts exactly below the cap and says 'more than' above it", async () => {
    const rooms = await listRooms(ZRoomListParams.parse({}));
    expect(rooms.count).toEqual({
      value: await prisma.room.count({ where: { status: { not: "DELETED" } } }),
      exact: true,
    });
    const invites = await listInvites(ZInviteListParams.parse({ customer: customerId }));
    expect(invites.count).toEqual({ value: 1, exact: true });
    expect(cappedCount(COUNT_CAP + 1)).toEqual({ value: COUNT_CAP, exact: false });
    expect(cappedCount(COUNT_CAP)).toEqual({ value: COUNT_CAP, exact: true });
  });
});
