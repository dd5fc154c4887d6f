import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { prisma } from "@/core/db";
import { open, seal } from "@/core/secrets";
import { requestReconcile } from "@/lib/servers/reconcile";
import { latestDriftReport } from "@/lib/servers/queries";
import { liveReport } from "@/lib/evaluation/queries";
import { startEjabberd, type EjabberdInstance } from "../harness/ejabberd";
import { createTestPki, type TestPki } from "../harness/test-pki";
import { actAs } from "../helpers/session-shim";
import { createUser, type Actor } from "../helpers/fixtures";
import { startTestWorker, testKey } from "../helpers/provisioning-world";
import { checkLive, observed, portOf } from "../helpers/live-check";

// The live evaluation against a real ejabberd 23.01 with TLS from a test CA that Parley is told
// to trust: client STARTTLS, direct TLS (XEP-0368) and server-to-server ports, through the
// console's "Check live now" and the job queue.

let pki: TestPki;
let ej: EjabberdInstance;
let weak: EjabberdInstance | undefined;
let admin: Actor;
let worker: ReturnType<typeof startTestWorker>;
let serverId: string;

async function register(
  name: string,
  instance: EjabberdInstance,
  ports: Record<string, number | undefined>,
) {
  const row = await prisma.server.create({
    data: {
      name,
      kind: "EJABBERD",
      domain: instance.vhost,
      mucDomain: instance.mucDomain,
      apiUrl: instance.apiUrl,
      apiTokenEnc: seal(await instance.mintToken(), testKey()),
      xmppHost: "127.0.0.1",
      ...ports,
    },
  });
  return row.id;
}

beforeAll(async () => {
  pki = createTestPki();
  process.env.PARLEY_EXTRA_CA_FILE = pki.caFile;
  const good = pki.issue("good", { names: ["example.test", "*.example.test"], days: 30 });
  ej = await startEjabberd({ certfile: good.pem, directTls: true, s2s: true });
  admin = await createUser("ADMIN");
  actAs(admin);
  serverId = await register("ej-live", ej, {
    c2sPort: ej.c2sPort,
    c2sDirectTlsPort: ej.c2sDirectTlsPort,
    s2sPort: ej.s2sPort,
  });
  worker = startTestWorker();
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await Promise.all([ej?.stop(), weak?.stop()]);
  pki?.remove();
  delete process.env.PARLEY_EXTRA_CA_FILE;
});

describe("live evaluation of ejabberd from outside", () => {
  it("signs in as Parley's probe, reads the advertised features and grades good TLS A on every port", async () => {
    const report = await checkLive(serverId, worker);
    expect(report.latest).toMatchObject({ status: "ok", error: null, grade: "A", stale: false });
    expect(report.probe?.address).toBe("parley-probe@example.test");
    expect(observed(report)).toMatchObject({
      "XEP-0045": true,
      "XEP-0313": true,
      "XEP-0280": true,
      "XEP-0191": true,
      "XEP-0198": true,
      "XEP-0352": true,
      // Not loaded in this configuration: an honest "no".
      "XEP-0357": false,
      "XEP-0363": false,
      "XEP-0384": false,
    });
    const suites = report.latest.features.suites ?? [];
    const met = (category: string, level: string) =>
      suites.find((s) => s.category === category && s.level === level)?.met;
    expect(met("Core", "Server")).toBe(true);
    expect(met("Mobile", "Server")).toBe(true);
    // No PEP (mod_pubsub is not loaded) and no upload.
    expect(met("Core", "Advanced Server")).toBe(false);
    expect(met("IM", "Server")).toBe(false);

    for (const [service, mode] of [
      ["c2s", "starttls"],
      ["c2s", "direct"],
      ["s2s", "starttls"],
    ] as const) {
      const p = portOf(report, service, mode);
      expect(p.error).toBeNull();
      expect(p.grade.grade).toBe("A");
      expect(p.protocols).toEqual({
        TLSv1: false,
        "TLSv1.1": false,
        "TLSv1.2": true,
        "TLSv1.3": true,
      });
      expect(p.certificate).toMatchObject({
        trusted: true,
        nameMatches: true,
        keyType: "rsa",
        keyBits: 2048,
      });
      expect(p.ciphers.some((c) => c.forwardSecrecy)).toBe(true);
    }

    // Parley's own account: sealed, on the server, in no customer's seats, not drift.
    const probe = await prisma.probeAccount.findUniqueOrThrow({ where: { serverId } });
    const password = open(probe.passwordEnc, testKey());
    expect(probe.passwordEnc).not.toContain(password);
    expect(await prisma.xmppAccount.count({ where: { serverId } })).toBe(0);
    await requestReconcile(serverId, "dry-run", admin);
    worker.worker.nudge();
    await expect.poll(() => latestDriftReport(serverId), { timeout: 30_000 }).toBeTruthy();
    const drift = (await latestDriftReport(serverId))!.report;
    expect(drift.unknownAccounts).not.toContain("parley-probe");
    expect(drift.unknownAccounts).toContain("admin");
  }, 180_000);

  it("a module removed from the configuration disappears from the live report at the next check", async () => {
    const yml = readFileSync(ej.configFile, "utf8");
    expect(yml).toContain("  mod_carboncopy: {}\n");
    writeFileSync(ej.configFile, yml.replace("  mod_carboncopy: {}\n", ""));
    await ej.reloadConfig();
    const report = await checkLive(serverId, worker);
    expect(observed(report)).toMatchObject({
      "XEP-0280": false,
      "XEP-0313": true,
      "XEP-0045": true,
    });
    // The earlier observation is kept beside it.
    expect(await prisma.liveEvaluation.count({ where: { serverId } })).toBe(2);
  }, 180_000);

  it("an expired certificate with TLS 1.0 allowed grades F, with the reasons shown, and admins are told once", async () => {
    const expired = pki.issue("expired", {
      names: ["example.test"],
      from: "20200101000000Z",
      to: "20200201000000Z",
    });
    weak = await startEjabberd({
      certfile: expired.pem,
      tlsProtocolOptions: ["no_sslv3"],
      tlsCiphers: "DEFAULT:@SECLEVEL=0",
    });
    const weakId = await register("ej-weak", weak, { c2sPort: weak.c2sPort });
    const before = await liveReport(serverId);
    const good = portOf({ latest: before!.latest! }, "c2s", "starttls").grade;
    const report = await checkLive(weakId, worker);
    const p = portOf(report, "c2s", "starttls");
    expect(p.protocols.TLSv1).toBe(true);
    expect(p.certificate).toMatchObject({
      trusted: false,
      expired: true,
      trustError: "the certificate has expired",
    });
    expect(p.grade.grade).toBe("F");
    expect(report.latest.grade).toBe("F");
    expect(p.grade.reasons[0]).toBe(
      "F: the certificate is not trusted (the certificate has expired).",
    );
    expect(p.grade.reasons).toContain("Accepts TLS 1.0 (protocol score 95 instead of 100).");
    expect(p.grade.score).toBeLessThan(good.score);
    expect(good.grade).toBe("A");
    // Over loopback the probe still reads the features (the grade says what clients would meet).
    expect(report.latest.features.error).toBeNull();
    const notices = () =>
      prisma.notification.count({
        where: { userId: admin.id, title: "The TLS certificate of ej-weak has expired" },
      });
    expect(await notices()).toBe(1);
    await checkLive(weakId, worker);
    expect(await notices()).toBe(1);
  }, 240_000);
});
