#!/usr/bin/env python3
"""Names benchmark: what the names stage rewrites on real news, and what it costs.

1. ukraine_war_2022 (447 articles, real spelling variants): runs the default pipeline and
   prints every replacement from the edits CSV grouped as "variant -> canonical: count", then
   counts table variants left in the clean text outside the exceptions (should be 0).
2. BBC (2,225 articles from 2004-05): the same grouping, to inspect for false positives
   (English words that look like variants must not be touched).
3. `newsclean names suggest` on ukraine_war_2022: the top 30 suggestions, for checking by eye.
4. Throughput: the default pipeline with names on and with names off on the same BBC input,
   one thread, median of 5 runs each, interleaved, reported as a ratio (the machine is shared
   and noisy, so only the ratio is meaningful); plus the stage's own seconds from the report.

Usage: python3 bench/names.py [--shared ../shared] [--runs 5]
"""

import argparse
import collections
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "names")
BINARY = os.path.join(ROOT, "target", "release", "newsclean")


def run(inputs, config=None, threads="1"):
    """Runs the default (or given) pipeline; returns clean rows, edit rows, report, seconds."""
    paths = {name: os.path.join(WORK, f"{name}.csv") for name in ("clean", "edits")}
    report = os.path.join(WORK, "report.json")
    cmd = [BINARY, "run", "-q", "-j", threads, "-o", paths["clean"], "--edits", paths["edits"],
           "--report", report]
    if config:
        cmd += ["-c", config]
    started = time.perf_counter()
    subprocess.run(cmd + inputs, check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    csv.field_size_limit(sys.maxsize)
    rows = {}
    for name, path in paths.items():
        with open(path, encoding="utf-8", newline="") as f:
            rows[name] = list(csv.DictReader(f))
    with open(report, encoding="utf-8") as f:
        return rows["clean"], rows["edits"], json.load(f), seconds


def replacements(edits):
    grouped = collections.Counter(
        (e["before"], e["after"], e["rule"]) for e in edits if e["action"] == "replace")
    for (before, after, rule), n in sorted(grouped.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:>4}  {before} -> {after}" + ("" if rule == "table" else f"  [{rule}]"))
    print(f"  total {sum(grouped.values())} replacements, {len(grouped)} distinct")


def variants_left(clean):
    variants = []
    with open(os.path.join(ROOT, "data", "names.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            variant, canonical = line.rstrip("\n").split("\t")[:2]
            if variant != canonical:
                variants.append(variant)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, variants)) + r")\b")
    exceptions = re.compile(r"(?i)chicken kiev|kiev chicken|odessa, (texas|tx|florida)|https?://\S+")
    left = collections.Counter()
    for row in clean:
        for text in (row["title"], row["text"]):
            left.update(m.group() for m in pattern.finditer(exceptions.sub("", text)))
    return left


def throughput(bbc, runs):
    off = os.path.join(WORK, "names-off.toml")
    with open(os.path.join(ROOT, "pipeline.toml"), encoding="utf-8") as f:
        text = f.read().replace('"data/', f'"{ROOT}/data/')
    text = re.sub(r"(\[names\]\n)enabled = true", r"\1enabled = false", text)
    with open(off, "w", encoding="utf-8") as f:
        f.write(text)
    times = {"names on": [], "names off": []}
    stage = []
    for _ in range(runs):
        _, _, report, seconds = run([bbc])
        times["names on"].append(seconds)
        stage.append(report["stage_seconds"]["names"])
        _, _, _, seconds = run([bbc], off)
        times["names off"].append(seconds)
    on, off_s = statistics.median(times["names on"]), statistics.median(times["names off"])
    mb = report["bytes_in"] / 1e6
    print(f"  names on : {on:.2f} s median of {runs} ({mb / on:.1f} MB/s)")
    print(f"  names off: {off_s:.2f} s median of {runs} ({mb / off_s:.1f} MB/s)")
    print(f"  ratio on/off: {on / off_s:.3f}; names stage itself {statistics.median(stage):.3f} s "
          f"({mb / statistics.median(stage):.0f} MB/s, {statistics.median(stage) / on:.1%} of the run)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    ukraine = os.path.join(args.shared, "corpora", "ukraine_war_2022", "articles")
    bbc = os.path.join(args.shared, "corpora", "bbc")

    print("== ukraine_war_2022: replacements")
    clean, edits, _, _ = run([ukraine])
    replacements(edits)
    left = variants_left(clean)
    print(f"  table variants left outside exceptions: {sum(left.values())} {dict(left)}")

    print("\n== BBC: replacements (inspect for false positives)")
    _, edits, _, _ = run([bbc])
    replacements(edits)

    print("\n== names suggest on ukraine_war_2022: top 30")
    out = subprocess.run([BINARY, "names", "suggest", "--top", "30", ukraine],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    for n, line in enumerate(out.stdout.splitlines(), 1):
        variant, canonical, kind, evidence = line.split("\t", 3)
        print(f"  {n:>2}. {variant} -> {canonical} ({kind}) {evidence[:90]}")

    print(f"\n== throughput on BBC, 1 thread, names on vs off")
    throughput(bbc, args.runs)


if __name__ == "__main__":
    main()
