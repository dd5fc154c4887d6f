import { z } from "zod";
import { prisma } from "@/core/db";
import { insertCustomer } from "@/lib/customers/customers";
import { ZEmail, emptyToUndefined } from "@/lib/validation/common";
import { ZCustomerInput } from "@/lib/validation/customers";
import { withImportLock } from "@/lib/imports/lock";
import { byRow, duplicateOf, groupBy, parseRows, readInChunks } from "@/lib/imports/rows";
import type { ImportRow, ImportSpec, RowError } from "@/lib/imports/types";

// Customers from CSV. A customer is known by its contact email: a row whose email a customer
// already has with the same name, kind, plan and notes is "already present"; with anything
// different it is an error (an import never changes an existing customer).

const ZRow = z.object({
  name: ZCustomerInput.shape.name,
  kind: z.preprocess(
    (v) => (typeof v === "string" && v.trim() ? v.trim().toUpperCase() : "PERSON"),
    ZCustomerInput.shape.kind,
  ),
  contactEmail: ZEmail,
  plan: z.preprocess(emptyToUndefined, z.string().trim().max(120).optional()),
  notes: z.preprocess((v) => v ?? "", ZCustomerInput.shape.notes),
});

export type CustomerImportData = Omit<z.infer<typeof ZCustomerInput>, "planId"> & {
  planId: string | null;
};

type Existing = { name: string; kind: string; planId: string | null; notes: string };
const FIELDS = ["name", "kind", "planId", "notes"] as const;
const differences = (a: Existing, b: CustomerImportData) =>
  FIELDS.filter((f) => (a[f] ?? null) !== (b[f] ?? null)).map((f) => (f === "planId" ? "plan" : f));

function conflict(email: string, found: (Existing & { id: string })[], data: CustomerImportData) {
  if (found.some((c) => differences(c, data).length === 0)) return null;
  const diff = differences(found[0], data);
  return `A customer with the contact email ${email} already exists (“${found[0].name}”) with a different ${diff.join(", ")}. An import never changes a customer: make the row match it, or leave the row out.`;
}

async function planResolver() {
  const plans = await prisma.plan.findMany({ select: { id: true, name: true, archivedAt: true } });
  const byKey = new Map<string, (typeof plans)[number]>();
  for (const p of plans) byKey.set(p.name.toLowerCase(), p);
  for (const p of plans) byKey.set(p.id, p);
  const current = plans.filter((p) => !p.archivedAt).map((p) => p.name);
  return (ref: string): { id: string } | { message: string } => {
    const plan = byKey.get(ref) ?? byKey.get(ref.toLowerCase());
    if (!plan)
      return {
        message: `There is no plan “${ref}”. Use a plan's name or id${current.length ? `: ${current.join(", ")}` : " (create one under Plans first)"}.`,
      };
    if (plan.archivedAt)
      return { message: `The plan “${plan.name}” is archived; choose a current plan.` };
    return { id: plan.id };
  };
}

const select = { id: true, name: true, kind: true, planId: true, notes: true, contactEmail: true };

export const customerImport: ImportSpec<CustomerImportData> = {
  permission: "customers.write",
  noun: ["customer", "customers"],
  columns: [
    { name: "name", required: true, help: "2 to 120 characters.", example: "Ada Lovelace" },
    {
      name: "kind",
      required: false,
      help: "person, family or company (person when empty).",
      example: "person",
    },
    {
      name: "contactEmail",
      required: true,
      help: "Identifies the customer: importing the same email again creates nothing.",
      example: "ada@example.org",
    },
    { name: "plan", required: false, help: "A current plan's name or id.", example: "Family" },
    { name: "notes", required: false, help: "Up to 2,000 characters.", example: "" },
  ],

  async validate(records) {
    const { parsed, errors } = parseRows(records, ZRow);
    const resolvePlan = await planResolver();
    const emails = [...new Set(parsed.map((p) => p.value.contactEmail))];
    const existing = await readInChunks(emails, (chunk) =>
      prisma.customer.findMany({ where: { contactEmail: { in: chunk } }, select }),
    );
    const byEmail = groupBy(existing, (c) => c.contactEmail);
    const seen = duplicateOf();
    const valid: ImportRow<CustomerImportData>[] = [];
    for (const { row, value } of parsed) {
      const { plan, ...rest } = value;
      const rowError = (column: string, message: string): RowError => ({ row, column, message });
      const resolved = plan ? resolvePlan(plan) : { id: null };
      if ("message" in resolved) {
        errors.push(rowError("plan", resolved.message));
        continue;
      }
      const data = { ...rest, planId: resolved.id };
      const earlier = seen(data.contactEmail, row);
      if (earlier !== null) {
        errors.push(
          rowError(
            "contactEmail",
            `Row ${earlier} has the same contact email; list each customer once.`,
          ),
        );
        continue;
      }
      const found = byEmail.get(data.contactEmail);
      const why = found ? conflict(data.contactEmail, found, data) : null;
      if (why) errors.push(rowError("contactEmail", why));
      else valid.push(found ? { row, data, present: true } : { row, data });
    }
    return { valid, errors: errors.sort(byRow) };
  },

  // Under the email's import lock, so parallel imports of one row create one customer.
  async apply(input, actor) {
    const data = { ...ZRow.omit({ plan: true }).parse(input), planId: input.planId };
    return withImportLock(`customer:${data.contactEmail}`, async (tx) => {
      const found = await tx.customer.findMany({
        where: { contactEmail: data.contactEmail },
        select,
      });
      if (found.length) {
        const why = conflict(data.contactEmail, found, data);
        return why ? { outcome: "failed", error: why } : { outcome: "already-present" };
      }
      await insertCustomer(tx, { ...data, planId: data.planId ?? undefined }, actor);
      return { outcome: "created" };
    });
  },
};
