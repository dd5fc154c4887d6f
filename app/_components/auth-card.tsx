export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-md">
        <div className="mb-6 flex items-center gap-2">
          <img src="/icon.svg" alt="" width={32} height={32} />
          <span className="text-xl font-semibold">Parley</span>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
          <h1 className="mb-4 text-lg font-semibold">{title}</h1>
          {children}
        </div>
      </div>
    </main>
  );
}

export function LinkProblem({ state }: { state: "expired" | "used" | "unknown" }) {
  const text = {
    expired: "This link has expired.",
    used: "This link was already used.",
    unknown: "This link is not valid. Check that you copied all of it.",
  }[state];
  return (
    <p
      role="alert"
      data-testid="link-problem"
      className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800"
    >
      {text}
    </p>
  );
}
