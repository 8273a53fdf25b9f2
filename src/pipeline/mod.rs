//! The driver: reads batches of records on one thread, cleans each batch with the
//! per-document stages in parallel (rayon), then runs the dedup barrier and writes every row in
//! input order. This is the only place that knows about threads, so output is byte-identical
//! whatever the thread count.
//!
//! With `dedup.passes = 1` a run is one pass: dedup decides as documents stream by, and the
//! first of each cluster survives. With 2, a clustering pass fingerprints, clusters and scores
//! every document and writes nothing; the writing pass then applies the decisions. Before
//! clustering, with `[dedup.paragraphs] exclude_from_matching`, a counting pass counts every
//! paragraph once per distinct document, so that clustering can leave widely shared text out
//! of its judgement. The first pass reads and cleans; the later ones replay the cleaned
//! documents it kept (`dedup.keep_cleaned`, see [`crate::spill`]) or read and clean again.

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::config::{InputConfig, Pipeline};
use crate::document::Duplicate;
use crate::document::{Body, Cleaned, Rejection};
use crate::error::{Error, Result};
use crate::input::{self, FileNote, InputFile, Record};
use crate::output::{self, Sink};
use crate::report::{DedupIndex, Report, Unreadable};
use crate::spill::{self, Entry, Kept};
use crate::stage::dedup::clusters::Clusters;
use crate::stage::dedup::paragraphs::{self, Frequent, Shared};
use crate::stage::dedup::survivor::day_number;
use crate::stage::dedup::{Dedup, Fingerprint, Index, Kind, Verdict, NAME as DEDUP};
use crate::stage::Stage;
use crate::text::push_word_hashes;

pub mod steps;

/// Stage name for records that could not be read as documents.
pub const INPUT_STAGE: &str = "input";

/// Where the outputs go and how to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    /// Format of standard input (`-`) and of FIFOs without a known extension.
    pub stdin_format: input::Format,
    /// Clean CSV; stdout when None.
    pub output: Option<PathBuf>,
    pub rejects: Option<PathBuf>,
    pub edits: Option<PathBuf>,
    /// CSV of every duplicate: id, survivor, similarity, containment, cluster.
    pub clusters: Option<PathBuf>,
    /// The JSON report the caller writes: only checked here against the other paths.
    pub report: Option<PathBuf>,
    /// Worker threads; all cores when None.
    pub threads: Option<usize>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Print warnings about bad records on stderr (the first few).
    pub warnings: bool,
}

impl RunOptions {
    /// The output files asked for, each with what it is ("clean CSV", "report"...).
    pub fn outputs(&self) -> Vec<(&'static str, &std::path::Path)> {
        [
            ("clean CSV", &self.output),
            ("rejects CSV", &self.rejects),
            ("edits CSV", &self.edits),
            ("clusters CSV", &self.clusters),
            ("report", &self.report),
        ]
        .into_iter()
        .filter_map(|(what, path)| path.as_deref().map(|p| (what, p)))
        .collect()
    }
}

/// Records read together, and what the reader met about their files (empty, unreadable).
#[derive(Default)]
struct Batch {
    records: Vec<Record>,
    notes: Vec<FileNote>,
}

/// How many bad-record warnings are printed before they are only counted.
const MAX_WARNINGS: u64 = 20;

/// A document after the parallel phase.
struct Processed {
    doc: Cleaned,
    text: String,
    sha256: String,
    prints: Prints,
    stage_nanos: Vec<u64>,
    fingerprint_nanos: u64,
    /// What dedup decided about it in the pass that writes, when that changes it.
    outcome: Option<Outcome>,
}

/// What dedup decides about a document in the pass that writes, when that changes it. The
/// barrier applies it where it is decided; a split run writes it between its `cluster` and
/// `write` steps ([`steps`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum Outcome {
    /// A duplicate of another document: rejected.
    Duplicate { kind: Kind, duplicate: Duplicate },
    /// Paragraphs shared with other stories to remove: their positions and rules.
    Drop(Vec<(usize, String)>),
}

impl Processed {
    /// Applies what dedup decided.
    fn apply(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Duplicate { kind, duplicate } => {
                self.doc.rejection = Some(Rejection {
                    stage: DEDUP,
                    reason: kind.reason().into(),
                    duplicate: Some(duplicate.clone()),
                });
            }
            Outcome::Drop(drops) => {
                paragraphs::remove(&mut self.doc, drops);
                if self.doc.body.is_empty() {
                    self.doc.rejection = Some(Rejection::new(DEDUP, "no text left after cleaning"));
                } else {
                    self.text = self.doc.body.to_text();
                    self.sha256 = format!("{:x}", Sha256::digest(self.text.as_bytes()));
                }
            }
        }
    }
}

