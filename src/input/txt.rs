//! `.txt` files: one document per file; the id is the path relative to the input argument.

use std::io::BufRead;

use super::{decode, read_capped, InputFile, Record};
use crate::config::InputConfig;
use crate::document::Document;

pub(super) fn read(
    file: &InputFile,
    mut reader: Box<dyn BufRead + Send>,
    config: &InputConfig,
    emit: &mut dyn FnMut(Record),
) -> std::io::Result<()> {
    let (bytes, overlong) = read_capped(&mut reader, config.max_record_bytes)?;
    let mut doc = Document {
        id: file.name.clone(),
        source: file.name.clone(),
        ..Default::default()
    };
    if overlong {
        doc.text = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).into_owned();
        emit(Record::Bad(
            doc,
            format!(
                "file longer than {} bytes (input.max_record_bytes)",
                config.max_record_bytes
            ),
        ));
        return Ok(());
    }
    match decode(bytes) {
        Ok(text) => {
            doc.text = text;
            emit(Record::Doc(doc));
        }
        Err((reason, lossy)) => {
            doc.text = lossy;
            emit(Record::Bad(doc, reason));
        }
    }
    Ok(())
}
