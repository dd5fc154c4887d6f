import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { smtpConfigured } from "@/lib/notifications/send-email";
import { allowAttempt } from "@/lib/rate-limit/attempts";
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
// when email can actually be delivered (SMTP); otherwise the page sends people to a person.
export async function requestChatPasswordReset(address: string): Promise<void> {
  if (!smtpConfigured())
    throw new AppError(
      "invalid",
      "Reset links by email are not available here. Ask whoever runs your account (your family or company admin) or your provider's support.",
    );
  const [localpart, domain] = address.trim().toLowerCase().split("@");
  if (!localpart || !domain) return;
  if (
    !(await allowAttempt(
      "account-reset",
      `${localpart}@${domain}`,
      PER_ADDRESS.limit,
      PER_ADDRESS.windowMs,
    ))
  )
    return;
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
