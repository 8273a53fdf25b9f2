//! The command line: clap types live here and in main.rs only; the library sees plain options.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Turn raw scraped news dumps into clean, deduplicated CSV.
///
/// newsclean reads .txt files (one article each), JSONL/NDJSON and CSV (one article per
/// record), optionally gzipped, and runs the stages configured in pipeline.toml: normalize,
/// page, language, lines, spam, boilerplate, trailing, names, repeats, quality, dedup. Every
/// input document ends up in exactly one place: the clean CSV, or the rejects CSV with the stage
/// and reason.
///
/// Exit status of `run`: 0 when every input was read, 1 when the run finished but some input
/// files could not be read to the end (named on stderr and in the report's
/// `unreadable_files`; the records read before the failure are cleaned like any others), 2
/// when the config, an output or an input path is unusable, 3 when the inputs hold no file
/// to read (nothing is replaced in either case).
#[derive(Debug, Parser)]
#[command(name = "newsclean", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean a dump: read INPUTs, write clean CSV (and optionally rejects, edits, clusters,
    /// report).
    Run(RunArgs),
    /// Name tables: find spellings of known names that the tables lack.
    #[command(subcommand)]
    Names(NamesCommand),
    /// Show one document's lines as the line model scores them: each line's junk score,
    /// whether it is removed, the kind of junk it most looks like and the features that
    /// weighed most.
    Explain {
        /// The document's id (as in the output's `id` column).
        #[arg(value_name = "ID")]
        id: String,
        /// Files or directories, as for `run`.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Pipeline config [default: as for `run`]
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// The line model's features or scores for labeled line corpora (for its trainer and
    /// benchmark).
    #[command(subcommand)]
    Lines(LinesCommand),
    /// `run` split into steps with files between them, for many machines or processes:
    /// plan, then clean each shard, cluster, write each shard, merge. The outputs are
    /// byte-identical to `run`'s on the same inputs. scale/spark_run.py runs the steps on
    /// Spark, scale/xargs_run.sh with xargs on one machine.
    #[command(subcommand)]
    Steps(StepsCommand),
    /// Validate a config and print the resolved stages, and which keys the file left out
    /// (taken from the shipped pipeline.toml).
    Check {
        /// Pipeline config [default: ./pipeline.toml if present, else the built-in default]
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Files or directories (searched recursively, in name order) of .txt, .jsonl, .ndjson or
    /// .csv files, each optionally .gz. `-` reads standard input; a FIFO or device named here
    /// (`/dev/stdin`, `<(zcat dump.jsonl.gz)`) is read too, in its extension's format or
    /// --stdin-format.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Format of standard input (`-`) and of FIFOs whose name has no known extension
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = StdinFormat::Jsonl)]
    pub stdin_format: StdinFormat,

    /// Pipeline config [default: ./pipeline.toml if present, else the built-in default, which
    /// is the same file compiled in]
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Clean CSV: id,title,url,date,language,language_confidence,text,sha256 [default: stdout]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// CSV of every dropped document: id,source,stage,reason,duplicate_of,similarity,text
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,

    /// CSV of every removed line or paragraph and every name replacement:
    /// id,stage,rule,action,before,after
    #[arg(long, value_name = "FILE")]
    pub edits: Option<PathBuf>,

    /// CSV of every document dedup dropped, to audit what was merged:
    /// id,survivor,similarity,containment,cluster (similarity and containment of the shingle
    /// sets against the document it was matched with; cluster = id of the cluster's first
    /// document in input order)
    #[arg(long, value_name = "FILE")]
    pub clusters: Option<PathBuf>,

    /// JSON run report: counts per stage and reason, languages, timings, throughput
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Worker threads [default: all cores]. Output is identical for any value.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress bar, warnings or summary on stderr
    #[arg(short, long)]
    pub quiet: bool,
}

/// What standard input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StdinFormat {
    Jsonl,
    Csv,
    Txt,
}

