import type { Metadata } from "next";
import { connection } from "next/server";
import { billingEnabled } from "@/lib/billing/stripe-client";
import { getConfig } from "@/core/config";
import { listPlanRetention } from "@/lib/plans/queries";
import { listPublishedPolicies } from "@/lib/policies/queries";

export const metadata: Metadata = { title: "Privacy" };

function smtpRelay(): string | null {
  const url = getConfig().smtpUrl;
  if (!url) return null;
  try {
    return new URL(url).hostname; // never the credentials
  } catch {
    return "the configured SMTP relay";
  }
}

// States the promises as they are configured right now, read from the database and settings.
export default async function PrivacyPage() {
  await connection(); // rendered per request: it must show the live configuration
  const [plans, policies] = await Promise.all([listPlanRetention(), listPublishedPolicies()]);
  const keep = getConfig().recordRetention;
  const relay = smtpRelay();
  const stripe = billingEnabled();
  return (
    <main className="mx-auto max-w-3xl px-4 py-10 text-slate-800">
      <h1 className="text-2xl font-semibold">Privacy</h1>
      <p className="mt-2 text-sm text-slate-600">
        What this service keeps, for how long, and who else sees it. This page is generated from the
        live configuration.
      </p>

      <section className="mt-8">
        <h2 className="text-lg font-semibold">Your messages</h2>
        {plans.length === 0 ? (
          <p className="mt-2 text-sm">No plans are offered yet.</p>
        ) : (
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm" data-testid="privacy-plans">
            {plans.map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong>: messages are kept on the server{" "}
                {p.retentionDays === 0
                  ? "not at all (only on your devices)"
                  : `for ${p.retentionDays} days, then deleted`}
                .
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="mt-8">
        <h2 className="text-lg font-semibold">Our servers</h2>
        {policies.length === 0 ? (
          <p className="mt-2 text-sm">No server policies are published yet.</p>
        ) : (
          <ul className="mt-2 space-y-3 text-sm">
            {policies.map((p) => (
              <li key={p.id} className="rounded-lg border border-slate-200 bg-white p-3">
                <p className="font-medium">{p.name}</p>
                <p>
                  One-to-one messages kept{" "}
                  {p.mamRetentionDays === 0 ? "not at all" : `${p.mamRetentionDays} days`}; group
                  chats {p.mucRetentionDays === 0 ? "not at all" : `${p.mucRetentionDays} days`};
                  uploaded files deleted after {p.uploadExpiryDays} days.
                </p>
                <p>
                  {p.noIpLogging
                    ? "The server logs no IP addresses."
                    : "The server may log IP addresses."}{" "}
                  {p.noPasswordLogging ? "Passwords are never logged." : ""} Logging at “
                  {p.maxLogLevel}” or quieter
                  {p.modules.length
                    ? `; modules that record addresses (${p.modules.join(", ")}) are not loaded`
                    : ""}
                  .
                </p>
                <p className="text-xs text-slate-600">
                  Applies to:{" "}
                  {p.servers
                    .map(
                      (s) =>
                        `${s.domain} (${s.complianceStatus}${s.complianceCheckedAt ? `, checked ${s.complianceCheckedAt.toISOString().slice(0, 10)}` : ""})`,
                    )
                    .join(", ") || "no server yet"}
                  .
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="mt-8">
        <h2 className="text-lg font-semibold">This console</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
          <li>
            It never records your IP address: not in its database, its logs, its audit trail or its
            error reports.
          </li>
          <li>
            Invite and password-reset links are stored only as one-way hashes; server credentials
            and pending passwords are stored encrypted.
          </li>
          <li>It loads nothing from other websites: no fonts, scripts or trackers.</li>
          <li>
            It keeps the record of staff actions for {keep.auditDays} days, read notifications for{" "}
            {keep.notificationDays} days, sent emails for {keep.outboxDays} days and finished
            provisioning jobs for {keep.jobDays} days.
          </li>
        </ul>
      </section>

      <section className="mt-8">
        <h2 className="text-lg font-semibold">Who else processes data</h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm" data-testid="privacy-processors">
          {relay ? (
            <li>Emails are delivered through the SMTP relay {relay}.</li>
          ) : (
            <li>No email provider: emails are not sent outside this service.</li>
          )}
          {stripe ? (
            <li>Payments are handled by Stripe.</li>
          ) : (
            <li>No payment processor is connected.</li>
          )}
        </ul>
      </section>
    </main>
  );
}
