import { randomBytes } from "node:crypto";
import { prisma } from "@/core/db";
import { hashPassword } from "@/lib/auth/password";

export const FIXTURE_PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export type Actor = {
  id: string;
  email: string;
  role: "ADMIN" | "SUPPORT" | "CUSTOMER";
  customerId: string | null;
};
export type World = {
  admin: Actor;
  support: Actor;
  customerUser: Actor;
  otherCustomerUser: Actor;
  customerId: string;
  otherCustomerId: string;
  planId: string;
  serverId: string;
  accountId: string;
  roomId: string;
};

const unique = () => randomBytes(4).toString("hex");

export async function createUser(
  role: Actor["role"],
  customerId: string | null = null,
  email = `${role.toLowerCase()}-${unique()}@parley.test`,
): Promise<Actor> {
  passwordHash ??= hashPassword(FIXTURE_PASSWORD);
  const user = await prisma.user.create({
    data: {
      email,
      name: `${role} ${unique()}`,
      role,
      customerId,
      passwordHash: await passwordHash,
    },
    select: { id: true, email: true, role: true, customerId: true },
  });
  return user;
}

// Two customers, each with a portal user, plus an admin and a support member.
export async function createWorld(): Promise<World> {
  const plan = await prisma.plan.create({
    data: { name: `Plan ${unique()}`, seats: 5, rooms: 2, retentionDays: 30 },
  });
  const [a, b] = await Promise.all([
    prisma.customer.create({
      data: {
        name: `Customer A ${unique()}`,
        contactEmail: `a-${unique()}@parley.test`,
        planId: plan.id,
      },
    }),
    prisma.customer.create({
      data: {
        name: `Customer B ${unique()}`,
        contactEmail: `b-${unique()}@parley.test`,
        planId: plan.id,
      },
    }),
  ]);
  const [admin, support, customerUser, otherCustomerUser] = await Promise.all([
    createUser("ADMIN"),
    createUser("SUPPORT"),
    createUser("CUSTOMER", a.id),
    createUser("CUSTOMER", b.id),
  ]);
  // Rows only: no server is contacted by code that merely queues jobs.
  const domain = `x${unique()}.test`;
  const server = await prisma.server.create({
    data: {
      name: `Server ${unique()}`,
      kind: "EJABBERD",
      domain,
      mucDomain: `conference.${domain}`,
      apiUrl: "http://127.0.0.1:9/api",
    },
  });
  const account = await prisma.xmppAccount.create({
    data: {
      customerId: a.id,
      serverId: server.id,
      localpart: `user${unique()}`,
      domain,
      status: "ACTIVE",
    },
  });
  const room = await prisma.room.create({
    data: {
      customerId: a.id,
      serverId: server.id,
      name: `room${unique()}`,
      domain: `conference.${domain}`,
      status: "ACTIVE",
    },
  });
  return {
    admin,
    support,
    customerUser,
    otherCustomerUser,
    customerId: a.id,
    otherCustomerId: b.id,
    planId: plan.id,
    serverId: server.id,
    accountId: account.id,
    roomId: room.id,
  };
}

export function form(values: Record<string, string | number>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.append(k, String(v));
  return data;
}
