//! The default pipeline on ../shared/seeds: every item of ../shared/DIRT.md, checked against
//! the seeds' own paragraphs (numbered as DIRT.md numbers them: non-empty lines from 1).
//! Skipped with a note when ../shared is absent.

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use common::{read_csv, run_into, shared};

struct Seeds {
    /// id → clean row.
    clean: HashMap<String, HashMap<String, String>>,
    edits: Vec<HashMap<String, String>>,
    rejects: usize,
    dir: PathBuf,
}

impl Seeds {
    fn load() -> Option<Seeds> {
        let shared = shared("seeds")?;
        let dir = shared.join("seeds");
        let tmp = tempfile::tempdir().unwrap();
        let [clean, rejects, edits] = run_into(tmp.path(), &[&dir], &[]);
        Some(Seeds {
            clean: read_csv(&clean)
                .into_iter()
                .map(|r| (r["id"][..3].to_string(), r))
                .collect(),
            edits: read_csv(&edits),
            rejects: read_csv(&rejects).len(),
            dir,
        })
    }

    fn text(&self, seed: &str) -> &str {
        &self.clean[seed]["text"]
    }

    /// The seed's original paragraph `n` (1-based), trimmed.
    fn paragraph(&self, seed: &str, n: usize) -> String {
        let name = fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(seed))
            .unwrap();
        let text = fs::read_to_string(name).unwrap();
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .nth(n - 1)
            .unwrap()
            .to_string()
    }

    fn removed(&self, seed: &str) -> Vec<(String, String)> {
        self.edits
            .iter()
            .filter(|e| e["id"].starts_with(seed) && e["action"] == "remove")
            .map(|e| (e["rule"].clone(), e["before"].clone()))
            .collect()
    }

    fn replaced(&self, seed: &str) -> Vec<(String, String)> {
        self.edits
            .iter()
            .filter(|e| e["id"].starts_with(seed) && e["action"] == "replace")
            .map(|e| (e["before"].clone(), e["after"].clone()))
            .collect()
    }
}

fn count(text: &str, word: &str) -> usize {
    let re = regex::Regex::new(&format!(r"\b{}\b", regex::escape(word))).unwrap();
    re.find_iter(text).count()
}

#[test]
fn dirt_items_hold_on_the_seeds() {
    let Some(s) = Seeds::load() else { return };
    assert_eq!(
        (s.clean.len(), s.rejects),
        (5, 0),
        "all five seeds are kept"
    );
    for seed in ["000", "001", "002", "003", "004"] {
        assert!(
            !s.text(seed).contains("\n\n\n"),
            "{seed}: one blank line between paragraphs"
        );
        assert!(
            s.text(seed).lines().all(|l| l == l.trim()),
            "{seed}: lines trimmed"
        );
    }

    // 000: paragraph 8 repeats paragraph 2 reworded; names; paragraph 9 stays.
    let t = s.text("000");
    assert!(t.contains(&s.paragraph("000", 2)));
    assert!(
        !t.contains(&s.paragraph("000", 8)),
        "000 ¶8 (near repeat of ¶2) removed"
    );
    assert!(
        t.contains(&s.paragraph("000", 9)),
        "000 ¶9 garbled sub-heading kept"
    );
    assert_eq!((count(t, "Kharkov"), count(t, "Kharkiv")), (0, 1));
    assert!(t.contains("Sergei Shoigu") && !t.contains("Shoygu") && !t.contains("Sergey"));
    assert_eq!(count(t, "Zelensky"), 0);
    assert_eq!(s.removed("000").len(), 1);

    // 001: nothing is junk; Kiev inside a quote becomes Kyiv; Shoigu already canonical.
    let t = s.text("001");
    assert!(
        s.removed("001").is_empty(),
        "001 is the false-positive test: {:?}",
        s.removed("001")
    );
    assert_eq!(
        s.replaced("001"),
        [("Kiev".to_string(), "Kyiv".to_string())]
    );
    for n in [12, 15, 17, 26, 30, 34] {
        assert!(
            t.contains(&s.paragraph("001", n)),
            "001 ¶{n} sub-heading kept"
        );
    }
    assert!(t.contains("Sergei Shoigu") && count(t, "Kiev") == 0);

    // 002: caption and AI notice go; names already canonical.
    let mut removed: Vec<String> = s.removed("002").into_iter().map(|(_, line)| line).collect();
    removed.sort();
    let mut want = [s.paragraph("002", 2), s.paragraph("002", 11)];
    want.sort();
    assert_eq!(
        removed, want,
        "the caption and the AI notice, in whichever stage"
    );
    assert!(s.replaced("002").is_empty());

    // 003: caption ¶4 and exact repeat ¶16 go; four spellings of Medinsky; indentation.
    let t = s.text("003");
    assert!(
        !t.contains(&s.paragraph("003", 4)),
        "003 ¶4 caption removed"
    );
    assert_eq!(
        t.matches(&s.paragraph("003", 3)).count(),
        1,
        "003 ¶16 repeat of ¶3 removed"
    );
    for variant in [
        "Mekinsky", "Mezynski", "Meginsky", "Podoljak", "Alahamia", "Zelensky",
    ] {
        assert_eq!(count(t, variant), 0, "003: {variant} replaced");
    }
    assert_eq!(count(t, "Medinsky"), 3);
    assert_eq!(count(t, "Podolyak"), 2);
    assert_eq!(count(t, "Arakhamia"), 1);
    assert!(
        t.lines().any(|l| l.starts_with("· Ukraine will confirm")),
        "003 bullets kept, unindented"
    );

    // 004: headline to title; inline links ¶5, ¶12, ¶17; appended stories ¶22–25; spam ¶26.
    let row = &s.clean["004"];
    assert_eq!(row["title"], s.paragraph("004", 1));
    let t = s.text("004");
    assert!(t.starts_with(&s.paragraph("004", 2)));
    for n in [5, 12, 17, 22, 23, 24, 25, 26] {
        let p = s.paragraph("004", n);
        assert!(!t.contains(&p[..40.min(p.len())]), "004 ¶{n} removed");
    }
    let last = s.paragraph("004", 21).replace("Zelenskiy", "Zelenskyy");
    assert!(t.ends_with(&last), "004 ends at ¶21");
    assert!(t.contains("Zelenskyy’s") && count(t, "Zelenskiy") == 0);
    let rules: Vec<String> = s.removed("004").into_iter().map(|(rule, _)| rule).collect();
    let appended = |r: &String| r == "unrelated_story" || r == "appended_story";
    assert!(rules.iter().any(appended) && rules.contains(&"spam_line".to_string()));
}

#[test]
fn seeds_survive_dedup_and_language() {
    let Some(s) = Seeds::load() else { return };
    for row in s.clean.values() {
        assert_eq!(row["language"], "eng");
        assert_eq!(row["sha256"].len(), 64);
    }
}
