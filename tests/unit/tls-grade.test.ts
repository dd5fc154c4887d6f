import { describe, expect, it } from "vitest";
import {
  gradeTls,
  worseGrade,
  type GradeInput,
  type GradedCipher,
} from "@/provisioning/evaluation/tls-grade";
import { cipherFacts } from "@/provisioning/evaluation/cipher-facts";

// Every rule of the grade (provisioning/evaluation/tls-grade.ts, docs/compliance.md), each
// against a good baseline: TLS 1.2 + 1.3, RSA 2048, trusted, forward-secret 128/256-bit suites.

const suite = (name: string, version: GradedCipher["version"] = "TLSv1.2"): GradedCipher => ({
  ...cipherFacts(name),
  version,
});

const good = (): GradeInput => ({
  protocols: { TLSv1: false, "TLSv1.1": false, "TLSv1.2": true, "TLSv1.3": true },
  ciphers: [
    suite("TLS_AES_256_GCM_SHA384", "TLSv1.3"),
    suite("TLS_AES_128_GCM_SHA256", "TLSv1.3"),
    suite("ECDHE-RSA-AES256-GCM-SHA384"),
    suite("ECDHE-RSA-AES128-GCM-SHA256"),
  ],
  key: { type: "rsa", bits: 2048 },
  dhBits: null,
  certificate: { trusted: true, trustError: null, nameMatches: true, md5Signature: false },
  compression: false,
});

const grade = (change: (g: GradeInput) => void) => {
  const input = good();
  change(input);
  return gradeTls(input);
};

