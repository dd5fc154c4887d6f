import type { TestProject } from "vitest/node";
import { startPostgres, type PostgresCluster } from "../harness/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

let cluster: PostgresCluster | undefined;

export async function setup(project: TestProject) {
  cluster = await startPostgres();
  project.provide("pgAdminUrl", cluster.adminUrl);
}

export async function teardown() {
  await cluster?.stop();
}
