//! Output is byte-identical for 1 thread and N threads, across runs, and whether pass 2 replays
//! the documents pass 1 kept or cleans the input again: the clean, rejects and edits CSVs are
//! compared byte for byte, with a batch size small enough that dedup crosses batch boundaries.

mod common;

use std::fs;
use std::path::Path;

use common::{root, run_into, shared};

fn assert_same_for_thread_counts(inputs: &[&Path]) {
    let tmp = tempfile::tempdir().unwrap();
    let builtin = fs::read_to_string(root().join("pipeline.toml")).unwrap();
    let data = format!("\"{}/data/", root().display());
    let batched = builtin
        .replace("batch_size = 4096", "batch_size = 7")
        .replace("\"data/", &data);
    assert!(batched.contains("keep_cleaned = true"));
    let configs = [
        ("keep.toml", batched.clone()),
        (
            "clean-twice.toml",
            batched.replace("keep_cleaned = true", "keep_cleaned = false"),
        ),
    ]
    .map(|(name, text)| {
        let path = tmp.path().join(name);
        fs::write(&path, text).unwrap();
        path.display().to_string()
    });
    let mut runs = Vec::new();
    let settings = [("1", 0), ("4", 0), ("4", 0), ("2", 1)];
    for (i, (threads, config)) in settings.iter().enumerate() {
        let dir = tmp.path().join(format!("run{i}"));
        fs::create_dir(&dir).unwrap();
        let outputs = run_into(&dir, inputs, &["-j", threads, "-c", &configs[*config]]);
        runs.push(outputs.map(|p| fs::read(p).unwrap()));
    }
    for (i, name) in ["clean", "rejects", "edits"].iter().enumerate() {
        assert!(
            runs[0][i] == runs[1][i],
            "{name} differs between -j 1 and -j 4"
        );
        assert!(runs[1][i] == runs[2][i], "{name} differs between two runs");
        assert!(
            runs[0][i] == runs[3][i],
            "{name} differs between keeping cleaned documents and cleaning twice"
        );
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