/// Cleans one document through the per-document stages (everything but dedup, which needs
/// the whole dump).
///
/// ```
/// use newsclean::config::{Origin, Pipeline, BUILTIN_CONFIG};
/// use newsclean::document::Document;
///
/// let pipeline = Pipeline::from_str(BUILTIN_CONFIG, Origin::Builtin).unwrap();
/// let text = "Talks resumed in Kiev on Monday, officials from both delegations said.\n\n\
///             Advertisement\n\n\
///             The next round is planned for the end of the month in Istanbul.\n\n\
///             Both sides said the talks had been useful but that no date was set.";
/// let doc = Document { id: "a".into(), text: text.into(), ..Default::default() };
/// let cleaned = newsclean::pipeline::clean_document(&pipeline, doc);
/// assert!(cleaned.rejection.is_none());
/// assert_eq!(
///     cleaned.body.to_text(),
///     "Talks resumed in Kyiv on Monday, officials from both delegations said.\n\n\
///      The next round is planned for the end of the month in Istanbul.\n\n\
///      Both sides said the talks had been useful but that no date was set."
/// );
/// assert_eq!(cleaned.edits.len(), 2); // the removed line and the replaced name
/// ```
pub fn clean_document(pipeline: &Pipeline, doc: crate::document::Document) -> Cleaned {
    clean_one(pipeline, Record::Doc(doc), Work::default()).doc
}

/// What a pass needs of each document beyond the cleaning: computing only that keeps the
/// passes of a run from doing each other's work.
#[derive(Default, Clone, Copy)]
struct Work<'a> {
    fingerprint: Want<'a>,
    /// Paragraph fingerprints for `[dedup.paragraphs]`.
    paragraphs: bool,
    /// The SHA-256 of the text, for the clean CSV (the pass that writes).
    output: bool,
}

/// Which dedup fingerprint a pass needs.
#[derive(Default, Clone, Copy)]
enum Want<'a> {
    #[default]
    None,
    /// The exact key and the paragraph fingerprints (the pass that counts paragraphs).
    Count,
    /// Everything, with the shingles of the paragraphs `Frequent` counts as widely shared
    /// marked (the passes that decide duplicates).
    Full(Option<&'a Frequent>),
}

/// The words of a cleaned body, line by line (lines are whole words), and where each
/// paragraph's words end.
fn body_words(doc: &Cleaned) -> (Vec<u64>, Vec<usize>) {
    let (mut words, mut ends) = (Vec::new(), Vec::new());
    for lines in &doc.body.paragraphs {
        lines.iter().for_each(|l| push_word_hashes(l, &mut words));
        ends.push(words.len());
    }
    (words, ends)
}

/// What dedup needs of one document in a pass.
#[derive(Default)]
struct Prints {
    fingerprint: Option<Fingerprint>,
    /// Per paragraph, its fingerprint and word count for `[dedup.paragraphs]`.
    paragraphs: Vec<Option<(u64, usize)>>,
}

/// What `work` asks of dedup for one document; the paragraph fingerprints are computed
/// unless `known` (read back from the first pass).
fn prints(
    dedup: &Dedup,
    doc: &Cleaned,
    work: Work,
    known: Option<Vec<Option<(u64, usize)>>>,
) -> Prints {
    if doc.rejection.is_some() || (matches!(work.fingerprint, Want::None) && known.is_some()) {
        return Prints {
            paragraphs: known.unwrap_or_default(),
            ..Prints::default()
        };
    }
    let (words, ends) = body_words(doc);
    let config = dedup.config();
    let paragraphs = match known {
        Some(known) => known,
        None if work.paragraphs => paragraphs::fingerprints(&config.paragraphs, &words, &ends),
        None => Vec::new(),
    };
    match work.fingerprint {
        Want::None => Prints {
            paragraphs,
            ..Prints::default()
        },
        Want::Count => Prints {
            fingerprint: Some(dedup.exact_fingerprint(&words)),
            paragraphs,
        },
        Want::Full(frequent) => {
            let ranges = frequent
                .map(|f| f.ranges(&paragraphs, &ends))
                .unwrap_or_default();
            Prints {
                fingerprint: Some(dedup.fingerprint_words(&words, &ranges, &paragraphs)),
                paragraphs,
            }
        }
    }
}

