import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { canonicalAddress, maskAddresses, maskChatAddresses } from "@/core/redact";
import { scanLog } from "@/provisioning/compliance/log-scan";

const key = randomBytes(32);
const scan = (text: string, ignore: string[] = ["127.0.0.1", "::1"]) =>
  scanLog("ejabberd.log", text, { hmacKey: key, ignore });

describe("log scan", () => {
  it("finds client IPv4 and IPv6 addresses and never keeps them", () => {
    const log = [
      "2026-11-30 12:00:01.123 [info] Accepted connection 198.51.100.23:40312 -> 127.0.0.1:5222",
      "2026-11-30 12:00:02 c2s stream for 2001:db8::7 closed",
      "c2s_ipv4_mapped ::ffff:203.0.113.9 port 5222",
      "harmless line at 12:30:45 with version 23.01",
    ].join("\n");
    const findings = scan(log);
    expect(findings.map((f) => [f.kind, f.line])).toEqual([
      ["ipv4", 1],
      ["ipv6", 2],
      ["ipv6", 3],
    ]);
    const stored = JSON.stringify(findings);
    for (const address of ["198.51.100.23", "2001:db8::7", "203.0.113.9"])
      expect(stored).not.toContain(address);
    expect(findings[0].masked).toBe(
      "2026-11-30 12:00:01.123 [info] Accepted connection [IPv4]:40312 -> 127.0.0.1:5222",
    );
    expect(findings[0].lineHmac).toMatch(/^[0-9a-f]{32}$/);
  });

  it("ignores the server's own addresses and is not fooled by times or versions", () => {
    expect(
      scan(
        "Start accepting TCP connections at 127.0.0.1:5222 for ejabberd_c2s\nlistening on [::1]:5280 and 0.0.0.0:5269\nOTP 25 ejabberd 23.01 at 10:11:12",
      ),
    ).toEqual([]);
  });

  it("finds passwords written in clear and not the hidden ones", () => {
    const findings = scan(
      [
        'API call register [{<<"user">>,<<"alice">>},{<<"password">>,<<"alicepw">>}] from hidden_by_ejabberd',
        'API call register [{<<"user">>,<<"bob">>},{<<"password">>,<<"hidden_by_ejabberd">>}]',
        "auth failed password=hunter2 for carol",
      ].join("\n"),
    );
    expect(findings.map((f) => [f.kind, f.line])).toEqual([
      ["password", 1],
      ["password", 3],
    ]);
    expect(JSON.stringify(findings)).not.toMatch(/alicepw|hunter2/);
  });

  it("hashes lines with a key, so equal lines match and the hash depends on the key", () => {
    const a = scan("from 192.0.2.1\nfrom 192.0.2.1");
    expect(a[0].lineHmac).toBe(a[1].lineHmac);
    expect(scanLog("x", "from 192.0.2.1", { hmacKey: randomBytes(32) })[0].lineHmac).not.toBe(
      a[0].lineHmac,
    );
  });

  it("finds trailing-dot, zero-padded, Erlang-tuple and every IPv6 form", () => {
    const cases: [string, string][] = [
      ["from 203.0.113.7.", "from [IPv4]."],
      ["from 203.000.113.007 and 010.0.0.1", "from [IPv4] and [IPv4]"],
      ["conn {{203,0,113,7},52000}", "conn {[IPv4],52000}"],
      ["conn {{8193,3512,0,0,0,0,0,7},40100}", "conn {[IPv6],40100}"],
      ["peer 2001:0db8:0000:0000:0000:0000:0000:0007 gone", "peer [IPv6] gone"],
      ["peer fe80::1%eth0 gone", "peer [IPv6] gone"],
      ["peer [2001:db8::1]:5222 gone", "peer [[IPv6]]:5222 gone"],
      ["peer 2001:db8::7:52000 gone", "peer [IPv6]:52000 gone"],
      ["peer ::ffff:203.0.113.7 gone", "peer [IPv6] gone"],
    ];
    for (const [line, masked] of cases) {
      expect(maskAddresses(line), line).toBe(masked);
      expect(
        scan(line).map((f) => f.masked),
        line,
      ).toEqual([masked]);
    }
  });

  it("leaves versions, times, ports, dates and the server's own addresses in any form alone", () => {
    const harmless = [
      "ejabberd 23.01 on OTP 25 at 12:30:45.123 port 5222 on 2026-12-06",
      "listening on {{127,0,0,1},5222} and {{0,0,0,0,0,0,0,1},5280} and [::1]:5269",
      "listening on 0.0.0.0:5222 and [::]:5222, uptime 1.2.3, pid <0.612.0>, date {{2026,12,6},{21,10,1}}",
      "module mod_muc:process_iq/3 and c2s55d0c0 and sha256 ab:cd:ef",
    ];
    for (const line of harmless) expect(scan(line), line).toEqual([]);
    expect(canonicalAddress("{0,0,0,0,0,65535,51968,28935}")).toBe("203.0.113.7");
    expect(canonicalAddress("[2001:0DB8::0:7]:5222")).toBe("2001:db8:0:0:0:0:0:7");
    expect(canonicalAddress("203.000.113.007")).toBe("203.0.113.7");
  });

  it("masks chat addresses, resources and ejabberd's user and room arguments", () => {
    expect(
      maskChatAddresses(
        'alice@parley.test/Gajim.x1 joined lounge@conference.parley.test; {<<"user">>,<<"bob">>}',
      ),
    ).toBe('[chat address] joined [chat address]; {<<"user">>,[chat address]}');
  });

  it("masks addresses in Parley's own messages", () => {
    expect(maskAddresses("lookup from 203.0.113.5 and fe80::1 at 10:20:30")).toBe(
      "lookup from [IPv4] and [IPv6] at 10:20:30",
    );
  });
});

import { offeredFeatures } from "@/provisioning/compliance/features";

describe("provider features", () => {
  it("are read from the modules each kind of server has loaded", () => {
    const ej = offeredFeatures("ejabberd", [
      "mod_muc",
      "mod_mam",
      "mod_carboncopy",
      "mod_stream_mgmt",
    ]);
    expect(ej.filter((f) => f.offered).map((f) => f.xep)).toEqual([
      "XEP-0045",
      "XEP-0313",
      "XEP-0280",
      "XEP-0198",
    ]);
    const pr = offeredFeatures("prosody", ["mod_pep", "carbons", "blocklist", "http_file_share"]);
    expect(pr.filter((f) => f.offered).map((f) => f.xep)).toEqual([
      "XEP-0280",
      "XEP-0191",
      "XEP-0363",
      "XEP-0384",
    ]);
    expect(offeredFeatures("prosody", null).every((f) => f.offered === null)).toBe(true);
  });
});
