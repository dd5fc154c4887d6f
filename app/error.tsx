"use client";

// Shown instead of a stack trace; the digest lets an admin find the entry in the server log.
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="text-sm text-slate-600">
        Nothing was changed. Try again; if it keeps happening, tell your admin
        {error.digest ? ` (reference ${error.digest})` : ""}.
      </p>
      <button
        onClick={reset}
        className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white"
      >
        Try again
      </button>
    </main>
  );
}
