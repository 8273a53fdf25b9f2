#![no_main]
//! CSV: records or a reported error, never a panic.

use libfuzzer_sys::fuzz_target;
use newsclean::input::Format;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let _ = common::read(Format::Csv, data);
});
