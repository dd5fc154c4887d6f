import nodemailer from "nodemailer";
import { getConfig } from "@/core/config";
import { now } from "@/core/clock";
import type { JobTypes } from "@/lib/jobs/job-types";
import type { JobHandlers } from "@/provisioning/queue/registry";
import { redactLinks } from "./send-email";

// Delivers one outbox email over SMTP. The outbox row shows the last error while the job
// retries; once delivered, one-time links are removed from the stored copy.
export const emailJobs: JobHandlers<JobTypes, "email.send"> = {
  "email.send": {
    async handle(ctx) {
      const email = await ctx.db.outboxEmail.findUnique({ where: { id: ctx.payload.emailId } });
      if (!email) return { skipped: "email deleted" };
      if (email.sentAt) return { skipped: "already sent" };
      const { smtpUrl, mailFrom } = getConfig();
      if (!smtpUrl) return { skipped: "SMTP is not configured; the email stays in the outbox" };
      try {
        await nodemailer
          .createTransport(smtpUrl)
          .sendMail({ from: mailFrom, to: email.to, subject: email.subject, text: email.text });
      } catch (error) {
        const message = String((error as Error).message).slice(0, 500);
        await ctx.db.outboxEmail.update({ where: { id: email.id }, data: { error: message } });
        throw error;
      }
      await ctx.db.outboxEmail.update({
        where: { id: email.id },
        data: { sentAt: now(), error: null, text: redactLinks(email.text) },
      });
      return { sent: email.id };
    },
  },
};
