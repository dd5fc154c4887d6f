import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import {
  defaultGeneration,
  generationRoot,
  INSTALL_BACKPORTS,
  multiarchLib,
  type ServerGeneration,
} from "./generation";
import { commandPath, parseRelease } from "../../provisioning/servers/ejabberd/release";
import { freePort } from "./ports";
import { startProcess, type Started } from "./processes";

// A throwaway ejabberd node for tests and `npm run demo:server`: foreground `erl` without
// distribution (no epmd, no cookie), loopback only, its own temp dir with config, spool and log,
// stopped by PID. Debian 12's ejabberd 23.01, or bookworm-backports' 24.x from the private
// prefix (generation.ts): the same Erlang/OTP 25 with that release's code first in ERL_LIBS.

const ERL = "/usr/bin/erl";
const APT = "DEBIAN_FRONTEND=noninteractive apt-get install -y ejabberd erlang-p1-oauth2";
const SUSPENDED_GROUP = "suspended";

type Release = { erlLibs: string; version: string };

function findRelease(generation: ServerGeneration): Release {
  const install = generation === "debian" ? APT : INSTALL_BACKPORTS;
  if (!existsSync(ERL)) throw new Error(`ejabberd tests need Erlang (${ERL} is missing): ${APT}`);
  const root = generationRoot(generation);
  const lib = multiarchLib(root);
  // "ejabberd-23.01-1" beside its alias "ejabberd-23.01": the longest name carries the revision.
  const dir = lib
    ? readdirSync(lib)
        .filter((d) => /^ejabberd-\d/.test(d))
        .sort((a, b) => b.length - a.length)[0]
    : undefined;
  if (!lib || !dir) throw new Error(`ejabberd is not installed under ${root}: ${install}`);
  const erlangLib = path.join(root, "usr/lib/erlang/lib");
  if (!readdirSync(erlangLib).some((d) => d.startsWith("p1_oauth2-"))) {
    throw new Error(
      `ejabberd tests mint OAuth tokens, which needs erlang-p1-oauth2 (a "Suggests" of ejabberd): ${install}`,
    );
  }
  // Debian's own libraries are in the system's OTP lib dir already; the prefix's come first.
  const erlLibs = generation === "debian" ? lib : `${lib}:${erlangLib}`;
  return { erlLibs, version: dir.slice("ejabberd-".length) };
}

export type EjabberdLogLevel =
  "none" | "emergency" | "alert" | "critical" | "error" | "warning" | "notice" | "info" | "debug";

export type EjabberdOptions = {
  vhost?: string;
  // Fixed ports (the demo wants 5222 so desktop apps find it); default: free ones.
  c2sPort?: number;
  httpPort?: number;
  // PEM file with certificate and key: c2s then offers STARTTLS.
  certfile?: string;
  // With certfile: also a direct TLS (XEP-0368) client listener and a server-to-server listener
  // (STARTTLS), each on a free port of its own.
  directTls?: boolean;
  s2s?: boolean;
  // fast_tls settings of every TLS listener, e.g. ["no_sslv3"] and "DEFAULT:@SECLEVEL=0" to let
  // TLS 1.0 in.
  tlsProtocolOptions?: string[];
  tlsCiphers?: string;
  // Modules left out of the configuration (e.g. "mod_carboncopy").
  withoutModules?: string[];
  // Default true: passwords and client addresses become "hidden_by_ejabberd" in the log.
  hideSensitiveLogData?: boolean;
  loglevel?: EjabberdLogLevel;
  // Parley's policy include file (provisioning/servers/ejabberd/include.ts): the main config then names
  // <dir>/parley-policy.yml in include_config_file and leaves hide_sensitive_log_data, loglevel
  // and mod_mam to it (ejabberd rejects options set in both files); the launcher writes that
  // file once with the values above. Default false.
  policyInclude?: boolean;
  // Default: PARLEY_SERVER_GENERATION, else Debian 12's release.
  generation?: ServerGeneration;
};

