"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import {
  assignPolicy,
  createPolicy,
  requestCompliance,
  updatePolicy,
} from "@/lib/policies/policies";
import { ZPolicyInput } from "@/lib/validation/policies";
import { ZId, emptyToUndefined } from "@/lib/validation/common";

const admin = requires("policies.write");

export const createPolicyAction = defineAction({
  schema: ZPolicyInput,
  authorize: admin,
  async run(input, user) {
    await createPolicy(input, user);
    revalidatePath("/console/policies");
    redirect("/console/policies?created=1");
  },
});

export const updatePolicyAction = defineAction({
  schema: ZPolicyInput.extend({ id: ZId }),
  authorize: admin,
  async run(input, user) {
    await updatePolicy(input.id, input, user);
    revalidatePath("/console/policies");
    return { ok: true, message: "Saved. Servers under this policy are marked for a new check." };
  },
});

export const assignPolicyAction = defineAction({
  schema: z.object({
    serverId: ZId,
    policyId: z.preprocess(emptyToUndefined, z.string().optional()),
  }),
  authorize: admin,
  async run(input, user) {
    await assignPolicy(input.serverId, input.policyId ?? null, user);
    revalidatePath(`/console/servers/${input.serverId}`);
    return { ok: true, message: input.policyId ? "Policy assigned." : "Policy removed." };
  },
});

export const complianceAction = defineAction({
  schema: z.object({ serverId: ZId, what: z.enum(["enforce", "verify", "purge"]) }),
  authorize: admin,
  async run(input, user) {
    await requestCompliance(input.serverId, input.what, user);
    revalidatePath(`/console/servers/${input.serverId}`);
    return {
      ok: true,
      message: {
        enforce:
          "Enforcing: the include file is written, the server reloaded and checked; a failure is rolled back.",
        verify: "Checking: the report updates in a moment.",
        purge: "Deleting archived messages older than the policy allows.",
      }[input.what],
    };
  },
});
