import { PROVIDER_FEATURES, type ProviderFeatureXep } from "../compliance/features";
import type { DiscoInfo, FeatureObservation } from "./feature-probe";

// From what the server advertised to the probe (feature-probe.ts): the provider features
// (the same list as the configured side, compliance/features.ts) and the server levels of the
// XEP-0479 compliance suites (2023) met. Pure.

// Where a feature was seen, in words; null: not advertised.
type Seen = string | null;

export type LiveFeature = { xep: string; name: string; observed: boolean; evidence: Seen };

export type Requirement = {
  feature: string;
  spec: string;
  // null: a client cannot observe it (e.g. the component protocol); it does not count against a level.
  met: boolean | null;
  evidence: Seen;
};

export const SUITE_LEVELS = ["Server", "Advanced Server"] as const;
export type SuiteLevelName = (typeof SUITE_LEVELS)[number];
export type SuiteCategory = "Core" | "IM" | "Mobile" | "A/V";

export type SuiteLevel = {
  category: SuiteCategory;
  level: SuiteLevelName;
  met: boolean;
  requirements: Requirement[];
};

// Whether a direct TLS (XEP-0368) client port answered, from the TLS probe.
export type DirectTls = "accepted" | "refused" | "not configured";

const NS = {
  muc: "http://jabber.org/protocol/muc",
  mam: ["urn:xmpp:mam:2", "urn:xmpp:mam:1"],
  carbons: "urn:xmpp:carbons:2",
  blocking: "urn:xmpp:blocking",
  sm: ["urn:xmpp:sm:3", "urn:xmpp:sm:2"],
  push: "urn:xmpp:push:0",
  upload: "urn:xmpp:http:upload:0",
  publishOptions: "http://jabber.org/protocol/pubsub#publish-options",
  csi: "urn:xmpp:csi:0",
  caps: "http://jabber.org/protocol/caps",
  avatarConversion: "urn:xmpp:pep-vcard-conversion:0",
  vcard: "vcard-temp",
  bookmarks2: "urn:xmpp:bookmarks:1#compat",
  selfPing: "http://jabber.org/protocol/muc#self-ping-optimization",
  private: "jabber:iq:private",
  extdisco: ["urn:xmpp:extdisco:2", "urn:xmpp:extdisco:1"],
};

const any = (ns: string | string[]) => (Array.isArray(ns) ? ns : [ns]);

function on(d: DiscoInfo | null | undefined, ns: string | string[]): Seen {
  const hit = any(ns).find((n) => d?.features.includes(n));
  return hit && d ? `${hit} on ${d.jid}` : null;
}

function identity(d: DiscoInfo | null | undefined, category: string, type: string): boolean {
  return !!d?.identities.some((i) => i.category === category && i.type === type);
}

class Reading {
  constructor(readonly o: FeatureObservation) {}
  server = (ns: string | string[]) => on(this.o.server, ns);
  account = (ns: string | string[]) => on(this.o.account, ns);
  stream(ns: string | string[]): Seen {
    const hit = any(ns).find((n) => this.o.streamFeatures.includes(n));
    return hit ? `${hit} in the stream features` : null;
  }
  get mucService(): DiscoInfo | undefined {
    return this.o.services.find(
      (s) => identity(s, "conference", "text") && s.features.includes(NS.muc),
    );
  }
  muc(): Seen {
    const m = this.mucService;
    return m ? `group chat service ${m.jid}` : null;
  }
  upload(): Seen {
    const service = [this.o.server, ...this.o.services].find((s) =>
      s?.features.includes(NS.upload),
    );
    if (!service) return null;
    const max = service.fields["max-file-size"];
    return `upload service ${service.jid}${max ? ` (files up to ${max} bytes)` : ""}`;
  }
  pep(): Seen {
    return identity(this.o.account, "pubsub", "pep") ? `PEP on ${this.o.account?.jid}` : null;
  }
  omemo(): Seen {
    const pep = this.pep();
    const options = this.account(NS.publishOptions);
    return pep && options ? `${pep} with publish-options` : null;
  }
}

const FEATURE_RULES: Record<ProviderFeatureXep, (r: Reading) => Seen> = {
  "XEP-0045": (r) => r.muc(),
  "XEP-0313": (r) => r.account(NS.mam),
  "XEP-0280": (r) => r.server(NS.carbons),
  "XEP-0191": (r) => r.server(NS.blocking) ?? r.account(NS.blocking),
  "XEP-0198": (r) => r.stream(NS.sm),
  "XEP-0352": (r) => r.stream(NS.csi),
  "XEP-0357": (r) => r.account(NS.push) ?? r.server(NS.push),
  "XEP-0363": (r) => r.upload(),
  "XEP-0384": (r) => r.omemo(),
};

export function liveFeatures(o: FeatureObservation): LiveFeature[] {
  const r = new Reading(o);
  return PROVIDER_FEATURES.map((f) => {
    const evidence = FEATURE_RULES[f.xep](r);
    return { xep: f.xep, name: f.name, observed: evidence !== null, evidence };
  });
}

type Rule = {
  category: SuiteCategory;
  feature: string;
  spec: string;
  advancedOnly?: boolean;
  // undefined: not observable by a client.
  check?: (r: Reading, directTls: DirectTls) => Seen;
};

