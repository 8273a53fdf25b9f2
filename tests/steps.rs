//! A run split into steps (`newsclean steps`, scale/xargs_run.sh) writes what `newsclean run`
//! writes, byte for byte, for 1, 3 and 7 shards: on a corpus written here to hold every case
//! that depends on the order of the whole dump (a copy before its original, a document that
//! duplicates two stories, a paragraph shared by many stories, a syndicated one, exact copies,
//! bad records, an empty file) and, with ../shared, on 1,000 documents of bench/dedup_corpus.py
//! beside it, where scale/spark_run.py (Spark, `local[2]`) must agree too.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{newsclean, root};

const WORDS: [&[&str]; 7] = [
    &[
        "new",
        "old",
        "local",
        "regional",
        "small",
        "large",
        "public",
        "private",
        "northern",
        "southern",
        "main",
        "second",
        "former",
        "temporary",
        "national",
        "rural",
    ],
    &[
        "council", "ministry", "bridge", "hospital", "railway", "budget", "school", "port",
        "market", "shelter", "harbour", "factory", "court", "museum", "airport", "library",
    ],
    &[
        "closed",
        "opened",
        "repaired",
        "rebuilt",
        "funded",
        "inspected",
        "delayed",
        "moved",
        "expanded",
        "sold",
        "replaced",
        "protected",
        "cleared",
        "visited",
        "measured",
        "painted",
    ],
    &[
        "in", "near", "outside", "behind", "across", "beyond", "around", "above",
    ],
    &[
        "Lviv",
        "Odesa",
        "Warsaw",
        "Berlin",
        "Geneva",
        "Istanbul",
        "Vienna",
        "Prague",
        "Riga",
        "Tallinn",
        "Vilnius",
        "Helsinki",
        "Krakow",
        "Dnipro",
        "Bucharest",
        "Sofia",
    ],
    &[
        "on Monday",
        "last week",
        "this spring",
        "in the morning",
        "after the storm",
        "before the holiday",
        "during the night",
        "by the end of May",
        "on Friday",
        "earlier this year",
        "over the weekend",
        "at short notice",
    ],
    &[
        "officials said",
        "a spokesman said",
        "residents told reporters",
        "the mayor said",
        "engineers said",
        "the report found",
        "volunteers said",
        "the agency confirmed",
    ],
];

/// A sentence of story `story`, number `n`: plain English news prose, drawn from `WORDS` by
/// a hash of (story, n), so that stories share words but seldom five in a row.
fn sentence(story: usize, n: usize) -> String {
    let mut state = (story as u64 * 1_000_003 + n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut pick = |slot: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        WORDS[slot][(state >> 33) as usize % WORDS[slot].len()]
    };
    let (a, b, c, d, e, f, g) = (
        pick(0),
        pick(1),
        pick(2),
        pick(0),
        pick(1),
        pick(3),
        pick(4),
    );
    let (h, i) = (pick(5), pick(6));
    format!("The {a} {b} {c} the {d} {e} {f} {g} {h}, {i}.")
}

