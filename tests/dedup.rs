//! Dedup end to end: the clusters CSV, survivor policies (two passes), containment, the date
//! window, and identical output for any thread count.

mod common;

use std::path::{Path, PathBuf};

use common::{newsclean, read_csv};
use tempfile::TempDir;

const STORY_A: [&str; 3] = [
    "The regional water authority said on Tuesday that it would build a new reservoir in the hills above the valley, the first in the district for more than forty years.",
    "Engineers expect the reservoir to hold enough water for two hundred thousand homes through a dry summer, and the authority said construction would begin next spring if the planning board gives its approval in the autumn.",
    "Farmers in the valley have complained for years that the old supply runs short in August, when irrigation demand peaks and the river is at its lowest level.",
];

const UPDATE_A: &str =
    "Later on Tuesday the planning board said it would hold two public hearings before deciding.";

const STORY_B: [&str; 8] = [
    "A small museum of clocks in the old market town reopened on Saturday after a two year restoration paid for by donations from local families and a national heritage fund.",
    "The collection of more than three hundred clocks includes a tower mechanism from the town church, which volunteers took apart piece by piece and cleaned by hand over eighteen months.",
    "The curator said that visitor numbers had fallen before the closure because the building was cold and damp, and that the new heating and lighting would let the museum open all year.",
    "Schools in the county have already booked visits for the spring term, and the museum plans evening talks on the history of timekeeping, navigation at sea and the railway clocks of the last century.",
    "Entry will remain free for children, while adults will be asked for a small donation to help pay for the upkeep of the building and the wages of its two part time staff.",
    "The restoration team hopes to finish work on the last of the large clocks, a long case clock made in the town around 1790, before the end of the summer.",
    "A local historian has written a short guide to the collection, with photographs of the workshop where the clocks were repaired and notes on the families who donated them.",
    "The museum will also lend a number of pocket watches to the county library for an exhibition about the mail coaches that once stopped in the market square on their way north.",
];

const STORY_C: [&str; 2] = [
    "The city football club confirmed on Friday that its captain will miss the rest of the season after an operation on his knee, a blow to its hopes of promotion in the final weeks.",
    "The manager said the squad had enough experience to cope, and that a young defender from the academy would take the armband for the remaining seven matches of the league campaign.",
];

fn line(id: &str, date: &str, outlet: &str, paragraphs: &[&str]) -> String {
    serde_json::json!({
        "id": id, "date": date, "outlet": outlet, "text": paragraphs.join("\n\n"),
    })
    .to_string()
}

