#!/usr/bin/env bash
# Makes (once) a Python venv with pyspark for scale/spark_run.py and prints the path of its
# spark-submit. Java 17 must be installed (Debian: apt-get install openjdk-17-jre-headless).
#
#   scale/setup_spark.sh [VENV]     default: ${XDG_CACHE_HOME:-~/.cache}/newsclean/spark-venv
set -euo pipefail
venv="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/newsclean/spark-venv}"
if ! command -v java >/dev/null; then
    echo "setup_spark.sh: Spark needs Java 17 (apt-get install openjdk-17-jre-headless)" >&2
    exit 1
fi
if [ ! -x "$venv/bin/spark-submit" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet 'pyspark>=4,<5' >&2
fi
echo "$venv/bin/spark-submit"
