#!/usr/bin/env bash
# The kserve-ts benchmark suite: every target as a ratio against anchors measured in the same run.
#
#   bash bench/run.sh            (or: npm run bench)
#
# Builds dist/, the bench-only models and the anchors (esbuild) into bench/.tmp/, starts each server on a free port,
# runs every row sequentially (A-B-A where a ratio depends on it), stops the servers, writes
# bench/results/<timestamp>.tsv and regenerates the tables in bench/RESULTS.md (bench/report.ts).
# About 8 minutes. Everything shares this machine's cores: keep the machine otherwise quiet (each
# result line carries other_cores, the load from anything else; the report flags noisy lines).
#
# Env: DURATION (hey/HTTP seconds per point, default 10), GRPC_DURATION (8), C1_DURATION (5),
#      WARMUP (seconds, 1), QUIET_WAIT_S (how long to wait for a quiet machine per phase, 120),
#      PROFILE=1 (afterwards, bench/profile.sh: CPU profiles of kserve-ts per load, to stdout),
#      NO_REPORT=1 (do not rewrite RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
base=/work/shared/anchors/python-baselines
IRIS_ONNX=$base/models/sklearn-iris-onnx/model.onnx
DURATION=${DURATION:-10} GRPC_DURATION=${GRPC_DURATION:-8} C1_DURATION=${C1_DURATION:-5} WARMUP=${WARMUP:-1}
QUIET_WAIT_S=${QUIET_WAIT_S:-120}
stamp=$(date +%Y%m%dT%H%M%S)
mkdir -p bench/results bench/.tmp
out=bench/results/$stamp.tsv
tmp=$(mktemp -d "$root/bench/.tmp/run-$stamp-XXXX")
TSX=(node --import tsx)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---- servers ------------------------------------------------------------------------------------
declare -A PIDS=()
stop() { # name
  local pid=${PIDS[$1]:-}
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  unset "PIDS[$1]"
}
cleanup() { for n in "${!PIDS[@]}"; do stop "$n"; done; rm -rf "$tmp/models"; }
trap cleanup EXIT

# start NAME REGEX CMD... : runs CMD in the background, waits until its stdout matches REGEX;
# the match's first capture group(s) are printed by the caller from $tmp/NAME.out.
start() {
  local name=$1 re=$2; shift 2
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  PIDS[$name]=$!
  for _ in $(seq 300); do
    grep -qE "$re" "$tmp/$name.out" 2>/dev/null && return 0
    kill -0 "${PIDS[$name]}" 2>/dev/null || { cat "$tmp/$name.err" >&2; die "$name exited during startup"; }
    sleep 0.1
  done
  die "$name did not start in 30 s (see $tmp/$name.err)"
}
free_port() { # a free port in 20000-39999 (never 8080)
  local p
  for _ in $(seq 100); do
    p=$((20000 + RANDOM % 20000))
    ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
  done
  die "no free port"
}

# ---- quiet machine ------------------------------------------------------------------------------
busy_cores() { # machine busy cores over $1 seconds
  local a b
  a=$(awk '/^cpu /{t=0; for(i=2;i<=NF;i++) t+=$i; print t-$5-$6, t; exit}' /proc/stat)
  sleep "$1"
  b=$(awk '/^cpu /{t=0; for(i=2;i<=NF;i++) t+=$i; print t-$5-$6, t; exit}' /proc/stat)
  awk -v a="$a" -v b="$b" -v n="$(nproc)" 'BEGIN{split(a,x," "); split(b,y," "); printf "%.2f", (y[2]>x[2]) ? (y[1]-x[1])/(y[2]-x[2])*n : 0}'
}
wait_quiet() {
  local t0=$SECONDS b
  while :; do
    b=$(busy_cores 2)
    awk -v b="$b" 'BEGIN{exit !(b < 0.25)}' && return 0
    if (( SECONDS - t0 >= QUIET_WAIT_S )); then log "WARNING: machine still busy ($b cores) after ${QUIET_WAIT_S}s; measuring anyway (see other_cores)"; return 0; fi
    log "machine busy ($b cores from other processes); waiting"
  done
}

