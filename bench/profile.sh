#!/usr/bin/env bash
# CPU profiles of a server's main thread under one load each: a hint at where a failing row's
# server CPU goes. Starts a fresh `node --cpu-prof` server per scenario, loads it, stops it with
# SIGTERM (the profile is written at exit) and prints the top self-time functions with µs per
# request (bench/cpu-profile-top.ts). The bare-* scenarios profile the anchors under the same load,
# so a function's µs/request can be compared with what a do-nothing server spends on it.
# Needs dist/ (npm run build). About 15 s per scenario.
#
#   bash bench/profile.sh [SCENARIO...]    default: all of
#     v2-json-iris           kserve-ts, hey V2 JSON iris c=32              (targets 1, 2)
#     bare-http-v2-json-iris bare-http, the same load                      (anchor of target 2)
#     grpc-raw-iris          kserve-ts, grpc-load raw contents iris c=8    (targets 3, 4)
#     bare-grpc-raw-iris     bare-grpc, the same load                      (anchor of target 3)
#     v2-binary-img224       kserve-ts, http-load V2 binary 1x3x224x224 c=2 (target 5)
#     grpc-raw-img224        kserve-ts, grpc-load raw 1x3x224x224 c=2       (target 5)
#     v2-binary-mnist1024    kserve-ts, http-load V2 binary [1024,1,28,28] c=2, mnist-8 (target 6)
#     v2-binary-mlp1024      kserve-ts, the same load on mnist-mlp (target 6's stress row)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
base=/work/shared/anchors/python-baselines
IRIS_ONNX=$base/models/sklearn-iris-onnx/model.onnx
D=${PROFILE_DURATION:-8}
ALL="v2-json-iris bare-http-v2-json-iris grpc-raw-iris bare-grpc-raw-iris v2-binary-img224 grpc-raw-img224 v2-binary-mnist1024 v2-binary-mlp1024"
mkdir -p bench/.tmp
tmp=$(mktemp -d "$root/bench/.tmp/profile-XXXX")
TSX=(node --import tsx)
[ -f dist/bin/main.js ] || npm run -s build >&2
"${TSX[@]}" bench/make-models.ts --out "$tmp/models" >/dev/null
node_modules/.bin/esbuild bench/anchors/bare-http.ts bench/anchors/bare-grpc.ts --bundle --platform=node --format=esm \
  --packages=external --outdir="$tmp/anchors" --log-level=warning
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp/models"; }
trap cleanup EXIT

reqs_of_tsv() { cut -f7; } # the reqs column of a result line (lib/tsv.ts)

run() { # SCENARIO
  local name=$1 dir=$tmp/$1 models url grpc reqs
  mkdir -p "$dir"
  case $name in
    bare-http-*) node --cpu-prof --cpu-prof-dir "$dir" "$tmp/anchors/bare-http.js" --port 0 >"$dir/server.out" 2>&1 & ;;
    bare-grpc-*) node --cpu-prof --cpu-prof-dir "$dir" "$tmp/anchors/bare-grpc.js" --port 0 >"$dir/server.out" 2>&1 & ;;
    *)
      case $name in *iris) models=$IRIS_ONNX ;; *) models=$tmp/models ;; esac
      node --cpu-prof --cpu-prof-dir "$dir" bin/kserve-ts.js model-server --model-dir "$models" --model-name sklearn-iris \
        --http-port 0 --grpc-port 0 --host 127.0.0.1 --log-level warn >"$dir/server.out" 2>&1 &
      ;;
  esac
  pid=$!
  for _ in $(seq 300); do grep -q 'listening: ' "$dir/server.out" && break; sleep 0.1; done
  url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$dir/server.out" | head -1 || true)
  grpc=$(grep -oE '(grpc|listening:) 127\.0\.0\.1:[0-9]+' "$dir/server.out" | head -1 | cut -d' ' -f2 || true)
  case $name in
    *v2-json-iris)
      reqs=$(hey -z "${D}s" -c 32 -m POST -T application/json -D "$base/payloads/v2.json" "$url/v2/models/sklearn-iris/infer" |
        awk '/^  \[[0-9]+\]/ {n += $2} END {print n + 0}') ;;
    *grpc-raw-iris) reqs=$("${TSX[@]}" bench/grpc-load.ts --target "$grpc" --proto grpc-raw --payload iris --c 8 --duration "$D" --warmup 0 | reqs_of_tsv) ;;
    v2-binary-img224) reqs=$("${TSX[@]}" bench/http-load.ts --url "$url" --proto v2-binary --payload img224 --c 2 --duration "$D" --warmup 0 | reqs_of_tsv) ;;
    grpc-raw-img224) reqs=$("${TSX[@]}" bench/grpc-load.ts --target "$grpc" --proto grpc-raw --payload img224 --c 2 --duration "$D" --warmup 0 | reqs_of_tsv) ;;
    v2-binary-mnist1024) reqs=$("${TSX[@]}" bench/http-load.ts --url "$url" --proto v2-binary --payload mnist1024 --c 2 --duration "$D" --warmup 0 | reqs_of_tsv) ;;
    v2-binary-mlp1024) reqs=$("${TSX[@]}" bench/http-load.ts --url "$url" --proto v2-binary --payload mlp1024 --c 2 --duration "$D" --warmup 0 | reqs_of_tsv) ;;
    *) echo "unknown scenario $name (known: $ALL)" >&2; return 1 ;;
  esac
  kill "$pid"; wait "$pid" || true; pid=
  # CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
  echo "### $name (main thread)"
  echo
  "${TSX[@]}" bench/cpu-profile-top.ts --top 10 --requests "$reqs" "$dir"/CPU.*.*.*.0.*.cpuprofile
}

# shellcheck disable=SC2086
for one in ${*:-$ALL}; do run "$one"; done
