import type { Metadata } from "next";
import { sharedReport } from "@/lib/compliance/queries";
import { ComplianceReport } from "@/app/_components/compliance-report";

export const metadata: Metadata = {
  title: "Privacy compliance report",
  referrer: "no-referrer",
  robots: { index: false },
};

// Public for holders of the link: one report, nothing else.
export default async function SharedReportPage({ params }: { params: Promise<{ token: string }> }) {
  const report = await sharedReport((await params).token);
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      {report ? (
        <ComplianceReport report={report} />
      ) : (
        <div
          className="rounded-xl border border-slate-200 bg-white p-6 text-sm"
          data-testid="report-missing"
        >
          This report link is not valid.
        </div>
      )}
    </main>
  );
}
