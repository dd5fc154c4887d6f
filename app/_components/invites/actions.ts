"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { AppError } from "@/core/errors";
import { canAccessCustomer } from "@/lib/auth/policy";
import { prisma } from "@/core/db";
import { createInvite, reissueInviteLink, revokeInvite } from "@/lib/invites/create-invite";
import type { SessionUser } from "@/lib/auth/session";
import { ZCreateInvite, ZInviteId } from "@/lib/validation/invites";

// Staff invite for any customer; portal users for their own customer only (its rooms and
// accounts are checked against the customer in createInvite).
export const createInviteAction = defineAction({
  schema: ZCreateInvite,
  authorize(user, input) {
    if (!canAccessCustomer(user, input.customerId, "invites.write")) throw new AppError(user.role === "CUSTOMER" ? "not_found" : "forbidden", "You cannot invite people to this customer.");
  },
  async run(input, user) {
    const { link } = await createInvite(input, user);
    revalidatePath("/console/invites");
    revalidatePath("/portal/invites");
    return { ok: true, message: "Invite created. Copy the link now: it is shown only once.", data: { link, qr: link } };
  },
});

async function authorizeInvite(user: SessionUser, input: { inviteId: string }) {
  const invite = await prisma.invite.findUnique({ where: { id: input.inviteId }, select: { customerId: true } });
  if (!invite || !canAccessCustomer(user, invite.customerId, "invites.write")) {
    throw new AppError(user.role === "CUSTOMER" || !invite ? "not_found" : "forbidden", "That invite does not exist.");
  }
}

export const reissueInviteAction = defineAction({
  schema: ZInviteId,
  authorize: authorizeInvite,
  async run(input, user) {
    const { link } = await reissueInviteLink(input.inviteId, user);
    return { ok: true, message: "New link below; the old one no longer works. Copy it now: it is shown only once.", data: { link, qr: link } };
  },
});

export const revokeInviteAction = defineAction({
  schema: ZInviteId,
  authorize: authorizeInvite,
  async run(input, user) {
    await revokeInvite(input.inviteId, user);
    revalidatePath("/console/invites");
    revalidatePath("/portal/invites");
    return { ok: true, message: "Withdrawn: the link no longer works." };
  },
});
