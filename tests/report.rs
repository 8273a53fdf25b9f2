//! The JSON report agrees with the CSVs it sums up, field by field: documents in, kept and
//! rejected, rejections by stage, removals by stage and rule, name replacements, languages,
//! files read and skipped, passes and threads.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fs;

use common::{newsclean, read_csv, root};

type Counts = BTreeMap<String, u64>;

fn count_by(
    rows: &[HashMap<String, String>],
    key: impl Fn(&HashMap<String, String>) -> Option<String>,
) -> Counts {
    let mut counts = Counts::new();
    for row in rows {
        if let Some(k) = key(row) {
            *counts.entry(k).or_default() += 1;
        }
    }
    counts
}

fn numbers(value: &serde_json::Value) -> Counts {
    value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

#[test]
fn the_report_sums_up_the_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    // The samples, plus a file with bad records and a reused id.
    let extra = tmp.path().join("extra.jsonl");
    fs::write(
        &extra,
        "{\"id\": \"x\", \"text\": \"The harbour bridge will close for two weeks from Monday while engineers replace its bearings. Buses will run every ten minutes, the council said. The work was brought forward after an inspection in March.\"}\n\
         not json\n\
         {\"id\": \"x\", \"text\": \"Flood defences along the river will be finished before winter, engineers said on Friday. The work has cost twice what was planned. Homes on the east bank flooded twice last year.\"}\n",
    )
    .unwrap();
    let path = |name: &str| tmp.path().join(name).display().to_string();
    let out = newsclean(&[
        "run",
        "-q",
        "-j",
        "2",
        "-o",
        &path("clean.csv"),
        "--rejects",
        &path("rejects.csv"),
        "--edits",
        &path("edits.csv"),
        "--report",
        &path("report.json"),
        &root().join("samples").display().to_string(),
        &extra.display().to_string(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let clean = read_csv(&tmp.path().join("clean.csv"));
    let rejects = read_csv(&tmp.path().join("rejects.csv"));
    let edits = read_csv(&tmp.path().join("edits.csv"));
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join("report.json")).unwrap()).unwrap();

    let total = (clean.len() + rejects.len()) as u64;
    assert_eq!(report["documents_in"], total);
    assert_eq!(report["kept"], clean.len() as u64);
    assert_eq!(report["rejected"], rejects.len() as u64);
    // Rejections by stage (the reasons are grouped by kind, so compare stage totals).
    let by_stage: Counts = report["rejected_by"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(stage, reasons)| (stage.clone(), numbers(reasons).values().sum()))
        .collect();
    assert_eq!(by_stage, count_by(&rejects, |r| Some(r["stage"].clone())));
    // Removals by stage and rule, and name replacements, as the edits CSV lists them.
    let mut removed = Counts::new();
    for (stage, rules) in report["removed_by"].as_object().unwrap() {
        for (rule, n) in numbers(rules) {
            removed.insert(format!("{stage}/{rule}"), n);
        }
    }
    let edit_rows = count_by(&edits, |r| {
        (r["action"] == "remove").then(|| format!("{}/{}", r["stage"], r["rule"]))
    });
    assert_eq!(removed, edit_rows);
    let replaced = count_by(&edits, |r| {
        (r["action"] == "replace").then(|| format!("{} -> {}", r["before"], r["after"]))
    });
    assert_eq!(numbers(&report["names_replaced"]), replaced);
    assert!(!replaced.is_empty(), "the samples hold names to normalize");
    // Kept documents by language.
    let kept: Counts = report["languages"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(lang, c)| (lang.clone(), c["kept"].as_u64().unwrap()))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(kept, count_by(&clean, |r| Some(r["language"].clone())));
    // Files: the samples' export.csv.gz, feed.jsonl and articles, and ours; the README is
    // skipped and listed.
    let articles = fs::read_dir(root().join("samples/articles"))
        .unwrap()
        .count() as u64;
    assert_eq!(report["files"], 2 + articles + 1);
    let skipped = report["skipped_files"].as_array().unwrap();
    assert!(skipped
        .iter()
        .any(|f| f.as_str().unwrap().ends_with("README.md")));
    assert_eq!(report["duplicate_ids"], 1);
    assert_eq!(report["rejected_by"]["input"]["invalid JSON"], 1);
    assert_eq!(report["passes"], 3, "count paragraphs, cluster, write");
    assert_eq!(report["threads"], 2);
    assert!(report["bytes_in"].as_u64().unwrap() > 0);
    assert!(report["unreadable_files"].as_array().unwrap().is_empty());
}
