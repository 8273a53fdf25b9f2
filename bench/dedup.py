#!/usr/bin/env python3
r"""Near-duplicate detection benchmark: newsclean's dedup against datasketch, rensa and datatrove.

One invocation is one run: every tool is measured on the same generated corpus, one after the
other (never two at once), and scored against the corpus's gold clusters the same way.

Corpus
------
bench/dedup_corpus.py writes bench/work/dedup/<label>.jsonl (one JSON object per line: id,
title, text, date, url, outlet) and <label>.gold.jsonl (one line per document: its gold
"cluster", its "original" for a planted copy, the transformation "kinds" applied, and the copy's
word-5-gram "jaccard" and "containment" with its original, text field only). It is generated
when missing, from --size (10k, 100k or 1m), --seed (default 1) and --near-misses, which name
it: <size>[-nm][-s<seed>, unless seed 1], e.g. 10k, 10k-nm, 10k-nm-s2 (an existing corpus whose
stats.json says another seed or flag is refused). --near-misses adds the generator's near
misses: distinct stories sharing outlet boilerplate, an appended story or same-event
sentences, which must not be merged; their gold rows carry "near_miss" (the kind) and
"near_miss_group", copies of a near-miss original its kind and group (see dedup_corpus.py).
--corpus FILE.jsonl scores any other corpus with a FILE.gold.jsonl beside it (near misses are
scored when its gold has the near_miss fields).

Settings
--------
The [dedup] section of the repository's pipeline.toml (read with tomllib) gives `shingle`
(words per shingle), `permutations` and `threshold` (Jaccard); a missing key means 5, 128 and
0.8. Every peer gets the same three:

* shingles: word n-grams of `shingle` words over re.findall(r"\w+", text.lower()), the text
  field only, as a set. A peer document with fewer words than that is one shingle of all its
  words (datatrove: no signature); a document without words is never a duplicate.
* datasketch  MinHash(num_perm=permutations) (its default affine32 scheme, sha1 32-bit token
              hash, seed 1), MinHashLSH(threshold, num_perm), which picks its own bands b and
              rows r by minimizing the false-positive plus false-negative area of the S-curve
              1-(1-s^r)^b around the threshold (weights 0.5/0.5); b*r may be below
              permutations (100 at 0.7 -> 11 x 9 = 99: one hash is computed but never used).
* rensa       RMinHash (full-set R-MinHash, seed 42) and RMinHashLSH(threshold, num_perm,
              num_bands). RMinHashLSH needs bands to divide num_perm, so with the default
              --peer-bands datasketch it gets datasketch's (b, r) with num_perm = b*r: the
              same banding, the same candidate probability curve, one or a few fewer hash
              functions than `permutations`. --peer-bands divisor instead keeps num_perm =
              permutations and picks (b, r) by datasketch's criterion among b*r = permutations.
* datatrove   the 4-stage MinhashDedup pipeline (signatures, buckets, clusters, filter) on
              LocalPipelineExecutor, MinhashConfig(n_grams=shingle, num_buckets=b,
              hashes_per_bucket=r) with (b, r) chosen exactly as for rensa, 64-bit xxhash,
              seed 1. It has no threshold: a bucket match is a duplicate. Its own text
              normalization is switched off (lowercase only) and its word tokenizer replaced
              by the same \w+ regex through its WordTokenizer interface, so the shingles are
              the ones above. Read with its JsonlReader, kept documents written with
              JsonlWriter, removed ones with the filter's exclusion_writer. `datatrove` runs
              with 1 worker; `datatrove-par` (default when --threads > 1) runs stage 2's
              num_buckets tasks on --threads worker processes -- the other stages cannot use
              more than one task on a single input file.
* newsclean   the binary's own dedup with the whole [dedup] section as it is (which may hold
              more than the peers get: bands, an exact-duplicate pass, candidate
              verification, ...; the report prints the section). `newsclean` runs a copy of
              pipeline.toml with every stage but normalize and dedup disabled;
              `newsclean-full` runs pipeline.toml unchanged (a copy with data paths made
              absolute), so documents rejected by another stage (language, spam, ...) never
              reach dedup: they are counted and shown, and cost recall only when they were
              gold copies or originals. Both run with -j --threads.

Streaming peers (datasketch, rensa) run the "first survives" loop text-dedup uses: for each
document in file order, query the LSH index; with any candidate the document is a duplicate of
the earliest-inserted candidate, which is its cluster's survivor since only survivors are
inserted; otherwise insert it. LSH candidates are not verified against the threshold.

Measuring
---------
Each tool is one process (python runners in bench/dedup_peers/, run by the venv
bench/work/dedup-venv with pinned versions, created and filled with pip when missing) under
GNU `/usr/bin/time -v`: wall = "Elapsed (wall clock) time", peak RSS = "Maximum resident set
size" (for a tool with worker processes, that of its largest single process). The whole
process is timed: interpreter start-up and imports, reading, hashing, indexing, writing the
kept documents (all tools write them: newsclean its clean CSV, the peers a JSONL) and the
duplicate list. `cargo build --release` runs first and the binary is measured as a private copy.
MB/s = input bytes (10^6) / wall. The machine is shared and noisy: read the ratios of the same
run (newsclean's MB/s over each peer's), not the absolute figures.

Scoring (identical for every tool)
----------------------------------
Each tool's output becomes one map: dropped document -> the document it is a duplicate of (its
cluster's survivor); documents not in the map are kept. Predicted clusters: every document
follows the map to its root (chains followed); a kept document is a root. Gold clusters: the
"cluster" field of gold.jsonl. Only documents listed in gold are scored.

* Pair precision, recall, F1 over all unordered pairs of documents in one cluster: true pairs
  = sum over (gold cluster, predicted cluster) cells of C(n, 2), predicted pairs = sum of
  C(size, 2) over predicted clusters, gold pairs likewise; precision = true / predicted, recall
  = true / gold. False-positive pairs = predicted - true. Counted with Counters, never
  enumerated.
* Per copy (a gold row with an "original"): found when the copy and its original end in the
  same predicted cluster. Recall per difficulty band of its recorded Jaccard: >=0.9,
  0.7-0.9, 0.5-0.7, 0.3-0.5, <0.3 (lower bound included), plus a separate band "contained"
  (containment >= 0.9 and Jaccard < 0.7, overlapping the others); and recall per kind (a copy
  counts under every kind it has).
* Pair precision, recall and F1 per difficulty band: every pair gold puts in one cluster and
  every pair a tool puts in one cluster gets its own Jaccard and containment, measured as
  the generator measures copies (dedup_corpus.shingles and similarity); within each band
  (the same bands), predicted pairs are scored against gold pairs. A false merge counts
  against the band its two documents' similarity falls in (on the generated corpora without
  near misses: < 0.3; near misses reach 0.6).
* Near-miss pairs merged (gold with near_miss fields only): per near-miss kind, the pairs of
  members of one near-miss group (its distinct documents and their copies) that gold puts in
  different clusters, and how many of them each tool put in one predicted cluster: its false
  merges of near misses (counted with Counters per group: C(members, 2) - sum of C(n, 2) over
  gold clusters, and sum of C(n, 2) over predicted clusters - sum over (gold, predicted)
  cells); beside it the tool's recall on the groups' copies (found with their original), and
  its overall pair precision / recall / F1 in the last row. These false merges are part of
  the FP pairs of the first table.

Output: four markdown tables on stdout (speed and pair scores; copy recall per band; pair
F1 per band; copy recall per kind), a fifth with near misses (near-miss pairs merged), and
speed ratios; progress on stderr; every number in bench/work/dedup/results-<label>.json.
Scratch output in bench/work/dedup/<label>-runs/<tool>/.

Usage: python3 bench/dedup.py --size 10k [--near-misses] [--seed N] [--tools newsclean,
       newsclean-full,datasketch,rensa,datatrove] [--threads 2]   (see --help)
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import platform
import shutil
import subprocess
import sys
import textwrap
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from machine import build_binary, config_variant, cpu_model, git_commit, run_text
from dedup_corpus import (NEAR_MISS_KINDS, SIZES as CORPUS_SIZES, corpus_label,
                          shingles as corpus_shingles, similarity as corpus_similarity)

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "bench" / "work"
DEDUP_WORK = WORK / "dedup"
VENV = WORK / "dedup-venv"
VENV_PYTHON = VENV / "bin" / "python"
PEERS = REPO / "bench" / "dedup_peers"
CORPUS_SCRIPT = REPO / "bench" / "dedup_corpus.py"
BINARY = REPO / "target" / "release" / "newsclean"
DEFAULT_CONFIG = REPO / "pipeline.toml"
TIME = "/usr/bin/time"
MB = 1e6

SIZES = ("10k", "100k", "1m")
# Peer versions the venv is filled with (pip install); orjson is what datatrove's JsonlReader
# and JsonlWriter import (it is in datatrove's `io` extra, which also pulls pyarrow and
# datasets); `processing` brings xxhash, its default MinHash token hash.
PINS = {
    "datasketch": "2.0.0",
    "rensa": "0.5.0",
    "datatrove": "0.10.1",
    "orjson": "3.13.0",
}
PIP_SPECS = ["datasketch==2.0.0", "rensa==0.5.0", "datatrove[processing]==0.10.1",
             "orjson==3.13.0"]
DEFAULT_SETTINGS = {"shingle": 5, "permutations": 128, "threshold": 0.8}

TOOLS = ["newsclean", "newsclean-full", "datasketch", "rensa", "datatrove", "datatrove-par"]
PEER_TOOLS = {"datasketch", "rensa", "datatrove", "datatrove-par"}
NEWSCLEAN_TOOLS = {"newsclean", "newsclean-full"}
# Stages that stay on in the dedup-only config.
DEDUP_ONLY_STAGES = {"normalize", "dedup"}

BANDS = [  # (label, test on jaccard, containment)
    (">=0.9", lambda j, c: j is not None and j >= 0.9),
    ("0.7-0.9", lambda j, c: j is not None and 0.7 <= j < 0.9),
    ("0.5-0.7", lambda j, c: j is not None and 0.5 <= j < 0.7),
    ("0.3-0.5", lambda j, c: j is not None and 0.3 <= j < 0.5),
    ("<0.3", lambda j, c: j is not None and j < 0.3),
    ("contained", lambda j, c: j is not None and c is not None and c >= 0.9 and j < 0.7),
]


def log(message: str) -> None:
    """Progress goes to stderr, so stdout holds only the tables."""
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Command line


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=textwrap.fill(
            "Benchmark near-duplicate detection: newsclean's dedup (dedup only, and the full "
            "pipeline) against datasketch, rensa and datatrove MinHash LSH with the same "
            "shingles, permutations and threshold (pipeline.toml [dedup]), on a generated news "
            "corpus with gold clusters. Prints wall time, throughput, peak RSS, pair precision/"
            "recall/F1, copy recall per Jaccard band and per transformation kind, and "
            "newsclean's speed ratio over each peer. The sections below (the module docstring) "
            "document the settings mapping, the measuring and the scoring.", 92),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__[__doc__.index("Settings\n"):__doc__.index("Usage:")],
    )
    parser.add_argument("--size", choices=SIZES, default="10k",
                        help="corpus size, generated by bench/dedup_corpus.py when missing "
                        "(default: 10k)")
    parser.add_argument("--corpus", type=Path, metavar="FILE.jsonl",
                        help="score another corpus instead; its gold must be FILE.gold.jsonl")
    parser.add_argument("--near-misses", action="store_true",
                        help="the corpus with near misses (dedup_corpus.py --near-misses, files "
                        "<size>-nm.*), generated when missing, and the near-miss table (a "
                        "--corpus gets it without this flag when its gold has near_miss "
                        "fields)")
    parser.add_argument("--seed", type=int, default=None, metavar="N",
                        help="the corpus's seed (default: 1; files get the suffix -sN unless "
                        "N is 1), generated when missing")
    parser.add_argument("--tools", default=None,
                        help="comma-separated, run in this order, from: " + ", ".join(TOOLS)
                        + " (default: newsclean,newsclean-full,datasketch,rensa,datatrove, "
                        "plus datatrove-par when --threads > 1)")
    parser.add_argument("--threads", type=int, default=1, metavar="N",
                        help="newsclean -j N, and datatrove-par's worker processes (default: 1, "
                        "like the single-process python peers)")
    parser.add_argument("--peer-bands", choices=["datasketch", "divisor"], default="datasketch",
                        help="rensa's and datatrove's LSH bands x rows: datasketch's own choice "
                        "for (threshold, permutations), num_perm = bands x rows (default); or "
                        "the best choice with bands x rows = permutations exactly")
    for key, kind in (("shingle", int), ("permutations", int), ("threshold", float)):
        parser.add_argument(f"--{key}", type=kind, default=None,
                            help=f"every tool's {key} instead of pipeline.toml's (newsclean "
                            "runs a copy of pipeline.toml with it)")
    parser.add_argument("--no-build", action="store_true",
                        help="do not run `cargo build --release`; use target/release/newsclean")
    parser.add_argument("--no-install", action="store_true",
                        help="do not pip install into the venv; use the versions it has")
    args = parser.parse_args()
    if args.threads < 1:
        parser.error("--threads must be at least 1")
    if args.corpus and (args.near_misses or args.seed is not None):
        parser.error("--near-misses and --seed choose a generated corpus; not with --corpus")
    args.seed = 1 if args.seed is None else args.seed
    if args.tools is None:
        tools = ["newsclean", "newsclean-full", "datasketch", "rensa", "datatrove"]
        if args.threads > 1:
            tools.append("datatrove-par")
    else:
        tools = [t.strip() for t in args.tools.split(",") if t.strip()]
        unknown = [t for t in tools if t not in TOOLS]
        if unknown:
            parser.error(f"unknown tool(s) {', '.join(unknown)}; choose from {', '.join(TOOLS)}")
        if len(set(tools)) != len(tools):
            parser.error("a tool is listed twice")
    args.tool_list = tools
    args.overrides = {key: getattr(args, key) for key in DEFAULT_SETTINGS
                      if getattr(args, key) is not None}
    return args


# --------------------------------------------------------------------------------------------
# Machine, commit, binary, venv


def snapshot_binary() -> Path:
    """A private copy of the binary, so a concurrent `cargo build` cannot swap it mid-run."""
    digest = hashlib.sha256(BINARY.read_bytes()).hexdigest()[:12]
    folder = DEDUP_WORK / "bin"
    copy = folder / f"newsclean-{digest}"
    if not copy.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = copy.with_suffix(".tmp")
        shutil.copy2(BINARY, tmp)
        tmp.rename(copy)
    for old in folder.glob("newsclean-*"):
        if old != copy:
            old.unlink()
    return copy


def venv_versions() -> dict[str, str | None]:
    code = ("import json\nfrom importlib.metadata import version, PackageNotFoundError\n"
            "out = {}\nfor name in %r:\n    try:\n        out[name] = version(name)\n"
            "    except PackageNotFoundError:\n        out[name] = None\nprint(json.dumps(out))"
            % list(PINS))
    return json.loads(run_text([str(VENV_PYTHON), "-c", code]))


def ensure_venv(skip_install: bool) -> dict[str, str | None]:
    """Creates bench/work/dedup-venv and installs the pinned peers when they are missing."""
    if not VENV_PYTHON.exists():
        if skip_install:
            sys.exit(f"error: --no-install but {VENV} does not exist")
        log(f"python3 -m venv {VENV.relative_to(REPO)} ...")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    versions = venv_versions()
    if versions != PINS and not skip_install:
        log(f"pip install {' '.join(PIP_SPECS)} ...")
        result = subprocess.run([str(VENV_PYTHON), "-m", "pip", "install", "-q", *PIP_SPECS],
                                capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"error: pip install failed:\n{result.stderr[-4000:]}")
        versions = venv_versions()
    missing = [name for name, v in versions.items() if v is None]
    if missing:
        sys.exit(f"error: {', '.join(missing)} not installed in {VENV}")
    return versions


# --------------------------------------------------------------------------------------------
# Settings and LSH parameters


def read_settings(args: argparse.Namespace) -> tuple[dict, dict]:
    """[dedup] shingle, permutations, threshold (with the defaults, or as overridden on the
    command line), and the whole section with the overrides applied."""
    section = tomllib.loads(DEFAULT_CONFIG.read_text()).get("dedup", {})
    section |= args.overrides
    settings = {key: section.get(key, default) for key, default in DEFAULT_SETTINGS.items()}
    settings["defaulted"] = [key for key in DEFAULT_SETTINGS if key not in section]
    settings["overrides"] = args.overrides
    return settings, section


def _integrate(f, a: float, b: float, steps: int = 2000) -> float:
    """Composite Simpson's rule (steps even)."""
    if b <= a:
        return 0.0
    h = (b - a) / steps
    total = f(a) + f(b)
    for i in range(1, steps):
        total += (4 if i % 2 else 2) * f(a + i * h)
    return total * h / 3


