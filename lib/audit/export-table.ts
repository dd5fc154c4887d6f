import { prisma } from "@/core/db";
import {
  AUDIT_ROW_SELECT,
  AUDIT_SORTS,
  ZAuditListParams,
  auditListFilter,
} from "@/lib/audit/queries";
import { csvTable } from "@/lib/tables/csv-export";

// The audit list as CSV (lib/tables/csv-export.ts): the same params and filter as
// /console/audit, whose where leaves billing events out for viewers without billing
// (auditVisibleTo). The details a change recorded ride along as JSON; the trail holds no
// client addresses (lib/audit/record-audit.ts), so neither does this.
export const auditCsv = csvTable({
  permission: "audit.read",
  params: ZAuditListParams,
  sorts: AUDIT_SORTS,
  where: (params, viewer) => auditListFilter(params, viewer),
  read: (batch) =>
    prisma.auditEvent.findMany({
      ...batch,
      select: { ...AUDIT_ROW_SELECT, details: true },
    }),
  columns: [
    { header: "id", value: (r) => r.id },
    { header: "at", value: (r) => r.at },
    { header: "actor", value: (r) => r.actorLabel },
    { header: "action", value: (r) => r.action },
    { header: "targetType", value: (r) => r.targetType },
    { header: "targetId", value: (r) => r.targetId },
    { header: "customerId", value: (r) => r.customerId },
    { header: "reason", value: (r) => r.reason },
    { header: "details", value: (r) => (r.details == null ? null : JSON.stringify(r.details)) },
  ],
});
