import { ActionForm, Field } from "@/app/_components/form";
import type { ActionState } from "@/lib/actions/action-state";

type Plan = {
  id: string;
  name: string;
  description: string;
  seats: number;
  rooms: number;
  retentionDays: number;
  priceCents: number | null;
  currency: string;
  stripePriceId: string | null;
};

export function PlanForm({
  action,
  plan,
  submit,
}: {
  action: (s: ActionState, f: FormData) => Promise<ActionState>;
  plan?: Plan;
  submit: string;
}) {
  return (
    <ActionForm action={action} submit={submit} hidden={plan ? { id: plan.id } : undefined}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" name="name" required defaultValue={plan?.name} placeholder="Family" />
        <Field
          label="Description"
          name="description"
          defaultValue={plan?.description}
          placeholder="Up to 6 people"
        />
        <Field
          label="Seats (XMPP accounts)"
          name="seats"
          type="number"
          min={1}
          required
          defaultValue={plan?.seats ?? 5}
        />
        <Field
          label="Rooms"
          name="rooms"
          type="number"
          min={0}
          required
          defaultValue={plan?.rooms ?? 5}
        />
        <Field
          label="Message retention (days)"
          name="retentionDays"
          type="number"
          min={0}
          required
          defaultValue={plan?.retentionDays ?? 30}
          hint="0 means messages are not archived on the server."
        />
        <div className="grid grid-cols-2 gap-2">
          <Field
            label="Price per month"
            name="price"
            type="number"
            step="0.01"
            min={0}
            defaultValue={plan?.priceCents != null ? (plan.priceCents / 100).toFixed(2) : ""}
            hint="Optional; shown to staff."
          />
          <Field label="Currency" name="currency" defaultValue={plan?.currency ?? "EUR"} />
        </div>
        <Field
          label="Stripe price"
          name="stripePriceId"
          defaultValue={plan?.stripePriceId ?? ""}
          placeholder="price_…"
          hint="Links the plan to a recurring Stripe price: subscribers get this plan's limits."
        />
      </div>
    </ActionForm>
  );
}
