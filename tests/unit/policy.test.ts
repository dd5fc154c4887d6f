import { describe, expect, it } from "vitest";
import { AppError } from "@/core/errors";
import { OWN, PERMISSIONS, ROLE_PERMISSIONS, authorize, can, decide } from "@/lib/auth/policy";
import {
  assertMayChangeReason,
  liftableReasons,
  settableReasons,
} from "@/lib/accounts/suspension-rules";
import { SUSPENSION_REASONS } from "@/provisioning/suspension";

const admin = { id: "a", role: "ADMIN" as const, customerId: null };
const support = { id: "s", role: "SUPPORT" as const, customerId: null };
const mine = { id: "u", role: "CUSTOMER" as const, customerId: "c1" };

// Written out by hand, not taken from the table: the console is staff-only.
const CONSOLE = [
  "console.view",
  "customers.read",
  "customers.write",
  "customers.delete",
  "plans.read",
  "plans.write",
  "accounts.read",
  "accounts.reset",
  "staff.manage",
  "audit.read",
  "billing.read",
  "servers.read",
  "servers.write",
  "policies.read",
  "policies.write",
  "jobs.read",
  "jobs.manage",
  "outbox.read",
] as const;

describe("policy", () => {
  it("denies everything to nobody", () => {
    for (const p of PERMISSIONS) expect(can(null, p)).toBe(false);
    for (const p of PERMISSIONS) expect(can(null, p, OWN)).toBe(false);
  });

  it("keeps billing, staff management and plan changes away from support", () => {
    for (const p of [
      "billing.read",
      "staff.manage",
      "plans.write",
      "customers.delete",
      "customers.write",
      "outbox.read",
    ] as const) {
      expect(can(support, p), p).toBe(false);
      expect(can(support, p, { customerId: "c1" }), p).toBe(false);
    }
    expect(can(support, "accounts.reset")).toBe(true);
  });

  it("gives portal users nothing of the console", () => {
    for (const p of CONSOLE) {
      expect(ROLE_PERMISSIONS.CUSTOMER, p).not.toContain(p);
      expect(can(mine, p, OWN), p).toBe(false);
    }
    // What a customer's own people may do, on their own customer only.
    expect(ROLE_PERMISSIONS.CUSTOMER).toEqual([
      "portal.view",
      "accounts.write",
      "accounts.suspend",
      "accounts.password",
      "rooms.write",
      "invites.write",
      "portalUsers.write",
      "service.close",
      "billing.portal",
      "customers.export",
      "self.manage",
    ]);
  });

  it("keeps the portal's own-customer actions away from staff", () => {
    for (const p of [
      "portal.view",
      "service.close",
      "billing.portal",
      "customers.export",
    ] as const) {
      expect(can(admin, p, OWN), p).toBe(false);
      expect(can(support, p, OWN), p).toBe(false);
    }
  });

  it("lets a portal user reach only its own customer, and only with a grant it holds", () => {
    expect(can(mine, "accounts.write", { customerId: "c1" })).toBe(true);
    expect(can(mine, "accounts.write", { customerId: "c2" })).toBe(false);
    expect(can(mine, "customers.write", { customerId: "c1" })).toBe(false);
    expect(can({ ...mine, customerId: null }, "accounts.write", { customerId: "c1" })).toBe(false);
    expect(can({ ...mine, customerId: null }, "service.close", OWN)).toBe(false);
    expect(can(support, "customers.read", { customerId: "c1" })).toBe(true);
    expect(can(support, "customers.write", { customerId: "c1" })).toBe(false);
  });

  it("refuses a portal user's grant when nothing says what it is used on", () => {
    expect(can(mine, "accounts.write")).toBe(false);
    expect(can(admin, "accounts.write")).toBe(true);
  });

  it("hides a missing object and another customer's alike; a missing grant is forbidden", () => {
    expect(decide(mine, "accounts.write", { customerId: "c2" })).toBe("not_found");
    expect(decide(mine, "accounts.write", { customerId: null })).toBe("not_found");
    expect(decide(mine, "accounts.reset", { customerId: "c1" })).toBe("forbidden");
    expect(decide(admin, "accounts.write", { customerId: null })).toBe("not_found");
    expect(decide(support, "accounts.write", { customerId: null })).toBe("forbidden");
    expect(decide(null, "self.manage", OWN)).toBe("unauthenticated");
    expect(() => authorize(mine, "rooms.write", { customerId: "c2" }, "room")).toThrow(
      "That room does not exist.",
    );
    expect(() => authorize(support, "rooms.write", { customerId: "c1" })).toThrow(AppError);
  });

  it("leaves a portal user of an ended service nothing (11.1)", () => {
    const ended = { ...mine, customerEnded: true };
    for (const permission of ROLE_PERMISSIONS.CUSTOMER)
      expect(decide(ended, permission, OWN), permission).toBe("ended");
    expect(() => authorize(ended, "accounts.write", { customerId: "c1" })).toThrow(/has ended/);
    expect(decide({ ...admin, customerEnded: true }, "accounts.write", OWN)).toBe("allow");
  });
});

describe("suspension reasons by hand", () => {
  it("lets staff add any reason and lift any but billing; portal users only their own", () => {
    expect(settableReasons("ADMIN")).toEqual(SUSPENSION_REASONS);
    expect(liftableReasons("SUPPORT")).toEqual(["staff", "closing", "customer"]);
    expect(settableReasons("CUSTOMER")).toEqual(["customer"]);
    expect(liftableReasons("CUSTOMER")).toEqual(["customer"]);
  });

  it("refuses with the codes the forms show", () => {
    const code = (f: () => void) => {
      try {
        f();
        return "ok";
      } catch (e) {
        return (e as AppError).code;
      }
    };
    expect(code(() => assertMayChangeReason(mine, "staff", true))).toBe("forbidden");
    expect(code(() => assertMayChangeReason(mine, "billing", false))).toBe("forbidden");
    expect(code(() => assertMayChangeReason(mine, "customer", false))).toBe("ok");
    expect(code(() => assertMayChangeReason(support, "billing", true))).toBe("ok");
    expect(code(() => assertMayChangeReason(support, "billing", false))).toBe("invalid");
    expect(code(() => assertMayChangeReason(admin, "closing", false))).toBe("ok");
  });
});
