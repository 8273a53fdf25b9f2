#!/usr/bin/env python3
"""Injected-dirt benchmark: real junk lines put into clean articles — are they removed, and
only they?

The junk is real: lines that newspaper3k, goose3, readability-lxml or trafilatura let through
inside the article of real news pages of three research sets (L3S-GN1, Big9, Chaos of
../shared/corpora/scraped: none is trained on, no rule or threshold was chosen on this file),
sampled where the corpus's automatic labels call them junk, and each given its kind (caption,
byline, prompt, related, widget, legal, nav, other — or `article`, then left out) by readers
who had not seen newsclean's rules or output (bench/data/injected_junk.tsv names each line by
its record and line number in the corpus file, with a digest; no text is stored).

Into three quarters of the clean BBC articles (../shared/corpora/bbc) go one or two of those
lines each, between paragraphs, every junk line once; half of those articles also get one of
their own first paragraphs repeated further down. A quarter stay untouched. Runs the default
pipeline with dedup off and reads the edits CSV. Prints per kind: injected lines, recall
(share removed), and which stage removed them; removal precision; the share of real article
lines removed from untouched articles. Appended stories have their own benchmark
(bench/appended.py).

Usage: python3 bench/injected.py [--shared ../shared] [--seed 7] [--limit 1000]
"""

import argparse
import collections
import csv
import gzip
import hashlib
import json
import os
import random
import sys

import runner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "injected")
JUNK = os.path.join(ROOT, "bench", "data", "injected_junk.tsv")


def digest(line):
    return hashlib.sha1(line.encode("utf-8")).hexdigest()[:8]


def load_junk(shared):
    """[(kind, ds, line)] of the labeled junk lines, text read from the scraped corpus."""
    with open(JUNK, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t"))
    want = {int(r["record"]) for r in rows}
    pages = {}
    path = os.path.join(shared, "corpora", "scraped", "scraped_lines.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for n, record in enumerate(f):
            if n in want:
                pages[n] = json.loads(record)["lines"]
    junk = []
    for r in rows:
        line = pages[int(r["record"])][int(r["line"])].strip()
        if digest(line) != r["digest"]:
            sys.exit(f"error: {r['ds']} page {r['page']} line {r['line']} differs from the one labeled")
        if r["kind"] != "article":
            junk.append((r["kind"], r["ds"], line))
    return junk


def load_articles(shared, limit):
    articles = []
    for section, name, text in runner.bbc_articles(shared):
        lines = [l.strip() for l in text.split("\n") if l.strip()]
        if len(lines) >= 6:
            articles.append((f"{section}/{name}", lines[0], lines[1:]))
    return articles[:limit]


def build(shared, seed, limit):
    """Writes the dump; returns it and the gold: per document, its lines as (line, kind or
    None for article text, set the junk came from)."""
    rng = random.Random(seed)
    articles = load_articles(shared, limit)
    junk = load_junk(shared)
    rng.shuffle(junk)
    os.makedirs(WORK, exist_ok=True)
    dump = os.path.join(WORK, "injected.jsonl")
    gold = {}
    with open(dump, "w", encoding="utf-8") as out:
        for n, (name, title, body) in enumerate(articles):
            untouched = n % 4 == 3 or not junk
            lines = [(l, None, None) for l in body]
            if not untouched:
                for _ in range(rng.randint(1, 2)):
                    if junk:
                        kind, ds, line = junk.pop()
                        lines.insert(rng.randint(1, len(lines) - 1), (line, kind, ds))
                if rng.random() < 0.5:
                    source = rng.randint(0, min(3, len(body) - 1))
                    original = lines.index((body[source], None, None))
                    at = rng.randint(original + 2, len(lines))
                    lines.insert(at, (body[source], "repeated paragraph", "bbc"))
            doc_id = f"{'clean' if untouched else 'dirty'}:{name}"
            gold[doc_id] = lines
            text = "\n\n".join(line for line, _, _ in lines)
            out.write(json.dumps({"id": doc_id, "title": title, "text": text}) + "\n")
    return dump, gold


def score(gold, removed, rejected):
    total, found = collections.Counter(), collections.Counter()
    by_stage = collections.defaultdict(collections.Counter)
    by_set, found_by_set = collections.Counter(), collections.Counter()
    article_removed = 0
    false_positives = []
    clean_lines = clean_removed = 0
    for doc_id, lines in gold.items():
        gone = collections.defaultdict(list)
        for line, stage, _ in removed.get(doc_id, []):
            gone[line].append(stage)
        whole = rejected.get(doc_id)
        # From the end: of two identical lines, the stages remove the later one.
        for line, kind, ds in reversed(lines):
            stage = f"reject:{whole[0]}" if whole else (gone[line].pop() if gone[line] else None)
            if kind:
                total[kind] += 1
                found[kind] += stage is not None
                by_stage[kind][stage or "kept"] += 1
                if kind != "repeated paragraph":
                    by_set[ds] += 1
                    found_by_set[ds] += stage is not None
            else:
                article_removed += stage is not None
                if stage:
                    false_positives.append((doc_id, stage, line))
                if doc_id.startswith("clean:"):
                    clean_lines += 1
                    clean_removed += stage is not None
    junk_total = sum(v for k, v in total.items() if k != "repeated paragraph")
    junk_found = sum(v for k, v in found.items() if k != "repeated paragraph")
    print(f"{len(gold)} articles ({sum(1 for d in gold if d.startswith('clean:'))} untouched), "
          f"{len(rejected)} rejected whole; {junk_total} real junk lines injected\n")
    print("| kind | injected | recall | removed by |")
    print("|---|---|---|---|")
    for kind in sorted(total, key=lambda k: (k == "repeated paragraph", -total[k])):
        stages = ", ".join(f"{s} {c}" for s, c in by_stage[kind].most_common() if s != "kept")
        print(f"| {kind} | {total[kind]} | {found[kind] / total[kind]:.3f} | {stages} |")
    print(f"| all real junk lines | {junk_total} | {junk_found / max(1, junk_total):.3f} | |")
    print("\nRecall by the set the junk came from: " + ", ".join(
        f"{ds} {found_by_set[ds]}/{by_set[ds]} ({found_by_set[ds] / by_set[ds]:.3f})"
        for ds in sorted(by_set)))
    injected_removed = sum(found.values())
    all_removed = injected_removed + article_removed
    print(f"\nremoval precision: {injected_removed}/{all_removed} = "
          f"{injected_removed / max(1, all_removed):.3f}")
    print(f"untouched articles: {clean_removed} of {clean_lines} real lines removed "
          f"({clean_removed / max(1, clean_lines):.2%})")
    for doc_id, stage, line in false_positives[:8]:
        print(f"  {stage} removed an article line of {doc_id}: {line[:80]!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=1000, help="articles to use")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "corpora")):
        sys.exit(f"error: {args.shared}/corpora not found (the shared corpora sit beside the repo)")
    if not args.no_build:
        runner.build()
    dump, gold = build(args.shared, args.seed, args.limit)
    removed, rejected = runner.run(dump, WORK)
    score(gold, removed, rejected)


if __name__ == "__main__":
    main()
