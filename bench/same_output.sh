#!/usr/bin/env bash
# Do two newsclean binaries write the same bytes? For speed changes that must not change
# behaviour: runs OLD and NEW with the repository's pipeline.toml (-j 2) on each input and
# compares the clean, rejects, edits and clusters CSVs byte for byte.
#
#   bench/same_output.sh OLD_BINARY NEW_BINARY [INPUT...]
#
# Without INPUTs: the corpora of ../shared/corpora (bbc, ukraine_war_2022, wmt22, scraped).
# Prints one line per input (identical or not, and each binary's wall time and peak RSS from
# GNU time, one run each, so only a rough guide) and exits 1 when any output differs.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
old=$1 new=$2
shift 2
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then
    for c in bbc ukraine_war_2022 wmt22 scraped; do inputs+=("$here/../shared/corpora/$c"); done
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for input in "${inputs[@]}"; do
    for side in old new; do
        bin=$old
        [ $side = new ] && bin=$new
        out="$work/$side"
        rm -rf "$out" && mkdir -p "$out"
        /usr/bin/time -f "%e s %M kB" -o "$out/time" "$bin" run -q -j 2 -c "$here/pipeline.toml" \
            -o "$out/clean.csv" --rejects "$out/rejects.csv" --edits "$out/edits.csv" \
            --clusters "$out/clusters.csv" "$input"
    done
    same=identical
    for f in clean rejects edits clusters; do
        cmp -s "$work/old/$f.csv" "$work/new/$f.csv" || { same="DIFFERENT ($f.csv)"; status=1; }
    done
    echo "$(basename "$input"): $same; old $(cat "$work/old/time"), new $(cat "$work/new/time")"
done
exit $status
