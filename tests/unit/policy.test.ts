import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLE_PERMISSIONS, can, canAccessCustomer } from "@/lib/auth/policy";

describe("policy", () => {
  it("denies everything to nobody", () => {
    for (const p of PERMISSIONS) expect(can(null, p)).toBe(false);
  });

  it("keeps billing, staff management and plan changes away from support", () => {
    const support = { id: "s", role: "SUPPORT" as const, customerId: null };
    for (const p of ["billing.read", "staff.manage", "plans.write", "customers.delete", "customers.write", "outbox.read"] as const) {
      expect(can(support, p), p).toBe(false);
    }
    expect(can(support, "accounts.reset")).toBe(true);
  });

  it("gives portal users nothing of the console", () => {
    expect(ROLE_PERMISSIONS.CUSTOMER).toEqual(["portal.view"]);
  });

  it("lets a portal user reach only its own customer, whatever staff permission is asked", () => {
    const mine = { id: "u", role: "CUSTOMER" as const, customerId: "c1" };
    expect(canAccessCustomer(mine, "c1", "customers.write")).toBe(true);
    expect(canAccessCustomer(mine, "c2", "customers.read")).toBe(false);
    expect(canAccessCustomer({ ...mine, customerId: null }, "c1", "customers.read")).toBe(false);
    const support = { id: "s", role: "SUPPORT" as const, customerId: null };
    expect(canAccessCustomer(support, "c1", "customers.read")).toBe(true);
    expect(canAccessCustomer(support, "c1", "customers.write")).toBe(false);
  });
});
