//! `.csv` files: a header row naming the fields, then one document per record. A record with
//! the wrong number of fields or invalid UTF-8 is a bad record; reading goes on.

use std::io::BufRead;

use super::{InputFile, Record};
use crate::config::InputConfig;
use crate::document::Document;
use crate::error::{Error, Result};

/// Column positions of the configured fields.
struct Columns {
    id: Option<usize>,
    title: Option<usize>,
    text: Option<usize>,
    url: Option<usize>,
    date: Option<usize>,
    outlet: Option<usize>,
}

impl Columns {
    fn find(header: &csv::StringRecord, config: &InputConfig) -> Columns {
        let at = |name: &str| header.iter().position(|h| h.trim() == name);
        Columns {
            id: at(&config.id_field),
            title: at(&config.title_field),
            text: at(&config.text_field),
            url: at(&config.url_field),
            date: at(&config.date_field),
            outlet: at(&config.outlet_field),
        }
    }
}

/// Fills a document from a record, or says why it cannot.
fn fill(
    doc: &mut Document,
    record: &csv::ByteRecord,
    columns: &Columns,
    config: &InputConfig,
) -> Result<(), String> {
    let get = |column: Option<usize>, name: &str| -> Result<String, String> {
        let Some(bytes) = column.and_then(|i| record.get(i)) else {
            return Ok(String::new());
        };
        String::from_utf8(bytes.to_vec()).map_err(|e| {
            format!(
                "invalid UTF-8 in field `{name}` (at byte {})",
                e.utf8_error().valid_up_to()
            )
        })
    };
    if columns.text.is_none() {
        return Err(format!("no `{}` column in the header", config.text_field));
    }
    doc.text = get(columns.text, &config.text_field)?;
    let id = get(columns.id, &config.id_field)?;
    if !id.is_empty() {
        doc.id = id;
    }
    doc.title = get(columns.title, &config.title_field)?;
    doc.url = get(columns.url, &config.url_field)?;
    doc.date = get(columns.date, &config.date_field)?;
    doc.outlet = get(columns.outlet, &config.outlet_field)?;
    Ok(())
}

fn lossy(record: &csv::ByteRecord) -> String {
    let fields: Vec<String> = record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    fields.join(",")
}

pub(super) fn read(
    file: &InputFile,
    reader: Box<dyn BufRead + Send>,
    config: &InputConfig,
    emit: &mut dyn FnMut(Record),
) -> Result<()> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(reader);
    let io = |e: csv::Error| Error::Input {
        path: file.path.clone(),
        source: e.into(),
    };
    // Header names are decoded lossily: one bad byte costs that column, not the file.
    let header = csv.byte_headers().map_err(io)?;
    let header: csv::StringRecord = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let columns = Columns::find(&header, config);
    let mut record = csv::ByteRecord::new();
    for number in 1.. {
        let result = csv.read_byte_record(&mut record);
        // The line a record starts on: from the record, or from the error for a bad one.
        let line = match &result {
            Ok(_) => record.position().map_or(0, |p| p.line()),
            Err(e) => e.position().map_or(0, |p| p.line()),
        };
        let mut doc = Document {
            id: format!("{}:{number}", file.name),
            source: format!("{}:{line}", file.name),
            ..Default::default()
        };
        match result {
            Ok(false) => break,
            Ok(true) if record.as_slice().len() > config.max_record_bytes => {
                doc.text = String::from_utf8_lossy(
                    &record.as_slice()[..1024.min(record.as_slice().len())],
                )
                .into_owned();
                let reason = format!(
                    "record longer than {} bytes (input.max_record_bytes)",
                    config.max_record_bytes
                );
                emit(Record::Bad(doc, reason));
            }
            Ok(true) => match fill(&mut doc, &record, &columns, config) {
                Ok(()) => emit(Record::Doc(doc)),
                Err(reason) => {
                    doc.text = lossy(&record);
                    emit(Record::Bad(doc, reason));
                }
            },
            Err(e) => match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => {
                    doc.text = lossy(&record);
                    let reason = format!(
                        "wrong field count: {len} fields where the header has {expected_len}"
                    );
                    emit(Record::Bad(doc, reason));
                }
                _ => return Err(io(e)),
            },
        }
    }
    Ok(())
}
