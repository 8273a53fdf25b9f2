//! Inputs people pipe in: `-` (standard input, JSONL or --stdin-format), `/dev/stdin`, and a
//! named FIFO, read like files; a run that would read a stream twice is refused up front.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::root;

const TEXT: &str = "The council met on Monday and approved the budget after a long debate. \
                    Fares for children will be frozen for a year, and two new routes open in \
                    May. The mayor said the vote was the closest in a decade.";

/// Runs `newsclean run -q -o - ARGS` with `input` on standard input; (status, stdout, stderr).
fn run_with_stdin(args: &[&str], input: &str) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsclean"))
        .args(["run", "-q", "-o", "-"])
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

fn jsonl(id: &str) -> String {
    serde_json::json!({"id": id, "text": TEXT}).to_string() + "\n"
}

#[test]
fn standard_input_is_read_as_jsonl_or_the_format_given() {
    let (status, out, err) = run_with_stdin(&["-"], &jsonl("piped"));
    assert_eq!(status, Some(0), "{err}");
    assert!(out.lines().nth(1).unwrap().starts_with("piped,"), "{out}");
    let csv = format!("id,text\nc-1,\"{TEXT}\"\n");
    let (status, out, err) = run_with_stdin(&["--stdin-format", "csv", "-"], &csv);
    assert_eq!(status, Some(0), "{err}");
    assert!(out.lines().nth(1).unwrap().starts_with("c-1,"), "{out}");
    // /dev/stdin is a device, not a file: read as a stream too.
    let (status, out, err) = run_with_stdin(&["/dev/stdin"], &jsonl("dev"));
    assert_eq!(status, Some(0), "{err}");
    assert!(out.contains("\ndev,"), "{out}");
}

#[test]
fn a_stream_read_twice_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("twice.toml");
    std::fs::write(&config, "[dedup]\nkeep_cleaned = false\n").unwrap();
    let config = config.display().to_string();
    let (status, out, err) = run_with_stdin(&["-c", &config, "-"], &jsonl("a"));
    assert_eq!(status, Some(2));
    assert!(out.is_empty(), "nothing written: {out}");
    assert!(err.contains("can be read only once"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_named_fifo_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("dump.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        println!("note: mkfifo is not available; skipped");
        return;
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, jsonl("fifo")).unwrap())
    };
    let out = Command::new(env!("CARGO_BIN_EXE_newsclean"))
        .args(["run", "-q", "-o", "-"])
        .arg(&fifo)
        .output()
        .unwrap();
    writer.join().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("\nfifo,"), "{stdout}");
}
