//! What the line model sees of one line: its own words (hashed unigrams and bigrams, first and
//! last words), its shape (length, ending, case, digits, links, credits, brackets), its
//! neighbours' shape, where it stands against the document's core of prose, and how much of it
//! the rest of the document shares. Every feature is binary and has a readable name
//! (`w:getty`, `end=)`, `core=after`), hashed into one of [`DIM`] slots, so the model is one
//! weight per slot and an explanation is the names of the heaviest features.

use std::collections::HashMap;
use std::fmt::Write;

use xxhash_rust::xxh3::xxh3_64;

use crate::text::is_stopword;

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
    /// Occurrences of each content word (hashed) in the document.
    words: HashMap<u64, u32>,
    /// Occurrences of each line's exact text (hashed) in the document.
    copies: HashMap<u64, u32>,
}

impl<'a> Context<'a> {
    pub fn new(lines: &'a [&'a str]) -> Context<'a> {
        let shapes: Vec<Shape> = lines.iter().map(|l| Shape::of(l)).collect();
        let first = shapes.iter().position(|s| s.prose);
        let last = shapes.iter().rposition(|s| s.prose);
        let mut words = HashMap::new();
        let mut copies = HashMap::new();
        for line in lines {
            for_content_words(line, |h| *words.entry(h).or_insert(0) += 1);
            *copies.entry(xxh3_64(line.as_bytes())).or_insert(0) += 1;
        }
        Context {
            lines,
            shapes,
            core: first.zip(last),
            words,
            copies,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Calls `emit` with the name of every feature of line `i`.
    pub fn features(&self, i: usize, emit: &mut impl FnMut(&str)) {
        let mut buf = String::with_capacity(64);
        let mut put = |buf: &mut String, f: std::fmt::Arguments| {
            buf.clear();
            buf.write_fmt(f).expect("writing to a String");
            emit(buf);
        };
        let line = self.lines[i];
        let shape = &self.shapes[i];
        let n = count_bin(shape.words);
        put(&mut buf, format_args!("bias"));
        put(&mut buf, format_args!("n={n}"));
        put(&mut buf, format_args!("end={}", shape.end));
        put(&mut buf, format_args!("n={n}&end={}", shape.end));
        put(
            &mut buf,
            format_args!("chars={}", count_bin(line.chars().count() / 8)),
        );
        self.word_features(line, &mut buf, &mut put);
        for mark in marks(line) {
            put(&mut buf, format_args!("has={mark}"));
        }
        self.case_features(line, &mut buf, &mut put);
        // Neighbours: their length and ending, two lines each way.
        for (name, j) in [("p", i.checked_sub(1)), ("p2", i.checked_sub(2))]
            .into_iter()
            .chain([("x", Some(i + 1)), ("x2", Some(i + 2))])
        {
            match j.and_then(|j| self.shapes.get(j)) {
                Some(s) => {
                    put(&mut buf, format_args!("{name}.n={}", count_bin(s.words)));
                    put(&mut buf, format_args!("{name}.end={}", s.end));
                    put(&mut buf, format_args!("{name}.prose={}", s.prose));
                }
                None => put(&mut buf, format_args!("{name}=none")),
            }
        }
        let core = match self.core {
            None => "none",
            Some((first, _)) if i < first => "before",
            Some((_, last)) if i > last => "after",
            Some(_) => "in",
        };
        put(&mut buf, format_args!("core={core}"));
        put(&mut buf, format_args!("core={core}&n={n}"));
        put(&mut buf, format_args!("core={core}&end={}", shape.end));
        let position = (i * 10) / self.lines.len().max(1);
        put(&mut buf, format_args!("pos={position}"));
        if i == 0 {
            put(&mut buf, format_args!("first"));
        }
        if i + 1 == self.lines.len() {
            put(&mut buf, format_args!("last"));
        }
        put(
            &mut buf,
            format_args!("doc.n={}", count_bin(self.lines.len())),
        );
        put(&mut buf, format_args!("cohesion={}", self.cohesion(line)));
        if self.copies[&xxh3_64(line.as_bytes())] > 1 {
            put(&mut buf, format_args!("repeated"));
        }
    }

    /// Words with digits masked: unigrams, bigrams, the first and last words.
    fn word_features(
        &self,
        line: &str,
        buf: &mut String,
        put: &mut impl FnMut(&mut String, std::fmt::Arguments),
    ) {
        let mut previous = String::new();
        let mut word = String::new();
        let mut last = String::new();
        let mut stop = 0usize;
        let mut total = 0usize;
        for token in line.split_whitespace() {
            word.clear();
            for c in token.chars().filter(|c| c.is_alphanumeric()) {
                match c.is_ascii_digit() {
                    true => word.push('0'),
                    false => word.extend(c.to_lowercase()),
                }
            }
            if word.is_empty() {
                continue;
            }
            let k = total;
            total += 1;
            if is_stopword(&word) && word.chars().count() >= 2 {
                stop += 1;
            }
            if k < MAX_WORD_FEATURES {
                put(buf, format_args!("w:{word}"));
                match k {
                    0 => put(buf, format_args!("first:{word}")),
                    _ => put(buf, format_args!("b:{previous}_{word}")),
                }
                if k == 1 {
                    put(buf, format_args!("first2:{previous}_{word}"));
                }
            }
            std::mem::swap(&mut previous, &mut word);
            last.clone_from(&previous);
        }
        if !last.is_empty() {
            put(buf, format_args!("last:{last}"));
        }
        let share = match total {
            0 => "none".to_string(),
            _ => share_bin(stop, total).to_string(),
        };
        put(buf, format_args!("stop={share}"));
    }

    /// Capitalization and digits: share of capitalized words, ALL CAPS, what the line opens
    /// with.
    fn case_features(
        &self,
        line: &str,
        buf: &mut String,
        put: &mut impl FnMut(&mut String, std::fmt::Arguments),
    ) {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let capitalized = tokens
            .iter()
            .filter(|t| {
                t.chars()
                    .find(|c| c.is_alphanumeric())
                    .is_some_and(char::is_uppercase)
            })
            .count();
        put(
            buf,
            format_args!("caps={}", share_bin(capitalized, tokens.len())),
        );
        let letters = line.chars().filter(|c| c.is_alphabetic()).count();
        let upper = line.chars().filter(|c| c.is_uppercase()).count();
        if letters >= 4 && upper * 10 >= letters * 9 {
            put(buf, format_args!("allcaps"));
        }
        let digits = line.chars().filter(char::is_ascii_digit).count();
        let chars = line.chars().count();
        put(buf, format_args!("digits={}", share_bin(digits * 4, chars)));
        let punct = line
            .chars()
            .filter(|c| !c.is_alphanumeric() && !c.is_whitespace())
            .count();
        put(buf, format_args!("punct={}", share_bin(punct * 4, chars)));
        let opens = match line.chars().next() {
            Some(c) if c.is_uppercase() => "upper",
            Some(c) if c.is_lowercase() => "lower",
            Some(c) if c.is_numeric() => "digit",
            Some(c) if "\"'“‘«".contains(c) => "quote",
            Some(c) if "-•·*–—>»".contains(c) => "bullet",
            Some(c) if "([{".contains(c) => "bracket",
            _ => "other",
        };
        put(buf, format_args!("opens={opens}"));
    }

    /// Share of the line's content words found elsewhere in the document, binned; `few` when
    /// the line has fewer than two.
    fn cohesion(&self, line: &str) -> &'static str {
        let mut own: HashMap<u64, u32> = HashMap::new();
        for_content_words(line, |h| *own.entry(h).or_insert(0) += 1);
        let total: u32 = own.values().sum();
        if total < 2 {
            return "few";
        }
        let shared: u32 = own
            .iter()
            .filter(|(h, n)| self.words.get(h).copied().unwrap_or(0) > **n)
            .map(|(_, n)| n)
            .sum();
        match shared * 4 / total {
            0 => "0",
            1 => "1q",
            2 => "2q",
            3 => "3q",
            _ => "all",
        }
    }
}

