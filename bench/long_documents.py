#!/usr/bin/env python3
"""Long-document benchmark: how each stage's time grows with one document's length.

    python3 bench/long_documents.py [--sizes 400,4000] [--no-build]

Builds single documents of N paragraphs from BBC paragraphs (../shared/corpora/bbc, drawn
with a fixed seed, 10% of them repeated later with a word changed, as a live blog or a
transcript repeats itself), runs the default pipeline on each (one document per run, -j 1,
dedup off: a lone document has nothing to deduplicate) and prints the report's seconds per
stage for each size and the ratio between consecutive sizes. A stage linear in document
length shows a ratio near the size ratio (10 for 400 -> 4,000 paragraphs); the target is at
most 1.2x that.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import machine  # noqa: E402

REPO = machine.REPO
BBC = REPO.parent / "shared" / "corpora" / "bbc"
BINARY = REPO / "target" / "release" / "newsclean"


def paragraphs() -> list[str]:
    out = []
    for path in sorted(BBC.glob("*/*.txt")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        out.extend(p.strip() for p in text.split("\n")[1:] if len(p.split()) >= 8)
    return out


def document(pool: list[str], n: int, rng: random.Random) -> str:
    chosen = [rng.choice(pool) for _ in range(n)]
    for _ in range(n // 10):
        words = rng.choice(chosen).split()
        words[rng.randrange(len(words))] = "meanwhile"
        chosen.insert(rng.randrange(len(chosen) + 1), " ".join(words))
    return "\n\n".join(chosen[:n])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="400,4000", help="paragraph counts, comma-separated")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not BBC.exists():
        sys.exit(f"error: {BBC} not found (the shared corpora sit beside the repo)")
    build = machine.build_binary(args.no_build, BINARY)
    sizes = [int(s) for s in args.sizes.split(",")]
    pool = paragraphs()
    rng = random.Random(7)
    print(f"commit {machine.git_commit()}, binary {build}, CPU {machine.cpu_model()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        config = machine.config_variant(tmp / "pipeline.toml", {"dedup"}, BINARY)
        seconds, megabytes = {}, {}
        for n in sizes:
            text = document(pool, n, rng)
            megabytes[n] = len(text.encode()) / 1e6
            (tmp / "doc.jsonl").write_text(json.dumps({"id": f"long-{n}", "text": text}) + "\n")
            subprocess.run([str(BINARY), "run", "-q", "-j", "1", "-c", str(config), "-o",
                            str(tmp / "out.csv"), "--report", str(tmp / "report.json"),
                            str(tmp / "doc.jsonl")], check=True)
            seconds[n] = json.loads((tmp / "report.json").read_text())["stage_seconds"]
    stages = list(seconds[sizes[0]])
    head = "| stage | " + " | ".join(f"{n} paragraphs ({megabytes[n]:.2f} MB)" for n in sizes)
    ratios = [f"{b}/{a}" for a, b in zip(sizes, sizes[1:])]
    print(head + " | " + " | ".join(f"ratio {r} (size x{b / a:.0f})" for r, (a, b) in
                                     zip(ratios, zip(sizes, sizes[1:]))) + " |")
    print("|---" * (1 + len(sizes) + len(ratios)) + "|")
    for stage in stages + ["(all stages)"]:
        t = {n: (sum(seconds[n].values()) if stage == "(all stages)" else seconds[n][stage])
             for n in sizes}
        cells = [f"{t[n]:.4f} s" for n in sizes]
        cells += [f"{t[b] / t[a]:.1f}" if t[a] > 0 else "-" for a, b in zip(sizes, sizes[1:])]
        print(f"| {stage} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