# ---- measurements -------------------------------------------------------------------------------
emit() { tee -a "$out"; }
# measure CMD... : runs a measurement (prints result lines); if another process loaded the machine
# during it (any line's other_cores > 0.3), keeps those lines as comments, waits for quiet and
# measures once more. The second result stands, noisy or not (the report marks it).
measure() {
  local lines
  lines=$("$@") || return 1
  if awk -F'\t' '$18 != "NA" && $18 > 0.3 {bad=1} END {exit !bad}' <<<"$lines"; then
    log "other processes loaded the machine during: ${*:1:6}…; re-measuring once"
    sed 's/^/# noisy, re-measured: /' <<<"$lines" >>"$out"
    wait_quiet
    lines=$("$@") || return 1
  fi
  emit <<<"$lines"
}
# bench.sh (the anchors' fixed hey recipe) → our columns (lib/tsv.ts).
hey_rows() { # ROW SERVER PROTO URL PAYLOAD PID
  measure hey_lines "$@" || log "WARNING: $1 $2 $3 failed; continuing"
}
hey_lines() {
  local row=$1 server=$2 proto=$3 url=$4 payload=$5 pid=$6
  CONCURRENCY="8 32" DURATION="${DURATION}s" WARMUP="${WARMUP}s" NOHEADER=1 BENCH_OUT="$tmp/hey" \
    "$base/bench.sh" "$url" "$payload" "$pid" |
    awk -F'\t' -v OFS='\t' -v row="$row" -v server="$server" -v proto="$proto" '{
      cpu = ($6 > 0) ? $14 / $6 * 1e6 : "NA"
      printf "%s\t%s\t%s\tiris\t%s\t%s\t%s\t%d\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t%s\t%s\t%s\t%s\n",
        row, server, proto, $3, $4, $5, $12 + $13, $6, $8 * 1000, $9 * 1000, $10 * 1000, $11 * 1000,
        cpu, $14, $16, $17, $19, $21
    }'
}
http_row() { # ROW SERVER URL PID PROTO PAYLOAD C DURATION [extra flags]
  local row=$1 server=$2 url=$3 pid=$4 proto=$5 payload=$6 c=$7 dur=$8; shift 8
  measure "${TSX[@]}" bench/http-load.ts --row "$row" --server "$server" --url "$url" --pid "$pid" --proto "$proto" \
    --payload "$payload" --c "$c" --duration "$dur" --warmup "$WARMUP" "$@" || log "WARNING: $row $server $proto $payload c=$c failed; continuing"
}
grpc_row() { # ROW SERVER TARGET PID PROTO PAYLOAD C DURATION
  measure "${TSX[@]}" bench/grpc-load.ts --row "$1" --server "$2" --target "$3" --pid "$4" --proto "$5" \
    --payload "$6" --c "$7" --duration "$8" --warmup "$WARMUP" || log "WARNING: $1 $2 $5 $6 c=$7 failed; continuing"
}
rss_row() { # ROW SERVER PID : resident memory now (idle)
  local kb
  kb=$(awk '/^VmRSS:/{print $2}' "/proc/$3/status")
  printf '%s\t%s\tidle\tiris\t0\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\t%.1f\tNA\tNA\t%s\n' "$1" "$2" "$(awk -v k="$kb" 'BEGIN{print k/1024}')" "$(date -Is)" | emit
}
warm_http() { # URL PAYLOAD : a short discarded hey burst
  hey -z 2s -c 8 -m POST -T application/json -D "$2" "$1" >/dev/null
}

# ---- 0. build -----------------------------------------------------------------------------------
command -v hey >/dev/null || die "hey missing: run $base/setup.sh"
log "building dist/ (npm run build)"
npm run -s build >&2
"${TSX[@]}" bench/make-models.ts --out "$tmp/models" >&2
# The anchors run as plain JavaScript, like kserve-ts's dist/ (no tsx loader hooks at run time).
node_modules/.bin/esbuild bench/anchors/bare-http.ts bench/anchors/bare-grpc.ts --bundle --platform=node --format=esm \
  --packages=external --outdir="$tmp/anchors" --log-level=warning
"${TSX[@]}" -e 'import("./bench/lib/tsv.ts").then((m) => console.log(m.header()))' | tee "$out"
# What was measured, for the report: the commit dist/ was built from (and whether src/ differed).
dirty=$(git status --porcelain -- src proto | grep -q . && echo ' + uncommitted changes in src/' || true)
printf '# meta: kserve-ts %s%s; node %s; %s CPUs (%s); %s\n' "$(git rev-parse --short HEAD)" "$dirty" "$(node --version)" \
  "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(date -Is)" | tee -a "$out"

