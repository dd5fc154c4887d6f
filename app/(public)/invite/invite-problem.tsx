const TEXT = {
  malformed: [
    "This invite link is incomplete",
    "Check that you copied the whole link, or ask for it again.",
  ],
  unknown: [
    "This invite link is not valid",
    "It may have been mistyped. Ask whoever invited you to send it again.",
  ],
  expired: [
    "This invite has expired",
    "Invites are valid for a limited time. Ask whoever invited you for a new one.",
  ],
  used: [
    "This invite has already been used",
    "Each invite works a limited number of times. Ask whoever invited you for a new one.",
  ],
  revoked: ["This invite was withdrawn", "Ask whoever invited you for a new one."],
} as const;

export function InviteProblem({ state }: { state: keyof typeof TEXT }) {
  const [title, body] = TEXT[state];
  return (
    <main className="mx-auto flex min-h-[70vh] max-w-md flex-col justify-center px-4">
      <div
        className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
        data-testid="invite-problem"
        data-state={state}
      >
        <h1 className="text-lg font-semibold">{title}</h1>
        <p className="mt-2 text-sm text-slate-600">{body}</p>
      </div>
    </main>
  );
}
