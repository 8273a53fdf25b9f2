#!/usr/bin/env python3
"""Throughput and memory benchmark for the whole `newsclean run` pipeline.

What it measures
----------------
Wall time and peak resident memory of `target/release/newsclean run` (built first with
`cargo build --release`, which rebuilds only when the sources changed, then copied to
bench/work/bin/ so that a concurrent `cargo build` cannot replace it halfway through the
benchmark) on two corpora:

* ``bbc``  -- ../shared/corpora/bbc read as it is: a directory of ~2,225 small .txt files, ~5 MB.
* ``dump`` -- one JSONL file generated from the BBC articles by repeating them N times (about
  100 MB by default, 20 MB with --quick, N set with --scale). Every copy of an article gets a
  new id and is perturbed deterministically (seeded): the body paragraphs after the first are
  shuffled, one paragraph is dropped or duplicated, and ~10% of the words are replaced by words
  drawn from other articles. Two independent copies of one article then share only ~20% of
  their 5-word shingles, far below the near-duplicate threshold, so most copies are kept and
  the dedup index grows with the dump as it would on real data. A small share of extra records
  (--reposts, default 5%) are re-posts of an earlier record: half verbatim, half with 2% of the
  words changed, so both the exact and the near-duplicate paths of dedup have work to do.
  A gzipped copy (``dump.gz``) measures .jsonl.gz reading. Generated files live in
  bench/work/ (git-ignored) and are reused when the parameters match.

Configurations, all measured in the same invocation and interleaved round by round (round 1
runs every configuration once, then round 2, ...) so that drift on this shared, noisy machine
hits them all alike. Each is run --repeats times (default 3) and the median is reported:

* ``full``        the default pipeline.toml (a copy taken at the start), with -j 1 and -j 2;
* ``read+write``  every stage disabled: reading, parsing, writing the CSVs -- the I/O floor;
* ``no-names``, ``no-dedup``, ``no-language``, ``no-lines``  the default pipeline with one
  stage off;
* ``python-peer`` python3 reading the same input and computing sha256 of every text: a fixed
  yardstick that does not change when newsclean does.

Every newsclean run writes the clean CSV, the rejects CSV, the edits CSV and the JSON report
into bench/work/out/ (overwritten each run).

How to read it
--------------
Absolute figures on a shared machine move by 10-30% from one minute to the next; read the
ratio columns instead. ``x base`` is MB/s over the read+write floor of the same corpus (1.00 =
as fast as doing nothing but I/O; 0.25 = the stages make it 4x slower). ``x peer`` is MB/s
over the python sha256 peer of the same corpus (above 1 = faster than a trivial Python loop).
"MB in" is the size of the input files on disk in 10^6 bytes (uncompressed size for .gz), the
same figure for every row of a corpus, so MB/s ratios are inverse wall-time ratios. Wall time
is the whole process (start-up, config load, reading, writing), measured around the process.
Peak RSS is "Maximum resident set size" from GNU `/usr/bin/time -v`. ``CPU%`` is the
process's user + system time over its wall time (about 100 for -j 1, up to 200 for -j 2 on two
free cores). ``other`` is how many cores other processes kept busy during the run (from
/proc/stat, median): on a 2-core machine, -j 2 cannot be faster than -j 1 while ``other`` is
near 1, so check it before concluding anything about parallel speed-up.

The stage table shows the report's `stage_seconds` of the median full -j 1 run on the dump:
time summed over documents inside each stage (CPU time across threads when -j > 1). Reading,
JSON parsing, the dedup fingerprint (MinHash, computed in the parallel phase) and CSV writing
are outside every stage.

The memory check runs the full pipeline (and, as a control, the pipeline without dedup) at
two dump sizes -- the main dump and one with half as many copies -- and divides the growth in
peak RSS by the growth in kept documents. The design
claim is that memory grows only with the dedup index, a few hundred bytes per kept document;
the control separates index growth from anything else that grows (for example the reader's
queue of batches, which fills up only once a dump holds a few batches of documents).

Usage: python3 bench/throughput.py [--quick] [--scale N] [--repeats R] ...  (see --help)
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from machine import build_binary, config_variant, cpu_model, git_commit, run_text

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "bench" / "work"
OUT = WORK / "out"
BINARY = REPO / "target" / "release" / "newsclean"
# The copy of BINARY that is measured (set in main; see snapshot_binary).
measured_binary = BINARY
DEFAULT_CONFIG = REPO / "pipeline.toml"
SHARED = REPO.parent / "shared"
BBC = SHARED / "corpora" / "bbc"
TIME = "/usr/bin/time"

MB = 1e6  # newsclean's report uses 10^6 bytes per MB too
DEFAULT_DUMP_MB = 100
QUICK_DUMP_MB = 20
# Bump when the generator changes, so cached dumps are regenerated.
GENERATOR_VERSION = 1

# Every stage section of pipeline.toml (a top-level table with an `enabled` key), in its
# order; the read+write baseline turns all of them off. Read from the file, so that a stage
# added later is never left on in the floor.
with DEFAULT_CONFIG.open("rb") as _f:
    STAGES = [name for name, table in tomllib.load(_f).items()
              if isinstance(table, dict) and "enabled" in table]
# Config keys holding data-file paths, relative to the config file's folder.

WORD = re.compile(r"[A-Za-z]+")


def log(message: str) -> None:
    """Progress goes to stderr, so stdout holds only the tables."""
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Command line


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the whole newsclean pipeline: wall time, throughput and peak "
        "RSS for the default pipeline at -j 1 and -j 2, a read+write-only floor, the pipeline "
        "with one stage off at a time, and a python sha256 peer, on the BBC corpus and on a "
        "larger generated JSONL dump. Prints one table plus stage times and a memory check.",
        epilog="Generated dumps and outputs go to bench/work/ (git-ignored). Absolute "
        "figures are noisy on a shared machine: read the ratio columns.",
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--scale",
        type=int,
        metavar="N",
        help=f"copies of the BBC corpus in the generated dump (default: enough for "
        f"~{DEFAULT_DUMP_MB} MB, 19 copies)",
    )
    size.add_argument(
        "--quick",
        action="store_true",
        help=f"a ~{QUICK_DUMP_MB} MB dump instead of ~{DEFAULT_DUMP_MB} MB",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        metavar="R",
        help="runs per configuration; the median is reported (default: 3)",
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="seed of the dump generator (default: 1)"
    )
    parser.add_argument(
        "--substitute",
        type=float,
        default=0.10,
        metavar="SHARE",
        help="share of words replaced in each copy by words from other articles (default: 0.10)",
    )
    parser.add_argument(
        "--reposts",
        type=float,
        default=0.05,
        metavar="SHARE",
        help="share of extra records that re-post an earlier record, half verbatim and half "
        "with 2%% of words changed, so dedup has duplicates to find (default: 0.05; 0 = none)",
    )
    parser.add_argument(
        "--no-gzip", action="store_true", help="skip the .jsonl.gz reading measurement"
    )
    parser.add_argument(
        "--no-memory-check",
        action="store_true",
        help="skip the memory-growth check (which needs a second, smaller dump)",
    )
    parser.add_argument(
        "--no-build",
        action="store_true",
        help="do not run `cargo build --release`; use target/release/newsclean as it is",
    )
    args = parser.parse_args()
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    if args.scale is not None and args.scale < 1:
        parser.error("--scale must be at least 1")
    if not 0 <= args.substitute <= 1 or not 0 <= args.reposts <= 1:
        parser.error("--substitute and --reposts are shares between 0 and 1")
    return args


# --------------------------------------------------------------------------------------------
# Machine, commit, binary


def print_header(binary_note: str, commit: str) -> None:
    nproc = run_text(["nproc"])
    print("newsclean throughput benchmark")
    print(f"  machine : {nproc} cores (nproc), {cpu_model()}")
    print(f"  commit  : {commit} (when the binary was built)")
    print(f"  binary  : {BINARY.relative_to(REPO)} ({binary_note}), measured as a copy: "
          f"{measured_binary.relative_to(REPO)}")
    print(f"  python  : {sys.version.split()[0]} (peer and generator)")
    print()


def snapshot_binary() -> Path:
    """A private copy of the binary, so a concurrent `cargo build` cannot swap it mid-run."""
    digest = hashlib.sha256(BINARY.read_bytes()).hexdigest()[:12]
    copy = WORK / "bin" / f"newsclean-{digest}"
    if not copy.exists():
        copy.parent.mkdir(parents=True, exist_ok=True)
        tmp = copy.with_suffix(".tmp")
        shutil.copy2(BINARY, tmp)
        tmp.rename(copy)
    for old in copy.parent.glob("newsclean-*"):
        if old != copy:
            old.unlink()
    return copy


# --------------------------------------------------------------------------------------------
# The BBC articles and the generated dump


@dataclass
class Article:
    key: str  # topic-number, e.g. business-001
    title: str
    paragraphs: list[str]
    words: list[str]


def load_bbc() -> list[Article]:
    """Every article of the five topic folders: line 1 the headline, then paragraphs."""
    articles = []
    for path in sorted(BBC.glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        title, _, body = text.strip().partition("\n")
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
        if not paragraphs:
            continue
        words = WORD.findall(body)
        articles.append(
            Article(f"{path.parent.name}-{path.stem}", title.strip(), paragraphs, words)
        )
    return articles


def substitute_words(text: str, share: float, rng: random.Random, donors: list[Article],
                     own: int) -> str:
    """Replaces about `share` of the words with words from other articles, keeping case."""
    if share <= 0:
        return text

    def replace(match: re.Match) -> str:
        if rng.random() >= share:
            return match.group(0)
        donor = rng.randrange(len(donors))
        if donor == own:
            donor = (donor + 1) % len(donors)
        word = rng.choice(donors[donor].words)
        return word.capitalize() if match.group(0)[0].isupper() else word.lower()

    return WORD.sub(replace, text)


def perturb(article: Article, own: int, rng: random.Random, share: float,
            donors: list[Article]) -> str:
    """One copy of an article's body: shuffled, one paragraph dropped or doubled, words swapped."""
    rest = article.paragraphs[1:]
    rng.shuffle(rest)
    paragraphs = [article.paragraphs[0], *rest]
    if len(paragraphs) >= 3 and rng.random() < 0.5:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    else:
        i = rng.randrange(len(paragraphs))
        paragraphs.insert(rng.randrange(i + 1, len(paragraphs) + 1), paragraphs[i])
    return substitute_words("\n\n".join(paragraphs), share, rng, donors, own)


