import type { Metadata } from "next";
import { sharedReport } from "@/lib/compliance/queries";
import { ComplianceReport } from "@/app/_components/compliance-report";

export const metadata: Metadata = {
  title: "Privacy compliance report",
  referrer: "no-referrer",
  robots: { index: false },
};

const UNAVAILABLE = {
  unknown: "This report link is not valid.",
  expired:
    "This report link has expired. Ask your provider for a new link to their current report.",
  revoked:
    "This report link was withdrawn by your provider. Ask them for a new link if you still need the report.",
} as const;

// Public for holders of the link: one report, nothing else, until it expires or is withdrawn.
export default async function SharedReportPage({ params }: { params: Promise<{ token: string }> }) {
  const shared = await sharedReport((await params).token);
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      {shared.state === "ok" ? (
        <ComplianceReport report={shared.report} />
      ) : (
        <div
          className="rounded-xl border border-slate-200 bg-white p-6 text-sm"
          data-testid="report-missing"
          data-state={shared.state}
        >
          {UNAVAILABLE[shared.state]}
        </div>
      )}
    </main>
  );
}
