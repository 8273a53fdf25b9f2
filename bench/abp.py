"""ramybaly/Article-Bias-Prediction, read for the benchmarks: 37,554 US news and opinion
articles of 2012-2020 from some 490 outlets, collected through AllSides, each with its title,
date, URL, outlet and the body text newspaper3k extracted from the live page
(`content_original`, one paragraph per line) — real scraper output with its residual junk.

The repository's code is Apache-2.0; the article texts are their publishers'. They are used
for measurement only: nothing of them is committed (labels name an article by its ID).
"""

import io
import json
import os
import subprocess
import sys
import tarfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMIT = "ced8111a720948e6a410e52031ace99c4e53f096"
URL = f"https://github.com/ramybaly/Article-Bias-Prediction/archive/{COMMIT}.tar.gz"


def download(work=os.path.join(ROOT, "bench", "work")):
    """The repository's tarball at COMMIT, downloaded into `work` on first use."""
    path = os.path.join(work, "article-bias-prediction.tar.gz")
    if not os.path.exists(path):
        os.makedirs(work, exist_ok=True)
        print(f"downloading {URL} (118 MB) ...", file=sys.stderr)
        urllib.request.urlretrieve(URL, path + ".part")
        os.rename(path + ".part", path)
    return path


def articles(path):
    """Every article (the JSON object of data/jsons/<ID>.json), in file name order, from a
    folder holding data/jsons, a git directory of the repository, or its tarball."""
    for _, data in _files(path):
        yield json.loads(data)


def _files(path):
    jsons = os.path.join(path, "data", "jsons")
    if os.path.isdir(jsons):
        for name in sorted(os.listdir(jsons)):
            if name.endswith(".json"):
                with open(os.path.join(jsons, name), "rb") as f:
                    yield name, f.read()
    elif os.path.isdir(path):  # a git directory
        archive = subprocess.run(["git", "--git-dir", path, "archive", COMMIT, "data/jsons"],
                                 check=True, capture_output=True).stdout
        yield from _tar_files(io.BytesIO(archive), "r:")
    else:
        with open(path, "rb") as f:
            yield from _tar_files(f, "r:gz")


def _tar_files(fileobj, mode):
    with tarfile.open(fileobj=fileobj, mode=mode) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            name = "/" + member.name
            if member.isfile() and "/data/jsons/" in name and name.endswith(".json"):
                yield member.name, tar.extractfile(member).read()
