//! `newsclean steps`: a run split into steps with files between them, so that many machines
//! (scale/spark_run.py) or processes (scale/xargs_run.sh) can share the cleaning, and the
//! outputs are still byte-identical to `newsclean run`'s:
//!
//! 1. `plan` finds the input files as `run` does, in the same order, and cuts the list into
//!    contiguous shards of about equal size (DIR/plan.json).
//! 2. `clean`, once per shard, on any machine: reads and cleans the shard's documents and keeps
//!    them (DIR/shard-K.kept, the format of [`crate::spill`]).
//! 3. `cluster`, one process: replays every shard's kept documents in input order through the
//!    dedup passes of `run` (paragraph counts, index, clusters, shared paragraphs) and writes,
//!    per shard, what dedup decided about its documents (DIR/shard-K.outcomes.jsonl).
//! 4. `write`, once per shard: applies those decisions and writes the shard's part of every
//!    CSV, without header, and its part of the report.
//! 5. `merge` concatenates the parts in shard order under one header and adds up the reports.
//!
//! Each step runs the barrier of [`super`] that `run` runs, over the same documents in the same
//! order; only where the documents come from (a shard's file instead of the reader) and where
//! the decisions go differ. Record numbers are positions in input order, which the shards keep.
//! The cluster step holds what `run`'s dedup holds (see README, "Scaling out"); the cleaning,
//! most of a run's time, is what spreads.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{bytes_bar, passes, progress_bar, Barrier, Dedupe, Outcome, RunOptions, Sinks};
use crate::config::{Origin, Pipeline, BUILTIN_CONFIG};
use crate::error::{Error, Result};
use crate::input::{self, InputFile};
use crate::output;
use crate::report::{DedupIndex, Report, Unreadable};
use crate::spill;
use crate::stage::dedup::clusters::Clusters;
use crate::stage::dedup::paragraphs::{Frequent, Shared};
use crate::stage::dedup::NAME as DEDUP;

const PLAN: &str = "plan.json";
const CLUSTERED: &str = "cluster.json";

/// The CSV outputs: option name, what it is, file suffix of its parts, header.
const CSVS: [(&str, &str, &[&str]); 4] = [
    ("clean CSV", "clean.csv", &output::CLEAN_HEADER),
    ("rejects CSV", "rejects.csv", &output::REJECTS_HEADER),
    ("edits CSV", "edits.csv", &output::EDITS_HEADER),
    ("clusters CSV", "clusters.csv", &output::CLUSTERS_HEADER),
];

/// DIR/plan.json: the input files in `run`'s order and how they are cut into shards.
#[derive(Debug, Serialize, Deserialize)]
pub struct Plan {
    /// The folder `plan` ran in: input paths are relative to it, as they were for `run`.
    pub cwd: PathBuf,
    /// The config file (absolute), or None for the built-in one...
    pub config: Option<PathBuf>,
    /// ...and the SHA-256 of its text: every step checks it is still the same.
    pub config_sha256: String,
    /// The input files `run` would read.
    pub files: u64,
    /// What the shards read: the files in `run`'s order, large uncompressed JSONL files cut
    /// into parts at line starts.
    pub pieces: Vec<InputFile>,
    /// Per piece, its file's size and modification time when planned: `clean` refuses a
    /// file that changed since (its parts' offsets would be wrong).
    pub stamps: Vec<Option<Stamp>>,
    /// The SHA-256 of the newsclean binary that planned: every step must be the same one
    /// (the files between steps are private to one build).
    pub binary_sha256: String,
    /// Per shard, the pieces it reads: contiguous, in order, covering all of them.
    pub shards: Vec<Range<usize>>,
    pub skipped_files: Vec<String>,
    pub unreadable_files: Vec<Unreadable>,
    /// When `plan` ran (seconds since 1970), for the report's run time.
    pub started: f64,
}

/// A file's size and modification time (nanoseconds since 1970).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub bytes: u64,
    pub modified: u128,
}

impl Stamp {
    /// None for a file whose metadata cannot be read (its clean step reports it).
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp {
            bytes: meta.len(),
            modified: modified.as_nanos(),
        })
    }
}

/// The SHA-256 of the running binary.
fn binary_sha256() -> Result<String> {
    let exe = std::env::current_exe().map_err(step_file(Path::new("newsclean")))?;
    let bytes = std::fs::read(&exe).map_err(step_file(&exe))?;
    Ok(format!("{:x}", Sha256::digest(&bytes)))
}

