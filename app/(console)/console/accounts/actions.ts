"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { accountIn, customerIdIn, resetLinkIn } from "@/lib/auth/owners";
import { createAccount } from "@/lib/accounts/create-account";
import {
  changeSuspensionByHand,
  deleteAccount,
  kickAccountSessions,
  setAccountPassword,
} from "@/lib/accounts/manage-account";
import { createResetLink, emailResetLink } from "@/lib/chat-password-reset/reset-links";
import { setTemporaryPassword, withdrawResetLink } from "@/lib/chat-password-reset/by-staff";
import { setRecoveryEmail } from "@/lib/accounts/set-recovery-email";
import {
  ZAccountId,
  ZCreateAccount,
  ZSetAccountPassword,
  ZSuspensionChange,
} from "@/lib/validation/accounts";
import { ZEmail, ZReason } from "@/lib/validation/common";

function refreshAccount(id: string) {
  revalidatePath(`/console/accounts/${id}`);
  revalidatePath("/portal/accounts");
}

export const createAccountAction = defineAction({
  schema: ZCreateAccount,
  authorize: requires("accounts.write", customerIdIn),
  async run(input, user) {
    const { accountId, address, generatedPassword } = await createAccount(input, user);
    revalidatePath("/console/accounts");
    revalidatePath("/portal/accounts");
    if (user.role === "CUSTOMER")
      return {
        ok: true,
        message: generatedPassword
          ? `${address} is being created. Its password (shown once): ${generatedPassword}`
          : `${address} is being created.`,
      };
    if (generatedPassword) {
      return {
        ok: true,
        message: `${address} is being created. Its password (shown once): ${generatedPassword}`,
        data: { accountId },
      };
    }
    redirect(`/console/accounts/${accountId}?created=1`);
  },
});

export const suspendAccountAction = defineAction({
  schema: ZSuspensionChange.extend({ note: ZReason }),
  authorize: requires("accounts.suspend", accountIn),
  async run(input, user) {
    await changeSuspensionByHand(input.accountId, input.reason, true, user, input.note);
    refreshAccount(input.accountId);
    return { ok: true, message: "Suspending: login stops and open sessions end in a moment." };
  },
});

export const unsuspendAccountAction = defineAction({
  schema: ZSuspensionChange.extend({ note: ZReason }),
  authorize: requires("accounts.suspend", accountIn),
  async run(input, user) {
    const { remaining } = await changeSuspensionByHand(
      input.accountId,
      input.reason,
      false,
      user,
      input.note,
    );
    refreshAccount(input.accountId);
    return {
      ok: true,
      message: remaining.length
        ? `Reason “${input.reason}” removed, but the account stays suspended for: ${remaining.join(", ")}.`
        : "Unsuspending: the account can sign in again with its own password.",
    };
  },
});

export const setAccountPasswordAction = defineAction({
  schema: ZSetAccountPassword,
  authorize: requires("accounts.password", accountIn),
  async run(input, user) {
    const { generatedPassword } = await setAccountPassword(input.accountId, input.password, user);
    refreshAccount(input.accountId);
    return {
      ok: true,
      message: generatedPassword
        ? `New password (shown once): ${generatedPassword}`
        : "The new password is being set on the server.",
    };
  },
});

export const kickAccountAction = defineAction({
  schema: ZAccountId,
  authorize: requires("accounts.reset", accountIn),
  async run(input, user) {
    await kickAccountSessions(input.accountId, user);
    return { ok: true, message: "Ending every open session of this account." };
  },
});

export const deleteAccountAction = defineAction({
  schema: ZAccountId,
  authorize: requires("accounts.write", accountIn),
  async run(input, user) {
    await deleteAccount(input.accountId, user);
    revalidatePath("/console/accounts");
    revalidatePath("/portal/accounts");
    if (user.role === "CUSTOMER")
      return {
        ok: true,
        message: "The account is being deleted; its username stays reserved for you.",
      };
    redirect("/console/accounts?deleted=1");
  },
});

export const createResetLinkAction = defineAction({
  schema: ZAccountId.extend({
    hours: z.coerce.number().int().min(1).max(72).default(24),
    reason: ZReason,
    sendTo: z.union([z.literal(""), ZEmail]).default(""),
  }),
  authorize: requires("accounts.reset", accountIn),
  async run(input, user) {
    const { link } = await createResetLink(input.accountId, input.hours, input.reason, user);
    revalidatePath(`/console/accounts/${input.accountId}`);
    if (input.sendTo) {
      const { queued } = await emailResetLink(input.accountId, link, input.hours, input.sendTo);
      const where = queued
        ? `Emailed to ${input.sendTo}.`
        : `No email could be sent (see Outbox); give the link yourself.`;
      return {
        ok: true,
        message: `Single-use link, valid ${input.hours} hours. ${where}`,
        data: { link, qr: link },
      };
    }
    return {
      ok: true,
      message: `Single-use link, valid ${input.hours} hours. Send it to the account's user:`,
      data: { link, qr: link },
    };
  },
});

export const withdrawResetLinkAction = defineAction({
  schema: z.object({ resetLinkId: z.string().min(1) }),
  authorize: requires("accounts.reset", resetLinkIn),
  async run(input, user) {
    const { accountId } = await withdrawResetLink(input.resetLinkId, user);
    revalidatePath(`/console/accounts/${accountId}`);
    return { ok: true, message: "Withdrawn: the link no longer works." };
  },
});

export const setTemporaryPasswordAction = defineAction({
  schema: ZAccountId.extend({
    hours: z.coerce.number().int().min(1).max(168).default(24),
    reason: ZReason,
  }),
  authorize: requires("accounts.reset", accountIn),
  async run(input, user) {
    const { password, expiresAt } = await setTemporaryPassword(
      input.accountId,
      input.hours,
      input.reason,
      user,
    );
    revalidatePath(`/console/accounts/${input.accountId}`);
    return {
      ok: true,
      message: `Temporary password (shown once): ${password}. It stops working at ${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC unless the user sets their own.`,
    };
  },
});

export const setRecoveryEmailAction = defineAction({
  schema: ZAccountId.extend({ recoveryEmail: z.union([z.literal(""), ZEmail]) }),
  authorize: requires("accounts.password", accountIn),
  async run(input, user) {
    await setRecoveryEmail(input.accountId, input.recoveryEmail || null, user);
    refreshAccount(input.accountId);
    return {
      ok: true,
      message: input.recoveryEmail
        ? "Saved. Its user can now ask for a reset link at /reset."
        : "Recovery email removed.",
    };
  },
});
