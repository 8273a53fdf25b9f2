//! The driver: reads batches of records on one thread, cleans each batch with the
//! per-document stages in parallel (rayon), then runs the dedup barrier and writes every row in
//! input order. This is the only place that knows about threads, so output is byte-identical
//! whatever the thread count.

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::config::{InputConfig, Pipeline};
use crate::document::{Body, Cleaned, Rejection};
use crate::error::{Error, Result};
use crate::input::{self, InputFile, Record};
use crate::output::{self, Sink};
use crate::report::Report;
use crate::stage::dedup::{Fingerprint, Index, NAME as DEDUP};

/// Stage name for records that could not be read as documents.
pub const INPUT_STAGE: &str = "input";

/// Where the outputs go and how to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    /// Clean CSV; stdout when None.
    pub output: Option<PathBuf>,
    pub rejects: Option<PathBuf>,
    pub edits: Option<PathBuf>,
    /// Worker threads; all cores when None.
    pub threads: Option<usize>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Print warnings about bad records on stderr (the first few).
    pub warnings: bool,
}

/// Records read together, and the files among them that held no record at all.
#[derive(Default)]
struct Batch {
    records: Vec<Record>,
    empty_files: Vec<String>,
}

/// How many bad-record warnings are printed before they are only counted.
const MAX_WARNINGS: u64 = 20;

/// A document after the parallel phase.
struct Processed {
    doc: Cleaned,
    text: String,
    sha256: String,
    fingerprint: Option<Fingerprint>,
    stage_nanos: Vec<u64>,
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
///             The next round is planned for the end of the month in Istanbul.";
/// let doc = Document { id: "a".into(), text: text.into(), ..Default::default() };
/// let cleaned = newsclean::pipeline::clean_document(&pipeline, doc);
/// assert!(cleaned.rejection.is_none());
/// assert_eq!(
///     cleaned.body.to_text(),
///     "Talks resumed in Kyiv on Monday, officials from both delegations said.\n\n\
///      The next round is planned for the end of the month in Istanbul."
/// );
/// assert_eq!(cleaned.edits.len(), 2); // the removed line and the replaced name
/// ```
pub fn clean_document(pipeline: &Pipeline, doc: crate::document::Document) -> Cleaned {
    clean_one(pipeline, Record::Doc(doc)).doc
}

/// Runs every per-document stage on one record.
fn clean_one(pipeline: &Pipeline, record: Record) -> Processed {
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
    let (text, sha256, fingerprint) = match doc.rejection {
        Some(_) => (String::new(), String::new(), None),
        None => {
            let text = doc.body.to_text();
            let sha256 = format!("{:x}", Sha256::digest(text.as_bytes()));
            let fingerprint = pipeline.dedup.as_ref().map(|d| d.fingerprint(&text));
            (text, sha256, fingerprint)
        }
    };
    Processed {
        doc,
        text,
        sha256,
        fingerprint,
        stage_nanos,
    }
}

/// The open outputs.
struct Sinks {
    clean: Sink,
    rejects: Option<Sink>,
    edits: Option<Sink>,
}

impl Sinks {
    fn open(options: &RunOptions) -> Result<Sinks> {
        let open = |what, path: &Option<PathBuf>, header: &[&str]| match path {
            Some(p) => Sink::create(what, Some(p), header).map(Some),
            None => Ok(None),
        };
        Ok(Sinks {
            clean: Sink::create(
                "clean CSV",
                options.output.as_deref(),
                &output::CLEAN_HEADER,
            )?,
            rejects: open("rejects CSV", &options.rejects, &output::REJECTS_HEADER)?,
            edits: open("edits CSV", &options.edits, &output::EDITS_HEADER)?,
        })
    }

    fn write(&mut self, p: &Processed) -> Result<()> {
        match p.doc.rejection {
            Some(_) => match &mut self.rejects {
                Some(sink) => output::write_reject(sink, &p.doc),
                None => Ok(()),
            },
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
        Ok(())
    }
}

fn progress_bar(enabled: bool, files: usize) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(files as u64);
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, {msg}",
    )
    .expect("valid template");
    bar.set_style(style);
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
    for file in files {
        let result = input::read_file(file, config, &mut |record| {
            if closed {
                return;
            }
            batch.records.push(record);
            if batch.records.len() == config.batch_size {
                closed = sender.send(Ok(std::mem::take(&mut batch))).is_err();
            }
        });
        match result {
            _ if closed => return,
            Err(e) => {
                let _ = sender.send(Err(e));
                return;
            }
            Ok(0) => batch.empty_files.push(file.name.clone()),
            Ok(_) => {}
        }
        bar.inc(1);
    }
    let _ = sender.send(Ok(batch));
}

