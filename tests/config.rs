//! pipeline.toml: the shipped file is the built-in default, `check` prints it, and every kind
//! of config mistake stops with exit code 2 and a message naming the key.

mod common;

use std::fs;

use common::newsclean;

fn check_with(config: &str) -> (i32, String) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("pipeline.toml");
    fs::write(&path, config).unwrap();
    let out = newsclean(&["check", "-c", &path.display().to_string()]);
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn shipped_config_is_valid_and_lists_every_stage() {
    let out = newsclean(&["check", "-c", "pipeline.toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for stage in [
        "normalize",
        "page",
        "language",
        "boilerplate",
        "spam",
        "trailing",
        "names",
        "repeats",
        "dedup",
    ] {
        assert!(
            stdout.lines().any(|l| l.trim_start().starts_with(stage)),
            "{stage} missing:\n{stdout}"
        );
    }
}

#[test]
fn builtin_default_equals_shipped_file() {
    let shipped = newsclean(&["check", "-c", "pipeline.toml"]).stdout;
    let tmp = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_newsclean"))
        .arg("check")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    let builtin = String::from_utf8_lossy(&out.stdout);
    // Without a ./pipeline.toml the built-in copy is used, and its data files resolve to the
    // compiled-in copies.
    assert!(
        builtin.starts_with("config: <built-in pipeline.toml>"),
        "{builtin}"
    );
    let stages = |s: &str| s.lines().skip(1).map(String::from).collect::<Vec<_>>();
    assert_eq!(stages(&builtin), stages(&String::from_utf8_lossy(&shipped)));
}

#[test]
fn config_errors_name_the_key() {
    for (config, key) in [
        ("[dedup]\nthreshhold = 0.8\n", "threshhold"),
        ("[names]\nenabled = \"yes\"\n", "enabled"),
        (
            "[[boilerplate.rules]]\nname = \"x\"\npattern = \"(unclosed\"\n",
            "boilerplate.rules[0]",
        ),
        ("[language]\nallow = [\"english\"]\n", "language.allow"),
        ("[lines]\nkeep = [\"(unclosed\"]\n", "lines.keep[0]"),
        ("[lines]\nthreshold = 2.0\n", "lines.threshold"),
        ("[dedup]\nbands = 30\nrows = 3\n", "dedup.bands"),
        ("[dedup]\nsurvivor = \"newest\"\n", "dedup.survivor"),
        ("[dedup]\nsurvivor = []\n", "dedup.survivor"),
        ("[dedup]\ncontainment = 1.5\n", "dedup.containment"),
        ("[dedup]\npasses = 1\n", "dedup.paragraphs"),
        (
            "[dedup]\npasses = 1\nsurvivor = \"longest\"\n[dedup.paragraphs]\nenabled = false\n",
            "dedup.passes",
        ),
        (
            "[spam]\nwordlists = [\"no/such/list.txt\"]\n",
            "spam.wordlists",
        ),
        ("[typo_section]\n", "typo_section"),
        ("[dedup]\npermutations = 0\n", "dedup.permutations"),
        ("[input]\nmax_record_bytes = 0\n", "input.max_record_bytes"),
        (
            "[language]\nenabled = false\n[names]\nlanguages = [\"eng\"]\n",
            "names.languages",
        ),
        ("[names]\nlanguages = [\"en\"]\n", "names.languages"),
        (
            "[names]\ntables = [{ path = \"x.tsv\", langauges = [\"rus\"] }]\n",
            "line 2",
        ),
    ] {
        let (code, stderr) = check_with(config);
        assert_eq!(code, 2, "{config}");
        assert!(
            stderr.contains(key),
            "{config}: message should name {key}: {stderr}"
        );
        assert!(
            stderr.contains("pipeline.toml"),
            "message should name the file: {stderr}"
        );
    }
}

#[test]
fn stages_can_be_switched_off() {
    let (code, _) = check_with("[names]\nenabled = false\n[dedup]\nenabled = false\n");
    assert_eq!(code, 0);
}

/// Issue 15, item 6: a file holding only `[dedup]` used to run with no boilerplate rules, no
/// spam list and no name table (Rust defaults with empty lists). Now every key it leaves out
/// comes from the shipped pipeline.toml, and `check` says which.
#[test]
fn partial_config_keeps_the_shipped_defaults() {
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("partial.toml");
    fs::write(&config, "[dedup]\nthreshold = 0.3\n").unwrap();
    let config = config.display().to_string();
    let check = newsclean(&["check", "-c", &config]);
    assert!(check.status.success());
    let stdout = String::from_utf8_lossy(&check.stdout);
    let full =
        String::from_utf8_lossy(&newsclean(&["check", "-c", "pipeline.toml"]).stdout).into_owned();
    let stages = |s: &str| {
        s.lines()
            .skip(1)
            .take(10)
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        stages(&stdout),
        stages(&full),
        "the same stages as the shipped file"
    );
    assert!(stdout.contains("from the shipped defaults"), "{stdout}");
    assert!(
        stdout.contains("[boilerplate]") && stdout.contains("dedup.shingle"),
        "{stdout}"
    );
    assert!(!stdout.contains("dedup.threshold"), "{stdout}");
    // And a run with it writes what the default pipeline writes.
    let clean = tmp.path().join("clean.csv");
    let out = newsclean(&[
        "run",
        "-q",
        "-c",
        &config,
        "-o",
        clean.to_str().unwrap(),
        "samples",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let golden = fs::read_to_string(common::root().join("tests/golden/samples/clean.csv")).unwrap();
    assert_eq!(fs::read_to_string(&clean).unwrap(), golden);
}
