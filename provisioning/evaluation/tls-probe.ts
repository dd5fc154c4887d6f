import tls from "node:tls";
import { cipherFacts, type CipherFacts } from "./cipher-facts";
import { certificateFacts, type CertificateFacts } from "./certificate";
import { gradeTls, type TlsGrade, type TlsVersion } from "./tls-grade";
import {
  NoStartTlsError,
  PreTlsError,
  secure,
  type PortTarget,
  type StartTls,
} from "./xmpp-stream";

// What one port accepts, handshake by handshake: each TLS version alone, then for each accepted
// version the cipher suites, by offering everything and striking out what the server picked
// until it refuses. OpenSSL 3 (Node's) refuses TLS 1.0/1.1 and weak suites at its default
// security level, so the probing side lowers it to 0: what is seen is what the SERVER accepts.
// SSL 2/3 and TLS compression cannot be offered by OpenSSL 3 at all and are reported as such.

export type ProbedVersion = Exclude<TlsVersion, "SSLv2" | "SSLv3">;
export const PROBED_VERSIONS: ProbedVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

export type ObservedCipher = CipherFacts & { name: string; version: ProbedVersion };

export type PortResult = {
  service: PortTarget["service"];
  mode: PortTarget["mode"];
  port: number;
  // The port could not be evaluated at all (unreachable, no STARTTLS): the grade is F.
  error: string | null;
  starttls: StartTls | null;
  protocols: Record<ProbedVersion, boolean | null>;
  ciphers: ObservedCipher[];
  dhBits: number | null;
  certificate: CertificateFacts | null;
  grade: TlsGrade;
};

// Every TLS ≤ 1.2 suite OpenSSL knows but those needing a pre-shared key or SRP password.
const WIDE = "ALL:COMPLEMENTOFALL:!PSK:!SRP:@SECLEVEL=0";
const TLS13_SUITES = [
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
  "TLS_AES_128_GCM_SHA256",
  "TLS_AES_128_CCM_SHA256",
  "TLS_AES_128_CCM_8_SHA256",
];
const MAX_ROUNDS = 80;

type Handshake = {
  version: ProbedVersion;
  cipher: string;
  dhBits: number | null;
  starttls: StartTls | null;
  socket: tls.TLSSocket;
};

async function attempt(
  target: PortTarget,
  options: tls.ConnectionOptions,
): Promise<Handshake | null> {
  try {
    const { socket, starttls } = await secure(target, options);
    const info = socket.getEphemeralKeyInfo() as { type?: string; size?: number } | null;
    return {
      version: socket.getProtocol() as ProbedVersion,
      cipher: socket.getCipher().name,
      dhBits: info?.type === "DH" && info.size ? info.size : null,
      starttls,
      socket,
    };
  } catch (error) {
    // A refused handshake is an answer ("not accepted"); a dead port or no XMPP is not.
    if (error instanceof PreTlsError) throw error;
    return null;
  }
}

const close = (h: Handshake | null) => h?.socket.destroy();

// Strikes out each suite the server chose until it refuses the rest.
async function acceptedSuites(
  target: PortTarget,
  version: ProbedVersion,
): Promise<{ names: string[]; dhBits: number | null }> {
  const names: string[] = [];
  let dhBits: number | null = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ciphers =
      version === "TLSv1.3"
        ? TLS13_SUITES.filter((s) => !names.includes(s)).join(":")
        : [WIDE, ...names.map((n) => `!${n}`)].join(":");
    if (!ciphers) break;
    const h = await attempt(target, { minVersion: version, maxVersion: version, ciphers });
    close(h);
    if (!h || names.includes(h.cipher)) break;
    names.push(h.cipher);
    if (h.dhBits !== null) dhBits = Math.min(dhBits ?? Infinity, h.dhBits);
  }
  return { names, dhBits };
}

export async function probePort(o: {
  target: PortTarget;
  // Trusted roots (PEM): the system's and any the operator added.
  ca: string[];
  now: Date;
}): Promise<PortResult> {
  const { target, ca, now } = o;
  const result: PortResult = {
    service: target.service,
    mode: target.mode,
    port: target.port,
    error: null,
    starttls: null,
    protocols: { TLSv1: null, "TLSv1.1": null, "TLSv1.2": null, "TLSv1.3": null },
    ciphers: [],
    dhBits: null,
    certificate: null,
    grade: gradeTls({
      protocols: {},
      ciphers: [],
      key: null,
      dhBits: null,
      certificate: null,
      compression: false,
    }),
  };
  try {
    // The widest offer first: the certificate, and whether STARTTLS is offered at all.
    const first = await attempt(target, {
      ca,
      minVersion: "TLSv1",
      maxVersion: "TLSv1.3",
      ciphers: [...TLS13_SUITES, WIDE].join(":"),
    });
    if (first) {
      result.certificate = certificateFacts(first.socket, target.domain, now);
      result.starttls = first.starttls;
      close(first);
    }
    for (const version of PROBED_VERSIONS) {
      const ciphers = version === "TLSv1.3" ? TLS13_SUITES.join(":") : WIDE;
      // Trust is read once: a context with every root costs more than the handshake.
      const trust = result.certificate ? {} : { ca };
      const h = await attempt(target, {
        ...trust,
        minVersion: version,
        maxVersion: version,
        ciphers,
      });
      result.protocols[version] = h !== null;
      if (h && !result.certificate) {
        result.certificate = certificateFacts(h.socket, target.domain, now);
        result.starttls = h.starttls;
      }
      close(h);
    }
    for (const version of PROBED_VERSIONS.filter((v) => result.protocols[v])) {
      const { names, dhBits } = await acceptedSuites(target, version);
      result.ciphers.push(...names.map((name) => ({ name, version, ...cipherFacts(name) })));
      if (dhBits !== null) result.dhBits = Math.min(result.dhBits ?? Infinity, dhBits);
    }
  } catch (error) {
    result.error =
      error instanceof NoStartTlsError
        ? "STARTTLS is not offered on this port."
        : error instanceof Error
          ? error.message
          : String(error);
  }
  result.grade = gradeTls({
    protocols: result.protocols,
    ciphers: result.ciphers,
    key: result.certificate
      ? { type: result.certificate.keyType, bits: result.certificate.keyBits }
      : null,
    dhBits: result.dhBits,
    certificate: result.certificate,
    compression: false,
  });
  return result;
}
