import { HOLDS_SEAT } from "@/lib/accounts/account-slot";
import { z } from "zod";
import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import { logError } from "@/core/log";
import { customerRefusal } from "@/lib/accounts/account-slot";
import { createAccount } from "@/lib/accounts/create-account";
import { pickServerFor } from "@/lib/servers/pick-server";
import { ZEmail, ZId, emptyToUndefined } from "@/lib/validation/common";
import { ZLocalpart } from "@/lib/validation/accounts";
import { byRow, duplicateOf, groupBy, parseRows, readInChunks } from "@/lib/imports/rows";
import type { ImportRow, ImportSpec, RowError } from "@/lib/imports/types";

// XMPP accounts from CSV, created through createAccount (standing, seats, tombstones, server
// placement and the account.create job all apply). An account is known by its address: one
// that exists for the same customer with the same display name and recovery email is "already
// present"; anything else at that address is an error row.

const ZRow = z.object({
  customer: z
    .string()
    .trim()
    .min(1, "Enter the customer's id or contact email")
    .max(254)
    .transform((v) => (v.includes("@") ? v.toLowerCase() : v)),
  localpart: ZLocalpart,
  server: z.preprocess(emptyToUndefined, z.string().trim().max(254).optional()),
  displayName: z.preprocess(
    (v) => v ?? "",
    z.string().trim().max(120, "A display name has at most 120 characters"),
  ),
  recoveryEmail: z.preprocess(emptyToUndefined, ZEmail.optional()),
});

const ZData = z.object({
  customerId: ZId,
  localpart: ZLocalpart,
  serverId: ZId,
  domain: z.string().min(1).max(254),
  displayName: z.string().max(120),
  recoveryEmail: ZEmail.nullable(),
});
export type AccountImportData = z.infer<typeof ZData>;

type Existing = {
  customerId: string;
  status: string;
  displayName: string;
  recoveryEmail: string | null;
};
const existingSelect = {
  localpart: true,
  domain: true,
  customerId: true,
  status: true,
  displayName: true,
  recoveryEmail: true,
} as const;

// Why an address that exists blocks the row, or null when the row is already present as is.
function conflict(address: string, found: Existing, data: AccountImportData): string | null {
  if (found.customerId !== data.customerId)
    return `${address} is taken by another customer; choose another username.`;
  const diff = [
    found.displayName !== data.displayName ? "display name" : null,
    (found.recoveryEmail ?? null) !== data.recoveryEmail ? "recovery email" : null,
  ].filter(Boolean);
  if (diff.length === 0) return null;
  return `${address} already exists for this customer with a different ${diff.join(" and ")}. An import never changes an account: make the row match it, or leave the row out.`;
}

// A deleted account of the same customer may be taken back, as in the console.
const blocks = (found: Existing | undefined, customerId: string): found is Existing =>
  !!found && !(found.status === "DELETED" && found.customerId === customerId);

type CustomerRow = {
  id: string;
  name: string;
  contactEmail: string;
  status: Parameters<typeof customerRefusal>[0]["status"];
  plan: { seats: number; retentionDays: number } | null;
};

async function customerResolver(refs: string[]) {
  const select = {
    id: true,
    name: true,
    contactEmail: true,
    status: true,
    plan: { select: { seats: true, retentionDays: true } },
  } as const;
  const byId = await readInChunks(refs, (chunk) =>
    prisma.customer.findMany({ where: { id: { in: chunk } }, select }),
  );
  const ids = new Map<string, CustomerRow>(byId.map((c) => [c.id, c]));
  const emails = refs.filter((r) => !ids.has(r) && r.includes("@"));
  const byEmail = groupBy(
    await readInChunks(emails, (chunk) =>
      prisma.customer.findMany({ where: { contactEmail: { in: chunk } }, select }),
    ),
    (c) => c.contactEmail,
  );
  return (ref: string): CustomerRow | string => {
    const hit = ids.get(ref) ?? byEmail.get(ref);
    if (!hit)
      return `There is no customer with the id or contact email “${ref}”. Import the customer first, or check the spelling.`;
    if (Array.isArray(hit))
      return hit.length === 1
        ? hit[0]
        : `${hit.length} customers have the contact email ${ref}; use the customer's id instead.`;
    return hit;
  };
}

async function serverResolver() {
  const servers = await prisma.server.findMany({ select: { id: true, name: true, domain: true } });
  const picks = new Map<string, Promise<{ id: string; domain: string } | string>>();
  return (ref: string | undefined, retentionDays: number) => {
    let serverId: string | undefined;
    if (ref) {
      const lower = ref.toLowerCase();
      const hits = servers.filter(
        (s) => s.id === ref || s.name.toLowerCase() === lower || s.domain.toLowerCase() === lower,
      );
      if (hits.length !== 1)
        return Promise.resolve(
          hits.length
            ? `Several servers match “${ref}”; use the server's name or id.`
            : `There is no server “${ref}”. Use a server's name, id or domain, or leave it empty for the usual placement.`,
        );
      serverId = hits[0].id;
    }
    // The placement rule (enabled, retention matching the plan) for each server and plan.
    const key = `${serverId ?? ""}|${retentionDays}`;
    let pick = picks.get(key);
    if (!pick) {
      pick = pickServerFor(serverId, retentionDays).catch((error: unknown) => {
        if (error instanceof AppError) return error.message;
        throw error;
      });
      picks.set(key, pick);
    }
    return pick;
  };
}

