//! boilerplate: removes lines that are not article text — photo captions, publisher notices,
//! share/newsletter/follow prompts, "Read more"-style links — by named regex rules from the
//! config, plus one structural signal: a headline standing alone between paragraphs (once the
//! rules' lines are gone) is a link to another story when it is in Title Case, or when it
//! shares no content word with the rest of the article — unless it is short and the paragraph
//! under it develops it (shares two of its content words, or half), as a sub-heading's does,
//! or the document has three such short headlines or more (an article in sections).
//! Every removal is an edit naming the rule that fired.

use regex::{Regex, RegexSet};
use serde::Deserialize;

use crate::config::BuildContext;
use crate::document::{line_key, Cleaned, Edit};
use crate::error::Result;
use crate::text::{
    content_words, ends_sentence, is_headline_shaped, is_list_item, is_title_case, word_count,
};
use crate::text::{FastMap, FastSet};

pub const NAME: &str = "boilerplate";

/// Rule name recorded for the structural headline signal.
pub const RELATED_HEADLINE: &str = "related_headline";

/// Rule name recorded for a photo gallery's captions on one line.
pub const SLIDESHOW: &str = "slideshow";

/// Longest sentence-case headline taken for a link to another story.
const UNRELATED_HEADLINE_MAX_WORDS: usize = 12;

/// Short headlines standing alone between paragraphs in one document from which on they are
/// the article's sub-headings.
const SECTIONS: usize = 3;

/// Longest line that can be a sub-heading the next paragraph develops.
const SUB_HEADING_MAX_WORDS: usize = 8;

/// Words a headline never ends on: a line ending on one is a sentence broken in two. The
/// articles, prepositions, conjunctions and auxiliaries of [`crate::text::FUNCTION_WORDS`].
const HEADLINE_NEVER_ENDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "her",
    "his", "in", "is", "its", "of", "on", "or", "our", "that", "the", "their", "this", "to", "was",
    "were", "which", "who", "with", "your",
];

/// Fewest distinct content words in the rest of a document for sharing none of them to mean
/// anything.
const MIN_COHESION_WORDS: usize = 30;

/// `[boilerplate]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// Remove headlines standing alone between two paragraphs: Title Case, or sharing no
    /// content word with the rest of the document.
    pub related_headlines: bool,
    /// Fewest words for such a headline.
    pub headline_min_words: usize,
    /// With the lines stage on, a headline is removed only when the line model gives it at
    /// least this junk probability: the model, which reads the line's words, must lean junk.
    pub headline_min_junk: f64,
    /// Remove a line counting two consecutive slides of one gallery ("Hide Caption 1 of 19
    /// ... 2 of 19", "Image 1 of 15 ... Image 2 of 15"): a photo gallery's captions.
    pub slideshows: bool,
    /// `[[boilerplate.rules]]`: named line rules.
    pub rules: Vec<RuleConfig>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            related_headlines: true,
            headline_min_words: 4,
            headline_min_junk: 0.1,
            slideshows: true,
            rules: Vec::new(),
        }
    }
}

/// One named rule: a line matching `pattern` with at most `max_words` words is removed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    pub name: String,
    pub pattern: String,
    #[serde(default = "default_max_words")]
    pub max_words: usize,
}

fn default_max_words() -> usize {
    40
}

pub struct Boilerplate {
    set: RegexSet,
    /// The largest `max_words` of any rule: longer lines match none.
    max_words: usize,
    rules: Vec<RuleConfig>,
    related_headlines: bool,
    headline_min_words: usize,
    headline_min_junk: f64,
    /// Slide counters ("3 of 19", "3 / 19"), with `slideshows`.
    counters: Option<Regex>,
}

