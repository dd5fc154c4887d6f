import { ActionForm, Field } from "@/app/_components/form";
import type { ActionState } from "@/lib/actions/action-state";
import {
  ORGANIZATIONS,
  type TProviderFacts,
  type TProviderFactsOverride,
} from "@/lib/validation/provider-facts";

type Action = (s: ActionState, f: FormData) => Promise<ActionState>;

const pagesText = (pages: Record<string, string> | undefined) =>
  pages
    ? Object.entries(pages)
        .map(([lang, url]) => `${lang} ${url}`)
        .join("\n")
    : "";
const listText = (items: string[] | undefined) => (items ? items.join(" ") : "");
const yesNo = (v: boolean) => (v ? "yes" : "no");

const PAGES_HINT =
  'One a line: a language code and an https:// address, like "en https://example.org/".';
const NUMBERS = [
  ["busFactor", "Bus factor", "People the service could not survive losing; -1: not stated."],
  [
    "maximumHttpFileUploadTotalSize",
    "Upload space per user, in total (MB)",
    "Parley does not know upload quotas. 0: no limit; -1: under 1 MB.",
  ],
  [
    "maximumHttpFileUploadStorageTime",
    "Uploads kept (days), where no policy sets it",
    "Used only when the server's policy does not set upload expiry (ejabberd, or no policy). 0: no limit.",
  ],
] as const;
const BOOLEANS = [
  [
    "professionalHosting",
    "Professional hosting (data centre: good connection, UPS, access control, backups)",
  ],
  ["freeOfCharge", "Free of charge (the service can be used for free)"],
  ["serverTesting", "Server testing allowed (the project may check certificates and uptime)"],
] as const;

// The stated facts of the provider file. For the install every field is the answer; for a server
// (`install` given) an empty field, or "same as the install", keeps the install's answer.
export function FactsForm({
  action,
  values,
  install,
  serverId,
}: {
  action: Action;
  values: TProviderFactsOverride;
  install?: TProviderFacts;
  serverId?: string;
}) {
  const server = install !== undefined;
  const was = (text: string) => (server ? ` Install: ${text || "nothing stated"}.` : "");
  const organizations = [
    ...(server
      ? [{ value: "", label: `Same as the install (${install.organization || "not stated"})` }]
      : []),
    { value: "none", label: "Not stated" },
    ...ORGANIZATIONS.map((o) => ({ value: o, label: o[0].toUpperCase() + o.slice(1) })),
  ];
  const organization =
    values.organization === undefined ? (server ? "" : "none") : values.organization || "none";
  return (
    <ActionForm action={action} submit="Save" hidden={serverId ? { serverId } : undefined}>
      <div className="grid gap-4 sm:grid-cols-2">
        {(["website", "legalNotice", "passwordReset"] as const).map((name) => (
          <Field
            key={name}
            label={
              {
                website: "Website",
                legalNotice: "Legal notice",
                passwordReset: "Password reset page",
              }[name]
            }
            name={name}
            type="textarea"
            defaultValue={pagesText(values[name])}
            hint={`${PAGES_HINT}${name === "passwordReset" ? " Empty: Parley's own /reset page, when PUBLIC_URL is https." : ""}${was(pagesText(install?.[name]))}`}
          />
        ))}
        <Field
          label="Organization"
          name="organization"
          options={organizations}
          defaultValue={organization}
        />
        <Field
          label="Available since"
          name="since"
          type="date"
          defaultValue={values.since}
          hint={`The date the service opened.${was(install?.since ?? "")}`}
        />
        <Field
          label="Server locations"
          name="serverLocations"
          defaultValue={listText(values.serverLocations)}
          hint={`Countries of the servers and backups, as two-letter codes: "de fr".${was(listText(install?.serverLocations))}`}
        />
        <Field
          label="Alternative domains"
          name="alternativeJids"
          defaultValue={listText(values.alternativeJids)}
          hint={`Other domains people can register on, separated by spaces.${was(listText(install?.alternativeJids))}`}
        />
        {NUMBERS.map(([name, label, hint]) => (
          <Field
            key={name}
            label={label}
            name={name}
            type="number"
            min={-1}
            required={!server}
            defaultValue={values[name]}
            hint={`${hint}${was(String(install?.[name] ?? ""))}`}
          />
        ))}
      </div>
      <div className="grid gap-3 text-sm sm:grid-cols-3">
        {BOOLEANS.map(([name, label]) =>
          server ? (
            <Field
              key={name}
              label={label}
              name={name}
              defaultValue={values[name] === undefined ? "" : yesNo(values[name])}
              options={[
                { value: "", label: `Same as the install (${yesNo(install[name])})` },
                { value: "yes", label: "yes" },
                { value: "no", label: "no" },
              ]}
            />
          ) : (
            <label key={name} className="flex items-start gap-2">
              <input type="checkbox" name={name} defaultChecked={values[name] ?? false} /> {label}
            </label>
          ),
        )}
      </div>
    </ActionForm>
  );
}