def lsh_error(threshold: float, b: int, r: int) -> float:
    """datasketch's criterion: 0.5 * false-positive area + 0.5 * false-negative area."""
    fp = _integrate(lambda s: 1 - (1 - s ** r) ** b, 0.0, threshold)
    fn = _integrate(lambda s: (1 - s ** r) ** b, threshold, 1.0)
    return 0.5 * fp + 0.5 * fn


def optimal_bands(threshold: float, num_perm: int, exact: bool) -> tuple[int, int]:
    """(bands, rows) as datasketch.MinHashLSH picks them (b*r <= num_perm), or with exact=True
    the best pair with b*r == num_perm."""
    best, best_error = (0, 0), math.inf
    for b in range(1, num_perm + 1):
        rows = [num_perm // b] if exact else range(1, num_perm // b + 1)
        if exact and num_perm % b:
            continue
        for r in rows:
            error = lsh_error(threshold, b, r)
            if error < best_error:
                best, best_error = (b, r), error
    return best


# --------------------------------------------------------------------------------------------
# Corpus and gold


@dataclass
class Corpus:
    label: str
    path: Path
    gold_path: Path
    bytes: int
    docs: int


def ensure_corpus(args: argparse.Namespace) -> Corpus:
    if args.corpus:
        path = args.corpus.resolve()
        gold = path.with_name(path.name.removesuffix(".jsonl") + ".gold.jsonl")
        label = path.name.removesuffix(".jsonl")
        if not path.exists() or not gold.exists():
            sys.exit(f"error: {path} and {gold} must both exist")
    else:
        label = corpus_label(CORPUS_SIZES[args.size], args.seed, args.near_misses)
        path = DEDUP_WORK / f"{label}.jsonl"
        gold = DEDUP_WORK / f"{label}.gold.jsonl"
        if not path.exists() or not gold.exists():
            if not CORPUS_SCRIPT.exists():
                sys.exit(f"error: {path.relative_to(REPO)} is missing and so is "
                         f"{CORPUS_SCRIPT.relative_to(REPO)}, which generates it")
            flags = ["--size", args.size, "--seed", str(args.seed)]
            if args.near_misses:
                flags.append("--near-misses")
            log(f"generating the {label} corpus: python3 {CORPUS_SCRIPT.relative_to(REPO)} "
                f"{' '.join(flags)} ...")
            result = subprocess.run([sys.executable, str(CORPUS_SCRIPT), *flags],
                                    cwd=REPO, capture_output=True, text=True)
            if result.returncode != 0 or not path.exists() or not gold.exists():
                sys.exit(f"error: dedup_corpus.py failed:\n{result.stderr[-4000:]}")
        stats = path.with_name(f"{label}.stats.json")
        if stats.exists() and stats.stat().st_mtime < max(path.stat().st_mtime,
                                                          gold.stat().st_mtime):
            sys.exit(f"error: {path.name} is newer than {stats.name}: is dedup_corpus.py "
                     "writing it right now? Retry when it is done (or delete the files).")
        if stats.exists():
            meta = json.loads(stats.read_text())
            if meta.get("seed") != args.seed or ("near_misses" in meta) != args.near_misses:
                sys.exit(f"error: {stats.name} says seed {meta.get('seed')}, near misses "
                         f"{'near_misses' in meta}, not seed {args.seed}, near misses "
                         f"{args.near_misses}: delete the {label}.* files to regenerate them")
    with path.open("rb") as f:
        docs = sum(1 for line in f if line.strip())
    with gold.open("rb") as f:
        gold_docs = sum(1 for line in f if line.strip())
    if gold_docs != docs:
        sys.exit(f"error: {path.name} has {docs} documents but {gold.name} {gold_docs} lines "
                 "(still being written?)")
    return Corpus(label, path, gold, path.stat().st_size, docs)


@dataclass
class GoldDoc:
    cluster: str
    original: str | None
    kinds: list[str]
    jaccard: float | None
    containment: float | None
    near_miss: str | None = None  # the near-miss kind, for a near-miss document or its copy
    near_miss_group: str | None = None


def load_gold(path: Path) -> tuple[dict[str, GoldDoc], bool]:
    """The gold rows by id, and whether they carry near_miss fields (a corpus generated with
    --near-misses)."""
    gold, near_miss_fields = {}, False
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            near_miss_fields = near_miss_fields or "near_miss_group" in row
            gold[row["id"]] = GoldDoc(str(row["cluster"]), row.get("original"),
                                      list(row.get("kinds") or []), row.get("jaccard"),
                                      row.get("containment"), row.get("near_miss"),
                                      row.get("near_miss_group"))
    return gold, near_miss_fields


def warm_cache(path: Path) -> None:
    """Reads the corpus once so every measured run starts with it in the page cache."""
    with path.open("rb") as f:
        while f.read(1 << 20):
            pass


# --------------------------------------------------------------------------------------------
# newsclean configs




def variant_config(name: str, disabled: set[str], overrides: dict) -> Path:
    """pipeline.toml with the `disabled` stage sections off and the command line's [dedup]
    overrides (see machine.config_variant)."""
    suffix = "".join(f"-{k}{v}" for k, v in overrides.items())
    return config_variant(DEDUP_WORK / f"{name}{suffix}.toml", disabled, measured_binary,
                          {"dedup": overrides})


def stage_sections(config: dict) -> list[str]:
    """Top-level tables with an `enabled` key: the stages."""
    return [k for k, v in config.items() if isinstance(v, dict) and "enabled" in v]




def newsclean_has_clusters_flag() -> bool:
    help_text = subprocess.run([str(measured_binary), "run", "--help"], capture_output=True,
                               text=True).stdout
    return "--clusters" in help_text


# --------------------------------------------------------------------------------------------
# Running the tools


measured_binary = BINARY  # set in main to the private copy


@dataclass
class Run:
    tool: str
    threads: int
    out: Path
    wall: float = 0.0
    rss_kb: int = 0
    cpu: float = 0.0
    settings: dict = field(default_factory=dict)
    dups: dict[str, str] = field(default_factory=dict)
    rejected_other: dict[str, str] = field(default_factory=dict)  # id -> stage/reason
    report: dict | None = None
    output_source: str = ""
    score: dict = field(default_factory=dict)


def parse_time_v(text: str) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (kB) and user + system seconds from GNU time -v output."""
    values = {}
    for line in text.splitlines():
        key, _, value = line.strip().rpartition(": ")
        values[key] = value
    clock = values["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
    wall = 0.0
    for part in clock.split(":"):
        wall = wall * 60 + float(part)
    rss = int(values["Maximum resident set size (kbytes)"])
    cpu = float(values["User time (seconds)"]) + float(values["System time (seconds)"])
    return wall, rss, cpu


def measure(run: Run, cmd: list[str]) -> None:
    """Runs `cmd` under /usr/bin/time -v; its stdout and stderr go to files in run.out."""
    time_file = run.out / "time.txt"
    full = [TIME, "-v", "-o", str(time_file), *cmd]
    (run.out / "command.txt").write_text(" ".join(full) + "\n")
    with (run.out / "stdout.txt").open("w") as out, (run.out / "stderr.txt").open("w") as err:
        started = time.perf_counter()
        code = subprocess.run(full, stdout=out, stderr=err, cwd=REPO).returncode
        elapsed = time.perf_counter() - started
    if code != 0:
        tail = (run.out / "stderr.txt").read_text(errors="replace")[-3000:]
        sys.exit(f"error: {run.tool} failed ({code}): {' '.join(cmd)}\n{tail}")
    run.wall, run.rss_kb, run.cpu = parse_time_v(time_file.read_text())
    if abs(run.wall - elapsed) > 0.5 + 0.05 * elapsed:
        log(f"  note: time -v says {run.wall:.2f} s, measured around it {elapsed:.2f} s")


def run_newsclean(run: Run, corpus: Corpus, config: Path, clusters_flag: bool) -> None:
    out = run.out
    cmd = [str(measured_binary), "run", "-c", str(config), "-j", str(run.threads), "-q",
           "-o", str(out / "clean.csv"), "--rejects", str(out / "rejects.csv")]
    if clusters_flag:
        cmd += ["--clusters", str(out / "clusters.csv")]
    cmd += ["--report", str(out / "report.json"), str(corpus.path)]
    measure(run, cmd)
    run.report = json.loads((out / "report.json").read_text())
    csv.field_size_limit(sys.maxsize)
    dedup_rows = {}
    with (out / "rejects.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            # The dedup stage also rejects a document that shared-paragraph removal emptied:
            # no duplicate_of, so not a duplicate.
            if row["stage"] == "dedup" and row["duplicate_of"]:
                dedup_rows[row["id"]] = row["duplicate_of"]
            else:
                run.rejected_other[row["id"]] = f"{row['stage']}/{row['reason']}"
    if clusters_flag and (out / "clusters.csv").exists():
        run.output_source = "clusters.csv"
        with (out / "clusters.csv").open(encoding="utf-8", newline="") as f:
            run.dups = {row["id"]: row["survivor"] for row in csv.DictReader(f)}
        if set(run.dups) != set(dedup_rows):
            log(f"  warning: {run.tool}: clusters.csv lists {len(run.dups)} documents, the "
                f"rejects CSV {len(dedup_rows)} dedup rejections")
    else:
        run.output_source = "rejects.csv (stage dedup, duplicate_of)"
        run.dups = dedup_rows


def run_peer(run: Run, corpus: Corpus, script: str, extra: list[str]) -> None:
    shutil.rmtree(run.out / "peer", ignore_errors=True)
    cmd = [str(VENV_PYTHON), str(PEERS / script), "--input", str(corpus.path),
           "--out", str(run.out / "peer"), *extra]
    measure(run, cmd)
    run.settings.update(json.loads((run.out / "peer" / "meta.json").read_text()))


def read_pairs(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t") for line in f if line.strip())


def read_datatrove(run: Run, corpus: Corpus) -> None:
    """Duplicates from datatrove's stage 3 files, mapped to ids and checked against stage 4.

    remove_ids/000000.clusters holds (document index, cluster id) for every document in a
    cluster and 000000.remove the indices removed; the index counts the documents its
    JsonlReader yields (lines with a non-empty text). Each cluster keeps one document, its
    survivor. The ids of removed/*.jsonl (the exclusion writer) must match.
    """
    folder = run.out / "peer" / "remove_ids"
    ids = []
    with corpus.path.open("rb") as f:
        for line in f:
            if line.strip():
                doc = json.loads(line)
                if doc.get("text"):
                    ids.append(str(doc["id"]))
    removed: set[int] = set()
    members: dict[int, list[int]] = {}
    remove_file, clusters_file = folder / "000000.remove", folder / "000000.clusters"
    if remove_file.exists():
        data = remove_file.read_bytes()
        removed = {int.from_bytes(data[i:i + 4], "little") for i in range(0, len(data), 4)}
    if clusters_file.exists():
        data = clusters_file.read_bytes()
        for i in range(0, len(data), 8):
            doc = int.from_bytes(data[i:i + 4], "little")
            cluster = int.from_bytes(data[i + 4:i + 8], "little")
            members.setdefault(cluster, []).append(doc)
    dups = {}
    for cluster, docs in members.items():
        keep = [d for d in docs if d not in removed]
        if len(keep) != 1:
            sys.exit(f"error: datatrove cluster {cluster} keeps {len(keep)} documents")
        for d in docs:
            if d != keep[0]:
                dups[ids[d]] = ids[keep[0]]
    excluded = set()
    for path in sorted((run.out / "peer" / "removed").glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            excluded.update(str(json.loads(line)["id"]) for line in f if line.strip())
    if excluded != set(dups):
        sys.exit(f"error: datatrove's removed documents ({len(excluded)}) do not match its "
                 f"remove file mapped to ids ({len(dups)})")
    run.dups = dups
    run.output_source = "remove_ids/*.clusters + *.remove (checked against removed/*.jsonl)"


# --------------------------------------------------------------------------------------------
# Scoring


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def roots(dups: dict[str, str], ids) -> dict[str, str]:
    """Each id's predicted cluster root, following duplicate_of chains (cycles broken)."""
    root: dict[str, str] = {}
    for start in ids:
        path, x, seen = [], start, set()
        while x in dups and x not in root and x not in seen:
            seen.add(x)
            path.append(x)
            x = dups[x]
        top = root.get(x, x)
        for y in path:
            root[y] = top
        root.setdefault(start, top)
    return root


def near_miss_scores(gold: dict[str, GoldDoc], root: dict[str, str]) -> dict:
    """Per near-miss kind (and "all"): groups, their members (near-miss documents and their
    copies), the copies among them, the pairs of members of one group that gold puts in
    different clusters, how many of those the tool merged (put in one predicted cluster), and
    the copies found (in their original's predicted cluster). Counted with Counters per group:
    pairs = C(n, 2) - sum C(gold cluster), merged = sum C(predicted cluster) - sum C(cell)."""
    members: dict[str, list[str]] = {}
    for d, g in gold.items():
        if g.near_miss_group:
            members.setdefault(g.near_miss_group, []).append(d)
    out = {kind: {"groups": 0, "documents": 0, "copies": 0, "pairs": 0, "merged": 0,
                  "copies_found": 0} for kind in [*NEAR_MISS_KINDS, "all"]}
    for group, docs in members.items():
        kind = gold[docs[0]].near_miss
        out.setdefault(kind, {k: 0 for k in out["all"]})
        gold_sizes = Counter(gold[d].cluster for d in docs)
        pred_sizes = Counter(root[d] for d in docs)
        cells = Counter((gold[d].cluster, root[d]) for d in docs)
        copies = [d for d in docs if gold[d].original]
        counts = {
            "groups": 1, "documents": len(docs), "copies": len(copies),
            "pairs": pairs(len(docs)) - sum(pairs(n) for n in gold_sizes.values()),
            "merged": (sum(pairs(n) for n in pred_sizes.values())
                       - sum(pairs(n) for n in cells.values())),
            "copies_found": sum(1 for d in copies
                                if root[d] == root.get(gold[d].original, gold[d].original)),
        }
        for key, value in counts.items():
            out[kind][key] += value
            out["all"][key] += value
    return out


def score(gold: dict[str, GoldDoc], dups: dict[str, str],
          rejected_other: dict[str, str] | None = None, near_misses: bool = False) -> dict:
    ids = list(gold)
    root = roots(dups, ids)
    cells = Counter((gold[d].cluster, root[d]) for d in ids)
    gold_sizes = Counter(g.cluster for g in gold.values())
    pred_sizes = Counter(root[d] for d in ids)
    true = sum(pairs(n) for n in cells.values())
    predicted = sum(pairs(n) for n in pred_sizes.values())
    expected = sum(pairs(n) for n in gold_sizes.values())
    precision = true / predicted if predicted else None
    recall = true / expected if expected else None
    f1 = (2 * precision * recall / (precision + recall)
          if precision and recall else (0.0 if precision is not None and recall is not None
                                        else None))
    bands = {label: [0, 0] for label, _ in BANDS}  # label -> [found, copies]
    kinds: dict[str, list[int]] = {}
    copies = found_total = 0
    for d, g in gold.items():
        if not g.original:
            continue
        copies += 1
        found = root[d] == root.get(g.original, g.original)
        found_total += found
        for label, test in BANDS:
            if test(g.jaccard, g.containment):
                bands[label][0] += found
                bands[label][1] += 1
        for kind in g.kinds or ["(none)"]:
            entry = kinds.setdefault(kind, [0, 0])
            entry[0] += found
            entry[1] += 1
    result = {
        "documents": len(ids),
        "dropped": sum(1 for d in ids if d in dups),
        "unknown_ids_in_output": sum(1 for d in dups if d not in gold),
        "true_pairs": true, "predicted_pairs": predicted, "gold_pairs": expected,
        "false_positive_pairs": predicted - true, "missed_pairs": expected - true,
        "precision": precision, "recall": recall, "f1": f1,
        "copies": copies, "copies_found": found_total,
        "copy_recall": found_total / copies if copies else None,
        "bands": {k: {"found": v[0], "copies": v[1]} for k, v in bands.items()},
        "kinds": {k: {"found": v[0], "copies": v[1]} for k, v in sorted(kinds.items())},
    }
    if near_misses:
        result["near_miss"] = near_miss_scores(gold, root)
    if rejected_other is not None:
        clustered = {g.cluster for g in gold.values() if g.original}
        result["rejected_by_other_stages"] = {
            "documents": sum(1 for d in rejected_other if d in gold),
            "gold_copies": sum(1 for d in rejected_other if d in gold and gold[d].original),
            "gold_originals": sum(1 for d in rejected_other if d in gold
                                  and not gold[d].original and gold[d].cluster in clustered),
            "by_reason": dict(Counter(rejected_other.values()).most_common()),
        }
    return result


# Above this many predicted pairs a tool's per-band pair scores are skipped: every pair gets
# its similarity measured, and a tool that merged much of the corpus into one cluster would
# ask for billions.
MAX_BAND_PAIRS = 5_000_000


def cluster_groups(root: dict[str, str], ids) -> list[list[str]]:
    """The ids of every cluster with more than one member."""
    members: dict[str, list[str]] = {}
    for d in ids:
        members.setdefault(root[d], []).append(d)
    return [group for group in members.values() if len(group) > 1]


def group_pairs(groups: list[list[str]]):
    """Every unordered pair within a group, as a sorted tuple."""
    for group in groups:
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                yield (a, b) if a < b else (b, a)


def pair_similarities(group_lists: list[list[list[str]]],
                      corpus: Corpus) -> dict[tuple[str, str], tuple[float, float]]:
    """(Jaccard, containment) of every pair within a group, measured as the corpus generator
    measures its copies (word 5-gram sets of the text field). Texts are read back by offset,
    a group at a time, so memory holds one group's shingle sets."""
    wanted = {d for groups in group_lists for group in groups for d in group}
    offsets: dict[str, int] = {}
    with corpus.path.open("rb") as f:
        offset = 0
        for line in f:
            if line.strip():
                doc_id = json.loads(line).get("id")
                if doc_id in wanted:
                    offsets[doc_id] = offset
            offset += len(line)
    missing = wanted - offsets.keys()
    if missing:
        sys.exit(f"error: {len(missing)} clustered ids are not in {corpus.path.name}, e.g. "
                 f"{sorted(missing)[0]}")
    sims: dict[tuple[str, str], tuple[float, float]] = {}
    with corpus.path.open("rb") as f:
        def shingle_set(d: str) -> set[int]:
            f.seek(offsets[d])
            return corpus_shingles(json.loads(f.readline()).get("text") or "")

        for groups in group_lists:
            for group in groups:
                todo = [pair for pair in group_pairs([group]) if pair not in sims]
                if not todo:
                    continue  # the same cluster as gold's or an earlier tool's
                sets = {d: shingle_set(d) for pair in todo for d in pair}
                for a, b in todo:
                    sims[(a, b)] = corpus_similarity(sets[a], sets[b])
    return sims


def band_pair_scores(groups: list[list[str]], gold_pairs: set[tuple[str, str]],
                     sims: dict[tuple[str, str], tuple[float, float]]) -> dict:
    """Pair precision, recall and F1 within each difficulty band, a pair's band being its own
    measured Jaccard (and containment): predicted pairs in the band against gold pairs in
    it."""
    predicted = set(group_pairs(groups))
    result = {}
    for label, test in BANDS:
        pred = {k for k in predicted if test(*sims[k])}
        gold_in = {k for k in gold_pairs if test(*sims[k])}
        true = len(pred & gold_in)
        precision = true / len(pred) if pred else None
        recall = true / len(gold_in) if gold_in else None
        # No pair found in a band that has some (or only wrong ones): F1 0.
        f1 = (2 * precision * recall / (precision + recall) if true
              else 0.0 if pred or gold_in else None)
        result[label] = {"predicted": len(pred), "gold": len(gold_in), "true": true,
                         "precision": precision, "recall": recall, "f1": f1}
    return result


def score_bands(runs: list[Run], gold: dict[str, GoldDoc], corpus: Corpus) -> None:
    """Adds each run's per-band pair scores (score["pair_bands"]; None for a run with more
    than MAX_BAND_PAIRS predicted pairs)."""
    ids = list(gold)
    gold_groups = cluster_groups({d: gold[d].cluster for d in ids}, ids)
    scored = [r for r in runs if r.score["predicted_pairs"] <= MAX_BAND_PAIRS]
    for r in runs:
        if r not in scored:
            r.score["pair_bands"] = None
            log(f"  {r.tool}: {r.score['predicted_pairs']} predicted pairs, over "
                f"{MAX_BAND_PAIRS}: no per-band pair scores")
    run_groups = [cluster_groups(roots(r.dups, ids), ids) for r in scored]
    sims = pair_similarities([gold_groups, *run_groups], corpus)
    gold_pairs = set(group_pairs(gold_groups))
    for run, groups in zip(scored, run_groups):
        run.score["pair_bands"] = band_pair_scores(groups, gold_pairs, sims)


# --------------------------------------------------------------------------------------------
# Reporting


def fmt(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def pct(found: int, total: int) -> str:
    return "-" if not total else f"{found / total:.3f}"


def markdown(header: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right if right is not None else set(range(1, len(header)))
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if i in right else (":" + "-" * (w + 1))
                         for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), sep, *[line(r) for r in rows]])


def describe_settings(run: Run) -> str:
    s = run.settings
    if run.tool in NEWSCLEAN_TOOLS:
        return s["summary"]
    if run.tool == "datasketch":
        return (f"datasketch {s['version']}: MinHash(num_perm={s['num_perm']}, scheme "
                f"{s['scheme']}, seed 1), MinHashLSH(threshold={s['threshold']}) -> "
                f"{s['bands']} bands x {s['rows']} rows; shingle {s['shingle']}")
    if run.tool == "rensa":
        return (f"rensa {s['version']}: RMinHash(num_perm={s['num_perm']}, seed {s['seed']}), "
                f"RMinHashLSH(threshold={s['threshold']}, num_perm={s['num_perm']}, "
                f"num_bands={s['bands']}) -> {s['rows']} rows; shingle {s['shingle']}")
    return (f"datatrove {s['version']}: MinhashConfig(n_grams={s['shingle']}, "
            f"num_buckets={s['bands']}, hashes_per_bucket={s['rows']}, seed {s['seed']}, "
            f"{s['hash']}), stage 2 on {s['workers']} worker(s); no threshold (any bucket "
            f"match); stage seconds {', '.join(f'{x:.1f}' for x in s['stage_seconds'])}")


def print_report(runs: list[Run], corpus: Corpus, settings: dict, versions: dict | None,
                 binary_note: str, commit: str, lsh: dict, clusters_flag: bool) -> None:
    nproc = run_text(["nproc"])
    print(f"# newsclean dedup benchmark: {corpus.label}")
    print()
    print(f"- machine: {nproc} cores (nproc), {cpu_model()}; python {platform.python_version()}")
    print(f"- newsclean: commit {commit}; binary {binary_note}, measured as "
          f"{measured_binary.relative_to(REPO)}; --clusters flag "
          f"{'present' if clusters_flag else 'absent (duplicates read from the rejects CSV)'}")
    if versions:
        print("- peers (venv " + str(VENV.relative_to(REPO)) + "): "
              + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"- corpus: {corpus.path.relative_to(REPO) if corpus.path.is_relative_to(REPO) else corpus.path}"
          f", {corpus.docs} documents, {corpus.bytes / MB:.1f} MB; gold "
          f"{corpus.gold_path.name}")
    defaulted = (f" (defaults used for {', '.join(settings['defaulted'])})"
                 if settings["defaulted"] else "")
    source = "pipeline.toml [dedup]"
    if settings["overrides"]:
        source += f" ({', '.join(settings['overrides'])} from the command line)"
    print(f"- settings from {source}: shingle {settings['shingle']}, permutations "
          f"{settings['permutations']}, threshold {settings['threshold']}{defaulted}; "
          f"datasketch's bands x rows for them: {lsh['datasketch'][0]} x {lsh['datasketch'][1]}"
          f"; rensa/datatrove use {lsh['peer'][0]} x {lsh['peer'][1]} (--peer-bands "
          f"{lsh['mode']})")
    print("- settings per tool:")
    for run in runs:
        print(f"  - {run.tool}: {describe_settings(run)}; duplicates from {run.output_source}")
    print()

    rows = []
    for r in runs:
        s = r.score
        rows.append([r.tool, str(r.threads), f"{r.wall:.2f}", f"{corpus.docs / r.wall:.0f}",
                     f"{corpus.bytes / MB / r.wall:.2f}", f"{r.rss_kb * 1024 / MB:.0f}",
                     f"{100 * r.cpu / r.wall:.0f}", str(s["dropped"]), fmt(s["precision"]),
                     fmt(s["recall"]), fmt(s["f1"]), str(s["false_positive_pairs"])])
    print("Speed and pair scores (one run each, sequential; CPU% = user+sys over wall; dropped ="
          " documents the tool removed as duplicates; FP pairs = predicted same-cluster pairs "
          "not in gold)")
    print()
    print(markdown(["tool", "-j", "wall s", "docs/s", "MB/s", "peak RSS MB", "CPU%", "dropped",
                    "precision", "recall", "F1", "FP pairs"], rows, set(range(1, 12))))
    print()

    ours = [r for r in runs if r.tool in NEWSCLEAN_TOOLS]
    peers = [r for r in runs if r.tool in PEER_TOOLS]
    if ours and peers:
        print("Speed ratios: newsclean MB/s / peer MB/s, same run (above 1 = newsclean faster)")
        print()
        print(markdown(["", *[p.tool for p in peers]],
                       [[o.tool, *[f"{p.wall / o.wall:.2f}" for p in peers]] for o in ours]))
        print()

    first = runs[0].score
    print("Copy recall per Jaccard band of the copy with its original (a copy is found when it "
          "lands in its original's predicted cluster; contained = containment >= 0.9 and "
          "Jaccard < 0.7, overlapping the other bands)")
    print()
    band_rows = [[label, str(first["bands"][label]["copies"]),
                  *[pct(r.score["bands"][label]["found"], r.score["bands"][label]["copies"])
                    for r in runs]] for label, _ in BANDS]
    band_rows.append(["all copies", str(first["copies"]),
                      *[pct(r.score["copies_found"], r.score["copies"]) for r in runs]])
    print(markdown(["Jaccard band", "copies", *[r.tool for r in runs]], band_rows))
    print()
    print("Pair F1 per band (precision / recall in brackets): a pair's band is its own word-5-gram "
          "Jaccard, measured like the copies'; predicted pairs in the band against gold pairs "
          "in it, so a false merge counts against the band its two documents fall in")
    print()
    pair_rows = []
    for label, _ in BANDS:
        cells, gold_count = [], "-"
        for r in runs:
            if r.score["pair_bands"] is None:
                cells.append("n/a (too many pairs)")
                continue
            s = r.score["pair_bands"][label]
            gold_count = str(s["gold"])
            cells.append(f"{fmt(s['f1'])} ({fmt(s['precision'])} / {fmt(s['recall'])})")
        pair_rows.append([label, gold_count, *cells])
    print(markdown(["Jaccard band", "gold pairs", *[r.tool for r in runs]], pair_rows))
    print()

    print("Copy recall per transformation kind (a copy counts under every kind it has)")
    print()
    kind_rows = [[kind, str(v["copies"]),
                  *[pct(r.score["kinds"][kind]["found"], r.score["kinds"][kind]["copies"])
                    for r in runs]] for kind, v in first["kinds"].items()]
    print(markdown(["kind", "copies", *[r.tool for r in runs]], kind_rows))
    print()

    if "near_miss" in first:
        print("Near-miss pairs merged: pairs of members of one near-miss group (members = its "
              "distinct documents and their copies) that gold puts in different clusters; a "
              "cell is the pairs the tool put in one predicted cluster (false merges, lower is "
              "better), then its recall on the groups' copies in brackets")
        print()
        nm_rows = []
        for kind, v in first["near_miss"].items():
            label = "all near misses" if kind == "all" else kind
            nm_rows.append([label, str(v["groups"]), str(v["documents"]), str(v["copies"]),
                            str(v["pairs"]), *[
                                f"{r.score['near_miss'][kind]['merged']} "
                                f"({pct(r.score['near_miss'][kind]['copies_found'], v['copies'])})"
                                for r in runs]])
        nm_rows.append(["pair precision / recall / F1", "", "", "", "", *[
            f"{fmt(r.score['precision'])} / {fmt(r.score['recall'])} / {fmt(r.score['f1'])}"
            for r in runs]])
        print(markdown(["near-miss kind", "groups", "members", "copies", "pairs",
                        *[r.tool for r in runs]], nm_rows))
        print()

    for r in ours:
        stages = (r.report or {}).get("stage_seconds") or {}
        line = f"- {r.tool}: "
        if "dedup" in stages:
            line += (f"dedup stage {stages['dedup']:.2f} s of the report's "
                     f"{r.report.get('seconds', float('nan')):.2f} s")
        else:
            line += "report.json has no stage_seconds.dedup"
        other = r.score.get("rejected_by_other_stages")
        if other and other["documents"]:
            reasons = ", ".join(f"{k} {v}" for k, v in other["by_reason"].items())
            line += (f"; {other['documents']} documents rejected other than as duplicates "
                     f"({other['gold_copies']} gold copies, {other['gold_originals']} gold "
                     f"originals with copies): {reasons}")
        elif other is not None:
            line += "; no document rejected other than as a duplicate"
        print(line)
    unknown = [r for r in runs if r.score["unknown_ids_in_output"]]
    for r in unknown:
        print(f"- warning: {r.tool} listed {r.score['unknown_ids_in_output']} ids not in gold")
    print()
    print("One run on a shared machine: compare tools by the ratios above, not by absolute "
          "seconds.")


# --------------------------------------------------------------------------------------------
# Main


def main() -> None:
    args = parse_args()
    if not Path(TIME).exists():
        sys.exit(f"error: {TIME} (GNU time) not found: install the `time` package")
    DEDUP_WORK.mkdir(parents=True, exist_ok=True)
    tools = args.tool_list
    wants_newsclean = any(t in NEWSCLEAN_TOOLS for t in tools)
    wants_peers = any(t in PEER_TOOLS for t in tools)

    global measured_binary
    binary_note, commit = "not used", "-"
    if wants_newsclean:
        binary_note = build_binary(args.no_build, BINARY)
        commit = git_commit()
        measured_binary = snapshot_binary()
    versions = ensure_venv(args.no_install) if wants_peers else None
    if versions:
        log("peer versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    corpus = ensure_corpus(args)
    gold, near_miss_fields = load_gold(corpus.gold_path)
    settings, section = read_settings(args)
    shingle, perms, threshold = (settings["shingle"], settings["permutations"],
                                 settings["threshold"])
    ds_bands = optimal_bands(threshold, perms, exact=False)
    peer_bands = ds_bands if args.peer_bands == "datasketch" else optimal_bands(
        threshold, perms, exact=True)
    lsh = {"datasketch": ds_bands, "peer": peer_bands, "mode": args.peer_bands}
    log(f"settings: shingle {shingle}, permutations {perms}, threshold {threshold}; datasketch "
        f"bands x rows {ds_bands[0]} x {ds_bands[1]}; rensa/datatrove {peer_bands[0]} x "
        f"{peer_bands[1]}")

    configs, clusters_flag = {}, False
    if wants_newsclean:
        stages = stage_sections(tomllib.loads(DEFAULT_CONFIG.read_text()))
        # Shared-paragraph removal is cleaning, not duplicate detection, and no peer does it.
        configs["newsclean"] = variant_config(
            "dedup-only", (set(stages) - DEDUP_ONLY_STAGES) | {"dedup.paragraphs"},
            args.overrides)
        configs["newsclean-full"] = variant_config("full", set(), args.overrides)
        clusters_flag = newsclean_has_clusters_flag()
    ns_summary = ("newsclean [dedup] " + ", ".join(
        f"{k} = {json.dumps(v)}" for k, v in section.items() if not isinstance(v, dict)))

    runs_dir = DEDUP_WORK / f"{corpus.label}-runs"
    warm_cache(corpus.path)
    runs: list[Run] = []
    for i, tool in enumerate(tools, 1):
        threads = args.threads if tool in NEWSCLEAN_TOOLS | {"datatrove-par"} else 1
        run = Run(tool, threads, runs_dir / tool)
        shutil.rmtree(run.out, ignore_errors=True)
        run.out.mkdir(parents=True)
        log(f"[{i}/{len(tools)}] {tool} ...")
        common = ["--shingle", str(shingle), "--threshold", str(threshold)]
        peer_perm = ["--permutations", str(peer_bands[0] * peer_bands[1]),
                     "--bands", str(peer_bands[0])]
        if tool in NEWSCLEAN_TOOLS:
            config = configs[tool]
            run.settings = {"config": str(config), "summary": (
                f"{ns_summary}; config {config.relative_to(REPO)} ("
                + ("only normalize and dedup enabled, [dedup.paragraphs] off" if tool == "newsclean" else
                   "pipeline.toml as it is") + ")")}
            run_newsclean(run, corpus, config, clusters_flag)
        elif tool == "datasketch":
            run_peer(run, corpus, "datasketch_run.py",
                     [*common, "--permutations", str(perms)])
            if (run.settings["bands"], run.settings["rows"]) != ds_bands:
                log(f"  warning: datasketch chose {run.settings['bands']} x "
                    f"{run.settings['rows']}, this script computed {ds_bands}")
            run.dups = read_pairs(run.out / "peer" / "dups.tsv")
            run.output_source = "dups.tsv"
        elif tool == "rensa":
            run_peer(run, corpus, "rensa_run.py", [*common, *peer_perm])
            run.dups = read_pairs(run.out / "peer" / "dups.tsv")
            run.output_source = "dups.tsv"
        else:
            run_peer(run, corpus, "datatrove_run.py",
                     [*common, *peer_perm, "--workers", str(threads)])
            read_datatrove(run, corpus)
        run.score = score(gold, run.dups,
                          run.rejected_other if tool in NEWSCLEAN_TOOLS else None,
                          near_miss_fields)
        s = run.score
        merged = (f", near-miss pairs merged {s['near_miss']['all']['merged']}/"
                  f"{s['near_miss']['all']['pairs']}" if near_miss_fields else "")
        log(f"  {run.wall:.2f} s, {run.rss_kb * 1024 / MB:.0f} MB, dropped {s['dropped']}, "
            f"P {fmt(s['precision'])} R {fmt(s['recall'])} F1 {fmt(s['f1'])}{merged}")
        runs.append(run)

    log("scoring pairs by band (measuring their similarity) ...")
    score_bands(runs, gold, corpus)
    print_report(runs, corpus, settings, versions, binary_note, commit, lsh, clusters_flag)
    results = {
        "corpus": {"label": corpus.label, "path": str(corpus.path), "documents": corpus.docs,
                   "bytes": corpus.bytes, "gold": str(corpus.gold_path),
                   "near_miss_fields": near_miss_fields,
                   "seed": None if args.corpus else args.seed},
        "machine": {"nproc": int(run_text(["nproc"])), "cpu": cpu_model()},
        "commit": commit, "binary": binary_note, "clusters_flag": clusters_flag,
        "peer_versions": versions,
        "settings": {"shingle": shingle, "permutations": perms, "threshold": threshold,
                     "defaulted": settings["defaulted"], "overrides": args.overrides,
                     "newsclean_dedup_section": section,
                     "datasketch_bands_rows": ds_bands, "peer_bands_rows": peer_bands,
                     "peer_bands_mode": args.peer_bands},
        "threads": args.threads,
        "tools": {r.tool: {
            "threads": r.threads, "wall_seconds": r.wall, "peak_rss_bytes": r.rss_kb * 1024,
            "cpu_seconds": r.cpu, "docs_per_second": corpus.docs / r.wall,
            "mb_per_second": corpus.bytes / MB / r.wall, "settings": r.settings,
            "output_source": r.output_source,
            "stage_seconds": (r.report or {}).get("stage_seconds"),
            **r.score} for r in runs},
        "ratios_newsclean_over_peer_mb_per_s": {
            o.tool: {p.tool: p.wall / o.wall for p in runs if p.tool in PEER_TOOLS}
            for o in runs if o.tool in NEWSCLEAN_TOOLS},
    }
    suffix = "".join(f"-{k}{v}" for k, v in args.overrides.items())
    path = DEDUP_WORK / f"results-{corpus.label}{suffix}.json"
    path.write_text(json.dumps(results, indent=1) + "\n")
    log(f"wrote {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
