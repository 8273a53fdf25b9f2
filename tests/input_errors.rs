//! Bad input never stops a run and never loses a document: every record read ends up exactly
//! once in the clean CSV or in the rejects CSV, and each reject names its file and line.

mod common;

use std::collections::HashSet;
use std::fs;

use common::{newsclean, read_csv, root, run_into};

#[test]
fn every_record_lands_exactly_once() {
    let tmp = tempfile::tempdir().unwrap();
    let [clean, rejects, _] =
        run_into(tmp.path(), &[&root().join("tests/fixtures/malformed")], &[]);
    let clean = read_csv(&clean);
    let rejects = read_csv(&rejects);
    // bad.csv: 3 records; bad.jsonl: 6 lines; empty.txt and latin1.txt: 1 each.
    assert_eq!(clean.len() + rejects.len(), 11);
    let ids: HashSet<&str> = clean
        .iter()
        .chain(&rejects)
        .map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 11, "no document appears twice");
    let input: Vec<(&str, &str)> = rejects
        .iter()
        .filter(|r| r["stage"] == "input")
        .map(|r| (r["source"].as_str(), r["reason"].as_str()))
        .collect();
    let want = [
        (
            "bad.csv:5",
            "wrong field count: 4 fields where the header has 3",
        ),
        ("bad.jsonl:2", "invalid JSON"),
        ("bad.jsonl:3", "no `text` field"),
        ("bad.jsonl:4", "empty document"),
        ("bad.jsonl:5", "invalid UTF-8 (at byte 27)"),
        ("empty.txt", "empty document"),
        ("latin1.txt", "invalid UTF-8 (at byte 3)"),
    ];
    assert_eq!(input.len(), want.len(), "{input:?}");
    for ((source, reason), (want_source, want_reason)) in input.iter().zip(want) {
        assert_eq!(*source, want_source);
        assert!(reason.starts_with(want_reason), "{source}: {reason}");
    }
    // The readable records around the bad ones were read.
    for id in ["m-1", "m-6", "c-1", "c-3"] {
        assert!(ids.contains(id), "{id} was read");
    }
}

#[test]
fn overlong_lines_are_rejected_and_reading_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let long = "x".repeat(5000);
    let body = "The council approved the budget on Monday after a long debate about bus fares. \
                Fares for children will be frozen for a year, and two new routes will open in May.";
    let lines = [
        format!(r#"{{"id": "a", "text": "{body}"}}"#),
        format!(r#"{{"id": "b", "text": "{long}"}}"#),
        r#"{"id": "c", "text": "Flood defences along the river will be finished before winter, engineers said on Friday. The work has cost twice what the council planned for in 2021. Homes on the east bank flooded twice last year."}"#.to_string(),
    ];
    fs::write(tmp.path().join("dump.jsonl"), lines.join("\n")).unwrap();
    let config = tmp.path().join("small.toml");
    fs::write(&config, "[input]\nmax_record_bytes = 1000\n").unwrap();
    let config = config.display().to_string();
    let [clean, rejects, _] = run_into(
        tmp.path(),
        &[&tmp.path().join("dump.jsonl")],
        &["-c", &config],
    );
    let rejects = read_csv(&rejects);
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["source"], "dump.jsonl:2");
    assert!(rejects[0]["reason"].starts_with("line longer than 1000 bytes"));
    assert_eq!(read_csv(&clean).len(), 2);
}

#[test]
fn empty_files_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("empty.jsonl"), "").unwrap();
    let out = newsclean(&["run", "-o", "-", &tmp.path().display().to_string()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("empty.jsonl: no records in file"),
        "{stderr}"
    );
}

#[test]
fn missing_input_and_unknown_type_stop_the_run() {
    let out = newsclean(&["run", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/dir"));
    let out = newsclean(&["run", "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown input type"));
}

#[test]
fn odd_files_are_read_record_by_record() {
    let tmp = tempfile::tempdir().unwrap();
    let text =
        "The council approved the new budget on Monday after a long debate about bus fares. \
                Fares for children will be frozen for a year, and two new routes will open in May.";
    // A byte-order mark before the first JSON line.
    fs::write(
        tmp.path().join("bom.jsonl"),
        format!("\u{feff}{{\"id\": \"b-1\", \"text\": \"{text}\"}}\n"),
    )
    .unwrap();
    // One bad byte in a CSV header costs that column only.
    let mut csv = b"id,ti\xfftle,text\n".to_vec();
    csv.extend_from_slice(b"c-1,x,\"Flood defences along the river will be finished before winter, engineers said. The work has cost twice what the council planned for in 2021. Homes on the east bank flooded twice last year.\"\n");
    fs::write(tmp.path().join("header.csv"), csv).unwrap();
    let [clean, rejects, _] = run_into(
        tmp.path(),
        &[
            &tmp.path().join("bom.jsonl"),
            &tmp.path().join("header.csv"),
        ],
        &[],
    );
    let ids: Vec<String> = read_csv(&clean)
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids, ["b-1", "c-1"], "rejects: {:?}", read_csv(&rejects));
}

#[test]
fn long_csv_records_are_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let long = "word ".repeat(400);
    fs::write(
        tmp.path().join("d.csv"),
        format!(
            "id,text\na,\"{long}\"\nb,\"The council met on Monday and approved the budget.\"\n"
        ),
    )
    .unwrap();
    fs::write(
        tmp.path().join("small.toml"),
        "[input]\nmax_record_bytes = 1000\n",
    )
    .unwrap();
    let config = tmp.path().join("small.toml").display().to_string();
    let [_, rejects, _] = run_into(tmp.path(), &[&tmp.path().join("d.csv")], &["-c", &config]);
    let rejects = read_csv(&rejects);
    assert_eq!(rejects[0]["id"], "d.csv:1");
    assert!(
        rejects[0]["reason"].starts_with("record longer than 1000 bytes"),
        "{:?}",
        rejects[0]
    );
}