@dataclass
class Dump:
    path: Path
    copies: int
    records: int
    bytes: int


def dump_params(copies: int, args: argparse.Namespace) -> dict:
    bbc_files = sorted(BBC.glob("*/*.txt"))
    return {
        "generator": GENERATOR_VERSION,
        "copies": copies,
        "seed": args.seed,
        "substitute": args.substitute,
        "reposts": args.reposts,
        "bbc_files": len(bbc_files),
        "bbc_bytes": sum(p.stat().st_size for p in bbc_files),
    }


def generate_dump(copies: int, args: argparse.Namespace, articles: list[Article]) -> Dump:
    """Writes (or reuses) bench/work/bbc-xN-<params>.jsonl."""
    params = dump_params(copies, args)
    digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:10]
    path = WORK / f"bbc-x{copies}-{digest}.jsonl"
    sidecar = path.with_suffix(".params.json")
    if path.exists() and sidecar.exists():
        meta = json.loads(sidecar.read_text())
        if meta["params"] == params and meta["bytes"] == path.stat().st_size:
            log(f"reusing {path.relative_to(REPO)}")
            return Dump(path, copies, meta["records"], meta["bytes"])
    log(f"generating {path.relative_to(REPO)} ({copies} copies) ...")
    started = time.perf_counter()
    records = 0
    recent: list[dict] = []  # earlier records that re-posts copy from
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:

        def emit(record: dict) -> None:
            nonlocal records
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            records += 1

        for copy in range(copies):
            for own, article in enumerate(articles):
                rng = random.Random(f"{args.seed}:{copy}:{article.key}")
                text = perturb(article, own, rng, args.substitute, articles)
                record = {"id": f"c{copy:03d}-{article.key}", "title": article.title, "text": text}
                emit(record)
                recent.append(record)
                if len(recent) > 2000:
                    del recent[:1000]
                if rng.random() < args.reposts:
                    emit(repost(rng.choice(recent), rng, articles, own, copy))
    tmp.rename(path)
    size = path.stat().st_size
    sidecar.write_text(json.dumps({"params": params, "records": records, "bytes": size}))
    log(f"  {records} records, {size / MB:.1f} MB in {time.perf_counter() - started:.0f} s")
    return Dump(path, copies, records, size)


