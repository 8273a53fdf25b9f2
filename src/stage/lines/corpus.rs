//! The line model's side door for its trainer and benchmark: documents given as JSONL objects
//! with a `lines` array (the shape of `../shared/corpora/scraped`) are turned, line by line,
//! into feature slots (`newsclean lines features`), plain measures (`newsclean lines
//! measures`), scores (`newsclean lines score`) or kinds of junk (`newsclean lines kind`), so
//! that
//! Python trains on exactly the features Rust computes and benchmarks exactly Rust's scores.

use std::io::{BufRead, Write};

use serde::Deserialize;

use super::features::{measures, slot, Context};
use super::model::Model;
use crate::stage::normalize::normalize_line;

#[derive(Deserialize)]
struct Doc {
    lines: Vec<String>,
}

/// What to write for each line.
pub enum Output<'a> {
    /// The slots of its features, space-separated.
    Features,
    /// The model's junk probability.
    Scores(&'a Model),
    /// The kind of junk the model names the line ("" without kinds).
    Kinds(&'a Model),
    /// Its plain measures (words, characters, ...), space-separated.
    Measures,
}

/// Reads documents from `input` and writes one output line per input line, documents one
/// after another in input order. Lines are normalized as the pipeline's normalize stage does.
/// A record that is not such an object is an error naming its line.
pub fn write(input: impl BufRead, out: &mut impl Write, output: Output) -> std::io::Result<()> {
    let mut slots = Vec::new();
    for (n, record) in input.lines().enumerate() {
        let record = record?;
        if record.trim().is_empty() {
            continue;
        }
        let doc: Doc = serde_json::from_str(&record).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("line {}: {e}", n + 1),
            )
        })?;
        let lines: Vec<String> = doc.lines.iter().map(|l| normalize_line(l)).collect();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let context = Context::new(&lines);
        match output {
            Output::Features => {
                for i in 0..lines.len() {
                    slots.clear();
                    context.features(i, &mut |name| slots.push(slot(name)));
                    let text: Vec<String> = slots.iter().map(u32::to_string).collect();
                    writeln!(out, "{}", text.join(" "))?;
                }
            }
            Output::Scores(model) => {
                for score in model.scores(&context) {
                    writeln!(out, "{:.9}", score.junk)?;
                }
            }
            Output::Measures => {
                for line in &lines {
                    let text: Vec<String> = measures(line).iter().map(f64::to_string).collect();
                    writeln!(out, "{}", text.join(" "))?;
                }
            }
            Output::Kinds(model) => {
                for i in 0..lines.len() {
                    writeln!(out, "{}", model.kind(&context, i).unwrap_or(""))?;
                }
            }
        }
    }
    Ok(())
}
