import { EventEmitter } from "node:events";
import net from "node:net";
import type tls from "node:tls";
import { client as xmppClient, type Client, type Element } from "@xmpp/client";
import { trustErrorText } from "./certificate";
import { featuresBeforeTls, secure, type PortTarget } from "./xmpp-stream";

// A real XMPP client session (@xmpp/client 0.14) for the feature probe. That client takes no TLS
// options (its STARTTLS trusts the system's roots only), so Parley negotiates STARTTLS itself
// with the roots it was given and hands the secured socket to the client as its transport; SASL,
// binding and stanzas are the client's. The password is sent only over a TLS connection whose
// certificate verifies (modern TLS), or, without that, only to a loopback address.

const STREAM_NS = "http://etherx.jabber.org/streams";

export type SessionTarget = {
  host: string;
  port: number;
  domain: string;
  username: string;
  password: string;
  ca: string[];
  timeoutMs?: number;
};

export type ProbeSession = {
  // "starttls": secured as above; "none": the server offers no TLS (loopback only).
  transport: "starttls" | "none";
  // Every stream-features element the server sent (before and after authentication).
  features: Element[];
  iq(stanza: Element, timeoutMs?: number): Promise<Element>;
  stop(): Promise<void>;
};

export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (net.isIPv4(host)) return host.startsWith("127.");
  return host === "::1" || host === "[::1]";
}

// The socket the client sees: the already secured connection.
function securedSocketClass(secured: tls.TLSSocket) {
  return class SecuredSocket extends EventEmitter {
    readonly secure = true;
    connect() {
      secured.on("data", (data) => this.emit("data", data));
      secured.on("close", () => this.emit("close"));
      secured.on("error", (error) => this.emit("error", error));
      setImmediate(() => this.emit("connect"));
    }
    write(data: string, done?: (error?: Error | null) => void) {
      secured.write(data, done);
    }
    end() {
      secured.end();
    }
  };
}

type Transport = { prototype: { socketParameters(service: string): unknown; Socket: unknown } };

function attachSecuredSocket(xmpp: Client, secured: tls.TLSSocket) {
  const transports = xmpp.transports as Transport[];
  const tcp = transports.find((t) => {
    try {
      return t.prototype.socketParameters("xmpp://127.0.0.1:5222") !== undefined;
    } catch {
      return false;
    }
  });
  if (!tcp) throw new Error("@xmpp/client has no TCP transport.");
  const Base = tcp as unknown as new () => object;
  class Secured extends Base {}
  (Secured.prototype as { Socket: unknown }).Socket = securedSocketClass(secured);
  transports.unshift(Secured as unknown as Transport);
}

async function openTransport(t: SessionTarget, timeoutMs: number) {
  const port: PortTarget = {
    host: t.host,
    port: t.port,
    domain: t.domain,
    service: "c2s",
    mode: "starttls",
    timeoutMs,
  };
  const { starttls } = await featuresBeforeTls(port);
  if (starttls === "absent") {
    if (!isLoopback(t.host))
      throw new Error("The server offers no STARTTLS; the probe sends no password in clear.");
    return null;
  }
  // On loopback the probe also takes old TLS (graded separately), so features are still read.
  const loopback = isLoopback(t.host);
  const { socket } = await secure(
    port,
    loopback ? { ca: t.ca, minVersion: "TLSv1", ciphers: "DEFAULT:@SECLEVEL=0" } : { ca: t.ca },
  );
  if (!socket.authorized && !loopback) {
    socket.destroy();
    throw new Error(
      `The certificate does not verify (${trustErrorText(String(socket.authorizationError))}); the probe sends no password.`,
    );
  }
  return socket;
}

export async function openSession(t: SessionTarget): Promise<ProbeSession> {
  const timeoutMs = t.timeoutMs ?? 10_000;
  const secured = await openTransport(t, timeoutMs);
  const xmpp = xmppClient({
    service: `xmpp://${t.host.includes(":") ? `[${t.host}]` : t.host}:${t.port}`,
    domain: t.domain,
    username: t.username,
    password: t.password,
    resource: `parley-probe-${Math.random().toString(36).slice(2, 8)}`,
  });
  xmpp.reconnect.stop();
  if (secured) attachSecuredSocket(xmpp, secured);
  const features: Element[] = [];
  xmpp.on("nonza", (el: Element) => {
    if (el.is("features", STREAM_NS)) features.push(el);
  });
  let failure: Error | null = null;
  xmpp.on("error", (error: Error) => {
    failure ??= error;
  });
  // @xmpp/connection 0.14 throws when stopped after the server ended the stream.
  let ended = false;
  for (const status of ["disconnect", "offline"]) xmpp.on(status, () => (ended = true));
  const timer = setTimeout(() => void xmpp.stop().catch(() => undefined), timeoutMs);
  try {
    await xmpp.start();
  } catch (error) {
    secured?.destroy();
    const e = (failure ?? error) as Error & { condition?: string };
    throw new Error(`Sign-in as Parley's probe failed: ${e.condition ?? e.message}`);
  } finally {
    clearTimeout(timer);
  }
  return {
    transport: secured ? "starttls" : "none",
    features,
    iq: (stanza, ms) => xmpp.iqCaller.request(stanza, ms ?? timeoutMs),
    async stop() {
      if (!ended) await xmpp.stop().catch(() => undefined);
      secured?.destroy();
    },
  };
}
