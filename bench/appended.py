#!/usr/bin/env python3
"""Appended-stories benchmark: is what a scraper appends after the article cut, whole, and only that?

Every line is real text. Host articles come from ../shared/corpora/ukraine_war_2022 and
../shared/corpora/bbc; what is appended to a host always comes from the other corpus (or from
another BBC section than the host's), so it is a different story by a different hand:

- `article`: one complete other article, headline line included where it has one, no marker;
- `teasers`: two to four teasers, each another article's headline and its first paragraph;
- `oneline`: one to three "headline — first sentence" lines;
- `headlines`: three to six other articles' headlines, one per line (a related-links list).

A quarter of the hosts stay untouched, to count the article lines the pipeline loses.

Runs the default pipeline with dedup off and reads the edits CSV. Prints, per kind of appendix:
documents, the share cut exactly (every appended line gone, no article line lost), the share of
appended lines removed (by any stage), and the article lines lost (cut by `trailing`), for
BBC and ukraine_war_2022 hosts apart: the ukraine_war_2022 pages hold real junk lines (sign-up
prompts, author and source lines), so a share of what counts as lost there is junk rightly
cut; BBC articles are clean. Three folds, by where the appended text comes from: `tune` (BBC business and entertainment
appended to ukraine_war_2022 hosts: what the trailing stage's thresholds were chosen on), `dev`
(BBC politics, sport and tech, and ukraine_war_2022 appended to BBC hosts: its misses were read
while the rules were shaped, so it is not a clean test) and `fresh` (English news of WMT22, a
third hand, appended to either: never looked at before the rules and thresholds were fixed).
Report the fresh fold.

Usage: python3 bench/appended.py [--shared ../shared] [--seed 5] [--limit 1600] [--show 5]
"""

import argparse
import collections
import json
import os
import random
import re

import runner

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "appended")
KINDS = ["article", "teasers", "oneline", "headlines"]
TUNE_SECTIONS = {"business", "entertainment"}
# The stages that cut appended text: a host line they remove is an article line lost.
CUTTING_STAGES = {"trailing"}


def paragraphs(text):
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def load(shared):
    """(source, id, headline or None, paragraphs) for every article of both corpora."""
    articles = []
    for section, name, text in runner.bbc_articles(shared):
        lines = [l.strip() for l in text.split("\n")]
        headline, body = lines[0], paragraphs("\n".join(lines[1:]))
        if len(body) >= 3:
            articles.append((f"bbc-{section}", f"bbc/{section}/{name}", headline, body))
    ukraine = os.path.join(shared, "corpora", "ukraine_war_2022", "articles")
    for name in sorted(os.listdir(ukraine)):
        with open(os.path.join(ukraine, name), encoding="utf-8") as f:
            body = paragraphs(f.read())
        if len(body) >= 3:
            articles.append(("ukraine", f"ukraine/{name}", None, body))
    return articles


