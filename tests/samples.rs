//! Golden test: the default pipeline on samples must reproduce tests/golden/samples/ byte for
//! byte, and the kept texts must equal the hand-written expectation in
//! tests/golden/samples/kept.jsonl (written from samples/README.md, not from tool output).
//! Regenerate the golden CSVs after an intended change with `UPDATE_GOLDEN=1 cargo test`.

mod common;

use std::fs;

use common::{read_csv, root, run_into};

#[test]
fn samples_match_golden_output() {
    let tmp = tempfile::tempdir().unwrap();
    let outputs = run_into(tmp.path(), &[&root().join("samples")], &[]);
    let expected = root().join("tests/golden/samples");
    for (path, name) in outputs
        .iter()
        .zip(["clean.csv", "rejects.csv", "edits.csv"])
    {
        let got = fs::read_to_string(path).unwrap();
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            fs::write(expected.join(name), &got).unwrap();
        }
        let want = fs::read_to_string(expected.join(name)).unwrap_or_default();
        assert!(got == want, "{name} differs from tests/golden/samples/{name} (UPDATE_GOLDEN=1 to accept)\n--- got ---\n{got}");
    }
}

#[test]
fn samples_match_hand_written_expectation() {
    let tmp = tempfile::tempdir().unwrap();
    let [clean, rejects, _] = run_into(tmp.path(), &[&root().join("samples")], &[]);
    let clean = read_csv(&clean);
    let spec = fs::read_to_string(root().join("tests/golden/samples/kept.jsonl")).unwrap();
    let mut expected_ids = Vec::new();
    for line in spec.lines() {
        let want: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = want["id"].as_str().unwrap();
        expected_ids.push(id.to_string());
        let got = clean
            .iter()
            .find(|row| row["id"] == id || row["id"] == format!("articles/{id}.txt"))
            .unwrap_or_else(|| panic!("{id} should be kept"));
        for field in ["title", "text", "url", "date"] {
            assert_eq!(
                got[field],
                want[field].as_str().unwrap_or(""),
                "{id}: {field}"
            );
        }
    }
    assert_eq!(
        clean.len(),
        expected_ids.len(),
        "only the expected documents are kept"
    );
    let rejected = read_csv(&rejects);
    let want = [
        ("articles/05_promo_page.txt", "spam", "mostly spam", ""),
        ("f-102", "language", "deu (", ""),
        ("f-103", "language", "ukr (", ""),
        ("f-104", "dedup", "exact duplicate", "e-202"),
        ("f-105", "dedup", "near duplicate", "e-201"),
    ];
    assert_eq!(rejected.len(), want.len(), "{rejected:?}");
    for (row, (id, stage, reason, duplicate_of)) in rejected.iter().zip(want) {
        assert_eq!((row["id"].as_str(), row["stage"].as_str()), (id, stage));
        assert!(row["reason"].starts_with(reason), "{id}: {}", row["reason"]);
        assert_eq!(row["duplicate_of"], duplicate_of, "{id}");
    }
}
