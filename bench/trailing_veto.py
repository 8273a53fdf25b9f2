#!/usr/bin/env python3
"""What a line-model veto on trailing's cuts would keep: a measured, not shipped, idea.

    python3 bench/lines.py --articles --recipe --save-scores S.tsv   (once, about 20 minutes)
    python3 bench/trailing_veto.py --scores S.tsv [--abp PATH]       (a few minutes)

Runs the default pipeline (as bench/lines.py does) on the labeled articles and on the
whole-page held-out sets of ../shared/corpora/scraped, finds every run of lines one trailing
rule removed (a cut segment), and prints, for each cut, how many segments and lines have a mean
junk score below it and how many of those lines the labels call junk: what a veto at that cut
would keep. Scores: the articles' held-out scores from S.tsv (each article scored by a model
that never saw its outlet); for the page sets, the shipped model, which never trained on them.
The page sets hold four extractors' output of each page, so one page's tail counts up to four
times. README (Appended stories) gives the result and why the veto did not ship.
"""

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))
import train_lines as T  # noqa: E402

CUTS = (0.05, 0.1, 0.15, 0.2, 0.3)


def segments(docs, rules, scores):
    """(lines, junk lines, mean score) of every run of lines one trailing rule removed."""
    out, i = [], 0
    for d in docs:
        n = len(d["lines"])
        r, s = rules[i:i + n], scores[i:i + n]
        i += n
        j = 0
        while j < n:
            if r[j].startswith("trailing/") and r[j] != "trailing/teaser_line":
                k = j
                while k < n and r[k] == r[j]:
                    k += 1
                out.append((k - j, sum(d["junk"][j:k]), sum(s[j:k]) / (k - j)))
                j = k
            else:
                j += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scores", type=Path, required=True,
                    help="held-out scores from bench/lines.py --articles --recipe --save-scores")
    ap.add_argument("--abp", help="Article-Bias-Prediction (as bench/lines.py --abp)")
    args = ap.parse_args()
    T.ensure_venv()
    import abp
    import lines as L
    csv.field_size_limit(sys.maxsize)
    held = {}
    with args.scores.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            held[(r["doc_id"], int(r["line"]))] = float(r["score"])
    articles = T.load_articles(args.abp or abp.download())
    a_scores = [held[(d["id"], i + 1)] for d in articles for i in range(len(d["lines"]))]
    found = {"labeled articles": segments(articles, L.pipeline_removes(articles, set()), a_scores)}
    pages = [d for d in T.load_docs(T.SCRAPED) if d["ds"] not in T.TRAIN_SETS]
    p_scores = [float(x) for x in T.rust_lines(pages, "score")]
    p_rules = L.pipeline_removes(pages, {"language", "names", "dedup"})
    found["whole-page held-out sets"] = segments(pages, p_rules, p_scores)
    print("| data | cut segments (lines, junk) | " +
          " | ".join(f"mean below {c}: segments / lines / junk" for c in CUTS) + " |")
    print("|---|---|" + "---|" * len(CUTS))
    for name, segs in found.items():
        cells = []
        for c in CUTS:
            kept = [s for s in segs if s[2] < c]
            cells.append(f"{len(kept)} / {sum(s[0] for s in kept)} / {sum(s[1] for s in kept)}")
        print(f"| {name} | {len(segs)} ({sum(s[0] for s in segs)}, {sum(s[1] for s in segs)}) | "
              + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
