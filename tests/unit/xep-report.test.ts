import { describe, expect, it } from "vitest";
import type { FeatureObservation } from "@/provisioning/evaluation/feature-probe";
import { liveFeatures, suiteLevels, type DirectTls } from "@/provisioning/evaluation/xep-report";

// What the server advertised, turned into the provider features and XEP-0479 levels. The
// observations are shaped like the ones ejabberd 23.01 and Prosody 0.12 gave the probe
// (tests/servers/live-evaluation-*.test.ts).

const full = (): FeatureObservation => ({
  transport: "starttls",
  streamFeatures: [
    "http://jabber.org/protocol/caps",
    "urn:ietf:params:xml:ns:xmpp-bind",
    "urn:xmpp:csi:0",
    "urn:xmpp:sm:3",
  ],
  server: {
    jid: "example.test",
    identities: [{ category: "server", type: "im" }],
    features: [
      "urn:xmpp:carbons:2",
      "urn:xmpp:blocking",
      "vcard-temp",
      "jabber:iq:private",
      "urn:xmpp:extdisco:2",
    ],
    fields: {},
  },
  account: {
    jid: "parley-probe@example.test",
    identities: [
      { category: "account", type: "registered" },
      { category: "pubsub", type: "pep" },
    ],
    features: [
      "urn:xmpp:mam:2",
      "urn:xmpp:push:0",
      "http://jabber.org/protocol/pubsub#publish-options",
      "urn:xmpp:pep-vcard-conversion:0",
      "urn:xmpp:bookmarks:1#compat",
    ],
    fields: {},
  },
  services: [
    {
      jid: "conference.example.test",
      identities: [{ category: "conference", type: "text" }],
      features: [
        "http://jabber.org/protocol/muc",
        "urn:xmpp:mam:2",
        "http://jabber.org/protocol/muc#self-ping-optimization",
      ],
      fields: {},
    },
    {
      jid: "upload.example.test",
      identities: [{ category: "store", type: "file" }],
      features: ["urn:xmpp:http:upload:0"],
      fields: { "max-file-size": "10485760" },
    },
  ],
  roster: true,
  problems: [],
});

const level = (
  o: FeatureObservation,
  category: string,
  name: string,
  direct: DirectTls = "accepted",
) => suiteLevels(o, direct).find((s) => s.category === category && s.level === name)!;

describe("live provider features", () => {
  it("are read from where each is advertised, with the evidence", () => {
    const live = liveFeatures(full());
    expect(live.every((f) => f.observed)).toBe(true);
    expect(Object.fromEntries(live.map((f) => [f.xep, f.evidence]))).toEqual({
      "XEP-0045": "group chat service conference.example.test",
      "XEP-0313": "urn:xmpp:mam:2 on parley-probe@example.test",
      "XEP-0280": "urn:xmpp:carbons:2 on example.test",
      "XEP-0191": "urn:xmpp:blocking on example.test",
      "XEP-0198": "urn:xmpp:sm:3 in the stream features",
      "XEP-0352": "urn:xmpp:csi:0 in the stream features",
      "XEP-0357": "urn:xmpp:push:0 on parley-probe@example.test",
      "XEP-0363": "upload service upload.example.test (files up to 10485760 bytes)",
      "XEP-0384": "PEP on parley-probe@example.test with publish-options",
    });
  });

  it("are not observed when not advertised: carbons gone, a MUC service without the MUC feature, PEP without publish-options", () => {
    const o = full();
    o.server!.features = o.server!.features.filter((f) => f !== "urn:xmpp:carbons:2");
    o.services[0].features = [];
    o.account!.features = o.account!.features.filter((f) => !f.includes("publish-options"));
    const live = Object.fromEntries(liveFeatures(o).map((f) => [f.xep, f.observed]));
    expect(live).toMatchObject({
      "XEP-0280": false,
      "XEP-0045": false,
      "XEP-0384": false,
      "XEP-0313": true,
    });
  });
});

describe("XEP-0479 (2023) server levels", () => {
  it("are all met when everything a client can see is advertised", () => {
    const levels = suiteLevels(full(), "accepted");
    expect(levels.map((l) => [l.category, l.level, l.met])).toEqual([
      ["Core", "Server", true],
      ["IM", "Server", true],
      ["Mobile", "Server", true],
      ["A/V", "Server", true],
      ["Core", "Advanced Server", true],
      ["IM", "Advanced Server", true],
      ["Mobile", "Advanced Server", true],
      ["A/V", "Advanced Server", true],
    ]);
    // What a client cannot observe is listed as such and does not count against a level.
    const core = level(full(), "Core", "Server");
    expect(core.requirements.find((r) => r.spec === "XEP-0114")).toMatchObject({ met: null });
  });

  it("need direct TLS only at the advanced level", () => {
    expect(level(full(), "Core", "Server", "not configured").met).toBe(true);
    const advanced = level(full(), "Core", "Advanced Server", "not configured");
    expect(advanced.met).toBe(false);
    expect(advanced.requirements.filter((r) => r.met === false).map((r) => r.spec)).toEqual([
      "XEP-0368",
    ]);
  });

  it("need the Core category at the same level: no TLS fails IM and Mobile too", () => {
    const o = full();
    o.transport = "none";
    const levels = suiteLevels(o, "accepted");
    expect(levels.filter((l) => l.level === "Server").every((l) => !l.met)).toBe(true);
    expect(level(o, "IM", "Server").requirements.every((r) => r.met !== false)).toBe(true);
  });

  it("tell basic from advanced: blocking and push are advanced only", () => {
    const o = full();
    o.server!.features = o.server!.features.filter((f) => f !== "urn:xmpp:blocking");
    o.account!.features = o.account!.features.filter((f) => f !== "urn:xmpp:push:0");
    expect(level(o, "IM", "Server").met).toBe(true);
    expect(level(o, "IM", "Advanced Server").met).toBe(false);
    expect(level(o, "Mobile", "Server").met).toBe(true);
    expect(level(o, "Mobile", "Advanced Server").met).toBe(false);
  });
});
