"""What the benchmarks print about the run: shell output, the CPU, the commit measured."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_text(cmd: list[str], **kwargs) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True, **kwargs).stdout.strip()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def git_commit() -> str:
    """The commit, marked dirty when the sources the binary is built from have changed."""
    try:
        commit = run_text(["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO)
        dirty = run_text(
            ["git", "status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock"], cwd=REPO
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout?)"
    return commit + (" + uncommitted changes in src/ or Cargo.*" if dirty else "")
