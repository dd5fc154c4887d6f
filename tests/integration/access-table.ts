import { generate } from "otplib";
import { prisma } from "@/core/db";
import { ROLE_PERMISSIONS, ROLE_SCOPE, type Permission } from "@/lib/auth/policy";
import { confirmTwoFactorEnrollment, startTwoFactorEnrollment } from "@/lib/users/two-factor";
import { inviteUser } from "@/lib/users/invite-user";
import { issueFirstAdminLink } from "@/lib/users/first-admin-link";
import { createInvite } from "@/lib/invites/create-invite";
import { createResetLink } from "@/lib/chat-password-reset/reset-links";
import { issueOneTimeLink } from "@/lib/users/one-time-links";
import { sendEmail } from "@/lib/notifications/send-email";
import { FIXTURE_PASSWORD, form, type Actor, type World } from "../helpers/fixtures";

// Who calls, relative to the objects in the input (which always belong to customer A):
// anonymous, a portal user of customer B, a portal user of customer A, support, admin.
export const CALLERS = ["anonymous", "otherCustomer", "customer", "support", "admin"] as const;
export type Caller = (typeof CALLERS)[number];

const SIGNED_IN: Caller[] = ["otherCustomer", "customer", "support", "admin"];
const ADMIN_ONLY: Caller[] = ["admin"];
const STAFF: Caller[] = ["support", "admin"];
// Staff, and the portal user of the customer the objects belong to.
const OWNER_OR_STAFF: Caller[] = ["customer", "support", "admin"];

// What an entry point needs from the permission table (lib/auth/policy.ts): a permission, used
// on an object of customer A named in the input ("object"), on the caller's own customer or
// sign-in ("own"), or on nothing in particular ("none": global grants only). "public": nothing.
export type Needs = { permission: Permission; on: "object" | "own" | "none" } | "public";
const grant = (permission: Permission, on: "object" | "own" | "none" = "none"): Needs => ({
  permission,
  on,
});

const ROLE_OF = {
  otherCustomer: "CUSTOMER",
  customer: "CUSTOMER",
  support: "SUPPORT",
  admin: "ADMIN",
} as const;

// The callers the permission table lets through, worked out here from ROLE_PERMISSIONS and
// ROLE_SCOPE. Each entry's `allow` is the reviewed expectation, written by hand; the test checks
// that the two agree, so loosening the table (or an entry's `allow`) fails it.
export function grantedCallers(needs: Needs): Caller[] {
  if (needs === "public") return [...CALLERS];
  return CALLERS.filter((caller) => {
    if (caller === "anonymous") return false;
    const role = ROLE_OF[caller];
    if (!ROLE_PERMISSIONS[role].includes(needs.permission)) return false;
    if (ROLE_SCOPE[role] === "global") return true;
    // A portal user's grants reach its own customer only; the input's objects are customer A's.
    if (needs.on === "own") return true;
    return needs.on === "object" && caller === "customer";
  });
}

let n = 0;
const uniq = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

export type ActionEntry = {
  kind: "action";
  needs: Needs;
  allow: Caller[];
  // The allowed call does its work but reports a failure (e.g. a connection test to a closed port).
  expectFailure?: boolean;
  // False when an allowed call stops on a stated condition before changing anything.
  audited?: boolean;
  // Builds a valid input for this caller in a fresh world.
  input: (world: World, actor: Actor | null) => Promise<FormData> | FormData;
};

// Actions a visitor without a session may call: the one-time token is the authorization.
export type TokenActionEntry = {
  kind: "token";
  validInput: (world: World) => Promise<FormData>;
  invalidInput: () => FormData;
};

// Public request forms (forgotten passwords): anyone may call them, and the reply must not
// tell a known email or address from an unknown one.
export type PublicRequestEntry = {
  kind: "public-request";
  knownInput: (world: World) => Promise<FormData> | FormData;
  unknownInput: () => FormData;
};

export type RouteEntry = {
  kind: "route";
  access: "public" | "signed-in";
  // For routes that check the permission table: granted callers get 200, refused ones 401/403.
  needs?: Needs;
  // Per caller, where it differs from expectStatus.
  expectStatusFor?: Partial<Record<Caller, number>>;
  // "direct": the handler is called in-process; "http": it needs Next's request scope
  // (next-auth reads cookies() through require), so tests/e2e/route-table.e2e.ts calls it
  // over HTTP on a running server, signed in as each caller.
  via: "direct" | "http";
  request: () => Request;
  // The second argument Next passes to dynamic routes.
  context?: () => unknown;
  expectStatus: number;
  // For "http": a check on the reply beyond the status.
  expectBody?: (body: string) => boolean;
};

