#!/usr/bin/env bash
# The whole test suite: installs the Debian packages the tests need (python3-requests, bubblewrap, chromium, …),
# builds, runs every test (unit, bUnit, engine tests on real python3, Playwright on Debian Chromium), and ends with
# one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh --with-test-deps || exit 1

results="$(pwd)/.tmp/test-results"
rm -rf "$results"
mkdir -p "$results"
export TMPDIR="$(pwd)/.tmp/tmp"
mkdir -p "$TMPDIR"

dotnet test Octocom.Dashboard.sln -c Release --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = 0
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(f).getroot().find("{*}ResultSummary/{*}Counters")
    if c is not None:
        passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
print(f"{passed} passed, {failed} failed")
PY
if [[ $status -eq 0 ]] && ! ls "$results"/*.trx >/dev/null 2>&1; then
  echo "no test results were produced" >&2
  exit 1
fi
exit $status
