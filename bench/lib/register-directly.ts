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
        const res = await fetch(`${o.ej.apiUrl}/register`, {
          method: "POST",
          headers: { authorization: `Bearer ${o.token}`, "content-type": "application/json" },
          body: JSON.stringify({
            user: `${o.prefix}${i}`,
            host: o.ej.vhost,
            password: `pw-${o.prefix}-${i}-0123456789`,
          }),
          // As the adapter sends it (provisioning/servers/ejabberd/http-api.ts), so the two
          // sides differ by the queue alone.
          redirect: "error",
          window: null,
        });
        if (res.status !== 200)
          throw new Error(`register ${o.prefix}${i}: ${res.status} ${await res.text()}`);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000 };
}
