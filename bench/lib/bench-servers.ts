import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEjabberd, type EjabberdInstance } from "../../tests/harness/ejabberd";
import { createDatabase, startPostgres, type PostgresCluster } from "../../tests/harness/postgres";

// One ejabberd with a bearer token and a migrated-to-be database URL (a temp SQLite file, or
// a database on a PostgreSQL cluster of its own), all stopped and removed afterwards.
export async function withBenchServers<T>(
  db: "sqlite" | "postgres",
  run: (world: { ej: EjabberdInstance; token: string; url: string }) => Promise<T>,
): Promise<T> {
  const ej = await startEjabberd({ loglevel: "warning" });
  let pg: PostgresCluster | undefined;
  const tmp = mkdtempSync(path.join(os.tmpdir(), "parley-bench-"));
  try {
    const token = await ej.mintToken();
    let url = `file:${tmp}/bench.db`;
    if (db === "postgres") {
      pg = await startPostgres();
      await createDatabase(pg.adminUrl, "bench");
      url = pg.urlFor("bench");
    }
    return await run({ ej, token, url });
  } finally {
    await stopBenchServers({ ej, pg, tmp });
  }
}

// Disconnects Prisma, stops the servers, removes the temp folder.
export async function stopBenchServers(o: {
  ej: EjabberdInstance;
  pg?: PostgresCluster;
  tmp: string;
}): Promise<void> {
  const holder = globalThis as { parleyPrisma?: { $disconnect(): Promise<void> } };
  await holder.parleyPrisma?.$disconnect();
  await o.pg?.stop();
  await o.ej.stop();
  rmSync(o.tmp, { recursive: true, force: true });
}
