//! The library's error type: only unusable configuration and I/O failures are errors.
//! A bad document is never an error; it becomes a counted reject.

use std::path::PathBuf;

/// Why a run could not start or could not go on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration file could not be read.
    #[error("cannot read config {path}")]
    ConfigRead {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The configuration is not valid TOML or has unknown keys or wrong types.
    #[error("invalid config {path}: {message}")]
    ConfigParse { path: String, message: String },
    /// A key has a value that parses but cannot be used (bad regex, bands not dividing, ...).
    #[error("invalid config {path}: `{key}`: {message}")]
    ConfigValue {
        path: String,
        key: String,
        message: String,
    },
    /// A data file named by the config (names table, word list) is missing or broken.
    #[error("{path}: {message}")]
    DataFile { path: String, message: String },
    /// An input path that does not exist or cannot be read.
    #[error("{path}")]
    Input {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The inputs hold no file newsclean reads.
    #[error(
        "no .txt, .jsonl, .ndjson or .csv file (optionally .gz) in {}: nothing to clean",
        display_paths(inputs)
    )]
    NoInput { inputs: Vec<PathBuf> },

    /// A stream input with a run that would read its inputs twice.
    #[error(
        "{}: standard input or a FIFO can be read only once, and `dedup.keep_cleaned = false` \
         reads the inputs again in each pass: keep `keep_cleaned = true` or set `dedup.passes = 1`",
        path.display()
    )]
    ReadOnce { path: PathBuf },
    /// An input file whose type newsclean does not know.
    #[error("{path}: unknown input type (expected .txt, .jsonl, .ndjson or .csv, optionally .gz)")]
    UnknownInputType { path: PathBuf },
    /// A CSV output could not be written for another reason than I/O.
    #[error("cannot write {what}")]
    CsvWrite { what: String, source: csv::Error },
    /// The worker threads could not be started.
    #[error("cannot start {threads} worker threads")]
    Threads {
        threads: usize,
        source: rayon::ThreadPoolBuildError,
    },
    /// The temporary file that holds kept documents' shingle sets failed.
    #[error("dedup: cannot use the temporary file for shingle sets (set TMPDIR to a writable folder with space)")]
    DedupStore { source: std::io::Error },
    /// The temporary file that keeps cleaned documents between the two passes failed.
    #[error("dedup: cannot use the temporary file for cleaned documents (set TMPDIR to a writable folder with space, or dedup.keep_cleaned = false)")]
    Spill { source: std::io::Error },
    /// An output path that would overwrite an input or another output.
    #[error("{message}")]
    OutputPath { message: String },
    /// A file between the steps of a split run (`newsclean steps`) could not be read or
    /// written.
    #[error("{}", path.display())]
    StepFile {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The steps of a split run do not fit together: a step not run yet, a changed config, a
    /// shard that does not exist.
    #[error("{message}")]
    Steps { message: String },
    /// Writing an output failed.
    #[error("cannot write {what}")]
    Output {
        what: String,
        source: std::io::Error,
    },
}

impl Error {
    /// True when the error is a closed pipe on output (`newsclean run ... | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

fn display_paths(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
