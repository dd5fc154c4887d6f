import { z } from "zod";
import { isValidDomain } from "@/provisioning/names";
import { emptyToUndefined } from "@/lib/validation/common";

const ZDomain = z
  .string()
  .trim()
  .toLowerCase()
  .refine(isValidDomain, "Enter a domain like chat.example.org");
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(emptyToUndefined, schema.optional());

// Where the live evaluation connects: a host name or an IP address (four numbers must be one).
const HOST_MESSAGE = "Enter a host name or an IP address, e.g. 127.0.0.1";
const ZHost = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .refine(
    (v) =>
      z.ipv4().safeParse(v).success ||
      z.ipv6().safeParse(v).success ||
      (!/^[\d.]+$/.test(v) && isValidDomain(v)),
    HOST_MESSAGE,
  );
const ZPort = z.coerce
  .number({ error: "Enter a port number" })
  .int("Enter a port number")
  .min(1, "Ports are 1 to 65535")
  .max(65535, "Ports are 1 to 65535");
export const LIVE_PORTS = ["c2sPort", "c2sDirectTlsPort", "s2sPort", "s2sDirectTlsPort"] as const;

export const ZServerInput = z
  .object({
    name: z.string().trim().min(2, "Give the server a name").max(80),
    kind: z.enum(["EJABBERD", "PROSODY"], { message: "Choose ejabberd or Prosody" }),
    domain: ZDomain,
    mucDomain: optional(ZDomain),
    transport: z.enum(["LOCAL", "SSH"]).default("LOCAL"),
    // ejabberd
    apiUrl: optional(
      z.url({ message: "Enter the mod_http_api URL, e.g. http://127.0.0.1:5280/api" }),
    ),
    apiToken: optional(z.string().min(8, "That token looks too short").max(512)),
    // Prosody
    prosodyConfigPath: optional(z.string().trim().startsWith("/", "Use an absolute path").max(500)),
    prosodyctlCommand: optional(z.string().trim().max(200)),
    // SSH
    sshHost: optional(z.string().trim().max(253)),
    sshPort: optional(z.coerce.number().int().min(1).max(65535)),
    sshUser: optional(
      z
        .string()
        .trim()
        .regex(/^[a-z_][a-z0-9_-]*$/i, "Enter a Unix user name")
        .max(32),
    ),
    sshPrivateKey: optional(
      z
        .string()
        .trim()
        .includes("PRIVATE KEY", { message: "Paste an OpenSSH private key" })
        .max(16_000),
    ),
    sshHostKeySha256: optional(
      z
        .string()
        .trim()
        .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "Use the form SHA256:… as printed by ssh-keygen -lf"),
    ),
    // Where Parley keeps its include file and reads the log, on the server's machine.
    includePath: optional(z.string().trim().startsWith("/", "Use an absolute path").max(500)),
    logPath: optional(z.string().trim().startsWith("/", "Use an absolute path").max(500)),
    mainConfigPath: optional(z.string().trim().startsWith("/", "Use an absolute path").max(500)),
    isDefault: z
      .preprocess((v) => v === "on" || v === "true" || v === true, z.boolean())
      .default(false),
    // The live evaluation (as a client and as another server would connect).
    xmppHost: optional(ZHost),
    c2sPort: optional(ZPort),
    c2sDirectTlsPort: optional(ZPort),
    s2sPort: optional(ZPort),
    s2sDirectTlsPort: optional(ZPort),
  })
  .superRefine((v, ctx) => {
    if (v.kind === "EJABBERD" && !v.apiUrl)
      ctx.addIssue({
        code: "custom",
        path: ["apiUrl"],
        message: "ejabberd needs its mod_http_api URL",
      });
    if (v.kind === "PROSODY" && !v.prosodyConfigPath)
      ctx.addIssue({
        code: "custom",
        path: ["prosodyConfigPath"],
        message: "Prosody needs the path of its configuration file",
      });
    if (v.transport === "SSH" && !v.sshHost)
      ctx.addIssue({ code: "custom", path: ["sshHost"], message: "Enter the SSH host" });
    const ports = LIVE_PORTS.filter((p) => v[p] !== undefined);
    if (ports.length && !v.xmppHost)
      ctx.addIssue({
        code: "custom",
        path: ["xmppHost"],
        message: "Enter the address the ports are reached at",
      });
    for (const [i, p] of ports.entries())
      if (ports.slice(0, i).some((q) => v[q] === v[p]))
        ctx.addIssue({ code: "custom", path: [p], message: "Each port can be entered once" });
  });

export type TServerInput = z.infer<typeof ZServerInput>;
