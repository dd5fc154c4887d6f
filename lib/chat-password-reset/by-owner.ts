import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { smtpConfigured } from "@/lib/notifications/send-email";
import { allowAttempt } from "@/lib/rate-limit/attempts";
import { enqueue } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import {
  createResetLink,
  emailResetLink,
  RESET_LINK_HOURS,
} from "@/lib/chat-password-reset/reset-links";

// A chat account's own user asks for a reset link at /reset, without calling anyone; it goes
// only to the recovery email the customer recorded for that account.

// Limits how often one address can be mailed, so the form cannot be used to flood an inbox.
const PER_ADDRESS = { limit: 3, windowMs: 60 * 60_000 };

// Answers the same whether or not the address exists or has a recovery email, and only works
// when email can actually be delivered (SMTP); otherwise the page sends people to a person. The
// request does the same work for every address (one limit count, one queued job with the address
// sealed); the worker looks it up and mails or drops it, so no reply time tells them apart.
export async function requestChatPasswordReset(address: string): Promise<void> {
  if (!smtpConfigured())
    throw new AppError(
      "invalid",
      "Reset links by email are not available here. Ask whoever runs your account (your family or company admin) or your provider's support.",
    );
  const [localpart, domain] = address.trim().toLowerCase().split("@");
  if (!localpart || !domain) return;
  const typed = `${localpart}@${domain}`;
  if (!(await allowAttempt("account-reset", typed, PER_ADDRESS.limit, PER_ADDRESS.windowMs)))
    return;
  await enqueue(prisma, "account-reset.request", {}, { secret: typed, maxAttempts: 3 });
  nudgeWorker();
}

// Run by the worker for a queued request: mails a reset link to the account's recovery email,
// if the address is a live account that has one.
export async function sendChatResetLink(address: string): Promise<void> {
  const [localpart, domain] = address.split("@");
  if (!localpart || !domain) return;
  const account = await prisma.xmppAccount.findUnique({
    where: { localpart_domain: { localpart, domain } },
    select: { id: true, status: true, recoveryEmail: true },
  });
  if (!account?.recoveryEmail || account.status === "DELETED" || account.status === "DELETING")
    return;
  const { link } = await createResetLink(
    account.id,
    RESET_LINK_HOURS,
    "requested by the account's user",
    null,
  );
  await emailResetLink(account.id, link, RESET_LINK_HOURS, account.recoveryEmail);
}
