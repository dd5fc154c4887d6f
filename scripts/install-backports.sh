#!/usr/bin/env bash
# Extracts Debian bookworm-backports' ejabberd 24.x and Prosody 13 (with the Erlang libraries and
# prosody-modules they need) into a private prefix, so the servers tests run a second time against
# them while the system keeps Debian 12's own ejabberd 23.01 and Prosody 0.12, which the rest of
# the suite relies on. Nothing is installed with dpkg: apt runs with its own source list, lists
# and cache inside the prefix and only downloads; the .debs are unpacked with dpkg -x.
#
# Layout: $PREFIX/root (the unpacked packages), $PREFIX/bin/prosody and prosodyctl (launchers
# pointing at root/usr/lib/prosody), $PREFIX/VERSIONS (what was unpacked). Idempotent: with
# VERSIONS present and matching this script's layout, nothing is downloaded; --refresh redoes it.
# Run after the Debian packages (scripts/install-test-deps.sh): the backports packages reuse
# Debian 12's Erlang/OTP 25 and Lua 5.4, which backports does not replace.
set -euo pipefail

PREFIX="${PARLEY_BACKPORTS_PREFIX:-/opt/parley-backports}"
LAYOUT="parley-backports layout 1"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

ready() {
  [ -f "$PREFIX/VERSIONS" ] && head -n1 "$PREFIX/VERSIONS" | grep -qx "$LAYOUT" &&
    [ -x "$PREFIX/bin/prosody" ] && compgen -G "$PREFIX/root/usr/lib/*-linux-gnu/ejabberd-*" >/dev/null
}
if [ "${1:-}" != "--refresh" ] && ready; then
  echo "[parley] backports servers already in $PREFIX ($(grep -E '^(ejabberd|prosody) ' "$PREFIX/VERSIONS" | tr '\n' ' '))"
  exit 0
fi

echo "[parley] unpacking bookworm-backports ejabberd and Prosody into $PREFIX"
work="$PREFIX.tmp"
$SUDO rm -rf "$work"
$SUDO mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/debs" "$work/root" "$work/bin"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
{
  for suite in bookworm bookworm-updates bookworm-backports; do
    echo "deb [signed-by=$keyring] http://deb.debian.org/debian $suite main"
  done
  echo "deb [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main"
} | $SUDO tee "$work/apt/sources.list" >/dev/null
APT_OPTS=(
  -o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
  -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache"
  -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root" -qq
)
$SUDO apt-get "${APT_OPTS[@]}" update

# What installing the backports releases would bring in besides the installed Debian 12 packages:
# the packages that come from backports are unpacked here; anything else is a plain Debian 12
# package (none today) and goes on the system like the other test dependencies.
WANTED=(ejabberd erlang-p1-oauth2 prosody prosody-modules)
plan=$(apt-get "${APT_OPTS[@]}" -s -o APT::Install-Recommends=false \
  install -t bookworm-backports "${WANTED[@]}" | grep '^Inst ' || true)
backports=$(echo "$plan" | grep -i 'backports' | awk '{print $2}' || true)
others=$(echo "$plan" | grep -vi 'backports' | grep -v '^Inst [^ ]* \[' | awk '{print $2}' || true)
for p in "${WANTED[@]}"; do
  echo "$backports" | grep -qx "$p" || { echo "[parley] bookworm-backports offers no newer $p" >&2; exit 1; }
done
if [ -n "$others" ]; then
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $others
fi
(cd "$work/debs" && for p in $backports; do $SUDO apt-get "${APT_OPTS[@]}" download "$p/bookworm-backports"; done)
for deb in "$work"/debs/*.deb; do $SUDO dpkg -x "$deb" "$work/root"; done

# Prosody's launchers hard-code /usr/lib/prosody; these copies point at the prefix instead.
for tool in prosody prosodyctl; do
  sed -e "s|^CFG_SOURCEDIR=.*|CFG_SOURCEDIR='$PREFIX/root/usr/lib/prosody';|" \
    -e "s|^CFG_PLUGINDIR=.*|CFG_PLUGINDIR='$PREFIX/root/usr/lib/prosody/modules/';|" \
    "$work/root/usr/bin/$tool" | $SUDO tee "$work/bin/$tool" >/dev/null
  $SUDO chmod 755 "$work/bin/$tool"
done

{
  echo "$LAYOUT"
  for deb in "$work"/debs/*.deb; do echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)"; done
} | $SUDO tee "$work/VERSIONS" >/dev/null
$SUDO rm -rf "$work/apt" "$work/debs"
$SUDO rm -rf "$PREFIX"
$SUDO mv "$work" "$PREFIX"
echo "[parley] backports servers ready: $(grep -E '^(ejabberd|prosody) ' "$PREFIX/VERSIONS" | tr '\n' ' ')"
