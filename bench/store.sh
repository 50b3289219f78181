#!/usr/bin/env bash
# Store benchmark (issue 5): SqliteStore durable writes/s (1 and 16 writers) and list time, against
# the raw write+fsync rate of the same disk measured before and after in the same run.
#   bash bench/store.sh [--seconds 3] [--dir bench/.tmp/store] [--writers 16]
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --import tsx bench/store-bench.ts "$@"
