import { createHmac } from "node:crypto";
import {
  canonicalAddress,
  MASK,
  UNSPECIFIED,
  maskChatAddresses,
  replaceAddresses,
} from "@/core/redact";

// Finds client addresses and clear-text passwords in server logs and describes each finding
// without keeping it: file, line number, a keyed hash of the line (so the same line can be
// recognised later, but not brute-forced back from the address space) and the line with every
// address, password and chat address (JID) masked.

export type Finding = {
  kind: "ipv4" | "ipv6" | "password";
  file: string;
  line: number;
  lineHmac: string;
  masked: string;
};

// ejabberd's argument lists (<<"password">>,<<"secret">>), key=value and JSON forms.
const PASSWORDS = [
  /<<"(?:password|newpass|pass)">>\s*,\s*<<"(?!hidden_by_ejabberd")[^"]*">>/gi,
  /"(?:password|newpass|pass)"\s*:\s*"(?!hidden|\*)[^"]+"/gi,
  /\b(?:password|passwd|pwd)\s*[=:]\s*(?!hidden|\*|<|\[)[^\s,;]+/gi,
];

const MAX_MASKED = 240;

export type ScanOptions = {
  // Addresses the server itself listens on or that are not clients (e.g. 127.0.0.1, ::1).
  ignore?: string[];
  // Keyed hash of lines; Parley uses its encryption key.
  hmacKey: Buffer;
  maxFindings?: number;
};

export function scanLog(file: string, text: string, options: ScanOptions): Finding[] {
  const ignore = new Set([...(options.ignore ?? []).map(canonicalAddress), ...UNSPECIFIED]);
  const findings: Finding[] = [];
  const max = options.maxFindings ?? 200;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && findings.length < max; i++) {
    const line = lines[i];
    if (!line) continue;
    const kinds = new Set<Finding["kind"]>();
    let masked = replaceAddresses(line, (match) => {
      if (ignore.has(match.canonical)) return match.text;
      kinds.add(match.kind);
      return MASK[match.kind];
    });
    for (const pattern of PASSWORDS) {
      masked = masked.replace(pattern, () => {
        kinds.add("password");
        return "[password]";
      });
    }
    if (kinds.size === 0) continue;
    // Evidence is shown to staff and customers: who was chatting is not theirs to see either.
    masked = maskChatAddresses(masked);
    const lineHmac = createHmac("sha256", options.hmacKey).update(line).digest("hex").slice(0, 32);
    const text = masked.length > MAX_MASKED ? `${masked.slice(0, MAX_MASKED)}…` : masked;
    for (const kind of kinds) findings.push({ kind, file, line: i + 1, lineHmac, masked: text });
  }
  return findings;
}
