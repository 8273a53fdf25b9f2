#!/usr/bin/env python3
"""Trains newsclean's line model and writes data/lines_model.tsv.

    python3 scripts/train_lines.py [--scraped PATH] [--abp PATH] [--C 0.05] [--no-build]

Reads the labeled scraper output of ../shared/corpora/scraped (each line of real newspaper3k,
goose3, readability and trafilatura output labeled article or junk against human gold), keeps
the sets whose licences allow a shipped model (WCXB dev split, CC-BY-4.0; mozilla/readability
test pages, Apache-2.0), adds the real scraped articles labeled line by line in
bench/data/lines_articles*.tsv (their text read from Article-Bias-Prediction, bench/abp.py;
downloaded when --abp is not given), each of their lines weighing --articles-weight, asks the
Rust binary for every line's features (`newsclean lines features`, so training sees exactly
what inference computes) and fits an L2 logistic regression (scikit-learn) on them: the first
look. The second look (`--second-look trees`, the default) is gradient-boosted trees
(LightGBM) over each line's out-of-fold first-look log-odds, its neighbours', the document's
and the line's plain measures (`newsclean lines measures`); `--second-look linear` weighs only
the line's own log-odds against its window's mean. The recommended threshold is chosen on the
articles' out-of-fold scores. It writes:

- data/lines_model.tsv: the weights (slot<TAB>weight, rounded as written);
- data/lines_model.md: the manifest: data, licences, settings, and cross-validated figures on
  the training sets (by site, so no site is on both sides);
- tests/fixtures/lines/check.jsonl: lines we wrote, with the scores these weights give, so a
  test checks that Rust inference equals the trainer's.

It re-runs itself in bench/work/lines-venv (created with pinned packages when missing).
Held-out figures on the sets this never trains on come from bench/lines.py.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SCRAPED = SHARED / "corpora" / "scraped" / "scraped_lines.jsonl.gz"
BINARY = REPO / "target" / "release" / "newsclean"
VENV = REPO / "bench" / "work" / "lines-venv"
PACKAGES = ["numpy==2.1.3", "scipy==1.14.1", "scikit-learn==1.5.2", "justext==3.0.1",
            "lxml_html_clean==0.4.1", "lightgbm==4.5.0"]

# Sets whose licences allow training a model that ships (../shared/corpora/lines/README.md).
TRAIN_SETS = ("wcxb-article", "wcxb-other", "readability")
# Features seen in fewer training lines get no weight (noise, and a smaller file).
MIN_COUNT = 20
# Weights smaller than this are left out of the file.
MIN_WEIGHT = 2e-3
DIM = 1 << 18
# Lines on each side a line's second look averages (src/stage/lines/model.rs).
WINDOW = 3
# A neighbour's log-odds where the document has no such line (NO_LINE in model.rs).
NO_LINE = -99.0
# The trees of the second look (LightGBM; single-threaded and seeded, so reruns give the
# same trees).
TREE_PARAMS = {"objective": "binary", "num_leaves": 15, "learning_rate": 0.1,
               "min_data_in_leaf": 50, "bagging_fraction": 0.8, "bagging_freq": 1,
               "feature_fraction": 0.9, "seed": 7, "deterministic": True, "num_threads": 1,
               "verbose": -1}
TREES = 150
# Inverse L2 strength (see --sweep).
DEFAULT_C = 0.05
# Weight of a line of the labeled articles against one of the scraped pages: the articles are
# the shape the model serves (sparse junk inside an article) but 30 times fewer lines.
ARTICLES_WEIGHT = 20.0
# Share of article lines the recommended threshold may remove, cross-validated.
DEFAULT_LOST = 0.005
HEADER = "newsclean-lines-model\t1"

# Lines written for the Rust/Python agreement check (not from any corpus).
CHECK_DOCS = [
    [
        "Council approves new flood barrier for the old town",
        "By Marta Quill, Valley Herald",
        "The city council approved the new flood barrier on Monday after a long debate between "
        "residents, engineers and the mayor.",
        "Engineers said the barrier would protect four thousand homes from winter storms.",
        "Photo: Jane Doe / Valley Herald",
        "Sign up for our morning newsletter and never miss a story.",
        "Work starts in spring and should end before the 2027 flood season, the mayor said.",
        "© 2026 Valley Herald. All rights reserved.",
        "Read next: Striker signs record deal with northern club",
    ],
    [
        "Home | News | Sport | Weather",
        "Ferry services resume after the storm",
        "Ferries between the islands ran again on Friday morning, two days after the storm "
        "closed the harbour and left hundreds of travellers stranded.",
        "Comments (12)",
    ],
]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def ensure_venv() -> None:
    """Re-executes this script with the venv's python, creating the venv when missing."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    python = VENV / "bin" / "python"
    installed = VENV / "packages.txt"
    if not python.exists():
        log(f"python3 -m venv {VENV.relative_to(REPO)} ...")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    # A venv made for an earlier list of packages gets the current one.
    if not installed.exists() or installed.read_text().split() != PACKAGES:
        log(f"pip install {' '.join(PACKAGES)} ...")
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
        installed.write_text("\n".join(PACKAGES) + "\n")
    os.execv(str(python), [str(python), *sys.argv])


