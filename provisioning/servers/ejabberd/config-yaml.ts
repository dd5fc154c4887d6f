// Reads what Parley needs from an ejabberd YAML file. ejabberd 23.01 has no API command listing
// loaded modules or listener options, so these come from the main config and the include file.

// Top-level module names under `modules:` in an ejabberd YAML file (2-space indented keys).
export function ejabberdModulesInYaml(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (/^modules:\s*(#.*)?$/.test(line)) {
      inside = true;
      continue;
    }
    if (!inside || /^\s*(#.*)?$/.test(line)) continue;
    if (/^\S/.test(line)) {
      inside = false;
      continue;
    }
    const m = /^ {2}(mod_[A-Za-z0-9_]+)\s*:/.exec(line);
    if (m) out.push(m[1]);
  }
  return out;
}

// null when no ejabberd_c2s listener was found; otherwise whether all of them require TLS.
export function ejabberdC2sRequiresTls(
  text: string,
): { listeners: number; requiring: number } | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^listen:\s*(#.*)?$/.test(l));
  if (start < 0) return null;
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line) && !/^\s*#/.test(line)) break;
    block.push(line);
  }
  const items = ("\n" + block.join("\n")).split(/\n\s*-(?=\s)/).slice(1);
  const c2s = items.filter((item) => /\bmodule:\s*ejabberd_c2s\b/.test(item));
  if (c2s.length === 0) return null;
  const requiring = c2s.filter(
    (item) => /\bstarttls_required:\s*true\b/.test(item) || /\btls:\s*true\b/.test(item),
  ).length;
  return { listeners: c2s.length, requiring };
}
