import type { Metadata } from "next";
import { guardPage } from "@/lib/auth/page-guard";
import { listLockedPortalUsers, listStaff } from "@/lib/users/queries";
import { staffTwoFactorRequired } from "@/lib/settings/install-settings";
import { now } from "@/core/clock";
import { ActionForm, Field } from "@/app/_components/form";
import { Badge, Card, PageHeader, formatDateTime } from "@/app/_components/ui";
import {
  changeStaffRoleAction,
  inviteStaffAction,
  resetTwoFactorAction,
  setStaffTwoFactorAction,
  setUserDisabledAction,
  signOutEverywhereAction,
  unlockUserAction,
} from "./actions";

export const metadata: Metadata = { title: "Staff" };

export default async function StaffPage() {
  const me = await guardPage("staff.manage", "/console/staff");
  const [staff, lockedPortalUsers, twoFactorRequired] = await Promise.all([
    listStaff(),
    listLockedPortalUsers(),
    staffTwoFactorRequired(),
  ]);
  return (
    <>
      <PageHeader
        title="Staff"
        description="Admins manage everything; support staff find and fix accounts without seeing billing."
      />
      <div className="space-y-6">
        <Card title="Two-factor sign-in for staff">
          <p className="mb-3 text-sm" data-testid="staff-two-factor-setting">
            {twoFactorRequired
              ? "Required: staff without two-factor sign-in can only set it up; nothing else in the console works for them until they do."
              : "Optional: staff are reminded to set up two-factor sign-in, but can work without it."}
          </p>
          <ActionForm
            action={setStaffTwoFactorAction}
            submit={twoFactorRequired ? "Make it optional" : "Require it for all staff"}
            variant={twoFactorRequired ? "danger" : "primary"}
            hidden={{ required: twoFactorRequired ? "off" : "on" }}
            className="space-y-2"
          />
        </Card>
        <ul className="space-y-3">
          {staff.map((s) => {
            const locked = s.lockedUntil && s.lockedUntil > now();
            return (
              <li
                key={s.id}
                className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
                data-testid={`staff-${s.email}`}
              >
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{s.name}</span>
                  <span className="text-sm text-slate-500">{s.email}</span>
                  <Badge color={s.role === "ADMIN" ? "indigo" : "slate"}>
                    {s.role.toLowerCase()}
                  </Badge>
                  {s.totpEnabledAt ? (
                    <Badge color="green">2FA on</Badge>
                  ) : (
                    <Badge color="amber">no 2FA</Badge>
                  )}
                  {s.disabledAt ? <Badge color="red">disabled</Badge> : null}
                  {locked ? (
                    <Badge color="amber">locked until {formatDateTime(s.lockedUntil)}</Badge>
                  ) : null}
                  <span className="ml-auto text-xs text-slate-500">
                    last sign-in {formatDateTime(s.lastLoginAt)}
                  </span>
                </div>
                {s.id !== me.id ? (
                  <div className="mt-3 flex flex-wrap gap-2">
                    {locked ? (
                      <ActionForm
                        action={unlockUserAction}
                        submit="Unlock"
                        variant="secondary"
                        hidden={{ userId: s.id }}
                        className="flex gap-2"
                      />
                    ) : null}
                    <ActionForm
                      action={changeStaffRoleAction}
                      submit={s.role === "ADMIN" ? "Make support" : "Make admin"}
                      variant="secondary"
                      hidden={{ userId: s.id, role: s.role === "ADMIN" ? "SUPPORT" : "ADMIN" }}
                      className="flex gap-2"
                    />
                    <ActionForm
                      action={setUserDisabledAction}
                      submit={s.disabledAt ? "Enable" : "Disable"}
                      variant={s.disabledAt ? "secondary" : "danger"}
                      hidden={{ userId: s.id, disabled: s.disabledAt ? "false" : "true" }}
                      className="flex gap-2"
                      confirm={
                        s.disabledAt ? undefined : `Disable ${s.email}? Their sessions end at once.`
                      }
                    />
                    {s.totpEnabledAt ? (
                      <ActionForm
                        action={resetTwoFactorAction}
                        submit="Reset 2FA"
                        variant="secondary"
                        hidden={{ userId: s.id }}
                        className="flex gap-2"
                        confirm="Reset their two-factor sign-in? Use this when they lost their phone and recovery codes."
                      />
                    ) : null}
                    <ActionForm
                      action={signOutEverywhereAction}
                      submit="Sign out everywhere"
                      variant="secondary"
                      hidden={{ userId: s.id }}
                      className="flex gap-2"
                    />
                  </div>
                ) : (
                  <p className="mt-2 text-xs text-slate-500">This is you.</p>
                )}
              </li>
            );
          })}
        </ul>
        {lockedPortalUsers.length > 0 ? (
          <Card title="Locked portal users">
            <ul className="space-y-2 text-sm">
              {lockedPortalUsers.map((u) => (
                <li key={u.id} className="flex flex-wrap items-center gap-2">
                  <span>
                    {u.name}{" "}
                    <span className="text-slate-500">
                      {u.email} · {u.customer?.name}
                    </span>
                  </span>
                  <Badge color="amber">until {formatDateTime(u.lockedUntil)}</Badge>
                  <ActionForm
                    action={unlockUserAction}
                    submit="Unlock"
                    variant="secondary"
                    hidden={{ userId: u.id }}
                    className="flex gap-2"
                  />
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
        <Card title="Invite a staff member">
          <ActionForm action={inviteStaffAction} submit="Send invitation">
            <div className="grid gap-4 sm:grid-cols-3">
              <Field label="Name" name="name" required />
              <Field label="Email" name="email" type="email" required />
              <Field
                label="Role"
                name="role"
                defaultValue="SUPPORT"
                options={[
                  { value: "SUPPORT", label: "Support" },
                  { value: "ADMIN", label: "Admin" },
                ]}
              />
            </div>
          </ActionForm>
        </Card>
      </div>
    </>
  );
}
