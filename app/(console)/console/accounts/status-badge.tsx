import { Badge } from "@/app/_components/ui";

const COLORS = {
  PENDING: "indigo",
  ACTIVE: "green",
  SUSPENDED: "amber",
  DELETING: "slate",
  DELETED: "slate",
  FAILED: "red",
} as const;

export function AccountStatusBadge({
  status,
  reasons,
}: {
  status: keyof typeof COLORS;
  reasons: string[];
}) {
  const label =
    status === "PENDING"
      ? "being created"
      : status === "DELETING"
        ? "being deleted"
        : status.toLowerCase();
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge color={COLORS[status]}>{label}</Badge>
      {reasons.length && status !== "SUSPENDED" ? (
        <Badge color="amber">suspending: {reasons.join(", ")}</Badge>
      ) : null}
      {status === "SUSPENDED" ? (
        <Badge color="amber">{reasons.join(", ") || "unsuspending"}</Badge>
      ) : null}
    </span>
  );
}
