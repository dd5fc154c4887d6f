// Fills a database with realistic data for benchmarks and demos: plans, servers, customers in
// every status with portal users, chat accounts, rooms, invites, jobs, audit events and outbox
// emails, in the proportions of a provider at scale (per customer: 3 accounts, 0.2 rooms, 0.5
// invites, 2 jobs, 5 audit events, 0.5 emails). Pseudo-random from a seed, so two runs with the same seed give the same
// people, names, statuses and proportions (ids, dates relative to now, and token hashes aside).
//
// Fast on purpose: ids are made here (children reference parents without reading them back), and
// rows go in as multi-row INSERTs through the client's parameterised raw queries, in chunks,
// inside ONE transaction, so a failed run leaves nothing. (createMany spent about 80% of the time
// in the client turning arguments into queries: 5,000 rows/s against over 20,000 this way.) The
// rows are typed with the client's CreateManyInput types, so a schema change shows up here.
// No server is contacted, no usable token or password is stored, and no IP address appears.
import { isPostgresUrl, type DB } from "@/core/db";
import { getConfig } from "@/core/config";
import { hashToken, newToken } from "@/core/tokens";
import type { Prisma } from "@/generated/sqlite/client";
import type {
  AccountStatus,
  CustomerKind,
  CustomerStatus,
  InviteKind,
  JobStatus,
} from "@/generated/sqlite/enums";
import type { JobType } from "@/lib/jobs/job-types";
import { checkLocalpart, checkRoomName } from "@/provisioning/names";
import type { SuspensionReason } from "@/provisioning/suspension";
import { COMPANY_SUFFIXES, FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, ROOM_WORDS } from "./names";

export type SeedOptions = {
  customers: number;
  seed: number;
  // Add to a database that already has customers (otherwise refused).
  append?: boolean;
  chunkSize?: number;
  log?: (line: string) => void;
};

export type SeedReport = {
  // Rows written per table, and the step (timed as a whole) that wrote them.
  rows: Record<string, number>;
  stepOf: Record<string, string>;
  seconds: Record<string, number>;
  totalSeconds: number;
};

export class SeedRefused extends Error {}

// Rows per customer of each main model (the issue's 100,000 / 300,000 / 20,000 / 50,000 /
// 200,000 / 500,000).
export function seedCounts(customers: number) {
  return {
    customers,
    accounts: customers * 3,
    rooms: Math.round(customers * 0.2),
    invites: Math.round(customers * 0.5),
    jobs: customers * 2,
    auditEvents: customers * 5,
    outboxEmails: Math.round(customers * 0.5),
  };
}

// Not a valid Argon2 hash (as lib/users/invite-user.ts stores before a welcome link is used):
// nobody can sign in as a seeded user.
const NO_PASSWORD = "!unset";
const DAY = 86_400_000;
const SPAN_DAYS = 730;

// ---------------------------------------------------------------- randomness

// mulberry32: a small, fast 32-bit generator; enough for test data, never for secrets.
class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = this.next() * total;
    for (const [value, w] of entries) {
      if ((r -= w) < 0) return value;
    }
    return entries[entries.length - 1][0];
  }
  between(from: Date, to: Date): Date {
    const a = from.getTime();
    return new Date(a + Math.max(0, to.getTime() - a) * this.next());
  }
  // cuid-shaped: "c" and 24 base-36 characters (about 124 bits).
  id(): string {
    let s = "c";
    for (let i = 0; i < 4; i++)
      s += Math.floor(this.next() * 2176782336)
        .toString(36)
        .padStart(6, "0");
    return s;
  }
}

// ---------------------------------------------------------------- reference rows

const PLANS = [
  {
    name: "Personal",
    description: "One person and a few devices.",
    seats: 3,
    rooms: 1,
    priceCents: 400,
  },
  { name: "Family", description: "A household.", seats: 6, rooms: 2, priceCents: 900 },
  { name: "Team", description: "A small organisation.", seats: 25, rooms: 10, priceCents: 3900 },
  { name: "Business", description: "Larger teams.", seats: 100, rooms: 40, priceCents: 14900 },
] as const;
type PlanDef = (typeof PLANS)[number];

// No server is contacted: host names are under the reserved .example domain, and no credential
// is stored (the model allows none until staff add them).
const SERVERS = [
  { name: "ejabberd fra-1", kind: "EJABBERD", site: "fra", share: 45 },
  { name: "ejabberd ams-1", kind: "EJABBERD", site: "ams", share: 35 },
  { name: "Prosody hel-1", kind: "PROSODY", site: "hel", share: 20 },
] as const;

const STATUS_SHARES: readonly (readonly [CustomerStatus, number])[] = [
  ["ACTIVE", 84],
  ["PENDING", 1],
  ["PAST_DUE", 4],
  ["SUSPENDED", 4],
  ["CLOSING", 2],
  ["CLOSED", 1],
  ["TERMINATED", 4],
];

const JOB_ERRORS = [
  "ejabberd API answered 502 Bad Gateway",
  "Timed out after 10000 ms waiting for the server's API",
  "prosodyctl exited with code 1: the account already exists",
  "SSH host key changed: waiting for staff approval",
  "The server refused the request: not allowed",
];

