#!/usr/bin/env bash
# API server benchmark: kubectl apply of N InferenceServices, kubectl get -A, LIST server time,
# and WATCHERS concurrent watch streams (see bench/apiserver-bench.ts). About a minute.
#
#   bash bench/apiserver.sh        Env: N (1000), WATCHERS (100), WRITES (200), LIST_RUNS (20), KUBECTL
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x "${KUBECTL:-/usr/bin/kubectl}" ]; then
  echo "kubectl not found at ${KUBECTL:-/usr/bin/kubectl}: install it (Debian: apt-get install kubernetes-client) or set KUBECTL" >&2
  exit 1
fi
exec node --import tsx bench/apiserver-bench.ts
