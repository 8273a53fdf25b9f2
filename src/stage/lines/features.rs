//! What the line model sees of one line: its own words (hashed unigrams and bigrams, first and
//! last words), its shape (length, ending, case, digits, links, credits, brackets), its
//! neighbours' shape, where it stands against the document's core of prose, and how much of it
//! the rest of the document shares. Every feature is binary and has a readable name
//! (`w:getty`, `end=)`, `core=after`), hashed into one of [`DIM`] slots, so the model is one
//! weight per slot and an explanation is the names of the heaviest features.

use xxhash_rust::xxh3::xxh3_64;

use crate::document::line_key;
use crate::stage::dedup::sketch::shingles;
use crate::text::{is_stopword, with_lowercase};
use crate::text::{word_hashes, FastMap};

/// Slots features are hashed into: the length of the model's weight vector.
pub const DIM: u32 = 1 << 18;

/// Most words of a line turned into word features; the shape features see all of them.
const MAX_WORD_FEATURES: usize = 48;

/// A prose line: this many words or more, ending a sentence. The document's core runs from
/// its first prose line to its last.
const PROSE_WORDS: usize = 12;

/// The slot of a feature name.
pub fn slot(name: &str) -> u32 {
    (xxh3_64(name.as_bytes()) % u64::from(DIM)) as u32
}

/// Facts about one line that its own features and its neighbours' use.
struct Shape {
    words: usize,
    end: &'static str,
    prose: bool,
}

impl Shape {
    fn of(line: &str) -> Shape {
        let words = line.split_whitespace().count();
        let end = ending(line);
        Shape {
            words,
            end,
            prose: words >= PROSE_WORDS && matches!(end, "." | "!" | "?" | "quote"),
        }
    }
}

/// A document's lines and what features need of the whole: computed once per document.
pub struct Context<'a> {
    lines: &'a [&'a str],
    shapes: Vec<Shape>,
    /// First and last prose line, if any.
    core: Option<(usize, usize)>,
    /// Every line's content words (hashed), each line's run sorted; `spans[i]` is line i's.
    content: Vec<u64>,
    spans: Vec<std::ops::Range<usize>>,
    /// Occurrences of each content word in the document.
    words: FastMap<u64, u32>,
    /// Each line's [`line_key`], and how often each key occurs in the document.
    keys: Vec<u64>,
    copies: FastMap<u64, u32>,
    /// How much of each line a longer line of the document repeats (see [`copied`]).
    copied: Vec<&'static str>,
}

