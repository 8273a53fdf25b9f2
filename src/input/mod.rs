//! Reading dumps: finds input files (recursing into directories in sorted order), opens them
//! (gzip when the name ends in `.gz`) and yields one [`Record`] per document in input order.
//! A record that cannot be read as a document (bad JSON, wrong CSV field count, invalid UTF-8,
//! over-long line) becomes [`Record::Bad`], never an error: only I/O failures stop a run.

mod csv;
mod csv_split;
mod jsonl;
mod txt;

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;

use crate::config::InputConfig;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::report::Unreadable;
use crate::text::is_headline_shaped;

/// The formats newsclean reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// One document per file.
    Txt,
    /// One JSON object per line (also what standard input holds unless told otherwise).
    #[default]
    Jsonl,
    /// A header row, then one document per record.
    Csv,
}

/// One file to read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path as shown in ids and messages: relative to the input argument it came from.
    pub name: String,
    pub format: Format,
    pub gzip: bool,
    /// Standard input (`-`) or a FIFO, device or process substitution: readable once.
    pub stream: bool,
    /// Only this piece of the file (a split run's plan cuts large JSONL files); None: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
}

/// A piece of an uncompressed JSONL file, from a line start to a line start, that holds at
/// least one record, and how many lines and records come before it: read alone, its records
/// get the ids and sources they get when the whole file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Part {
    /// Byte offsets: the first byte of its first line, and the byte after its last line.
    pub start: u64,
    pub end: u64,
    /// Lines and records of the file before `start`.
    pub lines: u64,
    pub records: u64,
}

/// The name standard input is given in ids and sources.
pub const STDIN_NAME: &str = "stdin";

/// One document read from the input, or a record that could not be read as one.
#[derive(Debug)]
pub enum Record {
    Doc(Document),
    /// An unreadable record: the document holds what could be salvaged (id, source, raw text).
    Bad(Document, String),
}

/// Files found under the inputs, plus a note of anything skipped or unreadable.
pub struct Discovered {
    pub files: Vec<InputFile>,
    pub skipped: Vec<PathBuf>,
    /// Entries of input directories that could not be listed or followed (a broken link, a
    /// link loop, a folder without permission).
    pub unreadable: Vec<Unreadable>,
}

/// What a pass tells about an input file, where it met it in the input order.
#[derive(Debug, Clone, PartialEq)]
pub enum FileNote {
    /// The file held no record.
    Empty(String),
    Unreadable(Unreadable),
}

fn classify(path: &Path) -> Option<(Format, bool)> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (stem, gzip) = match name.strip_suffix(".gz") {
        Some(stem) => (stem.to_string(), true),
        None => (name, false),
    };
    let format = match stem.rsplit_once('.')?.1 {
        "txt" => Format::Txt,
        "jsonl" | "ndjson" => Format::Jsonl,
        "csv" => Format::Csv,
        _ => return None,
    };
    Some((format, gzip))
}

/// Expands files and directories (recursively, sorted by name) into input files. A named file
/// of unknown type is an error; unknown files inside directories are skipped and listed.
pub fn discover(inputs: &[PathBuf]) -> Result<Discovered> {
    discover_with(inputs, Format::default())
}

