#!/usr/bin/env python3
"""Peer for bench/dedup.py: datasketch MinHash + MinHashLSH, the streaming "first survives" loop.

For every document in file order: word shingles of `--shingle` words over text.lower()
tokenized as re.findall(r"\\w+") (a document shorter than that is one shingle of all its words;
a document without words is kept and never indexed), a MinHash of `--permutations` hash
functions (datasketch's default scheme and hash, seed 1), then MinHashLSH.query: with any
candidate the document is a duplicate of the earliest-inserted candidate (only survivors are
inserted, so that candidate is its cluster's survivor); otherwise it is inserted. Candidates
are not verified against the threshold: MinHashLSH returns band matches, as text-dedup uses
them. MinHashLSH(threshold, num_perm) picks its own bands and rows.

Writes OUT/dups.tsv (dropped id, survivor id), OUT/kept.jsonl (the kept lines as read) and
OUT/meta.json (library version, effective settings). Run by the venv's python.
"""

import argparse
import json
import re
import time
from pathlib import Path

import datasketch
from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+")


def shingles(text: str, n: int) -> set[bytes]:
    words = WORD.findall(text.lower())
    if len(words) <= n:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + n]).encode() for i in range(len(words) - n + 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--shingle", type=int, required=True)
    parser.add_argument("--permutations", type=int, required=True)
    parser.add_argument("--threshold", type=float, required=True)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.permutations)
    ids: list[str] = []  # insertion key -> document id
    docs = dups = 0
    with open(args.input, "rb") as src, open(out / "dups.tsv", "w", encoding="utf-8") as dup_f, \
            open(out / "kept.jsonl", "wb") as kept_f:
        for line in src:
            if not line.strip():
                continue
            doc = json.loads(line)
            docs += 1
            grams = shingles(doc.get("text") or "", args.shingle)
            if grams:
                m = MinHash(num_perm=args.permutations)
                m.update_batch(list(grams))
                candidates = lsh.query(m)
                if candidates:
                    dup_f.write(f"{doc['id']}\t{ids[min(candidates)]}\n")
                    dups += 1
                    continue
                lsh.insert(len(ids), m, check_duplication=False)
                ids.append(doc["id"])
            kept_f.write(line)
    meta = {
        "library": "datasketch", "version": datasketch.__version__,
        "shingle": args.shingle, "num_perm": args.permutations, "threshold": args.threshold,
        "bands": lsh.b, "rows": lsh.r, "hashed_permutations_used": lsh.b * lsh.r,
        "scheme": MinHash(num_perm=args.permutations).scheme,
        "documents": docs, "duplicates": dups, "seconds": time.perf_counter() - started,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