async function existingAccounts(localparts: string[]) {
  const [accounts, tombstones] = await Promise.all([
    readInChunks(localparts, (chunk) =>
      prisma.xmppAccount.findMany({ where: { localpart: { in: chunk } }, select: existingSelect }),
    ),
    readInChunks(localparts, (chunk) =>
      prisma.usernameTombstone.findMany({
        where: { localpart: { in: chunk } },
        select: { localpart: true, domain: true, customerId: true },
      }),
    ),
  ]);
  const key = (a: { localpart: string; domain: string }) => `${a.localpart}@${a.domain}`;
  return {
    account: new Map(accounts.map((a) => [key(a), a])),
    tombstone: new Map(tombstones.map((t) => [key(t), t.customerId])),
  };
}

async function seatsInUseOf(customerIds: string[]) {
  const used = await readInChunks(customerIds, (chunk) =>
    prisma.xmppAccount.groupBy({
      by: ["customerId"],
      where: { customerId: { in: chunk }, ...HOLDS_SEAT },
      _count: { _all: true },
    }),
  );
  return new Map(used.map((u) => [u.customerId, u._count._all]));
}

export const accountImport: ImportSpec<AccountImportData> = {
  permission: "accounts.write",
  noun: ["account", "accounts"],
  columns: [
    {
      name: "customer",
      required: true,
      help: "The customer's id, or its contact email when only one customer has it.",
      example: "ada@example.org",
    },
    {
      name: "localpart",
      required: true,
      help: "The username before the @: letters, digits, dots, hyphens, underscores.",
      example: "ada",
    },
    {
      name: "server",
      required: false,
      help: "A server's name, id or domain; empty: the default server that matches the plan.",
      example: "",
    },
    { name: "displayName", required: false, help: "Up to 120 characters.", example: "Ada" },
    {
      name: "recoveryEmail",
      required: false,
      help: "Where a password-reset link may be sent.",
      example: "ada.recovery@example.org",
    },
  ],

  async validate(records) {
    const { parsed, errors } = parseRows(records, ZRow);
    const customerOf = await customerResolver([...new Set(parsed.map((p) => p.value.customer))]);
    const serverFor = await serverResolver();
    const rows: { row: number; data: AccountImportData; customer: CustomerRow }[] = [];
    for (const { row, value } of parsed) {
      const rowError = (column: string, message: string): RowError => ({ row, column, message });
      const customer = customerOf(value.customer);
      if (typeof customer === "string") {
        errors.push(rowError("customer", customer));
        continue;
      }
      const refusal = customerRefusal(
        { status: customer.status, seats: customer.plan?.seats ?? null },
        { asker: "staff" },
      );
      if (refusal) {
        errors.push(
          rowError(
            "customer",
            refusal.reason === "status"
              ? `${customer.name}: ${refusal.message}`
              : `${customer.name} has no plan yet, so it has no seats. Assign a plan first.`,
          ),
        );
        continue;
      }
      const server = await serverFor(value.server, customer.plan!.retentionDays);
      if (typeof server === "string") {
        errors.push(rowError("server", server));
        continue;
      }
      rows.push({
        row,
        customer,
        data: {
          customerId: customer.id,
          localpart: value.localpart,
          serverId: server.id,
          domain: server.domain,
          displayName: value.displayName,
          recoveryEmail: value.recoveryEmail ?? null,
        },
      });
    }
    const existing = await existingAccounts([...new Set(rows.map((r) => r.data.localpart))]);
    const used = await seatsInUseOf([...new Set(rows.map((r) => r.customer.id))]);
    const seen = duplicateOf();
    const valid: ImportRow<AccountImportData>[] = [];
    for (const { row, data, customer } of rows) {
      const address = `${data.localpart}@${data.domain}`;
      const rowError = (message: string) => errors.push({ row, column: "localpart", message });
      const earlier = seen(address, row);
      if (earlier !== null) {
        rowError(`Row ${earlier} has the same address, ${address}; list each account once.`);
        continue;
      }
      const found = existing.account.get(address);
      if (blocks(found, customer.id)) {
        const why = conflict(address, found, data);
        if (why) rowError(why);
        else valid.push({ row, data, present: true });
        continue;
      }
      const owner = existing.tombstone.get(address);
      if (owner !== undefined && owner !== customer.id) {
        rowError(`${address} belonged to someone else before and cannot be reused.`);
        continue;
      }
      const seats = customer.plan!.seats;
      const taken = used.get(customer.id) ?? 0;
      if (taken >= seats) {
        rowError(
          `${customer.name} would need more than the ${seats} seats of its plan (rows above already fill them). Import fewer accounts for it, or change its plan first.`,
        );
        continue;
      }
      used.set(customer.id, taken + 1);
      valid.push({ row, data });
    }
    return { valid, errors: errors.sort(byRow) };
  },

  async apply(input, actor) {
    const data = ZData.parse(input);
    const address = `${data.localpart}@${data.domain}`;
    const present = async () => {
      const found = await prisma.xmppAccount.findUnique({
        where: { localpart_domain: { localpart: data.localpart, domain: data.domain } },
        select: existingSelect,
      });
      if (!blocks(found ?? undefined, data.customerId)) return null;
      const why = conflict(address, found!, data);
      return why
        ? { outcome: "failed" as const, error: why }
        : { outcome: "already-present" as const };
    };
    const before = await present();
    if (before) return before;
    try {
      await createAccount(
        {
          customerId: data.customerId,
          localpart: data.localpart,
          serverId: data.serverId,
          displayName: data.displayName,
          recoveryEmail: data.recoveryEmail,
        },
        actor,
      );
      return { outcome: "created" };
    } catch (error) {
      if (!(error instanceof AppError)) {
        logError("import", `account row failed: ${(error as Error).message}`);
        return { outcome: "failed", error: "Something went wrong; this row created nothing." };
      }
      // Another import of the same address committed first: it may be this very row.
      return (
        (error.code === "conflict" ? await present() : null) ?? {
          outcome: "failed",
          error: error.message,
        }
      );
    }
  },
};
