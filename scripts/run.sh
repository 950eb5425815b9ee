#!/usr/bin/env bash
# Runs the dashboard on http://127.0.0.1:5000 with an embedded SQLite database (created, migrated and filled with
# demo data on first start). Extra arguments go to the app, e.g. --DemoData:ConversationCount=1000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-debian.sh
exec dotnet run --project Octocom.Dashboard -c Release -- "$@"