impl<'a> Context<'a> {
    pub fn new(lines: &'a [&'a str]) -> Context<'a> {
        let shapes: Vec<Shape> = lines.iter().map(|l| Shape::of(l)).collect();
        let first = shapes.iter().position(|s| s.prose);
        let last = shapes.iter().rposition(|s| s.prose);
        let mut content = Vec::new();
        let mut spans = Vec::with_capacity(lines.len());
        let mut words = FastMap::default();
        let mut copies = FastMap::default();
        let keys: Vec<u64> = lines.iter().map(|l| line_key(l)).collect();
        for (line, key) in lines.iter().zip(&keys) {
            let start = content.len();
            for_content_words(line, |h| content.push(h));
            content[start..].sort_unstable();
            for h in &content[start..] {
                *words.entry(*h).or_insert(0) += 1;
            }
            spans.push(start..content.len());
            *copies.entry(*key).or_insert(0) += 1;
        }
        let copied = copied(lines, &shapes);
        Context {
            lines,
            shapes,
            core: first.zip(last),
            content,
            spans,
            words,
            keys,
            copies,
            copied,
        }
    }

    /// Line `i`'s text.
    pub fn line(&self, i: usize) -> &'a str {
        self.lines[i]
    }

    /// Line `i`'s [`line_key`].
    pub fn key(&self, i: usize) -> u64 {
        self.keys[i]
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Calls `emit` with the name of every feature of line `i`.
    pub fn features(&self, i: usize, emit: &mut impl FnMut(&str)) {
        let mut out = Names {
            buf: String::with_capacity(64),
            emit,
        };
        let line = self.lines[i];
        let shape = &self.shapes[i];
        let n = count_bin(shape.words);
        out.put(&["bias"]);
        out.put(&["n=", n]);
        out.put(&["end=", shape.end]);
        out.put(&["n=", n, "&end=", shape.end]);
        let allcaps = self.line_features(line, &mut out);
        // Neighbours: their length and ending, two lines each way.
        for (name, j) in [("p", i.checked_sub(1)), ("p2", i.checked_sub(2))]
            .into_iter()
            .chain([("x", Some(i + 1)), ("x2", Some(i + 2))])
        {
            match j.and_then(|j| self.shapes.get(j)) {
                Some(s) => {
                    out.put(&[name, ".n=", count_bin(s.words)]);
                    out.put(&[name, ".end=", s.end]);
                    out.put(&[name, ".prose=", if s.prose { "true" } else { "false" }]);
                }
                None => out.put(&[name, "=none"]),
            }
        }
        let core = match self.core {
            None => "none",
            Some((first, _)) if i < first => "before",
            Some((_, last)) if i > last => "after",
            Some(_) => "in",
        };
        out.put(&["core=", core]);
        out.put(&["core=", core, "&n=", n]);
        out.put(&["core=", core, "&end=", shape.end]);
        // A line in capitals is a section title when short, a link to another story when a
        // whole headline long inside the article.
        if allcaps {
            out.put(&["allcaps&n=", n]);
            out.put(&["allcaps&core=", core]);
            out.put(&["allcaps&end=", shape.end]);
        }
        out.put(&["pos=", DIGITS[(i * 10) / self.lines.len().max(1)]]);
        if i == 0 {
            out.put(&["first"]);
        }
        if i + 1 == self.lines.len() {
            out.put(&["last"]);
        }
        out.put(&["doc.n=", count_bin(self.lines.len())]);
        out.put(&["cohesion=", self.cohesion(i)]);
        if self.copies[&self.keys[i]] > 1 {
            out.put(&["repeated"]);
        }
        out.put(&["copied=", self.copied[i]]);
        out.put(&["copied=", self.copied[i], "&n=", n]);
    }

    /// The line's own features, in one pass over its tokens and one over its characters:
    /// words with digits masked (unigrams, bigrams, the first and last words), the share of
    /// function words and of capitalized words, marks (links, addresses, handles, prices,
    /// credits, separators), ALL CAPS, digits, punctuation and what the line opens with.
    /// Returns whether the line is in capitals.
    fn line_features(&self, line: &str, out: &mut Names<impl FnMut(&str)>) -> bool {
        let (mut chars, mut letters, mut upper, mut digits, mut punct) = (0, 0, 0, 0, 0);
        for c in line.chars() {
            chars += 1;
            if c.is_alphabetic() {
                letters += 1;
                upper += usize::from(c.is_uppercase());
            } else if c.is_ascii_digit() {
                digits += 1;
            }
            if !c.is_alphanumeric() && !c.is_whitespace() {
                punct += 1;
            }
        }
        out.put(&["chars=", count_bin(chars / 8)]);
        let mut previous = String::new();
        let mut word = String::new();
        let (mut stop, mut total, mut tokens, mut capitalized) = (0, 0, 0, 0);
        let mut token_marks = [false; 5];
        for token in line.split_whitespace() {
            tokens += 1;
            let first_alnum = token.chars().find(|c| c.is_alphanumeric());
            capitalized += usize::from(first_alnum.is_some_and(char::is_uppercase));
            // Every mark needs one of these bytes.
            if token
                .bytes()
                .any(|b| matches!(b, b'.' | b'@' | b'#' | b':'))
            {
                for (k, mark) in TOKEN_MARKS.iter().enumerate() {
                    token_marks[k] |= (mark.1)(token);
                }
            }
            mask_word(token, &mut word);
            if word.is_empty() {
                continue;
            }
            let k = total;
            total += 1;
            if is_stopword(&word) && word.chars().count() >= 2 {
                stop += 1;
            }
            if k < MAX_WORD_FEATURES {
                out.put(&["w:", &word]);
                match k {
                    0 => out.put(&["first:", &word]),
                    _ => out.put(&["b:", &previous, "_", &word]),
                }
                if k == 1 {
                    out.put(&["first2:", &previous, "_", &word]);
                }
            }
            std::mem::swap(&mut previous, &mut word);
        }
        if total > 0 {
            out.put(&["last:", &previous]);
            out.put(&["stop=", DIGITS[share_bin(stop, total)]]);
        } else {
            out.put(&["stop=none"]);
        }
        for (k, mark) in TOKEN_MARKS.iter().enumerate() {
            if token_marks[k] {
                out.put(&["has=", mark.0]);
            }
        }
        for mark in line_marks(line) {
            out.put(&["has=", mark]);
        }
        out.put(&["caps=", DIGITS[share_bin(capitalized, tokens)]]);
        let allcaps = letters >= 4 && upper * 10 >= letters * 9;
        if allcaps {
            out.put(&["allcaps"]);
        }
        out.put(&["digits=", DIGITS[share_bin(digits * 4, chars)]]);
        out.put(&["punct=", DIGITS[share_bin(punct * 4, chars)]]);
        let opens = match line.chars().next() {
            Some(c) if c.is_uppercase() => "upper",
            Some(c) if c.is_lowercase() => "lower",
            Some(c) if c.is_numeric() => "digit",
            Some(c) if "\"'“‘«".contains(c) => "quote",
            Some(c) if "-•·*–—>»".contains(c) => "bullet",
            Some(c) if "([{".contains(c) => "bracket",
            _ => "other",
        };
        out.put(&["opens=", opens]);
        allcaps
    }

    /// Share of line `i`'s content words found elsewhere in the document, binned; `few` when
    /// the line has fewer than two.
    fn cohesion(&self, i: usize) -> &'static str {
        let own = &self.content[self.spans[i].clone()];
        if own.len() < 2 {
            return "few";
        }
        let mut shared = 0;
        for run in own.chunk_by(|a, b| a == b) {
            if self.words[&run[0]] as usize > run.len() {
                shared += run.len();
            }
        }
        match shared * 4 / own.len() {
            0 => "0",
            1 => "1q",
            2 => "2q",
            3 => "3q",
            _ => "all",
        }
    }
}

