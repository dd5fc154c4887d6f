import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { liveReport } from "@/lib/evaluation/queries";
import { freePort } from "../harness/ports";
import { startProsody, type ProsodyInstance } from "../harness/prosody";
import { createTestPki, type Issued, type TestPki } from "../harness/test-pki";
import { actAs } from "../helpers/session-shim";
import { createUser, type Actor } from "../helpers/fixtures";
import { startTestWorker } from "../helpers/provisioning-world";
import { checkLive, observed, portOf } from "../helpers/live-check";

// The live evaluation against a real Prosody 0.12 with TLS from a test CA Parley is told to
// trust: client STARTTLS, direct TLS and server-to-server ports, an upload component; each
// change is a rewritten configuration and a restart, then "Check live now".

let pki: TestPki;
let good: Issued;
let pr: ProsodyInstance;
let admin: Actor;
let worker: ReturnType<typeof startTestWorker>;
let serverId: string;

beforeAll(async () => {
  pki = createTestPki();
  process.env.PARLEY_EXTRA_CA_FILE = pki.caFile;
  good = pki.issue("good", { names: ["example.test", "*.example.test"], days: 30 });
  pr = await startProsody({ tls: good, directTls: true, s2s: true, upload: true });
  admin = await createUser("ADMIN");
  actAs(admin);
  const row = await prisma.server.create({
    data: {
      name: "prosody-live",
      kind: "PROSODY",
      domain: pr.vhost,
      mucDomain: pr.mucDomain,
      transport: "LOCAL",
      prosodyConfigPath: pr.configPath,
      xmppHost: "127.0.0.1",
      c2sPort: pr.c2sPort,
      c2sDirectTlsPort: pr.c2sDirectTlsPort,
      s2sPort: pr.s2sPort,
    },
  });
  serverId = row.id;
  worker = startTestWorker();
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await pr?.stop();
  pki?.remove();
  delete process.env.PARLEY_EXTRA_CA_FILE;
});

describe("live evaluation of Prosody from outside", () => {
  it("reads the features advertised to Parley's probe and grades good TLS A on every port", async () => {
    const report = await checkLive(serverId, worker);
    expect(report.latest).toMatchObject({ status: "ok", error: null, grade: "A" });
    expect(report.probe?.address).toBe("parley-probe@example.test");
    expect(observed(report)).toMatchObject({
      "XEP-0045": true,
      "XEP-0313": true,
      "XEP-0280": true,
      "XEP-0191": true,
      "XEP-0363": true,
      "XEP-0384": true,
      // mod_smacks and mod_csi are not loaded here.
      "XEP-0198": false,
      "XEP-0352": false,
    });
    const upload = report.latest.features.live?.find((f) => f.xep === "XEP-0363");
    expect(upload?.evidence).toBe(
      "upload service upload.example.test (files up to 10485760 bytes)",
    );
    expect(portOf(report, "s2s", "starttls").starttls).toBe("required");
    for (const [service, mode] of [
      ["c2s", "starttls"],
      ["c2s", "direct"],
      ["s2s", "starttls"],
    ] as const) {
      const p = portOf(report, service, mode);
      expect(p.grade.grade).toBe("A");
      expect(p.certificate).toMatchObject({ trusted: true, nameMatches: true });
    }
  }, 120_000);

  it("a module removed from modules_enabled disappears from the live report at the next check", async () => {
    await pr.reconfigure({ withoutModules: ["carbons"] });
    const report = await checkLive(serverId, worker);
    expect(observed(report)).toMatchObject({
      "XEP-0280": false,
      "XEP-0313": true,
      "XEP-0363": true,
    });
  }, 120_000);

  it("TLS 1.0 only grades C (below the good setup), with the reasons shown", async () => {
    await pr.reconfigure({
      withoutModules: [],
      tls: { ...good, protocol: "tlsv1", ciphers: "DEFAULT:@SECLEVEL=0" },
    });
    const report = await checkLive(serverId, worker);
    expect(report.latest.grade).toBe("C");
    const p = portOf(report, "c2s", "starttls");
    expect(p.protocols).toEqual({
      TLSv1: true,
      "TLSv1.1": false,
      "TLSv1.2": false,
      "TLSv1.3": false,
    });
    expect(p.grade.reasons.slice(0, 2)).toEqual([
      "Capped at C: neither TLS 1.2 nor TLS 1.3 is accepted.",
      "Accepts TLS 1.0 (protocol score 90 instead of 100).",
    ]);
    // The probe still signs in over loopback: features are read beside the grade.
    expect(observed(report)["XEP-0280"]).toBe(true);
  }, 120_000);

  it("a certificate that expires within 14 days raises one notice before it expires", async () => {
    const soon = pki.issue("soon", { names: ["example.test", "*.example.test"], days: 5 });
    await pr.reconfigure({ tls: soon });
    const notices = () =>
      prisma.notification.findMany({
        where: { userId: admin.id, title: { startsWith: "The TLS certificate of prosody-live" } },
        select: { title: true, link: true },
      });
    expect(await notices()).toEqual([]);
    const report = await checkLive(serverId, worker);
    expect(report.latest.grade).toBe("A");
    expect(await notices()).toEqual([
      {
        title: "The TLS certificate of prosody-live expires in 5 days",
        link: `/console/servers/${serverId}/compliance`,
      },
    ]);
    await checkLive(serverId, worker);
    expect(await notices()).toHaveLength(1);
    expect(
      await prisma.auditEvent.count({
        where: { action: "server.certificate_expiring", targetId: serverId },
      }),
    ).toBe(1);
  }, 120_000);

  it("a server that does not answer is shown as failed with the error, without an address; an old observation is stale", async () => {
    const closed = await freePort();
    const row = await prisma.server.create({
      data: {
        name: "prosody-gone",
        kind: "PROSODY",
        domain: "gone.test",
        transport: "LOCAL",
        prosodyConfigPath: `${pr.dir}/missing.cfg.lua`,
        xmppHost: "127.0.0.1",
        c2sPort: closed,
      },
    });
    const report = await checkLive(row.id, worker);
    expect(report.latest.status).toBe("failed");
    expect(report.latest.error).toMatch(/^Parley's probe account could not be prepared: /);
    const port = portOf(report, "c2s", "starttls");
    expect(port.grade.grade).toBe("F");
    expect(port.error).toMatch(/ECONNREFUSED/);
    expect(
      JSON.stringify(await prisma.liveEvaluation.findMany({ where: { serverId: row.id } })),
    ).not.toContain("127.0.0.1");

    await prisma.liveEvaluation.updateMany({
      where: { serverId },
      data: { finishedAt: new Date(Date.now() - 13 * 3600_000) },
    });
    expect((await liveReport(serverId))?.latest?.stale).toBe(true);
  }, 120_000);
});
