// Server time of the console's room, invite and portal-user lists (listRooms, listInvites,
// listPortalUsers: the page's whole read, rows and capped count) on an already seeded
// database: p50/p95 of 20 calls per case.
//   DATABASE_URL=file:/tmp/tables/parley.db node scripts/run-ts.mjs bench/list-tables-more.ts
// (seed first: npm run seed -- --customers 100000; works on a postgresql:// URL too)
export {};
const { prisma } = await import("../core/db");
const { ZRoomListParams, listRooms } = await import("../lib/rooms/queries");
const { ZInviteListParams, listInvites } = await import("../lib/invites/queries");
const { ZPortalUserListParams, listPortalUsers } = await import("../lib/users/queries");
const { encodeCursor } = await import("../lib/tables/keyset");
const { timeCase, printHeader } = await import("./lib/time-case");

const [rooms, invites, users] = await Promise.all([
  prisma.room.count(),
  prisma.invite.count(),
  prisma.user.count({ where: { role: "CUSTOMER" } }),
]);
printHeader(`${rooms} rooms, ${invites} invites, ${users} portal users`);

const server = await prisma.server.findFirstOrThrow({
  where: { rooms: { some: {} } },
  select: { id: true },
});
const customer = await prisma.customer.findFirstOrThrow({
  where: { users: { some: {} }, rooms: { some: {} }, invites: { some: {} } },
  select: { id: true },
});
// Cursors half-way down the default orders: deep pages without OFFSET.
const midRoom = await prisma.room.findFirstOrThrow({
  orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  skip: Math.floor(rooms / 2),
  select: { id: true, createdAt: true },
});
const midInvite = await prisma.invite.findFirstOrThrow({
  orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  skip: Math.floor(invites / 2),
  select: { id: true, createdAt: true },
});
const midUser = await prisma.user.findFirstOrThrow({
  where: { role: "CUSTOMER", lastLoginAt: { not: null } },
  orderBy: [{ lastLoginAt: "desc" }, { id: "desc" }],
  skip: Math.floor(users / 4),
  select: { id: true, lastLoginAt: true },
});
const r = (raw: Record<string, string>) => () => listRooms(ZRoomListParams.parse(raw));
const i = (raw: Record<string, string>) => () => listInvites(ZInviteListParams.parse(raw));
const u = (raw: Record<string, string>) => () => listPortalUsers(ZPortalUserListParams.parse(raw));

await timeCase("rooms: first page (newest)", r({}));
await timeCase(
  "rooms: deep page (cursor at 50%)",
  r({ after: encodeCursor(midRoom.createdAt, midRoom.id) }),
);
await timeCase("rooms: by address", r({ sort: "address" }));
await timeCase("rooms: by status desc", r({ sort: "status", dir: "desc" }));
await timeCase("rooms: status=FAILED", r({ status: "FAILED" }));
await timeCase("rooms: one server, by address", r({ server: server.id, sort: "address" }));
await timeCase("rooms: one customer", r({ customer: customer.id }));
await timeCase("rooms: created in 2025", r({ from: "2025-01-01", to: "2025-12-31" }));
await timeCase("rooms: prefix search 'te'", r({ q: "te", match: "prefix" }));
await timeCase("rooms: substring search 'son'", r({ q: "son", match: "contains" }));
await timeCase("rooms: substring search, no match", r({ q: "zzqx", match: "contains" }));
await timeCase("invites: first page (newest)", i({}));
await timeCase(
  "invites: deep page (cursor at 50%)",
  i({ after: encodeCursor(midInvite.createdAt, midInvite.id) }),
);
await timeCase("invites: by expiry (soonest first)", i({ sort: "expires" }));
await timeCase("invites: by expiry desc", i({ sort: "expires", dir: "desc" }));
for (const status of ["active", "used", "expired", "revoked"])
  await timeCase(`invites: status=${status}`, i({ status }));
await timeCase("invites: kind=ROOM", i({ kind: "ROOM" }));
await timeCase("invites: one server", i({ server: server.id }));
await timeCase("invites: one customer", i({ customer: customer.id }));
await timeCase("invites: substring search 'son'", i({ q: "son", match: "contains" }));
await timeCase("invites: substring search, no match", i({ q: "zzqx", match: "contains" }));
await timeCase("portal users: first page (newest)", u({}));
await timeCase("portal users: by name", u({ sort: "name" }));
await timeCase("portal users: by email desc", u({ sort: "email", dir: "desc" }));
await timeCase("portal users: by last sign-in", u({ sort: "login" }));
await timeCase(
  "portal users: by last sign-in, deep page",
  u({ sort: "login", after: encodeCursor(midUser.lastLoginAt, midUser.id) }),
);
await timeCase("portal users: by last sign-in asc (never first)", u({ sort: "login", dir: "asc" }));
for (const state of ["active", "disabled", "locked"])
  await timeCase(`portal users: state=${state}`, u({ state }));
await timeCase("portal users: one customer", u({ customer: customer.id }));
await timeCase("portal users: prefix search 'mar'", u({ q: "mar", match: "prefix" }));
await timeCase("portal users: substring search 'son'", u({ q: "son", match: "contains" }));
await timeCase("portal users: substring search, no match", u({ q: "zzqx", match: "contains" }));
await prisma.$disconnect();
