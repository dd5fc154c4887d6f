import { accountImport } from "@/lib/imports/accounts";
import { customerImport } from "@/lib/imports/customers";
import type { ImportKind, ImportSpec } from "@/lib/imports/types";
import { csvLines } from "@/lib/tables/csv-export";

// Every kind of CSV import, by the name the upload form and the batch record use.
export const IMPORTS: Record<ImportKind, ImportSpec<unknown>> = {
  customers: customerImport as ImportSpec<unknown>,
  accounts: accountImport as ImportSpec<unknown>,
};

// A template file: the header and one example row.
export function importTemplate(kind: ImportKind): string {
  const columns = IMPORTS[kind].columns;
  return csvLines([columns.map((c) => c.name), columns.map((c) => c.example)]);
}
