import { prisma } from "@/core/db";
import { ZAccountListParams, accountListWhere } from "@/lib/accounts/queries";
import { ZCustomerListParams, customerListWhere } from "@/lib/customers/queries";
import type { BulkTarget } from "./bulk-actions";

// The rows a bulk operation can work on: how a list's filter (the same URL params as its page)
// becomes subjects, read by id order in batches so 100,000 matches never sit in memory.

export type Subject = { id: string; label: string };

type TargetReader = {
  // The list page's params, from its query string; whatever does not parse falls back as on
  // the page, so the operation matches exactly what the operator was looking at.
  parseFilter(query: string): Record<string, unknown>;
  batch(filter: Record<string, unknown>, afterId: string | null, take: number): Promise<Subject[]>;
  byIds(ids: string[]): Promise<Subject[]>;
};

function queryObject(query: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(query));
}

const afterId = (id: string | null) => (id ? { id: { gt: id } } : {});

const accounts: TargetReader = {
  parseFilter: (query) => ZAccountListParams.parse(queryObject(query)),
  async batch(filter, after, take) {
    const where = await accountListWhere(ZAccountListParams.parse(filter));
    const rows = await prisma.xmppAccount.findMany({
      where: { AND: [where, afterId(after)] },
      orderBy: { id: "asc" },
      take,
      select: { id: true, localpart: true, domain: true },
    });
    return rows.map((r) => ({ id: r.id, label: `${r.localpart}@${r.domain}` }));
  },
  async byIds(ids) {
    const rows = await prisma.xmppAccount.findMany({
      where: { id: { in: ids }, status: { not: "DELETED" } },
      orderBy: { id: "asc" },
      select: { id: true, localpart: true, domain: true },
    });
    return rows.map((r) => ({ id: r.id, label: `${r.localpart}@${r.domain}` }));
  },
};

const customers: TargetReader = {
  parseFilter: (query) => ZCustomerListParams.parse(queryObject(query)),
  async batch(filter, after, take) {
    const where = await customerListWhere(ZCustomerListParams.parse(filter));
    const rows = await prisma.customer.findMany({
      where: { AND: [where, afterId(after)] },
      orderBy: { id: "asc" },
      take,
      select: { id: true, name: true },
    });
    return rows.map((r) => ({ id: r.id, label: r.name }));
  },
  async byIds(ids) {
    const rows = await prisma.customer.findMany({
      where: { id: { in: ids } },
      orderBy: { id: "asc" },
      select: { id: true, name: true },
    });
    return rows.map((r) => ({ id: r.id, label: r.name }));
  },
};

export const BULK_TARGETS: Record<Exclude<BulkTarget, "rows">, TargetReader> = {
  accounts,
  customers,
};
