"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/actions/define-action";
import { AppError } from "@/core/errors";
import { requireOwnerOrStaff, requireRolePermission } from "@/lib/auth/require";
import { createCustomer, updateCustomer } from "@/lib/customers/customers";
import { inviteUser } from "@/lib/users/invite-user";
import { prisma } from "@/core/db";
import { ZCustomerInput, ZPortalUserInput } from "@/lib/validation/customers";
import { ZId } from "@/lib/validation/common";
import { z } from "zod";
import { createCheckoutLink } from "@/lib/billing/checkout";

export const createCustomerAction = defineAction({
  schema: ZCustomerInput,
  authorize: requireRolePermission("customers.write"),
  async run(input, user) {
    const customer = await createCustomer(input, user);
    revalidatePath("/console/customers");
    redirect(`/console/customers/${customer.id}?created=1`);
  },
});

export const updateCustomerAction = defineAction({
  schema: ZCustomerInput.extend({ id: ZId }),
  authorize: requireRolePermission("customers.write"),
  async run(input, user) {
    await updateCustomer(input.id, input, user);
    revalidatePath(`/console/customers/${input.id}`);
    return { ok: true, message: "Customer saved." };
  },
});

export const invitePortalUserAction = defineAction({
  schema: ZPortalUserInput,
  // Staff, or a portal user adding a colleague to their own customer.
  authorize: requireOwnerOrStaff("portalUsers.write", async (input: { customerId: string }) => input.customerId),
  async run(input, user) {
    const customer = await prisma.customer.findUnique({ where: { id: input.customerId }, select: { id: true } });
    if (!customer) throw new AppError("not_found", "That customer does not exist.");
    const { link } = await inviteUser({ ...input, role: "CUSTOMER" }, user);
    revalidatePath(`/console/customers/${input.customerId}`);
    revalidatePath("/portal/people");
    return { ok: true, message: `Invitation sent to ${input.email}. You can also hand over this link:`, data: { link } };
  },
});


export const createCheckoutLinkAction = defineAction({
  schema: z.object({ customerId: ZId, planId: ZId }),
  authorize: requireRolePermission("billing.read"),
  async run(input, user) {
    const link = await createCheckoutLink(input.customerId, input.planId, user);
    return { ok: true, message: "Send this Stripe Checkout link to the customer; paying with it starts the subscription.", data: { link } };
  },
});