/// Story `story` as paragraphs of three sentences.
fn story(story: usize, paragraphs: usize) -> Vec<String> {
    (0..paragraphs)
        .map(|p| {
            (0..3)
                .map(|s| sentence(story, p * 3 + s))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn jsonl(id: &str, date: &str, paragraphs: &[String]) -> String {
    let doc = serde_json::json!({
        "id": id,
        "title": format!("Story {id}"),
        "date": date,
        "url": format!("https://news.example/{id}"),
        "text": paragraphs.join("\n\n"),
    });
    doc.to_string() + "\n"
}

const SHARED_NOTICE: &str = "This report was produced with support from readers who fund our \
    independent journalism every month.";

/// A syndicated background paragraph of more than 40 words, found in two different stories.
fn syndicated() -> String {
    "Background: the agreement signed last year set out how the two countries would share the \
     river, which roads would stay open to trucks, how many inspectors each side would send to \
     the border crossings, and which court would settle the disputes that both governments \
     expected to arise before the next election."
        .to_string()
}

/// Writes the corpus: several JSONL files, a .txt and an empty file, in input order.
fn write_corpus(dir: &Path) {
    let mut files: Vec<String> = vec![String::new(); 5];
    // A copy of story 1 with a paragraph edited, before the original (file 0 < file 2).
    let mut copy = story(1, 6);
    copy[2] = story(90, 1)[0].clone();
    files[0] += &jsonl("copy-before-original", "2024-03-02", &copy);
    for s in 0..40 {
        let mut paragraphs = story(s, 4 + s % 5);
        // A notice shared by a quarter of the stories: removed from all of them.
        if s % 4 == 0 {
            paragraphs.push(SHARED_NOTICE.to_string());
        }
        // A syndicated paragraph: kept in the first story that has it only.
        if s == 5 || s == 23 {
            paragraphs.insert(1, syndicated());
        }
        let line = jsonl(&format!("story-{s:02}"), "2024-03-01", &paragraphs);
        files[1 + s % 3] += &line;
    }
    // Exact copies, and a document made of halves of stories 7 and 8: it duplicates both.
    files[3] += &jsonl("exact-copy-of-3", "2024-03-03", &story(3, 7));
    let mut bridge = story(7, 11)[..6].to_vec();
    bridge.extend(story(8, 12)[..6].iter().cloned());
    files[3] += &jsonl("bridge-7-8", "2024-03-04", &bridge);
    files[4] += "{\"id\": \"broken\", \"text\": \n";
    files[4] += &jsonl("late-copy-of-1", "2024-03-05", &story(1, 6)[..4]);
    for (i, text) in files.iter().enumerate() {
        std::fs::write(dir.join(format!("part-{i}.jsonl")), text).unwrap();
    }
    std::fs::write(dir.join("part-5.jsonl"), "").unwrap();
    std::fs::write(dir.join("part-6.txt"), story(60, 5).join("\n\n")).unwrap();
}

const OUTPUTS: [&str; 5] = [
    "clean.csv",
    "rejects.csv",
    "edits.csv",
    "clusters.csv",
    "report.json",
];

fn run(input: &Path, out: &Path, config: &[&str], threads: &str) {
    let input = input.display().to_string();
    let mut args = vec!["run", &input, "-q", "-j", threads];
    args.extend(config);
    let outputs = output_args(out);
    args.extend(outputs.iter().map(String::as_str));
    let output = newsclean(&args);
    assert!(
        output.status.code() == Some(0),
        "run failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The steps one after the other, as a driver would run them.
fn steps(input: &Path, out: &Path, config: &[&str], shards: usize) {
    let dir = out.join("steps").display().to_string();
    let input = input.display().to_string();
    let check = |args: &[&str]| {
        let output = newsclean(args);
        assert!(
            output.status.success(),
            "newsclean {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let shards_arg = shards.to_string();
    let mut plan = vec![
        "steps",
        "plan",
        &input,
        "--shards",
        &shards_arg,
        "--dir",
        &dir,
    ];
    plan.extend(config);
    check(&plan);
    for k in 0..shards {
        let k = k.to_string();
        check(&["steps", "clean", "--dir", &dir, "--shard", &k, "-q", "-j1"]);
    }
    check(&["steps", "cluster", "--dir", &dir, "-q", "-j2"]);
    for k in (0..shards).rev() {
        let k = k.to_string();
        check(&["steps", "write", "--dir", &dir, "--shard", &k, "-q", "-j2"]);
    }
    let mut merge = vec!["steps", "merge", "--dir", &dir, "-q"];
    let outputs = output_args(out);
    merge.extend(outputs.iter().map(String::as_str));
    check(&merge);
}

/// The options that write every output of a run into `out`.
fn output_args(out: &Path) -> Vec<String> {
    let flags = ["-o", "--rejects", "--edits", "--clusters", "--report"];
    flags
        .iter()
        .zip(OUTPUTS)
        .flat_map(|(flag, name)| [flag.to_string(), out.join(name).display().to_string()])
        .collect()
}

/// The report without what depends on time or threads.
fn report_counts(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    let mut report: serde_json::Value = serde_json::from_str(&text).unwrap();
    let map = report.as_object_mut().unwrap();
    for timing in [
        "seconds",
        "documents_per_second",
        "megabytes_per_second",
        "threads",
    ] {
        assert!(map.remove(timing).is_some(), "report has {timing}");
    }
    // Which stages were timed is not a timing.
    let stages = map.remove("stage_seconds").unwrap();
    let names: Vec<String> = stages.as_object().unwrap().keys().cloned().collect();
    map.insert("stages".into(), serde_json::json!(names));
    report
}

fn assert_same(expected: &Path, actual: &Path, what: &str) {
    for name in OUTPUTS {
        let (a, b) = (expected.join(name), actual.join(name));
        if name == "report.json" {
            assert_eq!(report_counts(&a), report_counts(&b), "{what}: {name}");
        } else {
            let (x, y) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
            assert!(x == y, "{what}: {name} differs from run's");
        }
    }
}

/// A way to run the steps besides calling them one by one.
enum Driver {
    /// scale/xargs_run.sh with this many shards.
    Xargs(usize),
    /// scale/spark_run.py under this spark-submit, `local[2]`, with these shard counts.
    Spark(PathBuf, &'static [usize]),
}

/// Runs a driver script; panics with its stderr if it fails.
fn drive(mut command: Command, what: &str) {
    command
        .env("NEWSCLEAN_BIN", env!("CARGO_BIN_EXE_newsclean"))
        .current_dir(root());
    let output = command.output().expect("the driver starts");
    assert!(
        output.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `run -j1` and `-j2`, the steps called one by one with each of `shards`, and the drivers:
/// all the same.
fn compare(input: &Path, work: &Path, config: &[&str], shards: &[usize], drivers: &[Driver]) {
    let reference = work.join("run-j1");
    std::fs::create_dir_all(&reference).unwrap();
    run(input, &reference, config, "1");
    let j2 = work.join("run-j2");
    std::fs::create_dir_all(&j2).unwrap();
    run(input, &j2, config, "2");
    assert_same(&reference, &j2, "run -j2");
    for &shards in shards {
        let out = work.join(format!("steps-{shards}"));
        steps(input, &out, config, shards);
        assert_same(&reference, &out, &format!("steps with {shards} shards"));
    }
    for driver in drivers {
        let runs: Vec<(Command, usize, &str)> = match driver {
            Driver::Xargs(shards) => {
                let mut command = Command::new("bash");
                command.arg(root().join("scale/xargs_run.sh"));
                vec![(command, *shards, "scale/xargs_run.sh")]
            }
            Driver::Spark(submit, shard_counts) => shard_counts
                .iter()
                .map(|&shards| {
                    let mut command = Command::new(submit);
                    // spark-submit finds Spark through the venv's python.
                    let bin = submit.parent().unwrap().display().to_string();
                    let path = format!("{bin}:{}", std::env::var("PATH").unwrap_or_default());
                    command.env("PATH", path).args([
                        "--master",
                        "local[2]",
                        &root().join("scale/spark_run.py").display().to_string(),
                    ]);
                    (command, shards, "scale/spark_run.py")
                })
                .collect(),
        };
        for (mut command, shards, what) in runs {
            let out = work.join(format!("{}-{shards}", what.replace('/', "_")));
            command.arg(input).args([
                "--out",
                &out.display().to_string(),
                "--shards",
                &shards.to_string(),
            ]);
            if let ["-c", path] = config {
                command.args(["-c", path]);
            }
            drive(command, what);
            assert_same(&reference, &out, &format!("{what} with {shards} shards"));
        }
    }
}

fn column(csv_path: &Path, column: &str) -> Vec<String> {
    let mut reader = csv::Reader::from_path(csv_path).unwrap();
    let at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == column)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap()[at].to_string())
        .collect()
}

#[test]
fn steps_write_what_run_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("corpus");
    std::fs::create_dir_all(&input).unwrap();
    write_corpus(&input);
    compare(&input, tmp.path(), &[], &[1, 3, 7], &[Driver::Xargs(3)]);
    // The corpus holds what it is meant to: else the comparison proves less than it says.
    let out = tmp.path().join("run-j1");
    let rejects = column(&out.join("rejects.csv"), "id");
    let reasons = column(&out.join("rejects.csv"), "reason");
    let rejects: Vec<String> = rejects
        .into_iter()
        .zip(reasons)
        .map(|(a, b)| format!("{a} {b}"))
        .collect();
    for id in [
        "story-01",
        "exact-copy-of-3",
        "bridge-7-8",
        "late-copy-of-1",
        "part-4.jsonl:1",
    ] {
        assert!(
            rejects.iter().any(|r| r.starts_with(id)),
            "{id} rejected: {rejects:?}"
        );
    }
    // The bridge merged stories 7 and 8 into one cluster.
    let clusters = column(&out.join("clusters.csv"), "cluster");
    let ids = column(&out.join("clusters.csv"), "id");
    let cluster_of = |id: &str| clusters[ids.iter().position(|i| i == id).unwrap()].clone();
    assert!(
        ids.iter().any(|i| i == "story-08"),
        "story 8 joined story 7's cluster: {ids:?}"
    );
    assert_eq!(cluster_of("story-08"), cluster_of("bridge-7-8"));
    let rules = column(&out.join("edits.csv"), "rule");
    for rule in ["shared_paragraph", "syndicated_paragraph"] {
        assert!(rules.iter().any(|r| r == rule), "an edit by {rule}");
    }
    let report = std::fs::read_to_string(out.join("report.json")).unwrap();
    assert!(
        report.contains("part-5.jsonl"),
        "the empty file is reported"
    );
}

#[test]
fn steps_write_what_run_writes_in_one_pass_and_without_dedup() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("corpus");
    std::fs::create_dir_all(&input).unwrap();
    write_corpus(&input);
    let one_pass: &[(&str, &str)] = &[
        ("passes = 2", "passes = 1"),
        (
            "count once.\nenabled = true",
            "count once.\nenabled = false",
        ),
    ];
    let no_dedup: &[(&str, &str)] = &[("[dedup]\nenabled = true", "[dedup]\nenabled = false")];
    for (name, replacements) in [("one-pass.toml", one_pass), ("no-dedup.toml", no_dedup)] {
        let config = common::config_variant(tmp.path(), name, replacements);
        let work = tmp.path().join(format!("{name}.out"));
        compare(&input, &work, &["-c", &config], &[1, 3, 7], &[]);
    }
}

/// The spark-submit that scale/setup_spark.sh makes (or $NEWSCLEAN_SPARK_SUBMIT); None with a
/// note where there is none. CI makes one first (.ci/run), so there its absence fails.
fn spark_submit() -> Option<PathBuf> {
    let path = match std::env::var_os("NEWSCLEAN_SPARK_SUBMIT") {
        Some(path) => PathBuf::from(path),
        None => {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
            cache.join("newsclean/spark-venv/bin/spark-submit")
        }
    };
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI runs the Spark test: {} is missing (.ci/run makes it with scale/setup_spark.sh)",
        path.display()
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "note: skipping the Spark run: no {} (make it with scale/setup_spark.sh)",
        path.display()
    );
    None
}

#[test]
fn steps_xargs_and_spark_write_what_run_writes_on_a_generated_dedup_corpus() {
    let Some(shared) = common::shared("corpora/bbc") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let generated = tmp.path().join("generated");
    let status = Command::new("python3")
        .arg(root().join("bench/dedup_corpus.py"))
        .args(["--docs", "1000", "--near-misses", "--out"])
        .arg(&generated)
        .arg("--shared")
        .arg(&shared)
        .output()
        .expect("python3 runs");
    assert!(
        status.status.success(),
        "dedup_corpus.py: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    // Five files, so that shards cut between them.
    let text = std::fs::read_to_string(generated.join("1000-nm.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let input = tmp.path().join("corpus");
    std::fs::create_dir_all(&input).unwrap();
    for (i, chunk) in lines.chunks(lines.len().div_ceil(5)).enumerate() {
        std::fs::write(input.join(format!("{i}.jsonl")), chunk.join("\n") + "\n").unwrap();
    }
    // And the written corpus after them, for its copy before its original and its bridge.
    let written = input.join("written");
    std::fs::create_dir_all(&written).unwrap();
    write_corpus(&written);
    // The steps one by one where Spark is missing; else Spark's runs stand for them.
    let (shards, drivers): (&[usize], Vec<Driver>) = match spark_submit() {
        Some(submit) => (
            &[],
            vec![Driver::Xargs(3), Driver::Spark(submit, &[1, 3, 7])],
        ),
        None => (&[1, 3, 7], vec![Driver::Xargs(3)]),
    };
    compare(&input, tmp.path(), &[], shards, &drivers);
    let rejects = column(&tmp.path().join("run-j1/rejects.csv"), "stage");
    let dedup = rejects.iter().filter(|s| *s == "dedup").count();
    assert!(dedup > 100, "the corpus has duplicates: {dedup}");
}

#[test]
fn steps_refuse_what_does_not_fit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("steps").display().to_string();
    let expect_error = |args: &[&str], message: &str| {
        let output = newsclean(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    };
    expect_error(
        &["steps", "cluster", "--dir", &dir],
        "run `newsclean steps plan` first",
    );
    let output = newsclean(&["steps", "plan", "samples", "--shards", "2", "--dir", &dir]);
    assert!(output.status.success());
    expect_error(
        &["steps", "clean", "--dir", &dir, "--shard", "2"],
        "shard 2 does not exist",
    );
    expect_error(
        &["steps", "cluster", "--dir", &dir],
        "run `newsclean steps clean --shard 0` first",
    );
    let output = newsclean(&["steps", "clean", "--dir", &dir, "--shard", "0", "-q"]);
    assert!(output.status.success());
    expect_error(
        &["steps", "write", "--dir", &dir, "--shard", "0"],
        "run `newsclean steps cluster` first",
    );
    // An input file changed after the plan.
    let input = tmp.path().join("input");
    std::fs::create_dir_all(&input).unwrap();
    let file = input.join("a.jsonl");
    std::fs::write(&file, jsonl("a", "", &story(1, 3))).unwrap();
    let input_arg = input.display().to_string();
    let plan = ["steps", "plan", &input_arg, "--shards", "1", "--dir", &dir];
    assert!(newsclean(&plan).status.success());
    std::fs::write(
        &file,
        jsonl("b", "", &story(2, 3)) + &jsonl("a", "", &story(1, 3)),
    )
    .unwrap();
    expect_error(
        &["steps", "clean", "--dir", &dir, "--shard", "0"],
        "a.jsonl: changed since `newsclean steps plan`",
    );
    // A steps folder inside an input folder.
    let inside = input.join("steps").display().to_string();
    expect_error(
        &[
            "steps", "plan", &input_arg, "--shards", "1", "--dir", &inside,
        ],
        "is inside the input folder",
    );
    // A config changed after the plan.
    let config = common::config_variant(tmp.path(), "p.toml", &[]);
    let plan = [
        "steps", "plan", "samples", "-c", &config, "--shards", "1", "--dir", &dir,
    ];
    assert!(newsclean(&plan).status.success());
    std::fs::write(
        &config,
        std::fs::read_to_string(&config).unwrap() + "\n# edited\n",
    )
    .unwrap();
    expect_error(
        &["steps", "clean", "--dir", &dir, "--shard", "0"],
        "changed since `newsclean steps plan`",
    );
}

#[test]
fn a_large_jsonl_file_is_cut_at_line_starts_with_its_ids_and_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("corpus");
    std::fs::create_dir_all(&input).unwrap();
    // No ids, so ids are `big.jsonl:<record>`; blank lines, so lines and records differ; a
    // bad line; no newline at the end.
    let mut big = String::new();
    for s in 0..60 {
        let text = story(s, 3).join("\n\n");
        big += &serde_json::json!({ "title": format!("Story {s}"), "text": text }).to_string();
        big += if s % 7 == 3 { "\n\n\n" } else { "\n" };
        if s == 20 {
            big += "{\"text\": 5}\n";
        }
    }
    std::fs::write(input.join("big.jsonl"), big.trim_end()).unwrap();
    std::fs::write(input.join("small.jsonl"), jsonl("small", "", &story(99, 4))).unwrap();
    let reference = tmp.path().join("run-j1");
    std::fs::create_dir_all(&reference).unwrap();
    run(&input, &reference, &[], "1");
    for shards in [2, 4, 9] {
        let out = tmp.path().join(format!("steps-{shards}"));
        steps(&input, &out, &[], shards);
        let plan: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("steps/plan.json")).unwrap())
                .unwrap();
        let parts = plan["pieces"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p.get("part").is_some())
            .count();
        assert!(
            parts >= shards.min(4),
            "big.jsonl cut in {parts} parts for {shards} shards"
        );
        assert_same(&reference, &out, &format!("steps with {shards} shards"));
    }
    // The bad line follows 21 records and 6 blank lines.
    let sources = column(&reference.join("rejects.csv"), "source");
    assert_eq!(sources, ["big.jsonl:28"]);
    let ids = column(&reference.join("clean.csv"), "id");
    assert!(
        ids.iter().any(|id| id == "big.jsonl:61"),
        "the last record: {ids:?}"
    );
}
