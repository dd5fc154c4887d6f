// Server time of the console's two big lists (listCustomers, listAccounts: the page's whole
// read, rows and capped count) on an already seeded database: p50/p95 of 20 calls per case.
//   DATABASE_URL=file:/tmp/tables/parley.db node scripts/run-ts.mjs bench/list-tables.ts
// (seed first: npm run seed -- --customers 100000; works on a postgresql:// URL too)
export {};
const { prisma } = await import("../core/db");
const { ZCustomerListParams, listCustomers } = await import("../lib/customers/queries");
const { ZAccountListParams, listAccounts } = await import("../lib/accounts/queries");
const { encodeCursor } = await import("../lib/tables/keyset");

const { percentile: pct } = await import("./lib/stats");

const CALLS = 20;

async function time(label: string, call: () => Promise<{ rows: unknown[] }>) {
  await call(); // warm: prepared statements, the enum order, the page cache
  const ms: number[] = [];
  let rows = 0;
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    rows = (await call()).rows.length;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `| ${label.padEnd(58)} | ${String(rows).padStart(4)} | ${pct(ms, 50).toFixed(1).padStart(7)} | ${pct(ms, 95).toFixed(1).padStart(7)} |`,
  );
}

const [customers, accounts] = await Promise.all([
  prisma.customer.count(),
  prisma.xmppAccount.count(),
]);
console.log(`${customers} customers, ${accounts} accounts; ${CALLS} calls per case\n`);
console.log(`| ${"case".padEnd(58)} | rows |  p50 ms |  p95 ms |`);
console.log(`|${"-".repeat(60)}|------|---------|---------|`);

// A cursor half-way down the newest-first order: a deep page without OFFSET.
const midCustomer = await prisma.customer.findFirstOrThrow({
  orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  skip: Math.floor(customers / 2),
  select: { id: true, createdAt: true },
});
const midAccount = await prisma.xmppAccount.findFirstOrThrow({
  where: { status: { not: "DELETED" } },
  orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  skip: Math.floor(accounts / 2),
  select: { id: true, createdAt: true },
});
const server = await prisma.server.findFirstOrThrow({ select: { id: true } });
const c = (raw: Record<string, string>) => () => listCustomers(ZCustomerListParams.parse(raw));
const a = (raw: Record<string, string>) => () => listAccounts(ZAccountListParams.parse(raw));

await time("customers: first page (newest)", c({}));
await time(
  "customers: deep page (cursor at 50%)",
  c({ after: encodeCursor(midCustomer.createdAt, midCustomer.id) }),
);
await time("customers: status=ACTIVE sorted by name", c({ status: "ACTIVE", sort: "name" }));
await time(
  "customers: status=SUSPENDED, 2025 only, by name",
  c({ status: "SUSPENDED", sort: "name", from: "2025-01-01", to: "2025-12-31" }),
);
await time("customers: prefix search 'mar'", c({ q: "mar", match: "prefix" }));
await time("customers: substring search 'son'", c({ q: "son", match: "contains" }));
await time("customers: substring search, no match", c({ q: "zzqx", match: "contains" }));
await time("accounts: first page (newest)", a({}));
await time(
  "accounts: deep page (cursor at 50%)",
  a({ after: encodeCursor(midAccount.createdAt, midAccount.id) }),
);
await time(
  "accounts: SUSPENDED + billing, by address",
  a({ status: "SUSPENDED", reason: "billing", sort: "address" }),
);
await time("accounts: one server, by status", a({ server: server.id, sort: "status" }));
await time("accounts: prefix search 'mar'", a({ q: "mar", match: "prefix" }));
await time("accounts: substring search 'son'", a({ q: "son", match: "contains" }));
await time("accounts: substring search, no match", a({ q: "zzqx", match: "contains" }));
await prisma.$disconnect();
