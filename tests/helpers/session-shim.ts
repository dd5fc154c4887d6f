import { vi } from "vitest";

// The only framework pieces shimmed in integration tests: next-auth's session lookup
// (the JWT cookie a browser would send) and next/cache (no request scope outside Next).
// lib/auth/session.ts still re-reads the user from the real database on every call.
const state = vi.hoisted(() => ({
  session: null as null | { user: { id: string; sessionVersion: number } },
}));

vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => state.session,
}));

vi.mock("next/cache", async (original) => ({
  ...(await original<typeof import("next/cache")>()),
  revalidatePath: () => undefined,
  revalidateTag: () => undefined,
}));

export function actAs(user: { id: string; sessionVersion?: number } | null): void {
  state.session = user ? { user: { id: user.id, sessionVersion: user.sessionVersion ?? 1 } } : null;
}
