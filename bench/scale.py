#!/usr/bin/env python3
"""Costs of a split run (`newsclean steps`) per document, and what they make of a big dump.

Runs, on a dump of bench/dedup_corpus.py (100k documents by default, split into 8 files so
that shards can cut it), in one invocation so the figures can be compared:

* ``newsclean run -j2`` (the reference: the whole pipeline in one process), and
* the steps one after the other, as scale/xargs_run.sh runs them with 2 processes: plan, the
  shards' `clean` (2 at a time, -j1 each), `cluster` (-j2), the shards' `write` (2 at a
  time), `merge`.

For every step it prints wall seconds, CPU seconds per 1,000 documents and peak resident
memory (the largest of its processes, from wait4), the bytes it leaves on disk per document,
and checks that the merged clean, rejects, edits and clusters CSVs are byte-identical to
run's. Then it prints a paper estimate for a dump of --estimate documents (500 million by
default): CPU-hours of the shard steps (which spread over any number of machines), wall time
and memory of the one-process cluster step (which does not), and the disk the step files take,
all scaled linearly from the measured per-document costs. Linear scaling is an assumption for
the cluster step's index (its memory grows with distinct documents; its candidate checks with
bucket sizes, capped at 64), stated as such in the output.

    python3 bench/scale.py [--docs 100000] [--shards 8] [--estimate 500000000] [--no-build]

Figures move with the machine's load; the ratios of steps to run, measured together, hold
better than the absolute seconds.
"""

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "scale")
BINARY = os.path.join(ROOT, "target", "release", "newsclean")


