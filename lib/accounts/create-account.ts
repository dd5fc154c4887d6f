import "server-only";
import { randomBytes } from "node:crypto";
import { prisma } from "@/core/db";
import { now } from "@/core/clock";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue } from "@/provisioning/queue/enqueue";
import { encryptionKey } from "@/core/secrets";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { pickServerFor, serverChoiceOf } from "@/lib/servers/pick-server";
import type { Role } from "@/generated/sqlite/enums";

type Actor = { id: string; email: string; role: Role };

export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}

// Records the account and queues its creation on the server in one transaction.
// Returns the password when Parley generated it (shown once, never stored in clear).
export async function createAccount(
  input: { customerId: string; localpart: string; serverId?: string; password?: string; displayName?: string },
  actor: Actor,
): Promise<{ accountId: string; address: string; generatedPassword?: string }> {
  const customer = await prisma.customer.findUnique({ where: { id: input.customerId }, select: { id: true, status: true, plan: { select: { seats: true, retentionDays: true } } } });
  if (!customer) throw new AppError("not_found", "That customer does not exist.");
  if (!customer.plan) throw new AppError("invalid", "This customer has no plan yet, so it has no seats. Assign a plan first.");
  if (customer.status === "CLOSED") throw new AppError("invalid", "This customer is closed.");
  const server = await pickServerFor(serverChoiceOf(actor, input.serverId), customer.plan.retentionDays);
  const password = input.password ?? generatePassword();

  const result = await prisma.$transaction(async (tx) => {
    const used = await tx.xmppAccount.count({ where: { customerId: customer.id, status: { notIn: ["DELETED", "FAILED"] } } });
    if (used >= customer.plan!.seats) {
      throw new AppError("conflict", `All ${customer.plan!.seats} seats of this customer's plan are in use. Delete an account or change the plan.`);
    }
    const tombstone = await tx.usernameTombstone.findUnique({ where: { localpart_domain: { localpart: input.localpart, domain: server.domain } } });
    if (tombstone && tombstone.customerId !== customer.id) {
      throw new AppError("conflict", `${input.localpart}@${server.domain} belonged to someone else before and cannot be reused.`, { localpart: ["Used before; choose another"] });
    }
    const existing = await tx.xmppAccount.findUnique({ where: { localpart_domain: { localpart: input.localpart, domain: server.domain } } });
    if (existing && !(existing.status === "DELETED" && existing.customerId === customer.id)) {
      throw new AppError("conflict", `${input.localpart}@${server.domain} is taken.`, { localpart: ["Taken; choose another"] });
    }
    const data = {
      customerId: customer.id, serverId: server.id, localpart: input.localpart, domain: server.domain,
      displayName: input.displayName ?? "", status: "PENDING" as const, suspensionReasons: "[]", deletedAt: null,
    };
    // The same customer may take back a username it deleted earlier.
    const account = existing
      ? await tx.xmppAccount.update({ where: { id: existing.id }, data, select: { id: true } })
      : await tx.xmppAccount.create({ data: { ...data, createdAt: now() }, select: { id: true } });
    if (tombstone) await tx.usernameTombstone.delete({ where: { id: tombstone.id } });
    await enqueue(tx, {
      type: "account.create", payload: { accountId: account.id },
      secret: { value: password, key: encryptionKey() }, serverId: server.id, customerId: customer.id, subjectId: account.id, createdById: actor.id,
    });
    await recordAudit({ actor, action: "account.created", targetType: "xmppAccount", targetId: account.id, customerId: customer.id, details: { address: `${input.localpart}@${server.domain}` } }, tx);
    return account;
  });
  nudgeWorker();
  return { accountId: result.id, address: `${input.localpart}@${server.domain}`, generatedPassword: input.password ? undefined : password };
}
