"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { OWN } from "@/lib/auth/policy";
import { closeCustomer, closeGraceDays, restoreCustomer } from "@/lib/customers/close-customer";

// A portal user closes or restores their own customer (no id is accepted).
const ownCustomer = requires("service.close", OWN);

export const closeServiceAction = defineAction({
  schema: z.object({ confirm: z.literal("CLOSE", { message: "Type CLOSE to confirm" }) }),
  authorize: ownCustomer,
  async run(_input, user) {
    const until = await closeCustomer(user.customerId!, user);
    revalidatePath("/portal");
    return {
      ok: true,
      message: `Closing: every account is suspended now. You can restore everything until ${until.toISOString().slice(0, 10)}; after that, accounts and rooms are removed (${closeGraceDays()} days).`,
    };
  },
});

export const restoreServiceAction = defineAction({
  schema: z.object({}),
  authorize: ownCustomer,
  async run(_input, user) {
    await restoreCustomer(user.customerId!, user);
    revalidatePath("/portal");
    return {
      ok: true,
      message: "Restored: every account can sign in again with its own password.",
    };
  },
});
