import { ActionForm, Field } from "@/app/_components/form";
import { createInviteAction } from "./actions";

type Option = { value: string; label: string };

const EXPIRIES: Option[] = [
  { value: "1h", label: "1 hour" },
  { value: "12h", label: "12 hours" },
  { value: "1d", label: "1 day" },
  { value: "7d", label: "7 days" },
  { value: "28d", label: "4 weeks" },
  { value: "never", label: "Never" },
];

// One form for staff (customer picker) and portal users (their own customer, fixed).
export function InviteForm({
  customers,
  customerId,
  rooms,
  accounts,
}: {
  customers?: Option[];
  customerId?: string;
  rooms: Option[];
  accounts: Option[];
}) {
  return (
    <ActionForm
      action={createInviteAction}
      submit="Create invite"
      hidden={customerId ? { customerId } : undefined}
    >
      <div className="grid gap-4 sm:grid-cols-3">
        {customers ? <Field label="Customer" name="customerId" options={customers} /> : null}
        <Field
          label="For"
          name="kind"
          defaultValue="ACCOUNT"
          options={[
            { value: "ACCOUNT", label: "A new account" },
            ...(rooms.length ? [{ value: "ROOM", label: "A new account in a room" }] : []),
            ...(accounts.length
              ? [{ value: "CONTACT", label: "A new contact of an account" }]
              : []),
          ]}
        />
        <Field label="Valid for" name="expiry" defaultValue="7d" options={EXPIRIES} />
        <Field
          label="Uses"
          name="maxUses"
          type="number"
          min={1}
          max={1000}
          defaultValue={1}
          hint="How many people may join with it."
        />
        <Field
          label="Fixed username (optional)"
          name="localpart"
          hint="Only this username can be registered; one use."
          autoComplete="off"
        />
        {rooms.length ? (
          <Field
            label="Room (for room invites)"
            name="roomId"
            options={[{ value: "", label: "—" }, ...rooms]}
          />
        ) : null}
        {accounts.length ? (
          <Field
            label="Contact of (for contact invites)"
            name="accountId"
            options={[{ value: "", label: "—" }, ...accounts]}
          />
        ) : null}
        <Field label="Note (only you see it)" name="note" placeholder="For Grandma" />
      </div>
    </ActionForm>
  );
}