/// As [`discover`]; `-` is standard input and a FIFO or device named on the command line
/// (`/dev/stdin`, `<(zcat dump.gz)`) is read as a stream, both in `stream_format` unless the
/// name's extension says otherwise.
pub fn discover_with(inputs: &[PathBuf], stream_format: Format) -> Result<Discovered> {
    let mut found = Discovered {
        files: Vec::new(),
        skipped: Vec::new(),
        unreadable: Vec::new(),
    };
    for input in inputs {
        if input.as_os_str() == "-" {
            found.files.push(InputFile {
                path: input.clone(),
                name: STDIN_NAME.into(),
                format: stream_format,
                gzip: false,
                stream: true,
                part: None,
            });
            continue;
        }
        let meta = std::fs::metadata(input).map_err(|source| Error::Input {
            path: input.clone(),
            source,
        })?;
        if !meta.is_file() && !meta.is_dir() {
            let (format, gzip) = classify(input).unwrap_or((stream_format, false));
            found.files.push(InputFile {
                path: input.clone(),
                name: input.display().to_string(),
                format,
                gzip,
                stream: true,
                part: None,
            });
            continue;
        }
        if meta.is_file() {
            let (format, gzip) = classify(input).ok_or_else(|| Error::UnknownInputType {
                path: input.clone(),
            })?;
            let name = input.file_name().map_or_else(
                || input.display().to_string(),
                |n| n.to_string_lossy().into(),
            );
            found.files.push(InputFile {
                path: input.clone(),
                name,
                format,
                gzip,
                stream: false,
                part: None,
            });
            continue;
        }
        for entry in walkdir::WalkDir::new(input)
            .follow_links(true)
            .sort_by_file_name()
        {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e.path().map_or_else(|| input.clone(), Path::to_path_buf);
                    found.unreadable.push(Unreadable {
                        file: path.display().to_string(),
                        error: e.to_string(),
                        records_read: 0,
                    });
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let Some((format, gzip)) = classify(path) else {
                found.skipped.push(path.to_path_buf());
                continue;
            };
            let name = path
                .strip_prefix(input)
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned();
            found.files.push(InputFile {
                path: path.to_path_buf(),
                name,
                format,
                gzip,
                stream: false,
                part: None,
            });
        }
    }
    Ok(found)
}

/// Opens a file for buffered reading, decompressing gzip.
fn open(file: &InputFile, counter: Option<Arc<AtomicU64>>) -> Result<Box<dyn BufRead + Send>> {
    let io_error = |source| Error::Input {
        path: file.path.clone(),
        source,
    };
    let handle: Box<dyn Read + Send> =
        match (file.stream && file.path.as_os_str() == "-", file.part) {
            (true, _) => Box::new(std::io::stdin()),
            (false, None) => Box::new(File::open(&file.path).map_err(io_error)?),
            (false, Some(part)) => {
                let mut handle = File::open(&file.path).map_err(io_error)?;
                handle.seek(SeekFrom::Start(part.start)).map_err(io_error)?;
                Box::new(handle.take(part.end - part.start))
            }
        };
    let handle: Box<dyn Read + Send> = match counter {
        Some(bytes) => Box::new(Counted {
            inner: handle,
            bytes,
        }),
        None => handle,
    };
    Ok(match file.gzip {
        true => Box::new(BufReader::with_capacity(
            1 << 16,
            MultiGzDecoder::new(handle),
        )),
        false => Box::new(BufReader::with_capacity(1 << 16, handle)),
    })
}

/// Reads all records of one file, in order, handing each to `emit`; returns how many.
pub fn read_file(
    file: &InputFile,
    config: &InputConfig,
    emit: &mut dyn FnMut(Record),
) -> Result<u64> {
    read_from(file, open(file, None)?, config, emit)
}

/// As [`read_file`], adding to `bytes` every byte read from the file as stored (compressed,
/// for a `.gz`): progress against the files' sizes.
pub fn read_file_counted(
    file: &InputFile,
    config: &InputConfig,
    bytes: &Arc<AtomicU64>,
    emit: &mut dyn FnMut(Record),
) -> Result<u64> {
    read_from(file, open(file, Some(bytes.clone()))?, config, emit)
}

