import { prisma } from "@/core/db";
import { createAdapter } from "@/provisioning/servers/registry";
import { encryptionKey } from "@/core/secrets";
import { Badge, Card } from "@/app/_components/ui";

// Asks the server, live: does the account exist, is it suspended, how many sessions are online.
// Only counts: never client addresses.
export async function ServerState({ accountId }: { accountId: string }) {
  const account = await prisma.xmppAccount.findUniqueOrThrow({ where: { id: accountId }, select: { localpart: true, server: true } });
  let state: { exists: boolean; suspended: boolean | null; sessions: number | null } | null = null;
  let problem: string | null = null;
  const adapter = (() => { try { return createAdapter(account.server, encryptionKey()); } catch (e) { problem = (e as Error).message; return null; } })();
  if (adapter) {
    try {
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("The server did not answer within 5 seconds.")), 5_000));
      state = await Promise.race([
        (async () => {
          const exists = await adapter.accountExists(account.localpart);
          if (!exists) return { exists, suspended: null, sessions: null };
          const [suspended, sessions] = await Promise.all([adapter.isSuspended(account.localpart), adapter.countSessions(account.localpart)]);
          return { exists, suspended, sessions };
        })(),
        timeout,
      ]);
    } catch (error) {
      problem = (error as Error).message;
    } finally {
      await adapter.close().catch(() => undefined);
    }
  }
  return (
    <Card title="On the server now">
      {state ? (
        <ul className="space-y-1 text-sm" data-testid="server-state">
          <li>{state.exists ? <Badge color="green">exists</Badge> : <Badge color="red">missing on the server</Badge>}</li>
          {state.exists ? <li>{state.suspended ? <Badge color="amber">login blocked</Badge> : <Badge color="green">can sign in</Badge>}</li> : null}
          {state.sessions !== null ? <li>{state.sessions} device{state.sessions === 1 ? "" : "s"} online</li> : null}
        </ul>
      ) : <p className="text-sm text-slate-600">Could not ask the server: {problem}</p>}
    </Card>
  );
}
