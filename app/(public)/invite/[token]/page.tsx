import type { Metadata } from "next";
import QRCode from "qrcode";
import { lookUpInvite } from "@/lib/invites/lookup-invite";
import { inviteLink } from "@/lib/invites/create-invite";
import { XMPP_APPS } from "../apps";
import { InviteProblem } from "../invite-problem";
import { RegisterForm } from "./register-form";
import { getConfig } from "@/core/config";

export const metadata: Metadata = {
  title: "You are invited",
  referrer: "no-referrer",
  robots: { index: false },
};

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const lookup = await lookUpInvite(token);
  if (lookup.state !== "valid") return <InviteProblem state={lookup.state} />;
  const invite = lookup.invite;
  const link = inviteLink(token);
  const qr = await QRCode.toString(link, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  // XEP-0401/XEP-0379 forms for apps that understand them; Parley, not the server, checks the token.
  const uri =
    invite.kind === "CONTACT" && invite.contact
      ? `xmpp:${invite.contact}?roster;preauth=${token};ibr=y`
      : `xmpp:${invite.fixedLocalpart ? `${invite.fixedLocalpart}@` : ""}${invite.domain}?register;preauth=${token}`;
  const what =
    invite.kind === "ROOM"
      ? `and join the group chat ${invite.room}`
      : invite.kind === "CONTACT"
        ? `and chat with ${invite.contact}`
        : "";
  const { termsUrl: terms, privacyUrl: privacy } = getConfig();
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <header className="mb-6">
        <p className="text-sm text-slate-600">
          {invite.inviterName ? `${invite.inviterName} invited you` : "You are invited"} to{" "}
          {invite.customerName}
        </p>
        <h1 className="mt-1 text-2xl font-semibold">
          Get a chat address on {invite.domain} {what}
        </h1>
        <p className="mt-2 text-sm text-slate-600">
          XMPP is open, encrypted messaging: pick any app below; your address works in all of them.
        </p>
      </header>

      {invite.seatsLeft === 0 ? (
        <p
          role="alert"
          data-testid="no-seats"
          className="mb-6 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
        >
          {invite.customerName} has no free place left right now, so this invite cannot be used. Ask
          whoever invited you to make room.
        </p>
      ) : null}

      <div className="grid gap-6 md:grid-cols-[1fr_220px]">
        <section
          aria-labelledby="register"
          className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="register" className="mb-1 text-lg font-semibold">
            1. Choose your address
          </h2>
          <p className="mb-4 text-sm text-slate-600">
            Registration happens here, in your browser. Then sign in with the app of your choice.
          </p>
          <RegisterForm
            token={token}
            domain={invite.domain}
            fixedLocalpart={invite.fixedLocalpart}
            disabled={invite.seatsLeft === 0}
            terms={terms}
            privacy={privacy}
          />
        </section>
        <aside className="space-y-3 text-center">
          <div
            className="rounded-xl border border-slate-200 bg-white p-3"
            role="img"
            aria-label="QR code of this invite link"
            dangerouslySetInnerHTML={{ __html: qr }}
          />
          <p className="text-xs text-slate-600">Scan to open this invite on your phone.</p>
        </aside>
      </div>

      <section
        aria-labelledby="apps"
        className="mt-6 rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
      >
        <h2 id="apps" className="mb-3 text-lg font-semibold">
          2. Get an app
        </h2>
        <div className="grid gap-4 sm:grid-cols-3">
          {XMPP_APPS.map((group) => (
            <div key={group.platform}>
              <h3 className="mb-2 text-sm font-semibold">{group.platform}</h3>
              <ul className="space-y-1 text-sm">
                {group.apps.map((app) => (
                  <li key={app.name}>
                    <a
                      className="text-indigo-700 underline"
                      href={app.href}
                      rel="noreferrer noopener"
                      target="_blank"
                    >
                      {app.name}
                    </a>
                    {"alt" in app ? (
                      <>
                        {" "}
                        ·{" "}
                        <a
                          className="text-indigo-700 underline"
                          href={app.alt.href}
                          rel="noreferrer noopener"
                          target="_blank"
                        >
                          {app.alt.label}
                        </a>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
        <p className="mt-4 text-sm">
          Already have an app that supports invites?{" "}
          <a
            className="font-semibold text-indigo-700 underline"
            href={uri}
            data-testid="open-in-app"
          >
            Open this invite in your app
          </a>
          .
        </p>
      </section>
    </main>
  );
}