/// Refuses a steps folder inside an input folder: the next plan would read its files as
/// input.
fn refuse_inside_inputs(dir: &Path, inputs: &[PathBuf]) -> Result<()> {
    let dir = dir.canonicalize().map_err(step_file(dir))?;
    for input in inputs.iter().filter(|i| i.is_dir()) {
        if input.canonicalize().is_ok_and(|i| dir.starts_with(i)) {
            return Err(steps_error(format!(
                "the steps folder {} is inside the input folder {}: choose one outside the inputs",
                dir.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// DIR/cluster.json: what the cluster step knows that the shards' reports cannot.
#[derive(Debug, Serialize, Deserialize)]
struct Clustered {
    passes: u32,
    duplicate_ids: u64,
    dedup_index: Option<DedupIndex>,
    dedup_seconds: f64,
}

/// How a step runs: threads and what it says on stderr.
#[derive(Debug, Clone, Default)]
pub struct StepOptions {
    /// Worker threads; all cores when None.
    pub threads: Option<usize>,
    pub progress: bool,
    pub warnings: bool,
}

impl StepOptions {
    fn run_options(&self) -> RunOptions {
        RunOptions {
            threads: self.threads,
            progress: self.progress,
            warnings: self.warnings,
            ..RunOptions::default()
        }
    }

    fn pool(&self) -> Result<rayon::ThreadPool> {
        let threads = self.threads.unwrap_or(0);
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|source| Error::Threads { threads, source })
    }
}

fn step_file(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::StepFile {
        path: path.to_path_buf(),
        source,
    }
}

fn steps_error(message: String) -> Error {
    Error::Steps { message }
}

/// DIR/shard-K.SUFFIX
fn shard_path(dir: &Path, shard: usize, suffix: &str) -> PathBuf {
    dir.join(format!("shard-{shard:05}.{suffix}"))
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path, missing: &str) -> Result<T> {
    let text = match std::fs::read_to_string(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(steps_error(format!(
                "{}: not found: {missing}",
                path.display()
            )))
        }
        other => other.map_err(step_file(path))?,
    };
    serde_json::from_str(&text)
        .map_err(|e| steps_error(format!("{}: not a file of this step: {e}", path.display())))
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let json = serde_json::to_string_pretty(value).expect("serializable") + "\n";
    output::write_atomic(path, json.as_bytes()).map_err(step_file(path))
}

/// Cuts files of these sizes into `shards` contiguous ranges of about equal bytes: a file goes
/// to the shard its middle byte falls in (by count when all are empty).
fn cut(sizes: &[u64], shards: usize) -> Vec<Range<usize>> {
    let total: u64 = sizes.iter().sum();
    let mut before = 0u64;
    let shard_of: Vec<usize> = sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| {
            let (middle, total) = match total {
                0 => (2 * i as u128 + 1, 2 * sizes.len() as u128),
                _ => (
                    2 * u128::from(before) + u128::from(size),
                    2 * u128::from(total),
                ),
            };
            before += size;
            ((middle * shards as u128 / total) as usize).min(shards - 1)
        })
        .collect();
    let mut start = 0;
    (0..shards)
        .map(|k| {
            let end = start + shard_of[start..].iter().take_while(|&&s| s == k).count();
            let range = start..end;
            start = end;
            range
        })
        .collect()
}

/// The config `run` would load, as an absolute path (None: the built-in one), and its text.
fn resolve_config(config: Option<&Path>) -> Result<(Option<PathBuf>, String)> {
    let path = match config {
        Some(path) => path.to_path_buf(),
        None if Path::new("pipeline.toml").is_file() => PathBuf::from("pipeline.toml"),
        None => return Ok((None, BUILTIN_CONFIG.to_string())),
    };
    let read_error = |source| Error::ConfigRead {
        path: path.clone(),
        source,
    };
    let full = path.canonicalize().map_err(read_error)?;
    let text = std::fs::read_to_string(&full).map_err(read_error)?;
    Ok((Some(full), text))
}

fn sha256(text: &str) -> String {
    format!("{:x}", Sha256::digest(text.as_bytes()))
}

fn load(config: &Option<PathBuf>, text: &str) -> Result<Pipeline> {
    match config {
        Some(path) => Pipeline::from_str(text, Origin::File(path.clone())),
        None => Pipeline::from_str(text, Origin::Builtin),
    }
}

/// The files as pieces of at most about `total / shards` bytes: an uncompressed JSONL file
/// larger than that is cut into parts at line starts (so that one big file does not make one
/// big shard); every other file is one piece. Returns the pieces and their sizes.
fn pieces(
    files: &[InputFile],
    sizes: &[u64],
    shards: usize,
    max_record_bytes: usize,
) -> (Vec<InputFile>, Vec<u64>) {
    let target = (sizes.iter().sum::<u64>() / shards as u64).max(1);
    let (mut pieces, mut piece_sizes) = (Vec::new(), Vec::new());
    for (file, &size) in files.iter().zip(sizes) {
        let cuttable = file.format == input::Format::Jsonl && !file.gzip && shards > 1;
        // A file that cannot be read is one piece: its clean step reports it as run would.
        let parts = match cuttable && size > target {
            true => cut_lines(&file.path, target, max_record_bytes).unwrap_or_default(),
            false => Vec::new(),
        };
        if parts.len() < 2 {
            pieces.push(file.clone());
            piece_sizes.push(size);
            continue;
        }
        for part in parts {
            piece_sizes.push(part.end - part.start);
            pieces.push(InputFile {
                part: Some(part),
                ..file.clone()
            });
        }
    }
    (pieces, piece_sizes)
}

/// Cuts a JSONL file at line starts into parts of about `target` bytes, each holding at least
/// one record, counting lines and records as the JSONL reader does (a blank line is no
/// record unless it is longer than `max_record_bytes`).
fn cut_lines(
    path: &Path,
    target: u64,
    max_record_bytes: usize,
) -> std::io::Result<Vec<input::Part>> {
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut parts = Vec::new();
    let mut part = input::Part {
        start: 0,
        end: 0,
        lines: 0,
        records: 0,
    };
    let (mut position, mut lines, mut records) = (0u64, 0u64, 0u64);
    // The line being read: its length so far, whether it is blank so far.
    let (mut length, mut blank, mut open) = (0usize, true, false);
    let mut end_line = |position: u64, length: usize, blank: bool, parts: &mut Vec<input::Part>| {
        lines += 1;
        if length > max_record_bytes || !blank {
            records += 1;
        }
        if position - part.start >= target && records > part.records {
            parts.push(input::Part {
                end: position,
                ..part
            });
            part = input::Part {
                start: position,
                end: position,
                lines,
                records,
            };
        }
    };
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len();
        let mut at = 0;
        while at < n {
            let rest = &chunk[at..];
            let (text, newline) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], true),
                None => (rest, false),
            };
            blank &= text.iter().all(u8::is_ascii_whitespace);
            length += text.len();
            position += text.len() as u64 + u64::from(newline);
            at += text.len() + usize::from(newline);
            open = !newline;
            if newline {
                end_line(position, length, blank, &mut parts);
                (length, blank) = (0, true);
            }
        }
        reader.consume(n);
    }
    if open {
        end_line(position, length, blank, &mut parts);
    }
    // The rest is the last part; without a record of its own it joins the one before.
    match (records > part.records, parts.last_mut()) {
        (false, Some(last)) => last.end = position,
        _ => parts.push(input::Part {
            end: position,
            ..part
        }),
    }
    Ok(parts)
}

