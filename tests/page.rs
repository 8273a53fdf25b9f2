//! The page stage on real text (../shared, skipped when absent): on the 88 real web pages of
//! corpora/extraction the default pipeline keeps the article (scored like
//! bench/extraction.py: word 4-gram multisets, per-page normalized, averaged), and on clean
//! articles (BBC, ukraine_war_2022) it removes nothing. A regression test for issue 4's
//! measurements; bench/extraction.py prints the full table.

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use common::{config_variant, read_csv, run_into, shared, ALL_LANGUAGES};

/// Word 4-grams of `\w+` tokens, lowercase not applied (as the scrapinghub metric).
fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|t| !t.is_empty())
        .collect();
    let mut counts = HashMap::new();
    for gram in tokens.windows(4.min(tokens.len().max(1))) {
        *counts.entry(gram.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// The page's precision (None without any prediction) and recall (None without any gold).
fn page_score(gold: &str, kept: &str) -> (Option<f64>, Option<f64>) {
    let (g, k) = (shingles(gold), shingles(kept));
    let tp: usize = k
        .iter()
        .map(|(s, n)| (*n).min(g.get(s).copied().unwrap_or(0)))
        .sum();
    let fp = k.values().sum::<usize>() - tp;
    let fn_ = g.values().sum::<usize>() - tp;
    let ratio = |a: usize, b: usize| match fp + fn_ {
        0 => 1.0,
        _ => a as f64 / (a + b) as f64,
    };
    (
        (tp + fp > 0).then(|| ratio(tp, fp)),
        (tp + fn_ > 0).then(|| ratio(tp, fn_)),
    )
}

/// pipeline.toml with every language kept and dedup off, written into `dir`.
fn config(dir: &Path) -> String {
    let mut changes = ALL_LANGUAGES.to_vec();
    changes.push(("[dedup]\nenabled = true", "[dedup]\nenabled = false"));
    config_variant(dir, "pages.toml", &changes)
}

#[test]
fn real_pages_keep_the_article() {
    let Some(shared) = shared("corpora/extraction") else {
        return;
    };
    let folder = shared.join("corpora/extraction");
    let gold: HashMap<String, String> = fs::read_to_string(folder.join("gold.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let config = config(tmp.path());
    let [clean, _, _] = run_into(tmp.path(), &[&folder.join("input.jsonl")], &["-c", &config]);
    let kept: HashMap<String, String> = read_csv(&clean)
        .into_iter()
        .map(|row| (row["id"].clone(), row["text"].clone()))
        .collect();
    let scores: Vec<_> = gold
        .iter()
        .map(|(id, text)| page_score(text, kept.get(id).map(String::as_str).unwrap_or("")))
        .collect();
    // Averaged as bench/extraction.py does: precision over pages with a prediction, recall
    // over pages with gold text.
    let mean = |values: Vec<f64>| values.iter().sum::<f64>() / values.len() as f64;
    let precision = mean(scores.iter().filter_map(|s| s.0).collect());
    let recall = mean(scores.iter().filter_map(|s| s.1).collect());
    let f1 = 2.0 * precision * recall / (precision + recall);
    println!("88 pages: F1 {f1:.3}, precision {precision:.3}, recall {recall:.3}");
    // Measured 0.906 / 0.861 / 0.955; without the page stage F1 was 0.704. A headlined tail
    // about the name the opening is about stays (trailing's main-name guard, written from the
    // one IndieWire page here where a related headline left inside the article was taken for
    // an appended story's: 0.901 / 0.860 / 0.945 before it, so these pages are tuned-on).
    assert!(f1 >= 0.89, "F1 {f1:.3}");
    assert!(recall >= 0.95, "recall {recall:.3}");
}

#[test]
fn clean_articles_are_not_pages() {
    let Some(shared) = shared("corpora/bbc") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let config = config(tmp.path());
    let bbc = shared.join("corpora/bbc");
    let war = shared.join("corpora/ukraine_war_2022/articles");
    let [_, _, edits] = run_into(tmp.path(), &[&bbc, &war], &["-c", &config]);
    let cut: Vec<_> = read_csv(&edits)
        .into_iter()
        .filter(|e| e["stage"] == "page")
        .map(|e| format!("{}: {}", e["id"], e["before"]))
        .collect();
    assert!(
        cut.is_empty(),
        "{} lines cut, e.g. {:?}",
        cut.len(),
        &cut[..cut.len().min(5)]
    );
}
