import { getLiveAccountState } from "@/lib/accounts/queries";
import { Badge, Card } from "@/app/_components/ui";

// What the server says about the account, live: does it exist, is it suspended, how many
// sessions are online. Only counts: never client addresses.
export async function ServerState({ accountId }: { accountId: string }) {
  const state = await getLiveAccountState(accountId, { timeoutMs: 5_000 });
  return (
    <Card title="On the server now">
      {state.state === "ok" ? (
        <ul className="space-y-1 text-sm" data-testid="server-state">
          <li>
            {state.exists ? (
              <Badge color="green">exists</Badge>
            ) : (
              <Badge color="red">missing on the server</Badge>
            )}
          </li>
          {state.exists ? (
            <li>
              {state.suspended ? (
                <Badge color="amber">login blocked</Badge>
              ) : (
                <Badge color="green">can sign in</Badge>
              )}
            </li>
          ) : null}
          {state.sessions !== null ? (
            <li>
              {state.sessions} device{state.sessions === 1 ? "" : "s"} online
            </li>
          ) : null}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">Could not ask the server: {state.message}</p>
      )}
    </Card>
  );
}
