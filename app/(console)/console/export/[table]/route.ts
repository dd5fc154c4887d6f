import { guardRoute } from "@/lib/auth/route-guard";
import { exportFileName } from "@/lib/tables/csv-export";
import { CSV_TABLES, exportTable, isCsvTableName } from "@/lib/tables/csv-tables";

// A console list as CSV: the list page's address params (filter, search, sort), every matching
// row, streamed. Each table names the permission it needs; billing columns only for admins.
export async function GET(
  request: Request,
  context: { params: Promise<{ table: string }> },
): Promise<Response> {
  const { table } = await context.params;
  const entry = isCsvTableName(table) ? CSV_TABLES[table] : null;
  const user = await guardRoute(entry?.permission ?? "console.view");
  if (user instanceof Response) return user;
  if (!entry || !isCsvTableName(table))
    return Response.json({ message: "There is no such table to export." }, { status: 404 });
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return new Response(exportTable(table, params, user), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${exportFileName(table, new Date())}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
