import { ActionForm, Field } from "@/app/_components/form";
import type { ActionState } from "@/lib/actions/action-state";

type Server = {
  id: string;
  name: string;
  kind: string;
  domain: string;
  mucDomain: string | null;
  transport: string;
  apiUrl: string | null;
  prosodyConfigPath: string | null;
  prosodyctlCommand: string | null;
  sshHost: string | null;
  sshPort: number | null;
  sshUser: string | null;
  isDefault: boolean;
  includePath: string | null;
  logPath: string | null;
  mainConfigPath: string | null;
  xmppHost: string | null;
  c2sPort: number | null;
  c2sDirectTlsPort: number | null;
  s2sPort: number | null;
  s2sDirectTlsPort: number | null;
};

// One form for both kinds; the fields that do not apply are ignored (and say so).
// The ports the live evaluation probes; an empty one is skipped.
const PORT_FIELDS = [
  { name: "c2sPort", label: "Client port (STARTTLS)", placeholder: "5222" },
  { name: "c2sDirectTlsPort", label: "Client port, direct TLS (XEP-0368)", placeholder: "5223" },
  { name: "s2sPort", label: "Server-to-server port (STARTTLS)", placeholder: "5269" },
  { name: "s2sDirectTlsPort", label: "Server-to-server port, direct TLS", placeholder: "5270" },
] as const;

export function ServerForm({
  action,
  server,
  submit,
}: {
  action: (s: ActionState, f: FormData) => Promise<ActionState>;
  server?: Server;
  submit: string;
}) {
  return (
    <ActionForm action={action} submit={submit} hidden={server ? { id: server.id } : undefined}>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Name"
          name="name"
          required
          defaultValue={server?.name}
          placeholder="Main ejabberd"
        />
        <Field
          label="Kind"
          name="kind"
          defaultValue={server?.kind ?? "EJABBERD"}
          options={[
            { value: "EJABBERD", label: "ejabberd (HTTP admin API)" },
            { value: "PROSODY", label: "Prosody (admin shell)" },
          ]}
        />
        <Field
          label="XMPP domain"
          name="domain"
          required
          defaultValue={server?.domain}
          placeholder="chat.example.org"
        />
        <Field
          label="Group chat (MUC) service"
          name="mucDomain"
          defaultValue={server?.mucDomain ?? ""}
          placeholder="conference.chat.example.org"
        />
      </div>
      <fieldset className="rounded-lg border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">ejabberd</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="mod_http_api URL"
            name="apiUrl"
            defaultValue={server?.apiUrl ?? ""}
            placeholder="http://127.0.0.1:5280/api"
          />
          <Field
            label="API token"
            name="apiToken"
            type="password"
            autoComplete="off"
            hint={
              server
                ? "Leave empty to keep the stored token."
                : "An OAuth token with scope ejabberd:admin. Stored encrypted."
            }
          />
        </div>
      </fieldset>
      <fieldset className="rounded-lg border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">Privacy policy files</legend>
        <p className="mb-3 text-xs text-slate-600">
          Parley writes its settings to one include file (never your whole configuration) and scans
          the log for client addresses. Both are reached as below (on this machine or over SSH).
        </p>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Include file Parley owns"
            name="includePath"
            defaultValue={server?.includePath ?? ""}
            placeholder="/etc/ejabberd/parley-policy.yml"
          />
          <Field
            label="Server log file"
            name="logPath"
            defaultValue={server?.logPath ?? ""}
            placeholder="/var/log/ejabberd/ejabberd.log"
          />
          <Field
            label="ejabberd main configuration"
            name="mainConfigPath"
            defaultValue={server?.mainConfigPath ?? ""}
            placeholder="/etc/ejabberd/ejabberd.yml"
            hint="Read (never written) to check loaded modules and TLS."
          />
        </div>
      </fieldset>
      <fieldset className="rounded-lg border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">Prosody, and file access</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Configuration file"
            name="prosodyConfigPath"
            defaultValue={server?.prosodyConfigPath ?? ""}
            placeholder="/etc/prosody/prosody.cfg.lua"
          />
          <Field
            label="prosodyctl command"
            name="prosodyctlCommand"
            defaultValue={server?.prosodyctlCommand ?? ""}
            placeholder="prosodyctl"
          />
          <Field
            label="Reached"
            name="transport"
            defaultValue={server?.transport ?? "LOCAL"}
            options={[
              { value: "LOCAL", label: "On this machine" },
              { value: "SSH", label: "Over SSH" },
            ]}
          />
          <Field label="SSH host" name="sshHost" defaultValue={server?.sshHost ?? ""} />
          <Field
            label="SSH port"
            name="sshPort"
            type="number"
            defaultValue={server?.sshPort ?? ""}
          />
          <Field label="SSH user" name="sshUser" defaultValue={server?.sshUser ?? ""} />
          <Field
            label="SSH private key"
            name="sshPrivateKey"
            type="textarea"
            hint={
              server ? "Leave empty to keep the stored key." : "OpenSSH format. Stored encrypted."
            }
          />
          <Field
            label="Expected host key (optional)"
            name="sshHostKeySha256"
            placeholder="SHA256:…"
            hint="From ssh-keygen -lf on the server. Otherwise you approve the key Parley sees on first contact."
          />
        </div>
      </fieldset>
      <fieldset className="rounded-lg border border-slate-200 p-4">
        <legend className="px-1 text-sm font-semibold">Live evaluation</legend>
        <p className="mb-3 text-xs text-slate-600">
          Parley connects here as a client and as another server would, signs in with its own probe
          account, and grades TLS on each port entered. Leave a port empty to skip it.
        </p>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Address"
            name="xmppHost"
            defaultValue={server?.xmppHost ?? ""}
            placeholder="127.0.0.1"
            hint="Loopback when the server runs on this machine, otherwise its public name."
          />
          {PORT_FIELDS.map(({ name, label, placeholder }) => (
            <Field
              key={name}
              label={label}
              name={name}
              type="number"
              defaultValue={server?.[name] ?? ""}
              placeholder={placeholder}
            />
          ))}
        </div>
      </fieldset>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="isDefault" defaultChecked={server?.isDefault} /> Default server
        for new accounts
      </label>
    </ActionForm>
  );
}
