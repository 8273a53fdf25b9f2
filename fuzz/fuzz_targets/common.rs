//! What every reader target checks: any bytes read as a file of one format give records or an
//! error, never a panic, and every record names its file and line.

#![allow(dead_code)] // each target uses a part

use std::path::PathBuf;
use std::sync::OnceLock;

use newsclean::config::{Origin, Pipeline, BUILTIN_CONFIG};
use newsclean::input::{read_from, Format, InputFile, Record};

pub fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::from_str(BUILTIN_CONFIG, Origin::Builtin).expect("config"))
}

/// Reads `data` as a file of `format`; returns the records, or None when the reader gave up
/// with an error (a documented outcome: the file is reported unreadable).
pub fn read(format: Format, data: &[u8]) -> Option<Vec<Record>> {
    let mut config = pipeline().input.clone();
    // A small limit, so the fuzzer reaches the over-long paths.
    config.max_record_bytes = 512;
    let file = InputFile {
        path: PathBuf::from("fuzz"),
        name: "fuzz".into(),
        format,
        gzip: false,
        stream: false,
        part: None,
    };
    let mut records = Vec::new();
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    match read_from(&file, reader, &config, &mut |r| records.push(r)) {
        Ok(n) => {
            assert_eq!(n as usize, records.len(), "every record counted once");
            for record in &records {
                let doc = match record {
                    Record::Doc(doc) | Record::Bad(doc, _) => doc,
                };
                assert!(doc.source.starts_with("fuzz"), "{}", doc.source);
            }
            Some(records)
        }
        Err(_) => None,
    }
}
