import Link from "@/app/_components/link";
import { PICKER_LIMIT } from "@/lib/customers/queries";

// A create form's stand-in when there are too many customers to list in a select.
export function CustomerFirst({ link }: { link: string }) {
  return (
    <p className="text-sm text-slate-600" data-testid="customer-first">
      You have more than {PICKER_LIMIT} customers, so choose the customer first: find them under{" "}
      <Link className="text-indigo-700 underline" href="/console/customers">
        Customers
      </Link>{" "}
      and follow the “{link}” link on their page. This form then offers just that customer.
    </p>
  );
}
