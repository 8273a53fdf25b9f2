//! trailing: cuts unrelated stories appended after the article — the "more stories" blocks
//! scrapers pick up. Working back from the end, a block is a headline-shaped line (or a short
//! question) followed by one or two teaser paragraphs. A block is another story when a line of
//! its teaser ends with a truncation mark ("[…]", "[...]", "…", "...") and it shares few content
//! words with the article before it (low lexical cohesion); or, without a mark, when cohesion is
//! very low and its headline is in Title Case, its teaser (ten words or more) stops
//! mid-sentence, or its teaser is long and shares almost nothing. Blocks are cut while each is
//! another story; a truncated one also takes the blocks after it. Blocks holding more words
//! than the text before them are cut only if one of them is truncated: untruncated, they are
//! the document's own sections (a digest's quotes under "Name, Outlet" lines). A teaser that stops
//! mid-sentence is weak evidence on its own: scrapers cut real articles short too, and a real
//! closing sub-section shares the article's vocabulary, so it stays.
//!
//! First, a whole appended tail is cut (rule `appended_story`): a complete other article, a
//! run of teasers or a list of headlines, found as the earliest paragraph from which on the
//! text starts like a story (a headline over prose, a dateline) and shares almost none of the
//! article's words. Lexical cohesion alone does not tell a new story from a new section of the
//! same one (real news changes subject from paragraph to paragraph), so an article with
//! sub-headings of its own, a tail of long sections, a list, and short name or place lines are
//! never taken for the start of another story.
//!
//! Last, a run of one-line teasers at the end ("Headline — First sentence of the story.") is
//! cut when none of them shares more than `max_cohesion` with the article (rule
//! `teaser_line`); a dash inside an open quotation is a speaker's and makes no teaser.

use std::sync::LazyLock;

use regex::Regex;

use serde::Deserialize;

use crate::config::BuildContext;
use crate::document::{Cleaned, Edit};
use crate::error::Result;
use crate::text::{
    content_words, ends_sentence, is_headline_shaped, is_list_item, is_title_case, word_count,
};
use crate::text::{FastMap, FastSet};

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
    /// Cut a whole appended tail — a complete other article, a list of headlines or teasers
    /// — that starts like a story (a headline, a dateline) when at most this share of its
    /// content words occur in the article before it.
    pub max_tail_cohesion: f64,
    /// The same for a tail of three paragraphs or more that does not start like a story.
    pub max_unmarked_tail_cohesion: f64,
    /// A tail paragraph sharing more than this with the article must be closer to the rest
    /// of the tail than to the article.
    pub max_tail_paragraph_cohesion: f64,
    /// Fewest content words in such a tail: less is no evidence. 0 switches whole-tail cuts
    /// off.
    pub min_tail_words: usize,
    /// Cut a run of one-line teasers ("Headline — First sentence.") at the end.
    pub teaser_lines: bool,
}

/// A block sharing more than this share of its content words with the article before it
/// belongs to the article: the walk back from the end stops there.
const BELONGS_COHESION: f64 = 0.25;

/// Most paragraphs of an appended tail (a long wire story is about 30).
const MAX_TAIL_PARAGRAPHS: usize = 40;

/// A wire dateline opening a story: "NEW YORK (Reuters) - ", "KYIV, Ukraine (AP) — ",
/// "LONDON — ".
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{Lu}'.\- ]{2,}|\p{Lu}\p{Ll}+( \p{Lu}\p{Ll}+)*)(, \p{Lu}[\p{L}.\- ]+)*( \([\p{L} .&]+\))? ?[—–-]+ ")
        .expect("valid dateline pattern")
});

/// Share of content words found in the article, over (found, all) counts.
fn in_article_share(counts: impl Iterator<Item = (usize, usize)>) -> f64 {
    let (found, all) = counts.fold((0, 0), |(f, a), (x, y)| (f + x, a + y));
    found as f64 / all.max(1) as f64
}

/// Fewest words of a headline that starts another story: shorter lines are names, places and
/// signatures ("Stephen Smith", "Glasgow").
const STORY_HEADLINE_MIN_WORDS: usize = 4;

/// Rule name of a whole appended tail cut.
const APPENDED_RULE: &str = "appended_story";

/// Rule name of a cut run of one-line teasers.
const TEASER_LINE_RULE: &str = "teaser_line";