/// Runs every per-document stage on one record, and computes what `work` asks for.
fn clean_one(pipeline: &Pipeline, record: Record, work: Work) -> Processed {
    let mut stage_nanos = vec![0; pipeline.stages.len()];
    let mut doc = match record {
        Record::Bad(doc, reason) => Cleaned::rejected(doc, Rejection::new(INPUT_STAGE, reason)),
        Record::Doc(doc) if doc.text.trim().is_empty() => {
            Cleaned::rejected(doc, Rejection::new(INPUT_STAGE, "empty document"))
        }
        Record::Doc(doc) => {
            let mut cleaned = Cleaned::new(doc);
            cleaned.body = Body::parse(&cleaned.doc.text);
            cleaned
        }
    };
    for (stage, nanos) in pipeline.stages.iter().zip(stage_nanos.iter_mut()) {
        if doc.rejection.is_some() {
            break;
        }
        let start = Instant::now();
        stage.apply(&mut doc);
        *nanos = start.elapsed().as_nanos() as u64;
        if doc.rejection.is_none() && doc.body.is_empty() {
            doc.rejection = Some(Rejection::new(stage.name(), "no text left after cleaning"));
        }
    }
    // Only the stages read the line model's scores.
    doc.junk_scores = Default::default();
    let (text, sha256) = text_and_hash(&doc, work.output);
    let start = Instant::now();
    let needed = !matches!(work.fingerprint, Want::None) || work.paragraphs;
    let prints = match &pipeline.dedup {
        Some(dedup) if needed => prints(dedup, &doc, work, None),
        _ => Prints::default(),
    };
    Processed {
        doc,
        text,
        sha256,
        prints,
        stage_nanos,
        fingerprint_nanos: start.elapsed().as_nanos() as u64,
        outcome: None,
    }
}

/// A kept document's text and, when `hash`, its SHA-256; empty for a rejected one.
fn text_and_hash(doc: &Cleaned, hash: bool) -> (String, String) {
    if doc.rejection.is_some() {
        return (String::new(), String::new());
    }
    let text = doc.body.to_text();
    let sha256 = match hash {
        true => format!("{:x}", Sha256::digest(text.as_bytes())),
        false => String::new(),
    };
    (text, sha256)
}

impl Processed {
    /// A document pass 1 cleaned and kept, with what a later pass's `work` asks for.
    fn replayed(pipeline: &Pipeline, kept: Kept, work: Work) -> Processed {
        let (text, sha256) = text_and_hash(&kept.doc, work.output);
        let start = Instant::now();
        let prints = match &pipeline.dedup {
            Some(dedup) => prints(dedup, &kept.doc, work, Some(kept.paragraphs)),
            None => Prints {
                paragraphs: kept.paragraphs,
                ..Prints::default()
            },
        };
        Processed {
            doc: kept.doc,
            text,
            sha256,
            prints,
            stage_nanos: kept.stage_nanos,
            fingerprint_nanos: start.elapsed().as_nanos() as u64,
            outcome: None,
        }
    }
}

/// The open outputs.
struct Sinks {
    clean: Sink,
    rejects: Option<Sink>,
    edits: Option<Sink>,
    clusters: Option<Sink>,
}

impl Sinks {
    /// Opens the outputs `options` names; without their header rows when not `headers` (the
    /// parts of a split run, concatenated under one header by its `merge` step).
    fn open(options: &RunOptions, headers: bool) -> Result<Sinks> {
        let header = |header: &'static [&'static str]| if headers { header } else { &[] };
        let open = |what, path: &Option<PathBuf>, h: &'static [&'static str]| match path {
            Some(p) => Sink::create(what, Some(p), header(h)).map(Some),
            None => Ok(None),
        };
        Ok(Sinks {
            clean: Sink::create(
                "clean CSV",
                options.output.as_deref(),
                header(&output::CLEAN_HEADER),
            )?,
            rejects: open("rejects CSV", &options.rejects, &output::REJECTS_HEADER)?,
            edits: open("edits CSV", &options.edits, &output::EDITS_HEADER)?,
            clusters: open("clusters CSV", &options.clusters, &output::CLUSTERS_HEADER)?,
        })
    }

    fn write(&mut self, p: &Processed) -> Result<()> {
        match p.doc.rejection {
            Some(_) => {
                if let Some(sink) = &mut self.clusters {
                    output::write_cluster(sink, &p.doc)?;
                }
                match &mut self.rejects {
                    Some(sink) => output::write_reject(sink, &p.doc),
                    None => Ok(()),
                }
            }
            None => {
                output::write_clean(&mut self.clean, &p.doc, &p.text, &p.sha256)?;
                match &mut self.edits {
                    Some(sink) => output::write_edits(sink, &p.doc),
                    None => Ok(()),
                }
            }
        }
    }

    fn finish(self) -> Result<()> {
        self.clean.finish()?;
        self.rejects.map(Sink::finish).transpose()?;
        self.edits.map(Sink::finish).transpose()?;
        self.clusters.map(Sink::finish).transpose()?;
        Ok(())
    }
}

