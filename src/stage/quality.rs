//! quality: rejects documents that hold no article once the other stages have cleaned them —
//! error and login pages, newsletter sign-ups, a lone headline, a caption or a menu. The
//! verdict counts the words of the document's prose sentences: a sentence of eight words or
//! more, ending like a sentence, a fifth of its words English function words. A document with
//! fewer than `min_prose_words` such words is not an article. Length alone never rejects: a
//! three-paragraph brief has far more prose than the bar, and a product page's prose passes it.
//! The reason names what the page looks like (an error page, a login page...) from the few
//! words it has; those words only name the reason, they never decide it.
//!
//! The test knows English function words, so it judges English documents, those of unknown
//! language up to 150 words (too short to tell), and every document when the language stage
//! is off; documents in other languages pass.

use serde::Deserialize;

use crate::config::BuildContext;
use crate::document::{Cleaned, Rejection};
use crate::error::Result;
use crate::stage::language::UNDETERMINED;
use crate::text::{ends_sentence, is_function_word, with_lowercase, word_count};

pub const NAME: &str = "quality";

/// `[quality]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// Fewest words in prose sentences for a document to be an article.
    pub min_prose_words: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            min_prose_words: 30,
        }
    }
}

/// Most words of a document of unknown language that is judged (as it came, before cleaning).
const UNKNOWN_LANGUAGE_MAX_WORDS: usize = 150;

/// Fewest words of a prose sentence.
const SENTENCE_MIN_WORDS: usize = 8;

/// Least share of a prose sentence's words that are function words (English prose: 0.3–0.5;
/// a menu, a list of names or a table row: near 0).
const SENTENCE_MIN_FUNCTION_SHARE: f64 = 0.2;

/// What a page without an article is, by the words it holds: the first kind with a cue found
/// in the text (lowercase) names the rejection.
const KINDS: &[(&str, &[&str])] = &[
    (
        "error page",
        &[
            "404",
            "not found",
            "page you requested",
            "no longer available",
            "does not exist",
            "an error occurred",
            "something went wrong",
        ],
    ),
    (
        "login page",
        &[
            "log in",
            "login",
            "sign in",
            "password",
            "create an account",
        ],
    ),
    (
        "sign-up page",
        &["subscribe", "subscription", "newsletter", "sign up"],
    ),
    (
        "browser notice",
        &["cookie", "javascript", "browser", "consent"],
    ),
];

pub struct Quality {
    config: Config,
}

/// What the verdict saw: the words of the prose sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prose {
    pub sentences: usize,
    pub words: usize,
}

/// Counts the prose sentences of a text, line by line. Sentences end at ".", "!" or "?"
/// before a space; table cells ("|") are cut apart, so a table row is judged cell by cell.
pub fn prose(lines: impl IntoIterator<Item = impl AsRef<str>>) -> Prose {
    let mut prose = Prose {
        sentences: 0,
        words: 0,
    };
    for line in lines {
        for cell in line.as_ref().split('|') {
            for sentence in sentences(cell) {
                let words = sentence.split_whitespace().count();
                if words < SENTENCE_MIN_WORDS || !ends_sentence(sentence) {
                    continue;
                }
                let function = sentence
                    .split_whitespace()
                    .filter(|w| {
                        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                        with_lowercase(w, is_function_word)
                    })
                    .count();
                if function as f64 >= SENTENCE_MIN_FUNCTION_SHARE * words as f64 {
                    prose.sentences += 1;
                    prose.words += words;
                }
            }
        }
    }
    prose
}

/// The sentences of one line: cut after ".", "!" or "?" (and any closing quotes or brackets)
/// where a space follows.
fn sentences(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line.trim();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            if !matches!(c, '.' | '!' | '?') {
                continue;
            }
            let mut j = i + c.len_utf8();
            while let Some(close) = rest[j..].chars().next().filter(|c| "\"'”’)]".contains(*c))
            {
                j += close.len_utf8();
            }
            if j < bytes.len() && bytes[j].is_ascii_whitespace() {
                end = j;
                break;
            }
        }
        let (sentence, tail) = rest.split_at(end);
        rest = tail.trim_start();
        Some(sentence)
    })
}

