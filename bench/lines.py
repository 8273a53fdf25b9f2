#!/usr/bin/env python3
"""Line-cleaning benchmark on real scraper output the shipped line model never trained on.

    python3 bench/lines.py [--no-build] [--no-pipeline] [--loso]
    python3 bench/lines.py --articles [--batch N] [--recipe] [--dump]

../shared/corpora/scraped holds the output of four real extractors (newspaper3k, goose3,
readability-lxml, trafilatura) on the pages of nine labeled sets, every line labeled article or
junk against the set's human gold. The shipped model (data/lines_model.tsv) is trained only on
the sets whose licences allow it (scripts/train_lines.py: wcxb-article, wcxb-other,
readability), so every other set is held out: nothing was trained or tuned on it.

For each held-out set it prints junk-line precision, recall, F1 and the share of article lines
removed ("lost"):
- `model`: the line model's own removals (Rust scores, `newsclean lines score`, at
  pipeline.toml's [lines] threshold), with its average precision over all thresholds;
- `pipeline`: everything the default pipeline removes from these lines (page, lines, spam,
  boilerplate, trailing, repeats; language, names and dedup off, no title taken from the first
  line), and the same without the lines stage (`rules only`); then, per stage and rule, how
  many lines it removed and what share of them was junk;
- anchors on the same lines: the C4 line rule (keep lines ending in terminal punctuation with
  3+ words, no "javascript"/cookie-policy lines; datatrove's C4QualityFilter line rules) and
  jusText (70/200/0.30/0.32, each line given as a <p> paragraph).

`--articles` measures instead on real scraped articles labeled line by line by readers who
had not seen the rules or their output (bench/data/lines_articles*.tsv, one file per labeling
batch: articles of some 500 outlets from ramybaly/Article-Bias-Prediction, newspaper3k's text
of live pages; see bench/abp.py): the same rows, and recall per kind of junk. The shipped
model is trained on the batches its manifest names, so its rows there are tuned-on; `--batch
N` scores one batch alone (held out when the model never saw it); `--recipe` adds the held-out figures: the
trainer's recipe in 5 folds by outlet, each fold scored by a model that never saw its
outlets, at the threshold the trainer recommends and at fixed ones.

`--dump` (with `--articles`) also runs the pipeline of the other rows, dedup on, on the whole
dump the articles come from (all 37,554 articles of Article-Bias-Prediction), so that what the
pipeline learns from a dump — paragraphs shared by many stories, duplicates — counts, and
scores the labeled lines there.

`--loso` adds leave-one-source-out over the three licensed sets (train on two, test on the
third, in Python on Rust's features): the only figures for those sets that are not tuned on.
Runs in bench/work/lines-venv, as the trainer does.
"""

from __future__ import annotations

import argparse
import csv
import html
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_lines as T  # noqa: E402
import machine  # noqa: E402

csv.field_size_limit(1 << 30)
END_PUNCTUATION = (".", "?", "!", '"', "'", "”", "’")
C4_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies",
             "use cookies")


def c4_removes(line: str) -> bool:
    low = line.lower()
    return (not line.rstrip().endswith(END_PUNCTUATION) or len(line.split()) < 3
            or "javascript" in low or "lorem ipsum" in low or any(p in low for p in C4_POLICY))


