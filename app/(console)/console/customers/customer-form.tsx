import { ActionForm, Field } from "@/app/_components/form";
import type { ActionState } from "@/lib/actions/action-state";

type Plan = { id: string; name: string; seats: number; rooms: number };
type Customer = {
  id: string;
  name: string;
  kind: string;
  contactEmail: string;
  planId: string | null;
  notes: string;
};

export function CustomerForm({
  action,
  plans,
  customer,
  submit,
}: {
  action: (s: ActionState, f: FormData) => Promise<ActionState>;
  plans: Plan[];
  customer?: Customer;
  submit: string;
}) {
  return (
    <ActionForm action={action} submit={submit} hidden={customer ? { id: customer.id } : undefined}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Name"
          name="name"
          required
          defaultValue={customer?.name}
          hint="A person, family or company."
        />
        <Field
          label="Kind"
          name="kind"
          defaultValue={customer?.kind ?? "PERSON"}
          options={[
            { value: "PERSON", label: "Person" },
            { value: "FAMILY", label: "Family" },
            { value: "COMPANY", label: "Company" },
          ]}
        />
        <Field
          label="Contact email"
          name="contactEmail"
          type="email"
          required
          defaultValue={customer?.contactEmail}
          hint="For billing and service notices."
        />
        <Field
          label="Plan"
          name="planId"
          defaultValue={customer?.planId ?? ""}
          options={[
            { value: "", label: "No plan yet" },
            ...plans.map((p) => ({
              value: p.id,
              label: `${p.name} (${p.seats} seats, ${p.rooms} rooms)`,
            })),
          ]}
        />
      </div>
      <Field label="Notes for staff" name="notes" type="textarea" defaultValue={customer?.notes} />
    </ActionForm>
  );
}