const bulkOperation = (status: "RUNNING" | "DONE") =>
  prisma.bulkOperation.create({
    data: { action: "accounts.suspend", target: "accounts", params: {}, selection: {}, status },
  });

const finishedCheck = (w: World) =>
  prisma.complianceCheck.create({
    data: {
      serverId: w.serverId,
      startedAt: new Date(),
      finishedAt: new Date(),
      status: "compliant",
      checks: [],
    },
  });

const customerFields = (world: World) => ({
  name: `Cust ${uniq()}`,
  kind: "COMPANY",
  contactEmail: `c-${uniq()}@parley.test`,
  planId: world.planId,
  notes: "",
});
const planFields = () => ({
  name: `Plan ${uniq()}`,
  description: "",
  seats: 3,
  rooms: 1,
  retentionDays: 7,
  price: "",
  currency: "EUR",
});

const providerFacts = () => ({
  website: "en https://example.org/",
  organization: "company",
  since: "2020-01-01",
  serverLocations: "de",
  busFactor: 2,
  maximumHttpFileUploadTotalSize: 100,
  maximumHttpFileUploadStorageTime: 7,
  professionalHosting: "on",
});

async function enrolled(actor: Actor) {
  const secret = await startTwoFactorEnrollment(actor);
  await confirmTwoFactorEnrollment(actor, await generate({ secret }));
}

function csvFile(text: string): FormData {
  const data = new FormData();
  data.append("file", new File([text], "import.csv", { type: "text/csv" }));
  return data;
}

