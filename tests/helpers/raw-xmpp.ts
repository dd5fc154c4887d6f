import { randomBytes } from "node:crypto";
import net from "node:net";

// ---------------------------------------------------------------- a raw XMPP client
// @xmpp/client cannot bind a local address, so logins from CLIENT_ADDRESS use this
// (stream → SASL PLAIN → restart → bind), which is also enough for messages and MAM.
export class RawClient {
  private buf = "";
  private wake: Array<() => void> = [];
  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => {
      this.buf += d;
      for (const w of this.wake.splice(0)) w();
    });
    socket.on("close", () => {
      for (const w of this.wake.splice(0)) w();
    });
    socket.on("error", () => undefined);
  }

  static async login(o: {
    port: number;
    domain: string;
    user: string;
    password: string;
    localAddress?: string;
  }): Promise<RawClient> {
    const socket = net.connect({ host: "127.0.0.1", port: o.port, localAddress: o.localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const c = new RawClient(socket);
    const open = `<?xml version='1.0'?><stream:stream to='${o.domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`;
    try {
      c.send(open);
      await c.expect(/<\/stream:features>/);
      c.send(
        `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from(`\0${o.user}\0${o.password}`).toString("base64")}</auth>`,
      );
      const auth = await c.expect(
        /<success[^>]*\/>|<success[\s\S]*?<\/success>|<failure[\s\S]*?<\/failure>/,
      );
      if (!auth.match.startsWith("<success")) throw new Error(`SASL failed: ${auth.match}`);
      c.send(open);
      await c.expect(/<\/stream:features>/);
      c.send(
        `<iq type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>raw</resource></bind></iq>`,
      );
      const bind = await c.expect(/<iq\b[^>]*\bid=['"]bind1['"][\s\S]*?<\/iq>/);
      if (!/type=['"]result['"]/.test(bind.match)) throw new Error(`bind failed: ${bind.match}`);
      c.send("<presence/>");
      return c;
    } catch (error) {
      socket.destroy();
      throw error;
    }
  }

  send(text: string) {
    this.socket.write(text);
  }

  // Waits for `re`; returns the match and everything received before it.
  async expect(re: RegExp, timeoutMs = 10_000): Promise<{ match: string; before: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.buf);
      if (m) {
        const before = this.buf.slice(0, m.index);
        this.buf = this.buf.slice(m.index + m[0].length);
        return { match: m[0], before };
      }
      if (this.socket.destroyed || Date.now() > deadline)
        throw new Error(`timed out waiting for ${re}; got ${this.buf.slice(-300)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 100);
        this.wake.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  // XEP-0313 query of the own archive; returns the bodies in archive order.
  async mamBodies(): Promise<string[]> {
    const id = `q${randomBytes(4).toString("hex")}`;
    this.send(`<iq type='set' id='${id}'><query xmlns='urn:xmpp:mam:2' queryid='${id}'/></iq>`);
    const reply = await this.expect(new RegExp(`<iq\\b[^>]*\\bid=['"]${id}['"][\\s\\S]*?</iq>`));
    if (!/type=['"]result['"]/.test(reply.match))
      throw new Error(`MAM query failed: ${reply.match}`);
    return [...reply.before.matchAll(/<body>([^<]*)<\/body>/g)].map((m) => m[1]);
  }

  async close() {
    try {
      this.send("</stream:stream>");
    } catch {
      /* gone */
    }
    await new Promise((r) => setTimeout(r, 100));
    this.socket.destroy();
  }
}

export async function login(o: Parameters<typeof RawClient.login>[0]): Promise<void> {
  const c = await RawClient.login(o);
  await c.close();
}
