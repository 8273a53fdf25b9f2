//! A run never destroys data (issue 15, items 1 and 3): outputs that would overwrite an input
//! or each other are refused before anything is read, and outputs replace the previous ones
//! only when a run succeeds — a failed or killed run leaves them as they were.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{newsclean, root};

fn fails_with(args: &[&str], message: &str) {
    let out = newsclean(args);
    assert_eq!(out.status.code(), Some(2), "{args:?} should fail");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(message), "{stderr}");
}

fn no_temporary_files(dir: &Path) {
    for entry in fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".newsclean-"), "left behind: {name}");
    }
}

#[test]
fn output_that_is_an_input_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("x.jsonl");
    fs::copy(root().join("samples/feed.jsonl"), &input).unwrap();
    let before = fs::read(&input).unwrap();
    let x = input.to_str().unwrap();
    for flag in ["-o", "--rejects", "--edits", "--clusters", "--report"] {
        fails_with(&["run", "-q", flag, x, x], "refusing to overwrite an input");
    }
    // Through another spelling of the same path, and as a file inside an input folder.
    let dotted = format!("{}/./x.jsonl", tmp.path().display());
    fails_with(
        &["run", "-q", "-o", &dotted, x],
        "refusing to overwrite an input",
    );
    let dir = tmp.path().to_str().unwrap();
    fails_with(
        &["run", "-q", "-o", x, dir],
        "refusing to overwrite an input",
    );
    assert_eq!(fs::read(&input).unwrap(), before, "the input is untouched");
}

#[test]
fn two_outputs_on_one_path_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out.csv");
    let out = out.to_str().unwrap();
    let samples = root().join("samples");
    let samples = samples.to_str().unwrap();
    fails_with(
        &["run", "-q", "-o", out, "--rejects", out, samples],
        "are the same file",
    );
    assert!(!Path::new(out).exists(), "nothing was written");
}

#[test]
fn a_failed_run_leaves_the_previous_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let (clean, rejects) = (tmp.path().join("clean.csv"), tmp.path().join("rejects.csv"));
    fs::write(&clean, "previous clean").unwrap();
    fs::write(&rejects, "previous rejects").unwrap();
    let inputs = tmp.path().join("in");
    fs::create_dir(&inputs).unwrap();
    fs::copy(root().join("samples/feed.jsonl"), inputs.join("a.jsonl")).unwrap();
    // Not gzip at all: reading it fails after the first file was cleaned.
    fs::write(inputs.join("b.jsonl.gz"), "this is not gzip").unwrap();
    let out = newsclean(&[
        "run",
        "-q",
        "-o",
        clean.to_str().unwrap(),
        "--rejects",
        rejects.to_str().unwrap(),
        inputs.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&clean).unwrap(), "previous clean");
    assert_eq!(fs::read_to_string(&rejects).unwrap(), "previous rejects");
    no_temporary_files(tmp.path());
}

#[test]
fn a_killed_run_leaves_the_previous_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("clean.csv");
    fs::write(&clean, "previous clean").unwrap();
    // Enough documents that the run is still going when it is killed.
    let sample = fs::read_to_string(root().join("samples/feed.jsonl")).unwrap();
    let mut big = String::new();
    for copy in 0..400 {
        for line in sample.lines() {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            v["id"] = format!("{}-{copy}", v["id"].as_str().unwrap_or("")).into();
            big.push_str(&format!("{v}\n"));
        }
    }
    let input = tmp.path().join("big.jsonl");
    fs::write(&input, big).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsclean"))
        .args([
            "run",
            "-q",
            "-o",
            clean.to_str().unwrap(),
            input.to_str().unwrap(),
        ])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let finished_early = child.try_wait().unwrap().is_some();
    child.kill().ok();
    child.wait().unwrap();
    if finished_early {
        println!("note: the run finished before it could be killed; nothing to check");
        return;
    }
    assert_eq!(fs::read_to_string(&clean).unwrap(), "previous clean");
}

#[test]
fn a_successful_run_replaces_the_outputs_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("clean.csv");
    fs::write(&clean, "previous clean").unwrap();
    let samples = root().join("samples");
    let out = newsclean(&[
        "run",
        "-q",
        "-o",
        clean.to_str().unwrap(),
        samples.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let golden = fs::read_to_string(root().join("tests/golden/samples/clean.csv")).unwrap();
    assert_eq!(fs::read_to_string(&clean).unwrap(), golden);
    no_temporary_files(tmp.path());
}