def build(skip: bool) -> None:
    if skip:
        return
    log("cargo build --release ...")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)


def load_docs(path: Path, sets: tuple[str, ...] | None = None) -> list[dict]:
    """Documents of the scraped corpus (all sets, or `sets`), lines that normalize to nothing
    dropped with their labels. `junk` is 1 for a line that is not article text."""
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for record in f:
            d = json.loads(record)
            if sets is not None and d["ds"] not in sets:
                continue
            keep = [i for i, line in enumerate(d["lines"]) if line.strip()]
            if not keep:
                continue
            docs.append({
                "ds": d["ds"], "site": d["site"], "page": d["page"],
                "extractor": d["extractor"],
                "lines": [d["lines"][i] for i in keep],
                "junk": [1 - d["labels"][i] for i in keep],
            })
    return docs


# The labeled articles, by labeling batch: batch 1 (lines_articles.tsv) was labeled first,
# each later batch N (lines_articles_N.tsv, drawn by bench/label_batch.py) a session later, and
# first scored by the model trained on the batches before it.
ARTICLE_LABELS = [REPO / "bench" / "data" / "lines_articles.tsv"] + sorted(
    (REPO / "bench" / "data").glob("lines_articles_*.tsv"),
    key=lambda p: int(p.stem.rsplit("_", 1)[1]))


def line_digest(line: str) -> str:
    import hashlib
    return hashlib.sha1(line.encode("utf-8")).hexdigest()[:8]


def load_articles(source: str) -> list[dict]:
    """The labeled articles: their lines from the Article-Bias-Prediction source, their labels
    from bench/data/lines_articles*.tsv (each line's digest checks that the two agree)."""
    sys.path.insert(0, str(REPO / "bench"))
    import abp
    labels = defaultdict(list)
    for path in ARTICLE_LABELS:
        batch = int(path.stem.rsplit("_", 1)[1]) if path.stem != "lines_articles" else 1
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t"):
                labels[row["doc_id"]].append(dict(row, batch=batch))
    docs = []
    for article in abp.articles(source):
        rows = labels.pop(article["ID"], None)
        if rows is None:
            continue
        lines = [x.strip() for x in article["content_original"].split("\n") if x.strip()]
        if len(lines) != len(rows) or any(line_digest(x) != r["digest"] for x, r in zip(lines, rows)):
            sys.exit(f"error: article {article['ID']} differs from the one labeled")
        docs.append({"ds": "articles", "site": "outlet:" + article["source"],
                     "outlet": article["source"], "lines": lines, "id": article["ID"],
                     "batch": rows[0]["batch"],
                     "kind": [r["label"] for r in rows],
                     "junk": [int(r["label"] != "article") for r in rows]})
    if labels:
        sys.exit(f"error: {len(labels)} labeled articles not found in {source}")
    return docs


