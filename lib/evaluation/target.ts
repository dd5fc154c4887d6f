import { readFileSync } from "node:fs";
import tls from "node:tls";
import { getConfig } from "@/core/config";
import type { EvaluationPorts } from "@/provisioning/evaluation/evaluate";

// Where and how the live evaluation reaches a server (the Server row's address and ports), and
// which certificate authorities it trusts.

export type LiveTargetFields = {
  xmppHost: string | null;
  c2sPort: number | null;
  c2sDirectTlsPort: number | null;
  s2sPort: number | null;
  s2sDirectTlsPort: number | null;
};

export const LIVE_TARGET_SELECT = {
  xmppHost: true,
  c2sPort: true,
  c2sDirectTlsPort: true,
  s2sPort: true,
  s2sDirectTlsPort: true,
} as const satisfies Record<keyof LiveTargetFields, true>;

export function livePorts(s: LiveTargetFields): EvaluationPorts {
  return {
    c2s: s.c2sPort,
    c2sDirectTls: s.c2sDirectTlsPort,
    s2s: s.s2sPort,
    s2sDirectTls: s.s2sDirectTlsPort,
  };
}

export function hasLiveTarget(s: LiveTargetFields): boolean {
  return !!s.xmppHost && Object.values(livePorts(s)).some((p) => p !== null);
}

// The system's roots and the operator's extra ones (PARLEY_EXTRA_CA_FILE).
export function trustedRoots(): string[] {
  const file = getConfig().extraCaFile;
  return file ? [...tls.rootCertificates, readFileSync(file, "utf8")] : [...tls.rootCertificates];
}