/// A reader that counts what passes through it.
struct Counted<R> {
    inner: R,
    bytes: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Reads all records of `file`'s format from `reader` (already decompressed), naming them
/// after `file`; returns how many. [`read_file`] opens the file; tests and fuzz targets hand
/// bytes.
pub fn read_from(
    file: &InputFile,
    reader: Box<dyn BufRead + Send>,
    config: &InputConfig,
    emit: &mut dyn FnMut(Record),
) -> Result<u64> {
    let io_error = |source: std::io::Error| Error::Input {
        path: file.path.clone(),
        source,
    };
    let mut count = 0;
    let mut counting = |mut record: Record| {
        count += 1;
        if let Record::Doc(doc) = &mut record {
            if config.title_from_first_line {
                take_title_from_first_line(doc);
            }
        }
        emit(record)
    };
    match file.format {
        Format::Txt => txt::read(file, reader, config, &mut counting).map_err(io_error)?,
        Format::Jsonl => jsonl::read(file, reader, config, &mut counting).map_err(io_error)?,
        Format::Csv => csv::read(file, reader, config, &mut counting)?,
    }
    Ok(count)
}

/// Reads up to `max` bytes of the next line into `buf` (without the newline). Returns
/// `None` at end of input, otherwise whether the line was longer than `max` (its excess is
/// skipped unread into memory).
pub(crate) fn read_line_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let mut overlong = false;
    let mut any = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(any.then_some(overlong));
        }
        any = true;
        let (chunk, done) = match memchr(available) {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        let room = max.saturating_sub(buf.len());
        if chunk.len() > room {
            overlong = true;
        }
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let consumed = done.unwrap_or(available.len());
        reader.consume(consumed);
        if done.is_some() {
            return Ok(Some(overlong));
        }
    }
}

fn memchr(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// Reads a whole stream up to `max` bytes, and whether it was longer than that.
pub(crate) fn read_capped(reader: &mut dyn Read, max: usize) -> std::io::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::new();
    reader.take(max as u64 + 1).read_to_end(&mut bytes)?;
    let overlong = bytes.len() > max;
    bytes.truncate(max);
    Ok((bytes, overlong))
}

/// Decodes UTF-8, or says where it breaks.
pub(crate) fn decode(bytes: Vec<u8>) -> std::result::Result<String, (String, String)> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        (
            format!("invalid UTF-8 (at byte {at})"),
            String::from_utf8_lossy(e.as_bytes()).into_owned(),
        )
    })
}

/// When a document has no title and its text starts with a single headline-shaped line
/// followed by more text, moves that line into the title.
pub(crate) fn take_title_from_first_line(doc: &mut Document) {
    if !doc.title.trim().is_empty() {
        return;
    }
    let text = doc
        .text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let Some((first, rest)) = text.split_once('\n') else {
        return;
    };
    let rest_starts_paragraph = rest.trim_start_matches([' ', '\t', '\r']).starts_with('\n');
    if rest_starts_paragraph && !rest.trim().is_empty() && is_headline_shaped(first.trim(), 20) {
        doc.title = first.trim().to_string();
        doc.text = rest.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lines() {
        let mut input: &[u8] = b"short\nthis line is long\n\nlast";
        let mut buf = Vec::new();
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 8).unwrap(),
            Some(false)
        );
        assert_eq!(buf, b"short");
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 8).unwrap(),
            Some(true)
        );
        assert_eq!(buf, b"this lin");
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 8).unwrap(),
            Some(false)
        );
        assert_eq!(buf, b"");
        assert_eq!(
            read_line_capped(&mut input, &mut buf, 8).unwrap(),
            Some(false)
        );
        assert_eq!(buf, b"last");
        assert_eq!(read_line_capped(&mut input, &mut buf, 8).unwrap(), None);
    }

    #[test]
    fn title_from_headline_line() {
        let mut doc = Document {
            text: "Talks Fail in Turkey\r\n\r\nThe talks failed on Thursday.".into(),
            ..Default::default()
        };
        take_title_from_first_line(&mut doc);
        assert_eq!(doc.title, "Talks Fail in Turkey");
        let mut doc = Document {
            text: "The talks failed on Thursday.\n\nMore text.".into(),
            ..Default::default()
        };
        take_title_from_first_line(&mut doc);
        assert_eq!(doc.title, "");
    }

    #[test]
    fn classifies_names() {
        assert_eq!(
            classify(Path::new("a/b.jsonl.gz")),
            Some((Format::Jsonl, true))
        );
        assert_eq!(
            classify(Path::new("b.NDJSON")),
            Some((Format::Jsonl, false))
        );
        assert_eq!(classify(Path::new("b.csv")), Some((Format::Csv, false)));
        assert_eq!(classify(Path::new("README")), None);
        assert_eq!(classify(Path::new("x.tar.gz")), None);
    }
}
