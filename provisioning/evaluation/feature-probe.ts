import { xml, type Element } from "@xmpp/client";
import { maskAddresses } from "@/core/redact";
import { openSession, type SessionTarget } from "./xmpp-session";

// What a server advertises to a signed-in client: service discovery (XEP-0030) of the domain,
// of the probe's own account (PEP, MAM, push), of every service the domain lists (MUC, upload,
// …) and of the configured MUC domain, plus the stream features. Nothing is inferred from
// configuration here; xep-report.ts turns this into XEPs and compliance levels.

export type DiscoInfo = {
  jid: string;
  identities: { category: string; type: string }[];
  features: string[];
  // Fields of extended information forms (XEP-0128), e.g. max-file-size of an upload service.
  fields: Record<string, string>;
};

export type FeatureObservation = {
  transport: "starttls" | "none";
  // Namespaces of everything in the stream features, before and after authentication.
  streamFeatures: string[];
  server: DiscoInfo | null;
  account: DiscoInfo | null;
  services: DiscoInfo[];
  roster: boolean;
  // Queries that failed, in words (a service that did not answer, …).
  problems: string[];
};

const DISCO_INFO = "http://jabber.org/protocol/disco#info";
const DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
const MAX_SERVICES = 20;

function namespaces(el: Element, into: Set<string>) {
  if (el.attrs.xmlns) into.add(el.attrs.xmlns);
  for (const child of el.children) if (typeof child !== "string") namespaces(child, into);
}

function parseInfo(jid: string, reply: Element): DiscoInfo {
  const query = reply.getChild("query", DISCO_INFO);
  const fields: Record<string, string> = {};
  for (const form of query?.getChildren("x", "jabber:x:data") ?? [])
    for (const field of form.getChildren("field")) {
      const value = field.getChildText("value");
      if (field.attrs.var && value !== null) fields[field.attrs.var] = value;
    }
  return {
    jid,
    identities: (query?.getChildren("identity") ?? []).map((i) => ({
      category: i.attrs.category ?? "",
      type: i.attrs.type ?? "",
    })),
    features: (query?.getChildren("feature") ?? []).map((f) => f.attrs.var).filter(Boolean),
    fields,
  };
}

const why = (error: unknown) => {
  const e = error as Error & { condition?: string };
  return maskAddresses(e.condition ?? e.message ?? String(error)).slice(0, 200);
};

export async function observeFeatures(
  t: SessionTarget & { mucDomain: string | null },
): Promise<FeatureObservation> {
  const session = await openSession(t);
  const problems: string[] = [];
  const info = async (jid: string): Promise<DiscoInfo | null> => {
    try {
      const reply = await session.iq(
        xml("iq", { type: "get", to: jid }, xml("query", { xmlns: DISCO_INFO })),
      );
      return parseInfo(jid, reply);
    } catch (error) {
      problems.push(`disco#info of ${jid}: ${why(error)}`);
      return null;
    }
  };
  try {
    const account = `${t.username}@${t.domain}`;
    const server = await info(t.domain);
    const mine = await info(account);
    const jids = new Set<string>();
    try {
      const items = await session.iq(
        xml("iq", { type: "get", to: t.domain }, xml("query", { xmlns: DISCO_ITEMS })),
      );
      for (const item of items.getChild("query", DISCO_ITEMS)?.getChildren("item") ?? [])
        if (item.attrs.jid && !item.attrs.node) jids.add(item.attrs.jid);
    } catch (error) {
      problems.push(`disco#items of ${t.domain}: ${why(error)}`);
    }
    if (t.mucDomain) jids.add(t.mucDomain);
    jids.delete(t.domain);
    jids.delete(account);
    const services: DiscoInfo[] = [];
    for (const jid of [...jids].slice(0, MAX_SERVICES)) {
      const found = await info(jid);
      if (found) services.push(found);
    }
    let roster = false;
    try {
      const reply = await session.iq(
        xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })),
      );
      roster = reply.attrs.type === "result";
    } catch (error) {
      problems.push(`roster: ${why(error)}`);
    }
    const streamFeatures = new Set<string>();
    for (const f of session.features) namespaces(f, streamFeatures);
    return {
      transport: session.transport,
      streamFeatures: [...streamFeatures].sort(),
      server,
      account: mine,
      services,
      roster,
      problems,
    };
  } finally {
    await session.stop();
  }
}
