import { prisma } from "@/core/db";

// The one place that looks up which customer an object belongs to, for authorization.
// null: there is no such object (authorize then answers not_found).
export async function ownerOfAccount(accountId: string): Promise<string | null> {
  const account = await prisma.xmppAccount.findUnique({
    where: { id: accountId },
    select: { customerId: true },
  });
  return account?.customerId ?? null;
}

export async function ownerOfRoom(roomId: string): Promise<string | null> {
  const room = await prisma.room.findUnique({
    where: { id: roomId },
    select: { customerId: true },
  });
  return room?.customerId ?? null;
}

export async function ownerOfInvite(inviteId: string): Promise<string | null> {
  const invite = await prisma.invite.findUnique({
    where: { id: inviteId },
    select: { customerId: true },
  });
  return invite?.customerId ?? null;
}

export async function ownerOfResetLink(resetLinkId: string): Promise<string | null> {
  const link = await prisma.resetLink.findUnique({
    where: { id: resetLinkId },
    select: { customerId: true },
  });
  return link?.customerId ?? null;
}

// A customer owns itself, when it exists.
export async function ownerOfCustomer(customerId: string): Promise<string | null> {
  const customer = await prisma.customer.findUnique({
    where: { id: customerId },
    select: { id: true },
  });
  return customer?.id ?? null;
}

// For defineAction: the owner of the object an action's input names, and what to call it.
export type Owner<I> = { what: string; of: (input: I) => Promise<string | null> | string | null };

export const accountIn: Owner<{ accountId: string }> = {
  what: "account",
  of: (input) => ownerOfAccount(input.accountId),
};
export const roomIn: Owner<{ roomId: string }> = {
  what: "room",
  of: (input) => ownerOfRoom(input.roomId),
};
export const inviteIn: Owner<{ inviteId: string }> = {
  what: "invite",
  of: (input) => ownerOfInvite(input.inviteId),
};
export const resetLinkIn: Owner<{ resetLinkId: string }> = {
  what: "reset link",
  of: (input) => ownerOfResetLink(input.resetLinkId),
};
// The customer the input names, for creating something in it; the command checks it exists.
export const customerIdIn: Owner<{ customerId: string }> = {
  what: "customer",
  of: (input) => input.customerId,
};
// The same, looked up first (for commands that do not check it themselves).
export const customerIn: Owner<{ customerId: string }> = {
  what: "customer",
  of: (input) => ownerOfCustomer(input.customerId),
};