/// A progress bar over the bytes of the input files as stored (their sizes summed; without a
/// total when a stream is among them): bytes read, speed and time left.
fn bytes_bar(enabled: bool, total: Option<u64>, prefix: &str) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::new(total),
            "{spinner} {prefix}[{elapsed_precise}] {bar:30} {bytes}/{total_bytes} \
             ({binary_bytes_per_sec}, {eta} left), {msg}",
        ),
        None => (
            ProgressBar::no_length(),
            "{spinner} {prefix}[{elapsed_precise}] {bytes} ({binary_bytes_per_sec}), {msg}",
        ),
    };
    let style = ProgressStyle::with_template(template).expect("valid template");
    bar.set_style(style);
    bar.set_prefix(prefix.to_string());
    bar
}

/// A progress bar over `len` items: documents replayed.
fn progress_bar(enabled: bool, len: u64, unit: &str, prefix: &str) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let template = format!(
        "{{spinner}} {{prefix}}[{{elapsed_precise}}] {{bar:30}} {{pos}}/{{len}} {unit}, {{msg}}"
    );
    let style = ProgressStyle::with_template(&template).expect("valid template");
    bar.set_style(style);
    bar.set_prefix(prefix.to_string());
    bar
}

/// The reader thread: reads every file in order and sends batches of records, noting files
/// that held none. Stops early when the receiver is gone (the run failed).
fn read_batches(
    files: &[InputFile],
    config: &InputConfig,
    sender: SyncSender<Result<Batch>>,
    bar: &ProgressBar,
) {
    let mut batch = Batch::default();
    let mut closed = false;
    let bytes = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    for file in files {
        let mut read = 0;
        let result = input::read_file_counted(file, config, &bytes, &mut |record| {
            if closed {
                return;
            }
            bar.set_position(bytes.load(std::sync::atomic::Ordering::Relaxed));
            read += 1;
            batch.records.push(record);
            if batch.records.len() == config.batch_size {
                closed = sender.send(Ok(std::mem::take(&mut batch))).is_err();
            }
        });
        // A file that fails part-way keeps the records read before; the run goes on.
        match result {
            _ if closed => return,
            Err(e) => batch.notes.push(FileNote::Unreadable(Unreadable {
                file: file.path.display().to_string(),
                error: error_chain(&e),
                records_read: read,
            })),
            Ok(0) => batch.notes.push(FileNote::Empty(file.name.clone())),
            Ok(_) => {}
        }
        bar.set_position(bytes.load(std::sync::atomic::Ordering::Relaxed));
    }
    let _ = sender.send(Ok(batch));
}

