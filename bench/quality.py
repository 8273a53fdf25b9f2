#!/usr/bin/env python3
"""Junk-page benchmark: are pages that hold no article rejected, and real articles kept?

Every document is real. Labels were made by helpers who saw only the text, never the code:

- `bench/data/quality_labels.tsv`: 410 scraper outputs of ../shared/corpora/scraped (one
  extractor per page), each `article` or `junk` with the kind of junk page. Two folds by
  dataset: `tune` (wcxb-article, wcxb-other, readability: where `quality.min_prose_words` was
  chosen) and `held-out` (the research sets: L3S-GN1, Dragnet, Big9, Chaos, CleanEval,
  CleanPortalEval). Report the held-out fold.
- `bench/data/quality_ukraine.tsv`: the 82 ukraine_war_2022 pages under 200 words (newsletter
  boxes, lone headlines and real briefs), held out.
- Real short articles: every BBC article cut to its headline and first three paragraphs (a
  three-paragraph brief), and every BBC article whole. All are articles.

Runs the default pipeline with dedup off (copies of one junk page are the point of a junk
page, not what is measured here) and reads the rejects CSV. Prints per set: junk pages
rejected by the `quality` stage and by any stage, articles rejected (by `quality`, by any
stage), then the held-out junk pages by kind, and with --show the articles `quality` rejected.

Usage: python3 bench/quality.py [--shared ../shared] [--show 10]
"""

import argparse
import collections
import csv
import gzip
import json
import os
import re

import runner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "quality")
TUNE = {"wcxb-article", "wcxb-other", "readability"}


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f if not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def paragraphs(text):
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def build(shared):
    """Writes the dump; returns {id: (set, label, kind)}."""
    gold = {}
    docs = []
    labels = {(r["ds"], r["page"], r["extractor"]): r
              for r in read_tsv(os.path.join(ROOT, "bench", "data", "quality_labels.tsv"))}
    scraped = os.path.join(shared, "corpora", "scraped", "scraped_lines.jsonl.gz")
    with gzip.open(scraped, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            r = labels.get((d["ds"], d["page"], d["extractor"]))
            if r:
                doc_id = f"scraped:{d['ds']}:{d['page']}:{d['extractor']}"
                fold = "tune" if d["ds"] in TUNE else "held-out"
                gold[doc_id] = (f"scraped {fold}", r["label"], r["kind"])
                docs.append((doc_id, "\n\n".join(d["lines"])))
    ukraine = os.path.join(shared, "corpora", "ukraine_war_2022", "articles")
    for r in read_tsv(os.path.join(ROOT, "bench", "data", "quality_ukraine.tsv")):
        with open(os.path.join(ukraine, r["file"]), encoding="utf-8") as f:
            docs.append((f"ukraine:{r['file']}", f.read()))
        gold[f"ukraine:{r['file']}"] = ("ukraine short", r["label"], r["kind"])
    for section, name, text in runner.bbc_articles(shared):
        parts = paragraphs(text)
        for cut, kept in [("brief", parts[:4]), ("whole", parts)]:
            doc_id = f"bbc-{cut}:{section}/{name}"
            gold[doc_id] = (f"bbc {cut}", "article", "-")
            docs.append((doc_id, "\n\n".join(kept)))
    os.makedirs(WORK, exist_ok=True)
    dump = os.path.join(WORK, "quality.jsonl")
    with open(dump, "w", encoding="utf-8") as out:
        for doc_id, text in docs:
            out.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    return dump, gold, dict(docs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--show", type=int, default=0, help="articles rejected to print")
    parser.add_argument("--no-build", action="store_true", help="use the binary as it is")
    args = parser.parse_args()
    if not args.no_build:
        runner.build()
    dump, gold, texts = build(args.shared)
    _, rejected = runner.run(dump, WORK)
    sets = collections.defaultdict(collections.Counter)
    kinds = collections.defaultdict(collections.Counter)
    wrong = []
    for doc_id, (name, label, kind) in gold.items():
        stage = rejected.get(doc_id, ("", ""))[0]
        c = sets[name]
        c[label] += 1
        c[label + " quality"] += stage == "quality"
        c[label + " any"] += bool(stage)
        if label == "junk" and name in ("scraped held-out", "ukraine short"):
            kinds[kind]["pages"] += 1
            kinds[kind]["quality"] += stage == "quality"
            kinds[kind]["any"] += bool(stage)
        if label == "article" and stage == "quality":
            wrong.append((doc_id, rejected[doc_id][1], texts[doc_id]))
    share = lambda a, b: f"{a}/{b} = {a / b:.3f}" if b else "-"
    print(f"{'set':<18}{'junk rejected: quality':>26}{'any stage':>18}"
          f"{'articles rejected: quality':>30}{'any stage':>20}")
    for name in ["scraped tune", "scraped held-out", "ukraine short", "bbc brief", "bbc whole"]:
        c = sets[name]
        print(f"{name:<18}{share(c['junk quality'], c['junk']):>26}"
              f"{share(c['junk any'], c['junk']):>18}"
              f"{share(c['article quality'], c['article']):>30}"
              f"{share(c['article any'], c['article']):>20}")
    print("\nheld-out junk pages by kind (scraped held-out and ukraine short):")
    for kind, c in sorted(kinds.items(), key=lambda kv: -kv[1]["pages"]):
        print(f"  {kind:<10}{c['pages']:>5} pages, {c['quality']:>4} rejected by quality, "
              f"{c['any']:>4} by any stage")
    for doc_id, reason, text in wrong[: args.show]:
        print(f"\n-- article rejected: {doc_id}: {reason}\n   {text[:300]!r}")


if __name__ == "__main__":
    main()
