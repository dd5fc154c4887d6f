import type { DB } from "@/core/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { notifyRole } from "@/lib/notifications/notify";

// A certificate about to expire (or expired) is told to admins once: in the console and by
// email, with an audit event. The expiry a notice went out for is kept on the server, so a
// renewed certificate that later nears its own expiry is told again.
export const EXPIRY_NOTICE_DAYS = 14;

export async function noticeExpiringCertificate(
  db: DB,
  server: { id: string; name: string },
  notAfterIso: string | null,
  at: Date,
): Promise<boolean> {
  if (!notAfterIso) return false;
  const notAfter = new Date(notAfterIso);
  const daysLeft = Math.ceil((notAfter.getTime() - at.getTime()) / 86_400_000);
  if (notAfter.getTime() - at.getTime() > EXPIRY_NOTICE_DAYS * 86_400_000) return false;
  // Compare-and-set: of two evaluations finishing together, one tells.
  const claimed = await db.server.updateMany({
    where: { id: server.id, OR: [{ certNoticeFor: null }, { certNoticeFor: { not: notAfter } }] },
    data: { certNoticeFor: notAfter },
  });
  if (claimed.count === 0) return false;
  const expired = notAfter.getTime() <= at.getTime();
  const when = `${notAfter.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  await recordAudit(
    {
      actor: null,
      action: expired ? "server.certificate_expired" : "server.certificate_expiring",
      targetType: "server",
      targetId: server.id,
      details: { notAfter: notAfter.toISOString() },
    },
    db,
  );
  await notifyRole("ADMIN", {
    title: expired
      ? `The TLS certificate of ${server.name} has expired`
      : `The TLS certificate of ${server.name} expires in ${daysLeft} day${daysLeft === 1 ? "" : "s"}`,
    body: expired
      ? `It expired on ${when}: clients and other servers refuse the connection. Renew it and reload the server.`
      : `It is valid until ${when}. Renew it before then and reload the server; the live evaluation checks again every few hours.`,
    link: `/console/servers/${server.id}/compliance`,
    email: true,
  });
  return true;
}
