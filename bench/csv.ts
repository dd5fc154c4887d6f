// CSV export and import validation on an already seeded database: the streamed export of the
// whole account and customer lists (time, rows, size, peak RSS of this process) and the check
// of a 10,000-row upload of each kind (parse, validate, store the batch; nothing imported).
//   DATABASE_URL=file:/tmp/csv/parley.db node scripts/run-ts.mjs bench/csv.ts
// (seed first: npm run seed -- --customers 100000; works on a postgresql:// URL too)
export {};
const { prisma } = await import("../core/db");
const { exportTable } = await import("../lib/tables/csv-tables");
const { createImportBatch } = await import("../lib/imports/batches");
const { printTable } = await import("./lib/print-table");

const user = await prisma.user.upsert({
  where: { email: "bench-csv@parley.test" },
  update: {},
  create: { email: "bench-csv@parley.test", name: "Bench", role: "ADMIN", passwordHash: "x" },
  select: { id: true, email: true, role: true, customerId: true },
});

// Peak resident memory and JavaScript heap while `work` runs. The SQLite driver answers
// synchronously, so a timer would not fire during an export: `sample` is also called by the
// reading loop after every chunk.
let peak = { rss: 0, heap: 0 };
function sample() {
  const m = process.memoryUsage();
  peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heapUsed) };
}
async function measured<T>(work: () => Promise<T>) {
  global.gc?.();
  const m = process.memoryUsage();
  const before = { rss: m.rss, heap: m.heapUsed };
  peak = { ...before };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  try {
    const result = await work();
    sample();
    return { result, seconds: (performance.now() - t0) / 1000, before, peak };
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) =>
  `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
const lines: string[][] = [];

for (const [table, params] of [
  ["accounts", {}],
  ["accounts", { sort: "address" }],
  ["customers", { sort: "name" }],
] as const) {
  const { result, seconds, before, peak } = await measured(async () => {
    const reader = exportTable(table, params, user).getReader();
    let bytes = 0;
    let breaks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      sample();
      for (const b of value) if (b === 10) breaks++;
    }
    return { bytes, rows: breaks - 1 };
  });
  lines.push([
    `export ${table} ${JSON.stringify(params)}`,
    result.rows.toLocaleString("en"),
    mb(result.bytes),
    seconds.toFixed(1),
    `${mb(before.rss)} → ${mb(peak.rss)}`,
    `${mb(before.heap)} → ${mb(peak.heap)}`,
  ]);
}

// 10,000 rows each: new customers; and accounts for existing customers (seats decide).
const plan = await prisma.plan.findFirstOrThrow({ select: { name: true } });
const customers = await prisma.customer.findMany({
  take: 10_000,
  orderBy: { id: "asc" },
  select: { id: true },
});
const files = {
  customers: [
    "name,contactEmail,kind,plan",
    ...Array.from(
      { length: 10_000 },
      (_, i) => `Bench ${i},bench${i}@import.test,person,${plan.name}`,
    ),
  ],
  accounts: [
    "customer,localpart,displayName",
    ...Array.from(
      { length: 10_000 },
      (_, i) => `${customers[i % customers.length].id},bench${i},B`,
    ),
  ],
};
for (const kind of ["customers", "accounts"] as const) {
  const bytes = new TextEncoder().encode(`${files[kind].join("\r\n")}\r\n`);
  const { result, seconds, before, peak } = await measured(() =>
    createImportBatch(kind, { name: `${kind}.csv`, bytes }, user),
  );
  const batch = await prisma.importBatch.findUniqueOrThrow({
    where: { id: result.id },
    select: { errors: true, rows: true },
  });
  await prisma.importBatch.delete({ where: { id: result.id } });
  lines.push([
    `validate ${kind} upload (${(batch.rows as unknown[]).length} valid, ${(batch.errors as unknown[]).length} errors)`,
    "10,000",
    mb(bytes.byteLength),
    seconds.toFixed(1),
    `${mb(before.rss)} → ${mb(peak.rss)}`,
    `${mb(before.heap)} → ${mb(peak.heap)}`,
  ]);
}

const [c, a] = await Promise.all([prisma.customer.count(), prisma.xmppAccount.count()]);
console.log(`${c} customers, ${a} accounts\n`);
printTable(
  ["case", "rows", "size", "seconds", "RSS before → peak", "JS heap before → peak"],
  lines,
);
await prisma.$disconnect();
