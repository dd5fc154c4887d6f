import { sqlOf, type DB } from "@/core/db";
import { now } from "@/core/clock";
import type { AccountStatus } from "@/generated/sqlite/enums";
import { PermanentJobError } from "@/provisioning/queue/types";

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

const READ = `SELECT "id", "customerId", "serverId", "localpart", "domain", "status", "suspensionReasons"
  FROM "XmppAccount" WHERE "id" = $1`;

export async function readJobAccount(db: DB, id: string): Promise<JobAccount | null> {
  const [row] = await sqlOf(db).query<JobAccount>(READ, [id], "parley_job_account");
  return row ?? null;
}

export async function jobAccountOrThrow(db: DB, id: string): Promise<JobAccount> {
  const account = await readJobAccount(db, id);
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
