"""Runs the release binary over a benchmark dump with the shipped pipeline (or another), dedup
off, and reads back what it removed and rejected. Shared by the cleaning benchmarks."""

import collections
import csv
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "newsclean")


def bbc_articles(shared):
    """(section, file name, text) of every article of ../shared/corpora/bbc, in name order."""
    bbc = os.path.join(shared, "corpora", "bbc")
    for section in sorted(os.listdir(bbc)):
        folder = os.path.join(bbc, section)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), encoding="latin-1") as f:
                yield section, name, f.read()


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)


def run(dump, work, pipeline=None):
    """Returns (removed, rejected): removed[id] = [(line, stage, rule)] in the edits CSV's
    order, rejected[id] = (stage, reason)."""
    config = os.path.join(work, "pipeline.toml")
    with open(pipeline or os.path.join(ROOT, "pipeline.toml"), encoding="utf-8") as f:
        text = f.read().replace('"data/', f'"{ROOT}/data/')
    with open(config, "w", encoding="utf-8") as f:
        f.write(re.sub(r"(\[dedup\]\n)enabled = true", r"\1enabled = false", text))
    edits = os.path.join(work, "edits.csv")
    rejects = os.path.join(work, "rejects.csv")
    subprocess.run([BINARY, "run", "-q", "-c", config, "-o", os.devnull, "--edits", edits,
                    "--rejects", rejects, dump], check=True)
    csv.field_size_limit(sys.maxsize)
    removed = collections.defaultdict(list)
    with open(edits, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["action"] == "remove":
                removed[row["id"]].extend((line, row["stage"], row["rule"])
                                          for line in row["before"].split("\n"))
    with open(rejects, encoding="utf-8", newline="") as f:
        rejected = {row["id"]: (row["stage"], row["reason"]) for row in csv.DictReader(f)}
    return removed, rejected
