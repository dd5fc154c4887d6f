import { z } from "zod";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import {
  LOG_COUNT_CAP,
  ZListBase,
  createdRange,
  readListPage,
  textMatch,
  type KeysetColumn,
} from "@/lib/tables/keyset";
import { readInChunks } from "@/lib/tables/chunks";

// Reads of in-app notifications and the email outbox.

// A user's latest 50 notifications, newest first.
export function listNotifications(userId: string) {
  return prisma.notification.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: { id: true, title: true, body: true, link: true, readAt: true, createdAt: true },
  });
}

export type DeliveryState =
  | { state: "kept" }
  | { state: "sent"; at: Date }
  | { state: "sending" }
  | { state: "retrying"; attempts: number; error: string | null; nextTryAt: Date }
  | { state: "failed"; attempts: number; error: string | null };

// Where an email stands by its own row: sent, kept (no SMTP when written), failed (an attempt
// failed: given up or retrying, its job tells which) or queued (waiting for its first attempt).
export const OUTBOX_STATUSES = ["queued", "sent", "failed", "kept"] as const;
const STATUS_WHERE = {
  sent: { sentAt: { not: null } },
  kept: { transport: "outbox", sentAt: null },
  failed: { transport: "smtp", sentAt: null, error: { not: null } },
  queued: { transport: "smtp", sentAt: null, error: null },
} as const;

// The console's outbox: keyset pages, newest first. Parse the URL with ZOutboxListParams first.
export const ZOutboxListParams = ZListBase.extend({
  status: z.enum(OUTBOX_STATUSES).optional().catch(undefined),
  sort: z.enum(["created"]).catch("created"),
});
export type OutboxListParams = z.infer<typeof ZOutboxListParams>;

// One sort: when written, newest first.
export const OUTBOX_SORTS = {
  created: { field: "createdAt", kind: "value", date: true },
} as const satisfies Record<OutboxListParams["sort"], KeysetColumn>;

// A search word is part of (or the start of) the recipient's address or of the subject.
export function outboxListWhere(params: OutboxListParams) {
  const q = params.q?.trim();
  return {
    ...(params.status ? STATUS_WHERE[params.status] : {}),
    ...createdRange(params.from, params.to),
    ...(q
      ? {
          OR: [
            { to: textMatch(q.toLowerCase(), params.match) },
            { subject: textMatch(q, params.match) },
          ],
        }
      : {}),
  };
}

// What an outbox row shows of its email: the stored body is the redacted one, never the
// sealed text.
export const OUTBOX_ROW_FIELDS = {
  id: true,
  to: true,
  subject: true,
  text: true,
  transport: true,
  sentAt: true,
  error: true,
  createdAt: true,
} as const;

// One page of emails with where each stands: kept (no SMTP), sent, or its delivery job's state.
export async function listOutboxEmails(params: OutboxListParams) {
  const filter = outboxListWhere(params);
  const page = await readListPage(params, {
    column: OUTBOX_SORTS[params.sort],
    countCap: LOG_COUNT_CAP,
    read: ({ where, ...page }) =>
      prisma.outboxEmail.findMany({
        ...page,
        where: { AND: [filter, where] },
        select: { ...OUTBOX_ROW_FIELDS, sealedText: true, sealedUntil: true },
      }),
    sortValue: (r) => r.createdAt,
    count: (take, orderBy) => prisma.outboxEmail.count({ where: filter, take, orderBy }),
  });
  // The page learns only whether a sealed link can still be opened, never the sealed text.
  const rows = page.rows.map(({ sealedText, sealedUntil, ...email }) => ({
    ...email,
    linkKept: Boolean(sealedText) && !email.sentAt && (!sealedUntil || sealedUntil > now()),
  }));
  return { ...page, rows: await withDelivery(rows) };
}

type Email = { id: string; transport: string; sentAt: Date | null; error: string | null };

// Each email's delivery state, from its own row and its email.send job (for a page, or a CSV
// export's batch of a thousand: its jobs are read a few hundred at a time).
export async function withDelivery<T extends Email>(emails: T[]) {
  const jobs = await readInChunks(
    emails.map((e) => e.id),
    (ids) =>
      prisma.job.findMany({
        where: { type: "email.send", subjectId: { in: ids } },
        select: { subjectId: true, status: true, attempts: true, runAt: true, lastError: true },
      }),
  );
  const jobOf = new Map(jobs.map((j) => [j.subjectId, j]));
  return emails.map((email) => ({ ...email, delivery: deliveryOf(email, jobOf.get(email.id)) }));
}

function deliveryOf(
  email: Omit<Email, "id">,
  job: { status: string; attempts: number; runAt: Date; lastError: string | null } | undefined,
): DeliveryState {
  if (email.sentAt) return { state: "sent", at: email.sentAt };
  if (email.transport !== "smtp") return { state: "kept" };
  const error = job?.lastError ?? email.error;
  if (!job || job.status === "FAILED" || job.status === "CANCELLED") {
    return { state: "failed", attempts: job?.attempts ?? 0, error };
  }
  if (job.attempts > 0 && error) {
    return { state: "retrying", attempts: job.attempts, error, nextTryAt: job.runAt };
  }
  return { state: "sending" };
}