// XEP-0479's server columns; the Web category (BOSH, WebSocket) is not probed.
const RULES: Rule[] = [
  {
    category: "Core",
    feature: "Core features",
    spec: "RFC 6120",
    check: () => "the probe signed in",
  },
  {
    category: "Core",
    feature: "TLS",
    spec: "RFC 7590",
    check: (r) => (r.o.transport === "starttls" ? "STARTTLS on the client port" : null),
  },
  {
    category: "Core",
    feature: "Direct TLS",
    spec: "XEP-0368",
    advancedOnly: true,
    check: (_r, d) => (d === "accepted" ? "the direct TLS client port accepts TLS" : null),
  },
  {
    category: "Core",
    feature: "Feature discovery",
    spec: "XEP-0030",
    check: (r) => (r.o.server ? `disco#info answered by ${r.o.server.jid}` : null),
  },
  {
    category: "Core",
    feature: "Feature broadcasts",
    spec: "XEP-0115",
    advancedOnly: true,
    check: (r) => r.stream(NS.caps),
  },
  { category: "Core", feature: "Server extensibility", spec: "XEP-0114" },
  {
    category: "Core",
    feature: "Event publishing",
    spec: "XEP-0163",
    advancedOnly: true,
    check: (r) => r.pep(),
  },
  {
    category: "IM",
    feature: "Core features",
    spec: "RFC 6121",
    check: (r) => (r.o.roster ? "the roster answered" : null),
  },
  {
    category: "IM",
    feature: "User avatar compatibility",
    spec: "XEP-0398",
    advancedOnly: true,
    check: (r) => r.account(NS.avatarConversion) ?? r.server(NS.avatarConversion),
  },
  {
    category: "IM",
    feature: "vcard-temp",
    spec: "XEP-0054",
    check: (r) => r.server(NS.vcard) ?? r.account(NS.vcard),
  },
  {
    category: "IM",
    feature: "Outbound message synchronization",
    spec: "XEP-0280",
    check: (r) => r.server(NS.carbons),
  },
  {
    category: "IM",
    feature: "User blocking",
    spec: "XEP-0191",
    advancedOnly: true,
    check: FEATURE_RULES["XEP-0191"],
  },
  { category: "IM", feature: "Group chat", spec: "XEP-0045", check: (r) => r.muc() },
  { category: "IM", feature: "Group chat invitations", spec: "XEP-0249" },
  { category: "IM", feature: "Bookmarks (legacy)", spec: "XEP-0048", advancedOnly: true },
  {
    category: "IM",
    feature: "Group chat history",
    spec: "XEP-0313 (group chat)",
    advancedOnly: true,
    check: (r) => on(r.mucService, NS.mam),
  },
  {
    category: "IM",
    feature: "Bookmarks",
    spec: "XEP-0402",
    advancedOnly: true,
    check: (r) => r.account(NS.bookmarks2),
  },
  {
    category: "IM",
    feature: "Group chat self-ping",
    spec: "XEP-0410",
    advancedOnly: true,
    check: (r) => on(r.mucService, NS.selfPing),
  },
  {
    category: "IM",
    feature: "Private data via PubSub",
    spec: "XEP-0223",
    advancedOnly: true,
    check: (r) => r.account(NS.publishOptions),
  },
  {
    category: "IM",
    feature: "Private XML storage",
    spec: "XEP-0049",
    advancedOnly: true,
    check: (r) => r.server(NS.private) ?? r.account(NS.private),
  },
  {
    category: "IM",
    feature: "Stream management",
    spec: "XEP-0198",
    advancedOnly: true,
    check: (r) => r.stream(NS.sm),
  },
  {
    category: "IM",
    feature: "History storage",
    spec: "XEP-0313",
    advancedOnly: true,
    check: (r) => r.account(NS.mam),
  },
  { category: "IM", feature: "File upload", spec: "XEP-0363", check: (r) => r.upload() },
  {
    category: "Mobile",
    feature: "Stream management",
    spec: "XEP-0198",
    check: (r) => r.stream(NS.sm),
  },
  {
    category: "Mobile",
    feature: "Client state indication",
    spec: "XEP-0352",
    check: (r) => r.stream(NS.csi),
  },
  {
    category: "Mobile",
    feature: "Push notifications",
    spec: "XEP-0357",
    advancedOnly: true,
    check: FEATURE_RULES["XEP-0357"],
  },
  {
    category: "A/V",
    feature: "STUN/TURN discovery",
    spec: "XEP-0215",
    check: (r) => r.server(NS.extdisco),
  },
];

const CATEGORIES: SuiteCategory[] = ["Core", "IM", "Mobile", "A/V"];

export function suiteLevels(o: FeatureObservation, directTls: DirectTls): SuiteLevel[] {
  const r = new Reading(o);
  const requirements = (category: SuiteCategory, level: SuiteLevelName): Requirement[] =>
    RULES.filter(
      (rule) => rule.category === category && (level === "Advanced Server" || !rule.advancedOnly),
    ).map((rule) => {
      const evidence = rule.check ? rule.check(r, directTls) : null;
      return {
        feature: rule.feature,
        spec: rule.spec,
        met: rule.check ? evidence !== null : null,
        evidence,
      };
    });
  const ownMet = (reqs: Requirement[]) => reqs.every((q) => q.met !== false);
  const levels: SuiteLevel[] = [];
  for (const level of SUITE_LEVELS) {
    const core = ownMet(requirements("Core", level));
    for (const category of CATEGORIES) {
      const reqs = requirements(category, level);
      // Every category also needs the Core category at the same level.
      levels.push({ category, level, met: ownMet(reqs) && core, requirements: reqs });
    }
  }
  return levels;
}
