//! A run never loses data (issue 15, items 1-3): outputs that would overwrite an input or each
//! other are refused before anything is read; outputs replace the previous ones only when a
//! run succeeds, so a failed or killed run leaves them as they were; and an input file that
//! cannot be read is reported, its records read so far kept, and the run goes on (exit 1).

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
    // The outputs open, then dedup cannot make its temporary files: the run fails.
    let out = Command::new(env!("CARGO_BIN_EXE_newsclean"))
        .args(["run", "-q", "-o", clean.to_str().unwrap(), "--rejects"])
        .arg(&rejects)
        .arg(root().join("samples"))
        .env("TMPDIR", tmp.path().join("no-such-folder"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(fs::read_to_string(&clean).unwrap(), "previous clean");
    assert_eq!(fs::read_to_string(&rejects).unwrap(), "previous rejects");
    no_temporary_files(tmp.path());
}

/// Many copies of the sample feed, with fresh ids, as JSONL.
fn many_records(copies: usize) -> String {
    let sample = fs::read_to_string(root().join("samples/feed.jsonl")).unwrap();
    let mut out = String::new();
    for copy in 0..copies {
        for line in sample.lines() {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            v["id"] = format!("{}-{copy}", v["id"].as_str().unwrap_or("")).into();
            out.push_str(&format!("{v}\n"));
        }
    }
    out
}

#[test]
fn unreadable_files_are_reported_and_the_run_goes_on() {
    use std::io::Write;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir(&dir).unwrap();
    fs::copy(root().join("samples/feed.jsonl"), dir.join("a.jsonl")).unwrap();
    // A gzip cut in half: the records before the cut are read.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(many_records(40).as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    fs::write(dir.join("b.jsonl.gz"), &gz[..gz.len() / 2]).unwrap();
    fs::write(dir.join("c.jsonl.gz"), "not gzip at all").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("nowhere.jsonl"), dir.join("d.jsonl")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
    let (clean, report) = (tmp.path().join("clean.csv"), tmp.path().join("report.json"));
    let out = newsclean(&[
        "run",
        "-o",
        clean.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).unwrap()).unwrap();
    let unreadable = report["unreadable_files"].as_array().unwrap();
    let read_from = |name: &str| {
        let entry = unreadable
            .iter()
            .find(|u| u["file"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} in {unreadable:?}"));
        assert!(stderr.contains(entry["file"].as_str().unwrap()), "{stderr}");
        entry["records_read"].as_u64().unwrap()
    };
    assert!(
        read_from("b.jsonl.gz") > 0,
        "the records before the cut are read"
    );
    assert_eq!(read_from("c.jsonl.gz"), 0);
    assert_eq!(read_from("d.jsonl"), 0);
    assert_eq!(read_from("loop"), 0);
    assert_eq!(unreadable.len(), 4);
    // Every record read is in exactly one place.
    let documents_in = report["documents_in"].as_u64().unwrap();
    let sample_records = fs::read_to_string(root().join("samples/feed.jsonl"))
        .unwrap()
        .lines()
        .count() as u64;
    assert_eq!(documents_in, sample_records + read_from("b.jsonl.gz"));
    assert_eq!(
        report["kept"].as_u64().unwrap() + report["rejected"].as_u64().unwrap(),
        documents_in
    );
    assert!(fs::read_to_string(&clean).unwrap().contains("Kyiv"));
}

#[test]
fn a_killed_run_leaves_the_previous_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("clean.csv");
    fs::write(&clean, "previous clean").unwrap();
    // Enough documents that the run is still going when it is killed.
    let big = many_records(400);
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

/// An output that is a device stays one: `-o /dev/null` once replaced /dev/null with a
/// regular file (the atomic rename), breaking every later reader of /dev/null.
#[test]
fn an_output_that_is_a_device_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let samples = root().join("samples");
    let out = newsclean(&[
        "run",
        "-q",
        "-o",
        "/dev/null",
        "--report",
        "/dev/null",
        samples.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta = fs::metadata("/dev/null").unwrap();
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null is still a device"
    );
}