/// `newsclean steps plan`: finds the inputs as `run` would and cuts them into `shards`
/// shards; writes DIR/plan.json (and removes the files of an earlier plan there).
pub fn plan(
    inputs: &[PathBuf],
    config: Option<&Path>,
    shards: usize,
    dir: &Path,
    stdin_format: input::Format,
) -> Result<Plan> {
    if shards == 0 {
        return Err(steps_error("--shards must be at least 1".into()));
    }
    let (config, text) = resolve_config(config)?;
    // Loading checks the config now rather than in every step.
    load(&config, &text)?;
    let found = input::discover_with(inputs, stdin_format)?;
    if found.files.is_empty() {
        return Err(Error::NoInput {
            inputs: inputs.to_vec(),
        });
    }
    if let Some(stream) = found.files.iter().find(|f| f.stream) {
        return Err(steps_error(format!(
            "{}: standard input or a FIFO cannot be split into shards: save it to a file first",
            stream.path.display()
        )));
    }
    let sizes: Vec<u64> = found
        .files
        .iter()
        .map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len()))
        .collect();
    let max_record_bytes = load(&config, &text)?.input.max_record_bytes;
    std::fs::create_dir_all(dir).map_err(step_file(dir))?;
    refuse_inside_inputs(dir, inputs)?;
    let (pieces, sizes) = pieces(&found.files, &sizes, shards, max_record_bytes);
    let stamps = pieces.iter().map(|p| Stamp::of(&p.path)).collect();
    remove_step_files(dir)?;
    let plan = Plan {
        cwd: std::env::current_dir().map_err(step_file(Path::new(".")))?,
        config,
        config_sha256: sha256(&text),
        shards: cut(&sizes, shards),
        files: found.files.len() as u64,
        pieces,
        stamps,
        binary_sha256: binary_sha256()?,
        skipped_files: found
            .skipped
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        unreadable_files: found.unreadable,
        started: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64()),
    };
    write_json(&dir.join(PLAN), &plan)?;
    Ok(plan)
}