/// The kind of page a text without prose is, from its words.
fn kind(lines: &[&str]) -> &'static str {
    let text = lines.join(" ").to_lowercase();
    KINDS
        .iter()
        .find(|(_, cues)| cues.iter().any(|cue| text.contains(cue)))
        .map_or("too little prose", |(kind, _)| kind)
}

impl Quality {
    pub fn build(config: &Config, _ctx: &BuildContext) -> Result<Quality> {
        Ok(Quality {
            config: config.clone(),
        })
    }

    pub fn describe(&self) -> String {
        format!(
            "an article has {} words or more in prose sentences",
            self.config.min_prose_words
        )
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        let lines: Vec<&str> = doc
            .body
            .paragraphs
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let judged = match doc.language.as_str() {
            "" | "eng" => true,
            // Unknown: too short to tell, or a language whatlang is unsure of. Only a page
            // that was short as it came is judged: a long one without English prose may be
            // a foreign article.
            UNDETERMINED => word_count(&doc.doc.text) <= UNKNOWN_LANGUAGE_MAX_WORDS,
            _ => false,
        };
        if !judged {
            return;
        }
        let found = prose(&lines);
        if found.words >= self.config.min_prose_words {
            return;
        }
        // Say so when the other stages took the prose away: the edits of a rejected document
        // are not written, so the reason is where a user sees it.
        let before = prose(doc.doc.text.lines());
        let cleaned = match before.words > found.words {
            true => format!("; {} before cleaning", before.words),
            false => String::new(),
        };
        let reason = format!(
            "not an article: {} ({} words in {} prose sentences{cleaned})",
            kind(&lines),
            found.words,
            found.sentences
        );
        doc.rejection = Some(Rejection::new(NAME, reason));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_after_end_marks_before_a_space() {
        let s: Vec<&str> = sentences("He said “No.” Then he left! Was it 3.5 m? Yes").collect();
        assert_eq!(
            s,
            ["He said “No.”", "Then he left!", "Was it 3.5 m?", "Yes"]
        );
    }

    #[test]
    fn prose_counts_sentences_of_text_not_menus_or_headlines() {
        let lines = [
            "Home | News | Sport | Weather | Contact us",
            "Minister resigns over expenses row",
            "The minister resigned on Monday after a week of questions about his expenses.",
        ];
        assert_eq!(
            prose(lines),
            Prose {
                sentences: 1,
                words: 13
            }
        );
    }

    #[test]
    fn a_table_row_is_judged_cell_by_cell() {
        let row =
            "| 17:20 | The striker has almost completed a move to the club, the manager said. |";
        assert_eq!(prose([row]).sentences, 1);
        let names = "| Smith, Jones, Brown, Green, White, Black, Gray and Young were named. |";
        assert_eq!(prose([names]).sentences, 0, "a list of names is not prose");
    }

    #[test]
    fn the_reason_says_when_cleaning_took_the_prose() {
        use crate::document::{Body, Document};
        let text =
            "Menu\n\nThe council approved the new flood barrier on Monday after a long debate \
                    between residents and engineers about the cost of the works.";
        let mut doc = Cleaned::new(Document {
            text: text.into(),
            ..Default::default()
        });
        doc.body = Body::parse("Menu");
        let quality = Quality {
            config: Config::default(),
        };
        quality.apply(&mut doc);
        let reason = doc.rejection.expect("rejected").reason;
        assert_eq!(
            reason,
            "not an article: too little prose (0 words in 0 prose sentences; 23 before cleaning)"
        );
    }

    #[test]
    fn a_page_without_prose_is_named_by_its_words() {
        assert_eq!(kind(&["404", "Page not found"]), "error page");
        assert_eq!(kind(&["Sign in", "Password", "Forgot?"]), "login page");
        assert_eq!(kind(&["Gallery", "Photo 1 of 12"]), "too little prose");
    }
}
