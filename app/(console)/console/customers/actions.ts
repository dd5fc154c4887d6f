"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { customerIn } from "@/lib/auth/owners";
import { createCustomer, updateCustomer } from "@/lib/customers/customers";
import { inviteUser } from "@/lib/users/invite-user";
import { ZCustomerInput, ZPortalUserInput } from "@/lib/validation/customers";
import { ZId } from "@/lib/validation/common";
import { z } from "zod";
import { createCheckoutLink } from "@/lib/billing/checkout";

export const createCustomerAction = defineAction({
  schema: ZCustomerInput,
  authorize: requires("customers.write"),
  async run(input, user) {
    const customer = await createCustomer(input, user);
    revalidatePath("/console/customers");
    redirect(`/console/customers/${customer.id}?created=1`);
  },
});

export const updateCustomerAction = defineAction({
  schema: ZCustomerInput.extend({ id: ZId }),
  authorize: requires("customers.write"),
  async run(input, user) {
    await updateCustomer(input.id, input, user);
    revalidatePath(`/console/customers/${input.id}`);
    return { ok: true, message: "Customer saved." };
  },
});

export const invitePortalUserAction = defineAction({
  schema: ZPortalUserInput,
  // Staff, or a portal user adding a colleague to their own customer.
  authorize: requires("portalUsers.write", customerIn),
  async run(input, user) {
    const { link } = await inviteUser({ ...input, role: "CUSTOMER" }, user);
    revalidatePath(`/console/customers/${input.customerId}`);
    revalidatePath("/portal/people");
    return {
      ok: true,
      message: `Invitation sent to ${input.email}. You can also hand over this link:`,
      data: { link },
    };
  },
});

export const createCheckoutLinkAction = defineAction({
  schema: z.object({ customerId: ZId, planId: ZId }),
  authorize: requires("billing.read"),
  async run(input, user) {
    const link = await createCheckoutLink(input.customerId, input.planId, user);
    return {
      ok: true,
      message:
        "Send this Stripe Checkout link to the customer; paying with it starts the subscription.",
      data: { link },
    };
  },
});
