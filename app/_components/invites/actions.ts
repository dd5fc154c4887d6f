"use server";
import { revalidatePath } from "next/cache";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { customerIdIn, inviteIn } from "@/lib/auth/owners";
import { createInvite, reissueInviteLink, revokeInvite } from "@/lib/invites/create-invite";
import { ZCreateInvite, ZInviteId } from "@/lib/validation/invites";

// Staff invite for any customer; portal users for their own customer only (its rooms and
// accounts are checked against the customer in createInvite).
export const createInviteAction = defineAction({
  schema: ZCreateInvite,
  authorize: requires("invites.write", customerIdIn),
  async run(input, user) {
    const { link } = await createInvite(input, user);
    revalidatePath("/console/invites");
    revalidatePath("/portal/invites");
    return {
      ok: true,
      message: "Invite created. Copy the link now: it is shown only once.",
      data: { link, qr: link },
    };
  },
});

const authorizeInvite = requires("invites.write", inviteIn);

export const reissueInviteAction = defineAction({
  schema: ZInviteId,
  authorize: authorizeInvite,
  async run(input, user) {
    const { link } = await reissueInviteLink(input.inviteId, user);
    return {
      ok: true,
      message: "New link below; the old one no longer works. Copy it now: it is shown only once.",
      data: { link, qr: link },
    };
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
