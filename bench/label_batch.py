#!/usr/bin/env python3
"""Draws a batch of real scraped articles for line labeling and writes the files readers label.

    python3 bench/label_batch.py --batch 3 --articles 416 --files 4 [--abp PATH] [--out DIR]

Articles come from ramybaly/Article-Bias-Prediction (bench/abp.py): newspaper3k's text of
live pages. The draw is seeded by the batch number: outlets in a random order, one article of
each in turn (an outlet gives a second article only when every outlet has given one), never an
article that an earlier batch (bench/data/lines_articles*.tsv) labeled, and only articles of
3 to 80 non-blank lines, so a file stays readable in one sitting. Each file holds
`=== DOC <id> | <outlet> | <url>`, `TITLE: ...` and the numbered lines
(`<n><TAB><line>`, non-blank lines of `content_original`, stripped, numbered from 1), as
bench/data/lines_articles_guide.md describes. Readers return `doc_id<TAB>line<TAB>label`
files; `--collect` checks them against the drawn files and writes
bench/data/lines_articles_<batch>.tsv with each line's digest (no text is stored).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import abp  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data"
LABELS = {"article", "byline", "caption", "prompt", "related", "widget", "legal", "nav", "other"}
MIN_LINES, MAX_LINES = 3, 80


def lines_of(article) -> list[str]:
    return [s.strip() for s in article["content_original"].split("\n") if s.strip()]


def labeled_ids() -> set[str]:
    ids = set()
    for path in sorted(DATA.glob("lines_articles*.tsv")):
        for row in path.read_text().splitlines():
            if row and not row.startswith("#") and not row.startswith("doc_id"):
                ids.add(row.split("\t", 1)[0])
    return ids


def draw(path, batch: int, count: int):
    taken = labeled_ids()
    by_outlet = defaultdict(list)
    for a in abp.articles(path):
        if a["ID"] not in taken and MIN_LINES <= len(lines_of(a)) <= MAX_LINES:
            by_outlet[a["source"]].append(a)
    rng = random.Random(f"lines-batch-{batch}")
    outlets = sorted(by_outlet)
    rng.shuffle(outlets)
    for outlet in outlets:
        rng.shuffle(by_outlet[outlet])
    chosen = []
    while len(chosen) < count and any(by_outlet.values()):
        for outlet in outlets:
            if by_outlet[outlet] and len(chosen) < count:
                chosen.append(by_outlet[outlet].pop())
    return chosen


def write_files(chosen, files: int, out: Path, batch: int):
    out.mkdir(parents=True, exist_ok=True)
    for k in range(files):
        part = chosen[k::files]
        with open(out / f"batch{batch}_{k + 1}.txt", "w") as f:
            for a in part:
                f.write(f"=== DOC {a['ID']} | {a['source']} | {a['url']}\n")
                f.write(f"TITLE: {a['title']}\n")
                for n, line in enumerate(lines_of(a), 1):
                    f.write(f"{n}\t{line}\n")
                f.write("\n")
        print(f"{out / f'batch{batch}_{k + 1}.txt'}: {len(part)} articles, "
              f"{sum(len(lines_of(a)) for a in part)} lines")


def collect(chosen, files: int, out: Path, batch: int):
    """Checks every reader's TSV against the drawn lines and writes the batch's label file."""
    text = {a["ID"]: lines_of(a) for a in chosen}
    rows, outlets = [], set()
    for k in range(files):
        part = chosen[k::files]
        got = {}
        path = out / f"batch{batch}_{k + 1}.labels.tsv"
        for n, row in enumerate(path.read_text().splitlines(), 1):
            if n == 1 and row.startswith("doc_id"):
                continue
            doc, line, label = row.split("\t")
            if label not in LABELS:
                sys.exit(f"{path}:{n}: unknown label {label!r}")
            got[(doc, int(line))] = label
        want = {(a["ID"], i) for a in part for i in range(1, len(text[a["ID"]]) + 1)}
        if set(got) != want:
            sys.exit(f"{path}: {len(want - set(got))} lines unlabeled, "
                     f"{len(set(got) - want)} labels for no drawn line")
        for a in part:
            outlets.add(a["source"])
            for i, line in enumerate(text[a["ID"]], 1):
                digest = hashlib.sha1(line.encode()).hexdigest()[:8]
                rows.append((a["ID"], i, got[(a["ID"], i)], digest))
    rows.sort()
    dest = DATA / f"lines_articles_{batch}.tsv"
    with open(dest, "w") as f:
        f.write(f"# Line labels of {len(chosen)} more real scraped articles ({len(outlets)} outlets) "
                "from ramybaly/Article-Bias-Prediction,\n"
                f"# batch {batch}: drawn by bench/label_batch.py, labeled as the earlier batches "
                "were, by readers who had not seen\n"
                "# newsclean's rules or output, following bench/data/lines_articles_guide.md; "
                "none of these articles is in an\n"
                "# earlier batch. A line is a non-blank line of `content_original`, stripped, "
                "numbered from 1; `digest` is\n"
                "# the first 8 hex digits of its SHA-1. No text is stored.\n")
        f.write("doc_id\tline\tlabel\tdigest\n")
        for doc, line, label, digest in rows:
            f.write(f"{doc}\t{line}\t{label}\t{digest}\n")
    print(f"{dest}: {len(chosen)} articles, {len(rows)} lines, "
          f"{sum(r[2] != 'article' for r in rows)} junk")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--articles", type=int, default=416)
    ap.add_argument("--files", type=int, default=4)
    ap.add_argument("--abp", default=None, help="Article-Bias-Prediction: a folder holding "
                    "data/jsons, a git directory of it, or its tarball (downloaded if not given)")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "work" / "labeling")
    ap.add_argument("--collect", action="store_true",
                    help="check the readers' label files and write the batch's TSV")
    args = ap.parse_args()
    # The draw excludes labeled articles, so collecting must not see this batch's own file.
    dest = DATA / f"lines_articles_{args.batch}.tsv"
    if dest.exists():
        sys.exit(f"error: {dest} exists: batch {args.batch} is already collected")
    chosen = draw(args.abp or abp.download(), args.batch, args.articles)
    if args.collect:
        collect(chosen, args.files, args.out, args.batch)
    else:
        write_files(chosen, args.files, args.out, args.batch)


if __name__ == "__main__":
    main()
