import { prisma } from "@/core/db";
import { parseReasons } from "@/provisioning/suspension";

// One query over accounts, customers, rooms and portal users; partial matches. Addresses are
// stored in lower case (as the servers normalize them), so the query is lower-cased for them.
export async function supportSearch(raw: string) {
  const text = raw.trim().slice(0, 100);
  const q = text.toLowerCase();
  if (q.length < 2) return null;
  const [local, domain] = q.includes("@") ? q.split("@", 2) : [q, ""];
  const [accounts, customers, rooms, users] = await Promise.all([
    prisma.xmppAccount.findMany({
      where: {
        status: { not: "DELETED" },
        OR: domain
          ? [{ AND: [{ localpart: { contains: local } }, { domain: { contains: domain } }] }]
          : [
              { localpart: { contains: q } },
              { domain: { contains: q } },
              { displayName: { contains: text } },
              { recoveryEmail: { contains: q } },
            ],
      },
      take: 25,
      orderBy: { localpart: "asc" },
      select: {
        id: true,
        localpart: true,
        domain: true,
        status: true,
        suspensionReasons: true,
        customer: { select: { id: true, name: true } },
      },
    }),
    prisma.customer.findMany({
      where: { OR: [{ name: { contains: text } }, { contactEmail: { contains: q } }] },
      take: 15,
      select: { id: true, name: true, contactEmail: true, status: true },
    }),
    prisma.room.findMany({
      where: {
        status: { not: "DELETED" },
        OR: [{ name: { contains: local } }, { title: { contains: text } }],
      },
      take: 15,
      select: { id: true, name: true, domain: true, title: true },
    }),
    prisma.user.findMany({
      where: { role: "CUSTOMER", email: { contains: q } },
      take: 15,
      select: { id: true, email: true, customer: { select: { id: true, name: true } } },
    }),
  ]);
  return {
    accounts: accounts.map(({ suspensionReasons, ...a }) => ({
      ...a,
      reasons: parseReasons(suspensionReasons),
    })),
    customers,
    rooms,
    users,
  };
}
