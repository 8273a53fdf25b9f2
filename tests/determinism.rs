//! Output is byte-identical for 1 thread and N threads, and across runs: the clean, rejects and
//! edits CSVs are compared byte for byte, with a batch size small enough that dedup crosses
//! batch boundaries.

mod common;

use std::fs;
use std::path::Path;

use common::{root, run_into, shared};

fn assert_same_for_thread_counts(inputs: &[&Path]) {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("batch.toml");
    let builtin = fs::read_to_string(root().join("pipeline.toml")).unwrap();
    let data = format!("\"{}/data/", root().display());
    fs::write(
        &config,
        builtin
            .replace("batch_size = 4096", "batch_size = 7")
            .replace("\"data/", &data),
    )
    .unwrap();
    let config = config.display().to_string();
    let mut runs = Vec::new();
    for (i, threads) in ["1", "4", "4"].iter().enumerate() {
        let dir = tmp.path().join(format!("run{i}"));
        fs::create_dir(&dir).unwrap();
        let outputs = run_into(&dir, inputs, &["-j", threads, "-c", &config]);
        runs.push(outputs.map(|p| fs::read(p).unwrap()));
    }
    for (i, name) in ["clean", "rejects", "edits"].iter().enumerate() {
        assert!(
            runs[0][i] == runs[1][i],
            "{name} differs between -j 1 and -j 4"
        );
        assert!(runs[1][i] == runs[2][i], "{name} differs between two runs");
    }
}

#[test]
fn samples_are_deterministic() {
    assert_same_for_thread_counts(&[
        &root().join("samples"),
        &root().join("tests/fixtures/malformed"),
    ]);
}

#[test]
fn real_corpora_are_deterministic() {
    let Some(shared) = shared("corpora/ukraine_war_2022") else {
        return;
    };
    assert_same_for_thread_counts(&[
        &shared.join("corpora/ukraine_war_2022/articles"),
        &shared.join("seeds"),
    ]);
}
