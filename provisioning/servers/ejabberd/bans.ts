// ejabberd's own bans (ban_account version 2, from 24.06; needs mod_private), as Parley sees
// them: it never bans (adapter.ts says why), but an account banned by someone else with
// ejabberdctl or the API is suspended all the same, so it reads as suspended, and Parley's
// unsuspension lifts the ban. unban_account puts back the password ban_account parked.
// Observed on 24.12: get_ban_details answers {} for an account that is not banned (or does not
// exist) and {reason, bandate, lastdate, lastreason} for a banned one; the record is kept in the
// account's private storage, so unregister removes it with the account.

import { EjabberdApiError, type EjabberdApi } from "./http-api";
import { atLeast } from "./release";

const BANS_VERSION = 2;

export class EjabberdBans {
  constructor(
    private readonly api: EjabberdApi,
    private readonly host: string,
  ) {}

  private async supported(): Promise<boolean> {
    const release = await this.api.serverRelease();
    return release !== null && atLeast(release, 24, 6);
  }

  async banned(user: string): Promise<boolean> {
    if (!(await this.supported())) return false;
    try {
      const details = await this.api.call<Record<string, string> | unknown[]>(
        "get_ban_details",
        { user, host: this.host },
        { version: BANS_VERSION },
      );
      return !Array.isArray(details) && Object.keys(details ?? {}).length > 0;
    } catch (error) {
      // Without mod_private there is nothing to read, and no ban either.
      if (error instanceof EjabberdApiError && error.status === 500) return false;
      throw error;
    }
  }

  // Idempotent: an account that is not banned is left alone.
  async lift(user: string): Promise<void> {
    if (!(await this.banned(user))) return;
    const result = await this.api.call<unknown>(
      "unban_account",
      { user, host: this.host },
      { version: BANS_VERSION },
    );
    if (result !== 0)
      throw new EjabberdApiError("unban_account", 200, null, `returned ${JSON.stringify(result)}`);
  }
}