def load_wmt22(shared):
    """English news documents of WMT22 (headline line, then sentences, two to a paragraph)."""
    articles = []
    for pair, field in [("en-zh", "src_text"), ("ja-en", "ref_text"), ("ru-en", "ref_text")]:
        path = os.path.join(shared, "corpora", "wmt22", f"wmt22.{pair}.docs.jsonl")
        with open(path, encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                lines = [l.strip() for l in doc[field].split("\n") if l.strip()]
                if doc["domain_guess"] != "news" or len(lines) < 5:
                    continue
                body = [" ".join(lines[i:i + 2]) for i in range(1, len(lines), 2)]
                articles.append(("wmt22", f"wmt22/{doc['docid']}", lines[0], body))
    return articles


def first_sentence(paragraph):
    match = re.match(r"(.+?[.!?])\s+[A-Z\"“]", paragraph)
    return match.group(1) if match else paragraph


def appendix(rng, kind, donors):
    """The appended lines of one kind, from donor articles (real headlines and text)."""
    if kind == "article":
        _, _, headline, body = donors[0]
        return ([headline] if headline else []) + body
    with_headlines = [d for d in donors if d[2]]
    if kind == "teasers":
        lines = []
        for _, _, headline, body in with_headlines[: rng.randint(2, 4)]:
            lines += [headline, body[0]]
        return lines
    if kind == "oneline":
        return [f"{h} — {first_sentence(b[0])}" for _, _, h, b in with_headlines[: rng.randint(1, 3)]]
    return [h for _, _, h, _ in with_headlines[: rng.randint(3, 6)]]


def build(shared, seed, limit):
    rng = random.Random(seed)
    articles = load(shared)
    wmt22 = load_wmt22(shared)
    ukraine = [a for a in articles if a[0] == "ukraine"]
    bbc = [a for a in articles if a[0] != "ukraine"]
    rng.shuffle(bbc)
    # Hosts: every ukraine article and as many BBC ones, up to the limit.
    hosts = (ukraine + bbc[: len(ukraine)])[:limit]
    rng.shuffle(hosts)
    os.makedirs(WORK, exist_ok=True)
    dump = os.path.join(WORK, "appended.jsonl")
    gold = {}
    with open(dump, "w", encoding="utf-8") as out:
        for n, host in enumerate(hosts):
            source, name, headline, body = host
            kind = None if n % 4 == 3 else KINDS[n % 4 if n % 4 < 3 else 0]
            kind = kind if n % 8 != 7 else "headlines"
            lines = [(l, None) for l in body]
            fold = "-"
            if kind:
                if rng.random() < 1 / 3:
                    pool, fold = wmt22, "fresh"
                elif source == "ukraine":
                    section = rng.choice(sorted({a[0] for a in bbc}))
                    pool = [a for a in bbc if a[0] == section]
                    fold = "tune" if section[4:] in TUNE_SECTIONS else "dev"
                else:
                    # Teasers need headlines: only BBC has them, so take another section.
                    other = [a for a in bbc if a[0] != source]
                    pool = ukraine if kind == "article" else other
                    fold = "dev"
                donors = rng.sample(pool, 6)
                lines += [(l, kind) for l in appendix(rng, kind, donors)]
            doc_id = f"{kind or 'untouched'}:{fold}:{name}"
            gold[doc_id] = lines
            text = "\n\n".join(line for line, _ in lines)
            out.write(json.dumps({"id": doc_id, "title": headline or "", "text": text}) + "\n")
    return dump, gold


def score(gold, removed, rejected, show, folds):
    rows = collections.defaultdict(lambda: collections.Counter())
    misses = collections.defaultdict(list)
    for doc_id, lines in gold.items():
        kind, fold, _ = doc_id.split(":", 2)
        gone = collections.Counter(l for l, _, _ in removed.get(doc_id, []))
        cutters = collections.Counter(l for l, stage, _ in removed.get(doc_id, [])
                                      if stage in CUTTING_STAGES)
        lost = cut = appended = 0
        for line, line_kind in lines:
            hit = doc_id in rejected or gone[line] > 0
            if gone[line] > 0:
                gone[line] -= 1
            if line_kind:
                appended += 1
                cut += hit
            elif cutters[line] > 0:
                # Host lines count as lost only when cut as appended text: ukraine_war_2022
                # pages hold real junk lines that other stages rightly remove.
                cutters[line] -= 1
                lost += 1
        article_lines = len(lines) - appended
        for key in [(fold, kind), (fold, "all")] if kind != "untouched" else [("-", kind)]:
            r = rows[key]
            r["docs"] += 1
            r["exact"] += cut == appended and lost == 0
            r["appended"] += appended
            r["cut"] += cut
            host = "bbc" if ":bbc/" in doc_id else "ukraine"
            r["article " + host] += article_lines
            r["lost " + host] += lost
            r["rejected"] += doc_id in rejected
        if kind != "untouched" and (cut < appended or lost):
            misses[(fold, kind)].append((doc_id, lines, removed.get(doc_id, []), cut, lost))
    print(f"{len(gold)} documents\n")
    print(f"{'':<33}{'article lines lost':>20}")
    print(f"{'fold':<10}{'appendix':<11}{'docs':>6}{'exact':>8}{'cut':>8}{'BBC':>10}{'ukraine':>10}"
          f"{'rejected':>10}")
    for fold in folds:
        for kind in KINDS + ["all", "untouched"]:
            r = rows.get((fold, kind))
            if not r:
                continue
            exact = r["exact"] / r["docs"]
            cut = f"{r['cut'] / r['appended']:.3f}" if r["appended"] else "-"
            lost = [f"{r['lost ' + h] / r['article ' + h]:.2%}" if r["article " + h] else "-"
                    for h in ("bbc", "ukraine")]
            print(f"{fold:<10}{kind:<11}{r['docs']:>6}{exact:>8.3f}{cut:>8}{lost[0]:>10}"
                  f"{lost[1]:>10}{r['rejected']:>10}")
    for key, found in sorted(misses.items()):
        if key[0] != "dev":
            continue
        for doc_id, lines, gone, cut, lost in found[:show]:
            print(f"\n-- {doc_id}: cut {cut}, lost {lost}")
            gone_lines = {l for l, _, _ in gone}
            for line, kind in lines[-12:]:
                mark = ("CUT " if line in gone_lines else "kept") + (f" [{kind}]" if kind else "")
                print(f"   {mark:<18} {line[:100]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--limit", type=int, default=1600, help="host articles")
    parser.add_argument("--show", type=int, default=0, help="dev-fold misses to print per kind")
    parser.add_argument("--no-build", action="store_true", help="use the binary as it is")
    parser.add_argument("--config", default=os.path.join(ROOT, "pipeline.toml"),
                        help="pipeline to run (dedup is switched off)")
    parser.add_argument("--folds", default="tune,dev,fresh,-", help="folds to print")
    args = parser.parse_args()
    if not args.no_build:
        runner.build()
    dump, gold = build(args.shared, args.seed, args.limit)
    removed, rejected = runner.run(dump, WORK, args.config)
    score(gold, removed, rejected, args.show, args.folds.split(","))


if __name__ == "__main__":
    main()
