//! Helpers for the integration tests: run the binary, find ../shared, read CSV outputs.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, or None with a note (a user's clone has none). The
/// note goes straight to stderr, past the test harness's capture, so a plain `cargo test`
/// shows what was skipped.
pub fn shared(what: &str) -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.join(what).exists() {
        Some(dir)
    } else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "note: skipping a test: ../shared/{what} is not present (only CI and developers have it)"
        );
        None
    }
}

/// Writes the shipped pipeline.toml with `replacements` applied, and its data paths made
/// absolute, to `dir/name`; returns that path for `-c`.
pub fn config_variant(dir: &Path, name: &str, replacements: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(root().join("pipeline.toml")).expect("pipeline.toml");
    for (from, to) in replacements {
        assert!(text.contains(from), "pipeline.toml has no {from:?}");
        text = text.replace(from, to);
    }
    let text = text.replace("\"data/", &format!("\"{}/data/", root().display()));
    let path = dir.join(name);
    std::fs::write(&path, text).expect("config written");
    path.display().to_string()
}

/// Every language allowed, and documents too short to tell kept by `language`.
pub const ALL_LANGUAGES: &[(&str, &str)] = &[
    ("allow = [\"eng\"]", "allow = []"),
    ("undecided = \"reject\"", "undecided = \"keep\""),
];

/// Runs `newsclean` with `args` in the repository root.
pub fn newsclean(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsclean"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("newsclean runs")
}

/// Runs `newsclean run` over `inputs` writing clean, rejects and edits into `dir`; panics
/// with stderr if it fails. Returns the three file paths.
pub fn run_into(dir: &Path, inputs: &[&Path], extra: &[&str]) -> [PathBuf; 3] {
    let paths = [
        dir.join("clean.csv"),
        dir.join("rejects.csv"),
        dir.join("edits.csv"),
    ];
    let mut args: Vec<String> = vec!["run".into(), "-q".into()];
    for (flag, path) in ["-o", "--rejects", "--edits"].iter().zip(&paths) {
        args.push(flag.to_string());
        args.push(path.display().to_string());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = newsclean(&refs);
    assert!(
        out.status.success(),
        "newsclean failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    paths
}

/// A CSV file as rows of column → value.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("readable CSV");
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("valid record");
            header
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}
