//! trailing: cuts unrelated stories appended after the article — the "more stories" blocks
//! scrapers pick up. Working back from the end, a block is a headline-shaped line (or a short
//! question) followed by one or two teaser paragraphs. A block is another story when a line of
//! its teaser ends with a truncation mark ("[…]", "[...]", "…", "...") and it shares few content
//! words with the article before it (low lexical cohesion); or, without a mark, when cohesion is
//! very low and its headline is in Title Case, its teaser (ten words or more) stops
//! mid-sentence, or its teaser is long and shares almost nothing. Blocks are cut while each is
//! another story; a truncated one also takes the blocks after it. A teaser that stops
//! mid-sentence is weak evidence on its own: scrapers cut real articles short too, and a real
//! closing sub-section shares the article's vocabulary, so it stays.

use std::collections::HashSet;

use serde::Deserialize;

use crate::config::BuildContext;
use crate::document::{Cleaned, Edit};
use crate::error::Result;
use crate::text::{content_words, ends_sentence, is_headline_shaped, is_title_case, word_count};

pub const NAME: &str = "trailing";

/// `[trailing]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// Paragraphs that must remain before any cut.
    pub min_body_paragraphs: usize,
    /// Most teaser paragraphs after a block's headline.
    pub max_teaser_paragraphs: usize,
    /// Longest headline, in words.
    pub max_headline_words: usize,
    /// A block without a truncation mark is unrelated when this share of its content words or
    /// fewer appear in the article before it, and its headline is Title Case or its teaser
    /// stops mid-sentence.
    pub max_cohesion: f64,
    /// A block whose teaser ends with a truncation mark is unrelated below this cohesion.
    pub max_cohesion_truncated: f64,
    /// A block with a sentence-case headline and a teaser ending a sentence is unrelated at
    /// this cohesion or below, when the teaser is long (20 words or more).
    pub max_cohesion_plain: f64,
}

/// A block sharing more than this share of its content words with the article before it
/// belongs to the article: the walk back from the end stops there.
const BELONGS_COHESION: f64 = 0.25;

/// Fewest words of a teaser that ends a sentence and has no other sign of another story.
const LONG_TEASER_WORDS: usize = 20;

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            min_body_paragraphs: 3,
            max_teaser_paragraphs: 2,
            max_headline_words: 20,
            max_cohesion: 0.15,
            max_cohesion_truncated: 0.5,
            max_cohesion_plain: 0.1,
        }
    }
}

pub struct Trailing {
    config: Config,
}

/// True when a teaser paragraph ends with a truncation mark: "[…]", "[...]", "…" or "...".
fn is_truncated(paragraph: &str) -> bool {
    let end = paragraph.trim_end();
    ["[…]", "[...]", "…", "..."]
        .iter()
        .any(|mark| end.ends_with(mark))
}

