import type { Metadata } from "next";
import Link from "@/app/_components/link";
import { notFound } from "next/navigation";
import { guardPage } from "@/lib/auth/page-guard";
import { can } from "@/lib/auth/policy";
import { IMPORTS, importTemplate } from "@/lib/imports/registry";
import {
  IMPORT_KINDS,
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  IMPORT_TTL_HOURS,
} from "@/lib/imports/types";
import { ActionForm } from "@/app/_components/form";
import { Banner, Card, PageHeader, Table, Td } from "@/app/_components/ui";
import { IMPORT_ACTIONS } from "./import-actions";

export const metadata: Metadata = { title: "Import CSV" };

export default async function ImportPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await guardPage("console.view", "/console/import");
  const sp = await searchParams;
  const kinds = IMPORT_KINDS.filter((k) => can(user, IMPORTS[k].permission));
  if (kinds.length === 0) notFound();
  const kind = kinds.find((k) => k === sp.kind) ?? kinds[0];
  const spec = IMPORTS[kind];
  const template = `data:text/csv;charset=utf-8,${encodeURIComponent(importTemplate(kind))}`;
  return (
    <>
      <PageHeader
        title={`Import ${spec.noun[1]} from CSV`}
        description="Every row is checked first; you then see each problem and choose to import the valid rows or nothing."
      />
      {sp.discarded ? (
        <Banner color="green">Nothing was imported; the upload is gone.</Banner>
      ) : null}
      <nav aria-label="What to import" className="mb-4 flex gap-4 text-sm">
        {kinds.map((k) => (
          <Link
            key={k}
            href={`/console/import?kind=${k}`}
            aria-current={k === kind ? "page" : undefined}
            className={
              k === kind
                ? "font-semibold text-indigo-700 underline"
                : "text-slate-700 hover:underline"
            }
          >
            {IMPORTS[k].noun[1][0].toUpperCase() + IMPORTS[k].noun[1].slice(1)}
          </Link>
        ))}
      </nav>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Upload">
          <ActionForm action={IMPORT_ACTIONS[kind].upload} submit="Check the file">
            <div>
              <label htmlFor="import-file" className="block text-sm font-medium text-slate-800">
                CSV file
              </label>
              <input
                id="import-file"
                name="file"
                type="file"
                accept=".csv,text/csv"
                required
                aria-describedby="import-file-hint"
                className="mt-1 block w-full text-sm"
              />
              <p id="import-file-hint" className="mt-1 text-xs text-slate-500">
                UTF-8 CSV with a header row; at most {IMPORT_MAX_BYTES / 1024 / 1024} MB and{" "}
                {IMPORT_MAX_ROWS.toLocaleString("en")} rows. Nothing is imported until you choose
                to, within {IMPORT_TTL_HOURS} hours.
              </p>
            </div>
          </ActionForm>
        </Card>
        <Card title="Columns">
          <p className="mb-3 text-sm text-slate-600">
            The first row names the columns, in any order.{" "}
            <a
              className="text-indigo-700 underline"
              href={template}
              download={`parley-${kind}-template.csv`}
            >
              Download a template
            </a>
            .
          </p>
          <Table head={["Column", "Required", "What it takes"]} caption="Columns of the file">
            {spec.columns.map((c) => (
              <tr key={c.name}>
                <Td>
                  <code>{c.name}</code>
                </Td>
                <Td>{c.required ? "yes" : "no"}</Td>
                <Td>{c.help}</Td>
              </tr>
            ))}
          </Table>
          {kind === "accounts" ? (
            <p className="mt-3 text-xs text-slate-500">
              New accounts get a random password nobody sees; their users set their own with a reset
              link (sent to the recovery email, or made on the account&apos;s page).
            </p>
          ) : null}
        </Card>
      </div>
    </>
  );
}
