//! Property tests on stable Rust (the fuzz targets in fuzz/ go deeper where a sanitizer build
//! is available): any bytes as any input format are read without a panic and every record is
//! counted once; normalizing twice equals normalizing once; cleaning never adds words; and
//! the CSV reader reads well-formed files as the csv crate does.

use std::path::PathBuf;

use newsclean::config::{Origin, Pipeline, BUILTIN_CONFIG};
use newsclean::document::Document;
use newsclean::input::{read_from, Format, InputFile, Record};
use newsclean::pipeline::clean_document;
use newsclean::stage::normalize::normalize_line;
use proptest::prelude::*;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: std::sync::OnceLock<Pipeline> = std::sync::OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::from_str(BUILTIN_CONFIG, Origin::Builtin).unwrap())
}

/// Reads `data` as a file of `format` with a small record limit.
fn read(format: Format, data: &[u8]) -> Option<Vec<Record>> {
    let mut config = pipeline().input.clone();
    config.max_record_bytes = 64;
    let file = InputFile {
        path: PathBuf::from("p"),
        name: "p".into(),
        format,
        gzip: false,
        stream: false,
        part: None,
    };
    let mut records = Vec::new();
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    let n = read_from(&file, reader, &config, &mut |r| records.push(r)).ok()?;
    assert_eq!(n as usize, records.len());
    Some(records)
}

/// Bytes drawn mostly from what makes CSV and JSON hard.
fn tricky_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        Just(b','),
        Just(b'"'),
        Just(b'\n'),
        Just(b'\r'),
        Just(b'{'),
        Just(b'}'),
        Just(b':'),
        Just(b'a'),
        Just(b' '),
        any::<u8>(),
    ];
    proptest::collection::vec(byte, 0..300)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn jsonl_gives_one_record_per_line_that_is_not_blank(data in tricky_bytes()) {
        let records = read(Format::Jsonl, &data).expect("JSONL never fails on bytes");
        let lines = data
            .split(|&b| b == b'\n')
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
            .count();
        prop_assert_eq!(records.len(), lines);
    }

    #[test]
    fn text_gives_at_most_one_record(data in tricky_bytes()) {
        let records = read(Format::Txt, &data).expect("text never fails on bytes");
        prop_assert!(records.len() <= 1);
    }

    #[test]
    fn csv_records_name_their_lines_in_order(data in tricky_bytes()) {
        // Any bytes: records or an error for the header, never a panic; every record names a
        // line of the file, in order (records ended by a lone "\r" share a line).
        if let Some(records) = read(Format::Csv, &data) {
            let lines: Vec<u64> = records
                .iter()
                .map(|r| match r {
                    Record::Doc(d) | Record::Bad(d, _) => d.source[2..].parse().unwrap(),
                })
                .collect();
            prop_assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{:?}", lines);
        }
    }

    #[test]
    fn well_formed_csv_reads_as_the_csv_crate_reads_it(
        rows in proptest::collection::vec(("[a-z ,\"\n]{0,12}", "[a-z ,\"\n]{0,12}"), 0..6)
    ) {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["id", "text"]).unwrap();
        for (id, text) in &rows {
            writer.write_record([id, text]).unwrap();
        }
        let data = writer.into_inner().unwrap();
        let mut config = pipeline().input.clone();
        config.max_record_bytes = 1 << 20;
        config.title_from_first_line = false;
        let file = InputFile {
            path: PathBuf::from("w"),
            name: "w".into(),
            format: Format::Csv,
            gzip: false,
            stream: false,
        part: None,
        };
        let mut texts = Vec::new();
        read_from(&file, Box::new(std::io::Cursor::new(data.clone())), &config, &mut |r| {
            if let Record::Doc(d) = r {
                texts.push(d.text);
            }
        })
        .unwrap();
        let mut reader = csv::Reader::from_reader(data.as_slice());
        let want: Vec<String> = reader.records().map(|r| r.unwrap()[1].to_string()).collect();
        prop_assert_eq!(texts, want);
    }

    #[test]
    fn normalizing_twice_equals_once(line in "\\PC{0,80}") {
        let once = normalize_line(&line);
        prop_assert_eq!(normalize_line(&once), once);
    }

    #[test]
    fn cleaning_never_adds_words(text in "[A-Za-z .,\n]{0,400}") {
        let doc = Document { id: "p".into(), text: text.clone(), ..Default::default() };
        let cleaned = clean_document(pipeline(), doc);
        if cleaned.rejection.is_none() {
            let out = cleaned.body.to_text();
            prop_assert!(out.split_whitespace().count() <= text.split_whitespace().count());
        }
    }
}
