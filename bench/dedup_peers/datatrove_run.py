#!/usr/bin/env python3
"""Peer for bench/dedup.py: datatrove's 4-stage MinhashDedup pipeline on LocalPipelineExecutor.

Stages, each its own LocalPipelineExecutor run in this process, one after the other:
  1. JsonlReader -> MinhashDedupSignature   1 task (one input file = one shard)
  2. MinhashDedupBuckets                    num_buckets tasks (datatrove requires tasks to be a
                                            multiple of num_buckets), `--workers` processes
  3. MinhashDedupCluster (save_cluster_id)  1 task (datatrove requires it)
  4. JsonlReader -> MinhashDedupFilter(load_cluster_ids, exclusion_writer) -> JsonlWriter
                                            1 task; kept documents go to OUT/output/, removed
                                            ones to OUT/removed/, both with
                                            metadata.minhash_cluster_id (-1 = no cluster)
With --workers 1 every task runs in this process; with more, stage 2's tasks run in a pool of
that many processes (stages 1, 3 and 4 cannot use more than one task on one input file).

Settings: MinhashConfig(n_grams=--shingle, num_buckets=--bands, hashes_per_bucket=--rows,
seed 1, 64-bit xxhash); bench/dedup.py passes the same (bands, rows) as to rensa:
datasketch's choice for the threshold, --permutations = bands x rows. datatrove has no threshold and no verification: two
documents are duplicates when any bucket's signatures are equal. Its text normalization is
switched off (TextNormConfig with only lowercase on) and its word tokenizer replaced by
re.findall(r"\\w+") through the WordTokenizer interface, so shingles are the same word n-grams
as for the other tools. A document with fewer than n_grams words gets no signature and is kept.
Within a cluster datatrove keeps the union-find root (union by size), not the earliest
document. Run by the venv's python.
"""

import argparse
import json
import re
import shutil
import time
from importlib.metadata import version
from pathlib import Path

from datatrove.executor.local import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from datatrove.utils.hashing import HashConfig
from datatrove.utils.text import TextNormConfig
from datatrove.utils.word_tokenizers import WordTokenizer

WORD = re.compile(r"\w+")


class WordRegexTokenizer(WordTokenizer):
    """re.findall(r"\\w+"), the tokenization every tool in bench/dedup.py shares."""

    def word_tokenize(self, text: str) -> list[str]:
        return WORD.findall(text)

    def sent_tokenize(self, text: str) -> list[str]:
        return [text]

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in WORD.finditer(text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--shingle", type=int, required=True)
    parser.add_argument("--permutations", type=int, required=True)
    parser.add_argument("--threshold", type=float, required=True, help="recorded only")
    parser.add_argument("--bands", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if args.permutations % args.bands:
        parser.error("--bands must divide --permutations")
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)  # executors skip tasks they find completed
    out.mkdir(parents=True)
    started = time.perf_counter()
    src = Path(args.input)
    config = MinhashConfig(
        n_grams=args.shingle,
        num_buckets=args.bands,
        hashes_per_bucket=args.permutations // args.bands,
        norm_config=TextNormConfig(lowercase=True, norm_whitespace=False,
                                   remove_punctuation=False, norm_unicode_diacritics=False,
                                   norm_numbers=False, norm_weekdays=False,
                                   norm_monthnames=False),
        hash_config=HashConfig(precision=64, hash_fc="xxhash"),
    )

    def reader() -> JsonlReader:
        return JsonlReader(str(src.parent), glob_pattern=src.name, text_key="text",
                           id_key="id", compression=None)

    logs = out / "logs"
    stages = [
        LocalPipelineExecutor(
            pipeline=[reader(), MinhashDedupSignature(output_folder=str(out / "signatures"),
                                                      config=config,
                                                      language=WordRegexTokenizer())],
            tasks=1, workers=1, logging_dir=str(logs / "1-signatures")),
        LocalPipelineExecutor(
            pipeline=[MinhashDedupBuckets(input_folder=str(out / "signatures"),
                                          output_folder=str(out / "buckets"), config=config)],
            tasks=config.num_buckets, workers=args.workers, logging_dir=str(logs / "2-buckets")),
        LocalPipelineExecutor(
            pipeline=[MinhashDedupCluster(input_folder=str(out / "buckets"),
                                          output_folder=str(out / "remove_ids"), config=config,
                                          save_cluster_id=True)],
            tasks=1, workers=1, logging_dir=str(logs / "3-clusters")),
        LocalPipelineExecutor(
            pipeline=[reader(),
                      MinhashDedupFilter(input_folder=str(out / "remove_ids"),
                                         load_cluster_ids=True,
                                         exclusion_writer=JsonlWriter(str(out / "removed"),
                                                                      compression=None)),
                      JsonlWriter(str(out / "output"), compression=None)],
            tasks=1, workers=1, logging_dir=str(logs / "4-filter")),
    ]
    stage_seconds = []
    for executor in stages:
        t = time.perf_counter()
        executor.run()
        stage_seconds.append(time.perf_counter() - t)
    meta = {
        "library": "datatrove", "version": version("datatrove"), "shingle": args.shingle,
        "num_perm": args.permutations, "threshold": args.threshold,
        "bands": config.num_buckets, "rows": config.hashes_per_bucket,
        "workers": args.workers, "hash": str(config.hash_config), "seed": config.seed,
        "stage_seconds": stage_seconds, "seconds": time.perf_counter() - started,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
