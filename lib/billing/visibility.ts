import { Prisma } from "@/generated/sqlite/client";
import { can, type Principal } from "@/lib/auth/policy";

// Billing is admin-only (billing.read). The one list of what counts as billing in the shared
// audit trail and job queue; every read that support can reach filters by it.
const BILLING_AUDIT_PREFIXES = ["billing.", "customer.billing_", "plan."] as const;
export const BILLING_JOB_TYPES = ["billing.tick"];

export function seesBilling(viewer: Principal): boolean {
  return can(viewer, "billing.read");
}

// A Prisma where-fragment that leaves billing audit events out for viewers without billing.read.
export function auditVisibleTo(viewer: Principal) {
  return seesBilling(viewer)
    ? {}
    : { NOT: { OR: BILLING_AUDIT_PREFIXES.map((p) => ({ action: { startsWith: p } })) } };
}

// The same for jobs: billing jobs' errors and results carry Stripe's messages and ids.
export function jobsVisibleTo(viewer: Principal) {
  return seesBilling(viewer) ? {} : { type: { notIn: BILLING_JOB_TYPES } };
}

// The same rule as an SQL fragment ("AND …") for raw reads of the Job table.
export function jobsVisibleSql(viewer: Principal): Prisma.Sql {
  return seesBilling(viewer)
    ? Prisma.empty
    : Prisma.sql`AND "type" NOT IN (${Prisma.join(BILLING_JOB_TYPES)})`;
}
