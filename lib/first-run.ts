import { getConfig } from "@/core/config";
import { issueFirstAdminLink, FIRST_ADMIN_LINK_HOURS } from "@/lib/users/first-admin-link";

// While no admin exists, every start prints a fresh one-time setup link (older ones stop working).
export async function announceFirstRun(): Promise<void> {
  const base = getConfig().publicUrl;
  try {
    const token = await issueFirstAdminLink();
    if (!token) return;
    const line = "=".repeat(72);
    console.log(
      `\n${line}\n Parley has no admin yet. Create the first admin with this one-time link\n (valid ${FIRST_ADMIN_LINK_HOURS} hours; restart Parley for a new one):\n\n   PARLEY_SETUP_URL=${base}/setup/${token}\n${line}\n`,
    );
  } catch (error) {
    console.error(
      `[parley] could not prepare the first-run setup link: ${(error as Error).message}`,
    );
  }
}