def justext_removes(docs: list[dict]) -> list[bool]:
    import justext
    stoplist = justext.get_stoplist("English")
    out = []
    for d in docs:
        page = "<html><body>" + "".join(f"<p>{html.escape(x)}</p>" for x in d["lines"]) + \
            "</body></html>"
        paragraphs = justext.justext(page.encode("utf-8"), stoplist, length_low=70,
                                     length_high=200, stopwords_low=0.30, stopwords_high=0.32)
        if len(paragraphs) == len(d["lines"]):
            out.extend(p.is_boilerplate for p in paragraphs)
        else:  # jusText merged or dropped a paragraph: match them by text
            kept = Counter(" ".join(p.text.split()) for p in paragraphs if not p.is_boilerplate)
            for line in d["lines"]:
                key = " ".join(line.split())
                out.append(kept[key] <= 0)
                kept[key] -= 1
    return out


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pipeline_removes(docs: list[dict], disabled: set[str], dump: list[dict] | None = None,
                     overrides: dict | None = None) -> list[str]:
    """Per line, the stage/rule that removed it ("" for a kept line; `reject:<stage>` when its
    document was dropped), when every document is its lines, one paragraph each. With `dump`
    (records with id, title, outlet and text, holding the documents' own ids), the whole dump
    is the input, so that what the pipeline learns from the dump (paragraphs shared by many
    stories, duplicates) counts."""
    work = T.REPO / "bench" / "work" / "lines"
    tag = "-".join(sorted(disabled)) + ("-" + json.dumps(overrides, sort_keys=True) if overrides else "")
    config = machine.config_variant(work / f"pipeline-{hashlib.sha1(tag.encode()).hexdigest()[:12]}.toml",
                                    disabled, T.BINARY,
                                    {"input": {"title_from_first_line": False}, **(overrides or {})})
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with (tmp / "in.jsonl").open("w", encoding="utf-8") as f:
            if dump is None:
                for i, d in enumerate(docs):
                    f.write(json.dumps({"id": str(i), "text": "\n\n".join(d["lines"])}) + "\n")
            else:
                for record in dump:
                    f.write(json.dumps(record) + "\n")
        subprocess.run([str(T.BINARY), "run", "-q", "-c", str(config), "-o", str(tmp / "c.csv"),
                        "--rejects", str(tmp / "r.csv"), "--edits", str(tmp / "e.csv"),
                        str(tmp / "in.jsonl")], check=True)
        removed = defaultdict(lambda: defaultdict(list))
        with (tmp / "e.csv").open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row["action"] == "remove":
                    for line in row["before"].split("\n"):
                        removed[row["id"]][fold(line)].append(f"{row['stage']}/{row['rule']}")
        with (tmp / "r.csv").open(encoding="utf-8", newline="") as f:
            rejected = {row["id"]: row["stage"] for row in csv.DictReader(f)}
    out = []
    for i, d in enumerate(docs):
        key = str(i) if dump is None else d["id"]
        gone = removed[key]
        for line in d["lines"]:
            rules = gone[fold(line)]
            if key in rejected:
                out.append(f"reject:{rejected[key]}")
            else:
                out.append(rules.pop(0) if rules else "")
    return out


def abp_dump(source: str) -> list[dict]:
    """Every article of Article-Bias-Prediction as a record of the dump the labeled articles
    come from: its lines one paragraph each and its outlet."""
    import abp
    out = []
    for article in abp.articles(source):
        lines = [x.strip() for x in article["content_original"].split("\n") if x.strip()]
        out.append({"id": article["ID"], "outlet": article["source"],
                    "text": "\n\n".join(lines)})
    return out


def recipe_by_outlet(articles: list[dict], args, k: int = 5):
    """What scripts/train_lines.py's recipe removes from articles of outlets it never saw: in
    each of k folds by outlet, train on the licensed scraper output plus the other folds'
    articles (weighed as the trainer weighs them), take the threshold the trainer would
    recommend, and score the fold."""
    import numpy as np
    from scipy.sparse import vstack
    scraped = T.load_docs(args.scraped, T.TRAIN_SETS)
    Xs, Xa = T.features(scraped), T.features(articles)
    starts = np.cumsum([0] + [len(d["lines"]) for d in articles])
    removed = np.zeros(starts[-1], dtype=bool)
    held_scores = np.zeros(starts[-1])
    for f, fold in enumerate(T.site_folds(articles, k)):
        held = set(fold)
        train = [dict(d, weight=args.articles_weight) for i, d in enumerate(articles) if i not in held]
        rows = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in range(len(articles))
                               if i not in held])
        test = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in fold])
        docs = scraped + train
        w, context, oof = T.train(docs, vstack([Xs, Xa[rows]]).tocsr(), args.C)
        n = len(T.labels(scraped))
        threshold = T.threshold_for(T.labels(train), oof[n:], T.DEFAULT_LOST)
        s = T.scores(Xa[test], w, context, [articles[i] for i in fold])
        removed[test] = s >= threshold
        held_scores[test] = s
        log_fold = T.metrics(T.labels([articles[i] for i in fold]), removed[test])
        print(f"  fold {f + 1}: threshold {threshold}, recall {log_fold['recall']:.3f}, "
              f"precision {log_fold['precision']:.3f}", file=sys.stderr, flush=True)
    return removed, held_scores


def trained_batches() -> set[int]:
    """The labeling batches of articles the shipped model was trained on, from its manifest."""
    m = re.search(r"labeling batch(?:es)? ([\d+]+)", (T.REPO / "data" / "lines_model.md").read_text())
    return {int(b) for b in m.group(1).split("+")} if m else {1}


