#!/usr/bin/env python3
"""Injected-dirt benchmark: does line cleaning remove what was added, and only that?

Takes clean BBC articles (../shared/corpora/bbc), and into three quarters of them injects, with
the gold recorded, the kinds of dirt the seeds show: photo captions, publisher notices, share
and newsletter prompts, inline "Read more"-style links, spam lines, one or two unrelated
stories appended at the end (with and without truncation marks), and a repeated paragraph.
A quarter of the articles stay untouched. The templates are written for this benchmark and
phrased more widely than newsclean's shipped rules, so the score reflects how the rules
generalize.

Runs the default pipeline with dedup off (copies of paragraphs across articles are not what is
measured here) and reads the edits CSV. Prints per kind: injected lines, recall (share
removed); overall removal precision (share of removed lines that were injected); and the share
of real article lines removed from untouched articles.

Usage: python3 bench/injected.py [--shared ../shared] [--seed 7] [--limit 1000]
"""

import argparse
import collections
import json
import os
import random

import runner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "injected")

PEOPLE = ["Maria Lopez", "the prime minister", "Chen Wei", "the team captain", "Amina Yusuf"]
PLACES = ["Leeds", "Brussels", "a factory near Lyon", "the harbour", "Cardiff"]
AGENCIES = ["Reuters", "AFP", "Getty Images", "AP", "EPA"]
CAPTIONS = [
    "The picture shows {p} arriving in {c} on Monday.",
    "{P} speaks to reporters in {c}. /Courtesy of {a}",
    "Photo: {a}",
    "{P} at {c} on Tuesday. (Photo by Sam Reed/{a})",
    "Image: {P} in {c}, {a}",
]
NOTICES = [
    "※ This article has been translated by AI. Share your feedback here.",
    "This story was generated with machine translation and reviewed by our editors.",
    "Advertisement",
    "Story continues below advertisement",
    "© 2024 Example Media. All rights reserved.",
]
PROMPTS = [
    "Sign up for our morning newsletter",
    "Subscribe to our daily briefing",
    "Share this article",
    "Follow us on Twitter",
    "Share on Facebook",
    "Get the latest updates in your inbox",
]
LINKS = [
    "Read more: {h}",
    "READ MORE: {h}",
    "See also: {h}",
    "{h}: Explainer",
    "{h}",
]
SPAM = [
    "xnxx free videos",
    "best online casino bonus click here",
    "cheap viagra online no prescription",
    "hot girls in your area click here",
    "free porn hd",
]


def load_articles(shared, limit):
    articles = []
    root = os.path.join(shared, "corpora", "bbc")
    for folder in sorted(os.listdir(root)):
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            try:
                with open(os.path.join(path, name), encoding="utf-8") as f:
                    lines = [l.strip() for l in f.read().split("\n") if l.strip()]
            except UnicodeDecodeError:
                continue
            if len(lines) >= 6:
                articles.append((f"{folder}/{name}", lines[0], lines[1:]))
    return articles[:limit]


def fill(template, rng, headline=""):
    person = rng.choice(PEOPLE)
    return template.format(p=person, P=person[0].upper() + person[1:], c=rng.choice(PLACES),
                           a=rng.choice(AGENCIES), h=headline)


def other_story(rng, articles, exclude, marker):
    """A headline and a teaser from another article, cut short."""
    _, headline, body = rng.choice([a for a in articles if a[0] != exclude])
    words = " ".join(body[:2]).split()
    teaser = " ".join(words[: rng.randint(25, 45)])
    return [headline, teaser + (" […]" if marker else "")]


def inject(rng, article, articles):
    """Returns the dirty body lines and the gold {line index: kind} of injected lines."""
    doc_id, _, body = article
    lines = [(line, None) for line in body]
    for kind, templates in [("caption", CAPTIONS), ("notice", NOTICES), ("prompt", PROMPTS),
                            ("spam", SPAM)]:
        if rng.random() < 0.5:
            at = rng.randint(1, len(lines) - 1)
            lines.insert(at, (fill(rng.choice(templates), rng), kind))
    if rng.random() < 0.5:
        _, headline, _ = rng.choice(articles)
        at = rng.randint(2, len(lines) - 1)
        lines.insert(at, (fill(rng.choice(LINKS), rng, headline), "inline_link"))
    if rng.random() < 0.4:
        source = rng.randint(0, min(3, len(body) - 1))
        original = lines.index((body[source], None))
        at = rng.randint(original + 2, len(lines))
        lines.insert(at, (body[source], "repeated_paragraph"))
    if rng.random() < 0.5:
        for _ in range(rng.randint(1, 2)):
            story = other_story(rng, articles, doc_id, marker=rng.random() < 0.5)
            lines.extend((line, "appended_story") for line in story)
    return lines


def build(shared, seed, limit):
    rng = random.Random(seed)
    articles = load_articles(shared, limit)
    os.makedirs(WORK, exist_ok=True)
    dump = os.path.join(WORK, "injected.jsonl")
    gold = {}
    with open(dump, "w", encoding="utf-8") as out:
        for n, article in enumerate(articles):
            untouched = n % 4 == 3
            lines = [(l, None) for l in article[2]] if untouched else inject(rng, article, articles)
            doc_id = f"{'clean' if untouched else 'dirty'}:{article[0]}"
            gold[doc_id] = lines
            text = "\n\n".join(line for line, _ in lines)
            out.write(json.dumps({"id": doc_id, "title": article[1], "text": text}) + "\n")
    return dump, gold


def score(gold, removed, rejected):
    found = collections.Counter()
    total = collections.Counter()
    wrong = collections.Counter()
    false_positives = []
    clean_lines = clean_removed = 0
    for doc_id, lines in gold.items():
        gone = collections.Counter(line for line, _, _ in removed.get(doc_id, []))
        # From the end: of two identical lines, the stages remove the later one.
        for line, kind in reversed(lines):
            hit = gone[line] > 0
            if hit:
                gone[line] -= 1
            if kind:
                total[kind] += 1
                found[kind] += hit
            else:
                wrong["article line"] += hit
                if hit:
                    false_positives.append((doc_id, line))
                if doc_id.startswith("clean:"):
                    clean_lines += 1
                    clean_removed += hit
    print(f"{len(gold)} articles ({sum(1 for d in gold if d.startswith('clean:'))} untouched), "
          f"{len(rejected)} rejected whole\n")
    print(f"{'kind':<20}{'injected':>9}{'removed':>9}{'recall':>8}")
    for kind in sorted(total):
        print(f"{kind:<20}{total[kind]:>9}{found[kind]:>9}{found[kind] / total[kind]:>8.3f}")
    injected_removed = sum(found.values())
    all_removed = injected_removed + wrong["article line"]
    print(f"\nremoval precision: {injected_removed}/{all_removed} = "
          f"{injected_removed / max(1, all_removed):.3f}")
    print(f"untouched articles: {clean_removed} of {clean_lines} real lines removed "
          f"({clean_removed / max(1, clean_lines):.2%})")
    for doc_id, line in false_positives[:8]:
        print(f"  removed article line in {doc_id}: {line[:90]!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--limit", type=int, default=1000, help="articles to use")
    args = parser.parse_args()
    runner.build()
    dump, gold = build(args.shared, args.seed, args.limit)
    removed, rejected = runner.run(dump, WORK)
    score(gold, removed, rejected)


if __name__ == "__main__":
    main()