def repost(original: dict, rng: random.Random, articles: list[Article], own: int,
           copy: int) -> dict:
    """An earlier record posted again under a new id: verbatim, or with 2% of words changed."""
    verbatim = rng.random() < 0.5
    text = original["text"]
    if not verbatim:
        text = substitute_words(text, 0.02, rng, articles, own)
    kind = "exact" if verbatim else "near"
    return {"id": f"{original['id']}-repost{copy}-{kind}", "title": original["title"], "text": text}


def gzip_dump(dump: Dump) -> Path:
    """A gzipped copy of the dump (level 6), reused when newer than the dump."""
    path = dump.path.with_name(dump.path.name + ".gz")
    if path.exists() and path.stat().st_mtime >= dump.path.stat().st_mtime:
        log(f"reusing {path.relative_to(REPO)}")
        return path
    log(f"gzipping {dump.path.name} ...")
    tmp = path.with_suffix(".tmp")
    with dump.path.open("rb") as src, gzip.open(tmp, "wb", compresslevel=6) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    tmp.rename(path)
    return path


def copies_for(megabytes: float, articles: list[Article]) -> int:
    """Copies needed for a dump of about `megabytes`, from the size of one copy as JSONL."""
    one_copy = sum(
        len(json.dumps({"id": "c000-" + a.key, "title": a.title,
                        "text": "\n\n".join(a.paragraphs)}, ensure_ascii=False)) + 1
        for a in articles
    )
    return max(1, round(megabytes * MB / one_copy))


