#!/usr/bin/env bash
# Tree-runtime targets (issue 4), ratios from one run:
#   1. in process: bench/trees.ts (kserve-ts's XGBoost evaluator vs XGBoost C++ 1.7.4, nthread=1)
#   2. end to end, V2 JSON c=8 (and c=32): kserve-ts vs the FastAPI + Booster.predict baseline
#      (python-baselines/server.py --kind xgboost, the anchors' xgb-iris model), hey via bench.sh,
#      order FastAPI → kserve-ts → FastAPI. The baseline runs with OMP_NUM_THREADS=1 (its Booster has
#      nthread=1; without it OpenMP threads spin and it collapses when the load generator shares the cores).
#   bash bench/trees.sh        (needs dist/: npm run build; hey and python3-xgboost: python-baselines/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
base=/work/shared/anchors/python-baselines
MODEL=$base/models/xgb-iris
DURATION=${DURATION:-10}
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$tmp"' EXIT
[ -f dist/bin/main.js ] || npm run -s build >&2

echo "## In process (bench/trees.ts)"
node --import tsx bench/trees.ts --seconds 3

port() { echo $((20000 + RANDOM % 20000)); }
fp=$(port); kp=$(port)
(cd "$base" && OMP_NUM_THREADS=1 exec /usr/bin/python3 server.py --kind xgboost --model-dir models/xgb-iris --name xgb-iris --port "$fp") >"$tmp/fa.out" 2>&1 &
pids+=($!); fpid=$!
./bin/kserve-ts.js model-server --model-dir "$MODEL/model.json" --model-name xgb-iris --http-port "$kp" --grpc-port 0 --host 127.0.0.1 --log-level warn >"$tmp/ks.out" 2>&1 &
pids+=($!); kpid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$fp/v2/health/live" >/dev/null && curl -sf "http://127.0.0.1:$kp/v2/health/ready" >/dev/null && break; sleep 0.2; done
V2=/v2/models/xgb-iris/infer
run() { CONCURRENCY="8 32" DURATION="${DURATION}s" NOHEADER=1 "$base/bench.sh" "http://127.0.0.1:$1$V2" "$base/payloads/v2.json" "$2" | awk -F'\t' -v s="$3" '{printf "%s c=%s rps=%.0f\n", s, $3, $6}'; }
echo
echo "## End to end, V2 JSON (hey)"
{ run "$fp" "$fpid" fastapi; run "$kp" "$kpid" kserve-ts; run "$fp" "$fpid" fastapi; } | tee "$tmp/e2e.txt"
awk '{split($2,c,"="); split($3,r,"="); if ($1=="fastapi") {fa[c[2]]+=r[2]; n[c[2]]++} else ks[c[2]]=r[2]}
  END {for (k in ks) printf "c=%s: kserve-ts %d rps / FastAPI %d rps (mean of 2) = %.2fx (target >= 2x)\n", k, ks[k], fa[k]/n[k], ks[k]/(fa[k]/n[k])}' "$tmp/e2e.txt"
