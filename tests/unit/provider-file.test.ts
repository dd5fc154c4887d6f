import { describe, expect, it } from "vitest";
import { composeProviderFile, type ComposeInput } from "@/lib/provider-file/compose";
import { validateProviderFile } from "@/lib/provider-file/schema";
import {
  DEFAULT_PROVIDER_FACTS,
  ZInstallFactsForm,
  ZServerFactsForm,
  type TProviderFacts,
} from "@/lib/validation/provider-facts";
import { ejabberdKind } from "@/provisioning/servers/ejabberd/kind";
import { prosodyKind } from "@/provisioning/servers/prosody/kind";
import type { Policy } from "@/provisioning/compliance/policy";

const policy = (over: Partial<Policy> = {}): Policy => ({
  name: "Standard",
  mamRetentionDays: 30,
  mucRetentionDays: 14,
  uploadExpiryDays: 7,
  noIpLogging: true,
  noPasswordLogging: true,
  maxLogLevel: "warning",
  forbiddenModules: [],
  ...over,
});

const stated: TProviderFacts = {
  ...DEFAULT_PROVIDER_FACTS,
  website: { en: "https://example.org/", de: "https://example.org/de/" },
  legalNotice: { en: "https://example.org/legal" },
  organization: "non-governmental",
  since: "2019-05-01",
  serverLocations: ["de", "fr"],
  alternativeJids: ["example.net"],
  busFactor: 2,
  professionalHosting: true,
  freeOfCharge: false,
  serverTesting: true,
  maximumHttpFileUploadTotalSize: 500,
  maximumHttpFileUploadStorageTime: 30,
};

const input = (over: Partial<ComposeInput> = {}): ComposeInput => ({
  install: stated,
  server: {},
  policy: { policy: policy(), limits: ejabberdKind.storageLimits(policy()) },
  kindLabel: "ejabberd",
  publicUrl: "https://console.example.org",
  ...over,
});

describe("the provider file", () => {
  it("validates against the schema with stated facts, with none, and without a policy", () => {
    for (const variant of [
      input(),
      input({ install: DEFAULT_PROVIDER_FACTS, publicUrl: "http://localhost:3000" }),
      input({ policy: null }),
    ]) {
      const { document } = composeProviderFile(variant);
      expect(validateProviderFile(document)).toEqual({ valid: true });
      expect(Object.keys(document)).toHaveLength(14);
    }
  });

  it("takes retention from the policy as the server's kind keeps it", () => {
    const archive = (kind: typeof ejabberdKind | typeof prosodyKind, p: Policy) =>
      composeProviderFile(input({ policy: { policy: p, limits: kind.storageLimits(p) } })).document
        .maximumMessageArchiveManagementStorageTime;
    expect(archive(ejabberdKind, policy())).toBe(30);
    expect(archive(ejabberdKind, policy({ mamRetentionDays: 7, mucRetentionDays: 90 }))).toBe(90);
    // Nothing archived: "less than a day" in the file's words.
    expect(archive(ejabberdKind, policy({ mamRetentionDays: 0, mucRetentionDays: 0 }))).toBe(-1);
    // Prosody keeps an opted-in archive for its 1-day backstop.
    expect(archive(prosodyKind, policy({ mamRetentionDays: 0, mucRetentionDays: 0 }))).toBe(1);
    // No policy: nothing limits the archive.
    const none = composeProviderFile(input({ policy: null }));
    expect(none.document.maximumMessageArchiveManagementStorageTime).toBe(0);
    expect(none.origins.maximumMessageArchiveManagementStorageTime.from).toBe("unknown");
  });

  it("takes upload expiry from the policy only where the kind sets it", () => {
    const p = policy({ uploadExpiryDays: 3 });
    const prosody = composeProviderFile(
      input({ policy: { policy: p, limits: prosodyKind.storageLimits(p) }, kindLabel: "Prosody" }),
    );
    expect(prosody.document.maximumHttpFileUploadStorageTime).toBe(3);
    expect(prosody.origins.maximumHttpFileUploadStorageTime.from).toBe("policy");
    const ejabberd = composeProviderFile(input());
    expect(ejabberd.document.maximumHttpFileUploadStorageTime).toBe(30);
    expect(ejabberd.origins.maximumHttpFileUploadStorageTime).toMatchObject({
      from: "install",
      note: "Parley does not set upload expiry on ejabberd",
    });
  });

  it("lets a server state its own facts, and falls back to Parley's reset page", () => {
    const { document, origins } = composeProviderFile(
      input({ server: { serverLocations: ["nl"], serverTesting: false } }),
    );
    expect(document.serverLocations).toEqual(["nl"]);
    expect(document.serverTesting).toBe(false);
    expect(origins.serverLocations.from).toBe("server");
    expect(document.website).toEqual(stated.website);
    expect(document.passwordReset).toEqual({ en: "https://console.example.org/reset" });
    // Not over plain http: a localhost console is nobody's reset page.
    const local = composeProviderFile(input({ publicUrl: "http://localhost:3000" }));
    expect(local.document.passwordReset).toEqual({});
  });
});

