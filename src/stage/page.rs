//! page: cuts a whole web page's text down to its article. Scraped pages carry menus, share
//! bars, comment threads and "more stories" lists around the article; in plain text they are
//! runs of short lines that end no sentence, while the article is a run of sentences.
//!
//! Each line gets a score: a sentence or a long line counts its words (a short sentence half
//! of them), a short line ending no sentence ("navigation") costs `navigation_cost`, and a
//! section heading that opens other content ("Related stories", "Most popular", "Comments",
//! `section_pattern`) costs `section_cost`. The article is the run of lines with the highest
//! total (a maximum-sum span, as in Finn's Body Text Extraction). Only a document that opens
//! like a page — at least `min_navigation_lines` navigation lines before that span — is cut:
//! an article has no menu before its first paragraph, so clean articles are never touched.
//! What goes before the span is removed under rule `page_head`, what comes after it under
//! `page_tail`. A hard-wrapped paragraph (lines of one width broken mid-sentence) is scored as
//! its joined text, so wrapped articles are prose, not navigation.

use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;

use crate::config::BuildContext;
use crate::document::{Cleaned, Edit};
use crate::error::Result;
use crate::stage::lines::features::Context;
use crate::stage::lines::model::Model;
use crate::text::{is_list_item, word_count};

pub const NAME: &str = "page";

/// `[page]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// A line ending a sentence with at least this many words counts them all; a shorter one
    /// half. A line ending no sentence with fewer words is navigation.
    pub min_prose_words: usize,
    /// A line ending no sentence with at least this many words counts as prose anyway.
    pub long_line_words: usize,
    /// What a navigation line costs (a line between the two sizes costs half).
    pub navigation_cost: f64,
    /// What a section heading costs.
    pub section_cost: f64,
    /// A section heading: a line of at most `section_max_words` words, ending no sentence
    /// (but maybe ":" or "?"), that this regex matches.
    pub section_pattern: String,
    pub section_max_words: usize,
    /// A document is a page, and is cut, only with at least this many navigation lines
    /// before the article.
    pub min_navigation_lines: usize,
    /// With the lines stage on, a line outside the article's span stays when the line model
    /// gives it a junk score below this (0 turns the check off): a list or a table of the
    /// article that the span missed.
    pub keep_below: f64,
}

/// Headings that open something other than the article, in English. A single word ("More",
/// "Latest", "Related stories") must be the whole line: "More homes evacuated" is a
/// sub-heading of the article.
const SECTION_PATTERN: &str = r"(?i)^((related|more|latest|popular|trending|sponsored|recommended|tags?|comments?)( (stories|articles|posts|news|headlines|content|videos?|galleries|links|coverage|topics|reading|sections|issue|edition|highlights|for you|this week))?\W*$|(you (may|might|will) (also )?(like|enjoy|be interested)|most (popular|read|viewed|shared|watched)|top stories|read (more|next|also)|what to read next|(\d+|top rated|view) comments?|leave a (comment|reply)|(join|start) the (conversation|discussion)|around the web|editor'?s picks?|further reading|also read|see also|about the author|the latest|don'?t miss|we recommend|up next|next (story|article|up)|previous (story|article)|share (this|on)|follow us|sign up|subscribe|newsletter|more like this|(more|latest) (in|on|from) |(related|tags?)\b[^:]{0,30}:|more\b.{0,30}\bstories|popular on )\b)";

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            min_prose_words: 10,
            long_line_words: 30,
            navigation_cost: 4.0,
            section_cost: 50.0,
            section_pattern: SECTION_PATTERN.into(),
            section_max_words: 6,
            min_navigation_lines: 8,
            keep_below: 0.0,
        }
    }
}

pub struct Page {
    config: Config,
    section: Regex,
    /// The line model, for `keep_below`, when the lines stage is on.
    model: Option<Arc<Model>>,
}

/// Fewest words on each line but the last of a hard-wrapped paragraph of prose; those lines
/// are also at least 60% as long as its longest, which is at most `MAX_WRAP_WIDTH`
/// characters (a teaser under a short headline is not wrapped text).
const WRAPPED_LINE_WORDS: usize = 6;
const MAX_WRAP_WIDTH: usize = 120;

