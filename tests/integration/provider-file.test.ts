import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/core/db";
import { buildProviderFile } from "@/lib/provider-file/build-provider-file";
import { readInstallFacts, saveInstallFacts } from "@/lib/provider-file/facts";
import { validateProviderFile } from "@/lib/provider-file/schema";
import { providerFileResponse } from "@/lib/provider-file/serve";
import { assignPolicy, updatePolicy } from "@/lib/policies/policies";
import { DEFAULT_PROVIDER_FACTS } from "@/lib/validation/provider-facts";
import { GET as publicFile } from "@/app/api/provider-file/route";
import { GET as download } from "@/app/(console)/console/servers/[id]/provider-file/download/route";
import {
  saveProviderFactsAction,
  saveServerProviderFactsAction,
} from "@/app/(console)/console/provider-file/actions";
import { actAs } from "../helpers/session-shim";
import { createWorld, form, type World } from "../helpers/fixtures";

let w: World;
let domain: string;
let policyId: string;

const policyInput = (mamRetentionDays: number) => ({
  name: `Policy ${policyId}`,
  mamRetentionDays,
  mucRetentionDays: 7,
  uploadExpiryDays: 3,
  noIpLogging: true,
  noPasswordLogging: true,
  maxLogLevel: "warning" as const,
  forbiddenModules: [],
});

const fetchFile = (query: string, headers: Record<string, string> = {}) =>
  publicFile(new Request(`http://parley.test/api/provider-file${query}`, { headers }));

beforeEach(async () => {
  w = await createWorld();
  actAs(null);
  // Each test states its own facts.
  await prisma.providerFacts.deleteMany({});
  const server = await prisma.server.findUniqueOrThrow({ where: { id: w.serverId } });
  domain = server.domain;
  const policy = await prisma.privacyPolicy.create({
    data: { name: `P ${w.serverId}`, mamRetentionDays: 30, mucRetentionDays: 7 },
  });
  policyId = policy.id;
  await assignPolicy(w.serverId, policy.id, w.admin);
});

describe("the provider file of a server", () => {
  it("is built from the policy and the stated facts, and validates against the schema", async () => {
    await saveInstallFacts(
      {
        ...DEFAULT_PROVIDER_FACTS,
        website: { en: "https://example.org/" },
        serverLocations: ["de"],
        busFactor: 2,
      },
      w.admin,
    );
    const built = await buildProviderFile(w.serverId);
    expect(built?.schema).toEqual({ valid: true });
    expect(validateProviderFile(built?.document)).toEqual({ valid: true });
    expect(built?.document).toMatchObject({
      website: { en: "https://example.org/" },
      serverLocations: ["de"],
      busFactor: 2,
      maximumMessageArchiveManagementStorageTime: 30,
    });
  });

  it("follows a change of the policy's retention at once (it is never stored)", async () => {
    const days = async () =>
      (await buildProviderFile(w.serverId))?.document.maximumMessageArchiveManagementStorageTime;
    expect(await days()).toBe(30);
    await updatePolicy(policyId, policyInput(90), w.admin);
    expect(await days()).toBe(90);
    // Nothing archived any more: "less than a day".
    await updatePolicy(policyId, { ...policyInput(0), mucRetentionDays: 0 }, w.admin);
    expect(await days()).toBe(-1);
    // The policy taken off the server: nothing limits the archive.
    await assignPolicy(w.serverId, null, w.admin);
    expect(await days()).toBe(0);
  });

  it("keeps one server's own facts to that server", async () => {
    const other = await prisma.server.create({
      data: { name: `Other ${w.serverId}`, kind: "PROSODY", domain: `o-${domain}` },
    });
    actAs(w.admin);
    const saved = await saveServerProviderFactsAction(
      undefined,
      form({ serverId: w.serverId, serverLocations: "nl", freeOfCharge: "yes" }),
    );
    expect(saved).toMatchObject({ ok: true });
    const mine = await buildProviderFile(w.serverId);
    const theirs = await buildProviderFile(other.id);
    expect(mine?.document).toMatchObject({ serverLocations: ["nl"], freeOfCharge: true });
    expect(theirs?.document).toMatchObject({ serverLocations: [], freeOfCharge: false });
  });

  it("drops a stored value no form would accept instead of publishing it", async () => {
    await prisma.providerFacts.upsert({
      where: { id: "install" },
      create: { id: "install", facts: { busFactor: "many", serverLocations: ["de"] } },
      update: { facts: { busFactor: "many", serverLocations: ["de"] } },
    });
    const facts = await readInstallFacts();
    expect(facts.busFactor).toBe(-1);
    expect(facts.serverLocations).toEqual(["de"]);
  });
});

describe("the settings form", () => {
  it("refuses bad input with a message per field and changes nothing", async () => {
    actAs(w.admin);
    const before = await prisma.auditEvent.count();
    const reply = await saveProviderFactsAction(
      undefined,
      form({
        website: "english example.org",
        organization: "company",
        serverLocations: "Germany",
        busFactor: 1,
        maximumHttpFileUploadTotalSize: 0,
        maximumHttpFileUploadStorageTime: 0,
      }),
    );
    expect(reply).toMatchObject({
      ok: false,
      code: "invalid",
      fieldErrors: {
        website: [expect.stringMatching(/^Line 1: write a two-letter language code/)],
        serverLocations: [expect.stringMatching(/"germany" is not a country code/)],
      },
    });
    expect(await prisma.providerFacts.count()).toBe(0);
    expect(await prisma.auditEvent.count()).toBe(before);
  });
});

describe("the public address", () => {
  it("serves the file without a sign-in, by ?domain= or by Host", async () => {
    for (const res of [
      await fetchFile(`?domain=${domain.toUpperCase()}`),
      await fetchFile("", { host: `${domain}:443` }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      const body = await res.json();
      expect(validateProviderFile(body)).toEqual({ valid: true });
      expect(body.maximumMessageArchiveManagementStorageTime).toBe(30);
    }
  });

  it("answers 404 for a domain it does not serve, or a disabled server, and 400 for a bad one", async () => {
    expect((await fetchFile("?domain=unknown.example")).status).toBe(404);
    expect((await fetchFile("", { host: "console.parley.test" })).status).toBe(404);
    expect((await fetchFile("?domain=bad_domain!")).status).toBe(400);
    await prisma.server.update({ where: { id: w.serverId }, data: { enabled: false } });
    expect((await fetchFile(`?domain=${domain}`)).status).toBe(404);
  });

  it("never sends a document that fails the schema", async () => {
    const built = (await buildProviderFile(w.serverId))!;
    const document = { ...built.document, busFactor: -5 };
    const res = providerFileResponse(
      { ...built, document, schema: validateProviderFile(document) },
      {},
    );
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain("busFactor");
  });
});

describe("the console download", () => {
  it("is the same document, as an attachment", async () => {
    actAs(w.support);
    const res = await download(new Request("http://parley.test/x"), {
      params: Promise.resolve({ id: w.serverId }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="xmpp-provider-v2.json"',
    );
    expect(await res.json()).toEqual((await buildProviderFile(w.serverId))?.document);
    const missing = await download(new Request("http://parley.test/x"), {
      params: Promise.resolve({ id: "nope" }),
    });
    expect(missing.status).toBe(404);
  });
});
