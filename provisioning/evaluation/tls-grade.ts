// The TLS grade of one port, A to F: the formula the IM Observatory published (itself after SSL
// Labs' rating guide), written down in docs/compliance.md. Pure: it grades what tls-probe.ts saw.
//
//   score = 0.3 protocol + 0.3 key exchange + 0.4 cipher
//   protocol      average of the best and the worst version accepted
//                 (SSLv2 20, SSLv3 80, TLS 1.0 90, TLS 1.1 95, TLS 1.2 100, TLS 1.3 100)
//   key exchange  the certificate's key (RSA/DSA <512 20, <1024 40, <2048 80, <4096 90, else 100;
//                 elliptic curve 100), no higher than the weakest DH group (<1024 40, <2048 80,
//                 <4096 90), 40 with an export suite, 0 with an anonymous suite
//   cipher        average of the strongest and the weakest suite
//                 (0 bits 0, <128 bits 20, <256 bits 80, 256 bits and more 100)
//   letter        A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E ≥ 20, else F
//   automatic F   SSLv2 accepted, RSA key under 1024 bits, MD5 signature in the chain, SSLv3 the
//                 best version, a certificate not trusted (expired, not yet valid, unknown issuer)
//                 or not for the server's domain, no TLS at all
//   capped at B   RSA key of 1024–2047 bits, SSLv3 accepted, DH group under 2048 bits
//   capped at C   TLS compression, RC4 with TLS 1.1 or later, neither TLS 1.2 nor 1.3
//   A−            an A without any forward-secret suite

export const TLS_VERSIONS = ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;
export type TlsVersion = (typeof TLS_VERSIONS)[number];

export const GRADES = ["A", "A-", "B", "C", "D", "E", "F"] as const;
export type Grade = (typeof GRADES)[number];

export type GradedCipher = {
  bits: number;
  version: TlsVersion;
  forwardSecrecy: boolean;
  anonymous: boolean;
  export: boolean;
  rc4: boolean;
};

export type GradeInput = {
  // Versions the server accepted; a version missing or false was refused or not testable.
  protocols: Partial<Record<TlsVersion, boolean | null>>;
  ciphers: GradedCipher[];
  key: { type: string; bits: number | null } | null;
  // The smallest finite-field DH group seen in a DHE handshake (null: none).
  dhBits: number | null;
  certificate: {
    trusted: boolean;
    trustError: string | null;
    nameMatches: boolean;
    md5Signature: boolean;
  } | null;
  compression: boolean;
};

export type TlsGrade = {
  grade: Grade;
  score: number;
  parts: { protocol: number; keyExchange: number; cipher: number };
  // Why the grade is what it is: automatic F, caps, and each deduction, in words.
  reasons: string[];
};

const PROTOCOL_SCORE: Record<TlsVersion, number> = {
  SSLv2: 20,
  SSLv3: 80,
  TLSv1: 90,
  "TLSv1.1": 95,
  "TLSv1.2": 100,
  "TLSv1.3": 100,
};

const NAMES: Record<TlsVersion, string> = {
  SSLv2: "SSL 2",
  SSLv3: "SSL 3",
  TLSv1: "TLS 1.0",
  "TLSv1.1": "TLS 1.1",
  "TLSv1.2": "TLS 1.2",
  "TLSv1.3": "TLS 1.3",
};

export function versionName(v: TlsVersion): string {
  return NAMES[v];
}

function keyScore(key: GradeInput["key"]): number {
  if (!key) return 0;
  if (key.type !== "rsa" && key.type !== "rsa-pss" && key.type !== "dsa") return 100;
  const bits = key.bits ?? 0;
  if (bits < 512) return 20;
  if (bits < 1024) return 40;
  if (bits < 2048) return 80;
  if (bits < 4096) return 90;
  return 100;
}

function dhCap(bits: number): number {
  if (bits < 1024) return 40;
  if (bits < 2048) return 80;
  if (bits < 4096) return 90;
  return 100;
}

function cipherScore(bits: number): number {
  if (bits <= 0) return 0;
  if (bits < 128) return 20;
  if (bits < 256) return 80;
  return 100;
}

function letter(score: number): Grade {
  if (score >= 80) return "A";
  if (score >= 65) return "B";
  if (score >= 50) return "C";
  if (score >= 35) return "D";
  if (score >= 20) return "E";
  return "F";
}

// Worse of two grades (F is the worst).
export function worseGrade(a: Grade, b: Grade): Grade {
  return GRADES.indexOf(a) >= GRADES.indexOf(b) ? a : b;
}

function capAt(grade: Grade, cap: Grade): Grade {
  return worseGrade(grade, cap);
}