/// Removes what the steps of an earlier plan left in `dir`, so that no step reads a stale file.
fn remove_step_files(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(step_file(dir))? {
        let path = entry.map_err(step_file(dir))?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("shard-") || name == CLUSTERED || name == PLAN {
            std::fs::remove_file(&path).map_err(step_file(&path))?;
        }
    }
    Ok(())
}

impl Plan {
    /// Reads DIR/plan.json and loads its config, checking that the config is unchanged.
    pub fn load(dir: &Path) -> Result<(Plan, Pipeline)> {
        let plan: Plan = read_json(&dir.join(PLAN), "run `newsclean steps plan` first")?;
        let pipeline = match &plan.config {
            None => Pipeline::from_str(BUILTIN_CONFIG, Origin::Builtin)?,
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| Error::ConfigRead {
                    path: path.clone(),
                    source,
                })?;
                if sha256(&text) != plan.config_sha256 {
                    return Err(steps_error(format!(
                        "{} changed since `newsclean steps plan`: plan again",
                        path.display()
                    )));
                }
                Pipeline::from_str(&text, Origin::File(path.clone()))?
            }
        };
        if binary_sha256()? != plan.binary_sha256 {
            return Err(steps_error(format!(
                "{}: planned by another newsclean binary: every step must run the same build \
                 (plan again with this one)",
                dir.join(PLAN).display()
            )));
        }
        if plan.config.is_none() && sha256(BUILTIN_CONFIG) != plan.config_sha256 {
            return Err(steps_error(
                "the plan was made by another newsclean version: plan again".into(),
            ));
        }
        Ok((plan, pipeline))
    }

    fn check_shard(&self, shard: usize) -> Result<()> {
        match shard < self.shards.len() {
            true => Ok(()),
            false => Err(steps_error(format!(
                "shard {shard} does not exist: the plan has shards 0 to {}",
                self.shards.len() - 1
            ))),
        }
    }
}

/// Opens a shard's kept documents.
fn open_kept(dir: &Path, shard: usize) -> Result<spill::Reader> {
    let path = shard_path(dir, shard, "kept");
    let file = match File::open(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(steps_error(format!(
                "{}: not found: run `newsclean steps clean --shard {shard}` first",
                path.display()
            )))
        }
        other => other.map_err(step_file(&path))?,
    };
    spill::Reader::from_file(file).map_err(step_file(&path))
}

/// `newsclean steps clean`: reads and cleans one shard's documents; writes DIR/shard-K.kept.
/// Input paths are relative to the folder `plan` ran in, so this step works there.
pub fn clean(dir: &Path, shard: usize, options: &StepOptions) -> Result<()> {
    let dir = &std::path::absolute(dir).map_err(step_file(dir))?;
    let (plan, pipeline) = Plan::load(dir)?;
    plan.check_shard(shard)?;
    std::env::set_current_dir(&plan.cwd).map_err(step_file(&plan.cwd))?;
    let range = plan.shards[shard].clone();
    for (piece, stamp) in plan.pieces[range.clone()]
        .iter()
        .zip(&plan.stamps[range.clone()])
    {
        if stamp.is_some() && Stamp::of(&piece.path) != *stamp {
            return Err(steps_error(format!(
                "{}: changed since `newsclean steps plan`: plan again",
                piece.path.display()
            )));
        }
    }
    let files = &plan.pieces[range];
    let path = shard_path(dir, shard, "kept");
    let temp = output::temp_beside(&path).map_err(step_file(&path))?;
    let file = temp.as_file().try_clone().map_err(step_file(&path))?;
    let run_options = options.run_options();
    let paragraphs = pipeline
        .dedup
        .as_ref()
        .is_some_and(|d| d.config().paragraphs.enabled);
    let mut barrier = Barrier::new(
        &pipeline,
        &run_options,
        Dedupe::Keep { paragraphs },
        Report::default(),
    );
    barrier.spill = Some(spill::Writer::to_file(file).map_err(step_file(&path))?);
    let bytes = files
        .iter()
        .map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len()))
        .sum();
    barrier.bar = bytes_bar(options.progress, Some(bytes), &format!("clean {shard} "));
    barrier.pass(files, &options.pool()?, None)?;
    barrier.bar.finish_and_clear();
    if let Some(spill) = barrier.spill.take() {
        spill.finish().map_err(step_file(&path))?;
    }
    output::persist(temp, &path).map_err(step_file(&path))
}

