import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { EjabberdInstance } from "../harness/ejabberd";
import { field, waitForPath } from "./e2e-browser";

// Adds a real ejabberd through the console's form and checks the connection; returns the
// server's console path.
export async function addEjabberdInConsole(
  page: Page,
  ej: EjabberdInstance,
  token: string,
  name: string,
): Promise<string> {
  await page.goto("/console/servers/new");
  await field(page, "Name").fill(name);
  await field(page, "Kind").selectOption("EJABBERD");
  await field(page, "XMPP domain").fill(ej.vhost);
  await field(page, "Group chat (MUC) service").fill(ej.mucDomain);
  await field(page, "mod_http_api URL").fill(ej.apiUrl);
  await field(page, "API token").fill(token);
  await page.getByRole("button", { name: "Add server" }).click();
  await waitForPath(page, /^\/console\/servers\/(?!new)[^/]+$/);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByTestId("form-success").innerText()).resolves.toContain("Connected");
  return new URL(page.url()).pathname;
}
