//! The public command line: help text, stdout output, the JSON report, and a closed pipe.

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

use common::{newsclean, root};

#[test]
fn help_explains_every_option() {
    let out = newsclean(&["run", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for option in [
        "--config",
        "--output",
        "--rejects",
        "--edits",
        "--report",
        "--threads",
        "--quiet",
    ] {
        assert!(help.contains(option), "{option} missing from help");
    }
}

#[test]
fn writes_clean_csv_to_stdout_and_a_report() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.json");
    let out = newsclean(&[
        "run",
        "-q",
        "--report",
        &report.display().to_string(),
        "samples",
    ]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("id,title,url,date,language,language_confidence,text,sha256\n"));
    assert!(out.stderr.is_empty(), "--quiet prints nothing");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(report["documents_in"], 15);
    assert_eq!(report["kept"], 10);
    assert_eq!(report["rejected_by"]["dedup"]["near duplicate"], 1);
    assert_eq!(report["languages"]["deu"]["rejected"], 1);
}

#[test]
fn summary_goes_to_stderr() {
    let out = newsclean(&["run", "-o", "/dev/null", "samples"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("15 documents"), "{stderr}");
    assert!(
        stderr.contains("kept") && stderr.contains("names replaced"),
        "{stderr}"
    );
}

#[test]
fn closed_pipe_is_a_normal_exit() {
    // Several MB of distinct documents: far more than a pipe buffer holds.
    let tmp = tempfile::tempdir().unwrap();
    let mut dump = String::new();
    for i in 0..3000 {
        let text = format!(
            "Report {i}: the council of town number {i} met on day {} and approved budget line {} after a debate about roads, schools and the river.",
            i % 28,
            i * 7
        );
        dump.push_str(
            &serde_json::json!({"id": i.to_string(), "text": text.repeat(4)}).to_string(),
        );
        dump.push('\n');
    }
    std::fs::write(tmp.path().join("dump.jsonl"), dump).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsclean"))
        .args([
            "run",
            "-q",
            &tmp.path().join("dump.jsonl").display().to_string(),
        ])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is now closed: the rest of the writes hit a broken pipe.
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "exit {status:?}: {stderr}");
}
