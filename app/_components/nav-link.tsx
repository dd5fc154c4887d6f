"use client";
import Link, { useLinkStatus } from "@/app/_components/link";
import { usePathname } from "next/navigation";

export function NavLink({
  href,
  children,
  exact,
}: {
  href: string;
  children: React.ReactNode;
  exact?: boolean;
}) {
  const path = usePathname();
  const active = exact ? path === href : path === href || path.startsWith(`${href}/`);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={`block rounded-md px-3 py-1.5 text-sm ${active ? "bg-indigo-50 font-semibold text-indigo-800" : "text-slate-700 hover:bg-slate-100"}`}
    >
      {children}
      <Pending />
    </Link>
  );
}

// A dot beside the item while its page loads: without prefetching, a click waits on the server.
function Pending() {
  const { pending } = useLinkStatus();
  return (
    <span
      aria-hidden="true"
      className={`ml-2 inline-block size-1.5 rounded-full bg-indigo-500 align-middle ${pending ? "animate-pulse" : "invisible"}`}
    />
  );
}
