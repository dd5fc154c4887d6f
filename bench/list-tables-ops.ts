// Server time of the console's operations lists (listJobs, listAuditEvents, listOutboxEmails:
// the page's whole read, rows and capped count, plus the job page's counts of what needs attention) on an
// already seeded database: p50/p95 of 20 calls per case.
//   DATABASE_URL=file:/tmp/tables/parley.db node scripts/run-ts.mjs bench/list-tables-ops.ts
// (seed first: npm run seed -- --customers 100000; works on a postgresql:// URL too)
export {};
const { prisma } = await import("../core/db");
const { ZJobListParams, countJobsNeedingAttention, listJobs } = await import("../lib/jobs/queries");
const { ZAuditListParams, listAuditEvents } = await import("../lib/audit/queries");
const { ZOutboxListParams, listOutboxEmails } = await import("../lib/notifications/queries");
const { encodeCursor } = await import("../lib/tables/keyset");
const { printHeader, timeCase: time } = await import("./lib/time-case");

const [jobs, events, emails] = await Promise.all([
  prisma.job.count(),
  prisma.auditEvent.count(),
  prisma.outboxEmail.count(),
]);
printHeader(`${jobs} jobs, ${events} audit events, ${emails} emails`);

// Support is the viewer that adds a filter (no billing rows); admin sees everything.
const admin = { id: "bench-admin", role: "ADMIN", customerId: null } as const;
const support = { id: "bench-support", role: "SUPPORT", customerId: null } as const;
const half = <T>(rows: number, read: (skip: number) => Promise<T>) => read(Math.floor(rows / 2));
const midJob = await half(jobs, (skip) =>
  prisma.job.findFirstOrThrow({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip,
    select: { id: true, createdAt: true },
  }),
);
const midEvent = await half(events, (skip) =>
  prisma.auditEvent.findFirstOrThrow({
    orderBy: [{ at: "desc" }, { id: "desc" }],
    skip,
    select: { id: true, at: true },
  }),
);
const server = await prisma.server.findFirstOrThrow({ select: { id: true } });
const someJob = await prisma.job.findFirstOrThrow({
  where: { customerId: { not: null } },
  select: { subjectId: true, customerId: true },
});
const someEvent = await prisma.auditEvent.findFirstOrThrow({
  where: { customerId: { not: null }, targetId: { not: null } },
  select: { customerId: true, targetId: true, actorLabel: true },
});
const j =
  (raw: Record<string, string>, viewer: typeof admin | typeof support = support) =>
  () =>
    listJobs(viewer, ZJobListParams.parse(raw));
const a =
  (raw: Record<string, string>, viewer: typeof admin | typeof support = support) =>
  () =>
    listAuditEvents(viewer, ZAuditListParams.parse(raw));
const o = (raw: Record<string, string>) => () => listOutboxEmails(ZOutboxListParams.parse(raw));

await time("jobs: counts needing attention (the page's links), support", async () => ({
  rows: await countJobsNeedingAttention(support),
}));
await time("jobs: first page (newest), admin", j({}, admin));
await time("jobs: first page (newest), support", j({}));
await time(
  "jobs: deep page (cursor at 50%), support",
  j({ after: encodeCursor(midJob.createdAt, midJob.id) }),
);
await time("jobs: status=FAILED", j({ status: "FAILED" }));
await time("jobs: status=SUCCEEDED", j({ status: "SUCCEEDED" }));
await time("jobs: status=PENDING by next run", j({ status: "PENDING", sort: "runAt" }));
await time("jobs: waiting work by next run", j({ sort: "runAt" }));
await time("jobs: type family 'room'", j({ type: "room" }));
await time("jobs: one server", j({ server: server.id }));
await time("jobs: one customer", j({ customer: someJob.customerId! }));
await time("jobs: created in 2025", j({ from: "2025-01-01", to: "2025-12-31" }));
await time("jobs: search a subject id", j({ q: someJob.subjectId! }));
await time("jobs: search error text 'timed out'", j({ q: "timed out" }));
await time("jobs: search, no match", j({ q: "zzqx" }));
await time("audit: first page (newest), admin", a({}, admin));
await time("audit: first page (newest), support", a({}));
await time(
  "audit: deep page (cursor at 50%), support",
  a({ after: encodeCursor(midEvent.at, midEvent.id) }),
);
await time("audit: action 'account.'", a({ action: "account." }));
await time("audit: action 'customer.closed' (rare)", a({ action: "customer.closed" }));
await time("audit: actor", a({ actor: someEvent.actorLabel }));
await time("audit: one customer", a({ customer: someEvent.customerId! }));
await time("audit: target type room", a({ target: "room" }));
await time("audit: 2025 only", a({ from: "2025-01-01", to: "2025-12-31" }));
await time("audit: search a target id", a({ q: someEvent.targetId! }));
await time("audit: search reason, no match", a({ q: "zzqx" }));
await time("outbox: first page (newest)", o({}));
await time("outbox: status=failed", o({ status: "failed" }));
await time(
  "outbox: status=sent, 2025 only",
  o({ status: "sent", from: "2025-01-01", to: "2025-12-31" }),
);
await time("outbox: recipient prefix 'mar'", o({ q: "mar", match: "prefix" }));
await time("outbox: substring 'reset'", o({ q: "reset", match: "contains" }));
await time("outbox: substring, no match", o({ q: "zzqx", match: "contains" }));
await prisma.$disconnect();
