#!/usr/bin/env python3
"""Names benchmark: what the names stage rewrites on real news, and what it costs.

1. ukraine_war_2022 (447 articles, real spelling variants; every rewrite read in context:
   bench/data/names_2022_checked.tsv): runs the default pipeline and
   prints every replacement from the edits CSV grouped as "variant -> canonical: count", then
   counts table variants left in the clean text outside the exceptions (should be 0).
2. BBC (2,225 articles from 2004-05): the same grouping, to inspect for false positives
   (English words that look like variants must not be touched).
3. `newsclean names suggest` on ukraine_war_2022: the top 30 suggestions, for checking by eye.
4. Throughput: the default pipeline with names on and with names off on the same BBC input,
   one thread, 5 runs each, interleaved, reported as the ratio of the fastest runs (the machine
   is shared and noisy: the fastest run is the least disturbed); plus the stage's own seconds
   from the report and the start-up cost of building the table's automaton.

5. 2014 coverage (not from ../shared): full-text 2014 articles mentioning Ukraine from
   ramybaly/Article-Bias-Prediction (AllSides; CNN, Fox, NYT, Washington Times...) and the
   2014 Yahoo News wire items (Reuters, AP, AFP headline and lead) of koheiw/wordvector's
   data_corpus_news2014, built into bench/work/names/dump2014.jsonl. Every distinct
   replacement there was checked in context by a reader who had not seen the code
   (bench/data/names_2014_checked.tsv, the wrong ones in names_2014_wrong.tsv): rewrites by
   pair, wrong rewrites (target 0) and rewrites not yet checked. The same reader listed, from the raw dump alone, every spelling of
   a Ukrainian place or a person in the news that is not today's canonical English form
   (bench/data/names_2014_gold.tsv): the share of those occurrences normalized, and what is
   left.
6. The table: rows, variants, size, and the build script's time.

The two 2014 sources are downloaded into bench/work/names/ on first use (or pass --abp, a
folder with data/jsons or a git directory of that repository, and --news2014, the .rda file);
reading the .rda file needs the `rdata` package, installed into bench/work/names-bench-venv.

Usage: python3 bench/names.py [--shared ../shared] [--runs 5] [--abp PATH] [--news2014 FILE]
"""

import argparse
import collections
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "names")
BINARY = os.path.join(ROOT, "target", "release", "newsclean")
DATA = os.path.join(ROOT, "bench", "data")


def run(inputs, config=None, threads="1"):
    """Runs the default (or given) pipeline; returns clean rows, edit rows, report, seconds."""
    paths = {name: os.path.join(WORK, f"{name}.csv") for name in ("clean", "edits")}
    report = os.path.join(WORK, "report.json")
    cmd = [BINARY, "run", "-q", "-j", threads, "-o", paths["clean"], "--edits", paths["edits"],
           "--report", report]
    if config:
        cmd += ["-c", config]
    started = time.perf_counter()
    subprocess.run(cmd + inputs, check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    csv.field_size_limit(sys.maxsize)
    rows = {}
    for name, path in paths.items():
        with open(path, encoding="utf-8", newline="") as f:
            rows[name] = list(csv.DictReader(f))
    with open(report, encoding="utf-8") as f:
        return rows["clean"], rows["edits"], json.load(f), seconds


def replacements(edits):
    grouped = collections.Counter(
        (e["before"], e["after"], e["rule"]) for e in edits if e["action"] == "replace")
    for (before, after, rule), n in sorted(grouped.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:>4}  {before} -> {after}" + ("" if rule == "table" else f"  [{rule}]"))
    print(f"  total {sum(grouped.values())} replacements, {len(grouped)} distinct")


def variants_left(clean):
    variants = []
    with open(os.path.join(ROOT, "data", "names.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            variant, canonical = line.rstrip("\n").split("\t")[:2]
            if variant != canonical:
                variants.append(variant)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, variants)) + r")\b")
    exceptions = re.compile(r"(?i)chicken kiev|kiev chicken|odessa, (texas|tx|florida)|https?://\S+")
    left = collections.Counter()
    for row in clean:
        for text in (row["title"], row["text"]):
            left.update(m.group() for m in pattern.finditer(exceptions.sub("", text)))
    return left


NAMES_ONLY = """\
# Only the stages the names measurement needs: every document reaches the names stage whole.
[page]
enabled = false
[lines]
enabled = false
[spam]
enabled = false
[boilerplate]
enabled = false
[trailing]
enabled = false
[repeats]
enabled = false
[quality]
enabled = false
[dedup]
enabled = false
[names]
tables = [{table}]
"""


def names_only_config(name, table):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(NAMES_ONLY.format(table=json.dumps(table)))
    return path


