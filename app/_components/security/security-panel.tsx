import { ActionForm, Field, NewPasswordFields } from "@/app/_components/form";
import { Banner, Card } from "@/app/_components/ui";
import { totpEnrollmentPicture } from "@/lib/auth/totp";
import { pendingTwoFactorSecret } from "@/lib/users/two-factor";
import { remainingRecoveryCodes } from "@/lib/users/queries";
import type { SessionUser } from "@/lib/auth/session";
import {
  changePasswordAction,
  confirmTwoFactorAction,
  regenerateRecoveryCodesAction,
  startTwoFactorAction,
} from "./actions";

export async function SecurityPanel({
  user,
  prompt,
  required = false,
}: {
  user: SessionUser;
  prompt: boolean;
  // Admins require staff two-factor and this user has none yet: nothing else works until then.
  required?: boolean;
}) {
  const pending = user.totpEnabled ? null : await pendingTwoFactorSecret(user.id);
  const picture = pending ? await totpEnrollmentPicture(user.email, pending) : null;
  const remaining = user.totpEnabled ? await remainingRecoveryCodes(user.id) : 0;
  return (
    <div className="space-y-6">
      {required ? (
        <Banner color="red" testId="enrol-required">
          Two-factor sign-in is required for staff. Set it up below to continue: until then, this is
          the only page of the console you can use.
        </Banner>
      ) : prompt && !user.totpEnabled ? (
        <Banner testId="enrol-prompt">
          Staff accounts reach customer data: set up two-factor sign-in now. Once on, every sign-in
          asks for a code.
        </Banner>
      ) : null}
      <Card title="Two-factor sign-in">
        {user.totpEnabled ? (
          <div className="space-y-4 text-sm">
            <p data-testid="two-factor-on">
              On. Each sign-in asks for a code from your authenticator app. {remaining} unused
              recovery code{remaining === 1 ? "" : "s"} left.
            </p>
            <ActionForm
              action={regenerateRecoveryCodesAction}
              submit="Make new recovery codes"
              variant="secondary"
            >
              <Field
                label="Current password"
                name="password"
                type="password"
                required
                autoComplete="current-password"
              />
            </ActionForm>
          </div>
        ) : picture && pending ? (
          <div className="grid gap-6 sm:grid-cols-[200px_1fr]">
            <div
              className="rounded-lg border border-slate-200 bg-white p-2"
              role="img"
              aria-label="QR code for your authenticator app"
              dangerouslySetInnerHTML={{ __html: picture.qrSvg }}
            />
            <div className="space-y-4 text-sm">
              <p>
                Scan the code with an authenticator app (for example Aegis, FreeOTP or your password
                manager). Cannot scan? Enter this key:
              </p>
              <code
                className="block break-all rounded bg-slate-100 px-2 py-1 font-mono"
                data-testid="totp-secret"
              >
                {pending}
              </code>
              <ActionForm action={confirmTwoFactorAction} submit="Turn on">
                <Field label="6-digit code" name="code" required autoComplete="one-time-code" />
              </ActionForm>
            </div>
          </div>
        ) : (
          <div className="space-y-3 text-sm">
            <p>
              Off. Add a second step to sign-in with a time-based code from an app on your phone.
            </p>
            <ActionForm action={startTwoFactorAction} submit="Set up two-factor sign-in" />
          </div>
        )}
      </Card>
      <Card title="Password">
        <ActionForm action={changePasswordAction} submit="Change password">
          <div className="grid gap-4 sm:grid-cols-3">
            <Field
              label="Current password"
              name="current"
              type="password"
              required
              autoComplete="current-password"
            />
            <NewPasswordFields label="New password" />
          </div>
        </ActionForm>
      </Card>
    </div>
  );
}
