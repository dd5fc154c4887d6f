import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { getConfig } from "@/core/config";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { stripeClient } from "@/lib/billing/stripe-client";
import { createSubscriptionCheckout } from "@/lib/billing/subscription-checkout";
import { inviteUser } from "@/lib/users/invite-user";
import { createInvite } from "@/lib/invites/create-invite";
import { sendEmail } from "@/lib/notifications/send-email";

export function signupEnabled(): boolean {
  return getConfig().publicSignup && Boolean(stripeClient());
}

// A prospective customer picks a plan: Parley records a PENDING customer and sends them to
// Stripe Checkout. Nothing else happens until Stripe confirms the payment (webhook).
export async function startSignup(input: {
  name: string;
  kind: "PERSON" | "FAMILY" | "COMPANY";
  email: string;
  planId: string;
}): Promise<string> {
  const stripe = stripeClient();
  if (!getConfig().publicSignup || !stripe)
    throw new AppError("invalid", "Sign-up is not open. Contact the provider to get started.");
  const plan = await prisma.plan.findUnique({
    where: { id: input.planId },
    select: { id: true, stripePriceId: true, archivedAt: true },
  });
  if (!plan || plan.archivedAt || !plan.stripePriceId)
    throw new AppError("invalid", "Choose one of the plans shown.", { planId: ["Choose a plan"] });
  if (await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } })) {
    throw new AppError(
      "conflict",
      "That email already has a sign-in. Sign in and manage your plan from the portal.",
      { email: ["Already registered"] },
    );
  }
  const customer = await prisma.$transaction(async (tx) => {
    const created = await tx.customer.create({
      data: {
        name: input.name,
        kind: input.kind,
        contactEmail: input.email,
        planId: plan.id,
        status: "PENDING",
        createdAt: now(),
      },
      select: { id: true },
    });
    await recordAudit(
      {
        actor: null,
        action: "customer.signed_up",
        targetType: "customer",
        targetId: created.id,
        customerId: created.id,
        details: { planId: plan.id },
      },
      tx,
    );
    return created;
  });
  return createSubscriptionCheckout(stripe, {
    customerId: customer.id,
    priceId: plan.stripePriceId,
    payer: { email: input.email },
    successPath: "/signup/thanks",
    cancelPath: "/signup?canceled=1",
    idempotencyKey: `signup:${customer.id}`,
  });
}

// After the first payment: the signer becomes the customer's first portal user (a link to choose
// a password) and gets an invite to set up the first XMPP account. Runs once per customer.
export async function onboardPaidCustomer(customerId: string): Promise<boolean> {
  const customer = await prisma.customer.findUnique({
    where: { id: customerId },
    select: {
      id: true,
      name: true,
      contactEmail: true,
      status: true,
      _count: { select: { users: true } },
    },
  });
  if (!customer || customer.status !== "ACTIVE" || customer._count.users > 0) return false;
  await inviteUser(
    {
      name: customer.name,
      email: customer.contactEmail,
      role: "CUSTOMER",
      customerId: customer.id,
    },
    null,
  );
  const { link, inviteId } = await createInvite(
    { customerId: customer.id, kind: "ACCOUNT", maxUses: 1, expiry: "28d", note: "first account" },
    null,
  );
  const invite = await prisma.invite.findUniqueOrThrow({
    where: { id: inviteId },
    select: { expiresAt: true },
  });
  await sendEmail({
    to: customer.contactEmail,
    subject: "Set up your first chat address",
    text: `Welcome! Your subscription is active.\n\nCreate your first chat address here (the link works once, for 4 weeks):\n${link}\n\nYou can invite the others from your portal.`,
    linksExpireAt: invite.expiresAt,
  });
  return true;
}
