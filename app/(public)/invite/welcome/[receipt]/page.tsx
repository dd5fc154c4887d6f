import type { Metadata } from "next";
import QRCode from "qrcode";
import { lookUpReceipt } from "@/lib/invites/redeem-invite";
import { AutoRefresh } from "@/app/_components/auto-refresh";
import { XMPP_APPS } from "../../apps";
import { InviteProblem } from "../../invite-problem";

export const metadata: Metadata = {
  title: "Welcome",
  referrer: "no-referrer",
  robots: { index: false },
};

export default async function WelcomePage({ params }: { params: Promise<{ receipt: string }> }) {
  const { receipt } = await params;
  const view = await lookUpReceipt(receipt);
  if (!view) return <InviteProblem state="unknown" />;
  const ready = view.status === "ACTIVE";
  const openUri = view.contact
    ? `xmpp:${view.contact}?roster`
    : view.room
      ? `xmpp:${view.room}?join`
      : `xmpp:${view.address}`;
  const qr = await QRCode.toString(`xmpp:${view.address}`, { type: "svg", margin: 1 });
  return (
    <main className="mx-auto max-w-2xl px-4 py-8">
      {!ready ? <AutoRefresh seconds={3} /> : null}
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
        <p className="text-sm text-slate-600">Your chat address</p>
        <h1 className="mt-1 break-all font-mono text-2xl font-semibold" data-testid="new-address">
          {view.address}
        </h1>
        {ready ? (
          <p
            className="mt-3 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900"
            data-testid="account-ready"
          >
            Your account is ready. Sign in with this address and the password you chose.
          </p>
        ) : view.status === "FAILED" ? (
          <p className="mt-3 rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-900" role="alert">
            Your account could not be created. Please contact whoever invited you.
          </p>
        ) : (
          <p
            className="mt-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
            data-testid="account-pending"
          >
            Your registration is saved and your account is being set up.
            {view.lastError
              ? " The chat server cannot be reached right now; your account will be created as soon as it is back, nothing is lost."
              : ""}{" "}
            This page updates by itself.
          </p>
        )}
        <h2 className="mt-6 text-base font-semibold">Next steps</h2>
        <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm">
          <li>
            Install an XMPP app:{" "}
            {XMPP_APPS.map((g) => `${g.apps.map((a) => a.name).join(" or ")} (${g.platform})`).join(
              "; ",
            )}
            .
          </li>
          <li>
            Sign in with <strong className="font-mono">{view.address}</strong> and your password.
          </li>
          {view.room ? (
            <li>
              You are a member of <span className="font-mono">{view.room}</span>; join it from your
              app.
            </li>
          ) : null}
          {view.contact ? (
            <li>
              <span className="font-mono">{view.contact}</span> is already in your contacts.
            </li>
          ) : null}
        </ol>
        <div className="mt-6 flex flex-wrap items-center gap-6">
          <a
            className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white"
            href={openUri}
          >
            Open in my XMPP app
          </a>
          <div
            className="w-28 rounded border border-slate-200 p-1"
            role="img"
            aria-label="QR code of your address"
            dangerouslySetInnerHTML={{ __html: qr }}
          />
        </div>
        <p className="mt-4 text-xs text-slate-500">
          Keep your password safe: nobody at your provider can see it.
        </p>
      </div>
    </main>
  );
}