/// The dump: story A three times (original, a longer update, an edited copy), story B and
/// its first paragraph as a short version, story C and an exact copy 19 days later.
fn dump(dir: &Path) -> PathBuf {
    let edited: Vec<String> = STORY_A
        .iter()
        .map(|p| {
            p.replace("Tuesday", "Wednesday")
                .replace("forty", "fifty")
                .replace("years", "decades")
        })
        .collect();
    let edited: Vec<&str> = edited.iter().map(String::as_str).collect();
    let update: Vec<&str> = STORY_A.iter().copied().chain([UPDATE_A]).collect();
    let lines = [
        line("a1", "2022-03-01", "smallpaper.net", &STORY_A),
        line("b1", "2022-03-02", "museum-news.org", &STORY_B),
        line("a2", "2022-03-03", "reuters.com", &update),
        line("a3", "2022-02-20", "www.bbc.co.uk", &edited),
        line("b2", "2022-03-04", "reuters.com", &STORY_B[..2]),
        line("c1", "2022-06-01", "", &STORY_C),
        line("c2", "2022-06-20", "", &STORY_C),
    ];
    let path = dir.join("dump.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// Runs with `[dedup]` settings added to the built-in config; returns (id, survivor, cluster)
/// rows of the clusters CSV and the kept ids.
fn run(dedup: &str, threads: &str) -> (Vec<(String, String, String)>, Vec<String>, TempDir) {
    run_on(dump, dedup, threads)
}

fn run_on(
    dump: fn(&Path) -> PathBuf,
    dedup: &str,
    threads: &str,
) -> (Vec<(String, String, String)>, Vec<String>, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path();
    let input = dump(tmp);
    let config = tmp.join("pipeline.toml");
    std::fs::write(&config, format!("[dedup]\n{dedup}\n")).unwrap();
    let (clean, clusters) = (tmp.join("clean.csv"), tmp.join("clusters.csv"));
    let path = |p: &Path| p.display().to_string();
    let out = newsclean(&[
        "run",
        "-q",
        "-j",
        threads,
        "-c",
        &path(&config),
        "-o",
        &path(&clean),
        "--rejects",
        &path(&tmp.join("rejects.csv")),
        "--clusters",
        &path(&clusters),
        &path(&input),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = read_csv(&clusters)
        .into_iter()
        .map(|r| (r["id"].clone(), r["survivor"].clone(), r["cluster"].clone()))
        .collect();
    let kept = read_csv(&clean)
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    (rows, kept, dir)
}

fn rows(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn first_survives_by_default_and_every_duplicate_is_listed() {
    let (clusters, kept, dir) = run("", "2");
    assert_eq!(
        clusters,
        rows(&[
            ("a2", "a1", "a1"),
            ("a3", "a1", "a1"),
            ("b2", "b1", "b1"),
            ("c2", "c1", "c1"),
        ])
    );
    assert_eq!(kept, ["a1", "b1", "c1"]);
    let one_pass = run("passes = 1\n[dedup.paragraphs]\nenabled = false", "2");
    assert_eq!((one_pass.0, one_pass.1), (clusters.clone(), kept.clone()));
    let rejects = read_csv(&dir.path().join("rejects.csv"));
    let reason = |id: &str| rejects.iter().find(|r| r["id"] == id).unwrap()["reason"].clone();
    assert_eq!(reason("b2"), "contained duplicate");
    assert_eq!(reason("c2"), "exact duplicate");
    let all = read_csv(&dir.path().join("clusters.csv"));
    let b2 = all.iter().find(|r| r["id"] == "b2").unwrap();
    assert_eq!(b2["containment"], "1.000");
    assert!(b2["similarity"].parse::<f64>().unwrap() < 0.3, "{b2:?}");
}

#[test]
fn survivor_policies_pick_the_longest_earliest_or_preferred_source() {
    let (clusters, kept, _) = run("survivor = \"longest\"", "2");
    assert_eq!(kept, ["b1", "a2", "c1"]);
    assert_eq!(
        clusters,
        rows(&[
            ("a1", "a2", "a1"),
            ("a3", "a2", "a1"),
            ("b2", "b1", "b1"),
            ("c2", "c1", "c1"),
        ])
    );
    let (_, kept, _) = run("survivor = \"earliest\"", "2");
    assert_eq!(kept, ["b1", "a3", "c1"]);
    let (_, kept, _) = run("survivor = [\"bbc.co.uk\", \"reuters.com\"]", "2");
    assert_eq!(
        kept,
        ["a3", "b2", "c1"],
        "b2's outlet is listed, b1's is not"
    );
}

#[test]
fn the_date_window_keeps_a_late_copy() {
    // a3 is 9 days from a1, c2 19 days from c1.
    let (clusters, kept, _) = run("window_days = 10", "1");
    assert_eq!(kept, ["a1", "b1", "c1", "c2"]);
    assert_eq!(clusters.len(), 3);
}

#[test]
fn two_passes_give_the_same_bytes_for_any_thread_count() {
    for policy in ["survivor = \"longest\"", ""] {
        let (_, _, one) = run(policy, "1");
        let (_, _, two) = run(policy, "4");
        for file in ["clean.csv", "rejects.csv", "clusters.csv"] {
            assert_eq!(
                std::fs::read(one.path().join(file)).unwrap(),
                std::fs::read(two.path().join(file)).unwrap(),
                "{policy}: {file}"
            );
        }
    }
}

const NOTICE: &str = "This article was translated with the help of AI and checked by our editors.";

const QUOTE: &str = "\"We have always said that the door to talks is open, but talks cannot mean that one side gives up its land, its people or its right to choose its own future, and nobody in this room believes that they can,\" the minister told reporters after the meeting.";

/// Three different stories, all with the same notice, two with the same long quote.
fn shared_dump(dir: &Path) -> PathBuf {
    let lines = [
        line("a", "", "", &[&STORY_A[..], &[QUOTE, NOTICE]].concat()),
        line("b", "", "", &[&STORY_C[..], &[NOTICE]].concat()),
        line("c", "", "", &[&STORY_B[..], &[QUOTE, NOTICE]].concat()),
    ];
    let path = dir.join("shared.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn shared_paragraphs_go_everywhere_and_a_syndicated_one_stays_first() {
    let config = "[dedup.paragraphs]\nmin_documents = 3";
    let (clusters, kept, dir) = run_on(shared_dump, config, "2");
    assert!(clusters.is_empty(), "three different stories: {clusters:?}");
    assert_eq!(kept, ["a", "b", "c"]);
    let clean = read_csv(&dir.path().join("clean.csv"));
    for row in &clean {
        assert!(
            !row["text"].contains("translated with the help of AI"),
            "{row:?}"
        );
    }
    let quoted: Vec<&str> = clean
        .iter()
        .filter(|r| r["text"].contains("the door to talks is open"))
        .map(|r| r["id"].as_str())
        .collect();
    assert_eq!(quoted, ["a"]);

    // With a higher bar the notice is not boilerplate any more.
    let (_, _, dir) = run_on(shared_dump, "[dedup.paragraphs]\nmin_documents = 4", "1");
    let clean = read_csv(&dir.path().join("clean.csv"));
    assert!(clean
        .iter()
        .all(|r| r["text"].contains("translated with the help of AI")));
}

/// Issue 15, item 7: a document that duplicates two clusters merges them (union-find over the
/// whole dump, two passes): story A, story C, then A and C joined into one document.
#[test]
fn a_document_bridging_two_clusters_merges_them() {
    fn bridged(dir: &Path) -> PathBuf {
        let joined: Vec<&str> = STORY_A.iter().chain(STORY_C.iter()).copied().collect();
        let lines = [
            line("a", "", "", &STORY_A),
            line("c", "", "", &STORY_C),
            line("ac", "", "", &joined),
        ];
        let path = dir.join("bridged.jsonl");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    }
    let (clusters, kept, _dir) = run_on(bridged, "passes = 2", "2");
    assert_eq!(kept, ["a"], "one cluster, its first document kept");
    assert_eq!(clusters, rows(&[("c", "a", "a"), ("ac", "a", "a")]));
    // Streaming (one pass) decides as documents come: c is kept before ac links it to a.
    let one_pass = "passes = 1\n[dedup.paragraphs]\nenabled = false";
    let (_, kept, _dir) = run_on(bridged, one_pass, "2");
    assert_eq!(kept, ["a", "c"]);
}

/// Issue 15, item 7: paragraph counts are per story. Copies of one story (each with the
/// notice) count once, so the notice in story a and its three copies is in one story, not
/// four: with min_documents = 3 it stays; in three different stories it goes.
#[test]
fn duplicates_of_one_story_count_once_for_shared_paragraphs() {
    fn copies(dir: &Path) -> PathBuf {
        let story = [&STORY_A[..], &[NOTICE]].concat();
        let lines: Vec<String> = ["a", "a2", "a3", "a4"]
            .iter()
            .map(|id| line(id, "", "", &story))
            .chain([line("b", "", "", &STORY_C)])
            .collect();
        let path = dir.join("copies.jsonl");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path
    }
    let (clusters, kept, dir) = run_on(copies, "[dedup.paragraphs]\nmin_documents = 3", "2");
    assert_eq!(kept, ["a", "b"]);
    assert_eq!(clusters.len(), 3, "{clusters:?}");
    let clean = read_csv(&dir.path().join("clean.csv"));
    assert!(
        clean[0]["text"].contains("translated with the help of AI"),
        "{clean:?}"
    );
}

const DISCLAIMER: &str = "The views and opinions expressed in the reviews and interviews on this site are those of the authors alone and do not necessarily reflect the official policy or position of the publisher, its editors or its advertisers. Ratings and release dates are given in good faith from the information available at the time of writing and may change without notice, so please check with the cinema before you travel.";

const TEASERS: [&str; 5] = [
    "A quiet drama about two sisters running a failing bakery on the coast wins the jury prize at the autumn festival in Lisbon.",
    "The director of last year's surprise hit animated film says her next project will be a musical set in a mining town in Wales.",
    "Three classic westerns return to cinemas this month in new prints, with a season of talks on the making of the genre.",
    "An actor known for comic roles plays a grieving father in a thriller that has already divided critics after its first screening.",
    "The studio behind the space saga confirms a fourth film, to be shot in the desert next spring with most of the original cast.",
];

/// Issue 13: five different teasers of one film site, each ending with the site's long
/// disclaimer, and six copies of one story republished with one word edited in a
/// different paragraph each (one with a short intro line added).
fn disclaimer_dump(dir: &Path) -> PathBuf {
    let mut lines: Vec<String> = TEASERS
        .iter()
        .enumerate()
        .map(|(i, teaser)| line(&format!("t{i}"), "", "", &[teaser, DISCLAIMER]))
        .collect();
    for copy in 0..6 {
        let mut story: Vec<String> = STORY_B.iter().map(|p| p.to_string()).collect();
        story[copy] = story[copy].replacen(" the ", " a ", 1);
        if copy == 5 {
            story.insert(
                0,
                "This story was first published by our partners at the county desk.".into(),
            );
        }
        let story: Vec<&str> = story.iter().map(String::as_str).collect();
        lines.push(line(&format!("s{copy}"), "", "", &story));
    }
    let path = dir.join("disclaimer.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn documents_sharing_only_a_widely_shared_paragraph_are_not_duplicates() {
    let (clusters, kept, dir) = run_on(disclaimer_dump, "", "2");
    assert_eq!(kept, ["t0", "t1", "t2", "t3", "t4", "s0"], "{clusters:?}");
    let copies: Vec<&str> = clusters.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(copies, ["s1", "s2", "s3", "s4", "s5"]);
    let clean = read_csv(&dir.path().join("clean.csv"));
    assert!(
        clean
            .iter()
            .all(|r| !r["text"].contains("views and opinions")),
        "the disclaimer, now in five stories, is removed from each"
    );
    // The same bytes when the counting and clustering passes read and clean again, on one
    // thread.
    let (_, _, again) = run_on(disclaimer_dump, "keep_cleaned = false", "1");
    for file in ["clean.csv", "rejects.csv", "clusters.csv"] {
        assert_eq!(
            std::fs::read(dir.path().join(file)).unwrap(),
            std::fs::read(again.path().join(file)).unwrap(),
            "{file}"
        );
    }
    // Judged on all their text, the teasers are duplicates of the first (the premise).
    let off = "[dedup.paragraphs]\nexclude_from_matching = false";
    let (_, kept, _dir) = run_on(disclaimer_dump, off, "2");
    assert_eq!(kept, ["t0", "s0"]);
}
