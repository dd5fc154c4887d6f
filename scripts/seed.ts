// `npm run seed -- --customers 100000 [--seed 1] [--append]`: fills the database at DATABASE_URL
// (SQLite file or PostgreSQL, already migrated) with realistic data for benchmarks and demos.
// Refuses a database that already has customers unless --append. See bench/seed/seed-data.ts.
import { parseArgs } from "node:util";
import { z } from "zod";
import { printTable } from "../bench/lib/print-table";
import { seedCounts, seedDatabase, SeedRefused } from "../bench/seed/seed-data";
import { prisma } from "../core/db";
import { getConfig } from "../core/config";

const ZFlags = z.object({
  customers: z.coerce
    .number({ message: "--customers must be a number" })
    .int("--customers must be a whole number")
    .min(1, "--customers must be at least 1")
    .max(10_000_000, "--customers can be at most 10,000,000"),
  seed: z.coerce
    .number({ message: "--seed must be a number" })
    .int("--seed must be a whole number")
    .min(0, "--seed must be 0 or more")
    .max(2 ** 32 - 1, "--seed must fit in 32 bits"),
  append: z.boolean(),
});

function flags() {
  try {
    const { values } = parseArgs({
      // After `node scripts/run-ts.mjs scripts/seed.ts`.
      args: process.argv.slice(process.argv.findIndex((a) => a.endsWith("seed.ts")) + 1),
      options: {
        customers: { type: "string", default: "1000" },
        seed: { type: "string", default: "1" },
        append: { type: "boolean", default: false },
      },
    });
    const parsed = ZFlags.safeParse(values);
    if (parsed.success) return parsed.data;
    throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  } catch (error) {
    console.error(`${(error as Error).message}
usage: npm run seed -- [--customers N] [--seed S] [--append]`);
    process.exit(2);
  }
}

const options = flags();
const url = getConfig().databaseUrl;
const counts = seedCounts(options.customers);
console.log(
  `Seeding ${url.startsWith("file:") ? "SQLite" : "PostgreSQL"} with ${Object.entries(counts)
    .map(([k, v]) => `${v.toLocaleString("en")} ${k}`)
    .join(", ")} (seed ${options.seed}).`,
);
try {
  const report = await seedDatabase(prisma, { ...options, log: (line) => console.log(line) });
  console.log();
  // One line per table; a step's seconds (generation and inserts) on its first table's line.
  const shown = new Set<string>();
  printTable(
    ["table", "rows", "step", "seconds"],
    Object.entries(report.rows).map(([table, n]) => {
      const step = report.stepOf[table];
      const first = !shown.has(step);
      shown.add(step);
      return [
        table,
        n.toLocaleString("en"),
        first ? step : "",
        first ? report.seconds[step].toFixed(1) : "",
      ];
    }),
  );
  for (const [step, s] of Object.entries(report.seconds))
    if (!shown.has(step)) console.log(`${step}: ${s.toFixed(1)} s`);
  console.log(`\nTotal: ${report.totalSeconds.toFixed(1)} s`);
} catch (error) {
  if (error instanceof SeedRefused) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
} finally {
  await prisma.$disconnect();
}
