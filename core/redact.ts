import { isIPv6 } from "node:net";

// Client addresses in any text: found (for log scans of the XMPP servers) and masked (for
// everything Parley itself writes), so no address reaches a log or an error report.
// One finder for both, so the two can never disagree on what an address looks like:
//   IPv4   dotted, zero-padded (203.000.113.007), with a sentence's trailing dot;
//   IPv6   full, compressed, IPv4-mapped, with a zone (%eth0), bracketed with a port;
//   Erlang tuples as ejabberd prints them: {203,0,113,7} and {8193,3512,0,0,0,0,0,7}.
// Candidates are checked by value (octets ≤ 255, node's own IPv6 parser), so times (12:30:45),
// versions (23.01) and ports alone are left alone.

export type AddressKind = "ipv4" | "ipv6";
export type AddressMatch = { kind: AddressKind; text: string; canonical: string };

const ERLANG_IPV6 = /\{\s*\d{1,5}(?:\s*,\s*\d{1,5}){7}\s*\}/g;
const ERLANG_IPV4 = /\{\s*\d{1,3}(?:\s*,\s*\d{1,3}){3}\s*\}/g;
// A run of hex digits, colons and dots with at least two colons, maybe bracketed, maybe zoned.
const IPV6_CANDIDATE = /(?<![\w:.%])\[?[0-9a-f]*:[0-9a-f.]*:[0-9a-f:.]*(?:%[\w.-]+)?\]?/gi;
// Four numbers of at most three digits; not part of a longer dotted run (a trailing "." is fine).
const IPV4_CANDIDATE = /(?<!\d|\d\.)\d{1,3}(?:\.\d{1,3}){3}(?!\d|\.\d)/g;

const numbers = (text: string) => text.match(/\d+/g)!.map(Number);

function ipv4Canonical(text: string): string | null {
  const octets = text.split(".").map(Number);
  return octets.length === 4 && octets.every((o) => o <= 255) ? octets.join(".") : null;
}

// Eight groups as numbers; an embedded dotted IPv4 becomes the last two.
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split(".").map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === null ? [] : parse(tail);
  return [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
}

function ipv6Canonical(groups: number[]): string {
  // ::ffff:a.b.c.d is an IPv4 client, whichever way it is written.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join(".");
  return groups.map((g) => g.toString(16)).join(":");
}

// The address a bracketed, zoned, port-suffixed or dotted-off candidate really is, or null.
function ipv6Core(candidate: string): string | null {
  let text = candidate.replace(/^\[/, "").replace(/\](?::\d*)?$/, "");
  text = text.replace(/%[\w.-]+$/, "");
  for (const attempt of [text, text.replace(/\.$/, ""), text.replace(/:\d{1,5}\.?$/, "")]) {
    if (isIPv6(attempt)) return attempt;
  }
  return null;
}

// The one form an address is compared in (e.g. against a server's own listen addresses).
export function canonicalAddress(text: string): string {
  const bare = text.trim();
  if (bare.startsWith("{")) {
    const n = numbers(bare);
    return n.length === 4 ? n.join(".") : ipv6Canonical(n);
  }
  const v6 = ipv6Core(bare);
  if (v6) return ipv6Canonical(ipv6Groups(v6));
  return ipv4Canonical(bare.replace(/\.$/, "")) ?? bare.toLowerCase();
}

type Replacer = (match: AddressMatch) => string;

// Replaces every address in the text with what `replace` returns for it (return match.text to
// keep one). Erlang tuples first, then IPv6 (which may embed an IPv4), then IPv4.
export function replaceAddresses(text: string, replace: Replacer): string {
  return text
    .replace(ERLANG_IPV6, (m) => {
      const n = numbers(m);
      return n.every((g) => g <= 0xffff)
        ? replace({ kind: "ipv6", text: m, canonical: ipv6Canonical(n) })
        : m;
    })
    .replace(ERLANG_IPV4, (m) => {
      const canonical = ipv4Canonical(numbers(m).join("."));
      return canonical ? replace({ kind: "ipv4", text: m, canonical }) : m;
    })
    .replace(IPV6_CANDIDATE, (m) => {
      const core = ipv6Core(m);
      if (!core) return m;
      // Only the address itself is replaced; brackets, zone and port stay as written.
      const at = m.indexOf(core);
      const zone = m.slice(at + core.length).match(/^%[\w.-]+/)?.[0] ?? "";
      const found = core + zone;
      const canonical = ipv6Canonical(ipv6Groups(core));
      return (
        m.slice(0, at) +
        replace({ kind: "ipv6", text: found, canonical }) +
        m.slice(at + found.length)
      );
    })
    .replace(IPV4_CANDIDATE, (m) => {
      const canonical = ipv4Canonical(m);
      return canonical ? replace({ kind: "ipv4", text: m, canonical }) : m;
    });
}

export const MASK: Record<AddressKind, string> = { ipv4: "[IPv4]", ipv6: "[IPv6]" };

// "Any address" (0.0.0.0, ::) is where a server listens, never a client.
export const UNSPECIFIED = new Set(["0.0.0.0", "0:0:0:0:0:0:0:0"]);

// The same masking for any text Parley itself logs.
export function maskAddresses(text: string): string {
  return replaceAddresses(text, (m) => (UNSPECIFIED.has(m.canonical) ? m.text : MASK[m.kind]));
}

// Chat addresses (user@domain/resource, room@conference.domain) and the bare user and room
// names ejabberd prints in API calls and jid records: for evidence shown to people who must
// not learn who talks to whom.
const JID =
  /(?<![^\s"'<>(){}[\],;=:])[^\s@/"&'<>(){}[\],;:]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?:\/[^\s"'<>(){}[\],;]*)?/gi;
const ERLANG_JID = /\{jid(?:\s*,\s*<<"[^"]*">>)+/g;
const ERLANG_NAME =
  /(<<"(?:user|localuser|username|newuser|room|name|jid|from|to|owner|member)">>\s*,\s*)<<"[^"]*">>/gi;

export const CHAT_MASK = "[chat address]";

export function maskChatAddresses(text: string): string {
  return text
    .replace(ERLANG_JID, `{jid,${CHAT_MASK}`)
    .replace(ERLANG_NAME, `$1${CHAT_MASK}`)
    .replace(JID, CHAT_MASK);
}