type ServerRow = { id: string; domain: string; mucDomain: string };
type PlanRow = PlanDef & { id: string };
type StaffRow = { id: string; email: string };

type Cust = {
  id: string;
  status: CustomerStatus;
  kind: CustomerKind;
  plan: PlanRow;
  server: ServerRow;
  first: string;
  last: string;
  createdAt: Date;
  // When its people stopped acting (termination), or now.
  endAt: Date;
  users: (StaffRow & { name: string })[];
  accounts: Acct[];
  rooms: RoomRow[];
};
type Acct = { id: string; c: Cust; address: string; status: AccountStatus; createdAt: Date };
type RoomRow = { id: string; c: Cust; deleted: boolean; createdAt: Date };

type Tx = Pick<
  DB,
  | "$executeRawUnsafe"
  | "plan"
  | "server"
  | "user"
  | "customer"
  | "xmppAccount"
  | "usernameTombstone"
  | "room"
  | "roomTombstone"
  | "roomAffiliation"
  | "invite"
  | "inviteUse"
  | "job"
  | "auditEvent"
  | "outboxEmail"
>;

// ---------------------------------------------------------------- writing

// Values as the client stores them: dates as ISO text (SQLite's format, which PostgreSQL's
// timestamp columns read too), JSON as text, absent as NULL.
function sqlValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString().replace("Z", "+00:00");
  if (typeof v === "object") return JSON.stringify(v);
  return v;
}

// Under SQLite's 32,766 and PostgreSQL's 65,535; smaller statements also keep the client's
// debug history (its last 100 query plans, parameters included) small.
const PARAMS_PER_STATEMENT = 10_000;

// INSERT of many rows at once. Table and column names are the model's own (no @map in the schema).
async function insertRows(
  tx: Pick<DB, "$executeRawUnsafe">,
  postgres: boolean,
  table: string,
  rows: object[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const perStatement = Math.max(1, Math.floor(PARAMS_PER_STATEMENT / columns.length));
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES `;
  for (let i = 0; i < rows.length; i += perStatement) {
    const batch = rows.slice(i, i + perStatement) as Record<string, unknown>[];
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of batch) {
      const marks: string[] = [];
      for (const c of columns) {
        params.push(sqlValue(row[c]));
        marks.push(postgres ? `$${params.length}` : "?");
      }
      tuples.push(`(${marks.join(", ")})`);
    }
    await tx.$executeRawUnsafe(head + tuples.join(", "), ...params);
  }
}

// ---------------------------------------------------------------- names

class UniqueNames {
  private taken = new Set<string>();
  constructor(private readonly check: (raw: string) => { ok: boolean; name?: string }) {}
  reserve(key: string): void {
    this.taken.add(key);
  }
  // The name, or the name with the lowest number appended that is still free in `scope`.
  take(base: string, scope: string, fallback: string): string {
    const checked = this.check(base);
    const name = checked.ok && checked.name ? checked.name : fallback;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? name : `${name}${n}`;
      const key = `${scope}\u0000${candidate}`;
      if (!this.taken.has(key)) {
        this.taken.add(key);
        return candidate;
      }
    }
  }
}

// Email addresses in plain ASCII: accents dropped, ø and ł spelled o and l.
const ascii = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/ø/g, "o")
    .replace(/ł/g, "l")
    .replace(/[^a-z0-9.-]/g, "");

const title = (s: string) => s.replace(/(^|[\s-])(\p{L})/gu, (_m, a, b) => a + b.toUpperCase());

function localpartFor(rng: Rng, first: string, last: string): string {
  switch (rng.int(6)) {
    case 0:
      return first;
    case 1:
      return `${first}.${last}`;
    case 2:
      return `${first}${last}`;
    case 3:
      return `${first[0]}.${last}`;
    case 4:
      return `${first}_${last}`;
    default:
      return `${first}${10 + rng.int(90)}`;
  }
}

// Raises plan limits (Personal → Family, and so on) until the customers can hold `total` rows:
// only a concern for very small runs where, by chance, most customers are tiny.
function fitTotal(
  rng: Rng,
  customers: Cust[],
  want: number[],
  capOf: (c: Cust) => number,
  total: number,
  plans: PlanRow[],
): void {
  const capacity = () => customers.reduce((s, c) => s + capOf(c), 0);
  while (capacity() < total) {
    const c = rng.pick(customers);
    const next = plans[plans.indexOf(c.plan) + 1];
    if (c.status !== "PENDING" && next) c.plan = next;
    else if (c.status === "PENDING") c.status = "ACTIVE";
  }
  let sum = 0;
  for (let i = 0; i < want.length; i++) sum += want[i] = Math.min(want[i], capOf(customers[i]));
  while (sum > total) {
    const i = rng.int(want.length);
    if (want[i] > 0) {
      want[i]--;
      sum--;
    }
  }
  while (sum < total) {
    const i = rng.int(want.length);
    if (want[i] < capOf(customers[i])) {
      want[i]++;
      sum++;
    }
  }
}

// ---------------------------------------------------------------- outbox

// What Parley mails (the app's own subjects), each body with its one-time link already
// redacted as sendEmail stores it: nothing usable, nothing sealed.
const REDACTED_LINK = "[one-time link, not stored]";
const EMAILS: readonly (readonly [(c: Cust, to: string) => [string, string], number])[] = [
  [
    () => [
      "Your Parley sign-in",
      `Choose your password within 7 days:\nhttps://parley.example/welcome/${REDACTED_LINK}`,
    ],
    30,
  ],
  [
    () => [
      "Reset your Parley password",
      `Choose a new one within an hour:\nhttps://parley.example/account/reset/${REDACTED_LINK}`,
    ],
    15,
  ],
  [
    (c) => {
      const address = c.accounts.length ? c.accounts[0].address : `${c.first}@chat.example`;
      return [
        `Reset the password of ${address}`,
        `A link to choose a new password for ${address}:\nhttps://parley.example/reset/${REDACTED_LINK}`,
      ];
    },
    20,
  ],
  [() => ["Set up your first chat address", "Your subscription is active."], 10],
  [() => ["Your payment did not go through", "Update your card to keep your service."], 8],
  [() => ["Your service is active", "Thank you: your plan is active again."], 10],
  [() => ["Your service is suspended", "Your chat accounts are held until you pay."], 4],
  [() => ["Your new plan has fewer places", "Some accounts must go before the change."], 3],
];

