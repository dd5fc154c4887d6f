import { Badge, formatDateTime } from "@/app/_components/ui";
import type { LiveObservation } from "@/lib/evaluation/queries";

type Port = LiveObservation["ports"][number];

const SERVICE = { c2s: "Clients", s2s: "Other servers" } as const;
const VERSION = {
  TLSv1: "TLS 1.0",
  "TLSv1.1": "TLS 1.1",
  "TLSv1.2": "TLS 1.2",
  "TLSv1.3": "TLS 1.3",
};

export function gradeColor(grade: string | null): "green" | "amber" | "red" | "slate" {
  if (!grade) return "slate";
  if (grade.startsWith("A")) return "green";
  return grade === "B" || grade === "C" ? "amber" : "red";
}

function Certificate({ c }: { c: NonNullable<Port["certificate"]> }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
      <dt className="text-slate-500">Certificate</dt>
      <dd>
        {c.subject} ({c.names.join(", ") || "no DNS names"}), issued by {c.issuer}
      </dd>
      <dt className="text-slate-500">Valid</dt>
      <dd className={c.expired || c.notYetValid ? "text-rose-700" : undefined}>
        {formatDateTime(new Date(c.notBefore))} – {formatDateTime(new Date(c.notAfter))}
        {c.expired ? " (expired)" : c.notYetValid ? " (not valid yet)" : ""}
      </dd>
      <dt className="text-slate-500">Key</dt>
      <dd>
        {c.keyType.toUpperCase()} {c.keyBits ? `${c.keyBits} bits` : (c.curve ?? "")}
      </dd>
      <dt className="text-slate-500">Chain</dt>
      <dd className={c.trusted ? undefined : "text-rose-700"}>
        {c.trusted ? "trusted" : `not trusted: ${c.trustError ?? "unknown reason"}`};{" "}
        {c.nameMatches ? "names this domain" : "does not name this domain"}
      </dd>
    </dl>
  );
}

function PortCard({ p }: { p: Port }) {
  const accepted = (Object.keys(VERSION) as (keyof typeof VERSION)[]).filter((v) => p.protocols[v]);
  return (
    <li
      className="rounded-lg border border-slate-200 bg-white p-3 text-sm"
      data-testid={`tls-${p.service}-${p.mode}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <Badge color={gradeColor(p.grade.grade)}>{p.grade.grade}</Badge>
        <span className="font-medium">
          {SERVICE[p.service]}, port {p.port} ({p.mode === "direct" ? "direct TLS" : "STARTTLS"}
          {p.starttls === "required" ? ", required" : p.starttls === "offered" ? ", optional" : ""})
        </span>
        <span className="text-xs text-slate-500">score {p.grade.score}</span>
      </div>
      {p.error ? <p className="mt-1 text-rose-700">{p.error}</p> : null}
      {p.grade.reasons.length ? (
        <ul className="mt-1 list-disc pl-5 text-slate-700" data-testid="grade-reasons">
          {p.grade.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <p className="mt-1 text-xs text-slate-600">
        Accepts {accepted.length ? accepted.map((v) => VERSION[v]).join(", ") : "no TLS version"}
        {p.dhBits ? `; DH groups of ${p.dhBits} bits` : ""}.
      </p>
      {p.certificate ? <Certificate c={p.certificate} /> : null}
      {p.ciphers.length ? (
        <details className="mt-1 text-xs">
          <summary className="cursor-pointer text-slate-600">
            {p.ciphers.length} cipher suites
          </summary>
          <ul className="mt-1 font-mono">
            {p.ciphers.map((c) => (
              <li key={`${c.version}-${c.name}`}>
                {VERSION[c.version]} {c.name} ({c.bits} bits
                {c.forwardSecrecy ? ", forward secret" : ""})
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </li>
  );
}

export function LiveTls({ ports }: { ports: Port[] }) {
  if (!ports.length) return <p className="text-sm text-slate-600">No port was probed.</p>;
  return (
    <ul className="space-y-2">
      {ports.map((p) => (
        <PortCard key={`${p.service}-${p.mode}-${p.port}`} p={p} />
      ))}
    </ul>
  );
}
