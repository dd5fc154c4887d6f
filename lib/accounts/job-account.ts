import { sqlOf, type DB } from "@/core/db";
import { now } from "@/core/clock";
import type { Sql } from "@/core/sql";
import { tickBatcher } from "@/core/tick-batch";
import type { AccountStatus } from "@/generated/sqlite/enums";
import type { ClaimRead } from "@/provisioning/queue/claim-reads";
import type { SuccessWrite } from "@/provisioning/queue/success-writes";
import { PermanentJobError, type JobContext } from "@/provisioning/queue/types";

// The account row as account jobs need it, read and written with one driver-level statement
// each: every account job does both, and through Prisma they cost more CPU than the server
// call they wrap (bench/README.md, provisioning profile).
export type JobAccount = {
  id: string;
  customerId: string;
  serverId: string;
  localpart: string;
  domain: string;
  status: AccountStatus;
  suspensionReasons: string;
};

const COLUMNS = [
  "id",
  "customerId",
  "serverId",
  "localpart",
  "domain",
  "status",
  "suspensionReasons",
] as const satisfies (keyof JobAccount)[];

// Account jobs name their account in `accountId`: the worker reads it with the claim.
export const JOB_ACCOUNT: ClaimRead = {
  name: "account",
  table: "XmppAccount",
  key: "accountId",
  columns: [...COLUMNS],
};

const READ = (ids: string) => `SELECT ${COLUMNS.map((c) => `"${c}"`).join(", ")}
    FROM "XmppAccount" WHERE ${ids}`;
const READ_SQL = {
  postgres: READ(`"id" = ANY($1::text[])`),
  sqlite: READ(`"id" IN (SELECT value FROM json_each($1))`),
};

// The accounts of jobs that start together are read together.
const readers = new WeakMap<Sql, (id: string) => Promise<JobAccount | undefined>>();

function reader(sql: Sql) {
  let read = readers.get(sql);
  if (!read) {
    read = tickBatcher(async (ids: string[]) => {
      const rows = await sql.query<JobAccount>(
        READ_SQL[sql.dialect],
        [sql.dialect === "postgres" ? ids : JSON.stringify(ids)],
        "parley_job_accounts",
      );
      return new Map(rows.map((row) => [row.id, row]));
    });
    readers.set(sql, read);
  }
  return read;
}

// The job's account: as read with the claim, else read now.
type AccountJobContext = Pick<JobContext<{ accountId: string }>, "db" | "payload" | "row">;

export async function readJobAccount(ctx: AccountJobContext): Promise<JobAccount | null> {
  if (ctx.row !== undefined) return ctx.row as JobAccount | null;
  return (await reader(sqlOf(ctx.db))(ctx.payload.accountId)) ?? null;
}

export async function jobAccountOrThrow(ctx: AccountJobContext): Promise<JobAccount> {
  const account = await readJobAccount(ctx);
  // Gone with its customer: retrying cannot bring it back.
  if (!account) throw new PermanentJobError("The account of this job no longer exists.");
  return account;
}

// Sets the status (and updatedAt, as Prisma's @updatedAt would), only from one of `from` when
// given. Returns whether the row changed.
const SET_STATUS = `UPDATE "XmppAccount" SET "status" = $2, "updatedAt" = $3 WHERE "id" = $1`;
const SET_STATUS_FROM = `${SET_STATUS} AND "status" IN ($4, $5)`;

export async function setJobAccountStatus(
  db: DB,
  id: string,
  status: AccountStatus,
  from?: [AccountStatus, AccountStatus],
): Promise<boolean> {
  const sql = sqlOf(db);
  const at = sql.time(now());
  const rows = from
    ? await sql.execute(
        SET_STATUS_FROM,
        [id, status, at, ...from],
        "parley_job_account_status_from",
      )
    : await sql.execute(SET_STATUS, [id, status, at], "parley_job_account_status");
  return rows === 1;
}

// The status an account job leaves, written with the job's success (success-writes.ts). An
// account being deleted meanwhile (its row read before) keeps its status: the delete has the
// last word.
const KEEP_DELETING = (status: string) => `"status" = CASE
    WHEN "XmppAccount"."status" IN ('DELETING', 'DELETED') THEN "XmppAccount"."status"
    ELSE ${status} END`;
export const ACCOUNT_STATUS: SuccessWrite = {
  name: "account_status",
  table: "XmppAccount",
  columns: { status: "text", updatedAt: "timestamp(3)" },
  set: {
    postgres: `${KEEP_DELETING(`w."status"::"AccountStatus"`)}, "updatedAt" = w."updatedAt"`,
    sqlite: `${KEEP_DELETING(`w."status"`)}, "updatedAt" = w."updatedAt"`,
  },
};