export type EjabberdInstance = {
  generation: ServerGeneration;
  // The package version the node runs, as its `status` reports it (e.g. "23.01-1").
  release: string;
  vhost: string;
  mucDomain: string;
  httpPort: number;
  c2sPort: number;
  // With directTls / s2s.
  c2sDirectTlsPort?: number;
  s2sPort?: number;
  configFile: string;
  // http://127.0.0.1:<httpPort>/api (append /<command>)
  apiUrl: string;
  adminJid: string;
  adminPassword: string;
  logFile: string;
  dir: string;
  // With policyInclude: the include file's path.
  includeFile?: string;
  // A fresh OAuth token (scope ejabberd:admin, 1 h) minted with Basic admin auth.
  mintToken(): Promise<string>;
  // Applies an edited configFile without a restart (modules, ACLs; not certificates).
  reloadConfig(): Promise<void>;
  // SIGTERM (SIGKILL after 10 s), then removes the temp dir. Idempotent.
  stop(): Promise<void>;
  // SIGKILL without cleanup, for fault tests; restart() brings the node back.
  kill(): Promise<void>;
  // Stops (if running) and starts again on the same dir, ports and spool: data survives.
  restart(): Promise<void>;
};

// What the main config leaves to the policy include file when one is used.
export function renderEjabberdPolicyInclude(o: {
  hide: boolean;
  loglevel: EjabberdLogLevel;
}): string {
  return `hide_sensitive_log_data: ${o.hide}
loglevel: ${o.loglevel}
modules:
  mod_mam:
    default: always
    assume_mam_usage: true
    clear_archive_on_room_destroy: true
    access_preferences: none
`;
}

type MainConfig = {
  vhost: string;
  c2sPort: number;
  httpPort: number;
  hide: boolean;
  loglevel: EjabberdLogLevel;
  certfile?: string;
} & TlsListeners;

type TlsListeners = {
  directTlsPort?: number;
  s2sPort?: number;
  protocolOptions?: string[];
  ciphers?: string;
  withoutModules?: string[];
};

// Removes a module and its options from the modules section.
function withoutModule(yaml: string, name: string): string {
  return yaml.replace(new RegExp(`^  ${name}:.*\n(?: {4}.*\n)*`, "m"), "");
}

export function renderEjabberdConfig(o: MainConfig & { includeFile?: string }): string {
  const main = (o.withoutModules ?? []).reduce(withoutModule, renderEjabberdMainConfig(o));
  if (!o.includeFile) return main;
  return (
    main
      .replace(/^loglevel: .*\n/m, "")
      .replace(/^hide_sensitive_log_data: .*\n/m, "")
      .replace(/^  mod_mam:\n(?: {4}.*\n)*/m, "") +
    `\ninclude_config_file:\n  - ${JSON.stringify(o.includeFile)}\n`
  );
}

// fast_tls settings as YAML lines: per listener (indent 4, no prefix) or global for s2s.
function tlsLines(o: TlsListeners, indent: string, prefix = ""): string {
  const lines = [
    ...(o.protocolOptions
      ? [`${prefix}protocol_options:`, ...o.protocolOptions.map((p) => `  - "${p}"`)]
      : []),
    ...(o.ciphers ? [`${prefix}ciphers: "${o.ciphers}"`] : []),
  ];
  return lines.map((l) => `${indent}${l}\n`).join("");
}

function extraListeners(o: TlsListeners & { certfile?: string }): string {
  if (!o.certfile) return "";
  let out = "";
  if (o.directTlsPort)
    out += `  -
    port: ${o.directTlsPort}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    tls: true
${tlsLines(o, "    ")}    shaper: c2s_shaper
    access: c2s
`;
  if (o.s2sPort)
    out += `  -
    port: ${o.s2sPort}
    ip: "127.0.0.1"
    module: ejabberd_s2s_in
`;
  return out;
}

