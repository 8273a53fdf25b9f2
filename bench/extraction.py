#!/usr/bin/env python3
"""Extraction benchmark: how much of a real page's text newsclean keeps, against gold.

../shared/corpora/extraction holds 88 real news pages as ALL their visible text (menus,
"Subscribe", share bars, related-story teasers, footers) in input.jsonl, the human-made
article body in gold.jsonl, and trafilatura's extraction from the HTML in trafilatura.jsonl.

newsclean runs on input.jsonl with the default pipeline.toml, except that every language is
kept (undecided too) and dedup is off: this measures line cleaning, not language or duplicate
filtering. The kept text (title column excluded) is scored against gold with the metric of the
scrapinghub article-extraction-benchmark: tokens are \\w+ matches, shingles are word 4-grams
counted as a multiset, each page's tp/fp/fn are normalized to sum to 1, precision and recall
are averaged over pages (precision over pages with any prediction), F1 is computed from the two
averages. Printed beside two anchors on the same pages: the input as-is, and trafilatura.

Usage: python3 bench/extraction.py [--shared ../shared] [--worst 10]
"""

import argparse
import collections
import csv
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "extraction")
BINARY = os.path.join(ROOT, "target", "release", "newsclean")
TOKEN = re.compile(r"\w+")


def shingles(text, n=4):
    tokens = TOKEN.findall(text or "")
    grams = [tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))]
    return collections.Counter(g for g in grams if g)


def match(true, pred):
    """Normalized (tp, fp, fn) of one page."""
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(gold, pred):
    pages = [match(gold[k], pred.get(k, "")) for k in gold]
    p = [precision(*x) for x in pages if x[0] + x[1] > 0]
    r = [recall(*x) for x in pages if x[0] + x[2] > 0]
    p, r = sum(p) / len(p), sum(r) / len(r)
    return {"f1": 2 * p * r / (p + r), "precision": p, "recall": r, "pages": pages}


def load(path, field="text"):
    with open(path, encoding="utf-8") as f:
        return {d["id"]: d.get(field, "") for d in map(json.loads, f)}


def run_newsclean(input_path):
    os.makedirs(WORK, exist_ok=True)
    config = os.path.join(WORK, "extraction.toml")
    with open(os.path.join(ROOT, "pipeline.toml"), encoding="utf-8") as f:
        text = f.read()
    text = text.replace('allow = ["eng"]', "allow = []").replace('undecided = "reject"', 'undecided = "keep"')
    text = re.sub(r"(\[dedup\]\n)enabled = true", r"\1enabled = false", text)
    text = text.replace('"data/', f'"{ROOT}/data/')
    with open(config, "w", encoding="utf-8") as f:
        f.write(text)
    clean, edits = os.path.join(WORK, "clean.csv"), os.path.join(WORK, "edits.csv")
    subprocess.run([BINARY, "run", "-q", "-c", config, "-o", clean, "--edits", edits, input_path],
                   check=True)
    csv.field_size_limit(sys.maxsize)
    with open(clean, encoding="utf-8", newline="") as f:
        return {row["id"]: row["text"] for row in csv.DictReader(f)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--worst", type=int, default=10, help="list the N worst pages by F1")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    folder = os.path.join(args.shared, "corpora", "extraction")
    gold = load(os.path.join(folder, "gold.jsonl"))
    raw = load(os.path.join(folder, "input.jsonl"))
    systems = {
        "input as-is": raw,
        "trafilatura (HTML)": load(os.path.join(folder, "trafilatura.jsonl")),
        "newsclean (text)": run_newsclean(os.path.join(folder, "input.jsonl")),
    }
    print(f"{len(gold)} pages; word 4-gram shingles, scrapinghub metric\n")
    print(f"{'system':<22}{'F1':>8}{'precision':>11}{'recall':>9}")
    results = {}
    for name, pred in systems.items():
        results[name] = score(gold, pred)
        m = results[name]
        print(f"{name:<22}{m['f1']:>8.3f}{m['precision']:>11.3f}{m['recall']:>9.3f}")
    if args.worst:
        print(f"\nnewsclean's {args.worst} worst pages (precision, recall):")
        pages = list(zip(gold, results["newsclean (text)"]["pages"]))
        pages.sort(key=lambda kv: precision(*kv[1]) + recall(*kv[1]))
        for key, tpfpfn in pages[:args.worst]:
            print(f"  {key[:16]}  p={precision(*tpfpfn):.2f} r={recall(*tpfpfn):.2f}  "
                  f"{raw[key][:60]!r}")


if __name__ == "__main__":
    main()
