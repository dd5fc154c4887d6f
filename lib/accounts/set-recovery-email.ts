import { prisma } from "@/core/db";
import { recordAudit } from "@/lib/audit/record-audit";
import { loadAccount } from "@/lib/accounts/manage-account";

type Actor = { id: string; email: string };

// Where the account's user can have a reset link sent without asking anyone; empty removes it.
export async function setRecoveryEmail(
  accountId: string,
  recoveryEmail: string | null,
  actor: Actor,
): Promise<void> {
  const account = await loadAccount(accountId);
  await prisma.$transaction(async (tx) => {
    await tx.xmppAccount.update({ where: { id: account.id }, data: { recoveryEmail } });
    // The address itself stays out of the audit trail: it is personal data of the account's user.
    await recordAudit(
      {
        actor,
        action: recoveryEmail ? "account.recovery_email_set" : "account.recovery_email_removed",
        targetType: "xmppAccount",
        targetId: account.id,
        customerId: account.customerId,
      },
      tx,
    );
  });
}