/// The in-order half of a run: dedup, warnings, counts and writes, one document at a time in
/// input order, after each batch's parallel cleaning.
struct Barrier<'a> {
    pipeline: &'a Pipeline,
    options: &'a RunOptions,
    index: Option<Index<'a>>,
    sinks: Sinks,
    report: Report,
    stage_nanos: Vec<u64>,
    dedup_nanos: u64,
    warnings: u64,
    bar: ProgressBar,
}

impl Barrier<'_> {
    fn empty_files(&mut self, names: Vec<String>) {
        for name in names {
            if self.options.warnings {
                self.bar
                    .suspend(|| eprintln!("warning: {name}: no records in file"));
            }
            self.report.empty_files.push(name);
        }
    }

    fn take(&mut self, mut p: Processed) -> Result<()> {
        if let (Some(index), Some(fp)) = (self.index.as_mut(), p.fingerprint.take()) {
            let start = Instant::now();
            p.doc.rejection = index.check(&p.doc.doc.id, fp);
            self.dedup_nanos += start.elapsed().as_nanos() as u64;
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
        self.report.count(&p.doc);
        self.sinks.write(&p)
    }

    fn finish(mut self, started: Instant) -> Result<Report> {
        self.bar.finish_and_clear();
        if self.options.warnings && self.warnings > MAX_WARNINGS {
            let more = self.warnings - MAX_WARNINGS;
            eprintln!(
                "warning: {more} more unreadable records (see the rejects CSV, stage `input`)"
            );
        }
        self.sinks.finish()?;
        let seconds = |nanos: u64| nanos as f64 / 1e9;
        for (stage, nanos) in self.pipeline.stages.iter().zip(&self.stage_nanos) {
            self.report
                .stage_seconds
                .insert(stage.name().to_string(), seconds(*nanos));
        }
        if self.pipeline.dedup.is_some() {
            self.report
                .stage_seconds
                .insert(DEDUP.to_string(), seconds(self.dedup_nanos));
        }
        self.report.finish(started.elapsed().as_secs_f64());
        Ok(self.report)
    }
}

/// Runs the pipeline over the inputs, writing the outputs; returns the report.
pub fn run(pipeline: &Pipeline, options: &RunOptions) -> Result<Report> {
    let started = Instant::now();
    let found = input::discover(&options.inputs)?;
    let threads = options.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| Error::Threads { threads, source })?;
    let report = Report {
        files: found.files.len() as u64,
        skipped_files: found
            .skipped
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        threads: pool.current_num_threads(),
        ..Report::default()
    };
    let mut barrier = Barrier {
        pipeline,
        options,
        index: pipeline.dedup.as_ref().map(|d| d.new_index()),
        sinks: Sinks::open(options)?,
        report,
        stage_nanos: vec![0; pipeline.stages.len()],
        dedup_nanos: 0,
        warnings: 0,
        bar: progress_bar(options.progress, found.files.len()),
    };
    let (sender, receiver) = sync_channel::<Result<Batch>>(2);
    std::thread::scope(|scope| -> Result<()> {
        let bar = barrier.bar.clone();
        let files = &found.files;
        scope.spawn(move || read_batches(files, &pipeline.input, sender, &bar));
        for batch in receiver {
            let batch = batch?;
            barrier.empty_files(batch.empty_files);
            let processed: Vec<Processed> = pool.install(|| {
                batch
                    .records
                    .into_par_iter()
                    .map(|r| clean_one(pipeline, r))
                    .collect()
            });
            for p in processed {
                barrier.take(p)?;
            }
            let report = &barrier.report;
            barrier.bar.set_message(format!(
                "{} documents, {} kept",
                report.documents_in, report.kept
            ));
        }
        Ok(())
    })?;
    barrier.finish(started)
}