/// How a line scores.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Line {
    Prose(f64),
    Navigation(f64),
}

impl Line {
    fn score(self) -> f64 {
        match self {
            Line::Prose(s) | Line::Navigation(s) => s,
        }
    }
}

/// True when a line ends a sentence or a clause that introduces what follows (":").
fn ends_clause(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»', ' ']);
    trimmed.ends_with(['.', '!', '?', '…', '。', ':', '！', '？'])
}

/// True for an item of a list: a bullet or dash, a number with ")" or ".", or a bare link.
fn is_list_line(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    is_list_item(line)
        || (1..=3).contains(&digits) && line[digits..].starts_with([')', '.'])
        || line.starts_with("http://")
        || line.starts_with("https://")
}

/// The span `[start, end)` of `scores` with the highest sum, and that sum (Kadane's
/// algorithm); the first such span on ties.
fn best_span(scores: &[f64]) -> (usize, usize, f64) {
    let (mut best, mut span) = (f64::NEG_INFINITY, (0, 0));
    let (mut sum, mut start) = (0.0, 0);
    for (i, &s) in scores.iter().enumerate() {
        if sum <= 0.0 {
            sum = s;
            start = i;
        } else {
            sum += s;
        }
        if sum > best {
            best = sum;
            span = (start, i + 1);
        }
    }
    (span.0, span.1, best)
}

impl Page {
    pub fn build(config: &Config, ctx: &BuildContext, model: Option<Arc<Model>>) -> Result<Page> {
        if !(0.0..=1.0).contains(&config.keep_below) {
            return Err(ctx.value_error("page.keep_below", "must be between 0 and 1"));
        }
        let section = Regex::new(&config.section_pattern)
            .map_err(|e| ctx.value_error("page.section_pattern", e))?;
        for (key, value) in [
            ("page.navigation_cost", config.navigation_cost),
            ("page.section_cost", config.section_cost),
        ] {
            if !(value >= 0.0 && value.is_finite()) {
                return Err(ctx.value_error(key, "must be a number of 0 or more"));
            }
        }
        if config.long_line_words < config.min_prose_words {
            return Err(ctx.value_error(
                "page.long_line_words",
                "must be at least page.min_prose_words",
            ));
        }
        Ok(Page {
            config: config.clone(),
            section,
            model: model.filter(|_| config.keep_below > 0.0),
        })
    }

    pub fn describe(&self) -> String {
        let c = &self.config;
        format!(
            "cut to the best-scoring span when >= {} navigation lines precede it; navigation costs {}, section headings {}",
            c.min_navigation_lines, c.navigation_cost, c.section_cost
        )
    }

    fn classify(&self, line: &str) -> Line {
        let c = &self.config;
        let words = word_count(line);
        let ends = ends_clause(line);
        // A heading may introduce what follows ("You may also like:", "Want more stories?").
        let heading_end = !ends || line.trim_end().ends_with([':', '?']);
        if heading_end && words <= c.section_max_words && self.section.is_match(line) {
            return Line::Navigation(-c.section_cost);
        }
        match (ends, words) {
            (true, w) if w >= c.min_prose_words => Line::Prose(w as f64),
            (true, w) => Line::Prose(w as f64 / 2.0),
            (false, w) if w >= c.long_line_words => Line::Prose(w as f64),
            (false, w) if w < c.min_prose_words => Line::Navigation(-c.navigation_cost),
            (false, _) => Line::Navigation(-c.navigation_cost / 2.0),
        }
    }