impl Trailing {
    pub fn build(config: &Config, ctx: &BuildContext) -> Result<Trailing> {
        for (key, value) in [
            ("trailing.max_cohesion", config.max_cohesion),
            (
                "trailing.max_cohesion_truncated",
                config.max_cohesion_truncated,
            ),
            ("trailing.max_cohesion_plain", config.max_cohesion_plain),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(ctx.value_error(key, "must be between 0 and 1"));
            }
        }
        if config.max_teaser_paragraphs == 0 {
            return Err(ctx.value_error("trailing.max_teaser_paragraphs", "must be at least 1"));
        }
        Ok(Trailing {
            config: config.clone(),
        })
    }

    pub fn describe(&self) -> String {
        let c = &self.config;
        format!(
            "headline + <= {} teasers; cut below cohesion {} ({} if truncated); keep >= {} paragraphs",
            c.max_teaser_paragraphs, c.max_cohesion, c.max_cohesion_truncated, c.min_body_paragraphs
        )
    }

    /// A one-line paragraph shaped like a headline; a question counts too ("Can Yahoo
    /// dominate next decade?").
    fn is_headline(&self, paragraph: &[String]) -> bool {
        let max = self.config.max_headline_words;
        let line = &paragraph[0];
        paragraph.len() == 1
            && (is_headline_shaped(line, max)
                || line.trim_end().ends_with('?') && (2..=max).contains(&word_count(line)))
    }

    /// The start of the trailing block ending at `end`: a headline followed by 1..=max
    /// teaser paragraphs that are not headlines.
    fn block_start(&self, paragraphs: &[Vec<String>], end: usize) -> Option<usize> {
        (1..=self.config.max_teaser_paragraphs + 1)
            .filter(|&len| len >= 2 && len <= end)
            .map(|len| end - len)
            .find(|&start| {
                self.is_headline(&paragraphs[start])
                    && paragraphs[start + 1..end]
                        .iter()
                        .all(|p| !self.is_headline(p))
            })
    }

    /// Share of the block's content words that also occur in the article body.
    fn cohesion(body: &HashSet<String>, block: &[Vec<String>]) -> f64 {
        let words: Vec<String> = block
            .iter()
            .flatten()
            .flat_map(|l| content_words(l))
            .collect();
        match words.len() {
            0 => 1.0,
            n => words.iter().filter(|w| body.contains(*w)).count() as f64 / n as f64,
        }
    }

    /// Whether the block `paragraphs[start..end]` is another story, compared with the
    /// article before it (`Some(true)` when its teaser also ends with a truncation mark), and
    /// its cohesion with that article.
    fn unrelated(&self, doc: &Cleaned, start: usize, end: usize) -> (Option<bool>, f64) {
        let paragraphs = &doc.body.paragraphs;
        let body: HashSet<String> = std::iter::once(&doc.doc.title)
            .chain(paragraphs[..start].iter().flatten())
            .flat_map(|l| content_words(l))
            .collect();
        let block = &paragraphs[start..end];
        let cohesion = Trailing::cohesion(&body, block);
        let truncated = block[1..].iter().flatten().any(|line| is_truncated(line));
        let unrelated = match truncated {
            true => cohesion < self.config.max_cohesion_truncated,
            false => {
                // A teaser that stops mid-sentence, long enough to be one (not a signature).
                let last = block.last().and_then(|p| p.last()).unwrap();
                let cut_short = !ends_sentence(last) && word_count(last) >= 10;
                // Without either sign, only a long teaser almost unrelated to the article.
                let plain = cohesion <= self.config.max_cohesion_plain
                    && word_count(last) >= LONG_TEASER_WORDS;
                cohesion <= self.config.max_cohesion
                    && (is_title_case(&block[0][0], 3) || cut_short || plain)
            }
        };
        (unrelated.then_some(truncated), cohesion)
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        // The run of headline-and-teaser blocks at the end, walked back from the last. Blocks
        // are cut while each is another story. A teaser cut off with a truncation mark is
        // strong enough evidence to cut what follows it too (a short story after it that
        // looked like nothing in particular), so the cut can move past blocks that are not
        // unrelated themselves but share little with the article; a block sharing more than
        // `BELONGS_COHESION` belongs to the article and ends the walk.
        let mut cut = doc.body.paragraphs.len();
        let mut end = cut;
        let mut all_unrelated = true;
        while let Some(start) = self.block_start(&doc.body.paragraphs, end) {
            if start < self.config.min_body_paragraphs {
                break;
            }
            match self.unrelated(doc, start, end) {
                (Some(truncated), _) if truncated || all_unrelated => cut = start,
                (Some(_), _) => {}
                (None, cohesion) if cohesion > BELONGS_COHESION => break,
                (None, _) => all_unrelated = false,
            }
            end = start;
        }
        let rule = "unrelated_story";
        let removed = doc.body.paragraphs.split_off(cut);
        doc.edits.extend(
            removed
                .into_iter()
                .flatten()
                .map(|line| Edit::remove(NAME, rule, line)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Body, Document};

    fn trailing() -> Trailing {
        Trailing {
            config: Config::default(),
        }
    }

    const ARTICLE: &str =
        "The city council approved the new flood barrier on Monday after a long debate.\n\n\
        Engineers said the barrier along the river would protect four thousand homes.\n\n\
        Residents of the river district had asked the council for flood defences since 2019.\n\n\
        The barrier will be finished before next winter, the council said.";

    #[test]
    fn cuts_unrelated_teasers() {
        let text = format!(
            "{ARTICLE}\n\nStriker Signs Record Deal With Northern Club\n\n\
             The midfielder agreed terms on a five-year contract worth millions, his agent [...]"
        );
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(&text);
        trailing().apply(&mut doc);
        assert_eq!(doc.body.to_text(), ARTICLE);
        assert_eq!(doc.edits.len(), 2);
    }

    #[test]
    fn cuts_unmarked_teaser_cut_mid_sentence_but_not_a_signature() {
        let text = format!(
            "{ARTICLE}\n\nStriker signs record deal with northern club\n\n\
             The midfielder agreed terms on a five-year contract worth millions on Friday, his agent confirmed as hundreds of fans gathered outside the stadium to"
        );
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(&text);
        trailing().apply(&mut doc);
        assert_eq!(doc.body.to_text(), ARTICLE);
        let signed = format!("{ARTICLE}\n\nGary Bennett\n\nExeter");
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(&signed);
        trailing().apply(&mut doc);
        assert_eq!(doc.body.to_text(), signed);
    }

    fn cut(text: &str) -> String {
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(text);
        trailing().apply(&mut doc);
        doc.body.to_text()
    }

    #[test]
    fn a_truncated_story_takes_the_blocks_after_it() {
        let text = format!(
            "{ARTICLE}\n\nStriker signs record deal with northern club\n\n\
             The midfielder agreed terms on a five-year contract worth millions, his agent [...]\n\n\
             France v Wales\n\nKick-off is at 5pm on Saturday at the Stade de France."
        );
        assert_eq!(cut(&text), ARTICLE);
        // Without the truncated story, the short block alone stays.
        let short = format!(
            "{ARTICLE}\n\nFrance v Wales\n\nKick-off is at 5pm on Saturday at the Stade de France."
        );
        assert_eq!(cut(&short), short);
    }

    #[test]
    fn a_truncated_paragraph_never_takes_the_sections_after_it() {
        let text = "The city council approved the new flood barrier on Monday after a long debate between residents and engineers.\n\n\
             Engineers said the barrier along the river would protect four thousand homes in the district from winter storms.\n\n\
             Residents of the river district had asked the council for flood defences since 2019, when water reached the market square.\n\n\
             What the mayor told residents\n\n\
             Speaking at the town hall, Mayor Jane Clark recalled years of waiting, the anger of shopkeepers whose stock was ruined, and then she paused...\n\n\
             How the barrier will be built\n\n\
             Construction of the flood barrier starts in spring and the council expects the river works to finish before winter.\n\n\
             Cost of the flood barrier\n\n\
             The council said the barrier would cost twelve million pounds, paid by the river district and the national flood fund.";
        assert_eq!(cut(text), text);
    }

    #[test]
    fn question_headline_and_long_unrelated_teaser() {
        let text = format!(
            "{ARTICLE}\n\nHave hackers recruited your PC?\n\n\
             More than one million computers on the net have been hijacked to attack websites and pump out spam and viruses, security researchers revealed."
        );
        assert_eq!(cut(&text), ARTICLE);
    }

    #[test]
    fn keeps_cohesive_final_section() {
        let text = format!(
            "{ARTICLE}\n\nWhat the barrier means for residents\n\n\
             Homes in the river district will no longer need flood insurance, the council said."
        );
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(&text);
        trailing().apply(&mut doc);
        assert_eq!(doc.body.to_text(), text);
        assert!(doc.edits.is_empty());
    }
}