describe("the TLS grade", () => {
  it("scores 0.3 protocol + 0.3 key exchange + 0.4 cipher", () => {
    const g = gradeTls(good());
    // protocol 100, key 90 (RSA 2048), cipher (100 + 80) / 2 = 90
    expect(g.parts).toEqual({ protocol: 100, keyExchange: 90, cipher: 90 });
    expect(g.score).toBe(93);
    expect(g.grade).toBe("A");
  });

  it("averages the best and the worst version: TLS 1.0 lowers the score and says so", () => {
    const g = grade((i) => (i.protocols.TLSv1 = true));
    expect(g.parts.protocol).toBe(95);
    expect(g.score).toBe(91.5);
    expect(g.reasons.join(" ")).toMatch(/Accepts TLS 1\.0/);
  });

  it("scores keys by size: RSA 4096 is 100, elliptic curve 100, RSA 1024 is 80 and capped at B", () => {
    expect(grade((i) => (i.key = { type: "rsa", bits: 4096 })).parts.keyExchange).toBe(100);
    expect(grade((i) => (i.key = { type: "ec", bits: null })).parts.keyExchange).toBe(100);
    const weak = grade((i) => (i.key = { type: "rsa", bits: 1024 }));
    expect(weak.parts.keyExchange).toBe(80);
    expect(weak.grade).toBe("B");
    expect(weak.reasons[0]).toMatch(/^Capped at B: RSA key of 1024 bits/);
  });

  it("gives F for an RSA key under 1024 bits", () => {
    const g = grade((i) => (i.key = { type: "rsa", bits: 512 }));
    expect(g.parts.keyExchange).toBe(40);
    expect(g.grade).toBe("F");
  });

  it("caps the key exchange by the weakest DH group and caps the grade at B under 2048 bits", () => {
    const g = grade((i) => {
      i.dhBits = 1024;
      i.ciphers.push(suite("DHE-RSA-AES128-GCM-SHA256"));
    });
    expect(g.parts.keyExchange).toBe(80);
    expect(g.grade).toBe("B");
    expect(grade((i) => (i.dhBits = 4096)).parts.keyExchange).toBe(90);
  });

  it("scores export suites 40 and anonymous suites 0 in the key exchange", () => {
    expect(grade((i) => i.ciphers.push(suite("EXP-RC4-MD5", "TLSv1.2"))).parts.keyExchange).toBe(
      40,
    );
    const anon = grade((i) => i.ciphers.push(suite("ADH-AES256-GCM-SHA384")));
    expect(anon.parts.keyExchange).toBe(0);
    expect(anon.reasons.join(" ")).toMatch(/anonymous/);
  });

  it("averages the strongest and the weakest suite: a 56-bit suite scores 20, none 0", () => {
    const g = grade((i) => i.ciphers.push(suite("DES-CBC-SHA")));
    expect(g.parts.cipher).toBe(60);
    expect(g.score).toBe(81);
    expect(g.reasons.join(" ")).toMatch(/Weakest cipher suite has 56 bits/);
    expect(grade((i) => i.ciphers.push(suite("NULL-SHA256"))).parts.cipher).toBe(50);
  });

  it("maps scores to letters: A ≥ 80, B ≥ 65, C ≥ 50, D ≥ 35, E ≥ 20", () => {
    const b = grade((i) => {
      i.ciphers = [suite("DES-CBC-SHA")];
      i.key = { type: "ec", bits: null };
    });
    expect([b.score, b.grade]).toEqual([68, "B"]);
    const c = grade((i) => {
      i.ciphers = [suite("NULL-SHA256")];
      i.key = { type: "rsa", bits: 1500 };
    });
    expect([c.score, c.grade]).toEqual([54, "C"]);
    const tls10 = { TLSv1: true, "TLSv1.1": false, "TLSv1.2": false, "TLSv1.3": false };
    const d = grade((i) => {
      i.protocols = tls10;
      i.ciphers = [suite("ADH-DES-CBC-SHA", "TLSv1")];
    });
    expect([d.score, d.grade]).toEqual([35, "D"]);
    const e = grade((i) => {
      i.protocols = tls10;
      i.ciphers = [suite("AECDH-NULL-SHA", "TLSv1")];
    });
    expect([e.score, e.grade]).toEqual([27, "E"]);
  });

  it("caps at C for RC4 with TLS 1.1 or later, but not with TLS 1.0 alone", () => {
    const g = grade((i) => i.ciphers.push(suite("RC4-SHA", "TLSv1.2")));
    expect(g.grade).toBe("C");
    expect(g.reasons[0]).toMatch(/^Capped at C: RC4/);
    expect(grade((i) => i.ciphers.push(suite("ECDHE-RSA-RC4-SHA", "TLSv1"))).grade).toBe("A");
  });

  it("caps at C for TLS compression", () => {
    expect(grade((i) => (i.compression = true)).grade).toBe("C");
  });

  it("caps at C when neither TLS 1.2 nor TLS 1.3 is accepted", () => {
    const g = grade((i) => {
      i.protocols = { TLSv1: true, "TLSv1.1": false, "TLSv1.2": false, "TLSv1.3": false };
      i.ciphers = [suite("ECDHE-RSA-AES256-SHA", "TLSv1"), suite("ECDHE-RSA-AES128-SHA", "TLSv1")];
    });
    expect(g.score).toBe(27 + 27 + 36);
    expect(g.grade).toBe("C");
    expect(g.reasons[0]).toBe("Capped at C: neither TLS 1.2 nor TLS 1.3 is accepted.");
  });

  it("caps at B when SSL 3 is accepted and gives F when it is the best, or SSL 2 at all", () => {
    expect(grade((i) => (i.protocols.SSLv3 = true)).grade).toBe("B");
    expect(
      grade(
        (i) => (i.protocols = { SSLv3: true, TLSv1: false, "TLSv1.2": false, "TLSv1.3": false }),
      ).grade,
    ).toBe("F");
    expect(grade((i) => (i.protocols.SSLv2 = true)).grade).toBe("F");
  });

  it("gives F for an untrusted or expired certificate, a wrong name or an MD5 signature", () => {
    const expired = grade((i) => {
      i.certificate = {
        ...i.certificate!,
        trusted: false,
        trustError: "the certificate has expired",
      };
    });
    expect(expired.grade).toBe("F");
    expect(expired.reasons[0]).toBe(
      "F: the certificate is not trusted (the certificate has expired).",
    );
    expect(grade((i) => (i.certificate!.nameMatches = false)).reasons[0]).toBe(
      "F: the certificate is not for this domain.",
    );
    expect(grade((i) => (i.certificate!.md5Signature = true)).grade).toBe("F");
    expect(grade((i) => (i.certificate = null)).grade).toBe("F");
  });

  it("gives F when no handshake succeeded", () => {
    const g = grade((i) => {
      i.protocols = {};
      i.ciphers = [];
    });
    expect(g).toMatchObject({ grade: "F", score: 0 });
  });

  it("turns an A into A− without any forward-secret suite", () => {
    const g = grade((i) => {
      i.protocols = { "TLSv1.2": true };
      i.ciphers = [suite("AES256-GCM-SHA384"), suite("AES128-GCM-SHA256")];
    });
    expect(g.grade).toBe("A-");
    expect(g.reasons[0]).toMatch(/forward secrecy/);
  });

  it("orders grades for the worst of several ports", () => {
    expect(worseGrade("A", "A-")).toBe("A-");
    expect(worseGrade("C", "B")).toBe("C");
    expect(worseGrade("F", "A")).toBe("F");
  });
});

describe("cipher suite facts", () => {
  it("reads bits, forward secrecy and weaknesses from OpenSSL names", () => {
    expect(cipherFacts("TLS_CHACHA20_POLY1305_SHA256")).toMatchObject({
      bits: 256,
      forwardSecrecy: true,
    });
    expect(cipherFacts("ECDHE-RSA-AES128-GCM-SHA256")).toMatchObject({
      bits: 128,
      forwardSecrecy: true,
    });
    expect(cipherFacts("AES256-SHA")).toMatchObject({ bits: 256, forwardSecrecy: false });
    expect(cipherFacts("DES-CBC3-SHA").bits).toBe(168);
    expect(cipherFacts("RC4-MD5")).toMatchObject({ bits: 128, rc4: true });
    expect(cipherFacts("AECDH-AES128-SHA").anonymous).toBe(true);
    expect(cipherFacts("EXP-DES-CBC-SHA")).toMatchObject({ bits: 40, export: true });
  });
});
