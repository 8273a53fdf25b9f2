//! The CSV outputs: clean documents, rejected documents (with stage and reason), edits (every
//! removed line or paragraph and every name replacement) and clusters. Rows are written in
//! input order. A file output is written to a temporary file beside it and renamed into place
//! only when the run succeeds, so a failed or killed run leaves the previous outputs as they
//! were; [`check_paths`] refuses, before anything is read, an output that is an input or that
//! two outputs share.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::document::Cleaned;
use crate::error::{Error, Result};

pub const CLEAN_HEADER: [&str; 8] = [
    "id",
    "title",
    "url",
    "date",
    "language",
    "language_confidence",
    "text",
    "sha256",
];
pub const REJECTS_HEADER: [&str; 7] = [
    "id",
    "source",
    "stage",
    "reason",
    "duplicate_of",
    "similarity",
    "text",
];
pub const CLUSTERS_HEADER: [&str; 5] = ["id", "survivor", "similarity", "containment", "cluster"];

pub const EDITS_HEADER: [&str; 7] = ["id", "stage", "rule", "action", "before", "after", "note"];

/// A temporary file beside `path` (creating its folder if missing), to be renamed onto it.
pub fn temp_beside(path: &Path) -> std::io::Result<NamedTempFile> {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir
        }
        None => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".newsclean-").suffix(".tmp");
    // As File::create would: readable by others unless the umask says otherwise (a temporary
    // file is private by default).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

/// Syncs a finished temporary file to disk and renames it onto `path`.
pub fn persist(temp: NamedTempFile, path: &Path) -> std::io::Result<()> {
    temp.as_file().sync_all()?;
    temp.persist(path).map(drop).map_err(|e| e.error)
}

/// True when `path` exists and is not a regular file (a device such as /dev/null, a FIFO):
/// such an output is written in place, never replaced by a renamed file.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file())
}

/// Writes `bytes` to `path` atomically: the old file stays whole until the new one is. A
/// device or FIFO is written in place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if is_special(path) {
        return std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(bytes);
    }
    let mut temp = temp_beside(path)?;
    temp.write_all(bytes)?;
    persist(temp, path)
}

/// Refuses outputs that would destroy an input or each other: an output path that is one of
/// the input files, or two outputs on one path (compared after resolving links and `..`;
/// devices such as /dev/null are exempt).
pub fn check_paths(inputs: &[PathBuf], outputs: &[(&str, &Path)]) -> Result<()> {
    let resolved = |path: &Path| -> PathBuf {
        if let Ok(full) = path.canonicalize() {
            return full;
        }
        // Not there yet: resolve its folder, keep its name.
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = dir.unwrap_or(Path::new(".")).canonicalize();
        match (dir, path.file_name()) {
            (Ok(dir), Some(name)) => dir.join(name),
            _ => path.to_path_buf(),
        }
    };
    let inputs: Vec<(PathBuf, &PathBuf)> = inputs.iter().map(|p| (resolved(p), p)).collect();
    let mut seen: Vec<(PathBuf, &str, &Path)> = Vec::new();
    // Standard output and devices (/dev/null) can take any number of outputs.
    let files = outputs
        .iter()
        .filter(|(_, p)| *p != Path::new("-") && !is_special(p));
    for &(what, path) in files {
        let full = resolved(path);
        if let Some((_, input)) = inputs.iter().find(|(p, _)| *p == full) {
            let message = format!(
                "the {what} {} is the input file {}: refusing to overwrite an input",
                path.display(),
                input.display()
            );
            return Err(Error::OutputPath { message });
        }
        if let Some((_, other, other_path)) = seen.iter().find(|(p, _, _)| *p == full) {
            let message = format!(
                "the {what} {} and the {other} {} are the same file",
                path.display(),
                other_path.display()
            );
            return Err(Error::OutputPath { message });
        }
        seen.push((full, what, path));
    }
    Ok(())
}

/// An output's path (None for standard output, also named `-`) and its name for messages:
/// "clean CSV out.csv", "clean CSV on standard output".
fn named<'a>(what: &str, path: Option<&'a Path>) -> (Option<&'a Path>, String) {
    let path = path.filter(|p| *p != Path::new("-"));
    let name = match path {
        Some(p) => format!("{what} {}", p.display()),
        None => format!("{what} on standard output"),
    };
    (path, name)
}

/// A CSV file (or stdout) with a name for error messages. A file is written to a temporary
/// file beside its path and only [`Sink::finish`] puts it in place; a device or FIFO (such as
/// `/dev/null`) is written in place.
pub struct Sink {
    what: String,
    writer: csv::Writer<Box<dyn Write + Send>>,
    /// The temporary file and the path it becomes; None for stdout.
    target: Option<(NamedTempFile, PathBuf)>,
}