def articles_main(args, threshold: float) -> None:
    import numpy as np
    from sklearn.metrics import average_precision_score
    import abp
    docs = T.load_articles(args.abp or abp.download())
    if args.batch:
        docs = [d for d in docs if d["batch"] == args.batch]
    y = T.labels(docs)
    kind = np.array([k for d in docs for k in d["kind"]])
    score = np.array([float(s) for s in T.rust_lines(docs, "score")])
    # The shipped model trains on the batches its manifest names (scripts/train_lines.py): on
    # those its rows are tuned-on; the recipe's rows (--recipe) are the held-out figures.
    seen = "trained on these" if not args.batch or args.batch in trained_batches() else "never trained on these"
    removed_by = np.array(pipeline_removes(docs, {"language", "names", "dedup", "quality"}))
    removes = {
        f"shipped model ({seen})": score >= threshold,
        f"pipeline (its model {seen})": removed_by != "",
        "rules only (pipeline without lines)": np.array(
            pipeline_removes(docs, {"language", "names", "dedup", "quality", "lines"})) != "",
        "C4 line rule": np.array([c4_removes(x) for d in docs for x in d["lines"]]),
        "jusText": np.array(justext_removes(docs)),
    }
    if args.dump:
        dump_rows(docs, y, removed_by, args)
    held = None
    if args.recipe:
        removes["trainer's recipe, outlets held out (5 folds)"], held = recipe_by_outlet(docs, args)
        if args.save_scores:
            save_scores(args.save_scores, docs, held)
    outlets = len({d["outlet"] for d in docs})
    print(f"### Labeled real articles: {len(docs)} articles of {outlets} outlets, {len(y)} lines, "
          f"{100 * y.mean():.1f}% junk, model average precision "
          f"{average_precision_score(y, score):.3f}\n")
    print("| | precision | recall | F1 | article lines lost |")
    print("|---|---|---|---|---|")
    for tool, r in removes.items():
        print(row(tool, T.metrics(y, r)))
    kinds = sorted(set(kind) - {"article"}, key=lambda k: -int((kind == k).sum()))
    print("\n### Recall by kind of junk\n")
    print("| kind | lines | " + " | ".join(removes) + " |")
    print("|---|---|" + "---|" * len(removes))
    for k in kinds:
        m = kind == k
        print(f"| {k} | {int(m.sum())} | " + " | ".join(f"{r[m].mean():.2f}" for r in removes.values()) + " |")
    print()
    last = max(d["batch"] for d in docs)
    rule_table(y, removed_by, np.array([d["batch"] == last for d in docs for _ in d["lines"]]),
               f"default pipeline, its model {seen}", f"batch {last}")
    if held is not None:
        print("### The recipe, outlets held out, at fixed thresholds\n")
        print("| threshold | precision | recall | F1 | article lines lost |")
        print("|---|---|---|---|---|")
        for t in (0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.92, 0.95):
            print(row(f"{t}", T.metrics(y, held >= t)))
        print()


