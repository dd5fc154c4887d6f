import type { JobTypes } from "@/lib/jobs/job-types";
import type { JobHandlers } from "@/provisioning/queue/registry";
import { sendConsoleResetLink } from "@/lib/console-password-reset/by-email";
import { sendChatResetLink } from "@/lib/chat-password-reset/by-owner";

// Reset requests queued by /forgot and /reset: the address arrives sealed and is wiped when the
// job ends; the result says nothing about whether anyone was found.
export const resetRequestJobs: JobHandlers<
  JobTypes,
  "console-reset.request" | "account-reset.request"
> = {
  "console-reset.request": {
    maxAttempts: 3,
    async handle(ctx) {
      if (ctx.secret) await sendConsoleResetLink(ctx.secret);
      return { handled: true };
    },
  },
  "account-reset.request": {
    maxAttempts: 3,
    async handle(ctx) {
      if (ctx.secret) await sendChatResetLink(ctx.secret);
      return { handled: true };
    },
  },
};
