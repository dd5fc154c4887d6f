// The other half of a reconcile: how long a real ejabberd takes to list its accounts
// (`registered_users`, what EjabberdAdapter.listAccounts calls). Registering 100,000 accounts
// costs about 11 core-ms each (SCRAM), so this registers N (default 2,000), times the listing
// and scales it linearly to 100,000 (stated as an estimate wherever it is printed).
import { startEjabberd } from "../tests/harness/ejabberd";
import { EjabberdAdapter } from "../provisioning/servers/ejabberd/adapter";
import { percentile } from "./lib/stats";

export type ListingResult = { accounts: number; p50: number; max: number; per100k: number };

export async function benchEjabberdListing(n: number, runs = 5): Promise<ListingResult> {
  const ej = await startEjabberd({ loglevel: "warning" });
  try {
    const token = await ej.mintToken();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < n) {
          const i = next++;
          const res = await fetch(`${ej.apiUrl}/register`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({
              user: `list${i}`,
              host: ej.vhost,
              password: `pw-${i}-0123456789`,
            }),
          });
          if (res.status !== 200) throw new Error(`register list${i}: ${res.status}`);
        }
      }),
    );
    const adapter = new EjabberdAdapter({
      apiUrl: ej.apiUrl,
      token,
      domain: ej.vhost,
      mucDomain: ej.mucDomain,
    });
    const seconds: number[] = [];
    let accounts = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      accounts = (await adapter.listAccounts()).length;
      seconds.push((performance.now() - t0) / 1000);
    }
    seconds.sort((a, b) => a - b);
    const p50 = percentile(seconds, 50);
    return { accounts, p50, max: seconds[seconds.length - 1], per100k: (p50 / accounts) * 100_000 };
  } finally {
    await ej.stop();
  }
}
