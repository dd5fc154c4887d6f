// `npm run demo:server`: a local ejabberd on loopback, registered as the console's default
// server, so a new operator can create an account in the console and sign in with a desktop
// XMPP app right away. Runs in the foreground; Ctrl-C stops it (its accounts go with it).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { deployMigrations } from "./lib/schema-engine.mjs";
import { startEjabberd } from "../tests/harness/ejabberd";
import { encryptionKey, seal } from "../core/secrets";

const NAME = "Demo ejabberd (this machine)";
const APT = ["apt-get", "install", "-y", "ejabberd", "erlang-p1-oauth2", "openssl"];

function installed(): boolean {
  return (
    existsSync("/usr/bin/erl") &&
    readdirSync("/usr/lib/erlang/lib", { withFileTypes: true }).some((d) =>
      d.name.startsWith("p1_oauth2-"),
    ) &&
    ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"].some((d) =>
      existsSync(path.join(d, "ejabberd-23.01")),
    )
  );
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net
      .createServer()
      .once("error", () => resolve(false))
      .listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

if (!installed()) {
  if (process.getuid?.() !== 0) {
    console.error(
      `ejabberd is not installed. Install it from Debian's packages, then run this again:\n\n  sudo ${APT.join(" ")}\n`,
    );
    process.exit(1);
  }
  console.log(`[demo] installing ejabberd from Debian's packages (about a minute)…`);
  const apt = spawnSync(APT[0], APT.slice(1), {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (apt.status !== 0 || !installed()) {
    console.error("[demo] installing ejabberd failed; see the output above.");
    process.exit(1);
  }
}

let key: Buffer;
try {
  key = encryptionKey();
} catch {
  console.error(
    "[demo] Parley has no secrets yet: run `npm start` once first (it creates data/secrets.json).",
  );
  process.exit(1);
}
const url = process.env.DATABASE_URL || "file:./data/parley.db";
await deployMigrations({ url, log: () => undefined });
const { prisma } = await import("../core/db");

// A self-signed certificate so desktop apps can use STARTTLS (they will ask to trust it).
const certDir = path.resolve("data/demo");
const certfile = path.join(certDir, "localhost.pem");
mkdirSync(certDir, { recursive: true });
if (!existsSync(certfile)) {
  spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "365",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost",
      "-keyout",
      certfile,
      "-out",
      certfile,
    ],
    { stdio: "ignore" },
  );
}

const c2sPort = (await portFree(5222)) ? 5222 : undefined;
const ej = await startEjabberd({
  vhost: "localhost",
  loglevel: "warning",
  certfile: existsSync(certfile) ? certfile : undefined,
  ...(c2sPort ? { c2sPort, httpPort: (await portFree(5280)) ? 5280 : 15280 } : {}),
});
const token = await ej.mintToken();
const data = {
  kind: "EJABBERD" as const,
  domain: "localhost",
  mucDomain: ej.mucDomain,
  apiUrl: ej.apiUrl,
  apiTokenEnc: seal(token, key),
  // The live evaluation (compliance report → Check live now) signs in here.
  xmppHost: "127.0.0.1",
  c2sPort: ej.c2sPort,
  enabled: true,
  isDefault: true,
  status: "ok",
  lastError: null,
};
await prisma.server.updateMany({ where: { name: { not: NAME } }, data: { isDefault: false } });
const existing = await prisma.server.findUnique({ where: { name: NAME } });
if (existing) await prisma.server.update({ where: { id: existing.id }, data });
else await prisma.server.create({ data: { name: NAME, ...data } });

const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
console.log(`
[demo] ejabberd is running on this machine and is Parley's default server "${NAME}".

  1. In the console (${publicUrl}): Plans → create a plan; Customers → add a customer with it;
     Accounts → create an account, e.g. "alice" (leave the password empty to get one).
  2. In a desktop XMPP app (Gajim, Dino, …) sign in as alice@localhost with that password.
     Server 127.0.0.1, port ${ej.c2sPort}${existsSync(certfile) ? "; accept the self-signed certificate for localhost" : " (no TLS: allow an insecure connection)"}.

Ctrl-C stops the demo server; its accounts are removed with it, and Parley keeps waiting jobs until it is back.
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await prisma.server.updateMany({
        where: { name: NAME },
        data: { enabled: false, status: "stopped" },
      });
      await ej.stop();
      console.log("[demo] stopped.");
      process.exit(0);
    })();
  });
}