# --------------------------------------------------------------------------------------------
# Pipeline configs


def variant_config(name: str, disabled: set[str]) -> Path:
    """pipeline.toml with the `disabled` stage sections off (see machine.config_variant)."""
    return config_variant(WORK / "configs" / f"{name}.toml", disabled, measured_binary)




# --------------------------------------------------------------------------------------------
# Measuring


PEER_SCRIPT = r"""
import gzip, hashlib, json, os, sys
docs = 0
for arg in sys.argv[1:]:
    if os.path.isdir(arg):
        for root, dirs, files in os.walk(arg):
            dirs.sort()
            for name in sorted(files):
                if name.lower().endswith(".txt"):
                    with open(os.path.join(root, name), "rb") as f:
                        text = f.read().decode("utf-8", "replace")
                    hashlib.sha256(text.encode()).hexdigest()
                    docs += 1
    else:
        opener = gzip.open if arg.endswith(".gz") else open
        with opener(arg, "rb") as f:
            for line in f:
                if line.strip():
                    hashlib.sha256(json.loads(line)["text"].encode()).hexdigest()
                    docs += 1
print(docs)
"""


@dataclass
class Config:
    label: str
    threads: int | None  # None for the peer
    config: Path | None = None  # None for the peer

    @property
    def is_peer(self) -> bool:
        return self.config is None


@dataclass
class Sample:
    wall: float
    rss_kb: int
    cpu: float  # user + system seconds
    others: float  # CPU cores busy with other processes during the run, on average
    docs: int
    report: dict | None