    /// The units lines are scored in: each line on its own, except that a hard-wrapped
    /// paragraph (lines of about one width, with more words than a menu's items, a third of
    /// them going on in lower case) is one unit, its lines joined. Returns (lines in the
    /// unit, its score).
    fn units(&self, paragraphs: &[Vec<String>]) -> Vec<(usize, Line)> {
        let mut units = Vec::new();
        for p in paragraphs {
            let width = p.iter().map(|l| l.chars().count()).max().unwrap_or(0);
            // Lines broken mid-sentence often go on in lower case; a list of headlines never.
            let continued = p
                .iter()
                .skip(1)
                .filter(|l| l.chars().next().is_some_and(char::is_lowercase))
                .count();
            let wrapped = p.len() > 1
                && width <= MAX_WRAP_WIDTH
                && continued * 3 >= p.len() - 1
                && p[..p.len() - 1].iter().all(|l| {
                    word_count(l) >= WRAPPED_LINE_WORDS && l.chars().count() * 10 >= width * 6
                });
            match wrapped {
                true => units.push((p.len(), self.classify(&p.join(" ")))),
                false => units.extend(p.iter().map(|l| (1, self.classify(l)))),
            }
        }
        units
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        // Too few lines to hold a menu and an article: most documents stop here.
        if doc.body.line_count() <= self.config.min_navigation_lines {
            return;
        }
        let units = self.units(&doc.body.paragraphs);
        let scores: Vec<f64> = units.iter().map(|(_, l)| l.score()).collect();
        let (first, last, sum) = best_span(&scores);
        // Without a paragraph of prose there is no article to cut to (a list, a table).
        if sum < self.config.min_prose_words as f64 {
            return;
        }
        let navigation_before = units[..first]
            .iter()
            .filter(|(_, l)| matches!(l, Line::Navigation(_)))
            .count();
        if navigation_before < self.config.min_navigation_lines {
            return;
        }
        // The span in lines.
        let start: usize = units[..first].iter().map(|(n, _)| n).sum();
        let mut end: usize = start + units[first..last].iter().map(|(n, _)| n).sum::<usize>();
        // A list the article introduces ("... on offer:") belongs to it.
        let all: Vec<&String> = doc.body.paragraphs.iter().flatten().collect();
        if end > 0 && all[end - 1].trim_end().ends_with(':') {
            end += all[end..].iter().take_while(|l| is_list_line(l)).count();
        }
        // Lines the line model takes for article text stay, wherever the span ends.
        let keep: Vec<bool> = match &self.model {
            None => vec![false; all.len()],
            Some(model) => {
                let lines: Vec<&str> = all.iter().map(|l| l.as_str()).collect();
                let context = Context::new(&lines);
                let scores = model.scores(&context);
                scores
                    .iter()
                    .map(|s| s.junk < self.config.keep_below)
                    .collect()
            }
        };
        let mut edits = Vec::new();
        let mut index = 0;
        doc.body.retain_lines(|_, line| {
            let rule = match index {
                i if keep[i] => None,
                i if i < start => Some("page_head"),
                i if i >= end => Some("page_tail"),
                _ => None,
            };
            index += 1;
            if let Some(rule) = rule {
                edits.push(Edit::remove(NAME, rule, line));
            }
            rule.is_none()
        });
        doc.edits.extend(edits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::test_context;
    use crate::document::{Body, Document};

    fn page() -> Page {
        Page::build(&Config::default(), &test_context(), None).unwrap()
    }

    fn run(text: &str) -> Cleaned {
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(text);
        page().apply(&mut doc);
        doc
    }

    const ARTICLE: &str = "The city council approved the new flood barrier on Monday after a long debate.\n\n\
        Engineers said the barrier along the river would protect four thousand homes from floods.\n\n\
        What happens next\n\n\
        Residents of the river district had asked the council for flood defences since 2019.\n\n\
        The barrier will be finished before next winter, the council said in a statement.";

    const MENU: &str = "Home\nNews\nSport\nWeather\nBusiness\nCulture\nTravel\nSign in\n\nSearch";

    #[test]
    fn lines_the_line_model_takes_for_article_text_stay() {
        // A model that calls every line junk but one word's.
        let model = Model::parse(&format!(
            "newsclean-lines-model\t1\n{}\t5.0\n{}\t-20.0\n",
            crate::stage::lines::features::slot("bias"),
            crate::stage::lines::features::slot("w:striker")
        ))
        .unwrap();
        let config = Config {
            keep_below: 0.5,
            ..Config::default()
        };
        let page = Page::build(&config, &test_context(), Some(Arc::new(model))).unwrap();
        let teaser = "Striker signs record deal with northern club as fans gather outside the ground to cheer";
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(&format!("{MENU}\n\n{ARTICLE}\n\nMore stories\n\n{teaser}"));
        page.apply(&mut doc);
        let text = doc.body.to_text();
        assert!(text.contains(teaser), "kept by the model: {text}");
        assert!(
            !text.contains("More stories") && !text.contains("Weather"),
            "{text}"
        );
    }

    #[test]
    fn cuts_menu_and_more_stories_around_the_article() {
        let text = format!(
            "{MENU}\n\n{ARTICLE}\n\nMore stories\n\n\
             Striker signs record deal with northern club as fans gather outside the ground to cheer\n\n\
             Share\nFacebook\nTwitter"
        );
        let doc = run(&text);
        assert_eq!(doc.body.to_text(), ARTICLE);
        assert_eq!(
            doc.edits.iter().filter(|e| e.rule == "page_head").count(),
            9
        );
        assert_eq!(
            doc.edits.iter().filter(|e| e.rule == "page_tail").count(),
            5
        );
    }

    #[test]
    fn hard_wrapped_articles_are_prose() {
        // The same article wrapped at 40 columns: no line ends a sentence or has ten words.
        let mut wrapped = String::new();
        for paragraph in ARTICLE.split("\n\n") {
            let mut line = String::new();
            for word in paragraph.split(' ') {
                if line.len() + word.len() > 40 {
                    wrapped.push_str(&line);
                    wrapped.push('\n');
                    line.clear();
                }
                line.push_str(word);
                line.push(' ');
            }
            wrapped.push_str(line.trim_end());
            wrapped.push_str("\n\n");
        }
        let text = format!(
            "{MENU}\n\n{}\n\nShare\nFacebook\nTwitter",
            wrapped.trim_end()
        );
        assert_eq!(run(&text).body.to_text(), wrapped.trim_end());
        let alone = wrapped.trim_end();
        assert_eq!(run(alone).body.to_text(), alone);
    }

    #[test]
    fn a_heading_may_end_with_a_colon_or_a_question_mark() {
        let p = page();
        for heading in ["You may also like:", "More stories?", "Related stories"] {
            assert_eq!(p.classify(heading), Line::Navigation(-50.0), "{heading}");
        }
        assert!(matches!(
            p.classify("More than a thousand homes were flooded on Monday."),
            Line::Prose(_)
        ));
        // A sub-heading that starts with a heading's word is not a heading.
        for subheading in ["More homes evacuated", "Latest figures"] {
            assert_ne!(
                p.classify(subheading),
                Line::Navigation(-50.0),
                "{subheading}"
            );
        }
    }

    #[test]
    fn leaves_articles_without_a_menu_alone() {
        // A short heading, a results table and a closing list: no menu before the article.
        let text = format!("Council backs flood barrier\n\n{ARTICLE}\n\nResults\n\n1 Alice Smith 40\n\n2 Bob Jones 35\n\n3 Carol White 20\n\nMore stories");
        let doc = run(&text);
        assert_eq!(doc.body.to_text(), text);
        assert!(doc.edits.is_empty());
    }

    #[test]
    fn keeps_the_list_an_article_introduces() {
        let list = "1) A tent for two\nhttps://shop.example/tent\n2) A stove\n\n3) A lamp";
        let text = format!(
            "{MENU}\n\n{ARTICLE} These are the best offers:\n\n{list}\n\nShare\nFacebook\nTwitter"
        );
        let doc = run(&text);
        assert_eq!(
            doc.body.to_text(),
            format!("{ARTICLE} These are the best offers:\n\n{list}")
        );
    }

    #[test]
    fn keeps_a_page_without_prose() {
        let text = format!("{MENU}\n\nContact\nAbout us\nJobs\nPrivacy");
        assert_eq!(run(&text).body.to_text(), text);
    }

    #[test]
    fn best_span_takes_the_highest_sum() {
        assert_eq!(
            best_span(&[-4.0, -4.0, 10.0, -2.0, 12.0, -50.0, 30.0]),
            (6, 7, 30.0)
        );
        assert_eq!(
            best_span(&[-4.0, 10.0, -2.0, 12.0, -50.0, 3.0]),
            (1, 4, 20.0)
        );
        assert_eq!(best_span(&[]).1, 0);
    }

    #[test]
    fn bad_section_pattern_names_the_key() {
        let config = Config {
            section_pattern: "(".into(),
            ..Config::default()
        };
        let err = Page::build(&config, &test_context(), None).err().unwrap();
        assert!(err.to_string().contains("page.section_pattern"), "{err}");
    }
}