/// Issue 15, item 5: an input set without a file to read used to exit 0 with "0 documents"
/// and header-only outputs; now it is a warning, status 3, and nothing is replaced.
#[test]
fn empty_input_set_is_a_warning_with_its_own_status() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(empty.join("notes.md"), "not an input type").unwrap();
    let clean = tmp.path().join("clean.csv");
    std::fs::write(&clean, "previous").unwrap();
    let out = newsclean(&[
        "run",
        "-o",
        clean.to_str().unwrap(),
        empty.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to clean"));
    assert_eq!(std::fs::read_to_string(&clean).unwrap(), "previous");
}

/// Issue 15, item 5: duplicate ids were accepted without a word.
#[test]
fn duplicate_ids_are_counted_and_warned() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("dups.jsonl");
    let doc = |id: &str, text: &str| serde_json::json!({ "id": id, "text": text }).to_string();
    std::fs::write(
        &input,
        [
            doc(
                "a",
                "The council approved the new flood barrier on Monday after a debate.",
            ),
            doc(
                "b",
                "Ferries between the islands ran again on Friday after the storm.",
            ),
            doc(
                "a",
                "A different story about the regional election results in the north.",
            ),
        ]
        .join("\n"),
    )
    .unwrap();
    let report = tmp.path().join("report.json");
    let out = newsclean(&[
        "run",
        "-o",
        "-",
        "--report",
        report.to_str().unwrap(),
        input.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("id \"a\" was already used"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report["duplicate_ids"], 1);
}

#[test]
fn a_huge_csv_row_is_rejected_with_its_first_bytes_only() {
    let tmp = tempfile::tempdir().unwrap();
    let body = "The council met on Monday and approved the budget after a long debate. \
                Fares for children will be frozen for a year, and two new routes open in May. \
                The mayor said the vote was the closest in a decade.";
    let mut data = format!("id,text\nhuge,{}\n", ",".repeat(2_000_000)).into_bytes();
    data.extend_from_slice(format!("ok,\"{body}\"\n").as_bytes());
    fs::write(tmp.path().join("wide.csv"), data).unwrap();
    fs::write(
        tmp.path().join("small.toml"),
        "[input]\nmax_record_bytes = 1000\n",
    )
    .unwrap();
    let config = tmp.path().join("small.toml").display().to_string();
    let [clean, rejects, _] = run_into(
        tmp.path(),
        &[&tmp.path().join("wide.csv")],
        &["-c", &config],
    );
    let rejects = read_csv(&rejects);
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["source"], "wide.csv:2");
    assert!(rejects[0]["reason"].starts_with("record longer than 1000 bytes"));
    assert!(
        rejects[0]["text"].len() <= 1024,
        "only the first bytes are kept"
    );
    let ids: Vec<String> = read_csv(&clean)
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids, ["ok"]);
}

#[test]
fn an_unclosed_csv_quote_costs_only_its_own_record() {
    let tmp = tempfile::tempdir().unwrap();
    let body = "The council met on Monday and approved the budget after a long debate. \
                Fares for children will be frozen for a year, and two new routes open in May. \
                The mayor said the vote was the closest in a decade.";
    let other = "Flood defences along the river will be finished before winter, engineers said. \
                 The work has cost twice what was planned in 2021. Homes on the east bank \
                 flooded twice last year, and insurers have raised their premiums.";
    let data = format!(
        "id,text\na,\"{body}\"\nstray,\"{body}\nb,\"{body} The mayor said so.\"\nc,\"{other}\"\n"
    );
    fs::write(tmp.path().join("quote.csv"), data).unwrap();
    let [clean, rejects, _] = run_into(tmp.path(), &[&tmp.path().join("quote.csv")], &[]);
    let rejects = read_csv(&rejects);
    // The stray quote opens a field that the next record's opening quote closes: the csv
    // rules read "stray" and "b" as one record of three fields, which is rejected whole
    // with the line it began on; "c" after it is read as it should be.
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert_eq!(rejects[0]["source"], "quote.csv:3");
    let ids: Vec<String> = read_csv(&clean)
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids, ["a", "c"]);
    // A quote still open at the end of the file: the lines after it are read again.
    // (b's text has no comma, so its line reads alone as a record of two fields.)
    let plain = "Flood defences along the river will be finished before winter. The work has \
                 cost twice what was planned in 2021. Homes on the east bank flooded twice last \
                 year and insurers have raised their premiums.";
    let data = format!("id,text\nstray,\"{body}\nb,{plain}\n");
    fs::write(tmp.path().join("open.csv"), data).unwrap();
    let [clean, rejects, _] = run_into(tmp.path(), &[&tmp.path().join("open.csv")], &[]);
    let rejects = read_csv(&rejects);
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert!(
        rejects[0]["reason"].starts_with("unclosed quote: the record from line 2 never ends"),
        "{rejects:?}"
    );
    let ids: Vec<String> = read_csv(&clean)
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    assert_eq!(ids, ["b"]);
}
