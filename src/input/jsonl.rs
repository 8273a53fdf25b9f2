//! `.jsonl` / `.ndjson` files: one JSON object per line, fields named in `[input]`. Blank
//! lines are skipped; every other line is one record, good or bad.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::{decode, read_line_capped, InputFile, Record};
use crate::config::InputConfig;
use crate::document::Document;

/// A field as text: strings as they are, numbers and booleans printed, null or absent empty.
fn field(object: &Map<String, Value>, name: &str) -> String {
    match object.get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// Parses one line into a document, or says why it cannot be one.
fn parse(line: &str, doc: &mut Document, config: &InputConfig) -> Result<(), String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(object) = value else {
        return Err("not a JSON object".into());
    };
    match object.get(&config.text_field) {
        Some(Value::String(text)) => doc.text = text.clone(),
        Some(_) => return Err(format!("field `{}` is not a string", config.text_field)),
        None => return Err(format!("no `{}` field", config.text_field)),
    }
    let id = field(&object, &config.id_field);
    if !id.is_empty() {
        doc.id = id;
    }
    doc.title = field(&object, &config.title_field);
    doc.url = field(&object, &config.url_field);
    doc.date = field(&object, &config.date_field);
    doc.outlet = field(&object, &config.outlet_field);
    Ok(())
}

pub(super) fn read(
    file: &InputFile,
    mut reader: Box<dyn BufRead + Send>,
    config: &InputConfig,
    emit: &mut dyn FnMut(Record),
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let (mut line_number, mut record) = file.part.map_or((0, 0), |p| (p.lines, p.records));
    while let Some(overlong) = read_line_capped(&mut reader, &mut buf, config.max_record_bytes)? {
        line_number += 1;
        if buf.iter().all(u8::is_ascii_whitespace) && !overlong {
            continue;
        }
        record += 1;
        let mut doc = Document {
            id: format!("{}:{record}", file.name),
            source: format!("{}:{line_number}", file.name),
            ..Default::default()
        };
        if overlong {
            doc.text = String::from_utf8_lossy(&buf[..buf.len().min(1024)]).into_owned();
            let reason = format!(
                "line longer than {} bytes (input.max_record_bytes)",
                config.max_record_bytes
            );
            emit(Record::Bad(doc, reason));
            continue;
        }
        let line = match decode(std::mem::take(&mut buf)) {
            Ok(line) => line,
            Err((reason, lossy)) => {
                doc.text = lossy;
                emit(Record::Bad(doc, reason));
                continue;
            }
        };
        // A byte-order mark may open the file (or a concatenated one).
        let json = line.trim_start_matches('\u{feff}').trim_end_matches('\r');
        match parse(json, &mut doc, config) {
            Ok(()) => emit(Record::Doc(doc)),
            Err(reason) => {
                doc.text = line;
                emit(Record::Bad(doc, reason));
            }
        }
    }
    Ok(())
}
