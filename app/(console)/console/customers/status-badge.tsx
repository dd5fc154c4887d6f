import { Badge } from "@/app/_components/ui";

const COLORS = {
  PENDING: "indigo",
  ACTIVE: "green",
  PAST_DUE: "amber",
  SUSPENDED: "red",
  CLOSING: "amber",
  CLOSED: "slate",
  TERMINATED: "slate",
} as const;

export function StatusBadge({ status }: { status: keyof typeof COLORS }) {
  return <Badge color={COLORS[status]}>{status.toLowerCase().replace("_", " ")}</Badge>;
}