def rust_lines(docs: list[dict], *args: str) -> list[str]:
    """Runs `newsclean lines ARGS` on the documents; one output line per document line."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as tmp:
        for d in docs:
            tmp.write(json.dumps({"lines": d["lines"]}, ensure_ascii=False) + "\n")
        tmp.flush()
        out = subprocess.run([str(BINARY), "lines", *args, tmp.name], capture_output=True,
                             text=True, check=True).stdout
    rows = out.split("\n")[:-1]
    expected = sum(len(d["lines"]) for d in docs)
    if len(rows) != expected:
        sys.exit(f"error: newsclean lines {' '.join(args)} gave {len(rows)} lines, "
                 f"expected {expected}")
    return rows


def features(docs: list[dict]):
    """The documents' lines as a sparse 0/1 matrix of Rust's feature slots (a slot hit twice
    counts twice, as in Rust's sum)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    rows = rust_lines(docs, "features")
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    chunks = []
    for i, row in enumerate(rows):
        cols = np.array(row.split(), dtype=np.int64)
        chunks.append(cols)
        indptr[i + 1] = indptr[i] + len(cols)
    indices = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
    data = np.ones(len(indices), dtype=np.float64)
    return csr_matrix((data, indices, indptr), shape=(len(rows), DIM))


def labels(docs: list[dict]):
    import numpy as np
    return np.array([y for d in docs for y in d["junk"]], dtype=np.int8)


def groups(docs: list[dict], key: str):
    return [d[key] for d in docs for _ in d["lines"]]


def fit(X, y, C: float, sw=None):
    """L2 logistic regression without intercept (the `bias` feature is in every line), lines
    weighed by `sw`; weights of features seen fewer than MIN_COUNT times are zero, small ones
    dropped, the rest rounded to 6 significant digits, as the model file holds them."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    seen = np.asarray((X > 0).sum(axis=0)).ravel() >= MIN_COUNT
    Xs = X[:, np.flatnonzero(seen)]
    model = LogisticRegression(C=C, fit_intercept=False, solver="liblinear", max_iter=200)
    model.fit(Xs, y, sample_weight=sw)
    w = np.zeros(DIM)
    w[np.flatnonzero(seen)] = model.coef_.ravel()
    w[np.abs(w) < MIN_WEIGHT] = 0.0
    return np.array([float(f"{v:.6g}") for v in w])


def window_mean(own, docs: list[dict]):
    """Per line, the mean of the first-look log-odds of the lines within WINDOW of it in its
    document (itself included), as Rust's second look computes it."""
    import numpy as np
    out = np.empty(len(own))
    at = 0
    for d in docs:
        n = len(d["lines"])
        sums = np.concatenate([[0.0], np.cumsum(own[at:at + n])])
        lo = np.maximum(np.arange(n) - WINDOW, 0)
        hi = np.minimum(np.arange(n) + WINDOW + 1, n)
        out[at:at + n] = (sums[hi] - sums[lo]) / (hi - lo)
        at += n
    return out


def measures(docs: list[dict]):
    """Every line's plain measures as Rust computes them (`newsclean lines measures`)."""
    import numpy as np
    return np.array([[float(v) for v in row.split()] for row in rust_lines(docs, "measures")])


def second_look_inputs(own, docs: list[dict], M):
    """What the trees read of each line (second_look_inputs in src/stage/lines/model.rs): its
    own first-look log-odds, those one and two lines before and after (NO_LINE past the
    ends), its window's mean, the document's highest, mean and median, its place (index over
    line count), the document's line count, and its measures M."""
    import numpy as np
    out = np.empty((len(own), 11 + M.shape[1]))
    mean = window_mean(own, docs)
    at = 0
    for d in docs:
        n = len(d["lines"])
        o = own[at:at + n]
        padded = np.concatenate([[NO_LINE] * 2, o, [NO_LINE] * 2])
        block = out[at:at + n]
        block[:, 0] = o
        block[:, 1] = padded[1:n + 1]
        block[:, 2] = padded[3:n + 3]
        block[:, 3] = padded[0:n]
        block[:, 4] = padded[4:n + 4]
        block[:, 5] = mean[at:at + n]
        block[:, 6] = o.max()
        block[:, 7] = sum(o.tolist()) / n  # summed in line order, as Rust does
        block[:, 8] = np.median(o)
        block[:, 9] = np.arange(n) / n
        block[:, 10] = n
        at += n
    out[:, 11:] = M
    return out


def fit_trees(F, y, sw):
    """Gradient-boosted trees of the labels on the second-look inputs F, each a dict of the
    flat arrays Rust reads (src/stage/lines/forest.rs): nodes in pre-order, so a node's
    children come after it; a child below 0 is leaf ~child."""
    import lightgbm as lgb
    booster = lgb.train(TREE_PARAMS, lgb.Dataset(F, y, weight=sw), num_boost_round=TREES)
    trees = []
    for info in booster.dump_model()["tree_info"]:
        t = {"feature": [], "threshold": [], "left": [], "right": [], "leaf": []}

        def walk(node) -> int:
            if "leaf_value" in node:
                t["leaf"].append(float(node["leaf_value"]))
                return ~(len(t["leaf"]) - 1)
            if node["decision_type"] != "<=" or node["missing_type"] != "None":
                sys.exit(f"error: a tree split Rust cannot read: {node['decision_type']}, "
                         f"missing {node['missing_type']}")
            k = len(t["feature"])
            t["feature"].append(int(node["split_feature"]))
            t["threshold"].append(float(node["threshold"]))
            t["left"].append(0)
            t["right"].append(0)
            t["left"][k] = walk(node["left_child"])
            t["right"][k] = walk(node["right_child"])
            return k
        walk(info["tree_structure"])
        trees.append(t)
    return trees


def trees_logit(trees, F):
    """The sum of the trees' leaves for every row of F, trees added in order (as Rust does)."""
    import numpy as np
    total = np.zeros(len(F))
    rows = np.arange(len(F))
    for t in trees:
        if not t["feature"]:
            total += t["leaf"][0]
            continue
        feature, threshold = np.array(t["feature"]), np.array(t["threshold"])
        left, right, leaf = np.array(t["left"]), np.array(t["right"]), np.array(t["leaf"])
        node = np.zeros(len(F), dtype=np.int64)
        value = np.empty(len(F))
        active = rows
        while len(active):
            k = node[active]
            go_left = F[active, feature[k]] <= threshold[k]
            child = np.where(go_left, left[k], right[k])
            done = child < 0
            value[active[done]] = leaf[~child[done]]
            node[active[~done]] = child[~done]
            active = active[~done]
        total += value
    return total


def fit_context(own, docs: list[dict], y, M=None, kind: str = "trees"):
    """The second look, fitted on out-of-fold first looks: trees over second_look_inputs, or
    (`linear`) a logistic regression of the labels on a line's own log-odds and its window's
    mean, rounded as the file holds it. Lines weigh as their documents."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    if kind == "trees":
        return {"trees": fit_trees(second_look_inputs(own, docs, M), y, line_weights(docs))}
    F = np.stack([own, window_mean(own, docs)], axis=1)
    model = LogisticRegression(C=1.0, max_iter=500).fit(F, y, sample_weight=line_weights(docs))
    a, b = model.coef_.ravel()
    return {"linear": tuple(float(f"{v:.6g}") for v in (a, b, model.intercept_[0]))}


def second_look(own, context, docs: list[dict], M=None):
    """Final probabilities from first-look log-odds."""
    import numpy as np
    if "trees" in context:
        if M is None:
            M = measures(docs)
        logit = trees_logit(context["trees"], second_look_inputs(own, docs, M))
    else:
        a, b, c = context["linear"]
        logit = a * own + b * window_mean(own, docs) + c
    return 1.0 / (1.0 + np.exp(-logit))


def first_look(X, w):
    """Every line's own log-odds, the weights held as f32 as Rust holds them."""
    import numpy as np
    return X @ w.astype(np.float32).astype(np.float64)


def scores(X, w, context, docs: list[dict], M=None):
    """Final probabilities of the documents' lines."""
    return second_look(first_look(X, w), context, docs, M)


def train(docs: list[dict], X, C: float, kind: str = "trees"):
    """Fits the first look on every line, and the second look on out-of-fold first looks (3
    folds by site, so the neighbours' scores it learns from are as unseen as at inference).
    Returns the weights, the second look and the out-of-fold final scores (the second look
    too fitted out of fold, on the same folds)."""
    import numpy as np
    y = labels(docs)
    M = measures(docs) if kind == "trees" else None
    own_oof = cross_validated(docs, X, C)
    oof = np.zeros(len(y))
    starts = np.cumsum([0] + [len(d["lines"]) for d in docs])
    for fold in site_folds(docs, 3):
        held = set(fold)
        rows = np.zeros(len(y), dtype=bool)
        for i in fold:
            rows[starts[i]:starts[i + 1]] = True
        train_docs = [d for i, d in enumerate(docs) if i not in held]
        test_docs = [docs[i] for i in fold]
        part = fit_context(own_oof[~rows], train_docs, y[~rows],
                           None if M is None else M[~rows], kind)
        oof[rows] = second_look(own_oof[rows], part, test_docs,
                                None if M is None else M[rows])
    context = fit_context(own_oof, docs, y, M, kind)
    return fit(X, y, C, line_weights(docs)), context, oof


def line_weights(docs: list[dict]):
    """Each line's weight in training: its document's `weight` (1 unless set)."""
    import numpy as np
    return np.array([d.get("weight", 1.0) for d in docs for _ in d["lines"]])


def metrics(junk, removed) -> dict:
    """Junk-line precision, recall, F1 and the share of article lines removed."""
    import numpy as np
    junk = np.asarray(junk, dtype=bool)
    removed = np.asarray(removed, dtype=bool)
    tp = int((junk & removed).sum())
    fp = int((~junk & removed).sum())
    fn = int((junk & ~removed).sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    lost = fp / max(1, int((~junk).sum()))
    return {"precision": p, "recall": r, "f1": f1, "lost": lost, "junk": int(junk.sum()),
            "lines": len(junk)}


def site_folds(docs: list[dict], k: int):
    """k folds of document indices, every site on one side."""
    import numpy as np
    sites = sorted({d["site"] for d in docs})
    rng = np.random.default_rng(7)
    rng.shuffle(sites)
    fold_of = {s: i % k for i, s in enumerate(sites)}
    return [[i for i, d in enumerate(docs) if fold_of[d["site"]] == f] for f in range(k)]


def cross_validated(docs: list[dict], X, C: float, k: int = 3):
    """Out-of-fold first-look log-odds of every line, folds by site."""
    import numpy as np
    y, sw = labels(docs), line_weights(docs)
    starts = np.cumsum([0] + [len(d["lines"]) for d in docs])
    out = np.zeros(len(y))
    for fold in site_folds(docs, k):
        test = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in fold])
        mask = np.ones(len(y), dtype=bool)
        mask[test] = False
        w = fit(X[mask], y[mask], C, sw[mask])
        out[test] = first_look(X[test], w)
    return out


