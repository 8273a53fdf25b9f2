#!/usr/bin/env python3
"""Peer for bench/dedup.py: rensa R-MinHash + RMinHashLSH, the streaming "first survives" loop.

Same loop as datasketch_run.py: for every document in file order, word shingles of `--shingle`
words over text.lower() tokenized as re.findall(r"\\w+") (a document shorter than that is one
shingle of all its words; a document without words is kept and never indexed), an RMinHash of
`--permutations` slots (full-set R-MinHash, seed 42 -- not the sampled "rho" sketch), then
RMinHashLSH.query: with any candidate the document is a duplicate of the earliest-inserted
candidate (its cluster's survivor); otherwise it is inserted. Candidates are not verified.

RMinHashLSH needs bands dividing num_perm exactly. bench/dedup.py passes datasketch's own
(bands, rows) for the threshold with --permutations = bands x rows (the same banding as the
datasketch peer), or with --peer-bands divisor the best (bands, rows) by datasketch's criterion
among bands x rows = permutations. Sketches are built a chunk of documents at a time with
RMinHash.from_token_sets (rensa's batch API; the same signatures as one update per document);
the LSH loop itself is sequential, as the first-survives order requires.

Writes OUT/dups.tsv, OUT/kept.jsonl and OUT/meta.json. Run by the venv's python.
"""

import argparse
import json
import re
import time
from importlib.metadata import version
from pathlib import Path

from rensa import RMinHash, RMinHashLSH

WORD = re.compile(r"\w+")
CHUNK = 1024
SEED = 42


def shingles(text: str, n: int) -> list[str]:
    words = WORD.findall(text.lower())
    if len(words) <= n:
        return [" ".join(words)] if words else []
    return list({" ".join(words[i:i + n]) for i in range(len(words) - n + 1)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--shingle", type=int, required=True)
    parser.add_argument("--permutations", type=int, required=True)
    parser.add_argument("--threshold", type=float, required=True)
    parser.add_argument("--bands", type=int, required=True)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    lsh = RMinHashLSH(args.threshold, args.permutations, args.bands)
    ids: list[str] = []  # insertion key -> document id
    docs = dups = 0
    with open(args.input, "rb") as src, open(out / "dups.tsv", "w", encoding="utf-8") as dup_f, \
            open(out / "kept.jsonl", "wb") as kept_f:

        def flush(chunk: list[tuple[bytes, str, list[str]]]) -> None:
            nonlocal dups
            with_words = [grams for _, _, grams in chunk if grams]
            sketches = iter(RMinHash.from_token_sets(with_words, args.permutations, SEED))
            for line, doc_id, grams in chunk:
                if grams:
                    m = next(sketches)
                    candidates = lsh.query(m)
                    if candidates:
                        dup_f.write(f"{doc_id}\t{ids[min(candidates)]}\n")
                        dups += 1
                        continue
                    lsh.insert(len(ids), m)
                    ids.append(doc_id)
                kept_f.write(line)

        chunk = []
        for line in src:
            if not line.strip():
                continue
            doc = json.loads(line)
            docs += 1
            chunk.append((line, doc["id"], shingles(doc.get("text") or "", args.shingle)))
            if len(chunk) == CHUNK:
                flush(chunk)
                chunk = []
        flush(chunk)
    meta = {
        "library": "rensa", "version": version("rensa"), "sketch": "RMinHash (full set)",
        "seed": SEED, "shingle": args.shingle, "num_perm": args.permutations,
        "threshold": args.threshold, "bands": lsh.get_num_bands(),
        "rows": args.permutations // lsh.get_num_bands(),
        "documents": docs, "duplicates": dups, "seconds": time.perf_counter() - started,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