impl Boilerplate {
    pub fn build(config: &Config, ctx: &BuildContext) -> Result<Boilerplate> {
        for (i, rule) in config.rules.iter().enumerate() {
            if let Err(e) = Regex::new(&rule.pattern) {
                let key = format!("boilerplate.rules[{i}] (name = {:?}).pattern", rule.name);
                return Err(ctx.value_error(&key, e));
            }
        }
        if !(0.0..=1.0).contains(&config.headline_min_junk) {
            return Err(ctx.value_error("boilerplate.headline_min_junk", "must be between 0 and 1"));
        }
        let set = RegexSet::new(config.rules.iter().map(|r| &r.pattern))
            .map_err(|e| ctx.value_error("boilerplate.rules", e))?;
        Ok(Boilerplate {
            set,
            max_words: config.rules.iter().map(|r| r.max_words).max().unwrap_or(0),
            rules: config.rules.clone(),
            related_headlines: config.related_headlines,
            headline_min_words: config.headline_min_words,
            headline_min_junk: config.headline_min_junk,
            counters: config
                .slideshows
                .then(|| Regex::new(r"\b(\d{1,3}) (?:of|/) (\d{1,3})\b").expect("valid")),
        })
    }

    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.rules.iter().map(|r| r.name.as_str()).collect();
        let headlines = match self.related_headlines {
            true => format!(" + {RELATED_HEADLINE}"),
            false => String::new(),
        };
        let slideshows = match self.counters.is_some() {
            true => format!(" + {SLIDESHOW}"),
            false => String::new(),
        };
        format!(
            "{} rules [{}]{headlines}{slideshows}",
            names.len(),
            names.join(", ")
        )
    }

    /// Whether a line counts two slides of one gallery: "k of N" and "k+1 of N" (not two
    /// figures of one total in prose: "15 of 41 states ... 26 of 41 primaries").
    fn is_slideshow(&self, line: &str) -> bool {
        let Some(counters) = &self.counters else {
            return false;
        };
        if !line.bytes().any(|b| b.is_ascii_digit()) {
            return false;
        }
        let mut seen: Vec<(u32, u32)> = Vec::new();
        for c in counters.captures_iter(line) {
            let (Ok(k), Ok(n)) = (c[1].parse::<u32>(), c[2].parse::<u32>()) else {
                continue;
            };
            if k == 0 || k > n {
                continue;
            }
            if seen.iter().any(|&(k2, n2)| n2 == n && k2.abs_diff(k) == 1) {
                return true;
            }
            seen.push((k, n));
        }
        false
    }

    /// The name of the first rule that removes `line`, if any.
    fn matching_rule(&self, line: &str) -> Option<&str> {
        if self.is_slideshow(line) {
            return Some(SLIDESHOW);
        }
        let words = word_count(line);
        if words > self.max_words || !self.set.is_match(line) {
            return None;
        }
        self.set
            .matches(line)
            .into_iter()
            .map(|i| &self.rules[i])
            .find(|rule| words <= rule.max_words)
            .map(|rule| rule.name.as_str())
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        // The named rules decide first, so a headline is judged among the lines that stay: an
        // inline link next to an "Advertisement" line still stands alone between paragraphs.
        let rules: Vec<Option<&str>> = doc
            .body
            .paragraphs
            .iter()
            .flatten()
            .map(|line| self.matching_rule(line))
            .collect();
        let headlines = match self.related_headlines {
            true => self.standalone_headlines(doc, &rules),
            false => Vec::new(),
        };
        let mut rules = rules.into_iter();
        let mut edits = Vec::new();
        let scores = &doc.junk_scores;
        doc.body.retain_lines(|paragraph, line| {
            let rule = rules
                .next()
                .flatten()
                .or_else(|| headlines.contains(&paragraph).then_some(RELATED_HEADLINE));
            if let Some(rule) = rule {
                let mut edit = Edit::remove(NAME, rule, line);
                // A headline goes with the line model's consent: say how sure it was.
                if let Some(junk) = scores
                    .get(&line_key(line))
                    .filter(|_| rule == RELATED_HEADLINE)
                {
                    edit.note = format!("line model {junk:.2}");
                }
                edits.push(edit);
            }
            rule.is_none()
        });
        doc.edits.extend(edits);
    }

    /// Paragraphs (by index) that are a single headline-shaped line standing between two
    /// paragraphs that end a sentence, once the lines `rules` remove are gone: a Title Case
    /// headline, or one in sentence case sharing no content word with the rest of the article
    /// (a real sub-heading names what the article is about). A headline followed by a
    /// truncated teaser is an appended story, left to the trailing stage. Lists of names
    /// ("Porto, Real Madrid, Werder Bremen") and list items are Title Case too, so lines with
    /// more than two commas or a list marker are not headlines.
    fn standalone_headlines(&self, doc: &Cleaned, rules: &[Option<&str>]) -> Vec<usize> {
        // (index in the body, the lines no rule removes), emptied paragraphs left out.
        let mut rules = rules.iter();
        let paragraphs: Vec<(usize, Vec<&str>)> = doc
            .body
            .paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let kept = p
                    .iter()
                    .filter(|_| rules.next().is_some_and(Option::is_none));
                (i, kept.map(String::as_str).collect::<Vec<_>>())
            })
            .filter(|(_, lines)| !lines.is_empty())
            .collect();
        let single =
            |p: &[&str]| p.len() == 1 && !is_list_item(p[0]) && p[0].matches(',').count() <= 2;
        let is_title_headline =
            |line: &str| !ends_sentence(line) && is_title_case(line, self.headline_min_words);
        let between_sentences = |i: usize| {
            let before = paragraphs[i - 1].1.last().copied().unwrap_or("");
            let after = paragraphs[i + 1].1.last().copied().unwrap_or("");
            ends_sentence(before) && ends_sentence(after) && !after.ends_with("…]")
        };
        // Content words of the whole document, counted once: a line's word is found
        // elsewhere when the document has more of it than the line itself.
        let mut counts: FastMap<String, usize> = FastMap::default();
        let all_lines = paragraphs.iter().flat_map(|(_, p)| p.iter().copied());
        for word in std::iter::once(doc.doc.title.as_str())
            .chain(all_lines)
            .flat_map(content_words)
        {
            *counts.entry(word).or_default() += 1;
        }
        let question =
            |line: &str| line.trim_end().ends_with('?') && !line.trim_end().ends_with("??");
        // Questions standing alone are links only in a document with one: several are an
        // interview's.
        let questions = paragraphs
            .iter()
            .filter(|(_, p)| single(p) && question(p[0]))
            .count();
        let unrelated = |i: usize| {
            let line = paragraphs[i].1[0];
            let words: Vec<String> = content_words(line).collect();
            // A headline does not end on a function word ("... qualification for"): such a
            // line is a sentence broken in two.
            let last = line.split_whitespace().last().unwrap_or("");
            let last = last
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            // A question counts too ("What now for Kelly Holmes?"), not a reader's "??".
            let shaped = is_headline_shaped(line, UNRELATED_HEADLINE_MAX_WORDS)
                || questions == 1
                    && question(line)
                    && word_count(line) <= UNRELATED_HEADLINE_MAX_WORDS;
            let own = |w: &String| words.iter().filter(|x| *x == w).count();
            words.len() >= 2
                && word_count(line) >= self.headline_min_words
                && !HEADLINE_NEVER_ENDS.contains(&last.as_str())
                && shaped
                && counts.len() >= MIN_COHESION_WORDS + words.len()
                && words.iter().all(|w| counts[w] == own(w))
        };
        // A sub-heading is short and names what the paragraph under it develops: two of its
        // content words, or half of them, are in that paragraph. A link to another story on
        // the same subject shares words too, but is a whole headline long.
        let developed = |i: usize| {
            if word_count(paragraphs[i].1[0]) > SUB_HEADING_MAX_WORDS {
                return false;
            }
            let next: FastSet<String> = paragraphs[i + 1]
                .1
                .iter()
                .flat_map(|l| content_words(l))
                .collect();
            let words: FastSet<String> = content_words(paragraphs[i].1[0]).collect();
            let shared = words.iter().filter(|w| next.contains(*w)).count();
            shared >= 2 || shared > 0 && shared * 2 >= words.len()
        };
        let headlines: Vec<usize> = (1..paragraphs.len().saturating_sub(1))
            .filter(|&i| {
                single(&paragraphs[i].1)
                    && between_sentences(i)
                    && (is_title_headline(paragraphs[i].1[0]) || unrelated(i))
            })
            .collect();
        // Many short headlines between paragraphs are an article's sub-headings, not links
        // (links to other stories come one or two to an article, or a whole headline long).
        let short = |i: &usize| word_count(paragraphs[*i].1[0]) <= SUB_HEADING_MAX_WORDS;
        let sectioned = headlines.iter().filter(|i| short(i)).count() >= SECTIONS;
        headlines
            .into_iter()
            .filter(|i| !(sectioned && short(i)))
            .filter(|&i| !developed(i))
            .filter(|&i| self.model_agrees(doc, paragraphs[i].1[0]))
            .map(|i| paragraphs[i].0)
            .collect()
    }

    /// True unless the line model scored `line` below `headline_min_junk` (true when the
    /// lines stage is off). Measured on the labeled articles' held-out scores: of the
    /// standalone headlines the model scores below 0.1, 50 of 58 are the article's own lines.
    fn model_agrees(&self, doc: &Cleaned, line: &str) -> bool {
        doc.junk_scores
            .get(&line_key(line))
            .is_none_or(|&junk| f64::from(junk) >= self.headline_min_junk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_endings_are_function_words() {
        for word in HEADLINE_NEVER_ENDS {
            assert!(crate::text::is_function_word(word), "{word}");
        }
    }
    use crate::config::{Origin, Pipeline, BUILTIN_CONFIG};
    use crate::document::{Body, Document};
    use crate::stage::Stage;

    fn clean(text: &str) -> Cleaned {
        let pipeline = Pipeline::from_str(BUILTIN_CONFIG, Origin::Builtin).unwrap();
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(text);
        for stage in &pipeline.stages {
            if let Stage::Boilerplate(b) = stage {
                b.apply(&mut doc);
            }
        }
        doc
    }

    #[test]
    fn default_rules_remove_junk_lines() {
        for (line, rule) in [
            ("Ukrainian delegation. /Courtesy of Reuters", "caption"),
            (
                "The picture shows Turkish President Erdogan speaking before the talks.",
                "caption",
            ),
            ("Photo: Jane Doe/Reuters", "caption"),
            (
                "※ This article has been translated by AI. Share your feedback here.",
                "ai_notice",
            ),
            ("Advertisement", "advertisement"),
            ("Sign up for our daily newsletter", "newsletter"),
            ("Share this article", "share"),
            ("Follow us on Twitter", "follow"),
            ("Read more: Flood waters rise in the north", "read_more"),
        ] {
            let doc = clean(&format!(
                "First paragraph ends here.\n\n{line}\n\nLast paragraph."
            ));
            assert_eq!(
                doc.body.to_text(),
                "First paragraph ends here.\n\nLast paragraph.",
                "{line}"
            );
            assert_eq!(doc.edits[0].rule, rule, "{line}");
        }
    }

    #[test]
    fn a_galleries_captions_on_one_line_go() {
        let gallery = "Photos: Rising waters Photos: Rising waters Residents wade through a flooded street on Monday. Hide Caption 1 of 12 Photos: Rising waters A rescue boat reaches a farm. Hide Caption 2 of 12";
        let text = format!(
            "The river burst its banks on Monday after three days of rain, officials said.\n\n{gallery}\n\nThe council opened two shelters in the town hall and a school."
        );
        let doc = clean(&text);
        assert_eq!(doc.edits.len(), 1, "{:?}", doc.edits);
        assert_eq!(doc.edits[0].rule, SLIDESHOW);
        for line in [
            "Image 1 of 15 Caption Close View from the station over Madagascar. Image 2 of 15 Caption Close The launch pad.",
            "Slide 3 of 8: the old harbour. Slide 4 of 8: the new bridge.",
        ] {
            assert_eq!(clean(line).edits[0].rule, SLIDESHOW, "{line}");
        }
        for line in [
            "He won 3 of 5 races last year and 4 of 6 the year before, his coach said.",
            "Two of the 12 jurors were replaced; juror 1 of 12 had fallen ill before the verdict.",
            "Turnout reached record lows in 15 of 41 states and in 26 of 41 primaries.",
            "Only 1 of 12 candidates passed the test.",
        ] {
            assert!(clean(line).edits.is_empty(), "{line}");
        }
    }

    #[test]
    fn keeps_article_lines() {
        for line in [
            "The photograph taken by Maxar Technologies on the 27th shows Russian tanks heading for Kyiv.",
            "Collective security framework to replace NATO accession",
            "First negotiations after the military invasion The aim of both sides is",
            "He said the advertisement market shrank by a third last year.",
            "Readers who want to share their views can write to the council.",
        ] {
            let text = format!("First paragraph ends here.\n\n{line}\n\nLast paragraph.");
            let doc = clean(&text);
            assert_eq!(doc.body.to_text(), text, "{line}");
        }
    }

    #[test]
    fn keeps_lists_of_names() {
        let text = "The draw was made on Friday.\n\nBarcelona, Bayern Munich, Porto, Real Madrid, Werder Bremen\n\nThe first legs are in February.";
        assert_eq!(clean(text).body.to_text(), text);
    }

    #[test]
    fn sentence_case_headline_is_a_link_only_when_off_topic() {
        let article = "The city council approved the new flood barrier on Monday after a long debate between residents, engineers and the mayor.\n\n{}\n\nEngineers said the barrier along the river would protect four thousand homes in the district from winter storms, and that building work starts in spring.\n\nResidents had asked the council for defences since 2019, when water reached the market square.";
        for link in [
            "Striker signs record deal with northern club",
            "Confusion over high-definition TV",
            "Could the striker transfer collapse?",
        ] {
            let doc = clean(&article.replace("{}", link));
            assert_eq!(
                doc.edits.len(),
                1,
                "an off-topic headline is a link: {link}"
            );
            assert_eq!(doc.edits[0].rule, RELATED_HEADLINE);
        }
        for kept in [
            "What the flood barrier means for residents",
            "Marching bands played loudly near the",
            "Has everyone forgotten the old bandstand??",
        ] {
            let text = article.replace("{}", kept);
            assert_eq!(clean(&text).body.to_text(), text, "{kept}");
        }
    }

    #[test]
    fn an_interviews_questions_stay() {
        let answer = "The city council approved the new flood barrier on Monday after a long debate between residents, engineers and the mayor, who spoke for an hour.";
        let text = format!(
            "{answer}\n\nWhen did you first start painting seriously?\n\n{answer}\n\nDo you still play the violin at night?\n\n{answer}"
        );
        assert_eq!(clean(&text).body.to_text(), text);
    }

    #[test]
    fn a_sub_heading_the_next_paragraph_develops_stays() {
        let text = "The charity trains chefs across the country.\n\nOperation Frontline in Action\n\nOperation Frontline volunteers taught forty families to cook on a budget this spring.";
        assert_eq!(clean(text).body.to_text(), text);
    }

    #[test]
    fn an_article_in_sections_keeps_its_sub_headings() {
        // Title Case sub-headings that name their section in other words than it uses.
        let paragraph =
            "The city council approved the new flood barrier on Monday after a long debate.";
        let between = |lines: &[&str]| {
            lines.iter().fold(paragraph.to_string(), |text, line| {
                format!("{text}\n\n{line}\n\n{paragraph}")
            })
        };
        let headings = [
            "Makes My Blood Boil",
            "No More Big Tents",
            "A Long Road Ahead",
        ];
        let text = between(&headings);
        assert_eq!(clean(&text).body.to_text(), text);
        // With two of them, they are taken for links; and links a whole headline long stay
        // links however many there are.
        assert_eq!(clean(&between(&headings[..2])).edits.len(), 2);
        let links = [
            "PENTAGON SAYS TROOP BUILDUP ON THE BORDER IS THE LARGEST SINCE COLD WAR",
            "GERMANY SEIZES CONTROL OF THREE OIL REFINERIES AHEAD OF LOOMING DEADLINE",
            "PRESIDENT PRAISES HEROIC SOLDIERS IN PREVIEW OF AN EXCLUSIVE TELEVISION INTERVIEW",
        ];
        assert_eq!(clean(&between(&links)).edits.len(), 3);
    }

    #[test]
    fn standalone_title_case_headline_is_a_link() {
        let doc = clean("Talks went on.\n\nUkraine Open to Neutrality But Won’t Yield Territory, Aide Says\n\nHosted by Turkey, the meeting ended.");
        assert_eq!(
            doc.body.to_text(),
            "Talks went on.\n\nHosted by Turkey, the meeting ended."
        );
        assert_eq!(doc.edits[0].rule, RELATED_HEADLINE);
    }

    #[test]
    fn a_headline_the_line_model_is_sure_of_stays() {
        let pipeline = Pipeline::from_str(BUILTIN_CONFIG, Origin::Builtin).unwrap();
        let Some(Stage::Boilerplate(b)) = pipeline
            .stages
            .iter()
            .find(|s| matches!(s, Stage::Boilerplate(_)))
        else {
            panic!("boilerplate is on by default")
        };
        let headline = "Ukraine Open to Neutrality But Won’t Yield Territory, Aide Says";
        let text = format!("Talks went on.\n\n{headline}\n\nHosted by Turkey, the meeting ended.");
        // The line model's score decides: below headline_min_junk the headline stays, at or
        // above it (or without a score: the lines stage off) it goes.
        for (junk, removed) in [(Some(0.05), false), (Some(0.1), true), (None, true)] {
            let mut doc = Cleaned::new(Document::default());
            doc.body = Body::parse(&text);
            if let Some(junk) = junk {
                doc.junk_scores.insert(line_key(headline), junk);
            }
            b.apply(&mut doc);
            assert_eq!(doc.body.to_text().contains(headline), !removed, "{junk:?}");
            if removed {
                let note = junk
                    .map(|j| format!("line model {j:.2}"))
                    .unwrap_or_default();
                assert_eq!(doc.edits[0].note, note);
            }
        }
    }
}