/// Fewest words of a one-line teaser's lede.
const TEASER_LEDE_WORDS: usize = 8;

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
            max_tail_cohesion: 0.15,
            max_unmarked_tail_cohesion: 0.03,
            max_tail_paragraph_cohesion: 0.1,
            min_tail_words: 20,
            teaser_lines: true,
        }
    }
}

pub struct Trailing {
    config: Config,
}

/// True when a text holds the end of a sentence before its own end: a full stop, "!" or "?"
/// then a capital, after a word of four letters or more (not "St." or "U.S."). A headline is
/// one phrase.
fn holds_sentence_end(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).any(|pair| {
        let word = pair[0].trim_end_matches(['"', '\'', '”', '’', ')']);
        word.ends_with(['.', '!', '?'])
            && word.chars().filter(|c| c.is_alphabetic()).count() >= 4
            && pair[1].starts_with(char::is_uppercase)
    })
}

/// A paragraph of prose: ten words or more.
fn is_prose(paragraph: &[String]) -> bool {
    paragraph.iter().map(|l| word_count(l)).sum::<usize>() >= 10
}

/// Running text: prose ending a sentence, not a list entry nor a numbered line.
fn is_running_text(paragraph: &[String]) -> bool {
    is_prose(paragraph)
        && paragraph.last().is_some_and(|l| ends_sentence(l))
        && !is_list_item(&paragraph[0])
        && !paragraph[0].starts_with(|c: char| c.is_ascii_digit())
}

/// The content words of the title and of the paragraphs before `end`: the article a later
/// block is compared with.
fn article_words(doc: &Cleaned, end: usize) -> FastSet<String> {
    std::iter::once(&doc.doc.title)
        .chain(doc.body.paragraphs[..end].iter().flatten())
        .flat_map(|l| content_words(l))
        .collect()
}

