// What one compliance check reports. Evidence is redacted: log findings are masked lines with a
// keyed hash (log-scan.ts), never a raw address or password.

export type CheckName =
  | "log scan"
  | "configuration match"
  | "retention in force"
  | "forbidden modules absent"
  | "TLS required for clients";

export type Evidence = {
  kind: string;
  file?: string;
  line?: number;
  lineHmac?: string;
  masked?: string;
  detail?: string;
};

export type Check = {
  name: CheckName;
  // null = could not be determined (reported as unknown, never as passed).
  passed: boolean | null;
  summary: string;
  evidence: Evidence[];
};

// The answers when a server kind has nothing to read them from (no main configuration, no admin shell).
export function modulesUndetermined(): Check {
  return {
    name: "forbidden modules absent",
    passed: null,
    summary: "The loaded modules could not be determined (no readable main configuration).",
    evidence: [],
  };
}

export function tlsUndiscoverable(): Check {
  return {
    name: "TLS required for clients",
    passed: null,
    summary: "Not discoverable without the main configuration.",
    evidence: [],
  };
}

export function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}
