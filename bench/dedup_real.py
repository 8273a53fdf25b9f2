#!/usr/bin/env python3
"""Near-duplicate merges on real news: every Article-Bias-Prediction article (37,554 US news
and opinion pages, newspaper3k's text; see bench/abp.py) through the default pipeline, each
merge scored against bench/data/dedup_abp_labels.tsv (pairs of a rejected document and its
cluster's survivor, labeled `same` story, `different` or `unsure` by helpers who saw only
the texts).

The labeled pairs were drawn from the merges of the versions they were made on, and the
`slideshow` rule and the threshold rows were looked at after reading them: the figures are
read, not held out. A merge outside the labeled pairs counts as unlabeled; "same pairs lost"
are labeled same-story pairs that a variant no longer merges.

One run of the release binary per variant (each a config of only the keys it changes):
the default, without `exclude_from_matching`, without `slideshows`, and `threshold` 0.4
and 0.5.

Usage: python3 bench/dedup_real.py [--abp PATH] [--no-build]
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile

import abp
from runner import BINARY, ROOT, build

LABELS = os.path.join(ROOT, "bench", "data", "dedup_abp_labels.tsv")
WORK = os.path.join(ROOT, "bench", "work", "dedup-real")

VARIANTS = [
    ("default pipeline", ""),
    ("exclude_from_matching = false", "[dedup.paragraphs]\nexclude_from_matching = false\n"),
    ("slideshows = false", "[boilerplate]\nslideshows = false\n"),
    ("threshold = 0.4", "[dedup]\nthreshold = 0.4\n"),
    ("threshold = 0.5", "[dedup]\nthreshold = 0.5\n"),
]


def labels():
    with open(LABELS, encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return {(r["doc_id"], r["survivor_id"]): r["label"] for r in rows}


def dump(path, source):
    """The articles as JSONL (id, title, text, url, date, outlet), written once."""
    if os.path.exists(path):
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".part", "w", encoding="utf-8") as out:
        for a in abp.articles(source):
            out.write(json.dumps({"id": a["ID"], "title": a.get("title", ""),
                                  "text": a.get("content_original", ""), "url": a.get("url", ""),
                                  "date": a.get("date", ""), "outlet": a.get("source", "")}) + "\n")
    os.rename(path + ".part", path)


def merges(jsonl, extra):
    """(rejected id, survivor id) of every duplicate in the clusters CSV of one run."""
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "pipeline.toml")
        with open(config, "w") as f:
            f.write(extra)
        clusters = os.path.join(tmp, "clusters.csv")
        subprocess.run([BINARY, "run", "-q", "-c", config, "-o", os.devnull,
                        "--clusters", clusters, jsonl], check=True)
        csv.field_size_limit(sys.maxsize)
        with open(clusters, newline="", encoding="utf-8") as f:
            return {(r["id"], r["survivor"]) for r in csv.DictReader(f)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--abp", help="Article-Bias-Prediction: a folder holding data/jsons, a git "
                        "directory of the repository or its tarball (else downloaded)")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        build()
    jsonl = os.path.join(WORK, "abp.jsonl")
    dump(jsonl, args.abp or abp.download())
    gold = labels()
    same = {pair for pair, label in gold.items() if label == "same"}
    print(f"### Near-duplicate merges on {sum(1 for _ in open(jsonl))} real articles "
          f"({len(gold)} labeled pairs, read, not held out)")
    print("| variant | merges | same story | different | unsure | unlabeled | same pairs lost |")
    print("|---|---|---|---|---|---|---|")
    for name, extra in VARIANTS:
        found = merges(jsonl, extra)
        counts = {"same": 0, "different": 0, "unsure": 0, None: 0}
        for pair in found:
            counts[gold.get(pair)] += 1
        print(f"| {name} | {len(found)} | {counts['same']} | {counts['different']} | "
              f"{counts['unsure']} | {counts[None]} | {len(same - found)} |", flush=True)


if __name__ == "__main__":
    main()
