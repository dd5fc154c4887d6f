import { maskAddresses } from "@/core/redact";
import { observeFeatures, type FeatureObservation } from "./feature-probe";
import { worseGrade, type Grade } from "./tls-grade";
import { probePort, type PortResult } from "./tls-probe";
import {
  liveFeatures,
  suiteLevels,
  type DirectTls,
  type LiveFeature,
  type SuiteLevel,
} from "./xep-report";
import type { TlsMode, XmppService } from "./xmpp-stream";

// One live evaluation of a server from the outside, as a client and another server would meet
// it: the features advertised to Parley's probe account, and TLS on every port entered for it.
// Nothing here reads the server's configuration.

export type EvaluationPorts = {
  c2s: number | null;
  c2sDirectTls: number | null;
  s2s: number | null;
  s2sDirectTls: number | null;
};

export type EvaluationTarget = {
  host: string;
  domain: string;
  mucDomain: string | null;
  ports: EvaluationPorts;
  // Parley's probe account (localpart and password); null: features are not read.
  probe: { username: string; password: string } | null;
  // Trusted roots, PEM.
  ca: string[];
  now: Date;
  timeoutMs?: number;
};

export type Evaluation = {
  features: {
    error: string | null;
    observation: FeatureObservation | null;
    live: LiveFeature[];
    suites: SuiteLevel[];
  };
  security: { grade: Grade | null; ports: PortResult[] };
  // The earliest expiry of a certificate seen (ISO), for the expiry notice.
  certificateNotAfter: string | null;
};

const PORTS: { key: keyof EvaluationPorts; service: XmppService; mode: TlsMode }[] = [
  { key: "c2s", service: "c2s", mode: "starttls" },
  { key: "c2sDirectTls", service: "c2s", mode: "direct" },
  { key: "s2s", service: "s2s", mode: "starttls" },
  { key: "s2sDirectTls", service: "s2s", mode: "direct" },
];

// Error text is stored and shown: addresses in it are masked like in Parley's own logs.
export function errorText(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error))
    // OpenSSL's error lines: keep the reason, drop the codes and source paths.
    .replace(/[0-9A-F]{8,}:error:[0-9A-F]+:SSL routines:[^:]*:([^:\n]*)[^\n]*/g, "TLS: $1")
    .trim();
  return maskAddresses(text).slice(0, 300);
}

export async function evaluateServer(t: EvaluationTarget): Promise<Evaluation> {
  const ports: PortResult[] = [];
  for (const p of PORTS) {
    const port = t.ports[p.key];
    if (!port) continue;
    const result = await probePort({
      target: {
        host: t.host,
        port,
        domain: t.domain,
        service: p.service,
        mode: p.mode,
        timeoutMs: t.timeoutMs,
      },
      ca: t.ca,
      now: t.now,
    });
    ports.push({ ...result, error: result.error === null ? null : errorText(result.error) });
  }
  const directTls: DirectTls = !t.ports.c2sDirectTls
    ? "not configured"
    : ports.some((p) => p.service === "c2s" && p.mode === "direct" && !p.error && p.ciphers.length)
      ? "accepted"
      : "refused";

  let observation: FeatureObservation | null = null;
  let error: string | null = null;
  if (!t.ports.c2s) error = "No client port is entered for this server.";
  else if (!t.probe) error = "Parley's probe account is not ready on this server.";
  else {
    try {
      observation = await observeFeatures({
        host: t.host,
        port: t.ports.c2s,
        domain: t.domain,
        mucDomain: t.mucDomain,
        username: t.probe.username,
        password: t.probe.password,
        ca: t.ca,
        timeoutMs: t.timeoutMs,
      });
    } catch (e) {
      error = errorText(e);
    }
  }
  const notAfter = ports
    .map((p) => p.certificate?.notAfter)
    .filter((d): d is string => !!d)
    .sort()[0];
  return {
    features: {
      error,
      observation,
      live: observation ? liveFeatures(observation) : [],
      suites: observation ? suiteLevels(observation, directTls) : [],
    },
    security: {
      grade: ports.length ? ports.map((p) => p.grade.grade).reduce(worseGrade) : null,
      ports,
    },
    certificateNotAfter: notAfter ?? null,
  };
}
