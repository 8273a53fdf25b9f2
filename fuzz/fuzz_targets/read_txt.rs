#![no_main]
//! Text files: exactly one record (a document or a rejected one) for any bytes.

use libfuzzer_sys::fuzz_target;
use newsclean::input::Format;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let records = common::read(Format::Txt, data).expect("text reading never fails on bytes");
    assert!(records.len() <= 1);
});
