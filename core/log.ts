import { maskAddresses } from "@/core/redact";

// Parley's own log lines: addresses are masked before anything is written, so no client
// address can reach a log even if one slips into an error message.
export function logError(scope: string, message: string): void {
  console.error(`[${scope}] ${maskAddresses(message)}`);
}

export function logInfo(scope: string, message: string): void {
  console.log(`[${scope}] ${maskAddresses(message)}`);
}