# Kinds of junk the labeled articles name (bench/data/lines_articles_guide.md).
KINDS = ("caption", "prompt", "related", "widget", "byline", "legal", "nav", "other")
# Features seen in fewer junk lines than this get no kind weight.
KIND_MIN_COUNT = 3


def fit_kinds(X, kinds, C: float = 1.0):
    """Multinomial logistic regression of the kind of junk on the junk lines' features (no
    intercept: `bias` is a feature); returns a (slots x kinds) weight matrix, rounded as the
    file holds it. A line's kind is the one its features' weights sum highest."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    y = np.array([KINDS.index(k) for k in kinds])
    seen = np.flatnonzero(np.asarray((X > 0).sum(axis=0)).ravel() >= KIND_MIN_COUNT)
    model = LogisticRegression(C=C, fit_intercept=False, max_iter=2000).fit(X[:, seen], y)
    W = np.zeros((DIM, len(KINDS)))
    W[seen] = model.coef_.T
    W[np.abs(W) < MIN_WEIGHT] = 0.0
    return np.vectorize(lambda v: float(f"{v:.6g}"))(W)


def kind_names(X, W) -> list[str]:
    """Each line's kind: the column its features' weights sum highest (first on a tie)."""
    return [KINDS[int(k)] for k in (X @ W).argmax(axis=1)]


def kinds_cross_validated(articles: list[dict], X) -> tuple[float, float]:
    """Kind accuracy on the junk lines of articles whose outlets the kinds model never saw (5
    folds by outlet), and the accuracy of always naming the most common kind."""
    import numpy as np
    kinds = np.array([k for d in articles for k in d["kind"]])
    starts = np.cumsum([0] + [len(d["lines"]) for d in articles])
    right = total = 0
    for fold in site_folds(articles, 5):
        test = np.zeros(len(kinds), dtype=bool)
        for i in fold:
            test[starts[i]:starts[i + 1]] = True
        junk = kinds != "article"
        W = fit_kinds(X[junk & ~test], kinds[junk & ~test])
        got = kind_names(X[junk & test], W)
        right += sum(g == k for g, k in zip(got, kinds[junk & test]))
        total += int((junk & test).sum())
    common = max(set(kinds[kinds != "article"]), key=lambda k: (kinds == k).sum())
    return right / total, float((kinds == common).sum()) / float((kinds != "article").sum())


def write_model(path: Path, w, context, about: str, W=None) -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write(HEADER + "\n")
        f.write(f"# {about}\n")
        if "linear" in context:
            f.write("context\t" + "\t".join(f"{v:.6g}" for v in context["linear"]) + "\n")
        for t in context.get("trees", []):
            # repr: the shortest text that reads back as the same double.
            f.write("tree\t" + "\t".join(",".join(repr(v) for v in t[k]) for k in
                                         ("feature", "threshold", "left", "right", "leaf")) + "\n")
        for slot in map(int, w.nonzero()[0]):
            f.write(f"{slot}\t{w[slot]:.6g}\n")
        if W is not None:
            f.write("kinds\t" + "\t".join(KINDS) + "\n")
            for slot in sorted({int(r) for r in W.nonzero()[0]}):
                f.write(f"kind\t{slot}\t" + "\t".join(f"{v:.6g}" for v in W[slot]) + "\n")


def write_check(path: Path, w, context, W) -> None:
    """Hand-written lines with the scores and kinds these weights give them."""
    docs = [{"lines": lines} for lines in CHECK_DOCS]
    X = features(docs)
    s = scores(X, w, context, docs)
    names = kind_names(X, W)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        at = 0
        for d in docs:
            n = len(d["lines"])
            f.write(json.dumps({"lines": d["lines"],
                                "scores": [round(float(v), 9) for v in s[at:at + n]],
                                "kinds": names[at:at + n]}) + "\n")
            at += n


def second_look_text(context) -> str:
    """The manifest's sentence on the second look."""
    if "linear" in context:
        a, b, c = context["linear"]
        return (f"Second look: the final log-odds are {a} x the line's own + {b} x the mean "
                f"over the lines within {WINDOW} of it {c:+}, fitted on out-of-fold first "
                "looks.")
    p = TREE_PARAMS
    return (f"Second look: {len(context['trees'])} gradient-boosted trees (LightGBM, "
            f"{p['num_leaves']} leaves, learning rate {p['learning_rate']}, at least "
            f"{p['min_data_in_leaf']} lines a leaf, bagging {p['bagging_fraction']}, feature "
            f"fraction {p['feature_fraction']}, seed {p['seed']}) over the line's own first-look "
            "log-odds, those one and two lines before and after, the mean of its window of "
            f"{WINDOW} lines each way, the document's highest, mean and median, its place and "
            "the document's line count, and its measures (words, characters, capitalized and "
            "digit shares, sentence or colon ending), fitted on out-of-fold first looks.")