def save_scores(path: Path, docs: list[dict], held) -> None:
    """Writes every labeled line with its held-out score (the recipe's, outlets held out), to
    read what the model misses: doc_id, batch, line number, label, score, text."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("doc_id\tbatch\tline\tlabel\tscore\ttext\n")
        k = 0
        for d in docs:
            for n, (kind, line) in enumerate(zip(d["kind"], d["lines"]), 1):
                f.write(f"{d['id']}\t{d['batch']}\t{n}\t{kind}\t{held[k]:.4f}\t{line}\n")
                k += 1
    print(f"held-out scores: {path}", file=sys.stderr)


def dump_rows(docs, y, alone, args) -> None:
    """The pipeline of the other rows (language, names and quality off) on the whole dump the
    labeled articles come from (all of Article-Bias-Prediction, without titles, as the
    articles alone are given), with dedup on, against the same pipeline on each article
    alone: the difference is what the pipeline learns from the dump. Articles that dedup
    drops as copies of another article are left out of both rows: their text survives in the
    copy kept."""
    import numpy as np
    import abp
    dump = abp_dump(args.abp or abp.download())
    in_dump = np.array(pipeline_removes(docs, {"language", "names", "quality"}, dump))
    keep = in_dump != "reject:dedup"
    doc_of_line = np.repeat(np.arange(len(docs)), [len(d["lines"]) for d in docs])
    copies = len(set(doc_of_line[~keep].tolist()))
    print(f"### In their dump: the {len(docs)} articles among all of Article-Bias-Prediction\n")
    print(f"{copies} of the articles are dropped by dedup as copies of another one and left "
          "out of both rows.\n")
    print("| | precision | recall | F1 | article lines lost |")
    print("|---|---|---|---|---|")
    print(row("pipeline, each article alone", T.metrics(y[keep], alone[keep] != "")))
    print(row("pipeline, the whole dump as input", T.metrics(y[keep], in_dump[keep] != "")))
    print()
    last = max(d["batch"] for d in docs)
    newest = np.array([d["batch"] == last for d in docs for _ in d["lines"]])
    rule_table(y[keep], in_dump[keep], newest[keep], "default pipeline on the whole dump",
               f"batch {last}")


def rule_table(y, rules, subset, title: str, subset_name: str) -> None:
    """How many lines each stage/rule removed, and the share that was junk: on all lines and on
    the `subset` of them."""
    names = sorted({r for r in rules if r})
    print(f"### What each rule removes ({title})\n")
    print(f"| stage/rule | lines removed | junk share | on {subset_name} | junk share there |")
    print("|---|---|---|---|---|")
    for name in names:
        m = rules == name
        n, nn = int(m.sum()), int((m & subset).sum())
        share = f"{y[m].mean():.3f}" if n else "-"
        share_sub = f"{y[m & subset].mean():.3f}" if nn else "-"
        print(f"| {name} | {n} | {share} | {nn} | {share_sub} |")
    print()


def row(name: str, m: dict, extra: str = "") -> str:
    return (f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
            f"{100 * m['lost']:.2f}% |{extra}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scraped", type=Path, default=T.SCRAPED)
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--no-pipeline", action="store_true", help="skip the pipeline rows")
    ap.add_argument("--loso", action="store_true", help="add leave-one-source-out over the "
                    "licensed training sets (retrains; a few minutes)")
    ap.add_argument("--articles", action="store_true",
                    help="measure on the labeled real articles instead (bench/data/lines_articles.tsv)")
    ap.add_argument("--recipe", action="store_true",
                    help="with --articles: also train the trainer's recipe in 5 folds by outlet "
                    "and score each fold's articles (minutes)")
    ap.add_argument("--dump", action="store_true", help="with --articles: also run the "
                    "pipeline on the whole Article-Bias-Prediction dump the articles come from")
    ap.add_argument("--save-scores", type=Path, help="with --recipe: write every labeled line "
                    "with its held-out score to this TSV (it holds the articles' text: keep it "
                    "out of the repository)")
    ap.add_argument("--batch", type=int, help="with --articles: score only the articles of this "
                    "labeling batch (1: bench/data/lines_articles.tsv, N: lines_articles_N.tsv)")
    ap.add_argument("--bbc", action="store_true", help="score BBC news (research-only, never "
                    "trained on) and print the default-threshold rule: the highest score of a "
                    "prose line and what the model removes at the default")
    ap.add_argument("--C", type=float, default=T.DEFAULT_C)
    ap.add_argument("--articles-weight", type=float, default=T.ARTICLES_WEIGHT)
    ap.add_argument("--abp", help="Article-Bias-Prediction: a folder holding data/jsons, a git "
                    "directory of the repository or its tarball (else downloaded)")
    args = ap.parse_args()
    if args.batch and args.recipe:
        sys.exit("error: --batch scores the shipped model; --recipe cross-validates on all batches")
    if args.bbc:
        T.ensure_venv()
        machine.build_binary(args.no_build, T.BINARY)
        bbc_main(tomllib.loads((T.REPO / "pipeline.toml").read_text())["lines"]["threshold"])
        return
    if args.articles:
        T.ensure_venv()
        machine.build_binary(args.no_build, T.BINARY)
        articles_main(args, tomllib.loads((T.REPO / "pipeline.toml").read_text())["lines"]["threshold"])
        return
    if not args.scraped.exists():
        sys.exit(f"error: {args.scraped} not found (the shared corpora sit beside the repo)")
    T.ensure_venv()
    import numpy as np
    from sklearn.metrics import average_precision_score

    build = machine.build_binary(args.no_build, T.BINARY)
    threshold = tomllib.loads((T.REPO / "pipeline.toml").read_text())["lines"]["threshold"]
    print(f"commit {machine.git_commit()}, binary {build}, CPU {machine.cpu_model()}")
    print(f"shipped model at threshold {threshold}; trained on {', '.join(T.TRAIN_SETS)}\n")
    docs = T.load_docs(args.scraped)
    held = [d for d in docs if d["ds"] not in T.TRAIN_SETS]
    y = T.labels(held)
    ds = np.array(T.groups(held, "ds"))
    score = np.array([float(s) for s in T.rust_lines(held, "score")])
    removes = {
        "model": score >= threshold,
        "C4 line rule": np.array([c4_removes(x) for d in held for x in d["lines"]]),
        "jusText": np.array(justext_removes(held)),
    }
    rules = None
    if not args.no_pipeline:
        rules = np.array(pipeline_removes(held, {"language", "names", "dedup"}))
        removes["pipeline"] = rules != ""
        removes["rules only (pipeline without lines)"] = np.array(
            pipeline_removes(held, {"language", "names", "dedup", "lines"})) != ""
    sets = sorted(set(ds)) + ["all held-out"]
    for name in sets:
        m = np.ones(len(y), dtype=bool) if name == "all held-out" else ds == name
        print(f"### {name}: {int(m.sum())} lines, {100 * y[m].mean():.1f}% junk, model average "
              f"precision {average_precision_score(y[m], score[m]):.3f}\n")
        print("| | precision | recall | F1 | article lines lost |")
        print("|---|---|---|---|---|")
        for tool, r in removes.items():
            print(row(tool, T.metrics(y[m], r[m])))
        print()
    if rules is not None:
        rule_table(y, rules, np.isin(ds, ["l3s-gn1", "big9", "chaos"]),
                   "default pipeline, all held-out sets", "news sets (L3S-GN1, Big9, Chaos)")
    if args.loso:
        loso(docs)


def bbc_main(threshold: float) -> None:
    """What the default threshold rests on: BBC news (../shared/corpora/bbc, research-only, so
    never trained on) is edited prose with little junk, and the default is the lowest threshold
    (in hundredths) at which the model removes no line of its article prose. Prints every line
    the model removes at the default and the highest-scoring sentences (12 words or more,
    ending a sentence) below it, for a reader to tell prose from plugs, bios and line-ups. It
    tunes on BBC: its figures are tuned-on."""
    import runner
    docs = [{"lines": [l.strip() for l in text.split("\n")[1:] if l.strip()], "name": f"{s}/{n}"}
            for s, n, text in runner.bbc_articles(str(T.SHARED))]
    scores = [float(x) for x in T.rust_lines(docs, "score")]
    rows = [(score, d["name"], line)
            for score, (d, line) in zip(scores, ((d, l) for d in docs for l in d["lines"]))]
    removed = sorted((r for r in rows if r[0] >= threshold), reverse=True)
    below = sorted((r for r in rows if r[0] < threshold and len(r[2].split()) >= 12
                    and re.search(r"[.!?][\"'”’)]*$", r[2])), reverse=True)
    print(f"BBC: {len(docs)} articles, {len(rows)} body lines; at the default {threshold} the "
          f"model removes {len(removed)}:")
    for score, name, line in removed:
        print(f"  {score:.3f} {name}: {line[:120]}")
    print(f"the highest-scoring sentences it keeps:")
    for score, name, line in below[:15]:
        print(f"  {score:.3f} {name}: {line[:120]}")


def loso(docs: list[dict]) -> None:
    """Train on two licensed sets, test on the third, at the shipped threshold rule (the
    lowest threshold whose cross-validated loss on the training part is within 0.5%)."""
    import numpy as np
    from sklearn.metrics import average_precision_score

    print("### Leave one licensed set out (train on the other two)\n")
    print("| held-out set | precision | recall | F1 | article lines lost | average precision |")
    print("|---|---|---|---|---|---|")
    licensed = [d for d in docs if d["ds"] in T.TRAIN_SETS]
    X = T.features(licensed)
    y = T.labels(licensed)
    ds = np.array(T.groups(licensed, "ds"))
    for out in T.TRAIN_SETS:
        train = [d for d in licensed if d["ds"] != out]
        test = [d for d in licensed if d["ds"] == out]
        mask = ds != out
        w, context, oof = T.train(train, X[mask], T.DEFAULT_C)
        t = T.threshold_for(y[mask], oof, 0.005)
        s = T.scores(X[~mask], w, context, test)
        m = T.metrics(y[~mask], s >= t)
        print(row(f"{out} (threshold {t})", m, f" {average_precision_score(y[~mask], s):.3f} |"))
    print()


if __name__ == "__main__":
    main()
