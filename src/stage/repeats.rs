//! repeats: removes a paragraph that repeats an earlier paragraph of the same document —
//! exactly (after folding case and punctuation) or nearly (word-bigram Jaccard similarity at or
//! above the threshold, as when a wire story restates its lead further down). The first copy
//! stays. Near repeats are only sought among prose paragraphs: list items ("- ...", "• ...")
//! and short lines such as fixtures or chart entries are alike by design.

use std::collections::HashSet;

use serde::Deserialize;

use crate::config::BuildContext;
use crate::document::{Cleaned, Edit};
use crate::error::Result;
use crate::text::{is_list_item, word_hashes};

pub const NAME: &str = "repeats";

/// `[repeats]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// Paragraphs shorter than this (in words) are never treated as repeats.
    pub min_words: usize,
    /// Paragraphs shorter than this (in words) are only checked for exact repeats.
    pub min_near_words: usize,
    /// Word-bigram Jaccard similarity at which a later paragraph is a near repeat.
    pub similarity: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            min_words: 8,
            min_near_words: 15,
            similarity: 0.4,
        }
    }
}

pub struct Repeats {
    config: Config,
}

/// Word bigrams of a paragraph, from its word hashes.
fn bigrams(words: &[u64]) -> HashSet<u64> {
    words
        .windows(2)
        .map(|w| w[0].rotate_left(29) ^ w[1].wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .collect()
}

fn jaccard(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    let shared = a.intersection(b).count();
    match a.len() + b.len() - shared {
        0 => 0.0,
        union => shared as f64 / union as f64,
    }
}

impl Repeats {
    pub fn build(config: &Config, ctx: &BuildContext) -> Result<Repeats> {
        if !(0.0..=1.0).contains(&config.similarity) {
            return Err(ctx.value_error("repeats.similarity", "must be between 0 and 1"));
        }
        Ok(Repeats {
            config: config.clone(),
        })
    }

    pub fn describe(&self) -> String {
        format!(
            "exact for paragraphs >= {} words; near (bigram Jaccard >= {}) for prose >= {} words",
            self.config.min_words, self.config.similarity, self.config.min_near_words
        )
    }

    /// True for a prose paragraph long enough to compare by similarity.
    fn is_prose(&self, paragraph: &[String], words: usize) -> bool {
        words >= self.config.min_near_words && !is_list_item(&paragraph[0])
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        // Earlier paragraphs: their words, and their bigrams when they are prose.
        let mut seen: Vec<(Vec<u64>, Option<HashSet<u64>>)> = Vec::new();
        let mut drop = Vec::new();
        for (i, paragraph) in doc.body.paragraphs.iter().enumerate() {
            let tokens: Vec<u64> = paragraph.iter().flat_map(|l| word_hashes(l)).collect();
            if tokens.len() < self.config.min_words {
                continue;
            }
            let grams = self
                .is_prose(paragraph, tokens.len())
                .then(|| bigrams(&tokens));
            let repeat = seen.iter().find_map(|(earlier, earlier_grams)| {
                if *earlier == tokens {
                    return Some("exact_repeat");
                }
                let (Some(a), Some(b)) = (&grams, earlier_grams) else {
                    return None;
                };
                (jaccard(a, b) >= self.config.similarity).then_some("near_repeat")
            });
            match repeat {
                Some(rule) => drop.push((i, rule)),
                None => seen.push((tokens, grams)),
            }
        }
        for &(i, rule) in drop.iter().rev() {
            let removed = doc.body.paragraphs.remove(i);
            doc.edits.push(Edit::remove(NAME, rule, removed.join("\n")));
        }
        let new = doc.edits.len() - drop.len();
        doc.edits[new..].reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Body, Document};

    #[test]
    fn removes_exact_and_near_repeats() {
        let lead = "However, while the delegation insists that the talks will be held without preconditions, the other side demands neutrality, and it is unclear whether the talks will lead to a ceasefire.";
        let reworded = "However, while the delegation insists that this talk will be held without preconditions, the other side demands neutrality, and the talks are stuck. It is unclear whether it will be connected.";
        let other = "The talks will be held in a palace on the river, officials from both countries said on Monday evening.";
        let text = format!(
            "{lead}\n\n{other}\n\n{reworded}\n\n{}",
            other.to_uppercase()
        );
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(&text);
        Repeats::build(&Config::default(), &crate::config::test_context())
            .unwrap()
            .apply(&mut doc);
        assert_eq!(doc.body.to_text(), format!("{lead}\n\n{other}"));
        let rules: Vec<&str> = doc.edits.iter().map(|e| e.rule.as_str()).collect();
        assert_eq!(rules, ["near_repeat", "exact_repeat"]);
    }

    #[test]
    fn keeps_alike_list_items() {
        let text = "- Jane Roe, Daily Sun: Film - The River; director - Ann Lee; actor - Tom Hale.\n\n\
                    - John Doe, Evening Post: Film - The River; director - Ann Lee; actor - Tom Hale.";
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(text);
        Repeats::build(&Config::default(), &crate::config::test_context())
            .unwrap()
            .apply(&mut doc);
        assert_eq!(doc.body.to_text(), text);
    }

    #[test]
    fn keeps_short_and_distinct_paragraphs() {
        let text = "Short line here.\n\nShort line here.\n\nA completely different paragraph about the weather in the mountains this week.";
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(text);
        Repeats::build(&Config::default(), &crate::config::test_context())
            .unwrap()
            .apply(&mut doc);
        assert_eq!(doc.body.to_text(), text);
    }
}
