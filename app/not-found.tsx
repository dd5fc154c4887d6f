import Link from "@/app/_components/link";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="text-sm text-slate-600">
        This page does not exist, or you do not have access to it.
      </p>
      <Link href="/" className="text-sm text-indigo-700 underline">
        Go to your start page
      </Link>
    </main>
  );
}
