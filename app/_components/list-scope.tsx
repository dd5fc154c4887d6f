import Link from "@/app/_components/link";

// The note above a list narrowed to one customer (a link from the customer's page), with the
// way back to everyone's rows. The name comes from a row when there is one, else the id.
export function CustomerScope({
  what,
  name,
  clearHref,
}: {
  what: string;
  name: string;
  clearHref: string;
}) {
  return (
    <p className="mb-3 text-sm text-slate-600" data-testid="customer-scope">
      Only the {what} of customer <span className="font-medium">{name}</span>.{" "}
      <Link className="text-indigo-700 hover:underline" href={clearHref}>
        Show every customer’s
      </Link>
    </p>
  );
}