/// For every line, the share of its word trigrams that a longer line of the document also
/// holds, binned: `all` (four fifths or more), `most` (half or more), `some`, `none`, or
/// `few` for a line of fewer than two trigrams. A pull quote, a summary bullet or an embedded
/// post repeating a sentence of a paragraph is nearly all in that longer paragraph; an article
/// line shares a phrase or two with the rest at most. One pass: each trigram keeps the length
/// of the longest line holding it.
fn copied(lines: &[&str], shapes: &[Shape]) -> Vec<&'static str> {
    let trigrams: Vec<Vec<u64>> = lines
        .iter()
        .map(|line| shingles(&word_hashes(line), 3))
        .collect();
    let mut longest: FastMap<u64, usize> = FastMap::default();
    for (grams, shape) in trigrams.iter().zip(shapes) {
        for g in grams {
            let n = longest.entry(*g).or_insert(0);
            *n = (*n).max(shape.words);
        }
    }
    trigrams
        .iter()
        .zip(shapes)
        .map(|(grams, shape)| {
            if grams.len() < 2 {
                return "few";
            }
            let (held, all) = (
                grams.iter().filter(|g| longest[g] > shape.words).count(),
                grams.len(),
            );
            if held == 0 {
                "none"
            } else if held * 2 < all {
                "some"
            } else if held * 5 < all * 4 {
                "most"
            } else {
                "all"
            }
        })
        .collect()
}

/// How many [`measures`] a line has.
pub const MEASURES: usize = 6;

/// The plain measures of a line that the model's second look weighs beside the scores: its
/// words, its characters, the share of its words that are capitalized and of its characters
/// that are digits, and whether it ends a sentence (`.`, `!`, `?` or a closing quote) or in a
/// colon (1 or 0).
pub fn measures(line: &str) -> [f64; MEASURES] {
    let (mut words, mut capitalized) = (0usize, 0usize);
    for token in line.split_whitespace() {
        words += 1;
        capitalized += usize::from(token.chars().next().is_some_and(char::is_uppercase));
    }
    let (mut chars, mut digits) = (0usize, 0usize);
    for c in line.chars() {
        chars += 1;
        digits += usize::from(c.is_ascii_digit());
    }
    let share = |part: usize, whole: usize| match whole {
        0 => 0.0,
        _ => part as f64 / whole as f64,
    };
    let end = ending(line);
    [
        words as f64,
        chars as f64,
        share(capitalized, words),
        share(digits, chars),
        f64::from(u8::from(matches!(end, "." | "!" | "?" | "quote"))),
        f64::from(u8::from(end == ":")),
    ]
}