def read_tsv(path):
    """Rows of a bench/data TSV (header first, `#` comments)."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = [l for l in f if not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def occurrences(docs, edits):
    """Every replacement with its context in the input text: (id, before, after, context)."""
    by_id = {d["id"]: d["title"] + "\n" + d["text"] for d in docs}
    seen = collections.Counter()
    out = []
    for e in edits:
        if e["action"] != "replace":
            continue
        text, key = by_id[e["id"]], (e["id"], e["before"])
        hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(e['before'])}(?!\w)", text)]
        at = hits[min(seen[key], len(hits) - 1)] if hits else 0
        seen[key] += 1
        context = text[max(0, at - 120):at + len(e["before"]) + 120].replace("\n", " ")
        out.append((e["id"], e["before"], e["after"], context))
    return out


def gold_counts(docs, gold):
    """Occurrences of the gold variants in `docs` (title and text), whole words, by variant."""
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(
        re.escape(g["variant"]) for g in sorted(gold, key=lambda g: -len(g["variant"]))) + r")(?!\w)")
    counts = collections.Counter()
    for d in docs:
        for field in ("title", "text"):
            counts.update(m.group() for m in pattern.finditer(d[field]))
    return counts


def coverage_2014(args):
    dump = os.path.join(WORK, "dump2014.jsonl")
    if not os.path.exists(dump):
        cmd = [sys.executable, os.path.join(ROOT, "bench", "names_2014.py"), dump]
        cmd += ["--abp", args.abp] if args.abp else []
        cmd += ["--news2014", args.news2014] if args.news2014 else []
        subprocess.run(cmd, check=True)
    with open(dump, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    print(f"  {len(docs)} documents; stages other than language and names off")
    old_table = os.path.join(WORK, "names-before.tsv")
    with open(old_table, "w", encoding="utf-8") as f:
        f.write(subprocess.run(["git", "show", f"{args.before}:data/names.tsv"], cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout)
    tables = {"now": os.path.join(ROOT, "data", "names.tsv"), f"{args.before}": old_table}
    results = {}
    for label, table in tables.items():
        clean, edits, _, _ = run([dump], names_only_config(f"names-{label}.toml", table))
        results[label] = (clean, [e for e in edits if e["stage"] == "names"])
    clean, edits = results["now"]
    found = occurrences(docs, edits)
    if args.write_check:
        with open(args.write_check, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n")
            w.writerow(["id", "before", "after", "context"])
            w.writerows(found)
        print(f"  wrote {len(found)} replacements in context to {args.write_check}")
    checked = {(r["before"], r["after"]): r for r in read_tsv(os.path.join(DATA, "names_2014_checked.tsv"))}
    known_wrong = {(r["id"], r["before"], r["after"]): r["why"]
                   for r in read_tsv(os.path.join(DATA, "names_2014_wrong.tsv"))}
    pairs = collections.Counter((b, a) for _, b, a, _ in found)
    wrong = collections.Counter((i, b, a) for i, b, a, _ in found if (i, b, a) in known_wrong)
    unchecked = 0
    print("  rewrites by pair (checked in context: bench/data/names_2014_checked.tsv):")
    for (before, after), n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0])):
        verdict = checked.get((before, after))
        unchecked += 0 if verdict and int(verdict["checked"]) >= n else n
        bad = sum(k for (_, b, a), k in wrong.items() if (b, a) == (before, after))
        note = "UNCHECKED" if not verdict else (f"{bad} WRONG" if bad else "ok")
        print(f"    {n:>4}  {before} -> {after}  [{note}]")
    for (i, b, a), k in sorted(wrong.items()):
        print(f"  wrong: {i}: {b} -> {a} ({known_wrong[(i, b, a)]})")
    print(f"  {sum(pairs.values())} rewrites, {len(pairs)} distinct; wrong rewrites: "
          f"{sum(wrong.values())} of the {len(known_wrong)} the check found; not yet checked: {unchecked}")
    gold = read_tsv(os.path.join(DATA, "names_2014_gold.tsv"))
    before_counts = gold_counts(docs, gold)
    total = sum(before_counts.values())
    print(f"  gold variant spellings in the raw dump: {total} occurrences of "
          f"{len(before_counts)} spellings ({len(gold)} listed)")
    for label, (clean_rows, _) in results.items():
        left = gold_counts(clean_rows, gold)
        n_left = sum(left.values())
        print(f"  table {label:>8}: normalized {total - n_left}/{total} = "
              f"{(total - n_left) / max(total, 1):.3f}; left {n_left}: "
              + ", ".join(f"{v} {n}" for v, n in left.most_common(12)))


def table_size():
    path = os.path.join(ROOT, "data", "names.tsv")
    with open(path, encoding="utf-8") as f:
        rows = [l.split("\t") for l in f if not l.startswith("#") and l.strip()]
    variants = sum(1 for r in rows if r[0] != r[1])
    kinds = collections.Counter(r[2].strip() for r in rows if r[0] != r[1])
    print(f"  {len(rows)} rows, {variants} variants ({dict(sorted(kinds.items()))}), "
          f"{os.path.getsize(path) / 1e6:.2f} MB")
    out = os.path.join(WORK, "names-rebuilt.tsv")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "build_names_table.py"),
                           "--out", out], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    dropped = sum(1 for l in done.stderr.splitlines() if l.startswith("dropped"))
    print(f"  scripts/build_names_table.py: {seconds:.1f} s (venv ready), {dropped} variants "
          f"dropped by the filters; same as data/names.tsv: "
          f"{done.returncode == 0 and open(out, encoding='utf-8').read() == open(path, encoding='utf-8').read()}")


def timed_run(inputs, config=None):
    """One single-threaded run writing its outputs to /dev/null (written in place, never
    synced to disk: disk flushes made the timings noisier than the stage's cost); returns the
    report and the wall seconds."""
    report = os.path.join(WORK, "report-timed.json")
    cmd = [BINARY, "run", "-q", "-j", "1", "-o", os.devnull, "--edits", os.devnull,
           "--rejects", os.devnull, "--report", report] + (["-c", config] if config else [])
    started = time.perf_counter()
    subprocess.run(cmd + inputs, check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    with open(report, encoding="utf-8") as f:
        return json.load(f), seconds


def throughput(bbc, runs):
    off = os.path.join(WORK, "names-off.toml")
    with open(os.path.join(ROOT, "pipeline.toml"), encoding="utf-8") as f:
        text = f.read().replace('"data/', f'"{ROOT}/data/')
    text = re.sub(r"(\[names\]\n)enabled = true", r"\1enabled = false", text)
    with open(off, "w", encoding="utf-8") as f:
        f.write(text)
    times = {"names on": [], "names off": []}
    stage = []
    for _ in range(runs):
        report, seconds = timed_run([bbc])
        times["names on"].append(seconds)
        stage.append(report["stage_seconds"]["names"])
        times["names off"].append(timed_run([bbc], off)[1])
    on, off_s = min(times["names on"]), min(times["names off"])
    mb = report["bytes_in"] / 1e6
    for label, ts in times.items():
        print(f"  {label:<9}: fastest {min(ts):.2f} s, median {statistics.median(ts):.2f} s of {runs}")
    print(f"  ratio on/off, fastest runs (the least disturbed by other load): {on / off_s:.3f}; "
          f"names stage itself {statistics.median(stage):.3f} s "
          f"({mb / statistics.median(stage):.0f} MB/s, {statistics.median(stage) / on:.1%} of the run)")
    tiny = os.path.join(WORK, "one.jsonl")
    with open(tiny, "w", encoding="utf-8") as f:
        f.write('{"id": "1", "text": "Kiev is a city."}\n')
    start = {}
    for label, config in (("on", None), ("off", off)):
        start[label] = min(timed_run([tiny], config)[1] for _ in range(runs))
    print(f"  start-up (one tiny document, fastest of {runs}): names on {start['on']:.3f} s, "
          f"off {start['off']:.3f} s: building the table's automaton costs "
          f"{start['on'] - start['off']:.3f} s once per run")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--abp", help="Article-Bias-Prediction: data/jsons folder's parent or git dir")
    parser.add_argument("--news2014", help="data_corpus_news2014.rda")
    parser.add_argument("--before", default="a137f29",
                        help="commit whose data/names.tsv the 2014 figures compare against")
    parser.add_argument("--write-check", help="write the 2014 replacements in context to this TSV")
    parser.add_argument("--only-2014", action="store_true")
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    ukraine = os.path.join(args.shared, "corpora", "ukraine_war_2022", "articles")
    bbc = os.path.join(args.shared, "corpora", "bbc")

    print("== 2014 coverage (Article-Bias-Prediction, Yahoo News 2014)")
    coverage_2014(args)
    if args.only_2014:
        return

    print("\n== the table")
    table_size()

    print("\n== ukraine_war_2022: replacements")
    clean, edits, _, _ = run([ukraine])
    replacements(edits)
    left = variants_left(clean)
    print(f"  table variants left outside exceptions: {sum(left.values())} {dict(left)}")

    print("\n== BBC: replacements (inspect for false positives)")
    _, edits, _, _ = run([bbc])
    replacements(edits)

    print("\n== names suggest on ukraine_war_2022: top 30")
    out = subprocess.run([BINARY, "names", "suggest", "--top", "30", ukraine],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    for n, line in enumerate(out.stdout.splitlines(), 1):
        variant, canonical, kind, evidence = line.split("\t", 3)
        print(f"  {n:>2}. {variant} -> {canonical} ({kind}) {evidence[:90]}")

    print("\n== throughput on BBC, 1 thread, names on vs off")
    throughput(bbc, args.runs)


if __name__ == "__main__":
    main()
