import { addHours } from "date-fns";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { issueOneTimeLink } from "@/lib/users/one-time-links";
import { recordAudit } from "@/lib/audit/record-audit";
import { sendEmail } from "@/lib/notifications/send-email";

export const WELCOME_LINK_HOURS = 7 * 24;

// Not a valid Argon2 hash: nobody can sign in until the welcome link sets a password.
const NO_PASSWORD = "!unset";

type Actor = { id: string; email: string };

// Creates a staff member or portal user and emails a link to choose a password.
// The link is also returned so the inviter can hand it over when no SMTP is configured.
export async function inviteUser(
  input: {
    name: string;
    email: string;
    role: "ADMIN" | "SUPPORT" | "CUSTOMER";
    customerId?: string;
  },
  // null: Parley itself (e.g. after a customer's first payment).
  actor: Actor | null,
): Promise<{ userId: string; link: string }> {
  if (await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
    throw new AppError("conflict", "Someone with that email already has a console login.", {
      email: ["Already in use"],
    });
  }
  const { userId, token } = await prisma.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: {
        name: input.name,
        email: input.email,
        role: input.role,
        passwordHash: NO_PASSWORD,
        customerId: input.role === "CUSTOMER" ? input.customerId : null,
        createdAt: now(),
      },
      select: { id: true },
    });
    const token = await issueOneTimeLink(
      { purpose: "welcome", ttlHours: WELCOME_LINK_HOURS, userId: user.id, email: input.email },
      tx,
    );
    await recordAudit(
      {
        actor,
        action: input.role === "CUSTOMER" ? "portal_user.invited" : "staff.invited",
        targetType: "user",
        targetId: user.id,
        customerId: input.customerId ?? null,
        details: { role: input.role },
      },
      tx,
    );
    return { userId: user.id, token };
  });
  const link = `${getConfig().publicUrl}/welcome/${token}`;
  await sendEmail({
    to: input.email,
    subject: "Your Parley sign-in",
    text: `${actor ? `${actor.email} created a Parley sign-in for you.` : "Your subscription is active, and this is your sign-in to manage it."}\n\nChoose your password within 7 days:\n${link}\n\nIf you did not expect this, ignore this email.`,
    linksExpireAt: addHours(now(), WELCOME_LINK_HOURS),
  });
  return { userId, link };
}
