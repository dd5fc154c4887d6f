import type { Policy } from "@/provisioning/compliance/policy";
import type { StorageLimits } from "@/provisioning/servers/kind";
import type { TProviderFacts, TProviderFactsOverride } from "@/lib/validation/provider-facts";

// The provider file from what Parley enforces (the server's policy, as its kind configures it)
// and what admins stated (the install's facts, then the server's). Pure: build-provider-file.ts
// reads its inputs.

export type ProviderFile = {
  website: Record<string, string>;
  alternativeJids: string[];
  busFactor: number;
  organization: TProviderFacts["organization"];
  passwordReset: Record<string, string>;
  serverTesting: boolean;
  maximumHttpFileUploadTotalSize: number;
  maximumHttpFileUploadStorageTime: number;
  maximumMessageArchiveManagementStorageTime: number;
  professionalHosting: boolean;
  freeOfCharge: boolean;
  legalNotice: Record<string, string>;
  serverLocations: string[];
  since: string;
};
export type ProviderField = keyof ProviderFile;

// Where each value came from, for the console's preview.
export type Origin = {
  from: "policy" | "server" | "install" | "parley" | "unknown";
  note?: string;
};

export type ComposeInput = {
  install: TProviderFacts;
  server: TProviderFactsOverride;
  // The server's policy and what its kind makes of it; null: the server has no policy.
  policy: { policy: Policy; limits: StorageLimits } | null;
  kindLabel: string;
  publicUrl: string;
};

// Parley's days (0: not kept a whole day) in the file's convention (-1: less than a day).
const fileDays = (days: number) => (days === 0 ? -1 : days);

export function composeProviderFile(input: ComposeInput): {
  document: ProviderFile;
  origins: Record<ProviderField, Origin>;
} {
  const { install, server, policy } = input;
  const stated = <K extends keyof TProviderFacts>(key: K): [TProviderFacts[K], Origin] =>
    server[key] !== undefined
      ? [server[key] as TProviderFacts[K], { from: "server" }]
      : [install[key], { from: "install" }];

  const archive: [number, Origin] = policy
    ? [
        fileDays(policy.limits.messageDays),
        {
          from: "policy",
          note: `${policy.policy.name}: one-to-one ${policy.policy.mamRetentionDays} days, group chat ${policy.policy.mucRetentionDays} days, as ${input.kindLabel} keeps them`,
        },
      ]
    : [
        0,
        { from: "unknown", note: "No privacy policy on this server: nothing limits the archive" },
      ];

  const uploadDays = policy?.limits.uploadDays;
  const uploadTime: [number, Origin] =
    policy && uploadDays !== null && uploadDays !== undefined
      ? [
          fileDays(uploadDays),
          {
            from: "policy",
            note: `${policy.policy.name}: uploads deleted after ${uploadDays} days`,
          },
        ]
      : [
          stated("maximumHttpFileUploadStorageTime")[0],
          {
            ...stated("maximumHttpFileUploadStorageTime")[1],
            note: policy
              ? `Parley does not set upload expiry on ${input.kindLabel}`
              : "No privacy policy on this server",
          },
        ];

  const [resetPages, resetOrigin] = stated("passwordReset");
  const ownReset = `${input.publicUrl}/reset`;
  const reset: [Record<string, string>, Origin] =
    Object.keys(resetPages).length > 0
      ? [resetPages, resetOrigin]
      : input.publicUrl.startsWith("https://")
        ? [{ en: ownReset }, { from: "parley", note: "Parley's reset page" }]
        : [{}, { from: "unknown", note: "PUBLIC_URL is not an https:// address" }];

  const fields: { [K in ProviderField]: [ProviderFile[K], Origin] } = {
    website: stated("website"),
    alternativeJids: stated("alternativeJids"),
    busFactor: stated("busFactor"),
    organization: stated("organization"),
    passwordReset: reset,
    serverTesting: stated("serverTesting"),
    maximumHttpFileUploadTotalSize: stated("maximumHttpFileUploadTotalSize"),
    maximumHttpFileUploadStorageTime: uploadTime,
    maximumMessageArchiveManagementStorageTime: archive,
    professionalHosting: stated("professionalHosting"),
    freeOfCharge: stated("freeOfCharge"),
    legalNotice: stated("legalNotice"),
    serverLocations: stated("serverLocations"),
    since: stated("since"),
  };
  const entries = Object.entries(fields) as [ProviderField, [unknown, Origin]][];
  return {
    document: Object.fromEntries(entries.map(([k, [value]]) => [k, value])) as ProviderFile,
    origins: Object.fromEntries(entries.map(([k, [, origin]]) => [k, origin])) as Record<
      ProviderField,
      Origin
    >,
  };
}