/// An error and its causes, on one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// What the barrier does about dedup in one pass.
enum Dedupe<'a> {
    Off,
    /// The pass before clustering with `exclude_from_matching`: counts paragraphs per
    /// distinct document; nothing is written.
    Count(Frequent),
    /// `first` survives: decide as documents stream by (one pass).
    Stream(Index<'a>),
    /// The clustering pass: cluster and score every document; nothing is written.
    Cluster(Index<'a>, Clusters),
    /// The writing pass: apply the clusters.
    Apply(Index<'a>, Clusters),
    /// The `clean` step of a split run: keeps the cleaned documents (with their paragraph
    /// fingerprints when dedup will need them) for the `cluster` step, which decides.
    Keep {
        paragraphs: bool,
    },
    /// The `write` step of a split run: applies what the `cluster` step decided.
    Given(steps::Outcomes),
}

/// The in-order half of a pass: dedup, warnings, counts and writes, one document at a time in
/// input order, after each batch's parallel cleaning.
struct Barrier<'a> {
    pipeline: &'a Pipeline,
    options: &'a RunOptions,
    dedupe: Dedupe<'a>,
    /// None in a pass that writes nothing.
    sinks: Option<Sinks>,
    /// Paragraph counts per story: filled when clustering, applied when writing.
    shared: Option<Shared>,
    report: Report,
    /// Input records so far in this pass.
    records: u64,
    stage_nanos: Vec<u64>,
    dedup_nanos: u64,
    warnings: u64,
    bar: ProgressBar,
    /// The first of several passes, with `dedup.keep_cleaned`: every cleaned document, for
    /// the later ones.
    spill: Option<spill::Writer>,
    /// Hashes of the ids written so far, to count reused ones (None in a split run's `write`
    /// step: its `cluster` step counts them over all shards).
    ids: Option<std::collections::HashSet<u64>>,
    /// The `cluster` step of a split run: where the writing pass's outcomes go.
    outcomes: Option<steps::OutcomeWriter>,
}

impl<'a> Barrier<'a> {
    /// A barrier that writes nothing and shows no progress, with the report it starts from.
    fn new(
        pipeline: &'a Pipeline,
        options: &'a RunOptions,
        dedupe: Dedupe<'a>,
        report: Report,
    ) -> Barrier<'a> {
        Barrier {
            pipeline,
            options,
            dedupe,
            sinks: None,
            shared: None,
            report,
            records: 0,
            stage_nanos: vec![0; pipeline.stages.len()],
            dedup_nanos: 0,
            warnings: 0,
            bar: ProgressBar::hidden(),
            spill: None,
            ids: Some(Default::default()),
            outcomes: None,
        }
    }

    fn writes(&self) -> bool {
        self.sinks.is_some()
    }

    /// Reports what the reader met about files (in the pass that writes), and keeps it for
    /// pass 2 when pass 1 keeps the cleaned documents.
    fn file_notes(&mut self, notes: Vec<FileNote>) -> Result<()> {
        if let Some(spill) = self.spill.as_mut().filter(|_| !notes.is_empty()) {
            spill
                .file_notes(&notes)
                .map_err(|source| Error::Spill { source })?;
        }
        if !self.writes() {
            return Ok(());
        }
        for note in notes {
            let warning = match &note {
                FileNote::Empty(name) => format!("warning: {name}: no records in file"),
                FileNote::Unreadable(u) => format!(
                    "warning: {}: cannot be read to the end ({}); kept the {} records read before",
                    u.file, u.error, u.records_read
                ),
            };
            if self.options.warnings {
                self.bar.suspend(|| eprintln!("{warning}"));
            }
            match note {
                FileNote::Empty(name) => self.report.empty_files.push(name),
                FileNote::Unreadable(u) => self.report.unreadable_files.push(u),
            }
        }
        Ok(())
    }

    /// Runs dedup on one document: its verdict in this pass's mode.
    fn dedup(&mut self, p: &mut Processed) -> Result<()> {
        let record = self.records;
        self.records += 1;
        let start = Instant::now();
        let day = || day_number(&p.doc.doc.date);
        let store_error = |source| Error::DedupStore { source };
        match &mut self.dedupe {
            Dedupe::Off => {}
            Dedupe::Count(frequent) => {
                if let Some(fp) = p.prints.fingerprint.take() {
                    frequent.count(fp.exact(), &p.prints.paragraphs);
                }
            }
            Dedupe::Stream(index) => {
                if let Some(fp) = p.prints.fingerprint.take() {
                    let verdict = index.check(&p.doc.doc.id, fp, day()).map_err(store_error)?;
                    if let Verdict::Duplicate(m) = verdict {
                        let kept = index.id(m.kept).to_string();
                        p.outcome = Some(Outcome::Duplicate {
                            kind: m.kind,
                            duplicate: Duplicate {
                                survivor: kept.clone(),
                                similarity: f64::from(m.similarity),
                                containment: f64::from(m.containment),
                                cluster: kept,
                            },
                        });
                    }
                }
            }
            Dedupe::Cluster(index, clusters) => match p.prints.fingerprint.take() {
                Some(fp) => {
                    let verdict = index.check(&p.doc.doc.id, fp, day()).map_err(store_error)?;
                    let survivor = self.pipeline.dedup.as_ref().expect("dedup").survivor();
                    let score = survivor.score(&p.doc.doc, &p.text);
                    clusters.add(verdict, index.other_matches(), &p.doc.doc.id, score);
                    if let (Verdict::Kept(_), Some(shared)) = (verdict, self.shared.as_mut()) {
                        shared.count(&p.prints.paragraphs);
                    }
                }
                None => clusters.skip(),
            },
            Dedupe::Apply(index, clusters) => {
                if p.doc.rejection.is_none() {
                    p.outcome = match clusters.decide(record, index) {
                        Some((kind, duplicate)) => Some(Outcome::Duplicate { kind, duplicate }),
                        None => self
                            .shared
                            .as_mut()
                            .map(|shared| shared.drops(&p.prints.paragraphs))
                            .filter(|drops| !drops.is_empty())
                            .map(Outcome::Drop),
                    };
                }
            }
            Dedupe::Keep { .. } => {}
            Dedupe::Given(outcomes) => p.outcome = outcomes.next(record)?,
        }
        if let Some(outcome) = p.outcome.take() {
            p.apply(&outcome);
            p.outcome = Some(outcome);
        }
        self.dedup_nanos += p.fingerprint_nanos + start.elapsed().as_nanos() as u64;
        Ok(())
    }

    fn take(&mut self, mut p: Processed) -> Result<()> {
        self.dedup(&mut p)?;
        if let Some(spill) = self.spill.as_mut() {
            let kept = Kept {
                doc: p.doc,
                paragraphs: p.prints.paragraphs,
                stage_nanos: p.stage_nanos,
            };
            return spill
                .document(&kept)
                .map_err(|source| Error::Spill { source });
        }
        if let Some(outcomes) = self.outcomes.as_mut() {
            outcomes.write(p.outcome.as_ref())?;
            self.count_id(&p.doc.doc);
            return Ok(());
        }
        if self.sinks.is_none() {
            return Ok(());
        }
        if let Some(r) = p.doc.rejection.as_ref().filter(|r| r.stage == INPUT_STAGE) {
            self.warnings += 1;
            if self.options.warnings && self.warnings <= MAX_WARNINGS {
                self.bar.suspend(|| {
                    eprintln!("warning: {}: {} (rejected)", p.doc.doc.source, r.reason)
                });
            }
        }
        self.stage_nanos
            .iter_mut()
            .zip(&p.stage_nanos)
            .for_each(|(total, n)| *total += n);
        self.count_id(&p.doc.doc);
        self.report.count(&p.doc);
        match self.sinks.as_mut() {
            Some(sinks) => sinks.write(&p),
            None => Ok(()),
        }
    }

    /// Counts a document whose id an earlier one had (ids are 64-bit hashed: 8 bytes a
    /// document), warning about the first few.
    fn count_id(&mut self, doc: &crate::document::Document) {
        let Some(ids) = self.ids.as_mut() else {
            return;
        };
        if ids.insert(xxhash_rust::xxh3::xxh3_64(doc.id.as_bytes())) {
            return;
        }
        self.report.duplicate_ids += 1;
        if self.options.warnings && self.report.duplicate_ids <= MAX_WARNINGS {
            let (id, source) = (&doc.id, &doc.source);
            self.bar.suspend(|| {
                eprintln!("warning: {source}: id {id:?} was already used by an earlier document")
            });
        }
    }

    /// Reads every file and runs the pass over it: one thread reads batches, the pool cleans
    /// a batch while this thread runs the barrier over the one before, in input order.
    fn pass(
        &mut self,
        files: &[InputFile],
        pool: &rayon::ThreadPool,
        frequent: Option<&Frequent>,
    ) -> Result<()> {
        let pipeline = self.pipeline;
        let work = self.work(frequent);
        let (sender, batches) = sync_channel::<Result<Batch>>(2);
        let (cleaned_sender, cleaned) = sync_channel::<Result<(Vec<FileNote>, Vec<Processed>)>>(1);
        std::thread::scope(|scope| -> Result<()> {
            let bar = self.bar.clone();
            scope.spawn(move || read_batches(files, &pipeline.input, sender, &bar));
            scope.spawn(move || {
                for batch in batches {
                    let cleaned = batch.map(|batch| {
                        let processed = pool.install(|| {
                            batch
                                .records
                                .into_par_iter()
                                .map(|r| clean_one(pipeline, r, work))
                                .collect()
                        });
                        (batch.notes, processed)
                    });
                    // A closed channel means the barrier stopped on an error.
                    if cleaned_sender.send(cleaned).is_err() {
                        return;
                    }
                }
            });
            for batch in cleaned {
                let (notes, processed) = batch?;
                self.file_notes(notes)?;
                for p in processed {
                    self.take(p)?;
                }
                let message = match self.writes() {
                    true => format!(
                        "{} documents, {} kept",
                        self.report.documents_in, self.report.kept
                    ),
                    false => format!("{} documents clustered", self.records),
                };
                self.bar.set_message(message);
            }
            Ok(())
        })
    }

    /// What this pass needs of each document; `frequent` are the paragraph counts of the
    /// pass before clustering, when there was one.
    fn work<'f>(&self, frequent: Option<&'f Frequent>) -> Work<'f> {
        Work {
            fingerprint: match self.dedupe {
                Dedupe::Stream(_) | Dedupe::Cluster(..) => Want::Full(frequent),
                Dedupe::Count(_) => Want::Count,
                Dedupe::Off | Dedupe::Apply(..) | Dedupe::Keep { .. } | Dedupe::Given(_) => {
                    Want::None
                }
            },
            paragraphs: self.shared.is_some()
                || matches!(
                    self.dedupe,
                    Dedupe::Count(_) | Dedupe::Keep { paragraphs: true }
                ),
            output: self.writes(),
        }
    }

    /// A later pass from what pass 1 kept: the cleaned documents in input order, what the
    /// pass needs of them made in parallel a batch at a time, then the barrier as in a
    /// reading pass.
    fn replay(
        &mut self,
        kept: &mut spill::Reader,
        pool: &rayon::ThreadPool,
        frequent: Option<&Frequent>,
    ) -> Result<()> {
        let (pipeline, work) = (self.pipeline, self.work(frequent));
        let spill_error = |source| Error::Spill { source };
        let batch_size = self.pipeline.input.batch_size;
        let mut batch = Vec::with_capacity(batch_size);
        loop {
            // File notes are reported where pass 1 met them: after the documents before.
            let (notes, end) = match kept.read().map_err(spill_error)? {
                Some(Entry::Document(k)) => {
                    batch.push(*k);
                    if batch.len() < batch_size {
                        continue;
                    }
                    (None, false)
                }
                Some(Entry::FileNotes(notes)) => (Some(notes), false),
                None => (None, true),
            };
            let processed: Vec<Processed> = pool.install(|| {
                batch
                    .par_drain(..)
                    .map(|k| Processed::replayed(pipeline, k, work))
                    .collect()
            });
            self.bar.inc(processed.len() as u64);
            for p in processed {
                self.take(p)?;
            }
            if let Some(notes) = notes {
                self.file_notes(notes)?;
            }
            if end {
                return Ok(());
            }
            self.bar.set_message(format!(
                "{} documents, {} kept",
                self.report.documents_in, self.report.kept
            ));
        }
    }

    fn finish(mut self, started: Instant) -> Result<Report> {
        self.bar.finish_and_clear();
        if self.options.warnings && self.warnings > MAX_WARNINGS {
            let more = self.warnings - MAX_WARNINGS;
            eprintln!(
                "warning: {more} more unreadable records (see the rejects CSV, stage `input`)"
            );
        }
        if let Some(sinks) = self.sinks.take() {
            sinks.finish()?;
        }
        let seconds = |nanos: u64| nanos as f64 / 1e9;
        for (stage, nanos) in self.pipeline.stages.iter().zip(&self.stage_nanos) {
            self.report
                .stage_seconds
                .insert(stage.name().to_string(), seconds(*nanos));
        }
        if let Dedupe::Stream(index) | Dedupe::Apply(index, _) = &self.dedupe {
            self.report
                .stage_seconds
                .insert(DEDUP.to_string(), seconds(self.dedup_nanos));
            self.report.dedup_index = Some(DedupIndex::of(index));
        }
        self.report.finish(started.elapsed().as_secs_f64());
        Ok(self.report)
    }
}

