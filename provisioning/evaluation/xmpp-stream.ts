import net from "node:net";
import tls from "node:tls";

// Reaches one XMPP port and secures the connection: STARTTLS (the stream header, its features,
// <starttls/>, <proceed/>) or direct TLS (XEP-0368). Only the few pre-TLS elements are read here,
// so plain patterns on the server's first answer are enough; everything after TLS is the
// caller's. Used by the TLS probe for every handshake and by the feature probe, which hands the
// secured socket to the XMPP client.

export type XmppService = "c2s" | "s2s";
export type TlsMode = "starttls" | "direct";

export type PortTarget = {
  host: string;
  port: number;
  domain: string;
  service: XmppService;
  mode: TlsMode;
  timeoutMs?: number;
};

export type StartTls = "required" | "offered" | "absent";

// A failure before any TLS was attempted (no connection, no XMPP answer, no STARTTLS): unlike a
// refused handshake, it says nothing about the TLS versions and suites the port accepts.
export class PreTlsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreTlsError";
  }
}

export class NoStartTlsError extends PreTlsError {
  constructor(readonly features: string) {
    super("The server does not offer STARTTLS on this port.");
    this.name = "NoStartTlsError";
  }
}

const TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
const FEATURES =
  /<(?:stream:)?features\b[^>]*\/>|<(?:stream:)?features\b[\s\S]*?<\/(?:stream:)?features>/;
const STREAM_ERROR = /<(?:stream:)?error\b[\s\S]*?<\/(?:stream:)?error>/;
const STARTTLS = new RegExp(
  `<starttls\\b[^>]*xmlns=['"]${TLS_NS}['"][^>]*(?:/>|>([\\s\\S]*?)</starttls>)`,
);

export function streamHeader(domain: string, service: XmppService): string {
  const ns = service === "c2s" ? "jabber:client" : "jabber:server";
  const extra = service === "s2s" ? " xmlns:db='jabber:server:dialback'" : "";
  return `<?xml version='1.0'?><stream:stream xmlns='${ns}'${extra} xmlns:stream='http://etherx.jabber.org/streams' to='${domain}' version='1.0'>`;
}

function connectTcp(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new PreTlsError(`No connection to port ${port} within ${timeoutMs} ms.`));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(new PreTlsError(`No connection to port ${port}: ${error.message}`));
    });
  });
}

// Reads from a plain socket until `pattern` matches; a stream error or a closed connection fails.
function readUntil(socket: net.Socket, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const done = (error: Error | null, value?: string) => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("close", onClose);
      socket.off("error", onError);
      if (error) reject(error);
      else resolve(value ?? "");
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8");
      const match = pattern.exec(text);
      if (match) return done(null, match[0]);
      const streamError = STREAM_ERROR.exec(text);
      if (streamError)
        done(new Error(`The server ended the stream: ${streamError[0].slice(0, 300)}`));
    };
    const onClose = () => done(new PreTlsError("The server closed the connection before TLS."));
    const onError = (error: Error) => done(new PreTlsError(error.message));
    const timer = setTimeout(
      () => done(new PreTlsError(`No XMPP answer from the server within ${timeoutMs} ms.`)),
      timeoutMs,
    );
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.once("error", onError);
  });
}

// Opens the stream and reads the features offered before TLS.
async function preTls(
  socket: net.Socket,
  target: PortTarget,
  timeoutMs: number,
): Promise<{ features: string; starttls: StartTls }> {
  socket.write(streamHeader(target.domain, target.service));
  const features = await readUntil(socket, FEATURES, timeoutMs);
  const offer = STARTTLS.exec(features);
  const starttls: StartTls = !offer
    ? "absent"
    : /<required\b/.test(offer[1] ?? "")
      ? "required"
      : "offered";
  return { features, starttls };
}

export type SecuredConnection = { socket: tls.TLSSocket; starttls: StartTls | null };

// A TLS connection to the port as a client of the given options would get it. Never verifies
// by itself: the caller reads socket.authorized and checks the name (tls-probe.ts).
export async function secure(
  target: PortTarget,
  options: tls.ConnectionOptions,
): Promise<SecuredConnection> {
  const timeoutMs = target.timeoutMs ?? 10_000;
  const raw = await connectTcp(target.host, target.port, timeoutMs);
  raw.on("error", () => undefined);
  let starttls: StartTls | null = null;
  try {
    if (target.mode === "starttls") {
      const offered = await preTls(raw, target, timeoutMs);
      starttls = offered.starttls;
      if (starttls === "absent") throw new NoStartTlsError(offered.features);
      raw.write(`<starttls xmlns='${TLS_NS}'/>`);
      const answer = await readUntil(raw, /<proceed\b[^>]*>|<failure\b[^>]*>/, timeoutMs);
      if (!answer.startsWith("<proceed")) throw new PreTlsError("The server refused STARTTLS.");
    }
    const socket = await handshake(raw, target, options, timeoutMs);
    return { socket, starttls };
  } catch (error) {
    raw.destroy();
    throw error;
  }
}

function handshake(
  raw: net.Socket,
  target: PortTarget,
  options: tls.ConnectionOptions,
  timeoutMs: number,
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      ...options,
      socket: raw,
      servername: target.domain,
      ALPNProtocols:
        target.mode === "direct"
          ? [`xmpp-${target.service === "c2s" ? "client" : "server"}`]
          : undefined,
      rejectUnauthorized: false,
      // The name is checked by the caller against the XMPP domain; the chain still is here.
      checkServerIdentity: () => undefined,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`No TLS handshake within ${timeoutMs} ms.`));
    }, timeoutMs);
    socket.once("secureConnect", () => {
      clearTimeout(timer);
      socket.removeAllListeners("error");
      socket.on("error", () => undefined);
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

// What the server offers before TLS on a STARTTLS port (for a server without TLS at all).
export async function featuresBeforeTls(target: PortTarget): Promise<{ starttls: StartTls }> {
  const timeoutMs = target.timeoutMs ?? 10_000;
  const raw = await connectTcp(target.host, target.port, timeoutMs);
  raw.on("error", () => undefined);
  try {
    return { starttls: (await preTls(raw, target, timeoutMs)).starttls };
  } finally {
    raw.destroy();
  }
}
