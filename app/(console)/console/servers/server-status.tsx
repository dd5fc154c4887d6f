import { Badge } from "@/app/_components/ui";

export function ServerStatus({ status }: { status: string }) {
  return (
    <Badge
      color={
        status === "ok"
          ? "green"
          : status === "unknown"
            ? "slate"
            : status.startsWith("host key")
              ? "red"
              : "amber"
      }
    >
      {status}
    </Badge>
  );
}
