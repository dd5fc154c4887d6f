import { randomBytes } from "node:crypto";

// Row ids for inserts made without Prisma (core/sql.ts), shaped like the cuids Prisma makes for
// `@default(cuid())`: "c", the time, a counter, then randomness; 25 lowercase letters and digits.
let counter = 0;

export function newId(): string {
  counter = (counter + 1) % 36 ** 4;
  const time = Date.now().toString(36).padStart(8, "0").slice(-8);
  const count = counter.toString(36).padStart(4, "0");
  const random = BigInt(`0x${randomBytes(8).toString("hex")}`)
    .toString(36)
    .padStart(12, "0")
    .slice(-12);
  return `c${time}${count}${random}`;
}
