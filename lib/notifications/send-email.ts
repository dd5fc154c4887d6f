import "server-only";
import nodemailer from "nodemailer";
import { prisma } from "@/core/db";
import { getConfig } from "@/core/config";
import { now } from "@/core/clock";

export type Email = { to: string; subject: string; text: string };

export function smtpConfigured(): boolean {
  return Boolean(getConfig().smtpUrl);
}

// Every email is written to the outbox first; with SMTP configured it is then sent
// (nodemailer) and the row records the outcome, so nothing is lost if SMTP is down.
export async function sendEmail(email: Email): Promise<{ id: string; sent: boolean }> {
  const { smtpUrl, mailFrom } = getConfig();
  const row = await prisma.outboxEmail.create({
    data: { to: email.to, subject: email.subject, text: email.text, transport: smtpUrl ? "smtp" : "outbox", createdAt: now() },
    select: { id: true },
  });
  if (!smtpUrl) return { id: row.id, sent: false };
  try {
    await nodemailer.createTransport(smtpUrl).sendMail({ from: mailFrom, to: email.to, subject: email.subject, text: email.text });
    // Once delivered, one-time links are removed from the stored copy: only their hashes stay in Parley.
    await prisma.outboxEmail.update({ where: { id: row.id }, data: { sentAt: now(), text: redactLinks(email.text) } });
    return { id: row.id, sent: true };
  } catch (error) {
    await prisma.outboxEmail.update({ where: { id: row.id }, data: { error: String((error as Error).message).slice(0, 500) } });
    return { id: row.id, sent: false };
  }
}

export function redactLinks(text: string): string {
  return text.replace(/https?:\/\/\S+\/(welcome|invite|reset|setup)\/[A-Za-z0-9_-]+/g, "[one-time link removed after delivery]");
}
