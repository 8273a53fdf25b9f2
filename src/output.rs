//! The three CSV outputs: clean documents, rejected documents (with stage and reason) and
//! edits (every removed line or paragraph and every name replacement). Rows are written in
//! input order.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

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

/// Creates a file, and its folder if missing.
pub fn create_file(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    File::create(path)
}

/// A CSV file (or stdout) with a name for error messages.
pub struct Sink {
    what: String,
    writer: csv::Writer<Box<dyn Write + Send>>,
}

impl Sink {
    /// Opens `path` (creating its folder), or stdout when `path` is None or `-`.
    pub fn create(what: &str, path: Option<&Path>, header: &[&str]) -> Result<Sink> {
        let path = path.filter(|p| *p != Path::new("-"));
        let what = match path {
            Some(p) => format!("{what} {}", p.display()),
            None => format!("{what} on standard output"),
        };
        let out: Box<dyn Write + Send> = match path {
            None => Box::new(BufWriter::new(std::io::stdout())),
            Some(p) => {
                let file = create_file(p).map_err(|source| Error::Output {
                    what: what.clone(),
                    source,
                })?;
                Box::new(BufWriter::with_capacity(1 << 16, file))
            }
        };
        let mut sink = Sink {
            what,
            writer: csv::Writer::from_writer(out),
        };
        sink.row(header)?;
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

    pub fn finish(mut self) -> Result<()> {
        self.writer.flush().map_err(|source| Error::Output {
            what: self.what.clone(),
            source,
        })
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