// Mostly delivered over SMTP; a few kept (no SMTP then) or failed. None is left waiting: that
// would need its email.send job, and the queue's proportions are the jobs step's.
function outboxRows(
  rng: Rng,
  customers: Cust[],
  total: number,
): Prisma.OutboxEmailCreateManyInput[] {
  const rows: Prisma.OutboxEmailCreateManyInput[] = [];
  const withUsers = customers.filter((c) => c.users.length);
  for (let i = 0; i < total && withUsers.length; i++) {
    const c = rng.pick(withUsers);
    const to = rng.pick(c.users).email;
    const [subject, text] = rng.weighted(EMAILS)(c, to);
    const createdAt = rng.between(c.createdAt, c.endAt);
    const fate = rng.weighted<"sent" | "kept" | "failed">([
      ["sent", 92],
      ["kept", 5],
      ["failed", 3],
    ]);
    rows.push({
      id: rng.id(),
      to,
      subject,
      text,
      transport: fate === "kept" ? "outbox" : "smtp",
      sentAt: fate === "sent" ? new Date(createdAt.getTime() + 500 + rng.int(20_000)) : null,
      error: fate === "failed" ? rng.pick(SMTP_ERRORS) : null,
      createdAt,
    });
  }
  return rows;
}

const SMTP_ERRORS = [
  "connect ECONNREFUSED: the mail relay is down",
  "550 5.1.1 Recipient address rejected: user unknown",
  "452 4.2.2 Mailbox full",
];

// ---------------------------------------------------------------- the run

