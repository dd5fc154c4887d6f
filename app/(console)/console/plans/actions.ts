"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { defineAction } from "@/lib/actions/define-action";
import { requires } from "@/lib/auth/require";
import { createPlan, setPlanArchived, updatePlan } from "@/lib/plans/plans";
import { ZPlanInput } from "@/lib/validation/plans";
import { ZId } from "@/lib/validation/common";

export const createPlanAction = defineAction({
  schema: ZPlanInput,
  authorize: requires("plans.write"),
  async run(input, user) {
    await createPlan(input, user);
    revalidatePath("/console/plans");
    redirect("/console/plans?created=1");
  },
});

export const updatePlanAction = defineAction({
  schema: ZPlanInput.extend({ id: ZId }),
  authorize: requires("plans.write"),
  async run(input, user) {
    await updatePlan(input.id, input, user);
    revalidatePath("/console/plans");
    return { ok: true, message: "Plan saved." };
  },
});

export const setPlanArchivedAction = defineAction({
  schema: z.object({ id: ZId, archived: z.enum(["true", "false"]) }),
  authorize: requires("plans.write"),
  async run(input, user) {
    await setPlanArchived(input.id, input.archived === "true", user);
    revalidatePath("/console/plans");
    return {
      ok: true,
      message:
        input.archived === "true"
          ? "Plan archived: existing customers keep it, new ones cannot choose it."
          : "Plan restored.",
    };
  },
});
