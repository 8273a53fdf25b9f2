#!/usr/bin/env python3
"""Language benchmark: how often newsclean's language stage names the right language.

Builds one JSONL dump (under bench/work/language/, git-ignored) from the shared corpora:
native Ukrainian, Russian, Japanese, German and French documents from WMT22 (the `src_text`
of uk-en, ru-en, ja-en, de-fr and fr-de), Chinese from the en-zh references, and English
articles from BBC. Runs the release binary with the default pipeline.toml, except that every
language is allowed and undecided documents are kept (as `und`) so every verdict is visible,
and every other stage is switched off.

Prints, per language and for documents of at least 200 characters and shorter ones:
accuracy, the count labelled `und` (too short or unsure), and a confusion matrix. Then the
throughput of the language stage alone (MB/s from the run report's stage_seconds, one thread)
and its share of a full default-pipeline run on BBC, measured in the same run.

Usage: python3 bench/language.py [--shared ../shared]
"""

import argparse
import collections
import csv
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "language")
BINARY = os.path.join(ROOT, "target", "release", "newsclean")
WMT = {  # file → (gold code, field)
    "wmt22.uk-en.docs.jsonl": ("ukr", "src_text"),
    "wmt22.ru-en.docs.jsonl": ("rus", "src_text"),
    "wmt22.ja-en.docs.jsonl": ("jpn", "src_text"),
    "wmt22.de-fr.docs.jsonl": ("deu", "src_text"),
    "wmt22.fr-de.docs.jsonl": ("fra", "src_text"),
    "wmt22.en-zh.docs.jsonl": ("cmn", "ref_text"),
}
STAGES_OFF = ["boilerplate", "spam", "trailing", "names", "repeats", "dedup"]


def build_dump(shared):
    """Writes the gold-labelled dump; returns its path and {id: (gold, chars)}."""
    os.makedirs(WORK, exist_ok=True)
    path = os.path.join(WORK, "languages.jsonl")
    gold = {}
    with open(path, "w", encoding="utf-8") as out:
        for name, (code, field) in WMT.items():
            with open(os.path.join(shared, "corpora", "wmt22", name), encoding="utf-8") as f:
                for n, line in enumerate(f):
                    text = json.loads(line)[field]
                    add(out, gold, f"{code}:{n}", code, text)
        bbc = os.path.join(shared, "corpora", "bbc")
        for folder in sorted(os.listdir(bbc)):
            if not os.path.isdir(os.path.join(bbc, folder)):
                continue
            for name in sorted(os.listdir(os.path.join(bbc, folder))):
                try:
                    with open(os.path.join(bbc, folder, name), encoding="utf-8") as f:
                        text = f.read()
                except UnicodeDecodeError:
                    continue  # BBC ships one file that is not UTF-8
                add(out, gold, f"eng:{folder}/{name}", "eng", text)
    return path, gold


def add(out, gold, doc_id, code, text):
    gold[doc_id] = (code, len(text))
    out.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")


def run(inputs, config_path, threads="1"):
    """Runs newsclean; returns (clean rows, report)."""
    clean = os.path.join(WORK, "clean.csv")
    report = os.path.join(WORK, "report.json")
    cmd = [BINARY, "run", "-q", "-j", threads, "-c", config_path, "-o", clean, "--report", report, *inputs]
    subprocess.run(cmd, check=True)
    csv.field_size_limit(sys.maxsize)
    with open(clean, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(report, encoding="utf-8") as f:
        return rows, json.load(f)


def with_sections_disabled(text, names):
    """Sets `enabled = false` in the named sections of a config text."""
    out, section = [], None
    for line in text.splitlines():
        if line.startswith("["):
            section = line.strip("[] ")
        if section in names and line.strip().startswith("enabled"):
            line = "enabled = false"
        out.append(line)
    return "\n".join(out) + "\n"


def accuracy_table(rows, gold):
    bands = collections.defaultdict(collections.Counter)  # (gold, band) → label → count
    for row in rows:
        code, chars = gold[row["id"]]
        band = ">=200" if chars >= 200 else "<200"
        bands[(code, band)][row["language"]] += 1
    print(f"{'language':<9}{'band':<7}{'docs':>6}{'correct':>9}{'accuracy':>10}{'und':>6}  wrong labels")
    for (code, band), labels in sorted(bands.items()):
        total = sum(labels.values())
        right = labels[code]
        wrong = {k: v for k, v in labels.items() if k not in (code, "und")}
        print(f"{code:<9}{band:<7}{total:>6}{right:>9}{right / total:>10.3%}{labels['und']:>6}  {wrong or ''}")
    return bands


def confusion(bands):
    codes = sorted({code for code, _ in bands})
    labels = sorted({label for counter in bands.values() for label in counter})
    print("\nconfusion matrix, all lengths (rows: truth, columns: label)")
    print(" " * 6 + "".join(f"{label:>6}" for label in labels))
    for code in codes:
        counts = collections.Counter()
        for (c, _), counter in bands.items():
            if c == code:
                counts.update(counter)
        print(f"{code:<6}" + "".join(f"{counts[label] or '.':>6}" for label in labels))


def ru_uk_long_confusions(rows, gold):
    bad = [r["id"] for r in rows if gold[r["id"]][1] >= 500
           and {gold[r["id"]][0], r["language"]} == {"rus", "ukr"}]
    print(f"\nRussian/Ukrainian confusions at >= 500 characters: {len(bad)} {bad[:5]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"), help="path to ../shared")
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    dump, gold = build_dump(args.shared)
    with open(os.path.join(ROOT, "pipeline.toml"), encoding="utf-8") as f:
        base = f.read()

    only_language = os.path.join(WORK, "language-only.toml")
    with open(only_language, "w", encoding="utf-8") as f:
        text = base.replace('allow = ["eng"]', "allow = []").replace('undecided = "reject"', 'undecided = "keep"')
        f.write(with_sections_disabled(text.replace('"data/', f'"{ROOT}/data/'), STAGES_OFF))
    rows, report = run([dump], only_language)
    print(f"newsclean language benchmark: {len(rows)} documents "
          f"({report['bytes_in'] / 1e6:.1f} MB), git {git_head()}\n")
    bands = accuracy_table(rows, gold)
    confusion(bands)
    ru_uk_long_confusions(rows, gold)

    seconds = report["stage_seconds"]["language"]
    print(f"\nlanguage stage alone, 1 thread: {report['bytes_in'] / 1e6 / seconds:.1f} MB/s "
          f"({seconds:.2f} s for {report['bytes_in'] / 1e6:.1f} MB)")
    default = os.path.join(WORK, "default.toml")
    with open(default, "w", encoding="utf-8") as f:
        f.write(base.replace('"data/', f'"{ROOT}/data/'))
    _, full = run([os.path.join(args.shared, "corpora", "bbc")], default)
    share = full["stage_seconds"]["language"] / full["seconds"]
    print(f"share of a full default run on BBC, 1 thread: {share:.1%} "
          f"(language {full['stage_seconds']['language']:.2f} s of {full['seconds']:.2f} s wall)")


def git_head():
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


if __name__ == "__main__":
    main()
