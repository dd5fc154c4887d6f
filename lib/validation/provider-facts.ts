import { z } from "zod";
import { now } from "@/core/clock";
import { isValidDomain } from "@/provisioning/names";
import { ZId, emptyToUndefined } from "@/lib/validation/common";

// The provider file's facts that Parley cannot derive (lib/provider-file), as stored and as typed
// into the console's forms. Field names are the provider file's own.

export const ORGANIZATIONS = [
  "company",
  "commercial person",
  "private person",
  "governmental",
  "non-governmental",
] as const;

const LANGUAGE = /^[a-z]{2}$/;
const COUNTRY = /^[a-z]{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

const ZWebPages = z.record(z.string().regex(LANGUAGE), z.url({ protocol: /^https$/ }).max(500));
const ZLimit = z.number().int().min(-1);

// As stored (ProviderFacts.facts) and as the builder reads it.
export const ZProviderFacts = z.object({
  website: ZWebPages,
  legalNotice: ZWebPages,
  // {}: Parley's own reset page, when PUBLIC_URL is an https address.
  passwordReset: ZWebPages,
  organization: z.enum(["", ...ORGANIZATIONS]),
  since: z.union([z.literal(""), z.string().regex(DATE).refine(isRealDate)]),
  serverLocations: z.array(z.string().regex(COUNTRY)),
  alternativeJids: z.array(z.string().refine(isValidDomain)),
  busFactor: z.number().int().min(-1),
  professionalHosting: z.boolean(),
  freeOfCharge: z.boolean(),
  serverTesting: z.boolean(),
  // MB; Parley does not know upload quotas.
  maximumHttpFileUploadTotalSize: ZLimit,
  // Days; used only where the server's policy does not set upload expiry.
  maximumHttpFileUploadStorageTime: ZLimit,
});
export type TProviderFacts = z.infer<typeof ZProviderFacts>;
export const ZProviderFactsOverride = ZProviderFacts.partial();
export type TProviderFactsOverride = z.infer<typeof ZProviderFactsOverride>;

// Nothing stated: the values the project's own generator and ejabberd use for "unknown".
export const DEFAULT_PROVIDER_FACTS: TProviderFacts = {
  website: {},
  legalNotice: {},
  passwordReset: {},
  organization: "",
  since: "",
  serverLocations: [],
  alternativeJids: [],
  busFactor: -1,
  professionalHosting: false,
  freeOfCharge: false,
  serverTesting: false,
  maximumHttpFileUploadTotalSize: 0,
  maximumHttpFileUploadStorageTime: 0,
};

type Ctx = z.core.$RefinementCtx<string>;
const fail = (ctx: Ctx, input: string, message: string) => {
  ctx.issues.push({ code: "custom", message, input });
  return z.NEVER;
};

// "en https://example.org/legal", one language a line.
const webPagesField = z
  .string()
  .max(5_000)
  .transform((text, ctx) => {
    const pages: Record<string, string> = {};
    const lines = text.split(/\r?\n/).map((l) => l.trim());
    for (const [i, line] of lines.entries()) {
      if (!line) continue;
      const match = /^([A-Za-z]{2})\s+(\S+)$/.exec(line);
      const lang = match?.[1].toLowerCase();
      if (!match || !lang || !ZWebPages.safeParse({ [lang]: match[2] }).success)
        return fail(
          ctx,
          text,
          `Line ${i + 1}: write a two-letter language code, a space and an https:// address, like "en https://example.org/legal"`,
        );
      if (lang in pages) return fail(ctx, text, `Line ${i + 1}: "${lang}" is given twice`);
      pages[lang] = match[2];
    }
    return pages;
  });

const listField = (test: (item: string) => boolean, message: (item: string) => string) =>
  z
    .string()
    .max(2_000)
    .transform((text, ctx) => {
      const items = [
        ...new Set(
          text
            .split(/[\s,;]+/)
            .map((s) => s.trim().toLowerCase())
            .filter(Boolean),
        ),
      ];
      const bad = items.find((item) => !test(item));
      return bad === undefined ? items : fail(ctx, text, message(bad));
    });

const countriesField = listField(
  (c) => COUNTRY.test(c),
  (c) => `"${c}" is not a country code: use two letters (ISO 3166-1), like de or fr`,
);
const domainsField = listField(
  isValidDomain,
  (d) => `"${d}" is not a domain: write server domains like chat.example.org`,
);

const sinceField = z
  .string()
  .trim()
  .refine(
    (v) => v === "" || (DATE.test(v) && isRealDate(v)),
    "Write the date as YYYY-MM-DD, like 2019-05-01",
  )
  .refine((v) => v === "" || v <= now().toISOString().slice(0, 10), "That date is ahead");

// The form's select: "none" is "not stated" ("" is left for "same as the install").
const organizationField = z
  .enum(["none", ...ORGANIZATIONS], { message: "Choose a type of organization" })
  .transform((v) => (v === "none" ? "" : v));

const wholeNumber = (label: string, max: number) =>
  z.coerce
    .number({ message: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(-1, `${label}: -1 is the smallest (it means "less than one")`)
    .max(max, `${label}: at most ${max}`);

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());

const fields = {
  website: webPagesField,
  legalNotice: webPagesField,
  passwordReset: webPagesField,
  organization: organizationField,
  since: sinceField,
  serverLocations: countriesField,
  alternativeJids: domainsField,
  busFactor: wholeNumber("Bus factor", 10_000),
  maximumHttpFileUploadTotalSize: wholeNumber("Total upload size", 10_000_000),
  maximumHttpFileUploadStorageTime: wholeNumber("Upload storage time", 36_500),
};

// The install's form: every fact; unticked boxes are "no".
export const ZInstallFactsForm = z.object({
  ...fields,
  website: fields.website.prefault(""),
  legalNotice: fields.legalNotice.prefault(""),
  passwordReset: fields.passwordReset.prefault(""),
  since: fields.since.prefault(""),
  serverLocations: fields.serverLocations.prefault(""),
  alternativeJids: fields.alternativeJids.prefault(""),
  professionalHosting: checkbox.default(false),
  freeOfCharge: checkbox.default(false),
  serverTesting: checkbox.default(false),
});

// A server's form: an empty field (or "same as the install") keeps the install's value.
const inherit = <T extends z.ZodType>(schema: T) =>
  z.preprocess(emptyToUndefined, schema.optional());
const yesNo = z
  .enum(["", "yes", "no"], { message: "Choose yes, no or the install's answer" })
  .transform((v) => (v === "" ? undefined : v === "yes"));

export const ZServerFactsForm = z.object({
  serverId: ZId,
  website: inherit(fields.website),
  legalNotice: inherit(fields.legalNotice),
  passwordReset: inherit(fields.passwordReset),
  organization: inherit(fields.organization),
  since: inherit(fields.since),
  serverLocations: inherit(fields.serverLocations),
  alternativeJids: inherit(fields.alternativeJids),
  busFactor: inherit(fields.busFactor),
  maximumHttpFileUploadTotalSize: inherit(fields.maximumHttpFileUploadTotalSize),
  maximumHttpFileUploadStorageTime: inherit(fields.maximumHttpFileUploadStorageTime),
  professionalHosting: yesNo.prefault(""),
  freeOfCharge: yesNo.prefault(""),
  serverTesting: yesNo.prefault(""),
});