const isRsa = (key: GradeInput["key"]) => key?.type === "rsa" || key?.type === "rsa-pss";

export function gradeTls(input: GradeInput): TlsGrade {
  const accepted = TLS_VERSIONS.filter((v) => input.protocols[v] === true);
  const reasons: string[] = [];
  if (accepted.length === 0 || input.ciphers.length === 0) {
    return {
      grade: "F",
      score: 0,
      parts: { protocol: 0, keyExchange: 0, cipher: 0 },
      reasons: ["F: no TLS handshake succeeded."],
    };
  }
  const best = accepted[accepted.length - 1];
  const worst = accepted[0];
  const protocol = (PROTOCOL_SCORE[best] + PROTOCOL_SCORE[worst]) / 2;
  for (const v of accepted.filter((v) => PROTOCOL_SCORE[v] < 100))
    reasons.push(`Accepts ${NAMES[v]} (protocol score ${protocol} instead of 100).`);

  let keyExchange = keyScore(input.key);
  if (input.key && keyExchange < 100)
    reasons.push(
      `${input.key.type.toUpperCase()} key of ${input.key.bits ?? "unknown"} bits (key exchange score ${keyExchange}).`,
    );
  if (input.dhBits !== null && dhCap(input.dhBits) < keyExchange) {
    keyExchange = dhCap(input.dhBits);
    reasons.push(`DH group of ${input.dhBits} bits (key exchange score ${keyExchange}).`);
  }
  if (input.ciphers.some((c) => c.export)) {
    keyExchange = Math.min(keyExchange, 40);
    reasons.push("Accepts export cipher suites (key exchange score 40).");
  }
  if (input.ciphers.some((c) => c.anonymous)) {
    keyExchange = 0;
    reasons.push("Accepts anonymous cipher suites (key exchange score 0).");
  }

  const bits = input.ciphers.map((c) => c.bits);
  const strongest = Math.max(...bits);
  const weakest = Math.min(...bits);
  const cipher = (cipherScore(strongest) + cipherScore(weakest)) / 2;
  if (cipher < 100)
    reasons.push(
      `Weakest cipher suite has ${weakest} bits, strongest ${strongest} (cipher score ${cipher}).`,
    );

  const score = Math.round((0.3 * protocol + 0.3 * keyExchange + 0.4 * cipher) * 10) / 10;
  let grade = letter(score);

  const fail = (why: string) => {
    grade = "F";
    reasons.unshift(`F: ${why}`);
  };
  const cap = (at: Grade, why: string) => {
    if (capAt(grade, at) !== grade) reasons.unshift(`Capped at ${at}: ${why}`);
    else reasons.push(`Capped at ${at} (no effect): ${why}`);
    grade = capAt(grade, at);
  };

  if (input.ciphers.some((c) => c.rc4 && c.version !== "SSLv3" && c.version !== "TLSv1"))
    cap("C", "RC4 with TLS 1.1 or later.");
  if (input.compression) cap("C", "TLS compression.");
  if (input.protocols["TLSv1.2"] !== true && input.protocols["TLSv1.3"] !== true)
    cap("C", "neither TLS 1.2 nor TLS 1.3 is accepted.");
  if (isRsa(input.key) && (input.key?.bits ?? 0) >= 1024 && (input.key?.bits ?? 0) < 2048)
    cap("B", `RSA key of ${input.key?.bits} bits.`);
  if (input.protocols.SSLv3 === true) cap("B", "SSL 3 is accepted.");
  if (input.dhBits !== null && input.dhBits < 2048) cap("B", `DH group of ${input.dhBits} bits.`);

  if (input.protocols.SSLv2 === true) fail("SSL 2 is accepted.");
  if (best === "SSLv3") fail("SSL 3 is the best version accepted.");
  if (isRsa(input.key) && (input.key?.bits ?? 0) < 1024)
    fail(`RSA key of ${input.key?.bits ?? "unknown"} bits.`);
  const cert = input.certificate;
  if (!cert) fail("no certificate was presented.");
  else {
    if (cert.md5Signature) fail("a certificate in the chain is signed with MD5.");
    if (!cert.trusted)
      fail(`the certificate is not trusted (${cert.trustError ?? "unknown reason"}).`);
    if (!cert.nameMatches) fail("the certificate is not for this domain.");
  }

  if (grade === "A" && !input.ciphers.some((c) => c.forwardSecrecy)) {
    grade = "A-";
    reasons.unshift("A−: no cipher suite with forward secrecy.");
  }
  return { grade, score, parts: { protocol, keyExchange, cipher }, reasons };
}
