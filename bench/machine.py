"""What the benchmarks share: shell output, the CPU, the commit measured, the build, and
variants of pipeline.toml with stages switched off."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO / "pipeline.toml"
# Keys whose quoted values are data paths, relative to pipeline.toml's folder.
PATH_KEYS = ("wordlists", "tables")


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


def config_variant(path: Path, disabled: set[str], binary: Path,
                   overrides: dict[str, dict[str, object]] | None = None) -> Path:
    """Writes pipeline.toml to `path` with the `disabled` stage sections off and the keys in
    `overrides` ({section: {key: value}}, keys pipeline.toml sets) given new values, and
    returns it.

    Edited line by line (comments, regexes and [[arrays]] stay as they are); data paths that
    exist relative to pipeline.toml's folder are made absolute, since the copy lives
    elsewhere; with the language stage off, names.languages = [] (no document has a language
    then, and names would refuse to run). Checked with tomllib and `newsclean check`.
    """
    overrides = overrides or {}
    lines, section = [], ""
    for line in DEFAULT_CONFIG.read_text().splitlines():
        stripped = line.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", stripped)
        if header:
            section = header.group(1)
        elif section in disabled and re.match(r"^enabled\s*=", stripped):
            line = "enabled = false"
        elif section == "names" and "language" in disabled and stripped.startswith("languages"):
            line = "languages = []"
        elif (key := re.match(r"^(\w+)\s*=", stripped)) and key.group(1) in overrides.get(
                section, {}):
            line = f"{key.group(1)} = {json.dumps(overrides[section][key.group(1)])}"
        elif stripped.startswith(PATH_KEYS):
            line = re.sub(r'"([^"]+)"', lambda m: json.dumps(_absolute(m.group(1))), line)
        lines.append(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    written = tomllib.loads(path.read_text())
    for section, values in overrides.items():
        for key, value in values.items():
            if written.get(section, {}).get(key) != value:
                sys.exit(f"error: could not set [{section}] {key} = {value} in {path}")
    for stage, table in written.items():
        if isinstance(table, dict) and "enabled" in table:
            want = stage not in disabled
            if table["enabled"] != want:
                sys.exit(f"error: could not set [{stage}] enabled = {want} in {path}")
    check = subprocess.run([str(binary), "check", "-c", str(path)], capture_output=True,
                           text=True)
    if check.returncode != 0:
        sys.exit(f"error: newsclean check -c {path} failed:\n{check.stderr}")
    return path


def _absolute(value: str) -> str:
    if os.path.isabs(value) or not (DEFAULT_CONFIG.parent / value).exists():
        return value
    return str((DEFAULT_CONFIG.parent / value).resolve())
