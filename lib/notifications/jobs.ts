import nodemailer from "nodemailer";
import { getConfig } from "@/core/config";
import { now } from "@/core/clock";
import type { JobTypes } from "@/lib/jobs/job-types";
import type { JobHandlers } from "@/provisioning/queue/registry";
import { DROP_SEALED, emailBody } from "./send-email";

// Delivers one outbox email over SMTP. The outbox row shows the last error while the job
// retries; once delivered, the sealed copy (the only one holding the links) is dropped.
export const emailJobs: JobHandlers<JobTypes, "email.send"> = {
  "email.send": {
    async handle(ctx) {
      const email = await ctx.db.outboxEmail.findUnique({ where: { id: ctx.payload.emailId } });
      if (!email) return { skipped: "email deleted" };
      if (email.sentAt) return { skipped: "already sent" };
      const { smtpUrl, mailFrom } = getConfig();
      if (!smtpUrl) return { skipped: "SMTP is not configured; the email stays in the outbox" };
      const body = emailBody(email);
      if (!body.complete) {
        const error = "Its one-time link expired before it could be delivered; issue a new one.";
        await ctx.db.outboxEmail.update({
          where: { id: email.id },
          data: { error, ...DROP_SEALED },
        });
        return { skipped: "link expired" };
      }
      try {
        await nodemailer
          .createTransport(smtpUrl)
          .sendMail({ from: mailFrom, to: email.to, subject: email.subject, text: body.text });
      } catch (error) {
        const message = String((error as Error).message).slice(0, 500);
        await ctx.db.outboxEmail.update({ where: { id: email.id }, data: { error: message } });
        throw error;
      }
      await ctx.db.outboxEmail.update({
        where: { id: email.id },
        data: { sentAt: now(), error: null, ...DROP_SEALED },
      });
      return { sent: email.id };
    },
  },
};
