#!/usr/bin/env bash
# Runs `newsclean run` as its split steps on one machine, with xargs running the shard steps
# side by side: the same outputs as `newsclean run`, byte for byte. A driver with no engine, so
# that a difference in scale/spark_run.py's output can be told apart as Rust's or Spark's.
#
#   scale/xargs_run.sh INPUT... --out DIR --shards N [-c pipeline.toml] [-P PROCESSES]
#
# Writes DIR/clean.csv, rejects.csv, edits.csv, clusters.csv and report.json; the steps' own
# files go to DIR/steps. The binary is $NEWSCLEAN_BIN, else target/release/newsclean.
set -euo pipefail

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
inputs=() out="" shards="" config=() procs=2
while [ $# -gt 0 ]; do
    case "$1" in
        --out) out="$2"; shift 2 ;;
        --shards) shards="$2"; shift 2 ;;
        -c|--config) config=(-c "$2"); shift 2 ;;
        -P) procs="$2"; shift 2 ;;
        -h|--help) usage ;;
        *) inputs+=("$1"); shift ;;
    esac
done
[ -n "$out" ] && [ -n "$shards" ] && [ ${#inputs[@]} -gt 0 ] || usage

here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${NEWSCLEAN_BIN:-$here/target/release/newsclean}"
[ -x "$bin" ] || { echo "xargs_run.sh: no newsclean binary at $bin (cargo build --release, or set NEWSCLEAN_BIN)" >&2; exit 2; }
steps="$out/steps"
# Each thread count is a setting, never a result: one thread per process, PROCESSES at once.
"$bin" steps plan "${inputs[@]}" ${config[@]+"${config[@]}"} --shards "$shards" --dir "$steps"
seq 0 $((shards - 1)) | xargs -P "$procs" -I{} "$bin" steps clean --dir "$steps" --shard {} -j1 -q
"$bin" steps cluster --dir "$steps" -q
seq 0 $((shards - 1)) | xargs -P "$procs" -I{} "$bin" steps write --dir "$steps" --shard {} -j1 -q
"$bin" steps merge --dir "$steps" -q -o "$out/clean.csv" --rejects "$out/rejects.csv" \
    --edits "$out/edits.csv" --clusters "$out/clusters.csv" --report "$out/report.json"
