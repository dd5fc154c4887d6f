import { submitButtonClass } from "@/app/_components/button-class";
import { RowActionForm } from "@/app/_components/row-action-form";
import { Badge, EmptyState, Table, Td, formatDateTime } from "@/app/_components/ui";
import type { InviteListItem, InviteStatus } from "@/lib/invites/queries";
import { reissueInviteAction, revokeInviteAction } from "./actions";

// An invite's cells, shared by the portal's list and the console's keyset table.

const COLORS = { active: "green", used: "slate", expired: "amber", revoked: "red" } as const;
const KINDS = { ACCOUNT: "account", ROOM: "room", CONTACT: "contact" } as const;

type Summary = Pick<InviteListItem, "kind" | "localpart" | "note" | "createdBy" | "createdAt">;

export function InviteSummary({ invite: i }: { invite: Summary }) {
  return (
    <>
      {KINDS[i.kind]}
      {i.localpart ? <span className="font-mono"> · {i.localpart}</span> : null}
      <div className="text-xs text-slate-500">
        {i.note || "—"} · by {i.createdBy?.name ?? "someone removed"} ·{" "}
        {formatDateTime(i.createdAt)}
      </div>
    </>
  );
}

export function InviteStatusBadge({ status }: { status: InviteStatus }) {
  return <Badge color={COLORS[status]}>{status}</Badge>;
}

export function InviteJoined({ joined }: { joined: InviteListItem["joined"] }) {
  return joined.length
    ? joined.map((j) => (
        <div key={j.address + j.at.toISOString()} className="font-mono">
          {j.address}
        </div>
      ))
    : "—";
}

// Withdraw and new link, while the invite can still be used: plain buttons that submit the
// list's two shared forms (InviteActionForms) with this invite's id.
const WITHDRAW_FORM = "invite-withdraw";
const REISSUE_FORM = "invite-reissue";

// A row's invite in its buttons' accessible names: its label, else its kind and creation time.
const inviteName = (i: Summary) =>
  i.note || `${KINDS[i.kind]} invite of ${formatDateTime(i.createdAt)}`;

export function InviteActions({
  invite: i,
}: {
  invite: Summary & { id: string; status: InviteStatus };
}) {
  if (i.status !== "active") return null;
  return (
    <div className="flex flex-col gap-2">
      {[
        [WITHDRAW_FORM, "Withdraw"],
        [REISSUE_FORM, "New link"],
      ].map(([form, label]) => (
        <button
          key={form}
          type="submit"
          form={form}
          name="inviteId"
          value={i.id}
          aria-label={`${label}: ${inviteName(i)}`}
          className={submitButtonClass("secondary")}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

// Once per page that shows InviteActions, where their answers should appear.
export function InviteActionForms() {
  return (
    <>
      <RowActionForm
        id={WITHDRAW_FORM}
        action={revokeInviteAction}
        confirm="Withdraw this invite? Its link stops working."
      />
      <RowActionForm
        id={REISSUE_FORM}
        action={reissueInviteAction}
        confirm="Make a new link for this invite? The old link stops working."
      />
    </>
  );
}

export function InviteList({
  invites,
  showCustomer,
  readOnly = false,
}: {
  invites: InviteListItem[];
  showCustomer: boolean;
  readOnly?: boolean;
}) {
  if (invites.length === 0)
    return (
      <EmptyState title="No invites here">
        Create one above and send the link; it shows who joined through it.
      </EmptyState>
    );
  return (
    <>
      {readOnly ? null : <InviteActionForms />}
      <Table
        head={[
          "Invite",
          ...(showCustomer ? ["Customer"] : []),
          "Status",
          "Uses",
          "Expires",
          "Joined",
          "",
        ]}
        caption="Invites"
      >
        {invites.map((i) => (
          <tr key={i.id} data-testid="invite-row">
            <Td>
              <InviteSummary invite={i} />
            </Td>
            {showCustomer ? <Td>{i.customer.name}</Td> : null}
            <Td>
              <InviteStatusBadge status={i.status} />
            </Td>
            <Td>
              {i.uses} / {i.maxUses}
            </Td>
            <Td className="whitespace-nowrap">
              {i.expiresAt ? formatDateTime(i.expiresAt) : "never"}
            </Td>
            <Td className="text-xs">
              <InviteJoined joined={i.joined} />
            </Td>
            <Td>{readOnly ? null : <InviteActions invite={i} />}</Td>
          </tr>
        ))}
      </Table>
    </>
  );
}