function renderEjabberdMainConfig(o: MainConfig): string {
  const s2s =
    o.certfile && o.s2sPort ? `s2s_use_starttls: optional\n${tlsLines(o, "", "s2s_")}` : "";
  return `hosts:
  - "${o.vhost}"
${
  o.certfile
    ? `certfiles:
  - "${o.certfile}"
`
    : ""
}${s2s}loglevel: ${o.loglevel}
log_rotate_count: 0
hide_sensitive_log_data: ${o.hide}

listen:
  -
    port: ${o.c2sPort}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    max_stanza_size: 262144
${o.certfile ? `    starttls: true\n${tlsLines(o, "    ")}` : ""}    shaper: c2s_shaper
    access: c2s
${extraListeners(o)}  -
    port: ${o.httpPort}
    ip: "127.0.0.1"
    module: ejabberd_http
    backlog: 128
    request_handlers:
      /api: mod_http_api

auth_method: internal
auth_password_format: scram
oauth_access: oauth_admin
oauth_expire: 86400

acl:
  local:
    user_regexp: ""
  admin:
    user:
      - "admin@${o.vhost}"
  loopback:
    ip:
      - 127.0.0.0/8
      - ::1/128
  suspended:
    shared_group: "${SUSPENDED_GROUP}"

access_rules:
  local:
    allow: local
  c2s:
    - deny: suspended
    - allow: all
  announce:
    allow: admin
  configure:
    allow: admin
  muc_create:
    allow: local
  api_admin:
    allow:
      - acl: admin
      - acl: loopback
  oauth_admin:
    allow: admin

api_permissions:
  "console commands":
    from:
      - ejabberd_ctl
    who: all
    what: "*"
  "admin access":
    from:
      - mod_http_api
    who:
      access: api_admin
      oauth:
        scope: "ejabberd:admin"
        access: api_admin
    what:
      - "*"
      - "!stop"
      - "!start"
  "public commands":
    from:
      - mod_http_api
    who:
      ip: 127.0.0.1/8
    what:
      - status

shaper:
  normal:
    rate: 3000
    burst_size: 20000
  fast: 200000

shaper_rules:
  max_user_sessions: 10
  max_user_offline_messages:
    5000: admin
    100: all
  c2s_shaper:
    none: admin
    normal: all

modules:
  mod_adhoc: {}
  mod_admin_extra: {}
  mod_blocking: {}
  mod_caps: {}
  mod_carboncopy: {}
  mod_client_state: {}
  mod_configure: {}
  mod_disco: {}
  mod_http_api: {}
  mod_last: {}
  mod_mam:
    default: always
    assume_mam_usage: true
    clear_archive_on_room_destroy: true
    access_preferences: none
  mod_muc:
    host: "conference.${o.vhost}"
    access:
      - allow
    access_admin:
      - allow: admin
    access_create: muc_create
    access_persistent: muc_create
    access_mam:
      - allow
    history_size: 20
    default_room_options:
      mam: true
      persistent: true
      members_only: true
      public: false
      public_list: false
      logging: false
  mod_muc_admin: {}
  mod_offline:
    access_max_user_messages: max_user_offline_messages
  mod_ping: {}
  mod_privacy: {}
  mod_private: {}
  mod_roster:
    versioning: true
  mod_shared_roster: {}
  mod_stream_mgmt:
    resend_on_timeout: if_offline
  mod_vcard:
    search: false
  mod_version: {}
`;
}

// Instances still on disk; on runner exit their beams are SIGKILLed and their dirs removed.
const live = new Map<string, () => number | undefined>();
let exitHooked = false;
function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  process.on("exit", () => {
    for (const [dir, pid] of live) {
      const p = pid();
      if (p) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
  });
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}

class BindRace extends Error {}

