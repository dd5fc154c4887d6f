import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";

export type ReceivedMail = { to: string[]; raw: string };
export type SmtpSink = { url: string; mails: ReceivedMail[]; stop: () => Promise<void> };

// A real SMTP server (nodemailer's smtp-server) on loopback that keeps what it receives.
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// The first link in a mail body, undoing quoted-printable soft line breaks.
export function linkIn(mail: ReceivedMail, path: string): string | undefined {
  const body = mail.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  return body.match(new RegExp(`https?://\\S+${path}/[A-Za-z0-9_-]+`))?.[0];
}
