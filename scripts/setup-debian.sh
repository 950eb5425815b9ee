#!/usr/bin/env bash
# Installs the Debian packages Octocom needs, skipping what is already there. Idempotent.
#   runtime: python3 + requests (scripts), python3-holidays (is_holiday), bubblewrap (script sandbox)
#   tests:   chromium (Playwright drives Debian's Chromium; it cannot download its own), sqlite3 (handy for inspection)
set -euo pipefail
want=(python3 python3-requests python3-holidays bubblewrap)
[[ "${1:-}" == "--with-test-deps" ]] && want+=(chromium sqlite3)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
echo "Installing Debian packages: ${missing[*]}" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
