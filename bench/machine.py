"""What the benchmarks print about the run: shell output, the CPU, the commit measured."""

from __future__ import annotations

import subprocess
import sys
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


def build_binary(skip: bool, binary: Path) -> str:
    """Runs `cargo build --release` (cargo itself decides whether anything is outdated) and
    says whether the binary was rebuilt."""
    if skip:
        if not binary.exists():
            sys.exit(f"error: --no-build but {binary} does not exist")
        return "not rebuilt (--no-build)"
    print("cargo build --release ...", file=sys.stderr, flush=True)
    result = subprocess.run(["cargo", "build", "--release"], cwd=REPO, capture_output=True,
                            text=True)
    if result.returncode != 0:
        sys.exit(f"error: cargo build --release failed (sources being edited? retry later, or "
                 f"pass --no-build to measure the existing binary):\n{result.stderr[-4000:]}")
    return "rebuilt just now" if "Compiling newsclean" in result.stderr else "up to date"
