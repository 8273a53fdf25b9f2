//! repeats: removes a paragraph that repeats earlier text of the same document — exactly
//! (after folding case and punctuation), nearly (word-bigram Jaccard similarity at or above
//! `similarity` with one earlier paragraph, as when a wire story restates its lead further
//! down), or as a lightly edited copy whose word bigrams are nearly all in one earlier
//! paragraph and its neighbours (`containment`: a copy with its last sentence dropped, or
//! split or joined differently; a restatement drawing on paragraphs all over the document
//! stays).
//! The first copy stays, except where a near repeat brings new text and the line model leans
//! further towards junk on the earlier copy (`MORE_JUNK`): a caption, a summary bullet or a
//! pull quote often comes before the paragraph it restates, and the paragraph is the
//! article's text. Near repeats are only sought among prose paragraphs: list items
//! ("- ...", "• ...") and short lines such as fixtures or chart entries are alike by design.
//! Earlier paragraphs are found through an index of where each bigram first appeared, so a
//! document costs time in proportion to its length, not to its number of paragraphs squared.

use serde::Deserialize;

use crate::config::BuildContext;
use crate::document::{line_key, Cleaned, Edit};
use crate::error::Result;
use crate::text::{is_list_item, word_hashes};
use crate::text::{FastMap, FastSet};

pub const NAME: &str = "repeats";

/// Most candidates (those sharing the most bigrams) whose similarity is computed exactly.
const MAX_CANDIDATES: usize = 8;

/// Share of a near repeat's bigrams that must be new to the document for it to replace the
/// earlier copy.
const NEW_TEXT: f64 = 0.2;

/// How much higher the line model's junk score of the earlier copy must be than the later's
/// for the later to replace it. Both scores are needed: without the lines stage (or where
/// `names` rewrote a line since it was scored) the first copy stays. Chosen on labeled
/// articles (tuned-on): captions and summary bullets before their paragraph score 0.2-0.7,
/// the paragraphs below 0.1.
const MORE_JUNK: f32 = 0.1;

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
    /// Share of a later paragraph's word bigrams found in earlier prose paragraphs at which it
    /// is a repeat (0 turns this off).
    pub containment: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            min_words: 8,
            min_near_words: 15,
            similarity: 0.4,
            containment: 0.8,
        }
    }
}

pub struct Repeats {
    config: Config,
}

