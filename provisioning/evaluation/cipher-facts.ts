// What the grade needs to know of a cipher suite, read from its OpenSSL name (Node's
// getCipher() gives the name and version only). Bit counts are the nominal key sizes
// the rating guide uses (3DES counts 168).

export type CipherFacts = {
  bits: number;
  forwardSecrecy: boolean;
  anonymous: boolean;
  export: boolean;
  rc4: boolean;
};

const BITS: [RegExp, number][] = [
  [/NULL/, 0],
  [/^EXP|EXPORT/, 40],
  [/CHACHA20/, 256],
  [/AES[-_]?256|CAMELLIA256|ARIA256/, 256],
  [/AES[-_]?128|CAMELLIA128|ARIA128|SEED|IDEA|RC4|RC2/, 128],
  [/DES-CBC3|3DES|DES_EDE/, 168],
  [/DES/, 56],
];

export function cipherFacts(name: string): CipherFacts {
  const n = name.toUpperCase();
  const bits = BITS.find(([re]) => re.test(n))?.[1] ?? 0;
  // TLS 1.3 suites (TLS_AES_…) always use an ephemeral exchange.
  const tls13 = n.startsWith("TLS_");
  return {
    bits,
    forwardSecrecy: tls13 || /^(ECDHE|DHE|EDH|AECDH|ADH)-/.test(n),
    anonymous: /^(ADH|AECDH)-/.test(n) || /ANON/.test(n),
    export: /^EXP|EXPORT/.test(n),
    rc4: /RC4/.test(n),
  };
}
