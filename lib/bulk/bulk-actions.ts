import { addHours } from "date-fns";
import { z } from "zod";
import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { can, isStaff, type Permission, type Principal } from "@/lib/auth/policy";
import { changeSuspensionByHand, deleteAccount } from "@/lib/accounts/manage-account";
import { changeSuspensions } from "@/lib/accounts/change-suspensions";
import { assertMayChangeReason } from "@/lib/accounts/suspension-rules";
import { closeCustomer } from "@/lib/customers/close-customer";
import { changeCustomerPlan } from "@/lib/customers/customers";
import { createInvite } from "@/lib/invites/create-invite";
import { sendEmail } from "@/lib/notifications/send-email";
import { INVITE_EXPIRIES, type InviteExpiry } from "@/lib/validation/invites";
import { SUSPENSION_REASONS } from "@/provisioning/suspension";
import { importAction } from "./import-actions";
import type { Role } from "@/generated/sqlite/enums";

// What an operator can do to many rows at once. Each action applies to one subject through
// the same domain function the single-row page uses, so every rule (standing, seat limits,
// who may lift which reason) holds in bulk too.

// "rows": the rows of a CSV upload, started from the import page (lib/bulk/start-import.ts).
export type BulkTarget = "accounts" | "customers" | "rows";
export type BulkActor = { id: string; email: string; role: Role; customerId: string | null };
export type ItemOutcome = { outcome: "done" | "skipped"; note?: string };
// A batch's result per subject: its outcome, or why it failed.
export type BatchOutcomes = Map<string, ItemOutcome | { error: string }>;

type BulkAction<P> = {
  target: BulkTarget;
  label: string;
  permission: Permission;
  params: z.ZodType<P>;
  // Applying twice is harmless, so an item interrupted by a crash is applied again; otherwise
  // it is reported as failed for the operator to check and retry.
  repeatable: boolean;
  // The word the operator types to confirm an action that cannot be undone.
  confirmWord?: string;
  // Which settings the form asks for.
  fields?: "suspension" | "plan" | "expiry";
  apply(subjectId: string, params: P, actor: BulkActor): Promise<ItemOutcome>;
  // Many subjects in one transaction, where the domain offers it: the same rule as apply.
  applyBatch?(subjectIds: string[], params: P, actor: BulkActor): Promise<BatchOutcomes>;
  // Runs once when the operation ends (done or cancelled), e.g. to record an import's summary.
  finish?(operationId: string, params: P, actor: BulkActor): Promise<void>;
};

const ZSuspensionParams = z.object({
  reason: z.enum(SUSPENSION_REASONS).default("staff"),
  note: z.string().trim().max(500).default(""),
});
type SuspensionParams = z.infer<typeof ZSuspensionParams>;

async function suspendAccount(id: string, p: SuspensionParams, actor: BulkActor, on: boolean) {
  await changeSuspensionByHand(id, p.reason, on, actor, p.note);
  return { outcome: "done" } as const;
}

async function suspendAccounts(ids: string[], p: SuspensionParams, actor: BulkActor, on: boolean) {
  assertMayChangeReason(actor, p.reason, on);
  const results = await changeSuspensions(ids, p.reason, on, actor, p.note);
  const outcomes: BatchOutcomes = new Map();
  for (const [id, r] of results)
    outcomes.set(id, "error" in r ? { error: r.error.message } : { outcome: "done" });
  return outcomes;
}