# ---- 1. the iris servers: FastAPI, kserve-ts, bare node:http, bare grpc-js -------------------------
fport=$(free_port)
# uvicorn logs nothing at log level warning: wait for its health route instead of a line.
(cd "$base" && exec /usr/bin/python3 server.py --kind sklearn --model-dir models/sklearn-iris --name sklearn-iris --port "$fport") \
  >"$tmp/fastapi.out" 2>"$tmp/fastapi.err" &
PIDS[fastapi]=$!
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$fport/v2/health/live" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$fport/v2/health/live" >/dev/null || die "FastAPI baseline did not start (see $tmp/fastapi.err)"
FA="http://127.0.0.1:$fport"
start kserve 'listening: http' bin/kserve-ts.js model-server --model-dir "$IRIS_ONNX" --model-name sklearn-iris \
  --http-port 0 --grpc-port 0 --host 127.0.0.1 --log-level warn
KS=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$tmp/kserve.out" | head -1)
KG=$(grep -oE 'grpc 127\.0\.0\.1:[0-9]+' "$tmp/kserve.out" | head -1 | cut -d' ' -f2)
start bare-http 'listening: http' node "$tmp/anchors/bare-http.js" --port 0
BH=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$tmp/bare-http.out" | head -1)
start bare-grpc 'listening: ' node "$tmp/anchors/bare-grpc.js" --port 0
BG=$(grep -oE '127\.0\.0\.1:[0-9]+' "$tmp/bare-grpc.out" | head -1)
log "fastapi $FA (pid ${PIDS[fastapi]}), kserve-ts $KS + grpc $KG (pid ${PIDS[kserve]}), bare-http $BH, bare-grpc $BG"
V1=/v1/models/sklearn-iris:predict V2=/v2/models/sklearn-iris/infer
P1=$base/payloads/v1.json P2=$base/payloads/v2.json

# r7: resident memory with one small model, idle after a warm-up
log "r7: idle RSS after warm-up"
wait_quiet
for s in fastapi:$FA kserve:$KS; do warm_http "${s#*:}$V1" "$P1"; warm_http "${s#*:}$V2" "$P2"; done
sleep 3
rss_row r7 fastapi "${PIDS[fastapi]}"
rss_row r7 kserve-ts "${PIDS[kserve]}"

# r1 (FastAPI – kserve-ts – FastAPI) and r2 (kserve-ts – bare-http – kserve-ts – bare-http), hey recipe
log "r1/r2: V1 and V2 JSON, hey c=8,32"
wait_quiet
hey_rows r1 fastapi v1-json "$FA$V1" "$P1" "${PIDS[fastapi]}"
hey_rows r1 fastapi v2-json "$FA$V2" "$P2" "${PIDS[fastapi]}"
hey_rows r1 kserve-ts v1-json "$KS$V1" "$P1" "${PIDS[kserve]}"
hey_rows r1 kserve-ts v2-json "$KS$V2" "$P2" "${PIDS[kserve]}"
hey_rows r2 bare-http v2-json "$BH$V2" "$P2" "${PIDS[bare-http]}"
hey_rows r1 fastapi v1-json "$FA$V1" "$P1" "${PIDS[fastapi]}"
hey_rows r1 fastapi v2-json "$FA$V2" "$P2" "${PIDS[fastapi]}"
hey_rows r2 kserve-ts v2-json "$KS$V2" "$P2" "${PIDS[kserve]}"
# The bare anchor twice too (K-B-K-B): one 10 s run of it swung 49k–61k rps between full runs.
hey_rows r2 bare-http v2-json "$BH$V2" "$P2" "${PIDS[bare-http]}"
stop fastapi

# r3: gRPC ModelInfer, bare-grpc – kserve-ts – bare-grpc, raw and typed contents
log "r3: gRPC ModelInfer c=8,32"
wait_quiet
for pass in 1 2 3; do
  if [ $pass = 2 ]; then srv=kserve-ts tgt=$KG pid=${PIDS[kserve]}; else srv=bare-grpc tgt=$BG pid=${PIDS[bare-grpc]}; fi
  for proto in grpc-raw grpc-fp32; do for c in 8 32; do
    grpc_row r3 "$srv" "$tgt" "$pid" "$proto" iris "$c" "$GRPC_DURATION"
  done; done
