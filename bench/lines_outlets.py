#!/usr/bin/env python3
"""Does the dump help the line model? An experiment on the labeled articles, outlets held out.

    python3 bench/lines_outlets.py [--abp PATH] [--only with|without]   (about 30 minutes)

For every line of the labeled articles (bench/data/lines_articles*.tsv), counts how many other
articles of its outlet in the whole of Article-Bias-Prediction hold the same line (case and
digits masked, punctuation dropped; exact copies of an article counted once), and gives the
second look of scripts/train_lines.py three more inputs: that count, its share of the
outlet's other articles, and their number (0 for the scraped pages, which have no outlet).
Then it runs the trainer's recipe in 5 folds by outlet (bench/lines.py --recipe) with and
without them, and prints both at the trainer's threshold and at fixed thresholds: the
comparison at equal article lines lost is the one that says whether the inputs help.
Nothing here ships: the Rust line stage has no such input (README, Lines of real scraped
articles).
"""

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))
import train_lines as T  # noqa: E402


def shape(line: str) -> str:
    """The line with case and digits masked and punctuation dropped."""
    words = ("".join("0" if c.isdigit() else c.lower() for c in tok if c.isalnum())
             for tok in line.split())
    return " ".join(w for w in words if w)


def outlet_counts(source: str, articles: list[dict]) -> None:
    """Sets each article's `recur`: per line, [other articles of the outlet holding it, other
    articles of the outlet]."""
    import abp
    counts, docs, seen = defaultdict(Counter), Counter(), set()
    for a in abp.articles(source):
        text = a["content_original"]
        if text in seen:
            continue
        seen.add(text)
        lines = [x.strip() for x in text.split("\n") if x.strip()]
        docs[a["source"]] += 1
        counts[a["source"]].update(set(shape(x) for x in lines))
    for d in articles:
        o, n = d["outlet"], docs[d["outlet"]] - 1
        d["recur"] = [[min(max(counts[o][shape(x)] - 1, 0), n), n] for x in d["lines"]]


def with_outlet_inputs(measures):
    """T.measures with the three outlet inputs appended."""
    import numpy as np

    def patched(docs):
        M = measures(docs)
        R = np.array([r for d in docs for r in d.get("recur", [[0, 0]] * len(d["lines"]))],
                     dtype=float)
        share = np.where(R[:, 1] > 0, R[:, 0] / np.maximum(R[:, 1], 1), 0.0)
        return np.hstack([M, R[:, :1], share[:, None], R[:, 1:2]])
    return patched


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--abp", help="Article-Bias-Prediction (as bench/lines.py --abp)")
    ap.add_argument("--only", choices=("with", "without"))
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--scraped", type=Path, default=T.SCRAPED)
    args = ap.parse_args()
    args.C, args.articles_weight = T.DEFAULT_C, T.ARTICLES_WEIGHT
    T.ensure_venv()
    T.build(args.no_build)
    import numpy as np
    import abp
    import lines as L
    source = args.abp or abp.download()
    articles = T.load_articles(source)
    outlet_counts(source, articles)
    y = T.labels(articles)
    plain = T.measures
    for variant in ("without", "with"):
        if args.only and args.only != variant:
            continue
        T.measures = with_outlet_inputs(plain) if variant == "with" else plain
        removed, held = L.recipe_by_outlet(articles, args)
        print(f"### {variant} the outlet inputs: precision / recall / article lines lost\n")
        print("| threshold | precision | recall | lost |\n|---|---|---|---|")
        for name, r in [("trainer's", removed)] + [(t, held >= t) for t in (0.6, 0.7, 0.8, 0.9, 0.92)]:
            m = T.metrics(y, r)
            print(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {100 * m['lost']:.2f}% |")
        print(flush=True)


if __name__ == "__main__":
    main()
