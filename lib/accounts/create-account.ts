import { randomBytes } from "node:crypto";
import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import { enqueue } from "@/lib/jobs/job-types";
import { nudgeWorker } from "@/provisioning/queue/nudge";
import { pickServerFor, serverChoiceOf } from "@/lib/servers/pick-server";
import type { Role } from "@/generated/sqlite/enums";
import {
  customerRefusal,
  lockCustomer,
  reserveAccount,
  type SlotPolicy,
} from "@/lib/accounts/account-slot";
import { askerOf, type Asker } from "@/lib/customers/standing";

type Actor = { id: string; email: string; role: Role };

export function generatePassword(): string {
  return randomBytes(15).toString("base64url");
}

// Console and portal: staff and the customer's own users may add accounts as the customer's
// standing (lib/customers/standing.ts) and the plan's seats allow.
const consolePolicy = (asker: Asker): SlotPolicy => ({
  asker,
  refuse(refusal) {
    switch (refusal.reason) {
      case "no_plan":
        return new AppError(
          "invalid",
          "This customer has no plan yet, so it has no seats. Assign a plan first.",
        );
      case "status":
        return new AppError("invalid", refusal.message);
      case "seats":
        return new AppError(
          "conflict",
          `All ${refusal.seats} seats of this customer's plan are in use. Delete an account or change the plan.`,
        );
      case "reserved":
        return new AppError(
          "conflict",
          `${refusal.address} belonged to someone else before and cannot be reused.`,
          {
            localpart: ["Used before; choose another"],
          },
        );
      case "taken":
        return new AppError("conflict", `${refusal.address} is taken.`, {
          localpart: ["Taken; choose another"],
        });
    }
  },
});

// Records the account and queues its creation on the server in one transaction.
// Returns the password when Parley generated it (shown once, never stored in clear).
export async function createAccount(
  input: {
    customerId: string;
    localpart: string;
    serverId?: string;
    password?: string;
    displayName?: string;
    recoveryEmail?: string | null;
  },
  actor: Actor,
): Promise<{ accountId: string; address: string; generatedPassword?: string }> {
  const customer = await prisma.customer.findUnique({
    where: { id: input.customerId },
    select: { id: true, status: true, plan: { select: { seats: true, retentionDays: true } } },
  });
  if (!customer) throw new AppError("not_found", "That customer does not exist.");
  const policy = consolePolicy(askerOf(actor));
  // A quick answer before a server is picked; reserveAccount asks again under the lock.
  const early = customerRefusal(
    { status: customer.status, seats: customer.plan?.seats ?? null },
    policy,
  );
  if (early) throw policy.refuse(early);
  const server = await pickServerFor(
    serverChoiceOf(actor, input.serverId),
    customer.plan!.retentionDays,
  );
  const password = input.password ?? generatePassword();

  const account = await prisma.$transaction(
    async (tx) => {
      const locked = await lockCustomer(tx, customer.id);
      const reserved = await reserveAccount(
        tx,
        {
          customer: locked,
          server,
          localpart: input.localpart,
          displayName: input.displayName ?? "",
          recoveryEmail: input.recoveryEmail,
        },
        policy,
      );
      await enqueue(
        tx,
        "account.create",
        { accountId: reserved.id },
        {
          secret: password,
          serverId: server.id,
          customerId: customer.id,
          subjectId: reserved.id,
          createdById: actor.id,
        },
      );
      await recordAudit(
        {
          actor,
          action: "account.created",
          targetType: "xmppAccount",
          targetId: reserved.id,
          customerId: customer.id,
          details: { address: reserved.address },
        },
        tx,
      );
      return reserved;
    },
    { maxWait: 20_000, timeout: 20_000 },
  );
  nudgeWorker();
  return {
    accountId: account.id,
    address: account.address,
    generatedPassword: input.password ? undefined : password,
  };
}