// A validated batch owned by the caller (or the admin, for a caller without a sign-in).
async function batchOf(world: World, actor: Actor | null, kind: "customers" | "accounts") {
  const batch = await prisma.importBatch.create({
    data: {
      kind,
      ownerId: (actor ?? world.admin).id,
      fileName: "import.csv",
      fileHash: "0",
      totalRows: 1,
      rows:
        kind === "customers"
          ? [
              {
                row: 2,
                data: {
                  name: `Batch ${uniq()}`,
                  kind: "PERSON",
                  contactEmail: `batch-${uniq()}@parley.test`,
                  planId: null,
                  notes: "",
                },
              },
            ]
          : [],
      errors: [],
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  return form({ batchId: batch.id });
}

function importEntries(
  kind: "customers" | "accounts",
  permission: Permission,
  file: (w: World) => FormData,
): Record<string, ActionEntry> {
  const Kind = kind[0].toUpperCase() + kind.slice(1);
  const at = (name: string) => `app/(console)/console/import/actions.ts#${name}${Kind}Action`;
  const entry = (input: ActionEntry["input"]): ActionEntry => ({
    kind: "action",
    needs: grant(permission),
    allow: ADMIN_ONLY,
    input,
  });
  return {
    [at("upload")]: entry((w) => file(w)),
    [at("apply")]: entry((w, actor) => batchOf(w, actor, kind)),
    [at("discard")]: entry((w, actor) => batchOf(w, actor, kind)),
  };
}

export const ACCESS_TABLE: Record<
  string,
  ActionEntry | TokenActionEntry | PublicRequestEntry | RouteEntry
> = {
  "app/(console)/console/customers/actions.ts#createCustomerAction": {
    kind: "action",
    needs: grant("customers.write"),
    allow: ADMIN_ONLY,
    input: (w) => form(customerFields(w)),
  },
  "app/(console)/console/customers/actions.ts#updateCustomerAction": {
    kind: "action",
    needs: grant("customers.write"),
    allow: ADMIN_ONLY,
    input: (w) => form({ ...customerFields(w), id: w.customerId }),
  },
  "app/(console)/console/customers/actions.ts#invitePortalUserAction": {
    kind: "action",
    needs: grant("portalUsers.write", "object"),
    allow: ["customer", "admin"],
    input: (w) => form({ customerId: w.customerId, name: "Pat", email: `p-${uniq()}@parley.test` }),
  },
  "app/(console)/console/plans/actions.ts#createPlanAction": {
    kind: "action",
    needs: grant("plans.write"),
    allow: ADMIN_ONLY,
    input: () => form(planFields()),
  },
  "app/(console)/console/plans/actions.ts#updatePlanAction": {
    kind: "action",
    needs: grant("plans.write"),
    allow: ADMIN_ONLY,
    input: (w) => form({ ...planFields(), id: w.planId }),
  },
  "app/(console)/console/plans/actions.ts#setPlanArchivedAction": {
    kind: "action",
    needs: grant("plans.write"),
    allow: ADMIN_ONLY,
    input: (w) => form({ id: w.planId, archived: "true" }),
  },
  "app/(console)/console/staff/actions.ts#inviteStaffAction": {
    kind: "action",
    needs: grant("staff.manage"),
    allow: ADMIN_ONLY,
    input: () => form({ name: "New", email: `s-${uniq()}@parley.test`, role: "SUPPORT" }),
  },
  "app/(console)/console/staff/actions.ts#unlockUserAction": {
    kind: "action",
    needs: grant("staff.manage"),
    allow: ADMIN_ONLY,
    input: (w) => form({ userId: w.customerUser.id }),
  },
  "app/(console)/console/staff/actions.ts#setUserDisabledAction": {
    kind: "action",
    needs: grant("staff.manage"),
    allow: ADMIN_ONLY,
    input: (w) => form({ userId: w.customerUser.id, disabled: "true" }),
  },
  "app/(console)/console/staff/actions.ts#changeStaffRoleAction": {
    kind: "action",
    needs: grant("staff.manage"),
    allow: ADMIN_ONLY,
    input: (w) => form({ userId: w.support.id, role: "ADMIN" }),
  },
  "app/(console)/console/staff/actions.ts#resetTwoFactorAction": {
    kind: "action",
    needs: grant("staff.manage"),
    allow: ADMIN_ONLY,
    input: (w) => form({ userId: w.support.id }),
  },
  // "off": an allowed call must not switch enforcement on for the rest of this table's run.
  "app/(console)/console/staff/actions.ts#setStaffTwoFactorAction": {
    kind: "action",
    needs: grant("staff.manage"),
    allow: ADMIN_ONLY,
    input: () => form({ required: "off" }),
  },
  "app/(console)/console/staff/actions.ts#signOutEverywhereAction": {
    kind: "action",
    needs: grant("staff.manage"),
    allow: ADMIN_ONLY,
    input: (w) => form({ userId: w.customerUser.id }),
  },

  // No serverId: placement is the provider's rule for portal users (a named server is refused).
  "app/(console)/console/accounts/actions.ts#createAccountAction": {
    kind: "action",
    needs: grant("accounts.write", "object"),
    allow: ["customer", "admin"],
    input: (w) =>
      form({
        customerId: w.customerId,
        localpart: `new${uniq()}`,
        password: "a long xmpp password",
      }),
  },
  // Staff suspend for "staff"; portal users of the account's customer for "customer" only.
  "app/(console)/console/accounts/actions.ts#suspendAccountAction": {
    kind: "action",
    needs: grant("accounts.suspend", "object"),
    allow: OWNER_OR_STAFF,
    input: (w, actor) =>
      form({
        accountId: w.accountId,
        reason: actor?.role === "CUSTOMER" ? "customer" : "staff",
        note: "abuse report",
      }),
  },
  "app/(console)/console/accounts/actions.ts#unsuspendAccountAction": {
    kind: "action",
    needs: grant("accounts.suspend", "object"),
    allow: OWNER_OR_STAFF,
    async input(w, actor) {
      const reason = actor?.role === "CUSTOMER" ? "customer" : "staff";
      await prisma.xmppAccount.update({
        where: { id: w.accountId },
        data: { suspensionReasons: JSON.stringify([reason]), status: "SUSPENDED" },
      });
      return form({ accountId: w.accountId, reason, note: "resolved" });
    },
  },
  "app/(console)/console/accounts/actions.ts#setAccountPasswordAction": {
    kind: "action",
    needs: grant("accounts.password", "object"),
    allow: OWNER_OR_STAFF,
    input: (w) => form({ accountId: w.accountId, password: "another long password" }),
  },
  "app/(console)/console/accounts/actions.ts#kickAccountAction": {
    kind: "action",
    needs: grant("accounts.reset", "object"),
    allow: STAFF,
    input: (w) => form({ accountId: w.accountId }),
  },
  "app/(console)/console/accounts/actions.ts#deleteAccountAction": {
    kind: "action",
    needs: grant("accounts.write", "object"),
    allow: ["customer", "admin"],
    input: (w) => form({ accountId: w.accountId }),
  },
  "app/(console)/console/rooms/actions.ts#createRoomAction": {
    kind: "action",
    needs: grant("rooms.write", "object"),
    allow: ["customer", "admin"],
    input: (w) =>
      form({
        customerId: w.customerId,
        name: `r${uniq()}`,
        title: "Team",
        maxUsers: 20,
        membersOnly: "on",
        members: "a@example.org owner\nb@example.org",
      }),
  },
  "app/(console)/console/rooms/actions.ts#updateRoomAction": {
    kind: "action",
    needs: grant("rooms.write", "object"),
    allow: ["customer", "admin"],
    input: (w) => form({ roomId: w.roomId, title: "Renamed", maxUsers: 30 }),
  },
  "app/(console)/console/rooms/actions.ts#setRoomAffiliationAction": {
    kind: "action",
    needs: grant("rooms.write", "object"),
    allow: ["customer", "admin"],
    input: (w) => form({ roomId: w.roomId, jid: "c@example.org", affiliation: "admin" }),
  },
  "app/(console)/console/rooms/actions.ts#destroyRoomAction": {
    kind: "action",
    needs: grant("rooms.write", "object"),
    allow: ["customer", "admin"],
    input: (w) => form({ roomId: w.roomId }),
  },
  "app/(console)/console/accounts/actions.ts#createResetLinkAction": {
    kind: "action",
    needs: grant("accounts.reset", "object"),
    allow: STAFF,
    input: (w) => form({ accountId: w.accountId, hours: 24, reason: "forgot password" }),
  },
  "app/(console)/console/accounts/actions.ts#withdrawResetLinkAction": {
    kind: "action",
    needs: grant("accounts.reset", "object"),
    allow: STAFF,
    async input(w) {
      const { resetLinkId } = await createResetLink(w.accountId, 24, "forgot password", w.admin);
      return form({ resetLinkId });
    },
  },
  "app/(console)/console/accounts/actions.ts#setTemporaryPasswordAction": {
    kind: "action",
    needs: grant("accounts.reset", "object"),
    allow: STAFF,
    input: (w) => form({ accountId: w.accountId, hours: 4, reason: "phone lost" }),
  },
  "app/(public)/reset/[token]/actions.ts#resetPasswordAction": {
    kind: "token",
    async validInput(w) {
      const { link } = await createResetLink(w.accountId, 24, "test", w.admin);
      return form({
        token: link.split("/").pop()!,
        password: "a brand new password",
        confirm: "a brand new password",
      });
    },
    invalidInput: () =>
      form({
        token: "r".repeat(43),
        password: "a brand new password",
        confirm: "a brand new password",
      }),
  },
  "app/(console)/console/accounts/actions.ts#setRecoveryEmailAction": {
    kind: "action",
    needs: grant("accounts.password", "object"),
    allow: OWNER_OR_STAFF,
    input: (w) => form({ accountId: w.accountId, recoveryEmail: `rec-${uniq()}@example.org` }),
  },
  "app/(public)/account/reset/[token]/actions.ts#completeConsoleResetAction": {
    kind: "token",
    async validInput(w) {
      const token = await issueOneTimeLink({
        purpose: "console-reset",
        ttlHours: 1,
        userId: w.customerUser.id,
        email: w.customerUser.email,
      });
      return form({
        token,
        password: "a reset console passphrase",
        confirm: "a reset console passphrase",
      });
    },
    invalidInput: () =>
      form({
        token: "c".repeat(43),
        password: "a reset console passphrase",
        confirm: "a reset console passphrase",
      }),
  },
  "app/(public)/forgot/actions.ts#requestConsoleResetAction": {
    kind: "public-request",
    knownInput: (w) => form({ email: w.customerUser.email }),
    unknownInput: () => form({ email: `nobody-${uniq()}@parley.test` }),
  },
  "app/(public)/reset/actions.ts#requestAccountResetAction": {
    kind: "public-request",
    async knownInput(w) {
      const account = await prisma.xmppAccount.update({
        where: { id: w.accountId },
        data: { recoveryEmail: "owner@example.org" },
        select: { localpart: true, domain: true },
      });
      return form({ address: `${account.localpart}@${account.domain}` });
    },
    unknownInput: () => form({ address: `nobody${uniq()}@example.org` }),
  },
  "app/(console)/console/outbox/actions.ts#revealEmailLinkAction": {
    kind: "action",
    needs: grant("outbox.read"),
    allow: ADMIN_ONLY,
    async input() {
      const { id } = await sendEmail({
        to: "someone@example.org",
        subject: "Your link",
        text: "http://parley.test/welcome/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
      });
      return form({ emailId: id });
    },
  },
  // Console view lets staff in; each bulk action then needs its own permission (bulk tests).
  "app/(console)/console/bulk/actions.ts#startBulkAction": {
    kind: "action",
    needs: grant("console.view"),
    allow: STAFF,
    input: (w) => form({ action: "accounts.suspend", scope: "selected", ids: w.accountId }),
  },
  "app/(console)/console/bulk/actions.ts#cancelBulkAction": {
    kind: "action",
    needs: grant("console.view"),
    allow: STAFF,
    async input() {
      const op = await bulkOperation("RUNNING");
      return form({ operationId: op.id });
    },
  },
  "app/(console)/console/bulk/actions.ts#retryBulkAction": {
    kind: "action",
    needs: grant("console.view"),
    allow: STAFF,
    async input(w) {
      const op = await bulkOperation("DONE");
      await prisma.bulkItem.create({
        data: { operationId: op.id, position: 0, subjectId: w.accountId, status: "FAILED" },
      });
      return form({ operationId: op.id });
    },
  },
  "app/(console)/console/jobs/actions.ts#retryJobAction": {
    kind: "action",
    needs: grant("jobs.manage"),
    allow: ADMIN_ONLY,
    async input() {
      const job = await prisma.job.create({
        data: {
          type: "account.create",
          payload: {},
          status: "FAILED",
          attempts: 8,
          lastError: "timeout",
        },
      });
      return form({ jobId: job.id });
    },
  },
  "app/(console)/console/jobs/actions.ts#cancelJobAction": {
    kind: "action",
    needs: grant("jobs.manage"),
    allow: ADMIN_ONLY,
    async input() {
      const job = await prisma.job.create({ data: { type: "account.create", payload: {} } });
      return form({ jobId: job.id });
    },
  },

  "app/(console)/console/servers/actions.ts#createServerAction": {
    kind: "action",
    needs: grant("servers.write"),
    allow: ADMIN_ONLY,
    input: () =>
      form({
        name: `Srv ${uniq()}`,
        kind: "EJABBERD",
        domain: `s${uniq()}.test`,
        apiUrl: "http://127.0.0.1:9/api",
        apiToken: "token-0123456789",
      }),
  },
  "app/(console)/console/servers/actions.ts#updateServerAction": {
    kind: "action",
    needs: grant("servers.write"),
    allow: ADMIN_ONLY,
    async input(w) {
      const { domain } = await prisma.server.findUniqueOrThrow({ where: { id: w.serverId } });
      return form({
        id: w.serverId,
        name: `Srv ${uniq()}`,
        kind: "EJABBERD",
        domain,
        apiUrl: "http://127.0.0.1:9/api",
      });
    },
  },
  // Port 9 (discard) is closed on loopback: the test fails fast and is still recorded.
  "app/(console)/console/servers/actions.ts#testConnectionAction": {
    kind: "action",
    needs: grant("servers.write"),
    allow: ADMIN_ONLY,
    expectFailure: true,
    input: (w) => form({ id: w.serverId }),
  },
  "app/(console)/console/servers/actions.ts#approveHostKeyAction": {
    kind: "action",
    needs: grant("servers.write"),
    allow: ADMIN_ONLY,
    async input(w) {
      const fingerprint = `SHA256:${"A".repeat(43)}`;
      await prisma.server.update({
        where: { id: w.serverId },
        data: { sshHostKeyPending: fingerprint },
      });
      return form({ id: w.serverId, fingerprint });
    },
  },
  "app/(console)/console/servers/actions.ts#reconcileServerAction": {
    kind: "action",
    needs: grant("servers.write"),
    allow: ADMIN_ONLY,
    input: (w) => form({ id: w.serverId, mode: "dry-run" }),
  },

  "app/_components/invites/actions.ts#createInviteAction": {
    kind: "action",
    needs: grant("invites.write", "object"),
    allow: OWNER_OR_STAFF,
    input: (w) =>
      form({
        customerId: w.customerId,
        kind: "ROOM",
        roomId: w.roomId,
        maxUses: 3,
        expiry: "1d",
        note: "team",
      }),
  },
  "app/_components/invites/actions.ts#reissueInviteAction": {
    kind: "action",
    needs: grant("invites.write", "object"),
    allow: OWNER_OR_STAFF,
    async input(w) {
      const { inviteId } = await createInvite(
        { customerId: w.customerId, kind: "ACCOUNT", maxUses: 1, expiry: "7d", note: "" },
        w.admin,
      );
      return form({ inviteId });
    },
  },
  "app/_components/invites/actions.ts#revokeInviteAction": {
    kind: "action",
    needs: grant("invites.write", "object"),
    allow: OWNER_OR_STAFF,
    async input(w) {
      const { inviteId } = await createInvite(
        { customerId: w.customerId, kind: "ACCOUNT", maxUses: 1, expiry: "7d", note: "" },
        w.admin,
      );
      return form({ inviteId });
    },
  },
  "app/(public)/invite/[token]/actions.ts#redeemInviteAction": {
    kind: "token",
    async validInput(w) {
      const { token } = await createInvite(
        { customerId: w.customerId, kind: "ACCOUNT", maxUses: 1, expiry: "7d", note: "" },
        w.admin,
      );
      return form({
        token,
        localpart: `joiner${uniq()}`,
        password: "a long password 123",
        confirm: "a long password 123",
      });
    },
    invalidInput: () =>
      form({
        token: "z".repeat(43),
        localpart: `joiner${uniq()}`,
        password: "a long password 123",
        confirm: "a long password 123",
      }),
  },

  "app/(console)/console/policies/actions.ts#createPolicyAction": {
    kind: "action",
    needs: grant("policies.write"),
    allow: ADMIN_ONLY,
    input: () =>
      form({
        name: `Policy ${uniq()}`,
        mamRetentionDays: 30,
        mucRetentionDays: 14,
        uploadExpiryDays: 7,
        noIpLogging: "on",
        noPasswordLogging: "on",
        maxLogLevel: "warning",
        forbiddenModules: "mod_fail2ban",
      }),
  },
  "app/(console)/console/policies/actions.ts#updatePolicyAction": {
    kind: "action",
    needs: grant("policies.write"),
    allow: ADMIN_ONLY,
    async input() {
      const policy = await prisma.privacyPolicy.create({
        data: { name: `P ${uniq()}`, mamRetentionDays: 7, mucRetentionDays: 7 },
      });
      return form({
        id: policy.id,
        name: `P ${uniq()}`,
        mamRetentionDays: 30,
        mucRetentionDays: 30,
        uploadExpiryDays: 3,
        maxLogLevel: "error",
        forbiddenModules: "",
      });
    },
  },
  "app/(console)/console/policies/actions.ts#assignPolicyAction": {
    kind: "action",
    needs: grant("policies.write"),
    allow: ADMIN_ONLY,
    async input(w) {
      const policy = await prisma.privacyPolicy.create({
        data: { name: `P ${uniq()}`, mamRetentionDays: 30, mucRetentionDays: 30 },
      });
      return form({ serverId: w.serverId, policyId: policy.id });
    },
  },

  "app/(console)/console/policies/actions.ts#complianceAction": {
    kind: "action",
    needs: grant("policies.write"),
    allow: ADMIN_ONLY,
    async input(w) {
      const policy = await prisma.privacyPolicy.create({
        data: { name: `P ${uniq()}`, mamRetentionDays: 30, mucRetentionDays: 30 },
      });
      await prisma.server.update({
        where: { id: w.serverId },
        data: { policyId: policy.id, includePath: "/etc/ejabberd/parley.yml" },
      });
      return form({ serverId: w.serverId, what: "verify" });
    },
  },
  "app/(console)/console/servers/[id]/compliance/actions.ts#shareReportAction": {
    kind: "action",
    needs: grant("policies.write"),
    allow: ADMIN_ONLY,
    async input(w) {
      return form({ checkId: (await finishedCheck(w)).id, days: 30 });
    },
  },
  "app/(console)/console/servers/[id]/compliance/actions.ts#revokeShareLinkAction": {
    kind: "action",
    needs: grant("policies.write"),
    allow: ADMIN_ONLY,
    async input(w) {
      const check = await finishedCheck(w);
      const link = await prisma.complianceShareLink.create({
        data: {
          checkId: check.id,
          serverId: w.serverId,
          tokenHash: `h-${uniq()}`,
          expiresAt: new Date(Date.now() + 86_400_000),
        },
      });
      return form({ linkId: link.id });
    },
  },

  "app/(console)/console/servers/[id]/compliance/actions.ts#evaluateNowAction": {
    kind: "action",
    needs: grant("policies.write"),
    allow: ADMIN_ONLY,
    async input(w) {
      await prisma.server.update({
        where: { id: w.serverId },
        data: { xmppHost: "127.0.0.1", c2sPort: 5222 },
      });
      return form({ serverId: w.serverId });
    },
  },
  // The provider file's stated facts: the install's, and one server's own.
  "app/(console)/console/provider-file/actions.ts#saveProviderFactsAction": {
    kind: "action",
    needs: grant("servers.write"),
    allow: ADMIN_ONLY,
    input: () => form(providerFacts()),
  },
  "app/(console)/console/provider-file/actions.ts#saveServerProviderFactsAction": {
    kind: "action",
    needs: grant("servers.write"),
    allow: ADMIN_ONLY,
    input: (w) => form({ serverId: w.serverId, busFactor: 3, serverTesting: "no" }),
  },

  // Billing is off in these tests (no STRIPE_SECRET_KEY): allowed callers get past the checks and
  // are told so; the Stripe calls themselves are tested against the Stripe test double.
  "app/(console)/console/customers/actions.ts#createCheckoutLinkAction": {
    kind: "action",
    needs: grant("billing.read"),
    allow: ADMIN_ONLY,
    expectFailure: true,
    audited: false,
    input: (w) => form({ customerId: w.customerId, planId: w.planId }),
  },
  "app/(portal)/portal/billing/actions.ts#openBillingPortalAction": {
    kind: "action",
    needs: grant("billing.portal", "own"),
    allow: ["otherCustomer", "customer"],
    expectFailure: true,
    audited: false,
    input: () => form({}),
  },

  // Public sign-up: anyone may call it; with sign-up off (as here) everyone is told so.
  "app/(public)/signup/actions.ts#startSignupAction": {
    kind: "action",
    needs: "public",
    allow: [...CALLERS],
    expectFailure: true,
    audited: false,
    input: (w) =>
      form({
        name: "New Family",
        kind: "FAMILY",
        email: `new-${uniq()}@parley.test`,
        planId: w.planId,
      }),
  },

  // A portal user closes or restores its own customer; staff do not (no id is accepted).
  "app/(portal)/portal/service/actions.ts#closeServiceAction": {
    kind: "action",
    needs: grant("service.close", "own"),
    allow: ["otherCustomer", "customer"],
    input: () => form({ confirm: "CLOSE" }),
  },
  "app/(portal)/portal/service/actions.ts#restoreServiceAction": {
    kind: "action",
    needs: grant("service.close", "own"),
    allow: ["otherCustomer", "customer"],
    async input(w, actor) {
      if (actor?.customerId)
        await prisma.customer.update({
          where: { id: actor.customerId },
          data: { status: "CLOSING", closingAt: new Date(Date.now() + 86_400_000) },
        });
      return form({});
    },
  },

  // Self-service: every signed-in user acts on their own sign-in only (no ids in the input).
  "app/_components/security/actions.ts#startTwoFactorAction": {
    kind: "action",
    needs: grant("self.manage", "own"),
    allow: SIGNED_IN,
    input: () => form({}),
  },
  "app/_components/security/actions.ts#confirmTwoFactorAction": {
    kind: "action",
    needs: grant("self.manage", "own"),
    allow: SIGNED_IN,
    async input(_w, actor) {
      if (!actor) return form({ code: "123456" });
      return form({ code: await generate({ secret: await startTwoFactorEnrollment(actor) }) });
    },
  },
  "app/_components/security/actions.ts#regenerateRecoveryCodesAction": {
    kind: "action",
    needs: grant("self.manage", "own"),
    allow: SIGNED_IN,
    async input(_w, actor) {
      if (actor) await enrolled(actor);
      return form({ password: FIXTURE_PASSWORD });
    },
  },
  "app/_components/security/actions.ts#changePasswordAction": {
    kind: "action",
    needs: grant("self.manage", "own"),
    allow: SIGNED_IN,
    input: () =>
      form({
        current: FIXTURE_PASSWORD,
        password: "a new long passphrase 42",
        confirm: "a new long passphrase 42",
      }),
  },
  "app/_components/security/actions.ts#markNotificationsReadAction": {
    kind: "action",
    needs: grant("self.manage", "own"),
    allow: SIGNED_IN,
    input: () => form({}),
  },

  "app/(public)/setup/[token]/actions.ts#createFirstAdminAction": {
    kind: "token",
    async validInput() {
      await prisma.user.deleteMany({ where: { role: "ADMIN" } });
      const token = await issueFirstAdminLink();
      const password = "first admin passphrase 1";
      return form({
        token: token!,
        name: "First",
        email: `first-${uniq()}@parley.test`,
        password,
        confirm: password,
      });
    },
    invalidInput: () =>
      form({
        token: "x".repeat(43),
        name: "First",
        email: `first-${uniq()}@parley.test`,
        password: "first admin passphrase 1",
        confirm: "first admin passphrase 1",
      }),
  },
  "app/(public)/welcome/[token]/actions.ts#acceptWelcomeAction": {
    kind: "token",
    async validInput(w) {
      const { link } = await inviteUser(
        { name: "Invitee", email: `w-${uniq()}@parley.test`, role: "SUPPORT" },
        w.admin,
      );
      const password = "welcome passphrase 12";
      return form({ token: link.split("/").pop()!, name: "Invitee", password, confirm: password });
    },
    invalidInput: () =>
      form({
        token: "y".repeat(43),
        name: "Invitee",
        password: "welcome passphrase 12",
        confirm: "welcome passphrase 12",
      }),
  },

  // Public for holders of a valid invite only; an unknown token learns nothing.
  "app/api/invites/[token]/username/route.ts#GET": {
    kind: "route",
    access: "public",
    via: "direct",
    request: () =>
      new Request(`http://parley.test/api/invites/${"q".repeat(43)}/username?name=alice`),
    context: () => ({ params: Promise.resolve({ token: "q".repeat(43) }) }),
    expectStatus: 404,
  },
  // A bulk operation's progress, for staff whose role could start it.
  "app/(console)/console/bulk/[id]/progress/route.ts#GET": {
    kind: "route",
    access: "signed-in",
    needs: grant("console.view"),
    via: "direct",
    request: () => new Request("http://parley.test/console/bulk/x/progress"),
    context: () => ({ params: bulkOperation("RUNNING").then((op) => ({ id: op.id })) }),
    expectStatus: 200,
    expectStatusFor: { anonymous: 401, otherCustomer: 403, customer: 403 },
  },
  // CSV imports: each kind's upload, import and discard need that kind's write permission.
  ...importEntries("customers", "customers.write", () =>
    csvFile(`name,contactEmail\r\nImported ${uniq()},imp-${uniq()}@parley.test\r\n`),
  ),
  ...importEntries("accounts", "accounts.write", (w) =>
    csvFile(`customer,localpart\r\n${w.customerId},imp${uniq()}\r\n`),
  ),
  // CSV export of a console list (customers here; each table names its own permission).
  "app/(console)/console/export/[table]/route.ts#GET": {
    kind: "route",
    access: "signed-in",
    needs: grant("customers.read"),
    via: "direct",
    request: () => new Request("http://parley.test/console/export/customers?status=ACTIVE"),
    context: () => ({ params: Promise.resolve({ table: "customers" }) }),
    expectStatus: 200,
    expectStatusFor: { anonymous: 401, otherCustomer: 403, customer: 403 },
  },
  // A portal user's own export; everyone else is refused.
  "app/api/portal/export/route.ts#GET": {
    kind: "route",
    access: "signed-in",
    needs: grant("customers.export", "own"),
    via: "direct",
    request: () => new Request("http://parley.test/api/portal/export"),
    expectStatus: 200,
    expectStatusFor: { anonymous: 401, support: 403, admin: 403 },
  },
  // A server's provider file as a download, for staff who see servers.
  "app/(console)/console/servers/[id]/provider-file/download/route.ts#GET": {
    kind: "route",
    access: "signed-in",
    needs: grant("servers.read"),
    via: "direct",
    request: () => new Request("http://parley.test/console/servers/x/provider-file/download"),
    context: () => ({
      params: prisma.server
        .create({ data: { name: `Srv ${uniq()}`, kind: "PROSODY", domain: `p${uniq()}.test` } })
        .then((s) => ({ id: s.id })),
    }),
    expectStatus: 200,
    expectStatusFor: { anonymous: 401, otherCustomer: 403, customer: 403 },
  },
  // Public by design: the provider file at its well-known address (rewritten to the handler, so
  // it is checked over HTTP); a domain Parley does not serve is 404 for everyone.
  "app/api/provider-file/route.ts#GET": {
    kind: "route",
    access: "public",
    via: "http",
    request: () =>
      new Request("http://parley.test/.well-known/xmpp-provider-v2.json?domain=nowhere.test"),
    expectStatus: 404,
    expectBody: (body) => body.includes("No provider file for this domain"),
  },
  // Public by design: reachability and version only.
  "app/api/health/route.ts#GET": {
    kind: "route",
    access: "public",
    via: "direct",
    request: () => new Request("http://parley.test/api/health"),
    expectStatus: 200,
  },
  // Public by design: Stripe's signature is the authorization. Signed with a different secret
  // than the configured one, nobody gets in (tests/integration/stripe-webhook.test.ts covers the rest).
  "app/api/webhooks/stripe/route.ts#POST": {
    kind: "route",
    access: "public",
    via: "direct",
    request: () => {
      // The endpoint answers 503 while billing is off; configure a secret so the signature check runs.
      process.env.STRIPE_WEBHOOK_SECRET ||= "whsec_access_table_configured";
      return new Request("http://parley.test/api/webhooks/stripe", {
        method: "POST",
        body: '{"id":"evt_x","object":"event","type":"invoice.paid","created":1}',
        headers: {
          "stripe-signature":
            "t=1,v1=0000000000000000000000000000000000000000000000000000000000000000",
        },
      });
    },
    expectStatus: 400,
  },
  // next-auth's own endpoints: CSRF-protected; credentials are checked by lib/auth/sign-in.ts.
  "app/api/auth/[...nextauth]/route.ts#GET": {
    kind: "route",
    access: "public",
    via: "http",
    request: () => new Request("http://parley.test/api/auth/providers"),
    expectStatus: 200,
    expectBody: (body) => body.includes('"credentials"'),
  },
  "app/api/auth/[...nextauth]/route.ts#POST": {
    kind: "route",
    access: "public",
    via: "http",
    // Without next-auth's CSRF token a credentials post signs nobody in.
    request: () =>
      new Request("http://parley.test/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: "x@parley.test", password: "y" }),
      }),
    expectStatus: 302,
  },
};