/// Calls `f` with the hash of every content word of `line` (lowercase, four letters or more,
/// not a function word, not a number).
fn for_content_words(line: &str, mut f: impl FnMut(u64)) {
    for word in line.split(|c: char| !c.is_alphanumeric()) {
        if word.len() < 4 || word.chars().all(|c| c.is_numeric()) {
            continue;
        }
        let lower = word.to_lowercase();
        if !is_stopword(&lower) {
            f(xxh3_64(lower.as_bytes()));
        }
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

/// Marks a line carries: links, addresses, handles, prices, credits, separators.
fn marks(line: &str) -> impl Iterator<Item = &'static str> {
    let lower = line.to_ascii_lowercase();
    let lower_has = |needle: &str| lower.contains(needle);
    let checks: [(&'static str, bool); 12] = [
        (
            "url",
            line.contains("http://") || line.contains("https://") || lower_has("www."),
        ),
        ("domain", has_domain(line)),
        (
            "email",
            line.split_whitespace()
                .any(|t| t.contains('@') && t.contains('.') && !t.starts_with('@')),
        ),
        (
            "handle",
            line.split_whitespace()
                .any(|t| t.starts_with('@') && t.len() > 1),
        ),
        (
            "hashtag",
            line.split_whitespace()
                .any(|t| t.starts_with('#') && t.len() > 1),
        ),
        ("copyright", line.contains('©') || lower_has("(c)")),
        ("price", line.contains(['$', '€', '£', '¥'])),
        ("pipe", line.contains('|')),
        (
            "slash",
            line.contains(" / ") || line.contains('/') && !lower_has("http"),
        ),
        (
            "bracket_end",
            line.trim_end().ends_with(')') || line.trim_end().ends_with(']'),
        ),
        ("ellipsis", line.contains('…') || line.contains("...")),
        ("time", has_time(line)),
    ];
    checks
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| name)
}

/// A token like `example.com` or `bbc.co.uk`.
fn has_domain(line: &str) -> bool {
    line.split_whitespace().any(|token| {
        let t = token.trim_matches(|c: char| !c.is_alphanumeric());
        let mut parts = t.rsplit('.');
        let tld = parts.next().unwrap_or("");
        let name = parts.next().unwrap_or("");
        (2..=6).contains(&tld.len())
            && tld.chars().all(|c| c.is_ascii_lowercase())
            && !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
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
    fn cohesion_counts_words_found_elsewhere() {
        let lines = [
            "Flood barrier approved by council",
            "The council approved the flood barrier after residents asked for protection.",
        ];
        assert!(names(&lines, 0).contains(&"cohesion=all".to_string()));
        let lines = ["Striker signs record deal", lines[1]];
        assert!(names(&lines, 0).contains(&"cohesion=0".to_string()));
    }
}
