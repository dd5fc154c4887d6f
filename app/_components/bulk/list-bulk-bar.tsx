import type { ColumnDef } from "@tanstack/react-table";
import type { SessionUser } from "@/lib/auth/session";
import { bulkChoices, type BulkTarget } from "@/lib/bulk/bulk-actions";
import { settableReasons } from "@/lib/accounts/suspension-rules";
import { listPlans } from "@/lib/plans/queries";
import { INVITE_EXPIRIES } from "@/lib/validation/invites";
import { startBulkAction } from "@/app/(console)/console/bulk/actions";
import { BULK_FORM_ID, BulkBar, SelectPageBox } from "./bulk-bar";

// The bulk bar of a console list, set up for its viewer, and the tick-box column its table
// adds. The filter travels as the list's own query string, minus paging.

const PAGING = new Set(["after", "before", "size"]);

function filterQuery(params: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (!PAGING.has(k) && typeof v === "string" && v !== "") query.set(k, v);
  return query.toString();
}

const REASON_LABELS: Record<string, string> = {
  staff: "Staff decision",
  customer: "Customer's request",
  billing: "Billing hold",
  closing: "Service closing",
};

export async function ListBulkBar({
  target,
  user,
  params,
  count,
}: {
  target: BulkTarget;
  user: SessionUser;
  params: Record<string, unknown>;
  count: { value: number; exact: boolean };
}) {
  const choices = bulkChoices(target, user);
  if (choices.length === 0) return null;
  const plans = choices.some((c) => c.fields === "plan") ? await listPlans() : [];
  return (
    <BulkBar
      action={startBulkAction}
      choices={choices}
      filter={filterQuery(params)}
      matching={`${count.exact ? "" : "more than "}${count.value.toLocaleString("en")}`}
      reasons={settableReasons(user.role).map((r) => ({
        value: r,
        label: REASON_LABELS[r] ?? r,
      }))}
      plans={plans.map((p) => ({ value: p.id, label: p.name }))}
      expiries={Object.keys(INVITE_EXPIRIES).map((e) => ({ value: e, label: e }))}
    />
  );
}

// A first column of tick boxes that belong to the bulk bar's form.
export function selectColumn<T extends { id: string }>(label: (row: T) => string): ColumnDef<T> {
  return {
    id: "select",
    header: () => <SelectPageBox />,
    cell: ({ row }) => (
      <input
        type="checkbox"
        form={BULK_FORM_ID}
        name="ids"
        value={row.original.id}
        aria-label={`Tick ${label(row.original)}`}
      />
    ),
  };
}
