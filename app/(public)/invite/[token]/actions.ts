"use server";
import { redirect } from "next/navigation";
import { defineTokenAction } from "@/lib/actions/define-action";
import { redeemInvite } from "@/lib/invites/redeem-invite";
import { ZRedeemInvite } from "@/lib/validation/invites";

// The invite token is the authorization: anyone holding the link may register once per use.
export const redeemInviteAction = defineTokenAction({
  schema: ZRedeemInvite,
  async run(input) {
    const { receipt } = await redeemInvite(input.token, input);
    redirect(`/invite/welcome/${receipt}`);
  },
});
