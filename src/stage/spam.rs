//! spam: removes spam lines (adult or spam-site words in a short line, or a line made mostly of
//! listed words) and rejects a document whose lines are mostly spam. Word lists hold one term
//! per line, as in the LDNOOBW lists; multi-word terms match as phrases written with single
//! spaces, ignoring case.

use serde::Deserialize;

use crate::config::BuildContext;
use crate::document::{Cleaned, Edit, Rejection};
use crate::error::Result;
use crate::text::words;
use crate::text::FastSet;

pub const NAME: &str = "spam";

/// `[spam]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// Word list files, one term per line (`#` comments allowed).
    pub wordlists: Vec<String>,
    /// A line of at most this many words containing any listed term is spam.
    pub max_line_words: usize,
    /// A longer line is spam when at least this share of its words are listed terms.
    pub min_term_share: f64,
    /// Reject the document when at least this share of its lines are spam.
    pub reject_share: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            wordlists: Vec::new(),
            max_line_words: 8,
            min_term_share: 0.25,
            reject_share: 0.5,
        }
    }
}

pub struct Spam {
    /// Every term as a substring (phrases with single spaces), when all terms are ASCII: lines
    /// without a hit skip the word-level check.
    prefilter: Option<aho_corasick::AhoCorasick>,
    /// Single-word terms, lowercase.
    words: FastSet<String>,
    /// Multi-word terms as lowercase word sequences.
    phrases: Vec<Vec<String>>,
    config: Config,
}

impl Spam {
    pub fn build(config: &Config, ctx: &BuildContext) -> Result<Spam> {
        let mut spam = Spam {
            prefilter: None,
            words: FastSet::default(),
            phrases: Vec::new(),
            config: config.clone(),
        };
        for path in &config.wordlists {
            let text = ctx.read_data("spam.wordlists", path)?;
            for term in text.lines().map(str::trim) {
                if term.is_empty() || term.starts_with('#') {
                    continue;
                }
                let mut term_words: Vec<String> = words(term).collect();
                match term_words.len() {
                    0 => {}
                    1 => {
                        spam.words.insert(term_words.remove(0));
                    }
                    _ => spam.phrases.push(term_words),
                }
            }
        }
        let needles: Vec<&String> = spam
            .words
            .iter()
            .chain(spam.phrases.iter().flatten())
            .collect();
        // The automaton folds ASCII case only: with a non-ASCII term every line is checked.
        if !needles.is_empty() && needles.iter().all(|n| n.is_ascii()) {
            let automaton = aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .build(needles)
                .map_err(|e| ctx.value_error("spam.wordlists", e))?;
            spam.prefilter = Some(automaton);
        }
        if !(0.0..=1.0).contains(&config.reject_share) {
            return Err(ctx.value_error("spam.reject_share", "must be between 0 and 1"));
        }
        Ok(spam)
    }

    pub fn describe(&self) -> String {
        format!(
            "{} terms, short line <= {} words, term share >= {}, reject at {} of lines",
            self.words.len() + self.phrases.len(),
            self.config.max_line_words,
            self.config.min_term_share,
            self.config.reject_share
        )
    }

    /// How many of the line's words belong to listed terms.
    fn listed_words(&self, line_words: &[String]) -> usize {
        let mut hits = line_words
            .iter()
            .filter(|w| self.words.contains(*w))
            .count();
        for phrase in &self.phrases {
            hits += line_words
                .windows(phrase.len())
                .filter(|w| w == phrase)
                .count()
                * phrase.len();
        }
        hits
    }

    /// True when the line is spam.
    pub fn is_spam(&self, line: &str) -> bool {
        if self.prefilter.as_ref().is_some_and(|p| !p.is_match(line)) {
            return false;
        }
        let line_words: Vec<String> = words(line).collect();
        let hits = self.listed_words(&line_words);
        hits > 0
            && (line_words.len() <= self.config.max_line_words
                || hits as f64 >= self.config.min_term_share * line_words.len() as f64)
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        let total = doc.body.line_count();
        let mut edits = Vec::new();
        doc.body.retain_lines(|_, line| {
            let spam = self.is_spam(line);
            if spam {
                edits.push(Edit::remove(NAME, "spam_line", line));
            }
            !spam
        });
        if total > 0 && edits.len() as f64 >= self.config.reject_share * total as f64 {
            let reason = format!("mostly spam: {} of {} lines", edits.len(), total);
            doc.rejection = Some(Rejection::new(NAME, reason));
        }
        doc.edits.extend(edits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Origin, Pipeline, BUILTIN_CONFIG};
    use crate::stage::Stage;

    fn spam() -> Spam {
        let pipeline = Pipeline::from_str(BUILTIN_CONFIG, Origin::Builtin).unwrap();
        for stage in pipeline.stages {
            if let Stage::Spam(s) = stage {
                return s;
            }
        }
        unreachable!("default pipeline has a spam stage")
    }

    #[test]
    fn spam_lines() {
        let spam = spam();
        for (line, want) in [
            ("xnxx indian", true),
            ("best online casino bonus click here", true),
            (
                "The casino on the river front closed after the flood, the mayor said on Monday.",
                false,
            ),
            (
                "Ukraine and Russia failed to make progress in halting the war.",
                false,
            ),
        ] {
            assert_eq!(spam.is_spam(line), want, "{line}");
        }
    }
}
