import tls from "node:tls";
import { X509Certificate } from "node:crypto";

// What a port's certificate says, read from a finished handshake: the chain as verified against
// the trusted roots (tls-probe.ts passes them), the name against the XMPP domain, the key, the
// dates and whether anything in the chain is signed with MD5.

export type CertificateFacts = {
  subject: string;
  names: string[];
  issuer: string;
  notBefore: string;
  notAfter: string;
  keyType: string;
  keyBits: number | null;
  curve: string | null;
  fingerprint256: string;
  chainLength: number;
  md5Signature: boolean;
  trusted: boolean;
  trustError: string | null;
  nameMatches: boolean;
  expired: boolean;
  notYetValid: boolean;
};

// md5WithRSAEncryption (1.2.840.113549.1.1.4) as it appears in DER.
const MD5_RSA = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04]);

const TRUST_ERRORS: Record<string, string> = {
  CERT_HAS_EXPIRED: "the certificate has expired",
  CERT_NOT_YET_VALID: "the certificate is not valid yet",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: "the chain ends in an untrusted self-signed certificate",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the issuer is not a trusted authority",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the issuer is not a trusted authority",
  UNABLE_TO_GET_ISSUER_CERT: "the issuer is not a trusted authority",
  CERT_REVOKED: "the certificate is revoked",
};

export function trustErrorText(code: string | null | undefined): string | null {
  if (!code) return null;
  return TRUST_ERRORS[code] ?? code;
}

function commonName(dn: string): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(dn)?.[1] ?? dn.replace(/\n/g, ", ");
}

function dnsNames(cert: X509Certificate): string[] {
  return (cert.subjectAltName ?? "")
    .split(/,\s*/)
    .filter((n) => n.startsWith("DNS:"))
    .map((n) => n.slice(4));
}

// The chain the server sent, leaf first, without a self-signed root (its own signature is
// never checked by clients).
function chainOf(leaf: tls.DetailedPeerCertificate): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let cert: tls.DetailedPeerCertificate | undefined = leaf;
  while (cert?.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    const selfSigned = cert.issuerCertificate === cert;
    if (!selfSigned || out.length === 0) out.push(cert.raw);
    if (selfSigned) break;
    cert = cert.issuerCertificate;
  }
  return out;
}

export function certificateFacts(
  socket: tls.TLSSocket,
  domain: string,
  now: Date,
): CertificateFacts | null {
  // Read once, before anything else: in Node 20, getPeerCertificate() answers {} once
  // getPeerX509Certificate() was called on the socket.
  const detailed = socket.getPeerCertificate(true);
  if (!detailed?.raw) return null;
  const leaf = new X509Certificate(detailed.raw);
  const details = leaf.publicKey.asymmetricKeyDetails ?? {};
  const chain = chainOf(detailed);
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  const nameError = tls.checkServerIdentity(domain, detailed);
  return {
    subject: commonName(leaf.subject),
    names: dnsNames(leaf),
    issuer: commonName(leaf.issuer),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    keyType: leaf.publicKey.asymmetricKeyType ?? "unknown",
    keyBits: details.modulusLength ?? null,
    curve: details.namedCurve ?? null,
    fingerprint256: leaf.fingerprint256,
    chainLength: chain.length,
    md5Signature: chain.some((der) => der.includes(MD5_RSA)),
    trusted: socket.authorized,
    trustError: socket.authorized ? null : trustErrorText(String(socket.authorizationError)),
    nameMatches: nameError === undefined,
    expired: notAfter.getTime() <= now.getTime(),
    notYetValid: notBefore.getTime() > now.getTime(),
  };
}
