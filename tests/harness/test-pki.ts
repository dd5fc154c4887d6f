import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

// A throwaway certificate authority (openssl) for the TLS tests: certificates for the test
// domain that are good, expired, about to expire or of a weak key, and the CA file to trust.

export type Issued = {
  // PEM certificate, PEM key, and both in one file (ejabberd's certfiles).
  cert: string;
  key: string;
  pem: string;
};

export type IssueOptions = {
  names: string[];
  // Valid from now for this many days, or between two openssl dates (YYYYMMDDHHMMSSZ).
  days?: number;
  from?: string;
  to?: string;
  key?: "rsa:2048" | "rsa:1024" | "ec";
};

export type TestPki = {
  caFile: string;
  issue(name: string, o: IssueOptions): Issued;
  remove(): void;
};

const CA_CONFIG = `[ ca ]
default_ca = test_ca
[ test_ca ]
database = db/index.txt
serial = db/serial
new_certs_dir = db
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[ any ]
commonName = supplied
`;

function openssl(dir: string, args: string[]) {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-pki-"));
  mkdirSync(path.join(dir, "db"));
  writeFileSync(path.join(dir, "db", "index.txt"), "");
  writeFileSync(path.join(dir, "db", "serial"), "1000\n");
  writeFileSync(path.join(dir, "ca.cnf"), CA_CONFIG);
  openssl(dir, [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "60",
    "-subj", "/CN=Parley Test CA",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    "-keyout", "ca.key", "-out", "ca.crt",
  ]); // prettier-ignore
  return {
    caFile: path.join(dir, "ca.crt"),
    issue(name, o) {
      const key = o.key ?? "rsa:2048";
      const keyArgs =
        key === "ec"
          ? ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
          : ["-newkey", key];
      openssl(dir, [
        "req", ...keyArgs, "-nodes", "-subj", `/CN=${o.names[0]}`,
        "-addext", `subjectAltName=${o.names.map((n) => `DNS:${n}`).join(",")}`,
        "-keyout", `${name}.key`, "-out", `${name}.csr`,
      ]); // prettier-ignore
      const validity =
        o.from && o.to ? ["-startdate", o.from, "-enddate", o.to] : ["-days", String(o.days ?? 30)];
      openssl(dir, [
        "ca", "-batch", "-notext", "-config", "ca.cnf", "-cert", "ca.crt", "-keyfile", "ca.key",
        "-in", `${name}.csr`, "-out", `${name}.crt`, ...validity,
      ]); // prettier-ignore
      const cert = path.join(dir, `${name}.crt`);
      const keyFile = path.join(dir, `${name}.key`);
      const pem = path.join(dir, `${name}.pem`);
      writeFileSync(pem, readFileSync(cert, "utf8") + readFileSync(keyFile, "utf8"));
      return { cert, key: keyFile, pem };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
