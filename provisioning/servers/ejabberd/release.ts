// ejabberd's release numbers ("23.01-1", "24.12-3~bpo12+1": year.month, then the packager's
// revision) and how a release takes API versions.
//
// mod_http_api commands have versions. Up to 24.01 an unversioned call runs version 0 and a
// version in the path is refused ("Missing command name"); from 24.02 an unversioned call runs the
// command's NEWEST version, and `/api/<command>/v<N>` picks version N (the newest at or below N).
// 24.x changed what several unversioned calls mean (24.12 answers kick_user with a sentence,
// wants lists for srg_create and oauth_issue_token's scopes, renames set_room_affiliation's
// arguments), so Parley names the version it was written for on every call from 24.02 on.

export type EjabberdRelease = { year: number; month: number; label: string };

export function parseRelease(label: string): EjabberdRelease | null {
  const match = /^(\d{2})\.(\d{2})(?:\.\d+)?(?:[-~+.\w]*)$/.exec(label.trim());
  if (!match) return null;
  return { year: Number(match[1]), month: Number(match[2]), label: label.trim() };
}

// The release named by `status`: "... Status: started ejabberd 24.12-3~bpo12+1 is running ...".
export function releaseFromStatus(status: string): EjabberdRelease | null {
  const label = /ejabberd (\S+) is running/.exec(status)?.[1];
  return label ? parseRelease(label) : null;
}

export function atLeast(release: EjabberdRelease, year: number, month: number): boolean {
  return release.year > year || (release.year === year && release.month >= month);
}

// Whether the path carries the API version: from 24.02, and for a release Parley cannot read
// (an unknown future format is more likely than an unknown past one).
export function versionsInPath(release: EjabberdRelease | null): boolean {
  return release === null || atLeast(release, 24, 2);
}

// The path under the API URL for one command at one version.
export function commandPath(
  command: string,
  version: number,
  release: EjabberdRelease | null,
): string {
  if (!versionsInPath(release)) {
    if (version !== 0)
      throw new Error(`ejabberd ${release?.label} has no version ${version} of ${command}`);
    return command;
  }
  return `${command}/v${version}`;
}
