#![no_main]
//! Every stage on any UTF-8 text: no panic, and the text never gains words (beyond one from
//! a name rewrite such as "Vladimir Zelensky" -> "Volodymyr Zelenskyy" keeping its count).

use libfuzzer_sys::fuzz_target;
use newsclean::document::Document;
use newsclean::pipeline::clean_document;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc = Document {
        id: "fuzz".into(),
        text: text.into(),
        ..Default::default()
    };
    let cleaned = clean_document(common::pipeline(), doc);
    if cleaned.rejection.is_none() {
        let out = cleaned.body.to_text();
        // Name rewrites may lengthen a word (Kiev -> Kyiv keeps length; Zelensky -> Zelenskyy
        // adds one letter), so compare words, not bytes.
        assert!(out.split_whitespace().count() <= text.split_whitespace().count() + 1);
    }
});