done

# r4: c=1 latency; in-process session.run, then bare – kserve-ts – bare for HTTP binary and gRPC raw
log "r4: c=1 latency"
wait_quiet
"${TSX[@]}" bench/session-run.ts --model "$IRIS_ONNX" --row r4 | emit
http_row r4 bare-http "$BH" "${PIDS[bare-http]}" v2-binary iris 1 "$C1_DURATION"
http_row r4 kserve-ts "$KS" "${PIDS[kserve]}" v2-binary iris 1 "$C1_DURATION"
http_row r4 bare-http "$BH" "${PIDS[bare-http]}" v2-binary iris 1 "$C1_DURATION"
grpc_row r4 bare-grpc "$BG" "${PIDS[bare-grpc]}" grpc-raw iris 1 "$C1_DURATION"
grpc_row r4 kserve-ts "$KG" "${PIDS[kserve]}" grpc-raw iris 1 "$C1_DURATION"
grpc_row r4 bare-grpc "$BG" "${PIDS[bare-grpc]}" grpc-raw iris 1 "$C1_DURATION"
stop bare-http; stop bare-grpc; stop kserve

# ---- 2. kserve-ts with the bench-built models: gap224 (r5), mnist and mnist-mlp (r6) ---------------
start kserve2 'listening: http' bin/kserve-ts.js model-server --model-dir "$tmp/models" \
  --http-port 0 --grpc-port 0 --host 127.0.0.1 --log-level warn
KS2=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$tmp/kserve2.out" | head -1)
KG2=$(grep -oE 'grpc 127\.0\.0\.1:[0-9]+' "$tmp/kserve2.out" | head -1 | cut -d' ' -f2)
grep -q 'gap224: READY' "$tmp/kserve2.out" && grep -q 'mnist: READY' "$tmp/kserve2.out" && grep -q 'mnist-mlp: READY' "$tmp/kserve2.out" || { cat "$tmp/kserve2.out" >&2; die "bench models not READY"; }
pid2=${PIDS[kserve2]}

log "r5: 1x3x224x224 FP32, server CPU per request by transport"
wait_quiet
http_row r5 kserve-ts "$KS2" "$pid2" v2-json img224 2 "$DURATION"
http_row r5 kserve-ts "$KS2" "$pid2" v2-binary img224 2 "$DURATION"
grpc_row r5 kserve-ts "$KG2" "$pid2" grpc-raw img224 2 "$DURATION"

# r6: health probe p99 under load. probe_under LOAD_PAYLOAD PROBE_LABEL
probe_under() {
  "${TSX[@]}" bench/http-load.ts --row r6 --server kserve-ts --url "$KS2" --pid "$pid2" --proto v2-binary \
    --payload "$1" --c 2 --duration 14 --warmup 1 >"$tmp/r6-load-$1.tsv" &
  local loadpid=$!
  sleep 3
  # (not through measure(): a re-measurement would no longer overlap the load)
  "${TSX[@]}" bench/http-load.ts --row r6 --server kserve-ts --url "$KS2" --pid "$pid2" --proto health \
    --payload "$2" --interval-ms 5 --duration 10 --warmup 0 | emit || log "WARNING: r6 probe ($2) failed"
  wait "$loadpid"
  emit <"$tmp/r6-load-$1.tsv"
}
log "r6: /v2/health/live p99 while MNIST batch-1024 inferences run back-to-back (then the mnist-mlp stress row)"
wait_quiet
http_row r6 kserve-ts "$KS2" "$pid2" health idle 1 5 --interval-ms 5 --warmup 0
probe_under mnist1024 under-load
wait_quiet
probe_under mlp1024 under-stress
stop kserve2

log "results: $out"
rflags=(--tsv "$out")
if [ "${PROFILE:-0}" = 1 ]; then
  log "CPU profiles (bench/profile.sh)"
  wait_quiet
  bash bench/profile.sh >"bench/results/$stamp.profile.md"
  rflags+=(--profile "bench/results/$stamp.profile.md")
fi
[ "${NO_REPORT:-0}" = 1 ] || rflags+=(--write bench/RESULTS.md)
"${TSX[@]}" bench/report.ts "${rflags[@]}"
