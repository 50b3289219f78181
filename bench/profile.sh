#!/usr/bin/env bash
# CPU profiles of kserve-ts's main thread under one load each (a hint at where a failing row's
# server CPU goes). Starts a fresh `node --cpu-prof bin/kserve-ts.js` per scenario, loads it, stops
# it with SIGTERM (the profile is written at exit) and prints the top self-time functions
# (bench/cpu-profile-top.ts). Needs dist/ (npm run build). About 15 s per scenario.
#
#   bash bench/profile.sh [SCENARIO...]    default: all of
#     v2-json-iris       hey, V2 JSON iris, c=32            (targets 1, 2)
#     grpc-raw-iris      grpc-load, raw contents iris, c=8  (target 3)
#     v2-binary-img224   http-load, V2 binary 1x3x224x224, c=2 (target 5)
#     grpc-raw-img224    grpc-load, raw contents 1x3x224x224, c=2 (target 5)
#     v2-binary-mlp1024  http-load, V2 binary [1024,1,28,28], c=2 (target 6)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
base=/work/shared/anchors/python-baselines
IRIS_ONNX=$base/models/sklearn-iris-onnx/model.onnx
D=${PROFILE_DURATION:-8}
mkdir -p bench/.tmp
tmp=$(mktemp -d "$root/bench/.tmp/profile-XXXX")
TSX=(node --import tsx)
[ -f dist/bin/main.js ] || npm run -s build >&2
"${TSX[@]}" bench/make-models.ts --out "$tmp/models" >/dev/null
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$tmp/models"; }
trap cleanup EXIT

run() { # SCENARIO
  local name=$1 dir=$tmp/$1 models url grpc
  case $name in *iris) models=$IRIS_ONNX ;; *) models=$tmp/models ;; esac
  mkdir -p "$dir"
  node --cpu-prof --cpu-prof-dir "$dir" bin/kserve-ts.js model-server --model-dir "$models" --model-name sklearn-iris \
    --http-port 0 --grpc-port 0 --host 127.0.0.1 --log-level warn >"$dir/server.out" 2>&1 &
  pid=$!
  for _ in $(seq 300); do grep -q 'listening: http' "$dir/server.out" && break; sleep 0.1; done
  url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$dir/server.out" | head -1)
  grpc=$(grep -oE 'grpc 127\.0\.0\.1:[0-9]+' "$dir/server.out" | head -1 | cut -d' ' -f2)
  case $name in
    v2-json-iris) hey -z "${D}s" -c 32 -m POST -T application/json -D "$base/payloads/v2.json" "$url/v2/models/sklearn-iris/infer" >/dev/null ;;
    grpc-raw-iris) "${TSX[@]}" bench/grpc-load.ts --target "$grpc" --proto grpc-raw --payload iris --c 8 --duration "$D" --warmup 0 >/dev/null ;;
    v2-binary-img224) "${TSX[@]}" bench/http-load.ts --url "$url" --proto v2-binary --payload img224 --c 2 --duration "$D" --warmup 0 >/dev/null ;;
    grpc-raw-img224) "${TSX[@]}" bench/grpc-load.ts --target "$grpc" --proto grpc-raw --payload img224 --c 2 --duration "$D" --warmup 0 >/dev/null ;;
    v2-binary-mlp1024) "${TSX[@]}" bench/http-load.ts --url "$url" --proto v2-binary --payload mlp1024 --c 2 --duration "$D" --warmup 0 >/dev/null ;;
    *) echo "unknown scenario $name" >&2; return 1 ;;
  esac
  kill "$pid"; wait "$pid" || true; pid=
  # CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile; thread 0 is the main thread.
  echo "### $name (main thread)"
  echo
  "${TSX[@]}" bench/cpu-profile-top.ts --top 12 "$dir"/CPU.*.*.*.0.*.cpuprofile
}

for s in "${@:-v2-json-iris grpc-raw-iris v2-binary-img224 grpc-raw-img224 v2-binary-mlp1024}"; do
  for one in $s; do run "$one"; done
done
