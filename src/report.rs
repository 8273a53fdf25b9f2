//! The run report: counts per stage and reason, edits per rule, languages, timings and
//! throughput. Written as JSON with `--report` and summarized on stderr at the end.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::document::{Action, Cleaned};
use crate::stage::dedup::Index;

/// Kept and rejected documents of one language.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct LanguageCount {
    pub kept: u64,
    pub rejected: u64,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Report {
    pub files: u64,
    /// Files inside input directories that were not read (unknown type).
    pub skipped_files: Vec<String>,
    /// Input files that held no record (an empty .jsonl or a .csv with only a header).
    pub empty_files: Vec<String>,
    /// Input files that could not be read to the end (corrupt gzip, a broken link, an I/O
    /// error): the records read before the failure were cleaned like any others.
    pub unreadable_files: Vec<Unreadable>,
    /// Documents whose id an earlier document of the run already had.
    pub duplicate_ids: u64,
    pub bytes_in: u64,
    pub documents_in: u64,
    pub kept: u64,
    pub rejected: u64,
    /// stage → reason → documents.
    pub rejected_by: BTreeMap<String, BTreeMap<String, u64>>,
    /// Lines or paragraphs removed: stage → rule → count.
    pub removed_by: BTreeMap<String, BTreeMap<String, u64>>,
    /// Name replacements: "variant -> canonical" → count.
    pub names_replaced: BTreeMap<String, u64>,
    /// Detected language → kept/rejected documents.
    pub languages: BTreeMap<String, LanguageCount>,
    /// Seconds spent in each stage, summed over threads.
    pub stage_seconds: BTreeMap<String, f64>,
    /// What the dedup index held at the end, when dedup ran.
    pub dedup_index: Option<DedupIndex>,
    /// 1, or 2 when the survivor policy needed the whole dump before writing.
    pub passes: u32,
    pub threads: usize,
    pub seconds: f64,
    pub documents_per_second: f64,
    pub megabytes_per_second: f64,
}

/// An input file that could not be read to its end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unreadable {
    pub file: String,
    pub error: String,
    /// Records read from it before the failure.
    pub records_read: u64,
}

/// The dedup index at the end of a run.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct DedupIndex {
    /// Documents in the index (kept, or first of their cluster).
    pub documents: u64,
    /// Documents whose sketches it holds: those, and duplicates that brought new text.
    pub indexed: u64,
    /// Bytes it held in memory, and per document.
    pub bytes: u64,
    pub bytes_per_document: f64,
    /// Kept documents met in an LSH band, summed over all checks.
    pub candidates: u64,
    /// Candidates whose shingle sets were compared exactly.
    pub verified: u64,
}

impl DedupIndex {
    pub fn of(index: &Index) -> DedupIndex {
        let documents = index.kept() as u64;
        let bytes = index.bytes() as u64;
        DedupIndex {
            documents,
            indexed: index.indexed() as u64,
            bytes,
            bytes_per_document: (bytes as f64 / documents.max(1) as f64).round(),
            candidates: index.stats.candidates,
            verified: index.stats.verified,
        }
    }
}

/// The part of a rejection reason that names its kind: "rus (0.98)" → "rus".
fn reason_kind(reason: &str) -> &str {
    reason.split([':', '(']).next().unwrap_or(reason).trim()
}

impl Report {
    /// Counts one finished document.
    pub fn count(&mut self, doc: &Cleaned) {
        self.documents_in += 1;
        self.bytes_in += doc.doc.text.len() as u64;
        if !doc.language.is_empty() {
            let language = self.languages.entry(doc.language.clone()).or_default();
            match doc.rejection {
                Some(_) => language.rejected += 1,
                None => language.kept += 1,
            }
        }
        match &doc.rejection {
            Some(r) => {
                self.rejected += 1;
                let kinds = self.rejected_by.entry(r.stage.to_string()).or_default();
                *kinds.entry(reason_kind(&r.reason).to_string()).or_default() += 1;
            }
            None => {
                self.kept += 1;
                for e in &doc.edits {
                    match e.action {
                        Action::Remove => {
                            let rules = self.removed_by.entry(e.stage.to_string()).or_default();
                            *rules.entry(e.rule.clone()).or_default() += 1;
                        }
                        Action::Replace => {
                            *self
                                .names_replaced
                                .entry(format!("{} -> {}", e.before, e.after))
                                .or_default() += 1;
                        }
                    }
                }
            }
        }
    }

