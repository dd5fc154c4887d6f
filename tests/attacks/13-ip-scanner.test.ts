import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { maskAddresses } from "@/core/redact";
import { scanLog } from "@/provisioning/compliance/log-scan";

// An attacker (or a careless module) gets client addresses into a server's log in the forms
// ejabberd and Prosody really print; the compliance scan must find every one, and Parley's own
// log masking must hide every one. Lines the servers print about themselves must stay clean.
const leaks: [string, string][] = [
  ["203.0.113.7", "2026-12-06 21:10:01.123 [info] (<0.612.0>) Accepted connection 203.0.113.7."],
  [
    "{{203,0,113,7},52000}",
    "2026-12-06 21:10:02.001 [info] (tcp|<0.613.0>) Accepted connection {{203,0,113,7},52000} -> {{127,0,0,1},5222}",
  ],
  ["203.000.113.007", "Dec 06 21:10:03 c2s55d0c0 info Client connected from 203.000.113.007"],
  [
    "010.0.0.1",
    "Dec 06 21:10:04 c2s55d0c1 debug Received[c2s_unauthed]: from 010.0.0.1 port 40312",
  ],
  ["2001:db8::7", "Dec 06 21:10:05 c2s55d0c2 info Client connected from 2001:db8::7"],
  [
    "2001:0db8:0000:0000:0000:0000:0000:0007",
    "2026-12-06 21:10:06 [info] peer 2001:0db8:0000:0000:0000:0000:0000:0007 closed",
  ],
  ["fe80::1%eth0", "Dec 06 21:10:07 c2s55d0c3 info Client connected from fe80::1%eth0"],
  ["[2001:db8::1]:5222", "2026-12-06 21:10:08 [info] Accepted connection [2001:db8::1]:52001"],
  ["::ffff:203.0.113.7", "Dec 06 21:10:09 s2sin55d0c4 info Incoming s2s from ::ffff:203.0.113.7"],
  [
    "{8193,3512,0,0,0,0,0,7}",
    "2026-12-06 21:10:10 [info] (<0.700.0>) Accepted connection {{8193,3512,0,0,0,0,0,7},40100} -> {{0,0,0,0,0,0,0,1},5222}",
  ],
];

const clean = [
  "2026-12-06 21:10:11.456 [info] ejabberd 23.01 is started in the node ejabberd@localhost in 2.31s",
  "2026-12-06 21:10:12 [info] Start accepting TCP connections at 127.0.0.1:5222 for ejabberd_c2s",
  "2026-12-06 21:10:12 [info] Start accepting TCP connections at [::1]:5280 for ejabberd_http",
  "Dec 06 21:10:13 general info Hello and welcome to Prosody version 0.12.3",
  "Dec 06 21:10:14 portmanager info Activated service 'c2s' on [::]:5222, [*]:5222",
  "2026-12-06 21:10:15 [info] session resumed after 12:30:45 of 1.2.3 timer on port 5222",
];

const key = randomBytes(32);
const scan = (text: string) =>
  scanLog("/var/log/ejabberd/ejabberd.log", text, { hmacKey: key, ignore: ["127.0.0.1", "::1"] });

// The digits of an address in whatever form it was written, to prove none survives masking.
const digitsOf = (address: string) => address.replace(/[[\]{}]|:\d{4,5}$|%eth0$/g, "");

describe("11.13 the no-IP scanner: trailing dots, Erlang tuples, zero-padding and IPv6 forms", () => {
  it("the server log scan finds every client address and keeps none of them", () => {
    const log = [...leaks.map(([, line]) => line), ...clean].join("\n");
    const findings = scan(log);
    const flagged = new Set(findings.map((f) => f.line));
    const missed = leaks.filter((_, i) => !flagged.has(i + 1)).map(([address]) => address);
    expect(missed, "addresses the scan did not report").toEqual([]);
    const falseAlarms = clean.filter((_, i) => flagged.has(leaks.length + i + 1));
    expect(falseAlarms, "lines the server prints about itself").toEqual([]);
    const stored = JSON.stringify(findings);
    for (const [address] of leaks) expect(stored).not.toContain(digitsOf(address));
  });

  it("Parley's own log masking hides every form", () => {
    for (const [address, line] of leaks) {
      const masked = maskAddresses(line);
      expect(masked, address).not.toContain(digitsOf(address));
      expect(masked, address).toMatch(/\[IPv[46]\]/);
    }
    for (const line of clean.slice(0, 1).concat(clean.slice(3)))
      expect(maskAddresses(line)).toBe(line);
  });

  it("evidence shows no chat addresses (11.15): JIDs, rooms, resources and API arguments", () => {
    const lines = [
      "2026-12-06 21:11:00 [info] (<0.800.0>) Accepted c2s PLAIN authentication for alice@parley.test/Gajim.x1 by sql backend from 203.0.113.7",
      "Dec 06 21:11:01 c2s55d0c5 info Authenticated as bob@parley.test from 2001:db8::9 joining lounge@conference.parley.test/bob",
      '2026-12-06 21:11:02 [info] API call register [{<<"user">>,<<"carol">>},{<<"host">>,<<"parley.test">>}] from {{198,51,100,4},5280}',
      '2026-12-06 21:11:03 [debug] route {jid,<<"dave">>,<<"parley.test">>,<<"phone">>,<<"dave">>} via 192.0.2.44',
    ];
    const findings = scan(lines.join("\n"));
    expect(findings.map((f) => f.line)).toEqual([1, 2, 3, 4]);
    const stored = JSON.stringify(findings);
    for (const name of ["alice", "bob", "lounge", "carol", "dave", "Gajim.x1", "phone"])
      expect(stored, name).not.toContain(name);
    expect(findings[0].masked).toContain("[chat address]");
  });
});