/// The alphanumeric characters of `token`, lowercased, with ASCII digits masked as `0`.
fn mask_word(token: &str, word: &mut String) {
    word.clear();
    if token.is_ascii() {
        for b in token.bytes().filter(u8::is_ascii_alphanumeric) {
            word.push(if b.is_ascii_digit() {
                '0'
            } else {
                char::from(b.to_ascii_lowercase())
            });
        }
        return;
    }
    for c in token.chars().filter(|c| c.is_alphanumeric()) {
        match c.is_ascii_digit() {
            true => word.push('0'),
            false => word.extend(c.to_lowercase()),
        }
    }
}

/// Builds feature names from parts in one buffer and hands each to the caller.
struct Names<'e, F: FnMut(&str)> {
    buf: String,
    emit: &'e mut F,
}

impl<F: FnMut(&str)> Names<'_, F> {
    fn put(&mut self, parts: &[&str]) {
        self.buf.clear();
        parts.iter().for_each(|p| self.buf.push_str(p));
        (self.emit)(&self.buf);
    }
}

const DIGITS: [&str; 11] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

/// Calls `f` with the hash of every content word of `line` (lowercase, four letters or more,
/// not a function word, not a number).
fn for_content_words(line: &str, mut f: impl FnMut(u64)) {
    for word in line.split(|c: char| !c.is_alphanumeric()) {
        if word.len() < 4 || word.chars().all(|c| c.is_numeric()) {
            continue;
        }
        with_lowercase(word, |lower| {
            if !is_stopword(lower) {
                f(xxh3_64(lower.as_bytes()));
            }
        });
    }
}

/// How a line ends: a sentence mark, a quote, a bracket, a separator, or a word.
fn ending(line: &str) -> &'static str {
    match line.trim_end().chars().last() {
        None => "none",
        Some('.') => ".",
        Some('!') => "!",
        Some('?') => "?",
        Some(':') => ":",
        Some(',' | ';') => ",",
        Some(')' | ']') => ")",
        Some('"' | '”' | '’' | '\'' | '»') => "quote",
        Some('…') => "…",
        Some('|' | '/' | '>' | '›' | '-' | '–' | '—') => "sep",
        Some(c) if c.is_numeric() => "digit",
        Some(c) if c.is_alphabetic() => "word",
        Some(_) => "other",
    }
}