    /// Adds the counts of a report over later documents (a shard written after this one's):
    /// what `newsclean steps merge` does to the shards' reports, in shard order.
    pub fn add(&mut self, later: &Report) {
        fn sum(into: &mut BTreeMap<String, u64>, from: &BTreeMap<String, u64>) {
            for (key, n) in from {
                *into.entry(key.clone()).or_default() += n;
            }
        }
        self.empty_files.extend(later.empty_files.iter().cloned());
        self.unreadable_files
            .extend(later.unreadable_files.iter().cloned());
        self.duplicate_ids += later.duplicate_ids;
        self.bytes_in += later.bytes_in;
        self.documents_in += later.documents_in;
        self.kept += later.kept;
        self.rejected += later.rejected;
        for (stage, reasons) in &later.rejected_by {
            sum(self.rejected_by.entry(stage.clone()).or_default(), reasons);
        }
        for (stage, rules) in &later.removed_by {
            sum(self.removed_by.entry(stage.clone()).or_default(), rules);
        }
        sum(&mut self.names_replaced, &later.names_replaced);
        for (language, n) in &later.languages {
            let count = self.languages.entry(language.clone()).or_default();
            count.kept += n.kept;
            count.rejected += n.rejected;
        }
        for (stage, seconds) in &later.stage_seconds {
            *self.stage_seconds.entry(stage.clone()).or_default() += seconds;
        }
    }

    pub fn finish(&mut self, seconds: f64) {
        self.seconds = seconds;
        let s = seconds.max(1e-9);
        self.documents_per_second = (self.documents_in as f64 / s).round();
        self.megabytes_per_second = ((self.bytes_in as f64 / 1e6 / s) * 100.0).round() / 100.0;
    }

    /// The one-screen summary printed on stderr.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "newsclean: {} documents from {} files ({:.1} MB) in {:.2} s: {:.1} MB/s, {} docs/s, {} threads",
            self.documents_in, self.files, self.bytes_in as f64 / 1e6, self.seconds,
            self.megabytes_per_second, self.documents_per_second, self.threads
        );
        let _ = writeln!(out, "  kept      {:>8}", self.kept);
        if let Some(index) = &self.dedup_index {
            let _ = writeln!(
                out,
                "  dedup index: {} documents kept and {} duplicates that add text, {:.1} MB in memory ({} bytes per kept document)",
                index.documents,
                index.indexed - index.documents,
                index.bytes as f64 / 1e6,
                index.bytes_per_document
            );
        }
        let _ = writeln!(out, "  rejected  {:>8}", self.rejected);
        for (stage, reasons) in &self.rejected_by {
            let total: u64 = reasons.values().sum();
            let _ = writeln!(out, "    {stage:<10}{total:>8}  {}", top(reasons, 6));
        }
        if !self.languages.is_empty() {
            let mut languages: Vec<(&String, &LanguageCount)> = self.languages.iter().collect();
            languages.sort_by(|a, b| {
                (b.1.kept + b.1.rejected)
                    .cmp(&(a.1.kept + a.1.rejected))
                    .then(a.0.cmp(b.0))
            });
            let parts: Vec<String> = languages
                .iter()
                .take(8)
                .map(|(code, n)| format!("{code} {}/{}", n.kept, n.kept + n.rejected))
                .collect();
            let more = languages.len().saturating_sub(8);
            let more = if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            };
            let _ = writeln!(out, "  languages (kept/all): {}{more}", parts.join(", "));
        }
        for (stage, rules) in &self.removed_by {
            let total: u64 = rules.values().sum();
            let _ = writeln!(
                out,
                "  removed by {stage:<10}{total:>6} lines  {}",
                top(rules, 6)
            );
        }
        let replaced: u64 = self.names_replaced.values().sum();
        if replaced > 0 {
            let _ = writeln!(
                out,
                "  names replaced {replaced:>6}  {}",
                top(&self.names_replaced, 5)
            );
        }
        if self.duplicate_ids > 0 {
            let _ = writeln!(
                out,
                "  {} documents reuse the id of an earlier one",
                self.duplicate_ids
            );
        }
        if !self.unreadable_files.is_empty() {
            let first = &self.unreadable_files[0];
            let _ = writeln!(
                out,
                "  {} input files could not be read to the end (first: {}: {})",
                self.unreadable_files.len(),
                first.file,
                first.error
            );
        }
        if !self.empty_files.is_empty() {
            let _ = writeln!(
                out,
                "  {} input files held no records (first: {})",
                self.empty_files.len(),
                self.empty_files[0]
            );
        }
        if !self.skipped_files.is_empty() {
            let _ = writeln!(
                out,
                "  skipped {} files of unknown type (first: {})",
                self.skipped_files.len(),
                self.skipped_files[0]
            );
        }
        out
    }
}

/// "a 3, b 2, ..." for the largest counts.
fn top(counts: &BTreeMap<String, u64>, n: usize) -> String {
    let mut items: Vec<(&String, &u64)> = counts.iter().collect();
    items.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut parts: Vec<String> = items
        .iter()
        .take(n)
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    if items.len() > n {
        parts.push(format!("(+{} more)", items.len() - n));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reason_kinds() {
        assert_eq!(super::reason_kind("rus (0.98)"), "rus");
        assert_eq!(
            super::reason_kind("invalid JSON: EOF at line 1"),
            "invalid JSON"
        );
        assert_eq!(super::reason_kind("too short to tell"), "too short to tell");
    }
}