export async function startEjabberd(options: EjabberdOptions = {}): Promise<EjabberdInstance> {
  const generation = options.generation ?? defaultGeneration();
  const release = findRelease(generation);
  hookExit();

  const vhost = options.vhost ?? "example.test";
  const mucDomain = `conference.${vhost}`;
  const hide = options.hideSensitiveLogData ?? true;
  const loglevel = options.loglevel ?? "info";
  const adminUser = "admin";
  const adminJid = `${adminUser}@${vhost}`;
  const adminPassword = `Adm-${randomBytes(12).toString("hex")}`;
  const authHeader = basic(adminJid, adminPassword);

  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-ejabberd-"));
  const spool = path.join(dir, "spool");
  const logs = path.join(dir, "logs");
  const logFile = path.join(logs, "ejabberd.log");
  const configFile = path.join(dir, "ejabberd.yml");
  const includeFile = options.policyInclude ? path.join(dir, "parley-policy.yml") : undefined;
  if (includeFile) writeFileSync(includeFile, renderEjabberdPolicyInclude({ hide, loglevel }));
  mkdirSync(spool);
  mkdirSync(logs);

  let c2sPort = 0;
  let httpPort = 0;
  let directTlsPort: number | undefined;
  let s2sPort: number | undefined;
  let server: Started | undefined;
  // (A beam still booting is killed by processes.ts's own exit hook.)
  live.set(dir, () =>
    server && server.child.exitCode === null && server.child.signalCode === null
      ? server.child.pid
      : undefined,
  );
  const apiBase = () => `http://127.0.0.1:${httpPort}/api`;

  // Version 0 of every command, as the adapter sends them (release.ts).
  const pinned = parseRelease(release.version);
  const api = async (command: string, body: unknown): Promise<Response> =>
    fetch(`${apiBase()}/${commandPath(command, 0, pinned)}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: authHeader },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });

  const launch = async (): Promise<Started> => {
    const candidate = startProcess(
      ERL,
      [
        "+K",
        "true",
        "+P",
        "250000",
        "-noinput",
        "-noshell",
        "-mnesia",
        "dir",
        JSON.stringify(spool),
        "-ejabberd",
        "log_rotate_count",
        "0",
        "-s",
        "ejabberd",
        "-eval",
        'R = ejabberd_auth:try_register(list_to_binary(os:getenv("EJ_ADMIN_USER")), list_to_binary(os:getenv("EJ_ADMIN_HOST")), list_to_binary(os:getenv("EJ_ADMIN_PASS"))), io:format("bootstrap admin: ~p~n", [R]).',
      ],
      {
        name: "ejabberd",
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: dir,
          EJABBERD_CONFIG_PATH: configFile,
          EJABBERD_LOG_PATH: logFile,
          ERL_LIBS: release.erlLibs,
          ERL_CRASH_DUMP: path.join(logs, "erl_crash.dump"),
          ERL_CRASH_DUMP_BYTES: "0",
          ERL_INETRC: "/etc/ejabberd/inetrc",
          ERL_MAX_PORTS: "32000",
          ERL_MAX_ETS_TABLES: "1400",
          EJ_ADMIN_USER: adminUser,
          EJ_ADMIN_HOST: vhost,
          EJ_ADMIN_PASS: adminPassword,
          NODE_ENV: "test",
        },
      },
    );
    const fail = async (error: Error): Promise<never> => {
      await candidate.stop("SIGKILL");
      throw error;
    };
    // Readiness: an admin call answers (proves the bootstrap) and c2s accepts TCP.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const out = candidate.output();
      if (/eaddrinuse|address already in use/i.test(out))
        return fail(new BindRace(`ejabberd could not bind its ports (${c2sPort}, ${httpPort})`));
      if (candidate.child.exitCode !== null || candidate.child.signalCode !== null) {
        return fail(
          new Error(
            `ejabberd exited during startup (code ${candidate.child.exitCode}, signal ${candidate.child.signalCode}):\n${out.slice(-4000)}`,
          ),
        );
      }
      if (Date.now() > deadline)
        return fail(new Error(`ejabberd was not ready within 30 s:\n${out.slice(-4000)}`));
      try {
        const res = await api("registered_users", { host: vhost });
        if (
          res.ok &&
          ((await res.json()) as string[]).includes(adminUser) &&
          (await tcpAccepts(c2sPort))
        )
          return candidate;
        if (!res.ok) await res.arrayBuffer();
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  // The hidden suspension group must exist before anyone logs in: while the ACL names a missing
  // group, every login fails at resource bind.
  const ensureSuspendedGroup = async () => {
    const list = await api("srg_list", { host: vhost });
    if (!list.ok) throw new Error(`srg_list failed: HTTP ${list.status} ${await list.text()}`);
    if (((await list.json()) as string[]).includes(SUSPENDED_GROUP)) return;
    const res = await api("srg_create", {
      group: SUSPENDED_GROUP,
      host: vhost,
      label: "",
      description: "",
      display: "",
    });
    const body = await res.text();
    if (!res.ok || body !== "0") throw new Error(`srg_create failed: HTTP ${res.status} ${body}`);
  };

  try {
    for (let attempt = 1; !server; attempt++) {
      const fixed = options.c2sPort !== undefined && options.httpPort !== undefined;
      c2sPort = options.c2sPort ?? (await freePort());
      do httpPort = options.httpPort ?? (await freePort());
      while (httpPort === c2sPort && !fixed);
      const taken = new Set([c2sPort, httpPort]);
      const another = async () => {
        let port: number;
        do port = await freePort();
        while (taken.has(port));
        taken.add(port);
        return port;
      };
      directTlsPort = options.directTls ? await another() : undefined;
      s2sPort = options.s2s ? await another() : undefined;
      writeFileSync(
        configFile,
        renderEjabberdConfig({
          vhost,
          c2sPort,
          httpPort,
          hide,
          loglevel,
          certfile: options.certfile,
          includeFile,
          directTlsPort,
          s2sPort,
          protocolOptions: options.tlsProtocolOptions,
          ciphers: options.tlsCiphers,
          withoutModules: options.withoutModules,
        }),
      );
      try {
        server = await launch();
      } catch (error) {
        if (!(error instanceof BindRace) || attempt >= 3 || fixed) throw error;
      }
    }
    await ensureSuspendedGroup();
  } catch (error) {
    await server?.stop("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    live.delete(dir);
    throw error;
  }

  let stopped = false;
  const instance: EjabberdInstance = {
    generation,
    release: release.version,
    vhost,
    mucDomain,
    get httpPort() {
      return httpPort;
    },
    get c2sPort() {
      return c2sPort;
    },
    get c2sDirectTlsPort() {
      return directTlsPort;
    },
    get s2sPort() {
      return s2sPort;
    },
    configFile,
    get apiUrl() {
      return apiBase();
    },
    adminJid,
    adminPassword,
    logFile,
    dir,
    ...(includeFile ? { includeFile } : {}),
    async mintToken() {
      const res = await api("oauth_issue_token", {
        jid: adminJid,
        ttl: 3600,
        scopes: "ejabberd:admin",
      });
      const text = await res.text();
      if (!res.ok)
        throw new Error(
          `oauth_issue_token failed: HTTP ${res.status} ${text} (is erlang-p1-oauth2 installed? ${APT})`,
        );
      const token = (JSON.parse(text) as { token?: string }).token;
      if (!token) throw new Error("oauth_issue_token returned no token");
      return token;
    },
    async reloadConfig() {
      const res = await api("reload_config", {});
      const body = await res.text();
      if (!res.ok || body !== "0")
        throw new Error(`reload_config failed: HTTP ${res.status} ${body}`);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server?.stop("SIGTERM", 10_000);
      rmSync(dir, { recursive: true, force: true });
      live.delete(dir);
    },
    async kill() {
      await server?.stop("SIGKILL");
    },
    async restart() {
      if (stopped) throw new Error("this ejabberd instance was stopped; start a new one");
      await server?.stop("SIGTERM", 10_000);
      server = undefined;
      server = await launch();
      await ensureSuspendedGroup();
    },
  };
  return instance;
}

// The log as written so far (empty if the file does not exist yet).
export function readEjabberdLog(instance: Pick<EjabberdInstance, "logFile">): string {
  return existsSync(instance.logFile) ? readFileSync(instance.logFile, "utf8") : "";
}