/// How many times a run goes over the documents: 1, 2 with `dedup.passes = 2` (cluster, then
/// write), 3 when a pass that counts paragraphs comes first (`exclude_from_matching`).
fn passes(pipeline: &Pipeline) -> u32 {
    match &pipeline.dedup {
        Some(d) if d.config().passes == 2 => 2 + u32::from(d.counts_first()),
        _ => 1,
    }
}

/// Runs the pipeline over the inputs, writing the outputs; returns the report.
pub fn run(pipeline: &Pipeline, options: &RunOptions) -> Result<Report> {
    let started = Instant::now();
    let found = input::discover_with(&options.inputs, options.stdin_format)?;
    if found.files.is_empty() {
        return Err(Error::NoInput {
            inputs: options.inputs.clone(),
        });
    }
    for u in found.unreadable.iter().filter(|_| options.warnings) {
        eprintln!("warning: {}: cannot be read ({})", u.file, u.error);
    }
    let input_files: Vec<PathBuf> = found.files.iter().map(|f| f.path.clone()).collect();
    output::check_paths(&input_files, &options.outputs())?;
    let threads = options.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| Error::Threads { threads, source })?;
    let passes = passes(pipeline);
    let two_passes = passes > 1;
    // Standard input and FIFOs are read once: a second pass must replay what pass 1 kept.
    let stream = found.files.iter().find(|f| f.stream);
    let rereads = pipeline
        .dedup
        .as_ref()
        .is_some_and(|d| !d.config().keep_cleaned);
    if let (Some(file), true, true) = (stream, two_passes, rereads) {
        return Err(Error::ReadOnce {
            path: file.path.clone(),
        });
    }
    // Opened first, so that a bad output path stops the run before any work.
    let sinks = Sinks::open(options, true)?;
    let files = found.files.len() as u64;
    let barrier = |dedupe, sinks, shared, bar| {
        let report = Report {
            files,
            skipped_files: found
                .skipped
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            unreadable_files: found.unreadable.clone(),
            threads: pool.current_num_threads(),
            passes,
            ..Report::default()
        };
        Barrier {
            sinks,
            shared,
            bar,
            ..Barrier::new(pipeline, options, dedupe, report)
        }
    };
    let bar = |len, unit, prefix: &str| progress_bar(options.progress, len, unit, prefix);
    let input_bytes: Option<u64> = found
        .files
        .iter()
        .map(|f| match f.stream {
            true => None,
            false => std::fs::metadata(&f.path).ok().map(|m| m.len()),
        })
        .sum();
    let reading_bar = |prefix: &str| bytes_bar(options.progress, input_bytes, prefix);
    let (dedupe, shared, clustering_nanos, kept) = match &pipeline.dedup {
        None => (Dedupe::Off, None, 0, None),
        Some(dedup) if !two_passes => (Dedupe::Stream(dedup.new_index()), None, 0, None),
        Some(dedup) => {
            let paragraphs = &dedup.config().paragraphs;
            let counts_first = dedup.counts_first();
            let total = if counts_first { 3 } else { 2 };
            // Cleaning that is only normalization costs less than keeping its result.
            let cleans = pipeline
                .stages
                .iter()
                .any(|s| !matches!(s, Stage::Normalize(_)));
            let keep = dedup.config().keep_cleaned && (cleans || stream.is_some());
            let spill_error = |source| Error::Spill { source };
            let new_spill = || spill::Writer::new().map_err(spill_error);
            let finish_spill = |spill: Option<spill::Writer>| {
                spill
                    .map(spill::Writer::finish)
                    .transpose()
                    .map_err(spill_error)
            };
            // With exclude_from_matching, a pass that cleans and counts paragraphs per
            // document, so that clustering knows which text many documents share.
            let (frequent, mut kept, counting_nanos) = match counts_first {
                true => {
                    let mut counting = barrier(
                        Dedupe::Count(Frequent::new(paragraphs)),
                        None,
                        None,
                        reading_bar(format!("pass 1/{total} ").as_str()),
                    );
                    if keep {
                        counting.spill = Some(new_spill()?);
                    }
                    counting.pass(&found.files, &pool, None)?;
                    counting.bar.finish_and_clear();
                    let kept = finish_spill(counting.spill.take())?;
                    let Dedupe::Count(mut frequent) = counting.dedupe else {
                        unreachable!("the counting pass counts")
                    };
                    frequent.counted();
                    (Some(frequent), kept, counting.dedup_nanos)
                }
                false => (None, None, 0),
            };
            let prefix = format!("pass {}/{total} ", total - 1);
            let mut clustering = barrier(
                Dedupe::Cluster(dedup.new_index(), Clusters::default()),
                None,
                paragraphs.enabled.then(|| Shared::new(paragraphs)),
                ProgressBar::hidden(),
            );
            match kept.as_mut() {
                Some(reader) => {
                    clustering.bar = bar(reader.documents, "documents", prefix.as_str());
                    clustering.replay(reader, &pool, frequent.as_ref())?;
                    reader.rewind().map_err(spill_error)?;
                }
                None => {
                    clustering.bar = reading_bar(prefix.as_str());
                    if keep {
                        clustering.spill = Some(new_spill()?);
                    }
                    clustering.pass(&found.files, &pool, frequent.as_ref())?;
                    kept = finish_spill(clustering.spill.take())?;
                }
            }
            clustering.bar.finish_and_clear();
            let Dedupe::Cluster(index, mut clusters) = clustering.dedupe else {
                unreachable!("the clustering pass clusters")
            };
            clusters.resolve();
            (
                Dedupe::Apply(index, clusters),
                clustering.shared,
                counting_nanos + clustering.dedup_nanos,
                kept,
            )
        }
    };
    let prefix = match passes {
        1 => String::new(),
        n => format!("pass {n}/{n} "),
    };
    match kept {
        // The writing pass from the cleaned documents pass 1 kept.
        Some(mut kept) => {
            let progress = bar(kept.documents, "documents", prefix.as_str());
            let mut last = barrier(dedupe, Some(sinks), shared, progress);
            last.dedup_nanos = clustering_nanos;
            last.replay(&mut kept, &pool, None)?;
            last.finish(started)
        }
        None => {
            let mut last = barrier(dedupe, Some(sinks), shared, reading_bar(prefix.as_str()));
            last.dedup_nanos = clustering_nanos;
            last.pass(&found.files, &pool, None)?;
            last.finish(started)
        }
    }
}
