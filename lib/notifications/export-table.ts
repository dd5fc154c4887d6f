import { prisma } from "@/core/db";
import {
  OUTBOX_ROW_FIELDS,
  OUTBOX_SORTS,
  ZOutboxListParams,
  outboxListWhere,
  withDelivery,
} from "@/lib/notifications/queries";
import { csvTable } from "@/lib/tables/csv-export";

// The outbox as CSV (lib/tables/csv-export.ts): the same params and filter as /console/outbox,
// and what it shows: recipient, subject, the stored (redacted) body and where delivery stands.
// Never the sealed body (OUTBOX_ROW_FIELDS has none): a kept link is shown one email at a time,
// audited, on the page.
export const outboxCsv = csvTable({
  permission: "outbox.read",
  params: ZOutboxListParams,
  sorts: OUTBOX_SORTS,
  where: (params) => outboxListWhere(params),
  async read(batch) {
    const rows = await prisma.outboxEmail.findMany({ ...batch, select: OUTBOX_ROW_FIELDS });
    return withDelivery(rows);
  },
  columns: [
    { header: "id", value: (r) => r.id },
    { header: "to", value: (r) => r.to },
    { header: "subject", value: (r) => r.subject },
    { header: "status", value: (r) => r.delivery.state },
    { header: "attempts", value: (r) => ("attempts" in r.delivery ? r.delivery.attempts : null) },
    { header: "error", value: (r) => ("error" in r.delivery ? r.delivery.error : null) },
    {
      header: "nextTryAt",
      value: (r) => (r.delivery.state === "retrying" ? r.delivery.nextTryAt : null),
    },
    { header: "sentAt", value: (r) => r.sentAt },
    { header: "createdAt", value: (r) => r.createdAt },
    { header: "body", value: (r) => r.text },
  ],
});
