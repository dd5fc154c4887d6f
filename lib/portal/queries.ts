import { HOLDS_SEAT } from "@/lib/accounts/account-slot";
import { prisma } from "@/core/db";
import { AppError } from "@/core/errors";
import type { SessionUser } from "@/lib/auth/session";
import { listCustomerAccounts, listInvitableAccounts } from "@/lib/accounts/queries";
import { getCustomerBilling } from "@/lib/billing/queries";
import { listCustomerInvites } from "@/lib/invites/queries";
import { listCustomerRooms, listInvitableRooms } from "@/lib/rooms/queries";
import { listCustomerUsers } from "@/lib/users/queries";

// Every read of the customer portal, scoped here and only here: each function takes the
// signed-in caller and reads the caller's own customer, so no portal page can name another.

type PortalCaller = Pick<SessionUser, "role" | "customerId">;

function customerOf(user: PortalCaller): string {
  if (user.role !== "CUSTOMER" || !user.customerId) {
    throw new AppError("not_found", "That customer does not exist.");
  }
  return user.customerId;
}

// The portal home: name, status, plan and usage. No staff notes.
export async function getPortalOverview(user: PortalCaller) {
  return prisma.customer.findUnique({
    where: { id: customerOf(user) },
    select: {
      id: true,
      name: true,
      status: true,
      closingAt: true,
      plan: { select: { name: true, seats: true, rooms: true, retentionDays: true } },
      _count: { select: { accounts: { where: HOLDS_SEAT }, rooms: true } },
    },
  });
}

// The caller's accounts and how many places the plan has.
export async function getPortalAccounts(user: PortalCaller) {
  const customerId = customerOf(user);
  const [customer, accounts] = await Promise.all([
    prisma.customer.findUniqueOrThrow({
      where: { id: customerId },
      select: { plan: { select: { seats: true } } },
    }),
    listCustomerAccounts(customerId),
  ]);
  return { seats: customer.plan?.seats ?? 0, accounts };
}

// The caller's rooms with their members, and how many rooms the plan allows.
export async function getPortalRooms(user: PortalCaller) {
  const customerId = customerOf(user);
  const [customer, rooms] = await Promise.all([
    prisma.customer.findUniqueOrThrow({
      where: { id: customerId },
      select: { plan: { select: { rooms: true } } },
    }),
    listCustomerRooms(customerId),
  ]);
  return { allowed: customer.plan?.rooms ?? 0, rooms };
}

// The caller's invites, and the rooms and accounts a new invite may point at.
export async function getPortalInvites(user: PortalCaller) {
  const customerId = customerOf(user);
  const [invites, rooms, accounts] = await Promise.all([
    listCustomerInvites(customerId),
    listInvitableRooms({ customerId }),
    listInvitableAccounts({ customerId }),
  ]);
  return { invites, rooms, accounts };
}

// The portal users of the caller's customer.
export async function listPortalPeople(user: PortalCaller) {
  return listCustomerUsers(customerOf(user));
}

// The caller's plan, Stripe link and subscription.
export async function getPortalBilling(user: PortalCaller) {
  return getCustomerBilling(customerOf(user));
}