async function liveAccountsOf(customerId: string): Promise<string[]> {
  const rows = await prisma.xmppAccount.findMany({
    where: { customerId, status: { in: ["PENDING", "ACTIVE", "SUSPENDED"] } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

// A customer's accounts one by one: each change is the single-account path, so a hold that
// runs at the same time still ends up in every account's set of reasons.
async function suspendCustomer(id: string, p: SuspensionParams, actor: BulkActor, on: boolean) {
  const accounts = await liveAccountsOf(id);
  for (const accountId of accounts) await suspendAccount(accountId, p, actor, on);
  return accounts.length
    ? ({ outcome: "done", note: `${accounts.length} accounts` } as const)
    : ({ outcome: "skipped", note: "No live accounts" } as const);
}

const ZExpiry = z.object({
  expiry: z
    .enum(Object.keys(INVITE_EXPIRIES) as [InviteExpiry, ...InviteExpiry[]])
    .catch("7d")
    .default("7d"),
});

async function sendAccountInvite(customerId: string, p: z.infer<typeof ZExpiry>, actor: BulkActor) {
  const customer = await prisma.customer.findUnique({
    where: { id: customerId },
    select: { name: true, contactEmail: true },
  });
  if (!customer) throw new AppError("not_found", "This customer no longer exists.");
  const invite = await createInvite(
    { customerId, kind: "ACCOUNT", maxUses: 1, expiry: p.expiry, note: "Sent in bulk" },
    actor,
  );
  const hours = INVITE_EXPIRIES[p.expiry];
  await sendEmail({
    to: customer.contactEmail,
    subject: `Your invitation to join ${customer.name}'s chat service`,
    text: `Open this link to choose a chat address and password:\n${invite.link}\n\n${
      hours ? `The link works once, within ${hours} hours.` : "The link works once."
    }`,
    linksExpireAt: hours ? addHours(new Date(), hours) : null,
  });
  return { outcome: "done" } as const;
}

// Each action is typed by its own params; the registry holds them type-erased.
function define<P>(action: BulkAction<P>): BulkAction<unknown> {
  return action as BulkAction<unknown>;
}

export const BULK_ACTIONS = {
  "accounts.suspend": define({
    target: "accounts",
    label: "Suspend",
    permission: "accounts.suspend",
    params: ZSuspensionParams,
    fields: "suspension",
    repeatable: true,
    apply: (id, p: SuspensionParams, actor) => suspendAccount(id, p, actor, true),
    applyBatch: (ids, p: SuspensionParams, actor) => suspendAccounts(ids, p, actor, true),
  }),
  "accounts.unsuspend": define({
    target: "accounts",
    label: "Unsuspend",
    permission: "accounts.suspend",
    params: ZSuspensionParams,
    fields: "suspension",
    repeatable: true,
    apply: (id, p: SuspensionParams, actor) => suspendAccount(id, p, actor, false),
    applyBatch: (ids, p: SuspensionParams, actor) => suspendAccounts(ids, p, actor, false),
  }),
  "accounts.delete": define({
    target: "accounts",
    label: "Delete",
    permission: "accounts.write",
    params: z.object({}),
    repeatable: true,
    confirmWord: "delete",
    async apply(id, _p: object, actor) {
      const account = await prisma.xmppAccount.findUnique({
        where: { id },
        select: { status: true },
      });
      if (!account || account.status === "DELETING" || account.status === "DELETED")
        return { outcome: "skipped", note: "Already deleted" };
      await deleteAccount(id, actor);
      return { outcome: "done" };
    },
  }),
  "customers.suspend": define({
    target: "customers",
    label: "Suspend all accounts",
    permission: "accounts.suspend",
    params: ZSuspensionParams,
    fields: "suspension",
    repeatable: true,
    apply: (id, p: SuspensionParams, actor) => suspendCustomer(id, p, actor, true),
  }),
  "customers.unsuspend": define({
    target: "customers",
    label: "Unsuspend all accounts",
    permission: "accounts.suspend",
    params: ZSuspensionParams,
    fields: "suspension",
    repeatable: true,
    apply: (id, p: SuspensionParams, actor) => suspendCustomer(id, p, actor, false),
  }),
  "customers.change-plan": define({
    target: "customers",
    label: "Change plan",
    permission: "customers.write",
    params: z.object({ planId: z.string().trim().min(1, "Choose the new plan").max(64) }),
    fields: "plan",
    repeatable: true,
    async apply(id, p: { planId: string }, actor) {
      const changed = await changeCustomerPlan(id, p.planId, actor);
      return changed ? { outcome: "done" } : { outcome: "skipped", note: "Already on that plan" };
    },
  }),
  "customers.send-invites": define({
    target: "customers",
    label: "Send an account invite",
    permission: "invites.write",
    params: ZExpiry,
    fields: "expiry",
    // Sending twice would mail two links.
    repeatable: false,
    apply: (id, p: z.infer<typeof ZExpiry>, actor) => sendAccountInvite(id, p, actor),
  }),
  "imports.customers": define(importAction("customers")),
  "imports.accounts": define(importAction("accounts")),
  "customers.close": define({
    target: "customers",
    label: "Close the service",
    permission: "customers.delete",
    params: z.object({}),
    repeatable: true,
    confirmWord: "close",
    async apply(id, _p: object, actor) {
      const status = await prisma.customer.findUnique({ where: { id }, select: { status: true } });
      if (!status) throw new AppError("not_found", "This customer no longer exists.");
      if (["CLOSING", "CLOSED", "TERMINATED"].includes(status.status))
        return { outcome: "skipped", note: "Already closing or closed" };
      await closeCustomer(id, actor);
      return { outcome: "done" };
    },
  }),
};

export type BulkActionName = keyof typeof BULK_ACTIONS;
export const BULK_ACTION_NAMES = Object.keys(BULK_ACTIONS) as [BulkActionName, ...BulkActionName[]];

export function bulkAction(name: string): BulkAction<unknown> {
  const action = (BULK_ACTIONS as Record<string, BulkAction<unknown>>)[name];
  if (!action) throw new AppError("invalid", "That bulk action does not exist.");
  return action;
}

export type BulkChoice = {
  name: string;
  label: string;
  confirmWord: string | null;
  fields: "suspension" | "plan" | "expiry" | null;
};

// The actions a list page offers its viewer, for the bulk bar.
export function bulkChoices(target: BulkTarget, viewer: Principal): BulkChoice[] {
  if (!isStaff(viewer)) return [];
  return Object.entries(BULK_ACTIONS)
    .filter(([, a]) => a.target === target && can(viewer, a.permission))
    .map(([name, a]) => ({
      name,
      label: a.label,
      confirmWord: a.confirmWord ?? null,
      fields: a.fields ?? null,
    }));
}
