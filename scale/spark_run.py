#!/usr/bin/env python3
"""Runs `newsclean run` on Apache Spark: the same outputs, byte for byte, as one process.

    spark-submit --master local[2] scale/spark_run.py INPUT... --out DIR --shards N \
        [-c pipeline.toml] [--threads-per-task 1]

(any master URL works; DIR and the inputs must be paths every executor sees, such as a shared
file system). Writes DIR/clean.csv, rejects.csv, edits.csv, clusters.csv and report.json as
`newsclean run` would; the steps' own files go to DIR/steps.

What runs where. Spark only schedules; every decision is newsclean's (`newsclean steps`):
  1. the driver runs `steps plan`: the input files, in run's order, cut into N shards;
  2. one Spark task per shard runs `steps clean` (the cleaning: most of a run's time);
  3. the driver runs `steps cluster`: dedup over all shards' documents, in input order, in
     one process (it holds what run's dedup holds: see README, "Scaling out");
  4. one Spark task per shard runs `steps write`;
  5. the driver runs `steps merge`: the parts concatenated in shard order.
Only shard numbers pass through Spark, never documents or text, so nothing is re-serialized,
ids are never the engine's and the output does not depend on partitioning or task order.
A task that fails is retried by Spark; each step writes its files whole or not at all.

The binary is $NEWSCLEAN_BIN, else target/release/newsclean beside this script.
scale/setup_spark.sh makes a venv with pyspark.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Run newsclean on Spark with the same output as `newsclean run`.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="files or directories, as for `newsclean run`")
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder")
    parser.add_argument("--shards", required=True, type=int, metavar="N",
                        help="shards: at most this many tasks clean at once")
    parser.add_argument("-c", "--config", metavar="FILE",
                        help="pipeline config (default: as for `newsclean run`)")
    parser.add_argument("--threads-per-task", type=int, default=1, metavar="N",
                        help="threads of each shard task (default 1; give each task as many "
                             "cores with spark.task.cpus)")
    return parser.parse_args(argv)


def binary():
    path = os.environ.get("NEWSCLEAN_BIN") or str(
        Path(__file__).resolve().parent.parent / "target" / "release" / "newsclean")
    if not os.access(path, os.X_OK):
        sys.exit(f"spark_run.py: no newsclean binary at {path} "
                 "(cargo build --release, or set NEWSCLEAN_BIN)")
    return os.path.abspath(path)


def run(command):
    """Runs a step on the driver; stops the job with the step's message if it fails."""
    result = subprocess.run(command)
    if result.returncode not in (0, 1):
        sys.exit(f"spark_run.py: {' '.join(command[1:4])} failed (exit {result.returncode})")
    return result.returncode


def shard_task(bin_path, step, steps_dir, threads):
    """The function a Spark task runs on one shard number."""
    def task(shard):
        command = [bin_path, "steps", step, "--dir", steps_dir, "--shard", str(shard),
                   "-j", str(threads), "-q"]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"newsclean steps {step} --shard {shard}: exit "
                               f"{result.returncode}: {result.stderr.strip()}")
        return shard
    return task


def main(argv):
    args = parse_args(argv)
    if args.shards < 1:
        sys.exit("spark_run.py: --shards must be at least 1")
    bin_path = binary()
    out = os.path.abspath(args.out)
    steps_dir = os.path.join(out, "steps")
    config = ["-c", os.path.abspath(args.config)] if args.config else []

    from pyspark.sql import SparkSession
    spark = SparkSession.builder.appName("newsclean").getOrCreate()
    context = spark.sparkContext
    context.setLogLevel("WARN")
    try:
        # Absolute, so that executors started in another folder find them.
        inputs = [os.path.abspath(i) for i in args.inputs]
        run([bin_path, "steps", "plan", *inputs, *config,
             "--shards", str(args.shards), "--dir", steps_dir])
        shards = list(range(args.shards))
        for step in ("clean", "write"):
            if step == "write":
                run([bin_path, "steps", "cluster", "--dir", steps_dir, "-q"])
            task = shard_task(bin_path, step, steps_dir, args.threads_per_task)
            done = context.parallelize(shards, len(shards)).map(task).collect()
            if sorted(done) != shards:
                sys.exit(f"spark_run.py: {step}: shards {sorted(done)} of {shards} ran")
        status = run([bin_path, "steps", "merge", "--dir", steps_dir, "-q",
                      "-o", os.path.join(out, "clean.csv"),
                      "--rejects", os.path.join(out, "rejects.csv"),
                      "--edits", os.path.join(out, "edits.csv"),
                      "--clusters", os.path.join(out, "clusters.csv"),
                      "--report", os.path.join(out, "report.json")])
    finally:
        spark.stop()
    # 1, as for `newsclean run`: finished, but some input files could not be read to the end.
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
