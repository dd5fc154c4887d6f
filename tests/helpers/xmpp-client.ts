import { client as xmppClient, xml, type Element } from "@xmpp/client";

// A real XMPP client (@xmpp/client 0.14) for checking what the servers really do.
export type LoginTarget = {
  host: string;
  port: number;
  domain: string;
  username: string;
  password: string;
};
export type LoginResult = { ok: true } | { ok: false; error: string };

export type Session = {
  stop: () => Promise<void>;
  iq: (stanza: Element) => Promise<Element>;
  send: (stanza: Element) => Promise<void>;
  // Resolves with the stream error condition when the server ends the session.
  closed: Promise<string>;
};

export async function connect(target: LoginTarget, timeoutMs = 10_000): Promise<Session> {
  const xmpp = xmppClient({
    service: `xmpp://${target.host}:${target.port}`,
    domain: target.domain,
    username: target.username,
    password: target.password,
    resource: `test-${Math.random().toString(36).slice(2, 8)}`,
  });
  xmpp.reconnect.stop();
  let ended = false;
  let resolveClosed: (condition: string) => void = () => undefined;
  const closed = new Promise<string>((resolve) => {
    resolveClosed = (c) => {
      ended = true;
      resolve(c);
    };
  });
  xmpp.on("error", (error: Error & { condition?: string }) =>
    resolveClosed(error.condition ?? error.message),
  );
  xmpp.on("offline", () => resolveClosed("offline"));
  const timer = setTimeout(() => void xmpp.stop().catch(() => undefined), timeoutMs);
  try {
    await xmpp.start();
  } finally {
    clearTimeout(timer);
  }
  return {
    closed,
    // After the server ended the stream, @xmpp/connection 0.14 crashes if stopped again
    // (its parser is already gone), so a closed session is left alone.
    stop: async () => {
      if (!ended) await xmpp.stop().catch(() => undefined);
    },
    iq: (stanza) => xmpp.iqCaller.request(stanza) as Promise<Element>,
    send: (stanza) => xmpp.send(stanza),
  };
}

// Logs in (SASL + resource bind) and logs out; reports why a login failed.
export async function tryLogin(target: LoginTarget, timeoutMs = 10_000): Promise<LoginResult> {
  try {
    const session = await connect(target, timeoutMs);
    await session.stop();
    return { ok: true };
  } catch (error) {
    const e = error as Error & { condition?: string };
    return { ok: false, error: e.condition ?? e.message };
  }
}

export { xml };
