#![no_main]
//! JSONL: one record for every line that is not blank, whatever the bytes.

use libfuzzer_sys::fuzz_target;
use newsclean::input::Format;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let records = common::read(Format::Jsonl, data).expect("JSONL reading never fails on bytes");
    let lines = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count();
    assert_eq!(records.len(), lines);
});