/// Removes the paragraphs from `start` on, one edit per line under `rule`.
fn cut_from(doc: &mut Cleaned, start: usize, rule: &'static str) {
    let removed = doc.body.paragraphs.split_off(start);
    doc.edits.extend(
        removed
            .into_iter()
            .flatten()
            .map(|line| Edit::remove(NAME, rule, line)),
    );
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
            ("trailing.max_tail_cohesion", config.max_tail_cohesion),
            (
                "trailing.max_unmarked_tail_cohesion",
                config.max_unmarked_tail_cohesion,
            ),
            (
                "trailing.max_tail_paragraph_cohesion",
                config.max_tail_paragraph_cohesion,
            ),
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
    fn cohesion(body: &FastSet<String>, block: &[Vec<String>]) -> f64 {
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
        let body = article_words(doc, start);
        let block = &doc.body.paragraphs[start..end];
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

    /// Where an appended tail starts: the earliest paragraph `k` (at `min_body_paragraphs` or
    /// later, at most `MAX_TAIL_PARAGRAPHS` from the end) from which on the document is
    /// another text, and the tail is cut whole. The text before `k` must hold two paragraphs
    /// of running text at least (an article to append to). The tail from `k` is another text
    /// when:
    /// - it has `min_tail_words` content words or more (half as many for a list of three or
    ///   more headlines);
    /// - at most `max_tail_cohesion` of its content words occur in the title or before `k`;
    /// - paragraph `k` starts a story — a headline over prose, or a dateline ("KYIV (Reuters)
    ///   -"), or the tail is a list of three headlines or more, in an article that has no
    ///   sub-headings of its own before `k`, and a tail that is one story or a run of short
    ///   teasers, not sections — or, without such a start, the tail is three paragraphs or
    ///   more, three quarters of them running text (not a list), no longer than the text
    ///   before it, sharing at most `max_unmarked_tail_cohesion`;
    /// - none of its paragraphs (four content words or more) is closer to the article than
    ///   to the rest of the tail, unless it shares at most `max_tail_paragraph_cohesion` with
    ///   the article: a paragraph of the article's own would draw on its words.
    fn appended_tail(&self, doc: &Cleaned) -> Option<usize> {
        let c = &self.config;
        let paragraphs = &doc.body.paragraphs;
        let n = paragraphs.len();
        let lowest = c
            .min_body_paragraphs
            .max(n.saturating_sub(MAX_TAIL_PARAGRAPHS));
        if lowest >= n || c.min_tail_words == 0 {
            return None;
        }
        // Each content word's first paragraph, the title counting as paragraph 0: a word of
        // a later paragraph occurs before paragraph k when its first paragraph is <= k. For the
        // words of the window, also the window paragraphs holding them.
        let mut first: FastMap<String, usize> = FastMap::default();
        content_words(&doc.doc.title).for_each(|w| {
            first.entry(w).or_insert(0);
        });
        let mut window: Vec<Vec<(usize, usize)>> = Vec::with_capacity(n - lowest);
        let mut holders: Vec<Vec<usize>> = Vec::new();
        let mut ids: FastMap<String, usize> = FastMap::default();
        for (i, paragraph) in paragraphs.iter().enumerate() {
            let mut words = Vec::new();
            for word in paragraph.iter().flat_map(|l| content_words(l)) {
                let f = *first.entry(word.clone()).or_insert(i + 1);
                if i < lowest {
                    continue;
                }
                let id = *ids.entry(word).or_insert_with(|| {
                    holders.push(Vec::new());
                    holders.len() - 1
                });
                if holders[id].last() != Some(&i) {
                    holders[id].push(i);
                }
                words.push((f, id));
            }
            if i >= lowest {
                window.push(words);
            }
        }
        // Words from each paragraph to the end.
        let mut words_from = vec![0; n + 1];
        for i in (0..n).rev() {
            words_from[i] =
                words_from[i + 1] + paragraphs[i].iter().map(|l| word_count(l)).sum::<usize>();
        }
        let is_headline = |i: usize| {
            let line = &paragraphs[i][0];
            paragraphs[i].len() == 1
                && is_headline_shaped(line, c.max_headline_words)
                && word_count(line) >= STORY_HEADLINE_MIN_WORDS
                && !line.starts_with(|c: char| c.is_ascii_digit())
        };
        // What each paragraph is, once: the cuts below ask it of every start in the window.
        let headline: Vec<bool> = (0..n).map(is_headline).collect();
        let prose: Vec<bool> = paragraphs.iter().map(|p| is_prose(p)).collect();
        let running: Vec<bool> = paragraphs.iter().map(|p| is_running_text(p)).collect();
        let is_prose = |i: usize| prose.get(i).copied().unwrap_or(false);
        // A story starts with a dateline, or a headline over a paragraph of prose.
        let section: Vec<bool> = (0..n).map(|i| headline[i] && is_prose(i + 1)).collect();
        let starts_story = |i: usize| DATELINE.is_match(&paragraphs[i][0]) || section[i];
        // Running paragraphs before each paragraph, and from it to the end.
        let mut running_before = vec![0; n + 1];
        for i in 0..n {
            running_before[i + 1] = running_before[i] + usize::from(running[i]);
        }
        let running_from = |k: usize| running_before[n] - running_before[k];
        // An article in sections (a sub-heading over prose after its first paragraph) starts
        // new subjects under headlines of its own: there a headline is no sign of another
        // story, and only the unmarked bar holds.
        let sectioned_before = |k: usize| (1..k).any(|i| section[i]);
        // A tail that holds several stories is a run of teasers: a headline and one or two
        // paragraphs each. Long sections under sub-headings are the article's own.
        let sections_after = |k: usize| {
            let starts: Vec<usize> = (k..n).filter(|&i| section[i]).collect();
            starts.len() >= 2
                && starts
                    .iter()
                    .zip(starts.iter().skip(1).chain([&n]))
                    .any(|(a, b)| b - a > 1 + c.max_teaser_paragraphs)
        };
        (lowest..n).find(|&k| {
            // An article before the cut: two paragraphs of running text at least.
            if running_before[k] < 2 {
                return false;
            }
            let tail = &window[k - lowest..];
            let total: usize = tail.iter().map(Vec::len).sum();
            let headlines = tail.len() >= 3 && headline[k..].iter().all(|&h| h);
            let needed = if headlines {
                c.min_tail_words / 2
            } else {
                c.min_tail_words
            };
            if total < needed {
                return false;
            }
            let in_article =
                |words: &[(usize, usize)]| words.iter().filter(|(f, _)| *f <= k).count();
            let shared = in_article_share(tail.iter().map(|w| (in_article(w), w.len())));
            let marked = starts_story(k) || headlines;
            let limit = match marked && !sectioned_before(k) && !sections_after(k) {
                true => c.max_tail_cohesion,
                // Unmarked, only a run of prose: a list (products, results, names) shares no
                // words with the paragraph introducing it, and is the article.
                // Nor is a tail longer than the article before it: that is the article's body
                // after an opening that shares few words with it (an essay's anecdote).
                false
                    if tail.len() >= 3
                        && running_from(k) * 4 >= tail.len() * 3
                        && words_from[k] * 2 <= words_from[0] =>
                {
                    c.max_unmarked_tail_cohesion
                }
                false => return false,
            };
            if shared > limit {
                return false;
            }
            // A tail longer than the text before it, about the one the title and that text
            // name, is the article's body after an opening and a block of links left behind.
            if words_from[k] * 2 > words_from[0] {
                let named_before = |name: &str| {
                    std::iter::once(doc.doc.title.as_str())
                        .chain(paragraphs[..k].iter().flatten().map(String::as_str))
                        .any(|text| {
                            text.split(|c: char| !c.is_alphanumeric())
                                .any(|w| w == name)
                        })
                };
                if main_name(&paragraphs[k..]).is_some_and(|name| named_before(&name)) {
                    return false;
                }
            }
            tail.iter().enumerate().all(|(offset, words)| {
                let i = k + offset;
                if words.len() < 4 {
                    return true;
                }
                let article = in_article(words) as f64 / words.len() as f64;
                let elsewhere = words
                    .iter()
                    .filter(|(_, id)| holders[*id].iter().any(|&j| j >= k && j != i))
                    .count() as f64
                    / words.len() as f64;
                article <= c.max_tail_paragraph_cohesion || article < elsewhere
            })
        })
    }

    /// Whether a paragraph is a one-line teaser ("Headline — First sentence of the story."):
    /// not a list entry; a dash between spaces after a headline-shaped phrase (or a question)
    /// of `STORY_HEADLINE_MIN_WORDS` words or more, with no sentence end inside it, before a
    /// lede of `TEASER_LEDE_WORDS` words or more that starts with a capital letter, a digit or
    /// a quote and ends like a sentence.
    fn teaser_line(&self, paragraph: &[String]) -> bool {
        let [line] = paragraph else {
            return false;
        };
        // A bulleted line is an entry of the article's own list.
        if is_list_item(line) {
            return false;
        }
        [" — ", " – ", " - "].iter().any(|dash| {
            line.split_once(dash).is_some_and(|(headline, lede)| {
                let question = headline.trim_end().trim_end_matches('!').ends_with('?');
                // A dash inside an open quotation is a speaker's, not a teaser's.
                // (Double quotes only: a closing single quote is also an apostrophe.)
                let open_quote = headline
                    .strip_prefix(['"', '“'])
                    .is_some_and(|rest| !rest.contains(['"', '”']));
                !open_quote
                    && !holds_sentence_end(headline)
                    && ends_sentence(lede)
                    && word_count(headline) >= STORY_HEADLINE_MIN_WORDS
                    && word_count(headline) <= self.config.max_headline_words
                    && (question || is_headline_shaped(headline, self.config.max_headline_words))
                    && word_count(lede) >= TEASER_LEDE_WORDS
                    && lede.starts_with(|c: char| {
                        c.is_uppercase() || c.is_ascii_digit() || "\"“‘'".contains(c)
                    })
            })
        })
    }

    /// Cuts the run of one-line teasers at the end (rule `teaser_line`) when none of them
    /// shares more than `max_cohesion` of its content words with the article before the run.
    fn cut_teaser_lines(&self, doc: &mut Cleaned) {
        if !self.config.teaser_lines {
            return;
        }
        let paragraphs = &doc.body.paragraphs;
        let mut start = paragraphs.len();
        while start > 0 && self.teaser_line(&paragraphs[start - 1]) {
            start -= 1;
        }
        // A run reaching into the first paragraphs is the article itself (a digest of
        // items), and teasers follow an article: two paragraphs of running text at least.
        if start == paragraphs.len()
            || start < self.config.min_body_paragraphs
            || paragraphs[..start]
                .iter()
                .filter(|p| is_running_text(p))
                .count()
                < 2
        {
            return;
        }
        let body = article_words(doc, start);
        let unrelated = doc.body.paragraphs[start..].iter().all(|p| {
            Trailing::cohesion(&body, std::slice::from_ref(p)) <= self.config.max_cohesion
        });
        if unrelated {
            cut_from(doc, start, TEASER_LINE_RULE);
        }
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        if let Some(start) = self.appended_tail(doc) {
            cut_from(doc, start, APPENDED_RULE);
        }
        // The run of headline-and-teaser blocks at the end, walked back from the last. Blocks
        // are cut while each is another story. A teaser cut off with a truncation mark is
        // strong enough evidence to cut what follows it too (a short story after it that
        // looked like nothing in particular), so the cut can move past blocks that are not
        // unrelated themselves but share little with the article; a block sharing more than
        // `BELONGS_COHESION` belongs to the article and ends the walk.
        let mut cut = doc.body.paragraphs.len();
        let mut end = cut;
        let mut all_unrelated = true;
        let mut truncated_cut = false;
        while let Some(start) = self.block_start(&doc.body.paragraphs, end) {
            if start < self.config.min_body_paragraphs {
                break;
            }
            match self.unrelated(doc, start, end) {
                (Some(truncated), _) if truncated || all_unrelated => {
                    cut = start;
                    truncated_cut |= truncated;
                }
                (Some(_), _) => {}
                (None, cohesion) if cohesion > BELONGS_COHESION => break,
                (None, _) => all_unrelated = false,
            }
            end = start;
        }
        // Blocks holding more words than the text before them, none of them cut off with a
        // truncation mark, are the document's own sections (a digest of quotes under
        // "Name, Outlet" lines), not stories appended to it.
        let words = |p: &[Vec<String>]| p.iter().flatten().map(|l| word_count(l)).sum::<usize>();
        let paragraphs = &doc.body.paragraphs;
        if cut < paragraphs.len()
            && (truncated_cut || words(&paragraphs[cut..]) <= words(&paragraphs[..cut]))
        {
            cut_from(doc, cut, "unrelated_story");
        }
        // Last, one-line teasers: after the blocks, so that a block's teaser shaped like one
        // goes with its headline.
        self.cut_teaser_lines(doc);
    }
}

/// The name a text is about: the capitalized word (not opening a sentence) it repeats most,
/// three times at least; ties go to the first in alphabetical order.
fn main_name(paragraphs: &[Vec<String>]) -> Option<String> {
    let mut counts: FastMap<&str, usize> = FastMap::default();
    for line in paragraphs.iter().flatten() {
        let mut opens_sentence = true;
        for token in line.split_whitespace() {
            let word = token
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .split(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            if !opens_sentence
                && word.chars().count() >= 3
                && word.starts_with(char::is_uppercase)
                && !crate::text::is_function_word(&word.to_lowercase())
            {
                *counts.entry(word).or_default() += 1;
            }
            opens_sentence = ends_sentence(token);
        }
    }
    counts
        .into_iter()
        .filter(|&(_, n)| n >= 3)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(name, _)| name.to_string())
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

    #[test]
    fn blocks_longer_than_the_text_before_them_stay_unless_truncated() {
        // A digest: short opening, then quotes under "Name, Outlet" lines, each sharing
        // little with the opening.
        let opening = "The senator launched her campaign on Monday.\n\n\
            Supporters gathered outside the hall in the rain.\n\n\
            Critics said the launch came too late in the year.";
        let quotes = [
            ("Jane Roe, Daily Sun", "“Voters in the swing states want wages that keep pace with rent, and nobody in the field has yet offered a credible plan for that.”"),
            ("John Doe, Evening Post", "“Television rewards the loudest candidate, so detailed policy papers vanish from the evening bulletins within hours of publication.”"),
        ];
        let digest = quotes
            .iter()
            .map(|(who, quote)| format!("{who}\n\n{quote}"))
            .collect::<Vec<_>>()
            .join("\n\n");
        let text = format!("{opening}\n\n{digest}");
        assert_eq!(cut(&text), text);
        // The same blocks after a longer article are cut.
        let text = format!("{ARTICLE}\n\n{opening}\n\n{digest}");
        assert_eq!(cut(&text), format!("{ARTICLE}\n\n{opening}"));
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

    /// A wire story of five paragraphs, nothing to do with the flood barrier.
    const WIRE_STORY: &str = "Shares in the carmaker fell sharply after profit warning\n\n\
        Shares in the German carmaker fell by a fifth on Tuesday after it warned that profits would shrink this year.\n\n\
        The company blamed weak demand in China and the cost of its switch to electric models for the warning.\n\n\
        Analysts had expected a small rise in earnings, and several banks cut their price targets for the stock.\n\n\
        The chief executive told investors that a new range of cheaper models would arrive in showrooms next spring.";

    #[test]
    fn a_complete_story_appended_without_a_marker_is_cut_whole() {
        let text = format!("{ARTICLE}\n\n{WIRE_STORY}");
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(&text);
        trailing().apply(&mut doc);
        assert_eq!(doc.body.to_text(), ARTICLE);
        assert_eq!(doc.edits.len(), 5);
        assert!(doc.edits.iter().all(|e| e.rule == APPENDED_RULE));
    }

    #[test]
    fn an_appended_story_without_a_headline_needs_a_clean_break() {
        // The same story without its headline and its last paragraph: three prose paragraphs
        // sharing nothing, after an article longer than they are.
        let body = WIRE_STORY
            .split("\n\n")
            .skip(1)
            .take(3)
            .collect::<Vec<_>>()
            .join("\n\n");
        let longer = format!(
            "{ARTICLE}\n\nThe river flooded the district twice in the last decade, the council said."
        );
        assert_eq!(cut(&format!("{longer}\n\n{body}")), longer);
        // A list after the paragraph introducing it shares no words with it either: it stays.
        let list = format!(
            "{ARTICLE}\n\nThese are the streets that will be closed:\n\n\
             1) Mill Lane, Tanner Row and Quay Street from the harbour to the old market\n\n\
             2) Bridge Road between Ash Grove and Elm Park, with both roundabouts on the ring road\n\n\
             3) Station Approach, Wharf Street and Canal Walk as far as the lock gates\n\n\
             4) Market Square with Cheapside and Goose Gate, including the taxi rank by the hall"
        );
        assert_eq!(cut(&list), list);
    }

    #[test]
    fn a_page_of_short_fact_lines_is_not_an_article_with_a_story_appended() {
        // A match preview: venue, date, referee lines, then the preview itself.
        let text = "Harwick v Dunmore\n\nRiverside Park\n\nSaturday, 4 March\n\nReferee Sam Reed\n\n\
             winners meet Carlow in the last eight\n\n\
             The home side will be without their captain, who is suspended after a red card in the league on Tuesday.\n\n\
             The visitors have won their last four away games and expect a full squad for the trip south.\n\n\
             Both sides drew their only meeting this season, with both goals coming in stoppage time.\n\n\
             Whoever wins faces a long journey in the next round, and the manager has asked fans to travel early.";
        assert_eq!(cut(text), text);
    }

    #[test]
    fn an_essay_opening_with_an_anecdote_keeps_its_body() {
        // Three paragraphs of a scene, then a longer argument in other words: no start of a
        // story, and longer than the opening, so the body is the essay's own.
        let text = [
            "Picture a quiet street late at night, where a stranger shouts at a man waiting alone beside a closed shop.",
            "Now picture the hat lying in the gutter beside him, trampled by the crowd that gathered to watch the scene unfold.",
            "Most people who hear this scene described feel sympathy at once, until they learn which side the man supports.",
            "Surveys of voters show that partisans increasingly regard voters of the other party as dangerous, dishonest and immoral.",
            "Psychologists call this dislike of opponents affective polarisation, and surveys have measured it rising across three decades of elections.",
            "Researchers now find that empathic concern, often praised as a civic virtue, predicts stronger dislike of partisan opponents.",
            "Voters high in empathic concern were more willing to silence a campus speaker from the opposing party than other voters.",
            "Empathic concern, the researchers conclude, flows along partisan lines, strengthening loyalty within a party and dislike of its opponents.",
        ]
        .join("\n\n");
        assert_eq!(cut(&text), text);
    }

    #[test]
    fn a_long_body_about_the_opening_s_subject_stays_after_a_left_over_headline() {
        // An opening of three paragraphs, a related-story headline left behind, then the rest of
        // the article, longer than the opening and about the same woman.
        let opening = "The singer Maria Delgado spent ten years writing songs before anyone heard one of them on the radio.\n\n\
             Delgado said the first song came to her after a long illness, when every sound she heard seemed to turn into music.\n\n\
             Doctors told Delgado the strange feeling would fade within weeks, but it stayed with her for two months.";
        let body = "Her label signed Delgado after a producer played a demo she had recorded at home in one afternoon.\n\n\
             Delgado finished the album in a hotel room, and the band recorded it the next morning without rehearsal.\n\n\
             The record sold slowly, then reached the charts after Delgado performed it live on a late-night show.\n\n\
             Critics praised the plain production of Delgado's record, which leaves room for the voice, the piano and the chorus.\n\n\
             She is now scoring a film, and says the work feels like starting again after a decade of waiting.";
        let text = format!("{opening}\n\nHow to Watch This Week's Hearings Live Online\n\n{body}");
        assert_eq!(cut(&text), text);
        // Without the name in the opening, the same tail is another story, and is cut.
        let other = opening.replace("Maria", "Ana").replace("Delgado", "Ruiz");
        let text = format!("{other}\n\nHow to Watch This Week's Hearings Live Online\n\n{body}");
        assert_eq!(cut(&text), other);
    }

    #[test]
    fn an_article_in_sections_keeps_them() {
        // A roundup: each section under its own sub-heading is about something else.
        let text = "Ministers meet in Brussels as talks on the budget resume\n\n\
             European ministers met in Brussels on Monday to resume talks on next year's budget, officials said.\n\n\
             The talks stalled last month over farm subsidies and the cost of new border controls.\n\n\
             Rail strike called off after late deal\n\n\
             A national rail strike planned for Thursday was called off after unions accepted a new pay offer overnight.\n\n\
             Passengers were told that trains would run to the normal timetable across the country.\n\n\
             The union said members would vote on the offer within a fortnight.\n\n\
             Heatwave warning for the south\n\n\
             Forecasters warned that temperatures could reach 35C in southern regions by the weekend, with hospitals on alert.\n\n\
             Elderly people were urged to stay indoors during the hottest hours of the afternoon.";
        assert_eq!(cut(text), text);
    }

    #[test]
    fn cuts_one_line_teasers_at_the_end() {
        let teasers = "Striker signs record deal with northern club \u{2014} The midfielder agreed a five-year contract worth millions on Friday.\n\n\
             Why are bees vanishing from city parks? \u{2014} Scientists blame a mix of pesticides, parasites and hot summers.";
        let text = format!("{ARTICLE}\n\n{teasers}");
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(&text);
        trailing().apply(&mut doc);
        assert_eq!(doc.body.to_text(), ARTICLE);
        assert!(doc.edits.iter().all(|e| e.rule == TEASER_LINE_RULE));
        // Switched off, they stay.
        let off = Trailing {
            config: Config {
                teaser_lines: false,
                ..Config::default()
            },
        };
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(&text);
        off.apply(&mut doc);
        assert_eq!(doc.body.to_text(), text);
        // The article's own last line with a dash stays: it shares the article's words, or
        // the dash is inside a quotation.
        for last in [
            "The river barrier project \u{2014} Engineers said the river district homes would be protected from floods.",
            "\"You wake up and you hear the news on the radio - The barrier is finally coming. You just want to celebrate with everyone.\"",
            "\u{2022} Why Kanban needs patience by Alan Kell \u{2013} \u{201c}Teams must learn from what the board tells them and adjust.\u{201d}",
            "Off to walk the coast path in Cornwall for a week. I have no choice \u{2014} The walking club has not announced a start date yet.",
            // Not a teaser: the lede stops short of a sentence, is short or starts in lower
            // case; the headline is too short.
            "Striker signs record deal with northern club \u{2014} The midfielder agreed a five-year contract worth millions on",
            "Striker signs record deal with northern club \u{2014} The midfielder agreed terms.",
            "Striker signs record deal with northern club \u{2014} the midfielder agreed a five-year contract worth millions on Friday.",
            "Striker signs deal \u{2014} The midfielder agreed a five-year contract worth millions on Friday.",
        ] {
            let text = format!("{ARTICLE}\n\n{last}");
            assert_eq!(cut(&text), text, "{last}");
        }
    }

    #[test]
    fn a_digest_of_teaser_shaped_items_is_the_article() {
        let items = [
            "Markets rally after central bank decision \u{2014} Stocks rose sharply in early trading after the bank held rates.",
            "Storm closes ferry routes to the islands \u{2014} Ferries were cancelled on Friday as winds reached ninety miles an hour.",
            "New museum opens in the old harbour \u{2014} The museum shows the history of shipbuilding in the town since 1800.",
            "Striker signs record deal with northern club \u{2014} The midfielder agreed a five-year contract worth millions on Friday.",
            "Why are bees vanishing from city parks? \u{2014} Scientists blame a mix of pesticides, parasites and hot summers.",
        ];
        let text = format!(
            "Here is what you need to know today.\n\n{}",
            items.join("\n\n")
        );
        assert_eq!(cut(&text), text);
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