def threshold_for(junk, s, lost: float) -> float:
    """The lowest threshold (in steps of 0.01) that removes at most `lost` of article lines."""
    for t in [x / 100 for x in range(5, 100)]:
        if metrics(junk, s >= t)["lost"] <= lost:
            return t
    return 0.99


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scraped", type=Path, default=SCRAPED)
    ap.add_argument("--C", type=float, default=DEFAULT_C,
                    help="inverse L2 strength (see --sweep)")
    ap.add_argument("--sweep", action="store_true",
                    help="print the cross-validated average precision of several C values on "
                         "the training sets (3 folds by site) and stop")
    ap.add_argument("--abp", help="Article-Bias-Prediction (the labeled articles' text): a "
                    "folder holding data/jsons, a git directory of the repository or its "
                    "tarball; downloaded into bench/work when not given")
    ap.add_argument("--articles-weight", type=float, default=ARTICLES_WEIGHT)
    ap.add_argument("--lost", type=float, default=DEFAULT_LOST,
                    help="share of article lines the recommended threshold may remove, "
                         "cross-validated")
    ap.add_argument("--second-look", choices=("trees", "linear"), default="trees",
                    help="how a line's final score weighs its neighbours and its document: "
                         "gradient-boosted trees (default) or a linear mix of its own and its "
                         "window's log-odds")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.scraped.exists():
        sys.exit(f"error: {args.scraped} not found (the shared corpora sit beside the repo)")
    ensure_venv()
    build(args.no_build)
    scraped = load_docs(args.scraped, TRAIN_SETS)
    sys.path.insert(0, str(REPO / "bench"))
    import abp
    articles = [dict(d, weight=args.articles_weight)
                for d in load_articles(args.abp or abp.download())]
    docs = scraped + articles
    log(f"{len(scraped)} documents, {sum(len(d['lines']) for d in scraped)} lines from "
        f"{TRAIN_SETS}; {len(articles)} labeled articles, "
        f"{sum(len(d['lines']) for d in articles)} lines, weight {args.articles_weight}")
    X = features(docs)
    y = labels(docs)
    if args.sweep:
        from sklearn.metrics import average_precision_score
        for C in (0.006, 0.02, 0.06, 0.2):
            ap_cv = average_precision_score(y, train(docs, X, C)[2])
            print(f"C={C}: cross-validated average precision {ap_cv:.4f}", flush=True)
        return
    log("training, with 3-fold cross-validation by site ...")
    w, context, oof = train(docs, X, args.C, args.second_look)
    # The threshold serves the articles: chosen on their out-of-fold scores.
    n = len(labels(scraped))
    ya, oofa = y[n:], oof[n:]
    threshold = threshold_for(ya, oofa, args.lost)
    cv = metrics(ya, oofa >= threshold)
    log(f"cross-validated at threshold {threshold}: {json.dumps(cv)}")
    about = (f"logistic regression, C={args.C}, {int((w != 0).sum())} weights, second look "
             f"{args.second_look}, trained on "
             f"{'+'.join(TRAIN_SETS)} scraper output and {len(articles)} labeled articles "
             f"({len(y)} lines); see data/lines_model.md")
    log("kinds of junk, with 5-fold cross-validation by outlet ...")
    import numpy as np
    kinds = np.array([k for d in articles for k in d["kind"]])
    Xa = X[n:]
    W = fit_kinds(Xa[kinds != "article"], kinds[kinds != "article"])
    kind_accuracy, kind_baseline = kinds_cross_validated(articles, Xa)
    log(f"kind accuracy, outlets held out: {kind_accuracy:.3f} (most common kind: {kind_baseline:.3f})")
    write_model(REPO / "data" / "lines_model.tsv", w, context, about, W)
    write_check(REPO / "tests" / "fixtures" / "lines" / "check.jsonl", w, context, W)
    manifest = REPO / "data" / "lines_model.md"
    manifest.write_text(MANIFEST.format(
        sets=", ".join(TRAIN_SETS), docs=len(scraped), lines=n, junk=int(y[:n].sum()),
        articles=len(articles), batches="+".join(str(b) for b in sorted({d["batch"] for d in articles})),
        outlets=len({d["outlet"] for d in articles}),
        article_lines=len(ya), article_junk=int(ya.sum()), weight=args.articles_weight,
        C=args.C, min_count=MIN_COUNT, weights=int((w != 0).sum()), threshold=threshold,
        second_look=second_look_text(context),
        target=args.lost, precision=f"{cv['precision']:.3f}", recall=f"{cv['recall']:.3f}",
        f1=f"{cv['f1']:.3f}", lost=f"{cv['lost']:.4f}", kinds=", ".join(KINDS),
        kind_rows=len({int(r) for r in W.nonzero()[0]}), kind_accuracy=f"{kind_accuracy:.3f}",
        kind_baseline=f"{kind_baseline:.3f}"), encoding="utf-8")
    log(f"wrote data/lines_model.tsv, data/lines_model.md, tests/fixtures/lines/check.jsonl; "
        f"recommended threshold {threshold}")


