//! `.csv` files: a header row naming the fields, then one document per record. A record with
//! the wrong number of fields or invalid UTF-8 is a bad record; so is one over
//! `input.max_record_bytes` or with a quote that never closes, which costs only the lines it
//! swallowed (see [`super::csv_split`]); reading goes on.

use std::io::BufRead;

use super::csv_split::{Next, Splitter};
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
    let io = |source: std::io::Error| Error::Input {
        path: file.path.clone(),
        source,
    };
    let mut records = Splitter::new(reader, config.max_record_bytes);
    // Header names are decoded lossily: one bad byte costs that column, not the file.
    let header: csv::StringRecord = match records.next().map_err(io)? {
        Next::Record(header, _) => header
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect(),
        Next::End => return Ok(()),
        Next::Runaway { .. } => {
            let message = "the header row never ends (an unclosed quote, or longer than input.max_record_bytes)";
            return Err(io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                message,
            )));
        }
    };
    records.fields = Some(header.len());
    let columns = Columns::find(&header, config);
    for number in 1.. {
        let next = records.next().map_err(io)?;
        let line = match &next {
            Next::Record(_, line) | Next::Runaway { line, .. } => *line,
            Next::End => break,
        };
        let mut doc = Document {
            id: format!("{}:{number}", file.name),
            source: format!("{}:{line}", file.name),
            ..Default::default()
        };
        match next {
            Next::End => break,
            Next::Runaway {
                line,
                last,
                start,
                unclosed,
            } => {
                doc.text = String::from_utf8_lossy(&start).into_owned();
                let mut reason = match unclosed {
                    true => format!("unclosed quote: the record from line {line} never ends"),
                    false => format!(
                        "record longer than {} bytes (input.max_record_bytes)",
                        config.max_record_bytes
                    ),
                };
                if last > line {
                    reason.push_str(&format!(
                        "; lines {line}-{last} skipped to the next line that reads as a record"
                    ));
                }
                emit(Record::Bad(doc, reason));
            }
            Next::Record(record, _) if record.len() != header.len() => {
                doc.text = lossy(&record);
                let reason = format!(
                    "wrong field count: {} fields where the header has {}",
                    record.len(),
                    header.len()
                );
                emit(Record::Bad(doc, reason));
            }
            Next::Record(record, _) => match fill(&mut doc, &record, &columns, config) {
                Ok(()) => emit(Record::Doc(doc)),
                Err(reason) => {
                    doc.text = lossy(&record);
                    emit(Record::Bad(doc, reason));
                }
            },
        }
    }
    Ok(())
}
