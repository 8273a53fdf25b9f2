#!/usr/bin/env python3
"""What the line model's veto would keep of each structural rule's removals, on held-out scores.

    python3 bench/lines.py --articles --recipe --save-scores S.tsv   (once, about 20 minutes)
    python3 bench/lines_veto.py --scores S.tsv [--abp PATH]          (about a minute)

Runs the default pipeline (language, names, dedup and quality off, as bench/lines.py does) on
the labeled articles with the veto off (`boilerplate.headline_min_junk = 0`), and for every
rule prints how many of its removals score below each cut in S.tsv: the recipe's held-out
scores (each article scored by a model that never saw its outlet), so that the model's
opinion of a line is not one it learned from that line's label. A line kept by a veto at cut
t is one of the `keeps`; `of them junk` says how many of those the readers called junk. The
choice of `headline_min_junk` was made on these articles, so it is tuned-on.
"""

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))
import train_lines as T  # noqa: E402

CUTS = (0.05, 0.1, 0.2, 0.3, 0.5)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scores", type=Path, required=True,
                    help="held-out scores from bench/lines.py --articles --recipe --save-scores")
    ap.add_argument("--abp", help="Article-Bias-Prediction (as bench/lines.py --abp)")
    args = ap.parse_args()
    T.ensure_venv()
    import numpy as np
    import abp
    import lines as L
    csv.field_size_limit(sys.maxsize)
    held = {}
    with args.scores.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            held[(r["doc_id"], int(r["line"]))] = float(r["score"])
    docs = T.load_articles(args.abp or abp.download())
    y = T.labels(docs)
    score = np.array([held[(d["id"], i + 1)] for d in docs for i in range(len(d["lines"]))])
    rules = np.array(L.pipeline_removes(docs, {"language", "names", "dedup", "quality"},
                                        overrides={"boilerplate": {"headline_min_junk": 0.0}}))
    print("| stage/rule | removed | junk | " + " | ".join(f"below {c}: keeps / junk" for c in CUTS) + " |")
    print("|---|---|---|" + "---|" * len(CUTS))
    for rule in sorted(set(rules) - {""}):
        m = rules == rule
        cells = [f"{int((m & (score < c)).sum())} / {int(y[m & (score < c)].sum())}" for c in CUTS]
        print(f"| {rule} | {int(m.sum())} | {int(y[m].sum())} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