impl Sink {
    /// Opens `path` (creating its folder), or stdout when `path` is None or `-`, and writes
    /// `header` unless it is empty.
    pub fn create(what: &str, path: Option<&Path>, header: &[&str]) -> Result<Sink> {
        let (path, what) = named(what, path);
        let io = |source| Error::Output {
            what: what.clone(),
            source,
        };
        let (out, target): (Box<dyn Write + Send>, _) = match path {
            None => (Box::new(BufWriter::new(std::io::stdout())), None),
            Some(p) if is_special(p) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .map_err(io)?;
                (Box::new(BufWriter::with_capacity(1 << 16, file)), None)
            }
            Some(p) => {
                let temp = temp_beside(p).map_err(io)?;
                let file = temp.as_file().try_clone().map_err(io)?;
                let out = Box::new(BufWriter::with_capacity(1 << 16, file));
                (out, Some((temp, p.to_path_buf())))
            }
        };
        let mut sink = Sink {
            what,
            writer: csv::Writer::from_writer(out),
            target,
        };
        if !header.is_empty() {
            sink.row(header)?;
        }
        Ok(sink)
    }

    pub fn row<I, T>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer.write_record(fields).map_err(|e| self.error(e))
    }

    fn error(&self, e: csv::Error) -> Error {
        let what = self.what.clone();
        if !e.is_io_error() {
            return Error::CsvWrite { what, source: e };
        }
        // The I/O error itself, so a closed pipe is still recognized as one.
        match e.into_kind() {
            csv::ErrorKind::Io(source) => Error::Output { what, source },
            _ => unreachable!("is_io_error() was true"),
        }
    }

    /// Flushes the rows; a file output is synced and renamed into place.
    pub fn finish(mut self) -> Result<()> {
        let io = |source| Error::Output {
            what: self.what.clone(),
            source,
        };
        self.writer.flush().map_err(io)?;
        match self.target.take() {
            Some((temp, path)) => persist(temp, &path).map_err(io),
            None => Ok(()),
        }
    }
}

/// Writes a kept document's clean row.
pub fn write_clean(sink: &mut Sink, doc: &Cleaned, text: &str, sha256: &str) -> Result<()> {
    let confidence = match doc.language_confidence {
        c if c > 0.0 => format!("{c:.2}"),
        _ => String::new(),
    };
    let d = &doc.doc;
    sink.row([
        &d.id,
        &d.title,
        &d.url,
        &d.date,
        &doc.language,
        &confidence,
        text,
        sha256,
    ])
}

/// Writes a rejected document's row, with its original text.
pub fn write_reject(sink: &mut Sink, doc: &Cleaned) -> Result<()> {
    let r = doc.rejection.as_ref().expect("a rejected document");
    let (duplicate_of, similarity) = match &r.duplicate {
        Some(dup) => (dup.survivor.as_str(), format!("{:.3}", dup.similarity)),
        None => ("", String::new()),
    };
    let d = &doc.doc;
    sink.row([
        d.id.as_str(),
        &d.source,
        r.stage,
        &r.reason,
        duplicate_of,
        &similarity,
        &d.text,
    ])
}

/// Writes a duplicate's row in the clusters CSV.
pub fn write_cluster(sink: &mut Sink, doc: &Cleaned) -> Result<()> {
    let Some(dup) = doc.rejection.as_ref().and_then(|r| r.duplicate.as_ref()) else {
        return Ok(());
    };
    sink.row([
        doc.doc.id.as_str(),
        &dup.survivor,
        &format!("{:.3}", dup.similarity),
        &format!("{:.3}", dup.containment),
        &dup.cluster,
    ])
}

/// Writes a document's edits.
pub fn write_edits(sink: &mut Sink, doc: &Cleaned) -> Result<()> {
    for e in &doc.edits {
        sink.row([
            doc.doc.id.as_str(),
            e.stage,
            &e.rule,
            e.action.as_str(),
            &e.before,
            &e.after,
            &e.note,
        ])?;
    }
    Ok(())
}

/// Writes `header` as a CSV row and then the bytes of every file in `parts`, in order, to
/// `path` (standard output when None or `-`): the CSV parts of a split run's shards, written
/// without header, become one CSV. A file output is put in place only when whole.
pub fn concatenate(
    what: &str,
    path: Option<&Path>,
    header: &[&str],
    parts: &[PathBuf],
) -> Result<()> {
    let (path, what) = named(what, path);
    let io = |source| Error::Output {
        what: what.clone(),
        source,
    };
    let mut head = csv::Writer::from_writer(Vec::new());
    head.write_record(header)
        .map_err(|source| Error::CsvWrite {
            what: what.clone(),
            source,
        })?;
    let head = head.into_inner().map_err(|e| io(e.into_error()))?;
    let copy = |out: &mut dyn Write| -> std::io::Result<()> {
        out.write_all(&head)?;
        for part in parts {
            let mut file = std::fs::File::open(part)
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", part.display())))?;
            std::io::copy(&mut file, out)?;
        }
        out.flush()
    };
    match path {
        None => copy(&mut BufWriter::new(std::io::stdout().lock())).map_err(io),
        Some(p) if is_special(p) => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(p)
                .map_err(io)?;
            copy(&mut BufWriter::new(file)).map_err(io)
        }
        Some(p) => {
            let temp = temp_beside(p).map_err(io)?;
            copy(&mut BufWriter::new(temp.as_file())).map_err(io)?;
            persist(temp, p).map_err(io)
        }
    }
}
