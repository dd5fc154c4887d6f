import { parse } from "csv-parse/sync";
import { AppError } from "@/core/errors";
import {
  IMPORT_MAX_ROWS,
  type CsvRecord,
  type ImportColumn,
  type RowError,
} from "@/lib/imports/types";

// Reads an uploaded CSV: a header row naming the columns (any order, any case), then one record
// per row. Problems with the file as a whole are thrown; a row with the wrong number of cells
// is reported as that row's error.

const fail = (message: string) => new AppError("invalid", message, { file: [message] });

function headerOf(cells: string[], columns: ImportColumn[]): string[] {
  const known = new Map(columns.map((c) => [c.name.toLowerCase(), c.name]));
  const names = cells.map((c) => c.trim());
  const unknown = names.filter((n) => !known.has(n.toLowerCase()));
  const list = columns.map((c) => c.name).join(", ");
  if (unknown.length)
    throw fail(
      `The header names ${unknown.map((u) => `“${u}”`).join(", ")}, which this import does not take. Its columns are: ${list}.`,
    );
  const header = names.map((n) => known.get(n.toLowerCase())!);
  const twice = header.find((n, i) => header.indexOf(n) !== i);
  if (twice) throw fail(`The header names the column “${twice}” twice.`);
  const missing = columns.filter((c) => c.required && !header.includes(c.name));
  if (missing.length)
    throw fail(
      `The header row lacks ${missing.map((m) => `“${m.name}”`).join(", ")}. The first row must name the columns: ${list}.`,
    );
  return header;
}

const LINE_BREAKS = /\r\n|\r|\n/g;

export function parseImportCsv(
  text: string,
  columns: ImportColumn[],
): { records: CsvRecord[]; errors: RowError[] } {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw fail(
      `This is not a valid CSV file${line ? ` (near line ${line})` : ""}: ${(error as Error).message}. Save it from your spreadsheet as “CSV UTF-8”.`,
    );
  }
  if (parsed.length === 0)
    throw fail("The file is empty. The first row must name the columns; the data follows.");
  const header = headerOf(parsed[0].record, columns);
  if (parsed.length === 1) throw fail("The file has a header row but no data rows.");
  if (parsed.length - 1 > IMPORT_MAX_ROWS)
    throw fail(
      `The file has ${parsed.length - 1} data rows; one import takes at most ${IMPORT_MAX_ROWS}. Split it into several files.`,
    );
  const records: CsvRecord[] = [];
  const errors: RowError[] = [];
  for (const { record, info } of parsed.slice(1)) {
    // The line the record starts on: quoted cells may span lines.
    const breaks = record.reduce((n, cell) => n + (cell.match(LINE_BREAKS)?.length ?? 0), 0);
    const row = info.lines - breaks;
    if (record.length !== header.length) {
      errors.push({
        row,
        column: "",
        message: `This row has ${record.length} cells but the header has ${header.length}. Check for a missing or extra comma, or a value with a comma that needs quotes.`,
      });
      continue;
    }
    records.push({
      row,
      values: Object.fromEntries(header.map((name, i) => [name, record[i].trim()])),
    });
  }
  return { records, errors };
}