MANIFEST = """# data/lines_model.tsv — the line model

Written by `python3 scripts/train_lines.py`; do not edit by hand.

- **Model:** logistic regression (scikit-learn, liblinear, L2, C={C}, no intercept: a `bias`
  feature is in every line) over the binary features of `src/stage/lines/features.rs`, hashed
  into 2^18 slots; features seen in fewer than {min_count} training lines get no weight;
  {weights} non-zero weights, rounded to 6 significant digits. {second_look}
- **Data:** real scraper output (newspaper3k, goose3, readability-lxml, trafilatura) of the
  pages of {sets} in `../shared/corpora/scraped`, each line labeled against the dataset's
  human-made gold: {docs} documents, {lines} lines, {junk} of them junk; and the labeled
  real articles of `bench/data/lines_articles*.tsv` ({articles} articles of {outlets} outlets
  from Article-Bias-Prediction, newspaper3k's text of live pages, labeled line by line by
  readers who had not seen the rules; labeling batches {batches}): {article_lines} lines,
  {article_junk} of them junk,
  each line weighing {weight} scraped-page lines.
- **Licences:** WCXB (Web Content Extraction Benchmark, dev split), CC-BY-4.0 — credit: WCXB,
  Murrough-Foley/web-content-extraction-benchmark; mozilla/readability test pages,
  Apache-2.0; ramybaly/Article-Bias-Prediction, distributed by its authors under Apache-2.0
  (the article texts are their publishers'; only hashed feature weights are shipped, no
  text). The line labels are ours. No research-only set is trained on; those are the
  held-out evaluation (`bench/lines.py`).
- **Threshold:** {threshold}, the lowest that removes at most {target} of the labeled
  articles' article lines, cross-validated in 3 folds by site (an outlet is a site). At it
  (cross-validated on the articles): precision {precision}, recall {recall}, F1 {f1},
  article lines lost {lost}.
- **Kinds:** a removed line is named after the kind of junk ({kinds}) whose weights its
  features sum highest: multinomial logistic regression (C=1, no intercept) on the labeled
  articles' junk lines, {kind_rows} slots with kind weights. Named right on {kind_accuracy}
  of the junk lines of outlets it never saw (5 folds by outlet; always naming the most common
  kind: {kind_baseline}).
- **Held-out figures:** `python3 bench/lines.py` (sets never trained on) and
  `python3 bench/lines.py --articles --recipe` (the articles, outlets held out), tables in
  README.md.
"""

if __name__ == "__main__":
    main()