describe("the schema", () => {
  const good = composeProviderFile(input()).document;
  it.each([
    ["a missing field", { ...good, since: undefined }],
    ["an unknown field", { ...good, registration: true }],
    ["a limit under -1", { ...good, maximumHttpFileUploadTotalSize: -2 }],
    ["a fractional limit", { ...good, busFactor: 1.5 }],
    ["an unknown organization", { ...good, organization: "club" }],
    ["an upper-case country", { ...good, serverLocations: ["DE"] }],
    ["a language that is not a code", { ...good, website: { english: "https://e.org/" } }],
    ["a page that is not an address", { ...good, legalNotice: { en: "example.org/legal" } }],
    ["an impossible date", { ...good, since: "2021-02-30" }],
    ["a string for a boolean", { ...good, freeOfCharge: "yes" }],
  ])("rejects %s", (_name, document) => {
    expect(validateProviderFile(document).valid).toBe(false);
  });
});

describe("the settings forms", () => {
  const errors = (result: ReturnType<typeof ZInstallFactsForm.safeParse>) =>
    result.success
      ? {}
      : Object.fromEntries(result.error.issues.map((i) => [i.path[0], i.message]));

  it("reads lines, lists and boxes", () => {
    const parsed = ZInstallFactsForm.parse({
      website: "en https://example.org/\r\nDE https://example.org/de/\n",
      organization: "none",
      since: "2019-05-01",
      serverLocations: "DE, fr fr",
      alternativeJids: "Example.net",
      busFactor: "2",
      maximumHttpFileUploadTotalSize: "0",
      maximumHttpFileUploadStorageTime: "-1",
      serverTesting: "on",
    });
    expect(parsed).toMatchObject({
      website: { en: "https://example.org/", de: "https://example.org/de/" },
      legalNotice: {},
      organization: "",
      serverLocations: ["de", "fr"],
      alternativeJids: ["example.net"],
      busFactor: 2,
      serverTesting: true,
      freeOfCharge: false,
    });
  });

  it("says clearly what is wrong", () => {
    const result = ZInstallFactsForm.safeParse({
      website: "en https://example.org/\nenglish http://example.org/",
      legalNotice: "en https://a.org/\nen https://b.org/",
      organization: "club",
      since: "2999-01-01",
      serverLocations: "germany",
      alternativeJids: "not a domain!",
      busFactor: "-2",
      maximumHttpFileUploadTotalSize: "lots",
      maximumHttpFileUploadStorageTime: "1",
    });
    expect(errors(result)).toEqual({
      website: expect.stringMatching(
        /^Line 2: write a two-letter language code, a space and an https:\/\//,
      ),
      legalNotice: 'Line 2: "en" is given twice',
      organization: "Choose a type of organization",
      since: "That date is ahead",
      serverLocations:
        '"germany" is not a country code: use two letters (ISO 3166-1), like de or fr',
      alternativeJids: '"domain!" is not a domain: write server domains like chat.example.org',
      busFactor: 'Bus factor: -1 is the smallest (it means "less than one")',
      maximumHttpFileUploadTotalSize: "Total upload size must be a whole number",
    });
  });

  it("keeps empty server fields as the install's", () => {
    const parsed = ZServerFactsForm.parse({
      serverId: "srv1",
      website: "",
      organization: "",
      busFactor: "",
      serverLocations: "nl",
      freeOfCharge: "",
      serverTesting: "no",
    });
    expect(parsed).toEqual({
      serverId: "srv1",
      serverLocations: ["nl"],
      serverTesting: false,
      website: undefined,
      legalNotice: undefined,
      passwordReset: undefined,
      organization: undefined,
      since: undefined,
      alternativeJids: undefined,
      busFactor: undefined,
      maximumHttpFileUploadTotalSize: undefined,
      maximumHttpFileUploadStorageTime: undefined,
      professionalHosting: undefined,
      freeOfCharge: undefined,
    });
  });
});
