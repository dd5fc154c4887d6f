import Ajv from "ajv";
import addFormats from "ajv-formats";
import schema from "./xmpp-provider-v2.schema.json" with { type: "json" };

// The provider file's JSON schema (see README.md beside this file for where it comes from),
// compiled once. Ajv checks the formats too (uri, hostname, date) through ajv-formats.
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
const check = ajv.compile(schema);

export type SchemaResult = { valid: true } | { valid: false; errors: string[] };

// Every way the document breaks the schema, as "<path> <message>" lines.
export function validateProviderFile(document: unknown): SchemaResult {
  if (check(document)) return { valid: true };
  const errors = (check.errors ?? []).map(
    (e) => `${e.instancePath || "(the file)"} ${e.message ?? "is invalid"}`,
  );
  return { valid: false, errors };
}