/// Marks a token carries, by name.
type TokenMark = (&'static str, fn(&str) -> bool);
const TOKEN_MARKS: [TokenMark; 5] = [
    ("domain", is_domain),
    ("email", |t| {
        t.contains('@') && t.contains('.') && !t.starts_with('@')
    }),
    ("handle", |t| t.starts_with('@') && t.len() > 1),
    ("hashtag", |t| t.starts_with('#') && t.len() > 1),
    ("url", |t| {
        let b = t.as_bytes();
        t.contains("http://") || t.contains("https://") || contains_ignore_case(b, b"www.")
    }),
];

/// Marks of the whole line: credits, prices, separators, brackets, ellipses, clock times.
fn line_marks(line: &str) -> impl Iterator<Item = &'static str> {
    let b = line.as_bytes();
    let end = line.trim_end();
    let checks: [(&'static str, bool); 7] = [
        (
            "copyright",
            line.contains('©') || contains_ignore_case(b, b"(c)"),
        ),
        ("price", line.contains(['$', '€', '£', '¥'])),
        ("pipe", line.contains('|')),
        (
            "slash",
            line.contains(" / ") || line.contains('/') && !contains_ignore_case(b, b"http"),
        ),
        ("bracket_end", end.ends_with(')') || end.ends_with(']')),
        ("ellipsis", line.contains('…') || line.contains("...")),
        ("time", has_time(line)),
    ];
    checks
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| name)
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// A token like `example.com` or `bbc.co.uk`.
fn is_domain(token: &str) -> bool {
    let t = token.trim_matches(|c: char| !c.is_alphanumeric());
    let mut parts = t.rsplit('.');
    let tld = parts.next().unwrap_or("");
    let name = parts.next().unwrap_or("");
    (2..=6).contains(&tld.len())
        && tld.chars().all(|c| c.is_ascii_lowercase())
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A clock time like `10:45`.
fn has_time(line: &str) -> bool {
    let b = line.as_bytes();
    (1..b.len().saturating_sub(2)).any(|i| {
        b[i] == b':'
            && b[i - 1].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
    })
}

fn count_bin(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        4 => "4",
        5..=6 => "5-6",
        7..=9 => "7-9",
        10..=14 => "10-14",
        15..=24 => "15-24",
        25..=39 => "25-39",
        40..=79 => "40-79",
        _ => "80+",
    }
}

/// `part / whole` in fifths: 0 to 5.
fn share_bin(part: usize, whole: usize) -> usize {
    match whole {
        0 => 0,
        _ => (part * 5 / whole).min(5),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(lines: &[&str], i: usize) -> Vec<String> {
        let mut out = Vec::new();
        Context::new(lines).features(i, &mut |name| out.push(name.to_string()));
        out
    }

    #[test]
    fn a_credit_line_shows_its_shape() {
        let lines = [
            "The council approved the budget on Tuesday after a long debate about the river.",
            "Jane Doe / Reuters",
            "Work on the flood barrier starts in spring, the council leader said on Tuesday.",
        ];
        let f = names(&lines, 1);
        for want in [
            "w:reuters",
            "first:jane",
            "last:reuters",
            "has=slash",
            "end=word",
            "core=in",
            "p.prose=true",
        ] {
            assert!(f.iter().any(|n| n == want), "{want} in {f:?}");
        }
    }

    #[test]
    fn digits_are_masked_and_marks_found() {
        let f = names(&["© 2024 Example News. Visit www.example.com at 10:45"], 0);
        for want in [
            "w:0000",
            "has=copyright",
            "has=url",
            "has=domain",
            "has=time",
            "core=none",
        ] {
            assert!(f.iter().any(|n| n == want), "{want} in {f:?}");
        }
    }

    #[test]
    fn a_line_in_capitals_carries_its_length_and_place() {
        let lines = [
            "The council approved the budget on Tuesday after a long debate about the river.",
            "PUTIN WARNS WEST OVER NEW SANCTIONS ON ENERGY",
            "Work on the flood barrier starts in spring, the council leader said on Tuesday.",
        ];
        let f = names(&lines, 1);
        for want in [
            "allcaps",
            "allcaps&n=7-9",
            "allcaps&core=in",
            "allcaps&end=word",
        ] {
            assert!(f.iter().any(|n| n == want), "{want} in {f:?}");
        }
        assert!(!names(&lines, 0).iter().any(|n| n.starts_with("allcaps")));
    }

    #[test]
    fn cohesion_counts_words_found_elsewhere() {
        let lines = [
            "Flood barrier approved by council",
            "The council approved the flood barrier after residents asked for protection.",
        ];
        assert!(names(&lines, 0).contains(&"cohesion=all".to_string()));
        let lines = ["Striker signs record deal", lines[1]];
        assert!(names(&lines, 0).contains(&"cohesion=0".to_string()));
    }

    #[test]
    fn a_line_a_longer_line_repeats_is_copied() {
        let lines = [
            "\u{201c}We will not back down,\u{201d} the mayor said.",
            "The mayor spoke at the rally. \u{201c}We will not back down,\u{201d} the mayor said, \
             before the crowd moved on to the council building on the square.",
            "Work on the flood barrier starts in spring.",
        ];
        assert!(names(&lines, 0).contains(&"copied=all".to_string()));
        // The longer line is no copy of the shorter, nor is an unrelated line.
        assert!(names(&lines, 1).contains(&"copied=none".to_string()));
        assert!(names(&lines, 2).contains(&"copied=none".to_string()));
        assert!(names(&["Short line"], 0).contains(&"copied=few".to_string()));
    }
}
