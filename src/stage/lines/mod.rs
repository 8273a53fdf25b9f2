//! lines: a trained model scores every line of a document as article text or junk (captions,
//! credits, prompts, links to other stories, widget text, legal lines) from the line's words,
//! its shape, its neighbours and its place in the document, and removes the lines it is sure
//! are junk. Each removal is an edit with the kind of junk it most looks like, the score and
//! the features that weighed most (`caption 0.97: w:getty, end=), ...`), so a user sees why. The model is `data/lines_model.tsv`, trained by `scripts/train_lines.py` on
//! real scraper output (see `data/lines_model.md`).

pub mod corpus;
pub mod features;
pub mod forest;
pub mod model;

use std::sync::Arc;

use regex::RegexSet;
use serde::Deserialize;

use crate::config::BuildContext;
use crate::document::{Cleaned, Edit};
use crate::error::Result;
use features::Context;
use model::Model;

pub const NAME: &str = "lines";

/// The rule name of the model's removals.
pub const JUNK: &str = "junk";

/// How many reasons an edit names.
const REASONS: usize = 3;

/// `[lines]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// The model file.
    pub model: String,
    /// A line whose junk probability is at least this is removed.
    pub threshold: f64,
    /// Regexes (Rust syntax): a line matching any of them is never removed by the model,
    /// whatever its score, so a false removal is fixed without retraining.
    pub keep: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            model: "data/lines_model.tsv".into(),
            threshold: 0.92,
            keep: Vec::new(),
        }
    }
}

pub struct Lines {
    model: Arc<Model>,
    threshold: f64,
    keep: RegexSet,
}

/// One line's verdict, for `newsclean explain`.
pub struct Scored {
    pub line: String,
    pub score: f64,
    pub removed: bool,
    /// The kind of junk the model names the line, if it has kinds.
    pub kind: Option<String>,
    pub reasons: Vec<model::Reason>,
}

impl Lines {
    pub fn build(config: &Config, ctx: &BuildContext) -> Result<Lines> {
        if !(0.0..=1.0).contains(&config.threshold) {
            return Err(ctx.value_error("lines.threshold", "must be between 0 and 1"));
        }
        let text = ctx.read_data("lines.model", &config.model)?;
        let model = Model::parse(&text)
            .map_err(|e| ctx.value_error("lines.model", format!("{}: {e}", config.model)))?;
        for (i, pattern) in config.keep.iter().enumerate() {
            if let Err(e) = regex::Regex::new(pattern) {
                return Err(ctx.value_error(&format!("lines.keep[{i}]"), e));
            }
        }
        let keep = RegexSet::new(&config.keep).map_err(|e| ctx.value_error("lines.keep", e))?;
        Ok(Lines {
            model: Arc::new(model),
            threshold: config.threshold,
            keep,
        })
    }

    pub fn describe(&self) -> String {
        let keep = match self.keep.len() {
            0 => String::new(),
            n => format!(", {n} keep patterns"),
        };
        format!(
            "threshold {}{keep} ({})",
            self.threshold,
            self.model.about()
        )
    }

    /// True when the model removes `line`: it scores at the threshold and no keep pattern
    /// matches it.
    fn removes(&self, line: &str, junk: f64) -> bool {
        junk >= self.threshold && !self.keep.is_match(line)
    }

    pub fn model(&self) -> &Arc<Model> {
        &self.model
    }

    /// Every line of the document with its score and the features that weighed most.
    pub fn score(&self, doc: &Cleaned) -> Vec<Scored> {
        let lines = lines_of(doc);
        let context = Context::new(&lines);
        let scores = self.model.scores(&context);
        scores
            .iter()
            .enumerate()
            .map(|(i, score)| Scored {
                line: lines[i].to_string(),
                score: score.junk,
                removed: self.removes(lines[i], score.junk),
                kind: self.model.kind(&context, i).map(String::from),
                reasons: self.model.reasons(&context, i, score, REASONS),
            })
            .collect()
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        let lines = lines_of(doc);
        let context = Context::new(&lines);
        let scores = self.model.scores(&context);
        let junk_scores = scores
            .iter()
            .enumerate()
            .map(|(i, s)| (context.key(i), s.junk as f32))
            .collect();
        if scores.iter().all(|s| s.junk < self.threshold) {
            doc.junk_scores = junk_scores;
            return;
        }

        let removed: Vec<Option<Edit>> = scores
            .iter()
            .enumerate()
            .map(|(i, score)| {
                self.removes(lines[i], score.junk).then(|| {
                    let reasons: Vec<String> = self
                        .model
                        .reasons(&context, i, score, REASONS)
                        .into_iter()
                        .map(|r| r.feature)
                        .collect();
                    let mut edit = Edit::remove(NAME, JUNK, lines[i]);
                    let kind = self.model.kind(&context, i).unwrap_or(JUNK);
                    edit.note = format!("{kind} {:.2}: {}", score.junk, reasons.join(", "));
                    edit
                })
            })
            .collect();
        doc.junk_scores = junk_scores;
        let mut removed = removed.into_iter();
        let mut edits = Vec::new();
        doc.body
            .retain_lines(|_, _| match removed.next().flatten() {
                Some(edit) => {
                    edits.push(edit);
                    false
                }
                None => true,
            });
        doc.edits.extend(edits);
    }
}

/// The document's lines, paragraph breaks left out: the model sees a sequence of lines.
fn lines_of(doc: &Cleaned) -> Vec<&str> {
    doc.body
        .paragraphs
        .iter()
        .flatten()
        .map(String::as_str)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Body, Document};
    use features::slot;

    #[test]
    fn removes_lines_at_the_threshold_with_score_and_reasons() {
        let model = Model::parse(&format!(
            "newsclean-lines-model\t1\n{}\t6.0\n{}\t-3.0\n",
            slot("w:advertisement"),
            slot("bias")
        ))
        .unwrap();
        let mut lines = Lines {
            model: Arc::new(model),
            threshold: 0.92,
            keep: RegexSet::empty(),
        };
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse("The council met.\n\nAdvertisement\n\nIt voted.");
        lines.apply(&mut doc);
        assert_eq!(doc.body.to_text(), "The council met.\n\nIt voted.");
        assert_eq!(doc.edits.len(), 1);
        let edit = &doc.edits[0];
        assert_eq!((edit.stage, edit.rule.as_str()), (NAME, JUNK));
        assert_eq!(edit.before, "Advertisement");
        assert!(edit.note.starts_with("junk 0.95: "), "{}", edit.note);
        assert!(edit.note.contains("w:advertisement"), "{}", edit.note);
        // A keep pattern overrides the model.
        lines.keep = RegexSet::new(["^Advert"]).unwrap();
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse("The council met.\n\nAdvertisement\n\nIt voted.");
        lines.apply(&mut doc);
        assert!(doc.edits.is_empty());
    }
}
