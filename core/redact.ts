// Client addresses in any text: found (for log scans of the XMPP servers) and masked (for
// everything Parley itself writes), so no address reaches a log or an error report.

export const IPV4 =
  /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.])/g;
// Full, compressed and IPv4-mapped forms; needs at least two colons and one hex group.
export const IPV6 =
  /(?<![\w:])(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){0,6}(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){0,6}(?:[0-9a-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])/gi;

// The same masking for any text Parley itself logs.
export function maskAddresses(text: string): string {
  return text
    .replace(IPV4, "[IPv4]")
    .replace(IPV6, (m) => (/^\d{1,2}:\d{2}(:\d{2})?$/.test(m) ? m : "[IPv6]"));
}