impl From<StdinFormat> for newsclean::input::Format {
    fn from(format: StdinFormat) -> Self {
        match format {
            StdinFormat::Jsonl => newsclean::input::Format::Jsonl,
            StdinFormat::Csv => newsclean::input::Format::Csv,
            StdinFormat::Txt => newsclean::input::Format::Txt,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum LinesCommand {
    /// Read JSONL objects with a `lines` array (standard input when FILE is absent) and print,
    /// for every line, the slots of its features, space-separated: what
    /// scripts/train_lines.py trains on.
    Features {
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// As `features`, but print each line's plain measures, space-separated: words,
    /// characters, share of capitalized words, share of digits, ends a sentence (1/0), ends
    /// in a colon (1/0): what the model's second look weighs beside the scores.
    Measures {
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// As `features`, but print each line's junk probability under the configured model.
    Score {
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        /// Pipeline config whose [lines] model scores [default: as for `run`]
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// As `score`, but print the kind of junk the model names each line (caption, prompt,
    /// related, widget, byline, legal, nav, other), whatever its score.
    Kind {
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
        /// Pipeline config whose [lines] model names the kinds [default: as for `run`]
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum NamesCommand {
    /// Scan a dump for capitalized words that are close to a known name after transliteration
    /// folding (y/i/j, kh/h, g/h, w/v, -sky/-ski/-skiy, doubled letters) and edit distance, and
    /// print them ranked, with counts and an example, as table rows ready to paste:
    /// variant<TAB>canonical<TAB>kind<TAB># evidence.
    Suggest {
        /// Files or directories, as for `run`.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Pipeline config whose [names] tables hold the known names [default: as for `run`]
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Print at most this many suggestions
        #[arg(long, value_name = "N", default_value_t = 50)]
        top: usize,
    },
}

/// Options every step but `plan` and `merge` takes.
#[derive(Debug, clap::Args)]
pub struct StepArgs {
    /// The folder `plan` wrote, where the steps keep their files
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,

    /// Worker threads [default: all cores]. Output is identical for any value.
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// No progress bar or warnings on stderr
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum StepsCommand {
    /// Find the input files as `run` would and cut them, in order, into shards of about equal
    /// size; write DIR/plan.json. Later steps read the config and inputs named here (input
    /// paths relative to this folder) and refuse to go on if the config changes.
    Plan {
        /// Files or directories, as for `run` (no standard input or FIFOs)
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<PathBuf>,
        /// Pipeline config [default: as for `run`]
        #[arg(short, long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Number of shards: at most this many machines or processes clean at once
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        shards: u32,
        /// Folder for the steps' files (created; files of an earlier plan there are removed)
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
    },
    /// Read and clean one shard's documents (every stage but dedup); write
    /// DIR/shard-K.kept. Shards can be cleaned at once, on any machine that sees DIR and the
    /// inputs.
    Clean {
        /// The shard, from 0
        #[arg(long, value_name = "K")]
        shard: usize,
        #[command(flatten)]
        step: StepArgs,
    },
    /// After every shard is cleaned: run dedup over all shards' documents in input order, as
    /// `run` does, in one process; write what it decided per shard.
    Cluster {
        #[command(flatten)]
        step: StepArgs,
    },
    /// After `cluster`: apply dedup's decisions to one shard and write its part of each
    /// output (no header) and of the report. Shards can be written at once.
    Write {
        /// The shard, from 0
        #[arg(long, value_name = "K")]
        shard: usize,
        #[command(flatten)]
        step: StepArgs,
    },
    /// After every shard is written: concatenate the parts in shard order under one header
    /// into the outputs `run` writes, and add up the report.
    Merge {
        /// The folder `plan` wrote
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
        /// Clean CSV [default: stdout]
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Rejects CSV, as for `run`
        #[arg(long, value_name = "FILE")]
        rejects: Option<PathBuf>,
        /// Edits CSV, as for `run`
        #[arg(long, value_name = "FILE")]
        edits: Option<PathBuf>,
        /// Clusters CSV, as for `run`
        #[arg(long, value_name = "FILE")]
        clusters: Option<PathBuf>,
        /// JSON report, as for `run` (its timings are the steps')
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// No summary on stderr
        #[arg(short, long)]
        quiet: bool,
    },
}
