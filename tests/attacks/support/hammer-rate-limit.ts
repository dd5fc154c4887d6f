import { allowAttempt } from "@/lib/rate-limit/attempts";

// A separate console process in miniature: fires `attempts` calls at one limit at once and
// prints how many were allowed. Run by tests/attacks/16-shared-rate-limits.test.ts.
const [scope, key, limit, attempts] = process.argv.slice(3);
const results = await Promise.all(
  Array.from({ length: Number(attempts) }, () =>
    Promise.resolve(allowAttempt(scope!, key!, Number(limit), 10 * 60_000)),
  ),
);
process.stdout.write(`${JSON.stringify({ allowed: results.filter(Boolean).length })}\n`);
process.exit(0);