@dataclass
class Result:
    corpus: str
    config: Config
    megabytes: float
    samples: list[Sample] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return statistics.median(s.rss_kb for s in self.samples) * 1024 / MB

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def others(self) -> float:
        return statistics.median(s.others for s in self.samples)

    @property
    def docs(self) -> int:
        return self.samples[0].docs

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.wall

    @property
    def median_report(self) -> dict | None:
        """The report of the run with the median wall time."""
        ranked = sorted(self.samples, key=lambda s: s.wall)
        return ranked[(len(ranked) - 1) // 2].report


def command(config: Config, inputs: list[Path]) -> list[str]:
    if config.is_peer:
        return ["python3", "-c", PEER_SCRIPT, *map(str, inputs)]
    cmd = [str(measured_binary), "run", "-q", "-c", str(config.config),
           "-o", str(OUT / "clean.csv"), "--rejects", str(OUT / "rejects.csv"),
           "--edits", str(OUT / "edits.csv"), "--report", str(OUT / "report.json")]
    if config.threads:
        cmd += ["-j", str(config.threads)]
    return cmd + [str(p) for p in inputs]


def parse_time_v(text: str) -> tuple[int, float]:
    """Peak RSS (kB) and user + system seconds from GNU time -v output."""
    values = {}
    for line in text.splitlines():
        key, _, value = line.strip().rpartition(": ")
        values[key] = value
    rss = int(values["Maximum resident set size (kbytes)"])
    cpu = float(values["User time (seconds)"]) + float(values["System time (seconds)"])
    return rss, cpu


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy (not idle or waiting) since boot."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run_once(config: Config, inputs: list[Path]) -> Sample:
    OUT.mkdir(parents=True, exist_ok=True)
    report_path = OUT / "report.json"
    report_path.unlink(missing_ok=True)
    time_file = OUT / "time.txt"
    cmd = [TIME, "-v", "-o", str(time_file), *command(config, inputs)]
    busy_before = busy_cpu_seconds()
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    busy = busy_cpu_seconds() - busy_before
    if result.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    rss, cpu = parse_time_v(time_file.read_text())
    others = max(0.0, (busy - cpu) / wall)
    if config.is_peer:
        return Sample(wall, rss, cpu, others, int(result.stdout.strip()), None)
    report = json.loads(report_path.read_text())
    return Sample(wall, rss, cpu, others, report["documents_in"], report)


def input_megabytes(inputs: list[Path]) -> float:
    """Size on disk of the inputs (uncompressed for .gz), in 10^6 bytes."""
    total = 0
    for path in inputs:
        if path.is_dir():
            total += sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        elif path.suffix == ".gz":
            with gzip.open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    total += len(chunk)
        else:
            total += path.stat().st_size
    return total / MB


def warm_cache(inputs: list[Path]) -> None:
    """Reads the inputs once so every measured run starts with them in the page cache."""
    for path in inputs:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            with f.open("rb") as handle:
                while handle.read(1 << 20):
                    pass


def measure(plan: list[tuple[str, list[Path], Config]], repeats: int) -> list[Result]:
    """Runs every (corpus, config) `repeats` times, round-robin; returns the results in order."""
    results = []
    for corpus, inputs, config in plan:
        results.append(Result(corpus, config, input_megabytes(inputs)))
    for inputs in {tuple(i) for _, i, _ in plan}:
        warm_cache(list(inputs))
    total = repeats * len(plan)
    done = 0
    for round_ in range(1, repeats + 1):
        for (corpus, inputs, config), result in zip(plan, results):
            done += 1
            sample = run_once(config, inputs)
            result.samples.append(sample)
            log(f"[{done}/{total}] round {round_}: {corpus:<8} {config.label:<12} "
                f"-j {config.threads or '-'}  {sample.wall:6.2f} s  {sample.rss_kb * 1024 / MB:6.1f} MB  "
                f"others {sample.others:.2f} cores")
    return results


# --------------------------------------------------------------------------------------------
# Reporting


def print_table(results: list[Result]) -> None:
    header = (f"{'corpus':<8} {'config':<12} {'-j':>2} {'docs':>7} {'kept':>7} {'MB in':>7} "
              f"{'wall s':>7} {'docs/s':>7} {'MB/s':>6} {'CPU%':>5} {'other':>5} {'RSS MB':>7} "
              f"{'x base':>6} {'x peer':>6}")
    print("Throughput (medians; CPU% = the process's user+sys over wall; other = cores busy with "
          "other processes meanwhile;\nx base / x peer = MB/s over the same corpus's read+write "
          "floor / python sha256 peer)")
    print(header)
    print("-" * len(header))
    corpus = None
    for r in results:
        if corpus is not None and r.corpus != corpus:
            print()
        corpus = r.corpus
        base = find(results, r.corpus, "read+write")
        peer = find(results, r.corpus, "python-peer")
        kept = r.median_report["kept"] if r.median_report else None
        print(f"{r.corpus:<8} {r.config.label:<12} {r.config.threads or '-':>2} {r.docs:>7} "
              f"{kept if kept is not None else '-':>7} {r.megabytes:>7.1f} {r.wall:>7.2f} "
              f"{r.docs / r.wall:>7.0f} {r.mb_per_s:>6.2f} {100 * r.cpu / r.wall:>5.0f} {r.others:>5.2f} "
              f"{r.rss_mb:>7.1f} {ratio(r, base):>6} {ratio(r, peer):>6}")
    print()


def find(results: list[Result], corpus: str, label: str, threads: int | None = None) -> Result | None:
    for r in results:
        if r.corpus == corpus and r.config.label == label and (
            threads is None or r.config.threads == threads
        ):
            return r
    return None


def ratio(r: Result, other: Result | None) -> str:
    return f"{r.mb_per_s / other.mb_per_s:.2f}" if other else "-"


def print_dedup_and_stage_costs(results: list[Result]) -> None:
    """What dedup did on each corpus, and what switching one stage off saved."""
    print("Dedup and stage costs (full -j 1 against the same run with one stage off)")
    for corpus in dict.fromkeys(r.corpus for r in results):
        full = find(results, corpus, "full", 1)
        if not full or not full.median_report:
            continue
        report = full.median_report
        dedup = report.get("rejected_by", {}).get("dedup", {})
        print(f"  {corpus}: {report['documents_in']} documents, kept {report['kept']} "
              f"({100 * report['kept'] / report['documents_in']:.1f}%), rejected "
              f"{report['rejected']}; dedup rejected {dedup.get('exact duplicate', 0)} exact + "
              f"{dedup.get('near duplicate', 0)} near duplicates; other rejections: "
              f"{other_rejections(report)}")
        if report["kept"] < 0.5 * report["documents_in"]:
            print("    WARNING: most documents were rejected: the dump does not grow the dedup "
                  "index as intended (raise --substitute?)")
        for label in ("no-names", "no-dedup", "no-language", "no-lines"):
            off = find(results, corpus, label, 1)
            if off:
                saved = full.wall - off.wall
                print(f"    {label:<12} wall {off.wall:6.2f} s vs {full.wall:6.2f} s: the stage "
                      f"costs {saved:+6.2f} s = {100 * saved / full.wall:+5.1f}% of the full run "
                      f"(MB/s ratio off/full {off.mb_per_s / full.mb_per_s:.2f})")
    print()


def other_rejections(report: dict) -> str:
    parts = [f"{stage}/{reason} {n}" for stage, reasons in report.get("rejected_by", {}).items()
             if stage != "dedup" for reason, n in reasons.items()]
    return ", ".join(parts) or "none"


def print_stage_seconds(result: Result) -> None:
    report = result.median_report
    stages = report["stage_seconds"]
    inside = sum(stages.values())
    print(f"Stage seconds, {result.corpus} full -j 1 (report of the median run; "
          f"report.seconds {report['seconds']:.2f}, process wall {result.wall:.2f})")
    # Pipeline order; a stage this list does not know yet is printed after the rest.
    for stage in [s for s in STAGES if s in stages] + sorted(set(stages) - set(STAGES)):
        print(f"  {stage:<12} {stages[stage]:7.2f} s  {100 * stages[stage] / report['seconds']:5.1f}%")
    outside = report["seconds"] - inside
    print(f"  {'(all stages)':<12} {inside:7.2f} s  {100 * inside / report['seconds']:5.1f}%")
    print(f"  {'(outside)':<12} {outside:7.2f} s  {100 * outside / report['seconds']:5.1f}%  "
          "reading, JSON parsing, MinHash fingerprints, CSV writing")
    print()


def memory_check(small: Result, big: Result, small_ctrl: Result | None,
                 big_ctrl: Result | None) -> None:
    """Peak RSS growth per additional kept document between two dump sizes."""
    kept_small, kept_big = small.median_report["kept"], big.median_report["kept"]
    print("Memory growth (full pipeline -j 1; control = same without dedup)")
    print(f"  {'dump':<28} {'docs':>7} {'kept':>7} {'RSS MB':>7} {'ctrl RSS MB':>11}")
    for r, ctrl in ((small, small_ctrl), (big, big_ctrl)):
        print(f"  {r.corpus + ' (' + format(r.megabytes, '.0f') + ' MB)':<28} {r.docs:>7} "
              f"{r.median_report['kept']:>7} {r.rss_mb:>7.1f} "
              f"{ctrl.rss_mb if ctrl else float('nan'):>11.1f}")
    extra = kept_big - kept_small
    if extra <= 0:
        print("  (the two dumps keep the same number of documents: no growth to measure)\n")
        return
    growth = (big.rss_mb - small.rss_mb) * MB
    print(f"  full pipeline  : {growth / MB:+.1f} MB for {extra:+d} kept documents = "
          f"{growth / extra:,.0f} bytes per additional kept document")
    if small_ctrl and big_ctrl:
        ctrl_growth = (big_ctrl.rss_mb - small_ctrl.rss_mb) * MB
        print(f"  without dedup  : {ctrl_growth / MB:+.1f} MB = {ctrl_growth / extra:,.0f} "
              "bytes per additional document (growth that is not the dedup index)")
        print(f"  dedup index    : {(growth - ctrl_growth) / extra:,.0f} bytes per additional "
              "kept document (full minus control)")
    print("  design claim   : memory grows only with the dedup index, a few hundred bytes per "
          "kept document")
    config = tomllib.loads((WORK / "configs" / "full.toml").read_text())
    batch = config.get("input", {}).get("batch_size", 4096)
    if small.docs < 5 * batch:
        print(f"  note: the smaller dump holds fewer than ~5 batches of documents (input.batch_size"
              f" = {batch}): the reader's queue of batches is not full there yet, which shows as "
              "growth in the control too")
    print()


# --------------------------------------------------------------------------------------------
# Main


def plan_for(corpus: str, inputs: list[Path], configs: dict[str, Path]) -> list:
    return [
        (corpus, inputs, Config("full", 1, configs["full"])),
        (corpus, inputs, Config("full", 2, configs["full"])),
        (corpus, inputs, Config("read+write", 1, configs["read+write"])),
        (corpus, inputs, Config("no-names", 1, configs["no-names"])),
        (corpus, inputs, Config("no-dedup", 1, configs["no-dedup"])),
        (corpus, inputs, Config("no-language", 1, configs["no-language"])),
        (corpus, inputs, Config("no-lines", 1, configs["no-lines"])),
        (corpus, inputs, Config("python-peer", None)),
    ]


def main() -> None:
    args = parse_args()
    if not BBC.is_dir():
        sys.exit(f"error: {BBC} not found: this benchmark needs ../shared (see its README.md)")
    if not Path(TIME).exists():
        sys.exit(f"error: {TIME} (GNU time) not found: install the `time` package")
    WORK.mkdir(parents=True, exist_ok=True)
    binary_note = build_binary(args.no_build, BINARY)
    commit = git_commit()
    global measured_binary
    measured_binary = snapshot_binary()

    articles = load_bbc()
    if args.scale:
        copies = args.scale
    else:
        copies = copies_for(QUICK_DUMP_MB if args.quick else DEFAULT_DUMP_MB, articles)
    dump = generate_dump(copies, args, articles)
    gz = None if args.no_gzip else gzip_dump(dump)
    small = None
    if not args.no_memory_check:
        small_copies = max(1, copies // 2)
        if small_copies < copies:
            small = generate_dump(small_copies, args, articles)
        else:
            log("memory check skipped: the dump is a single copy, there is no smaller size")

    configs = {
        "full": variant_config("full", set()),
        "read+write": variant_config("read-write", set(STAGES)),
        "no-names": variant_config("no-names", {"names"}),
        "no-dedup": variant_config("no-dedup", {"dedup"}),
        "no-language": variant_config("no-language", {"language"}),
        "no-lines": variant_config("no-lines", {"lines"}),
    }

    plan = plan_for("bbc", [BBC], configs) + plan_for("dump", [dump.path], configs)
    if gz:
        plan += [
            ("dump.gz", [gz], Config("full", 1, configs["full"])),
            ("dump.gz", [gz], Config("full", 2, configs["full"])),
            ("dump.gz", [gz], Config("read+write", 1, configs["read+write"])),
            ("dump.gz", [gz], Config("python-peer", None)),
        ]
    if small:
        plan += [
            ("small", [small.path], Config("full", 1, configs["full"])),
            ("small", [small.path], Config("no-dedup", 1, configs["no-dedup"])),
        ]
    log(f"measuring {len(plan)} configurations x {args.repeats} runs ...")
    results = measure(plan, args.repeats)

    print_header(binary_note, commit)
    print(f"Corpora: bbc = {BBC} (directory as-is, README.TXT included by newsclean's walk); "
          f"dump = {dump.path.relative_to(REPO)}: {dump.copies} perturbed copies + reposts, "
          f"{dump.records} records, {dump.bytes / MB:.1f} MB"
          + (f"; dump.gz = the same gzipped ({gz.stat().st_size / MB:.1f} MB on disk)" if gz else "")
          + f". Runs per configuration: {args.repeats}.")
    print()
    table = [r for r in results if r.corpus != "small"]
    print_table(table)
    print_dedup_and_stage_costs(table)
    print_stage_seconds(find(results, "dump", "full", 1))
    if small:
        memory_check(find(results, "small", "full", 1), find(results, "dump", "full", 1),
                     find(results, "small", "no-dedup", 1), find(results, "dump", "no-dedup", 1))


if __name__ == "__main__":
    main()
