import type { EjabberdInstance } from "../../tests/harness/ejabberd";

// The provisioning benchmark's baseline: `n` register calls straight to ejabberd's
// mod_http_api, `concurrency` at a time, with the same bearer token the queue's adapter uses.
export async function registerDirectly(o: {
  ej: EjabberdInstance;
  token: string;
  prefix: string;
  n: number;
  concurrency: number;
}): Promise<{ seconds: number }> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < o.n) {
        const i = next++;
        // As the adapter calls it (provisioning/servers/ejabberd/http-api.ts), so the two sides
        // differ by the queue alone: bounded by a timer, and the answer read (an unread body
        // holds its connection until garbage collection).
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(), 10_000);
        try {
          const res = await fetch(`${o.ej.apiUrl}/register`, {
            method: "POST",
            headers: { authorization: `Bearer ${o.token}`, "content-type": "application/json" },
            body: JSON.stringify({
              user: `${o.prefix}${i}`,
              host: o.ej.vhost,
              password: `pw-${o.prefix}-${i}-0123456789`,
            }),
            signal: deadline.signal,
            redirect: "error",
            window: null,
          });
          const text = await res.text();
          if (res.status !== 200)
            throw new Error(`register ${o.prefix}${i}: ${res.status} ${text}`);
        } finally {
          clearTimeout(timer);
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000 };
}