export async function seedDatabase(db: DB, options: SeedOptions): Promise<SeedReport> {
  const counts = seedCounts(options.customers);
  const chunkSize = options.chunkSize ?? 5000;
  const log = options.log ?? (() => undefined);
  const rows: Record<string, number> = {};
  const stepOf: Record<string, string> = {};
  const seconds: Record<string, number> = {};
  const started = performance.now();
  const nowMs = Date.now();
  const now = new Date(nowMs);
  const ago = (days: number) => new Date(nowMs - days * DAY);

  let phase = "";
  let phaseStart = 0;
  const begin = (name: string) => {
    phase = name;
    phaseStart = performance.now();
  };
  const end = () => {
    seconds[phase] = (seconds[phase] ?? 0) + (performance.now() - phaseStart) / 1000;
  };

  const postgres = isPostgresUrl(getConfig().databaseUrl);
  // In chunks; progress every ~10% of the larger tables.
  async function insert<T>(
    model: string,
    data: T[],
    write: (chunk: T[]) => Promise<unknown>,
    expected = data.length,
  ): Promise<void> {
    const step = Math.max(chunkSize, Math.ceil(expected / 10));
    for (let i = 0; i < data.length; i += chunkSize) {
      const chunk = data.slice(i, i + chunkSize);
      await write(chunk);
      const before = rows[model] ?? 0;
      stepOf[model] = phase;
      rows[model] = before + chunk.length;
      if (Math.floor(rows[model] / step) > Math.floor(before / step) || rows[model] === expected)
        log(`  ${model}: ${rows[model].toLocaleString("en")} / ${expected.toLocaleString("en")}`);
    }
  }

  await db.$transaction(
    async (tx: Tx) => {
      const write = (table: string, chunk: object[]) => insertRows(tx, postgres, table, chunk);
      const existing = await tx.customer.count();
      if (existing > 0 && !options.append) {
        throw new SeedRefused(
          `This database already has ${existing.toLocaleString("en")} customers. Seed an empty database, or pass --append to add to them.`,
        );
      }
      // A different stream per append, so a second run with the same seed makes new ids.
      const rng = new Rng(options.seed ^ Math.imul(existing + 1, 0x9e3779b1));
      const usernames = new UniqueNames(checkLocalpart);
      const roomNames = new UniqueNames(checkRoomName);
      const emails = new UniqueNames((raw) => ({ ok: true, name: raw }));
      if (existing > 0) {
        begin("existing names");
        // Appending: names already used stay taken (usernames and room addresses are unique).
        for (const a of await tx.xmppAccount.findMany({
          select: { localpart: true, domain: true },
        }))
          usernames.reserve(`${a.domain}\u0000${a.localpart}`);
        for (const t of await tx.usernameTombstone.findMany({
          select: { localpart: true, domain: true },
        }))
          usernames.reserve(`${t.domain}\u0000${t.localpart}`);
        for (const r of await tx.room.findMany({ select: { name: true, domain: true } }))
          roomNames.reserve(`${r.domain}\u0000${r.name}`);
        for (const t of await tx.roomTombstone.findMany({ select: { name: true, domain: true } }))
          roomNames.reserve(`${t.domain}\u0000${t.name}`);
        for (const u of await tx.user.findMany({ select: { email: true } }))
          emails.reserve(`@\u0000${u.email}`);
        end();
      }

      // Plans, servers and a few support staff: found by name when appending.
      begin("plans, servers, staff");
      const plans: PlanRow[] = [];
      for (const p of PLANS) {
        const found = await tx.plan.findUnique({ where: { name: p.name }, select: { id: true } });
        const id =
          found?.id ??
          (
            await tx.plan.create({
              data: { id: rng.id(), ...p, retentionDays: 30, createdAt: ago(SPAN_DAYS + 30) },
              select: { id: true },
            })
          ).id;
        plans.push({ ...p, id });
      }
      const hasDefault = (await tx.server.count({ where: { isDefault: true } })) > 0;
      const servers: { row: ServerRow; share: number }[] = [];
      for (const [i, s] of SERVERS.entries()) {
        const domain = `${s.site}.parley-demo.example`;
        const found = await tx.server.findUnique({
          where: { name: s.name },
          select: { id: true, domain: true, mucDomain: true },
        });
        const row =
          found ??
          (await tx.server.create({
            data: {
              id: rng.id(),
              name: s.name,
              kind: s.kind,
              domain,
              mucDomain: `conference.${domain}`,
              ...(s.kind === "EJABBERD"
                ? { transport: "LOCAL", apiUrl: `https://${domain}:5443/api` }
                : {
                    transport: "SSH",
                    sshHost: domain,
                    sshPort: 22,
                    sshUser: "parley",
                    prosodyctlCommand: "prosodyctl",
                  }),
              isDefault: !hasDefault && i === 0,
              createdAt: ago(SPAN_DAYS + 30),
            },
            select: { id: true, domain: true, mucDomain: true },
          }));
        servers.push({
          row: { ...row, mucDomain: row.mucDomain ?? `conference.${row.domain}` },
          share: s.share,
        });
      }
      const staff: StaffRow[] = [];
      rows["staff users"] = 0;
      for (const name of ["Robin Support", "Sam Support", "Alex Operations", "Kim Operations"]) {
        const email = `${name.toLowerCase().replace(" ", ".")}@parley-demo.example`;
        emails.reserve(`@\u0000${email}`);
        const found = await tx.user.findUnique({ where: { email }, select: { id: true } });
        const id =
          found?.id ??
          (
            await tx.user.create({
              // Support, not admin: a fresh install seeded for a demo still gets its first-admin link.
              data: {
                id: rng.id(),
                email,
                name,
                role: "SUPPORT",
                passwordHash: NO_PASSWORD,
                createdAt: ago(SPAN_DAYS + 30),
              },
              select: { id: true },
            })
          ).id;
        if (!found) rows["staff users"]++;
        staff.push({ id, email });
      }
      rows.plans = plans.length;
      rows.servers = servers.length;
      stepOf.plans = stepOf.servers = stepOf["staff users"] = phase;
      end();

      // Customers and their portal users.
      begin("customers");
      const serverShares = servers.map((s) => [s.row, s.share] as const);
      const customers: Cust[] = [];
      for (let i = 0; i < counts.customers; i++) {
        const kind = rng.weighted<CustomerKind>([
          ["PERSON", 70],
          ["FAMILY", 22],
          ["COMPANY", 8],
        ]);
        const status = i === 0 ? "ACTIVE" : rng.weighted(STATUS_SHARES);
        const plan =
          kind === "PERSON"
            ? plans[0]
            : kind === "FAMILY"
              ? plans[1]
              : plans[rng.chance(0.15) ? 3 : 2];
        const createdAt = rng.between(ago(SPAN_DAYS), ago(status === "PENDING" ? 0.1 : 3));
        const ended = status === "CLOSED" || status === "TERMINATED";
        customers.push({
          id: rng.id(),
          status,
          kind,
          plan,
          server: rng.weighted(serverShares),
          first: rng.pick(FIRST_NAMES),
          last: rng.pick(LAST_NAMES),
          createdAt,
          endAt: ended ? rng.between(new Date(createdAt.getTime() + DAY), ago(1)) : now,
          users: [],
          accounts: [],
          rooms: [],
        });
      }
      // Seat and room counts first: they may move a tiny run's customers to a larger plan.
      const accountsWanted = customers.map((c) =>
        c.kind === "PERSON"
          ? 1 + rng.int(3)
          : c.kind === "FAMILY"
            ? 2 + rng.int(5)
            : 5 + rng.int(26),
      );
      const accountCap = (c: Cust) => (c.status === "PENDING" ? 0 : c.plan.seats);
      fitTotal(rng, customers, accountsWanted, accountCap, counts.accounts, plans);
      const roomsWanted = customers.map((c) =>
        c.kind === "PERSON"
          ? rng.chance(0.1)
            ? 1
            : 0
          : c.kind === "FAMILY"
            ? rng.int(3)
            : 1 + rng.int(6),
      );
      const roomCap = (c: Cust) => (c.status === "PENDING" ? 0 : c.plan.rooms);
      fitTotal(rng, customers, roomsWanted, roomCap, counts.rooms, plans);

      const customerRows = customers.map((c): Prisma.CustomerCreateManyInput => {
        const name =
          c.kind === "PERSON"
            ? title(`${c.first} ${c.last}`)
            : c.kind === "FAMILY"
              ? `${title(c.last)} family`
              : `${title(c.last)} ${rng.pick(COMPANY_SUFFIXES)}`;
        const mail = rng.pick(MAIL_DOMAINS);
        const contactEmail =
          c.kind === "COMPANY"
            ? `office@${ascii(c.last)}.${mail}`
            : `${ascii(c.first)}.${ascii(c.last)}@${mail}`;
        const users = c.kind === "COMPANY" ? 2 : 1;
        for (let u = 0; u < users; u++) {
          const first = u === 0 ? c.first : rng.pick(FIRST_NAMES);
          const email = emails.take(`${ascii(first)}.${ascii(c.last)}`, "@", "user") + `@${mail}`;
          c.users.push({ id: rng.id(), email, name: title(`${first} ${c.last}`) });
        }
        return {
          id: c.id,
          name,
          kind: c.kind,
          contactEmail,
          status: c.status,
          planId: c.plan.id,
          notes: rng.chance(0.05) ? "Asked for an invoice in their local language." : "",
          closingAt:
            c.status === "CLOSING"
              ? new Date(nowMs + (1 + rng.int(30)) * DAY)
              : c.status === "CLOSED"
                ? c.endAt
                : null,
          terminatedAt: c.status === "CLOSED" || c.status === "TERMINATED" ? c.endAt : null,
          createdAt: c.createdAt,
          updatedAt: c.endAt,
        };
      });
      await insert("customers", customerRows, (chunk) => write("Customer", chunk));
      const userRows = customers.flatMap((c) =>
        c.users.map((u, i): Prisma.UserCreateManyInput => ({
          id: u.id,
          email: u.email,
          name: u.name,
          role: "CUSTOMER" as const,
          customerId: c.id,
          passwordHash: NO_PASSWORD,
          lastLoginAt: c.status === "PENDING" ? null : rng.between(c.createdAt, c.endAt),
          createdAt: new Date(c.createdAt.getTime() + i * DAY),
          // Written by the client, not the database: a raw INSERT must give it.
          updatedAt: c.endAt,
        })),
      );
      await insert("users", userRows, (chunk) => write("User", chunk));
      end();

      // Chat accounts: the customer's people on the customer's server; a hold's reason on every
      // account of a held customer (as lib/customers/holds.ts puts it), deleted ones tombstoned.
      begin("accounts");
      const accountRows: Prisma.XmppAccountCreateManyInput[] = [];
      const tombstones: Prisma.UsernameTombstoneCreateManyInput[] = [];
      for (const [ci, c] of customers.entries()) {
        for (let k = 0; k < accountsWanted[ci]; k++) {
          const first = k === 0 ? c.first : rng.pick(FIRST_NAMES);
          const last = c.kind === "COMPANY" ? rng.pick(LAST_NAMES) : c.last;
          const localpart = usernames.take(localpartFor(rng, first, last), c.server.domain, "user");
          const createdAt = rng.between(c.createdAt, c.endAt);
          let status: AccountStatus = "ACTIVE";
          let reasons: SuspensionReason[] = [];
          if (c.status === "SUSPENDED") {
            status = "SUSPENDED";
            reasons = rng.chance(0.1) ? ["billing", "staff"] : ["billing"];
          } else if (c.status === "CLOSING") {
            status = "SUSPENDED";
            reasons = ["closing"];
          } else if (c.status === "CLOSED" || c.status === "TERMINATED") {
            status = "DELETED";
          } else {
            const r = rng.next();
            if (r < 0.03) {
              status = "SUSPENDED";
              reasons = [r < 0.015 ? "staff" : "customer"];
            } else if (r < 0.035) status = "DELETED";
            else if (r < 0.04) status = "FAILED";
            else if (r < 0.045 && c.endAt.getTime() - createdAt.getTime() < DAY) status = "PENDING";
          }
          const deletedAt = status === "DELETED" ? rng.between(createdAt, c.endAt) : null;
          const account: Acct = {
            id: rng.id(),
            c,
            address: `${localpart}@${c.server.domain}`,
            status,
            createdAt,
          };
          c.accounts.push(account);
          accountRows.push({
            id: account.id,
            customerId: c.id,
            serverId: c.server.id,
            localpart,
            domain: c.server.domain,
            displayName: title(`${first} ${last}`),
            status,
            suspensionReasons: JSON.stringify(reasons),
            recoveryEmail: rng.chance(0.3)
              ? `${ascii(first)}.${ascii(last)}@${rng.pick(MAIL_DOMAINS)}`
              : null,
            createdAt,
            updatedAt: deletedAt ?? createdAt,
            deletedAt,
          });
          if (deletedAt) {
            tombstones.push({
              id: rng.id(),
              localpart,
              domain: c.server.domain,
              customerId: c.id,
              deletedAt,
            });
          }
        }
      }
      await insert("accounts", accountRows, (chunk) => write("XmppAccount", chunk));
      await insert("username tombstones", tombstones, (chunk) => write("UsernameTombstone", chunk));
      end();

      // Rooms on the customer's server's MUC domain, each with its owner.
      begin("rooms");
      const roomRows: Prisma.RoomCreateManyInput[] = [];
      const roomTombstones: Prisma.RoomTombstoneCreateManyInput[] = [];
      const owners: Prisma.RoomAffiliationCreateManyInput[] = [];
      for (const [ci, c] of customers.entries()) {
        for (let k = 0; k < roomsWanted[ci]; k++) {
          const word = rng.pick(ROOM_WORDS);
          const base = c.kind === "PERSON" || rng.chance(0.5) ? word : `${c.last}-${word}`;
          const name = roomNames.take(base, c.server.mucDomain, "room");
          const createdAt = rng.between(c.createdAt, c.endAt);
          const deleted = c.status === "CLOSED" || c.status === "TERMINATED";
          const room: RoomRow = { id: rng.id(), c, deleted, createdAt };
          c.rooms.push(room);
          roomRows.push({
            id: room.id,
            customerId: c.id,
            serverId: c.server.id,
            name,
            domain: c.server.mucDomain,
            title: title(word.replace("-", " ")),
            status: deleted ? ("DELETED" as const) : ("ACTIVE" as const),
            createdAt,
            updatedAt: deleted ? c.endAt : createdAt,
          });
          if (deleted) {
            roomTombstones.push({
              id: rng.id(),
              name,
              domain: c.server.mucDomain,
              customerId: c.id,
              deletedAt: c.endAt,
            });
          } else if (c.accounts.length > 0) {
            owners.push({
              id: rng.id(),
              roomId: room.id,
              jid: c.accounts[0].address,
              affiliation: "owner",
              createdAt,
            });
          }
        }
      }
      await insert("rooms", roomRows, (chunk) => write("Room", chunk));
      await insert("room tombstones", roomTombstones, (chunk) => write("RoomTombstone", chunk));
      await insert("room affiliations", owners, (chunk) => write("RoomAffiliation", chunk));
      end();

      // Invites, picked through accounts so larger customers send more. Only the hash of a token
      // nobody ever sees is stored: a seeded link cannot be used, even by someone with the seed.
      begin("invites");
      const allAccounts = customers.flatMap((c) => c.accounts);
      const inviteRows: Prisma.InviteCreateManyInput[] = [];
      const uses: Prisma.InviteUseCreateManyInput[] = [];
      for (let i = 0; i < counts.invites; i++) {
        const c = rng.pick(allAccounts).c;
        const createdAt = rng.between(c.createdAt, c.endAt);
        let kind = rng.weighted<InviteKind>([
          ["ACCOUNT", 75],
          ["ROOM", 15],
          ["CONTACT", 10],
        ]);
        const room = kind === "ROOM" && c.rooms.length > 0 ? rng.pick(c.rooms) : null;
        if (kind === "ROOM" && !room) kind = "ACCOUNT";
        const byStaff = rng.chance(0.35);
        const maxUses = rng.weighted([
          [1, 90],
          [5, 6],
          [10, 4],
        ]);
        const expiresAt = rng.chance(0.9) ? new Date(createdAt.getTime() + 7 * DAY) : null;
        const open = (!expiresAt || expiresAt > now) && c.endAt === now;
        // A single-use link is mostly used; a group link by some of the group.
        const used = open
          ? rng.int(maxUses)
          : maxUses === 1
            ? Number(rng.chance(0.7))
            : rng.int(maxUses + 1);
        const revokedAt =
          rng.chance(0.06) && used < maxUses
            ? rng.between(createdAt, expiresAt && expiresAt < c.endAt ? expiresAt : c.endAt)
            : null;
        const id = rng.id();
        inviteRows.push({
          id,
          tokenHash: hashToken(newToken()),
          kind,
          customerId: c.id,
          createdById: byStaff ? rng.pick(staff).id : rng.pick(c.users).id,
          serverId: byStaff && rng.chance(0.3) ? c.server.id : null,
          localpart:
            kind === "ACCOUNT" && maxUses === 1 && rng.chance(0.15)
              ? usernames.take(rng.pick(FIRST_NAMES), c.server.domain, "guest")
              : null,
          roomId: room?.id ?? null,
          accountId: kind === "CONTACT" ? rng.pick(c.accounts).id : null,
          maxUses,
          uses: used,
          expiresAt,
          revokedAt,
          note: rng.chance(0.2) ? "For the new colleague" : "",
          createdAt,
        });
        const last = revokedAt ?? (expiresAt && expiresAt < c.endAt ? expiresAt : c.endAt);
        for (let u = 0; u < used; u++) {
          uses.push({
            id: rng.id(),
            inviteId: id,
            accountId: rng.pick(c.accounts).id,
            receiptHash: hashToken(newToken()),
            usedAt: rng.between(createdAt, last),
          });
        }
      }
      await insert("invites", inviteRows, (chunk) => write("Invite", chunk));
      await insert("invite uses", uses, (chunk) => write("InviteUse", chunk));
      end();

      // Jobs: mostly done; some dead (FAILED after every attempt), retrying, waiting, cancelled.
      // Generated and written a chunk at a time.
      begin("jobs");
      const allRooms = customers.flatMap((c) => c.rooms);
      const jobKinds: readonly (readonly [JobType, number])[] = [
        ["account.create", 45],
        ["account.password", 10],
        ["account.suspension", 8],
        ["account.delete", 4],
        ["account.kick", 2],
        ["room.create", allRooms.length ? 8 : 0],
        ["room.affiliation", allRooms.length ? 4 : 0],
        ["room.destroy", allRooms.length ? 1 : 0],
        ["server.reconcile", 5],
        ["server.verify", 5],
        ["server.purge", 3],
        ["billing.tick", 2],
        ["parley.housekeeping", 3],
      ];
      const jobStatus = (): [JobStatus, boolean] =>
        rng.weighted<[JobStatus, boolean]>([
          [["SUCCEEDED", false], 92],
          [["FAILED", false], 3],
          [["PENDING", true], 1],
          [["PENDING", false], 2],
          [["CANCELLED", false], 2],
        ]);
      for (let done = 0; done < counts.jobs;) {
        const chunk: Prisma.JobCreateManyInput[] = [];
        for (; chunk.length < chunkSize && done < counts.jobs; done++) {
          const type = rng.weighted(jobKinds);
          let [status, retrying] = jobStatus();
          let payload: Record<string, unknown> = {};
          let about: {
            serverId: string | null;
            customerId: string | null;
            subjectId: string | null;
          } = {
            serverId: null,
            customerId: null,
            subjectId: null,
          };
          let live = true;
          let createdAt = ago(SPAN_DAYS * rng.next());
          if (type.startsWith("account.")) {
            const a = rng.pick(allAccounts);
            payload = { accountId: a.id };
            about = { serverId: a.c.server.id, customerId: a.c.id, subjectId: a.id };
            createdAt =
              type === "account.create" ? a.createdAt : rng.between(a.createdAt, a.c.endAt);
            live = a.c.endAt === now;
            if (type === "account.create" && a.status === "PENDING")
              [status, retrying] = ["PENDING", false];
            if (type === "account.create" && a.status === "FAILED")
              [status, retrying] = ["FAILED", false];
          } else if (type.startsWith("room.")) {
            const r = rng.pick(allRooms);
            payload =
              type === "room.affiliation"
                ? {
                    roomId: r.id,
                    jid: rng.pick(r.c.accounts.length ? r.c.accounts : allAccounts).address,
                    affiliation: "member",
                  }
                : { roomId: r.id };
            about = { serverId: r.c.server.id, customerId: r.c.id, subjectId: r.id };
            createdAt = type === "room.create" ? r.createdAt : rng.between(r.createdAt, r.c.endAt);
            live = r.c.endAt === now;
          } else if (type.startsWith("server.")) {
            const s = rng.pick(servers).row;
            payload =
              type === "server.reconcile"
                ? { serverId: s.id, mode: "dry-run", maxMissingShare: 0.25 }
                : { serverId: s.id };
            about = { serverId: s.id, customerId: null, subjectId: s.id };
          }
          // Work for an ended customer finished long ago; waiting work is recent.
          if (!live && status === "PENDING") [status, retrying] = ["SUCCEEDED", false];
          if (status === "PENDING") createdAt = new Date(nowMs - rng.int(120 * 60_000));
          const attempts =
            status === "SUCCEEDED"
              ? rng.chance(0.1)
                ? 2
                : 1
              : status === "FAILED"
                ? 8
                : retrying
                  ? 1 + rng.int(3)
                  : status === "CANCELLED"
                    ? rng.int(3)
                    : 0;
          const finished = status !== "PENDING";
          chunk.push({
            id: rng.id(),
            type,
            payload: payload as never,
            status,
            attempts,
            maxAttempts: 8,
            runAt: retrying ? new Date(nowMs + (1 + rng.int(600)) * 1000) : createdAt,
            lastError:
              status === "FAILED" || retrying || (status === "SUCCEEDED" && attempts > 1)
                ? rng.pick(JOB_ERRORS)
                : null,
            ...about,
            createdById: rng.chance(0.2) ? rng.pick(staff).id : null,
            createdAt,
            finishedAt: finished ? new Date(createdAt.getTime() + 200 + rng.int(30_000)) : null,
          });
        }
        await insert("jobs", chunk, (c) => write("Job", c), counts.jobs);
      }
      end();

      // Audit events with real action names: how each customer came, its portal users and rooms,
      // its status change, then everyday work, to exactly 5 per customer.
      begin("audit events");
      const system = { id: null as string | null, email: "system" };
      type Event = {
        action: string;
        targetType: string;
        targetId: string | null;
        reason?: string;
        details?: Record<string, unknown>;
      };
      const everyday: readonly (readonly [(c: Cust) => Event | null, number])[] = [
        [(c) => (c.accounts.length ? account(c, "account.created") : null), 40],
        [(c) => (c.accounts.length ? account(c, "account.password_set") : null), 10],
        [(c) => (c.accounts.length ? account(c, "account.reset_link_created") : null), 3],
        [(c) => (c.accounts.length ? account(c, "account.sessions_kicked") : null), 2],
        [
          (c) =>
            c.accounts.length ? { ...account(c, "account.suspended"), reason: "staff" } : null,
          3,
        ],
        [(c) => (c.accounts.length ? account(c, "account.deleted") : null), 2],
        [() => ({ action: "invite.created", targetType: "invite", targetId: null }), 12],
        [() => ({ action: "invite.redeemed", targetType: "invite", targetId: null }), 8],
        [(c) => ({ action: "customer.updated", targetType: "customer", targetId: c.id }), 3],
        [(c) => ({ action: "customer.plan_changed", targetType: "customer", targetId: c.id }), 2],
        [
          (c) => ({
            action: "user.password_changed",
            targetType: "user",
            targetId: rng.pick(c.users).id,
          }),
          5,
        ],
        [
          (c) => ({
            action: "user.two_factor_enabled",
            targetType: "user",
            targetId: rng.pick(c.users).id,
          }),
          1,
        ],
      ];
      function account(c: Cust, action: string): Event {
        const a = rng.pick(c.accounts);
        return {
          action,
          targetType: "xmppAccount",
          targetId: a.id,
          details: action === "account.created" ? { address: a.address } : undefined,
        };
      }
      const statusEvent: Partial<Record<CustomerStatus, Event["action"]>> = {
        PAST_DUE: "customer.billing_past_due",
        SUSPENDED: "customer.billing_suspended",
        CLOSING: "customer.closing",
        CLOSED: "customer.closed",
        TERMINATED: "customer.terminated",
      };
      const fixed =
        customers.length +
        userRows.length +
        roomRows.length +
        customers.filter((c) => statusEvent[c.status]).length;
      let remaining = Math.max(0, counts.auditEvents - fixed);
      let buffer: Prisma.AuditEventCreateManyInput[] = [];
      const flush = async (force = false) => {
        if (buffer.length >= chunkSize || (force && buffer.length)) {
          const chunk = buffer;
          buffer = [];
          await insert("audit events", chunk, (c) => write("AuditEvent", c), counts.auditEvents);
        }
      };
      const push = async (c: Cust, at: Date, byStaff: boolean, e: Event) => {
        const actor = byStaff
          ? rng.pick(staff)
          : e.action.startsWith("customer.billing")
            ? system
            : rng.pick(c.users);
        buffer.push({
          id: rng.id(),
          at,
          actorId: actor.id,
          actorLabel: actor.email,
          action: e.action,
          targetType: e.targetType,
          targetId: e.targetId,
          customerId: c.id,
          reason: e.reason ?? null,
          details: (e.details ?? undefined) as never,
        });
        await flush();
      };
      for (const [i, c] of customers.entries()) {
        const selfServe = rng.chance(0.6);
        await push(c, c.createdAt, !selfServe, {
          action: selfServe ? "customer.signed_up" : "customer.created",
          targetType: "customer",
          targetId: c.id,
        });
        for (const u of c.users)
          await push(c, c.createdAt, true, {
            action: "portal_user.invited",
            targetType: "user",
            targetId: u.id,
          });
        for (const r of c.rooms)
          await push(c, r.createdAt, rng.chance(0.2), {
            action: "room.created",
            targetType: "room",
            targetId: r.id,
          });
        const change = statusEvent[c.status];
        if (change) {
          const at = c.endAt === now ? rng.between(c.createdAt, now) : c.endAt;
          await push(
            c,
            at,
            change === "customer.terminated" || change === "customer.closed"
              ? rng.chance(0.5)
              : false,
            {
              action: change,
              targetType: "customer",
              targetId: c.id,
              reason: c.status === "SUSPENDED" ? "billing" : undefined,
            },
          );
        }
        // Spread what is left evenly over the customers that remain.
        let share = Math.floor(remaining / (customers.length - i));
        if (i === customers.length - 1) share = remaining;
        remaining -= share;
        while (share > 0) {
          const e = rng.weighted(everyday)(c);
          if (!e) continue;
          share--;
          await push(c, rng.between(c.createdAt, c.endAt), rng.chance(0.3), e);
        }
      }
      await flush(true);
      end();

      begin("outbox emails");
      await insert("outbox emails", outboxRows(rng, customers, counts.outboxEmails), (c) =>
        write("OutboxEmail", c),
      );
      end();
    },
    { timeout: 60 * 60_000, maxWait: 60_000 },
  );
  // A PostgreSQL database of this size has planner statistics and a visibility map (which lets
  // index-only scans skip the table): autovacuum makes both within a minute or so of a bulk
  // load. Make them now, so what is timed next is not planned blind.
  // (SQLite gets none: Parley never runs ANALYZE there.)
  if (postgres) {
    begin("statistics");
    await db.$executeRawUnsafe("VACUUM ANALYZE");
    end();
  }

  return { rows, stepOf, seconds, totalSeconds: (performance.now() - started) / 1000 };
}
