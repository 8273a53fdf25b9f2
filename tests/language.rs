//! Language accuracy on real native-language news (../shared/corpora/wmt22, skipped when
//! absent): every language at least 99.5% right on documents of 200+ characters, and no
//! Russian/Ukrainian confusion at 500+ characters. A regression test for issue 6's targets;
//! bench/language.py prints the full table.

mod common;

use std::collections::HashMap;
use std::fs;

use common::{config_variant, read_csv, run_into, shared, ALL_LANGUAGES};

#[test]
fn long_documents_are_labelled_right() {
    let Some(shared) = shared("corpora/wmt22") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // (file, gold, field)
    let sources = [
        ("uk-en", "ukr", "src_text"),
        ("ru-en", "rus", "src_text"),
        ("ja-en", "jpn", "src_text"),
        ("de-fr", "deu", "src_text"),
        ("fr-de", "fra", "src_text"),
        ("en-zh", "cmn", "ref_text"),
    ];
    let mut dump = String::new();
    let mut gold: HashMap<String, (&str, usize)> = HashMap::new();
    for (pair, code, field) in sources {
        let path = shared.join(format!("corpora/wmt22/wmt22.{pair}.docs.jsonl"));
        for (n, line) in fs::read_to_string(path).unwrap().lines().enumerate() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = record[field].as_str().unwrap();
            if text.chars().count() >= 200 {
                let id = format!("{code}:{n}");
                gold.insert(id.clone(), (code, text.chars().count()));
                dump.push_str(&serde_json::json!({"id": id, "text": text}).to_string());
                dump.push('\n');
            }
        }
    }
    fs::write(tmp.path().join("dump.jsonl"), dump).unwrap();
    let all = config_variant(tmp.path(), "all.toml", ALL_LANGUAGES);
    let [clean, _, _] = run_into(
        tmp.path(),
        &[&tmp.path().join("dump.jsonl")],
        &["-c", &all, "--threads", "2"],
    );
    let mut totals: HashMap<&str, (usize, usize)> = HashMap::new();
    for row in read_csv(&clean) {
        let (code, chars) = gold[&row["id"]];
        let entry = totals.entry(code).or_default();
        entry.0 += 1;
        entry.1 += usize::from(row["language"] == code);
        let pair = [code, row["language"].as_str()];
        assert!(
            !(chars >= 500 && pair.contains(&"rus") && pair.contains(&"ukr") && pair[0] != pair[1]),
            "{}: {code} labelled {}",
            row["id"],
            row["language"]
        );
    }
    assert_eq!(
        totals.len(),
        6,
        "every language was read (dedup may drop a few copies)"
    );
    for (code, (docs, right)) in totals {
        let accuracy = right as f64 / docs as f64;
        assert!(accuracy >= 0.995, "{code}: {right}/{docs} = {accuracy:.3}");
    }
}
