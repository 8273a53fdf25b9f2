//! The `quality` stage: pages without an article are rejected with a reason, short real
//! articles stay. On our own fixtures, and on the ukraine_war_2022 pages under 200 words that
//! a helper labeled without seeing the code (bench/data/quality_ukraine.tsv; skipped without
//! ../shared). bench/quality.py prints the full table.

mod common;

use std::collections::HashMap;
use std::fs;

use common::{config_variant, read_csv, root, run_into, shared, ALL_LANGUAGES};

/// (id, text, kept)
const DOCUMENTS: &[(&str, &str, bool)] = &[
    (
        "error",
        "Oops!\n\n404 - Page not found\n\nReturn to the homepage",
        false,
    ),
    (
        "login",
        "Sign in to continue\n\nEmail address\n\nPassword\n\nForgot your password?",
        false,
    ),
    (
        "headline",
        "Harbour bridge to close for two weeks of repairs",
        false,
    ),
    (
        "brief",
        "Harbour bridge to close for repairs\n\n\
         The harbour bridge will close for two weeks from Monday while engineers replace its bearings.\n\n\
         Buses will run every ten minutes between the two banks, the council said.\n\n\
         The work was brought forward after an inspection found cracks in March.",
        true,
    ),
    (
        "french",
        "Le pont du port sera fermé pendant deux semaines à partir de lundi. Des bus relieront les deux rives.",
        true,
    ),
];

#[test]
fn pages_without_an_article_are_rejected_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let dump: String = DOCUMENTS
        .iter()
        .map(|(id, text, _)| serde_json::json!({"id": id, "text": text}).to_string() + "\n")
        .collect();
    fs::write(tmp.path().join("dump.jsonl"), dump).unwrap();
    // Every language allowed and short documents kept by `language`, so that all of them
    // reach the stage.
    let all = config_variant(tmp.path(), "all.toml", ALL_LANGUAGES);
    let [clean, rejects, _] =
        run_into(tmp.path(), &[&tmp.path().join("dump.jsonl")], &["-c", &all]);
    let kept: Vec<String> = read_csv(&clean)
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(kept, ["brief", "french"]);
    let reasons: HashMap<String, String> = read_csv(&rejects)
        .into_iter()
        .map(|r| (r["id"].clone(), format!("{}: {}", r["stage"], r["reason"])))
        .collect();
    assert!(
        reasons["error"].starts_with("quality: not an article: error page"),
        "{reasons:?}"
    );
    assert!(reasons["login"].starts_with("quality: not an article: login page"));
    assert!(reasons["headline"].starts_with("quality: not an article: too little prose"));
}

#[test]
fn short_real_pages_labeled_by_hand() {
    let Some(shared) = shared("corpora/ukraine_war_2022") else {
        return;
    };
    let labels = fs::read_to_string(root().join("bench/data/quality_ukraine.tsv")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut dump = String::new();
    let mut gold = HashMap::new();
    for line in labels.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let path = shared
            .join("corpora/ukraine_war_2022/articles")
            .join(fields[0]);
        let text = fs::read_to_string(path).unwrap();
        dump.push_str(&serde_json::json!({"id": fields[0], "text": text}).to_string());
        dump.push('\n');
        gold.insert(fields[0].to_string(), fields[1] == "article");
    }
    fs::write(tmp.path().join("dump.jsonl"), dump).unwrap();
    let [_, rejects, _] = run_into(
        tmp.path(),
        &[&tmp.path().join("dump.jsonl")],
        &["--threads", "2"],
    );
    let (mut junk_rejected, mut articles_lost) = (0, 0);
    for row in read_csv(&rejects) {
        if row["stage"] == "dedup" {
            continue; // copies of one sign-up box: dedup's business
        }
        match gold[&row["id"]] {
            true => articles_lost += usize::from(row["stage"] == "quality"),
            false => junk_rejected += 1,
        }
    }
    let junk = gold.values().filter(|a| !**a).count();
    assert_eq!(junk, 24);
    // Today: 21 of the 24 junk pages are rejected (or removed as duplicates of one that is),
    // and 1 of 58 articles, a one-sentence market lede of 27 words, is rejected by quality.
    assert!(
        articles_lost <= 1,
        "{articles_lost} articles rejected by quality"
    );
    assert!(
        junk_rejected >= 21,
        "{junk_rejected} of {junk} junk pages rejected"
    );
}

#[test]
fn every_copy_of_a_junk_page_is_rejected_as_junk() {
    // Dedup would keep one copy of a page as its cluster's survivor; quality runs first, so
    // no copy survives.
    let tmp = tempfile::tempdir().unwrap();
    let page =
        "Page not found\n\nThe page you requested could not be found.\n\nBack to the homepage";
    let dump: String = (1..=3)
        .map(|n| serde_json::json!({"id": format!("copy-{n}"), "text": page}).to_string() + "\n")
        .collect();
    fs::write(tmp.path().join("dump.jsonl"), dump).unwrap();
    let keep = config_variant(
        tmp.path(),
        "keep.toml",
        &[("undecided = \"reject\"", "undecided = \"keep\"")],
    );
    let [clean, rejects, _] = run_into(
        tmp.path(),
        &[&tmp.path().join("dump.jsonl")],
        &["-c", &keep],
    );
    assert!(read_csv(&clean).is_empty());
    let rejects = read_csv(&rejects);
    assert_eq!(rejects.len(), 3);
    for row in rejects {
        assert_eq!(row["stage"], "quality", "{row:?}");
        assert!(
            row["reason"].starts_with("not an article: error page"),
            "{row:?}"
        );
    }
}