def timed(command):
    """Runs a command; returns (wall seconds, CPU seconds, peak RSS in MB)."""
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(command[:4])}... failed ({code}): {stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def side_by_side(commands, processes):
    """Runs commands `processes` at a time; returns (wall seconds, summed CPU, largest RSS)."""
    start = time.monotonic()
    with ThreadPoolExecutor(processes) as pool:
        results = list(pool.map(timed, commands))
    return (time.monotonic() - start, sum(r[1] for r in results), max(r[2] for r in results))


def dump(docs, shared):
    """The generated corpus, split into 8 files (made once per size)."""
    folder = os.path.join(WORK, f"input-{docs}")
    if os.path.isdir(folder):
        return folder
    generated = os.path.join(WORK, "generated")
    name = f"{docs // 1000}k.jsonl" if docs % 1000 == 0 else f"{docs}.jsonl"
    if not os.path.exists(os.path.join(generated, name)):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "dedup_corpus.py"), "--docs",
                        str(docs), "--out", generated, "--shared", shared], check=True,
                       stdout=subprocess.DEVNULL)
    # Streamed, so that this process stays small: a child's peak RSS (wait4) starts from its
    # parent's at fork.
    source = os.path.join(generated, name)
    with open(source, encoding="utf-8") as f:
        per_file = -(-sum(1 for _ in f) // 8)
    partial = folder + ".partial"
    os.makedirs(partial, exist_ok=True)
    with open(source, encoding="utf-8") as f:
        for i in range(8):
            with open(os.path.join(partial, f"part-{i}.jsonl"), "w", encoding="utf-8") as out:
                for _, line in zip(range(per_file), f):
                    out.write(line)
    os.rename(partial, folder)
    return folder


def outputs(folder):
    return {name: os.path.join(folder, name)
            for name in ("clean.csv", "rejects.csv", "edits.csv", "clusters.csv")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--estimate", type=int, default=500_000_000,
                        help="documents of the dump the paper estimate is for")
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "corpora", "bbc")):
        sys.exit(f"bench/scale.py needs {args.shared}/corpora/bbc")
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(WORK, exist_ok=True)
    binary = os.path.join(WORK, "newsclean")
    shutil.copy2(BINARY, binary)
    corpus = dump(args.docs, args.shared)
    size = sum(os.path.getsize(os.path.join(corpus, f)) for f in os.listdir(corpus))

    def write_args(folder):
        o = outputs(folder)
        return ["-o", o["clean.csv"], "--rejects", o["rejects.csv"], "--edits", o["edits.csv"],
                "--clusters", o["clusters.csv"], "--report", os.path.join(folder, "report.json")]

    run_out = os.path.join(WORK, "run")
    os.makedirs(run_out, exist_ok=True)
    rows = [("run -j2 (one process)",) + timed([binary, "run", corpus, "-q", "-j2",
                                                 *write_args(run_out)])]
    steps_out = os.path.join(WORK, "steps")
    steps = os.path.join(steps_out, "steps")
    shards = [str(k) for k in range(args.shards)]
    rows.append(("plan",) + timed([binary, "steps", "plan", corpus, "--shards",
                                   str(args.shards), "--dir", steps]))
    rows.append((f"clean ({args.shards} shards, 2 at a time, -j1)",) + side_by_side(
        [[binary, "steps", "clean", "--dir", steps, "--shard", k, "-q", "-j1"]
         for k in shards], 2))
    kept = sum(os.path.getsize(os.path.join(steps, f)) for f in os.listdir(steps)
               if f.endswith(".kept"))
    rows.append(("cluster (one process, -j2)",) + timed(
        [binary, "steps", "cluster", "--dir", steps, "-q", "-j2"]))
    outcomes = sum(os.path.getsize(os.path.join(steps, f)) for f in os.listdir(steps)
                   if f.endswith(".outcomes.jsonl"))
    rows.append((f"write ({args.shards} shards, 2 at a time, -j1)",) + side_by_side(
        [[binary, "steps", "write", "--dir", steps, "--shard", k, "-q", "-j1"]
         for k in shards], 2))
    rows.append(("merge",) + timed([binary, "steps", "merge", "--dir", steps, "-q",
                                    *write_args(steps_out)]))
    same = all(filecmp.cmp(a, b, shallow=False)
               for a, b in zip(outputs(run_out).values(), outputs(steps_out).values()))

    n = args.docs
    print(f"corpus: bench/dedup_corpus.py, {n:,} documents, {size / 1e6:.0f} MB in 8 files; "
          f"{args.shards} shards")
    print()
    print("| step | wall s | CPU s per 1k docs | peak RSS MB |")
    print("|---|---|---|---|")
    for name, wall, cpu, rss in rows:
        print(f"| {name} | {wall:.1f} | {cpu / n * 1000:.2f} | {rss:.0f} |")
    steps_wall = sum(r[1] for r in rows[1:])
    print()
    print(f"steps in all: {steps_wall:.1f} s wall, {steps_wall / rows[0][1]:.2f}x run's; "
          f"outputs byte-identical to run's: {'yes' if same else 'NO'}")
    print(f"step files: {kept / n:,.0f} bytes per document kept by clean "
          f"({kept / size:.2f}x the input), {outcomes / n:,.1f} bytes per document of outcomes")

    # The paper estimate: every per-document cost scaled linearly.
    by_name = {name.split(" ")[0]: (wall, cpu, rss) for name, wall, cpu, rss in rows}
    clean_cpu, write_cpu = by_name["clean"][1] / n, by_name["write"][1] / n
    cluster_wall, cluster_cpu, cluster_rss = by_name["cluster"]
    with open(os.path.join(steps_out, "report.json"), encoding="utf-8") as f:
        index = json.load(f).get("dedup_index") or {}
    per_doc_index = index.get("bytes", 0) / n
    m = args.estimate
    print()
    print(f"paper estimate for {m:,} documents like these ({size / n / 1e3:.1f} KB each), "
          f"every cost linear in documents:")
    print(f"- clean: {clean_cpu * m / 3600:,.0f} CPU-hours, spread over the shards "
          f"(e.g. {m // 1_000_000:,} shards of 1M documents: "
          f"{clean_cpu * 1e6 / 60:.0f} CPU-minutes each)")
    print(f"- write: {write_cpu * m / 3600:,.0f} CPU-hours, spread likewise")
    print(f"- cluster, one process on a 2-core machine like this one: "
          f"{cluster_wall / n * m / 3600:,.0f} hours wall ({cluster_cpu / n * m / 3600:,.0f} "
          f"CPU-hours); its index held {per_doc_index:,.0f} bytes per document here "
          f"({per_doc_index * m / 1e9:,.0f} GB at {m:,}; peak RSS {cluster_rss:.0f} MB here, "
          f"of which up to 128 MiB are the fixed count-min sketches), plus 16 bytes per document "
          f"of clusters ({16 * m / 1e9:,.0f} GB)")
    print(f"- disk: {kept / n * m / 1e12:,.1f} TB of kept documents, read 3 times by "
          f"cluster and once by write; the index's shingle sets spill to cluster's TMPDIR")


if __name__ == "__main__":
    main()
