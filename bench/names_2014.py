#!/usr/bin/env python3
"""Builds the 2014 Ukraine coverage dump for bench/names.py from two public sources:

- ramybaly/Article-Bias-Prediction (Apache-2.0 code; the article texts are their publishers'):
  data/jsons/*.json, US news articles collected through AllSides, with date, title, URL and
  the body text (`content_original`). Kept: dated 2014, mentioning Ukraine, Kiev or Kyiv.
- koheiw/wordvector (Apache-2.0; texts are the wire services'): data/data_corpus_news2014.rda,
  20,000 Yahoo News RSS items of 2014 ("headline. lead"), many from Reuters and AP. Kept: those
  mentioning Ukraine, Kiev or Kyiv. Read with the `rdata` package.

Writes JSONL {"id", "title", "text", "date", "url"} sorted by date and id. Texts are used
for measurement only and are not committed.

Usage: python3 bench/names_2014.py OUT.jsonl [--abp PATH] [--news2014 FILE]
  --abp       a folder holding data/jsons, or a git directory of the repository
  --news2014  the .rda file
Either missing is downloaded into bench/work/names/.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import urllib.request

import abp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "bench", "work", "names")
VENV = os.path.join(ROOT, "bench", "work", "names-bench-venv")
PACKAGES = ["rdata==1.1.0"]
NEWS2014_URL = ("https://github.com/koheiw/wordvector/raw/"
                "a2701a55e394ce1f6cb877f41fa3be1dbaded030/data/data_corpus_news2014.rda")
UKRAINE = re.compile(r"Ukrain|Kiev|Kyiv")


def ensure_venv():
    """Re-executes this script with the venv's python, creating the venv when missing."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    python = os.path.join(VENV, "bin", "python")
    ready = os.path.join(VENV, ".packages")
    if not os.path.exists(ready):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", *PACKAGES], check=True)
        with open(ready, "w") as f:
            f.write("\n".join(PACKAGES))
    os.execv(python, [python, *sys.argv])


def abp_docs(path):
    seen = set()
    for d in abp.articles(path):
        date = (d.get("date") or "").strip()
        if not re.fullmatch(r"2014-\d\d-\d\d", date):
            continue
        title = (d.get("title") or "").strip()
        text = (d.get("content_original") or "").strip()
        url = (d.get("url") or "").strip()
        if not UKRAINE.search(title + "\n" + text) or (url or d["ID"]) in seen:
            continue
        seen.add(url or d["ID"])
        yield {"id": "abp-" + d["ID"], "title": title, "text": text, "date": date, "url": url}


def tag_name(node):
    tag = node.tag
    while tag is not None and hasattr(tag, "value") and not isinstance(tag.value, (bytes, str)):
        tag = tag.value
    return getattr(tag, "value", tag)


def news2014_docs(path):
    """The quanteda corpus's texts with their docnames and dates."""
    import rdata
    corpus = rdata.parser.parse_file(path).object.value[0]
    texts = [x.value.decode("utf-8") if x.value is not None else "" for x in corpus.value]
    columns = {}
    attr = corpus.attributes
    while attr is not None and attr.info.type.name == "LIST":
        if tag_name(attr) == b"docvars":
            frame = attr.value[0]
            names, at = None, frame.attributes
            while at is not None and at.info.type.name == "LIST":
                value = at.value[0]
                if names is None and value.info.type.name == "STR" and tag_name(at) in (b"names", None):
                    names = [x.value.decode() for x in value.value]
                at = at.value[1]
            for name, column in zip(names, frame.value):
                columns[name] = column.value
        attr = attr.value[1]
    docnames = [x.value.decode() for x in columns["docname_"]]
    epoch = datetime.date(1970, 1, 1)
    for name, days, text in zip(docnames, columns["date"], texts):
        if not UKRAINE.search(text):
            continue
        date = (epoch + datetime.timedelta(days=int(days))).isoformat()
        # "headline. lead": the headline is the title; the whole item stays the text.
        m = re.match(r"(.{10,200}?)\. (?=[A-Z\"'])", text)
        yield {"id": "yahoo2014-" + name, "title": m.group(1) if m else "", "text": text,
               "date": date, "url": ""}


def download(url, name):
    path = os.path.join(WORK, name)
    if not os.path.exists(path):
        print(f"downloading {url} ...", file=sys.stderr)
        urllib.request.urlretrieve(url, path + ".part")
        os.rename(path + ".part", path)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--abp")
    parser.add_argument("--news2014")
    args = parser.parse_args()
    ensure_venv()
    os.makedirs(WORK, exist_ok=True)
    source = args.abp or abp.download()
    news2014 = args.news2014 or download(NEWS2014_URL, "data_corpus_news2014.rda")
    docs = sorted([*abp_docs(source), *news2014_docs(news2014)], key=lambda d: (d["date"], d["id"]))
    with open(args.out, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"wrote {len(docs)} documents to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