/// Word bigrams of a paragraph, from its word hashes.
fn bigrams(words: &[u64]) -> FastSet<u64> {
    words
        .windows(2)
        .map(|w| w[0].rotate_left(29) ^ w[1].wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .collect()
}

fn jaccard(a: &FastSet<u64>, b: &FastSet<u64>) -> f64 {
    let shared = a.intersection(b).count();
    match a.len() + b.len() - shared {
        0 => 0.0,
        union => shared as f64 / union as f64,
    }
}

/// The paragraphs kept so far: exact keys of all, bigram sets and an index of prose ones.
#[derive(Default)]
struct Seen {
    exact: FastSet<Vec<u64>>,
    prose: Vec<FastSet<u64>>,
    /// Bigram -> the first prose paragraph (index into `prose`) that has it.
    first: FastMap<u64, u32>,
}

impl Seen {
    fn add(&mut self, tokens: Vec<u64>, grams: Option<FastSet<u64>>) {
        if let Some(grams) = grams {
            let id = self.prose.len() as u32;
            for g in &grams {
                self.first.entry(*g).or_insert(id);
            }
            self.prose.push(grams);
        }
        self.exact.insert(tokens);
    }

    /// The earlier prose paragraphs where most of `grams` first appeared, best first: a copy's
    /// bigrams first appeared in its original (or, joined, in its parts).
    fn candidates(&self, grams: &FastSet<u64>) -> Vec<usize> {
        let mut shared: FastMap<u32, usize> = FastMap::default();
        for id in grams.iter().filter_map(|g| self.first.get(g)) {
            *shared.entry(*id).or_default() += 1;
        }
        let mut ranked: Vec<(usize, u32)> = shared.into_iter().map(|(id, n)| (n, id)).collect();
        ranked.sort_unstable_by(|a, b| b.cmp(a));
        ranked
            .iter()
            .take(MAX_CANDIDATES)
            .map(|&(_, id)| id as usize)
            .collect()
    }

    /// The highest share of `grams` found in a run of three consecutive earlier prose
    /// paragraphs around a candidate: a copy split from one or joined from neighbours.
    /// Bigrams gathered from all over the document (a restatement) do not count.
    fn containment(&self, grams: &FastSet<u64>, candidates: &[usize]) -> f64 {
        let found = |c: usize| {
            let run = &self.prose[c.saturating_sub(1)..(c + 2).min(self.prose.len())];
            grams
                .iter()
                .filter(|g| run.iter().any(|p| p.contains(g)))
                .count()
        };
        let best = candidates.iter().map(|&c| found(c)).max().unwrap_or(0);
        best as f64 / grams.len().max(1) as f64
    }
}

impl Repeats {
    pub fn build(config: &Config, ctx: &BuildContext) -> Result<Repeats> {
        if !(0.0..=1.0).contains(&config.similarity) {
            return Err(ctx.value_error("repeats.similarity", "must be between 0 and 1"));
        }
        if !(0.0..=1.0).contains(&config.containment) {
            return Err(ctx.value_error("repeats.containment", "must be between 0 and 1"));
        }
        Ok(Repeats {
            config: config.clone(),
        })
    }

    pub fn describe(&self) -> String {
        format!(
            "exact for paragraphs >= {} words; near (bigram Jaccard >= {}, or {} of bigrams \
             in earlier paragraphs) for prose >= {} words",
            self.config.min_words,
            self.config.similarity,
            self.config.containment,
            self.config.min_near_words
        )
    }

    /// True for a prose paragraph long enough to compare by similarity.
    fn is_prose(&self, paragraph: &[String], words: usize) -> bool {
        words >= self.config.min_near_words && !is_list_item(&paragraph[0])
    }

    /// Why a paragraph repeats earlier ones, if it does: the rule, and for a near repeat that
    /// brings new text the earlier prose paragraph (index into `seen.prose`) most like it.
    fn repeat(
        &self,
        seen: &Seen,
        tokens: &[u64],
        grams: Option<&FastSet<u64>>,
    ) -> Option<(&'static str, Option<usize>)> {
        if seen.exact.contains(tokens) {
            return Some(("exact_repeat", None));
        }
        let grams = grams?;
        // Neither test can pass when fewer of the bigrams than either threshold asks for were
        // seen anywhere before: most paragraphs stop here.
        let seen_before = grams.iter().filter(|g| seen.first.contains_key(g)).count();
        let needed = match self.config.containment {
            0.0 => self.config.similarity,
            c => c.min(self.config.similarity),
        };
        if (seen_before as f64) < needed * grams.len() as f64 {
            return None;
        }
        let candidates = seen.candidates(grams);
        // The most alike, the first among equals.
        let best = candidates
            .iter()
            .map(|&c| (jaccard(grams, &seen.prose[c]), c))
            .fold(None, |best: Option<(f64, usize)>, (j, c)| match best {
                Some((b, bc)) if b > j || b == j && bc < c => best,
                _ => Some((j, c)),
            });
        if let Some((_, c)) = best.filter(|&(j, _)| j >= self.config.similarity) {
            // Only a copy bringing new text may replace the earlier one: a copy joined from
            // earlier paragraphs has nothing of its own.
            let fresh = (grams.len() - seen_before) as f64 >= NEW_TEXT * grams.len() as f64;
            return Some(("near_repeat", fresh.then_some(c)));
        }
        let contained = self.config.containment > 0.0
            && seen.containment(grams, &candidates) >= self.config.containment;
        contained.then_some(("contained_repeat", None))
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        let mut seen = Seen::default();
        let mut drop = Vec::new();
        // Per prose paragraph in `seen`: its paragraph index.
        let mut prose: Vec<usize> = Vec::new();
        let junk = |paragraph: &[String]| -> Option<f32> {
            paragraph
                .iter()
                .map(|l| doc.junk_scores.get(&line_key(l)).copied())
                .try_fold(0.0f32, |max, s| s.map(|s| max.max(s)))
        };
        for (i, paragraph) in doc.body.paragraphs.iter().enumerate() {
            let tokens: Vec<u64> = paragraph.iter().flat_map(|l| word_hashes(l)).collect();
            if tokens.len() < self.config.min_words {
                continue;
            }
            let grams = self
                .is_prose(paragraph, tokens.len())
                .then(|| bigrams(&tokens));
            match self.repeat(&seen, &tokens, grams.as_ref()) {
                // A near copy with new text replaces an earlier copy the model calls junkier.
                Some((rule, Some(c)))
                    if junk(&doc.body.paragraphs[prose[c]])
                        .zip(junk(paragraph))
                        .is_some_and(|(earlier, later)| earlier >= later + MORE_JUNK) =>
                {
                    if !drop.iter().any(|&(d, _)| d == prose[c]) {
                        drop.push((prose[c], rule));
                    }
                    prose.push(i);
                    seen.add(tokens, grams);
                }
                Some((rule, _)) => drop.push((i, rule)),
                None => {
                    if grams.is_some() {
                        prose.push(i);
                    }
                    seen.add(tokens, grams)
                }
            }
        }
        drop.sort_unstable();
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
    fn a_near_copy_with_new_text_replaces_an_earlier_copy_the_model_calls_junk() {
        let caption = "The mayor said on Monday the new flood barrier would protect four thousand homes (pictured)";
        let other = "The talks will be held in a palace on the river, officials from both countries said on Monday evening.";
        let paragraph = "The mayor said on Monday the new flood barrier would protect four thousand homes in the old town from winter storms.";
        let scored = |text: &str, scores: &[(&str, f32)]| {
            let mut doc = Cleaned::new(Document::default());
            doc.body = Body::parse(text);
            for (line, junk) in scores {
                doc.junk_scores.insert(line_key(line), *junk);
            }
            Repeats::build(&Config::default(), &crate::config::test_context())
                .unwrap()
                .apply(&mut doc);
            doc
        };
        let text = format!("{caption}\n\n{other}\n\n{paragraph}");
        let scores = [(caption, 0.4), (other, 0.0), (paragraph, 0.02)];
        let doc = scored(&text, &scores);
        assert_eq!(doc.body.to_text(), format!("{other}\n\n{paragraph}"));
        assert_eq!(doc.edits.len(), 1);
        assert_eq!(
            (doc.edits[0].rule.as_str(), doc.edits[0].before.as_str()),
            ("near_repeat", caption)
        );
        // The first copy stays when the model is not clearly junkier on it, or did not score
        // both (the lines stage off).
        for scores in [
            vec![(caption, 0.1), (paragraph, 0.02)],
            vec![(caption, 0.4)],
            vec![],
        ] {
            let doc = scored(&text, &scores);
            assert_eq!(
                doc.body.to_text(),
                format!("{caption}\n\n{other}"),
                "{scores:?}"
            );
        }
        // A copy made of text already there (the caption joined to the next paragraph) goes.
        let joined = format!("{caption} {other}");
        let text = format!("{caption}\n\n{other}\n\n{joined}");
        let doc = scored(&text, &[(caption, 0.4), (other, 0.0), (&joined, 0.0)]);
        assert_eq!(doc.body.to_text(), format!("{caption}\n\n{other}"));
    }

    fn repeats(text: &str) -> Cleaned {
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(text);
        Repeats::build(&Config::default(), &crate::config::test_context())
            .unwrap()
            .apply(&mut doc);
        doc
    }

    #[test]
    fn finds_lightly_edited_split_and_joined_copies() {
        let a = "The mayor said the new flood barrier along the river would protect four thousand homes in the old town from winter storms.";
        let b = "Work on the barrier starts in spring, and the council expects it to be finished before the next flood season arrives in the valley.";
        let c = "Residents have asked for better defences since the great flood of 2019, when water reached the market square and the church.";
        let other = "Ferries between the islands ran again on Friday morning, two days after a storm closed the harbour to all shipping.";
        // a and b joined with b's end dropped, a cut short (split off): near one paragraph;
        // a, b and c joined into one: near none, but made of them.
        let joined_cut = format!("{a} {}", &b[..b.find(", and").unwrap()]);
        for (copy, rule) in [
            (joined_cut.as_str(), "near_repeat"),
            (&a[..a.find(" from").unwrap()], "near_repeat"),
            (&format!("{a} {b} {c}"), "contained_repeat"),
        ] {
            let text = format!("{a}\n\n{b}\n\n{c}\n\n{other}\n\n{copy}");
            let doc = repeats(&text);
            assert_eq!(
                doc.body.to_text(),
                format!("{a}\n\n{b}\n\n{c}\n\n{other}"),
                "{copy}"
            );
            assert_eq!(doc.edits[0].rule, rule);
        }
        // A restatement drawing on paragraphs far apart stays (seed 001's closing summary).
        let far = "Officials from both countries met again on Tuesday in a palace on the river to discuss the exchange of prisoners.";
        let half = |t: &str| t.split(' ').take(11).collect::<Vec<_>>().join(" ");
        let restated = format!("{} {}", half(a), half(c));
        let text = format!("{a}\n\n{other}\n\n{far}\n\n{b}\n\n{c}\n\n{restated}");
        assert_eq!(repeats(&text).body.to_text(), text);
        // New text that only quotes a phrase stays.
        let text = format!("{a}\n\n{other} The mayor said the new flood barrier would help, but critics in the valley disagree strongly with the plan.");
        assert_eq!(repeats(&text).body.to_text(), text);
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