/// `newsclean steps cluster`: every shard's documents, in input order, through the dedup
/// passes `run` makes; writes what dedup decided per shard, and DIR/cluster.json.
pub fn cluster(dir: &Path, options: &StepOptions) -> Result<()> {
    let started = Instant::now();
    let (plan, pipeline) = Plan::load(dir)?;
    let mut kept = (0..plan.shards.len())
        .map(|k| open_kept(dir, k))
        .collect::<Result<Vec<_>>>()?;
    let documents = kept.iter().map(|r| r.documents).sum();
    let run_options = options.run_options();
    let pool = options.pool()?;
    let passes = passes(&pipeline);
    // Replays every shard once, in order, through a pass of the barrier.
    let replay = |barrier: &mut Barrier, kept: &mut [spill::Reader], pass: u32, f| {
        let prefix = format!("cluster, pass {pass}/{passes} ");
        barrier.bar = progress_bar(options.progress, documents, "documents", &prefix);
        for reader in kept.iter_mut() {
            barrier.replay(reader, &pool, f)?;
            reader.rewind().map_err(|source| Error::Spill { source })?;
        }
        barrier.bar.finish_and_clear();
        Ok::<_, Error>(())
    };
    let new = |dedupe| Barrier::new(&pipeline, &run_options, dedupe, Report::default());
    let (dedupe, shared, nanos) = match &pipeline.dedup {
        None => (Dedupe::Off, None, 0),
        Some(dedup) if passes == 1 => (Dedupe::Stream(dedup.new_index()), None, 0),
        Some(dedup) => {
            let paragraphs = &dedup.config().paragraphs;
            let mut nanos = 0;
            let frequent = match dedup.counts_first() {
                true => {
                    let mut counting = new(Dedupe::Count(Frequent::new(paragraphs)));
                    replay(&mut counting, &mut kept, 1, None)?;
                    nanos += counting.dedup_nanos;
                    let Dedupe::Count(mut frequent) = counting.dedupe else {
                        unreachable!("the counting pass counts")
                    };
                    frequent.counted();
                    Some(frequent)
                }
                false => None,
            };
            let mut clustering = new(Dedupe::Cluster(dedup.new_index(), Clusters::default()));
            clustering.shared = paragraphs.enabled.then(|| Shared::new(paragraphs));
            replay(&mut clustering, &mut kept, passes - 1, frequent.as_ref())?;
            nanos += clustering.dedup_nanos;
            let Dedupe::Cluster(index, mut clusters) = clustering.dedupe else {
                unreachable!("the clustering pass clusters")
            };
            clusters.resolve();
            (Dedupe::Apply(index, clusters), clustering.shared, nanos)
        }
    };
    let mut last = new(dedupe);
    last.shared = shared;
    last.dedup_nanos = nanos;
    let prefix = format!("cluster, pass {passes}/{passes} ");
    last.bar = progress_bar(options.progress, documents, "documents", &prefix);
    for (shard, reader) in kept.iter_mut().enumerate() {
        last.outcomes = Some(OutcomeWriter::create(&shard_path(
            dir,
            shard,
            "outcomes.jsonl",
        ))?);
        last.replay(reader, &pool, None)?;
        last.outcomes.take().expect("set above").finish()?;
    }
    last.bar.finish_and_clear();
    let dedup_index = match &last.dedupe {
        Dedupe::Stream(index) | Dedupe::Apply(index, _) => Some(DedupIndex::of(index)),
        _ => None,
    };
    let clustered = Clustered {
        passes,
        duplicate_ids: last.report.duplicate_ids,
        dedup_index,
        dedup_seconds: last.dedup_nanos as f64 / 1e9,
    };
    write_json(&dir.join(CLUSTERED), &clustered)?;
    if options.warnings {
        eprintln!(
            "newsclean steps cluster: {documents} documents of {} shards in {:.2} s",
            plan.shards.len(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// `newsclean steps write`: one shard's documents with what the cluster step decided; writes
/// the shard's part of each CSV (no header) and of the report.
pub fn write(dir: &Path, shard: usize, options: &StepOptions) -> Result<()> {
    let started = Instant::now();
    let (plan, pipeline) = Plan::load(dir)?;
    plan.check_shard(shard)?;
    let mut kept = open_kept(dir, shard)?;
    let outcomes = Outcomes::open(&shard_path(dir, shard, "outcomes.jsonl"))?;
    let part = |suffix| Some(shard_path(dir, shard, suffix));
    let run_options = RunOptions {
        output: part(CSVS[0].1),
        rejects: part(CSVS[1].1),
        edits: part(CSVS[2].1),
        clusters: part(CSVS[3].1),
        ..options.run_options()
    };
    let mut barrier = Barrier::new(
        &pipeline,
        &run_options,
        Dedupe::Given(outcomes),
        Report::default(),
    );
    barrier.sinks = Some(Sinks::open(&run_options, false)?);
    barrier.ids = None;
    let prefix = format!("write {shard} ");
    barrier.bar = progress_bar(options.progress, kept.documents, "documents", &prefix);
    let pool = options.pool()?;
    barrier.replay(&mut kept, &pool, None)?;
    if let Dedupe::Given(outcomes) = &barrier.dedupe {
        outcomes.finish(barrier.records)?;
    }
    barrier.report.threads = pool.current_num_threads();
    let report = barrier.finish(started)?;
    write_json(&shard_path(dir, shard, "report.json"), &report)
}

/// What `merge` writes: the outputs of `run`.
#[derive(Debug, Clone, Default)]
pub struct MergeOutputs {
    /// Clean CSV; standard output when None.
    pub output: Option<PathBuf>,
    pub rejects: Option<PathBuf>,
    pub edits: Option<PathBuf>,
    pub clusters: Option<PathBuf>,
}

/// `newsclean steps merge`: each CSV asked for, as its header and the shards' parts in shard
/// order, and the report `run` would have made (its timings those of the steps).
pub fn merge(dir: &Path, outputs: &MergeOutputs, report_path: Option<&Path>) -> Result<Report> {
    let (plan, _) = Plan::load(dir)?;
    let clustered: Clustered =
        read_json(&dir.join(CLUSTERED), "run `newsclean steps cluster` first")?;
    let paths = [
        outputs.output.clone(),
        outputs.rejects.clone(),
        outputs.edits.clone(),
        outputs.clusters.clone(),
    ];
    let mut asked: Vec<(&str, &Path)> = CSVS
        .iter()
        .zip(&paths)
        .filter_map(|((what, _, _), p)| p.as_deref().map(|p| (*what, p)))
        .collect();
    asked.extend(report_path.map(|p| ("report", p)));
    let inputs: Vec<PathBuf> = plan.pieces.iter().map(|f| plan.cwd.join(&f.path)).collect();
    output::check_paths(&inputs, &asked)?;
    let mut report = Report {
        files: plan.files,
        skipped_files: plan.skipped_files.clone(),
        unreadable_files: plan.unreadable_files.clone(),
        passes: clustered.passes,
        duplicate_ids: clustered.duplicate_ids,
        dedup_index: clustered.dedup_index,
        ..Report::default()
    };
    for shard in 0..plan.shards.len() {
        let part: Report = read_json(
            &shard_path(dir, shard, "report.json"),
            &format!("run `newsclean steps write --shard {shard}` first"),
        )?;
        report.add(&part);
        report.threads = report.threads.max(part.threads);
    }
    if report.dedup_index.is_some() {
        report
            .stage_seconds
            .insert(DEDUP.to_string(), clustered.dedup_seconds);
    }
    // The clean CSV goes to standard output when no file is named, as with `run`.
    for (i, ((what, suffix, header), path)) in CSVS.iter().zip(&paths).enumerate() {
        if path.is_none() && i > 0 {
            continue;
        }
        let parts: Vec<PathBuf> = (0..plan.shards.len())
            .map(|k| shard_path(dir, k, suffix))
            .collect();
        output::concatenate(what, path.as_deref(), header, &parts)?;
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    report.finish((now - plan.started).max(0.0));
    Ok(report)
}

/// Writes the outcomes of one shard's documents, one JSON line per document dedup changed:
/// its position in the shard and the outcome.
pub(super) struct OutcomeWriter {
    out: BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
    position: u64,
}

#[derive(Serialize, Deserialize)]
struct Line {
    position: u64,
    outcome: Outcome,
}

impl OutcomeWriter {
    fn create(path: &Path) -> Result<OutcomeWriter> {
        let temp = output::temp_beside(path).map_err(step_file(path))?;
        Ok(OutcomeWriter {
            out: BufWriter::with_capacity(1 << 16, temp),
            path: path.to_path_buf(),
            position: 0,
        })
    }

    /// Notes the next document's outcome (None: dedup left it as it was).
    pub(super) fn write(&mut self, outcome: Option<&Outcome>) -> Result<()> {
        if let Some(outcome) = outcome {
            let line = Line {
                position: self.position,
                outcome: outcome.clone(),
            };
            let json = serde_json::to_string(&line).expect("serializable");
            writeln!(self.out, "{json}").map_err(step_file(&self.path))?;
        }
        self.position += 1;
        Ok(())
    }

    fn finish(self) -> Result<()> {
        let path = self.path;
        let temp = self.out.into_inner().map_err(|e| e.into_error());
        output::persist(temp.map_err(step_file(&path))?, &path).map_err(step_file(&path))
    }
}

/// Reads a shard's outcomes back, in order, for the write step.
pub(super) struct Outcomes {
    lines: std::io::Lines<BufReader<File>>,
    path: PathBuf,
    /// The next line read ahead.
    next: Option<Line>,
}

impl Outcomes {
    fn open(path: &Path) -> Result<Outcomes> {
        let file = match File::open(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(steps_error(format!(
                    "{}: not found: run `newsclean steps cluster` first",
                    path.display()
                )))
            }
            other => other.map_err(step_file(path))?,
        };
        let mut outcomes = Outcomes {
            lines: BufReader::new(file).lines(),
            path: path.to_path_buf(),
            next: None,
        };
        outcomes.next = outcomes.read()?;
        Ok(outcomes)
    }

    fn read(&mut self) -> Result<Option<Line>> {
        let Some(line) = self.lines.next() else {
            return Ok(None);
        };
        let line = line.map_err(step_file(&self.path))?;
        serde_json::from_str(&line)
            .map(Some)
            .map_err(|e| steps_error(format!("{}: not an outcome line: {e}", self.path.display())))
    }

    /// The outcome of the document at `position` in the shard, if dedup changed it.
    pub(super) fn next(&mut self, position: u64) -> Result<Option<Outcome>> {
        match &self.next {
            Some(line) if line.position == position => {
                let outcome = self.next.take().map(|l| l.outcome);
                self.next = self.read()?;
                Ok(outcome)
            }
            Some(line) if line.position < position => Err(steps_error(format!(
                "{}: outcomes out of order at document {}",
                self.path.display(),
                line.position
            ))),
            _ => Ok(None),
        }
    }

    /// Checks that every outcome was for one of the shard's `documents`.
    fn finish(&self, documents: u64) -> Result<()> {
        match &self.next {
            None => Ok(()),
            Some(line) => Err(steps_error(format!(
                "{}: an outcome for document {} of a shard of {documents}: the shard was \
                 cleaned again after `cluster`; run `cluster` again",
                self.path.display(),
                line.position
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cut;

    #[test]
    fn shards_are_contiguous_and_cover_every_file() {
        for (sizes, shards) in [
            (vec![10, 10, 10, 10], 2),
            (vec![100, 1, 1, 1], 3),
            (vec![0, 0, 0], 7),
            (vec![5], 3),
            (vec![1, 2, 3, 4, 5, 6, 7, 8, 9], 4),
        ] {
            let ranges = cut(&sizes, shards);
            assert_eq!(ranges.len(), shards);
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges[shards - 1].end, sizes.len());
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        }
        assert_eq!(cut(&[10, 10, 10, 10], 2), vec![0..2, 2..4]);
        assert_eq!(cut(&[0, 0, 0, 0], 2), vec![0..2, 2..4]);
    }
}
