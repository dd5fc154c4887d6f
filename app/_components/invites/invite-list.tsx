import { ActionForm } from "@/app/_components/form";
import { Badge, EmptyState, Table, Td, formatDateTime } from "@/app/_components/ui";
import type { InviteListItem } from "@/lib/invites/queries";
import { reissueInviteAction, revokeInviteAction } from "./actions";

const COLORS = { active: "green", used: "slate", expired: "amber", revoked: "red" } as const;
const KINDS = { ACCOUNT: "account", ROOM: "room", CONTACT: "contact" } as const;

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
            {KINDS[i.kind]}
            {i.localpart ? <span className="font-mono"> · {i.localpart}</span> : null}
            <div className="text-xs text-slate-500">
              {i.note || "—"} · by {i.createdBy?.name ?? "someone removed"} ·{" "}
              {formatDateTime(i.createdAt)}
            </div>
          </Td>
          {showCustomer ? <Td>{i.customer.name}</Td> : null}
          <Td>
            <Badge color={COLORS[i.status]}>{i.status}</Badge>
          </Td>
          <Td>
            {i.uses} / {i.maxUses}
          </Td>
          <Td className="whitespace-nowrap">
            {i.expiresAt ? formatDateTime(i.expiresAt) : "never"}
          </Td>
          <Td className="text-xs">
            {i.joined.length
              ? i.joined.map((j) => (
                  <div key={j.address + j.at.toISOString()} className="font-mono">
                    {j.address}
                  </div>
                ))
              : "—"}
          </Td>
          <Td>
            {i.status === "active" && !readOnly ? (
              <div className="flex flex-col gap-2">
                <ActionForm
                  action={revokeInviteAction}
                  submit="Withdraw"
                  variant="secondary"
                  hidden={{ inviteId: i.id }}
                  idPrefix={`revoke-${i.id}-`}
                  className="flex"
                  confirm="Withdraw this invite? Its link stops working."
                />
                <ActionForm
                  action={reissueInviteAction}
                  submit="New link"
                  variant="secondary"
                  hidden={{ inviteId: i.id }}
                  idPrefix={`reissue-${i.id}-`}
                  confirm="Make a new link for this invite? The old link stops working."
                />
              </div>
            ) : null}
          </Td>
        </tr>
      ))}
    </Table>
  );
}
