import type { Permission } from "@/lib/auth/policy";
import type { Role } from "@/generated/sqlite/enums";

// The shapes shared by the CSV imports (customers, accounts).

export const IMPORT_KINDS = ["customers", "accounts"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

// What one upload may hold; the upload page states both.
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 20_000;
// A validated upload waits this long for the operator's choice.
export const IMPORT_TTL_HOURS = 24;

export type ImportActor = { id: string; email: string; role: Role; customerId: string | null };

// A column of the file: its header, whether every row needs it, and what it takes.
export type ImportColumn = { name: string; required: boolean; help: string; example: string };

// A data row as read: `row` is its number in a spreadsheet (the header is row 1).
export type CsvRecord = { row: number; values: Record<string, string> };
export type RowError = { row: number; column: string; message: string };
// A row that passed every check, normalised; `present`: it already exists exactly so.
export type ImportRow<D = unknown> = { row: number; data: D; present?: true };

export type RowOutcome = {
  row: number;
  outcome: "created" | "already-present" | "failed";
  error?: string;
};

export type Validated<D> = { valid: ImportRow<D>[]; errors: RowError[] };

// One kind of import: who may run it, its columns, the checks of a whole file before anything
// is written, and the creation of one row (in its own transaction, safe to repeat).
export type ImportSpec<D> = {
  permission: Permission;
  noun: [string, string];
  columns: ImportColumn[];
  validate: (records: CsvRecord[]) => Promise<Validated<D>>;
  apply: (data: D, actor: ImportActor) => Promise<Omit<RowOutcome, "row">>;
};
