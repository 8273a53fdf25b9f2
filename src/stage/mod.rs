//! The cleaning stages, one file each, in the order they run. Every per-document stage takes
//! `&self` and one document, so the driver can run them in parallel; [`dedup`] is the global
//! barrier step that runs after them in input order.

pub mod boilerplate;
pub mod dedup;
pub mod language;
pub mod lines;
pub mod names;
pub mod normalize;
pub mod page;
pub mod quality;
pub mod repeats;
pub mod spam;
pub mod trailing;

use crate::document::Cleaned;

/// The per-document stages' names, in the order they run.
pub const NAMES: &[&str] = &[
    normalize::NAME,
    page::NAME,
    language::NAME,
    lines::NAME,
    spam::NAME,
    boilerplate::NAME,
    trailing::NAME,
    names::NAME,
    repeats::NAME,
    quality::NAME,
];

/// A compiled per-document stage.
pub enum Stage {
    Normalize(normalize::Normalize),
    Page(page::Page),
    Language(language::Language),
    Lines(lines::Lines),
    Boilerplate(boilerplate::Boilerplate),
    Spam(spam::Spam),
    Trailing(trailing::Trailing),
    Names(names::Names),
    Repeats(repeats::Repeats),
    Quality(quality::Quality),
}

impl Stage {
    /// The stage's name, as used in pipeline.toml sections and the `stage` output column.
    pub fn name(&self) -> &'static str {
        match self {
            Stage::Normalize(_) => normalize::NAME,
            Stage::Page(_) => page::NAME,
            Stage::Language(_) => language::NAME,
            Stage::Lines(_) => lines::NAME,
            Stage::Boilerplate(_) => boilerplate::NAME,
            Stage::Spam(_) => spam::NAME,
            Stage::Trailing(_) => trailing::NAME,
            Stage::Names(_) => names::NAME,
            Stage::Repeats(_) => repeats::NAME,
            Stage::Quality(_) => quality::NAME,
        }
    }

    /// A one-line summary of the resolved settings.
    pub fn describe(&self) -> String {
        match self {
            Stage::Normalize(s) => s.describe(),
            Stage::Page(s) => s.describe(),
            Stage::Language(s) => s.describe(),
            Stage::Lines(s) => s.describe(),
            Stage::Boilerplate(s) => s.describe(),
            Stage::Spam(s) => s.describe(),
            Stage::Trailing(s) => s.describe(),
            Stage::Names(s) => s.describe(),
            Stage::Repeats(s) => s.describe(),
            Stage::Quality(s) => s.describe(),
        }
    }

    /// Runs the stage on one document. A stage that drops the document sets its rejection.
    pub fn apply(&self, doc: &mut Cleaned) {
        match self {
            Stage::Normalize(s) => s.apply(doc),
            Stage::Page(s) => s.apply(doc),
            Stage::Language(s) => s.apply(doc),
            Stage::Lines(s) => s.apply(doc),
            Stage::Boilerplate(s) => s.apply(doc),
            Stage::Spam(s) => s.apply(doc),
            Stage::Trailing(s) => s.apply(doc),
            Stage::Names(s) => s.apply(doc),
            Stage::Repeats(s) => s.apply(doc),
            Stage::Quality(s) => s.apply(doc),
        }
    }
}
