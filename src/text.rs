//! Small text helpers shared by several stages: word tokens, headline shape, sentence ends.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use xxhash_rust::xxh3::xxh3_64;

/// A hash map for the per-document tables of the cleaning stages (words, bigrams, line
/// copies): aHash costs a fraction of the standard library's SipHash on these short keys. No
/// output depends on a table's order, and one document's tables are bounded by the record
/// size, so the fixed keys risk no more than a slower document.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<ahash::AHasher>>;

/// A hash set to go with [`FastMap`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<ahash::AHasher>>;

/// Lowercased alphanumeric words (`\w+`-like: letters, digits, underscores).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Calls `f` with a word in lower case: from a stack buffer for short ASCII words (most of
/// them), allocating only for long or non-ASCII ones.
pub fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 32];
    if word.len() <= buf.len() && word.is_ascii() {
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        f(std::str::from_utf8(lower).expect("ASCII stays UTF-8"))
    } else {
        f(&word.to_lowercase())
    }
}

/// Hashes (xxh3) of the lowercased words of a text, the words of [`words`].
pub fn word_hashes(text: &str) -> Vec<u64> {
    let mut hashes = Vec::with_capacity(text.len() / 6);
    push_word_hashes(text, &mut hashes);
    hashes
}

/// Bytes that can be part of a word: ASCII letters, digits, underscore, and every byte of a
/// non-ASCII character.
const IN_RUN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
        b += 1;
    }
    table
};

/// Appends the hashes of [`word_hashes`] to `out`. Runs of ASCII letters, digits and
/// underscores (most words) are scanned byte by byte and lowercased on the stack; a run with
/// other characters in it goes through Unicode's rules for what is a letter.
pub fn push_word_hashes(text: &str, out: &mut Vec<u64>) {
    let bytes = text.as_bytes();
    let in_run = |b: u8| IN_RUN[b as usize];
    let mut i = 0;
    loop {
        while i < bytes.len() && !in_run(bytes[i]) {
            i += 1;
        }
        let start = i;
        let mut ascii = true;
        while i < bytes.len() && in_run(bytes[i]) {
            ascii &= bytes[i] < 0x80;
            i += 1;
        }
        if start == i {
            return;
        }
        // Runs start and end at ASCII bytes or the ends, so they are whole characters.
        let run = &text[start..i];
        if ascii {
            out.push(with_lowercase(run, |lower| xxh3_64(lower.as_bytes())));
        } else {
            let words = run.split(|c: char| !c.is_alphanumeric() && c != '_');
            for word in words.filter(|w| !w.is_empty()) {
                out.push(with_lowercase(word, |lower| xxh3_64(lower.as_bytes())));
            }
        }
    }
}

/// Number of words (runs of letters, digits and underscores), without allocating. ASCII
/// characters are told apart without Unicode's tables.
pub fn word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut count, mut in_word, mut i) = (0, false, 0);
    while i < bytes.len() {
        let b = bytes[i];
        let word = if b < 0x80 {
            i += 1;
            b.is_ascii_alphanumeric() || b == b'_'
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            i += c.len_utf8();
            c.is_alphanumeric()
        };
        count += usize::from(word && !in_word);
        in_word = word;
    }
    count
}

/// True when a line ends like a sentence (., !, ?, or one of them before closing quotes or
/// brackets).
pub fn ends_sentence(line: &str) -> bool {
    let trimmed = line.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»', ' ']);
    trimmed.ends_with(['.', '!', '?', '…', '。'])
}

/// True for a list item: a line starting with a bullet or dash.
pub fn is_list_item(line: &str) -> bool {
    line.starts_with(['-', '•', '·', '*', '–', '—'])
}

/// Words that stay lowercase in English Title Case.
const TITLE_SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "is", "nor", "of",
    "on", "or", "over", "per", "the", "to", "up", "via", "vs", "with",
];

/// True for a line in Title Case: at least `min_words` words, and every word that is not a
/// small word (of, the, to, ...) starts with an upper-case letter or a digit.
pub fn is_title_case(line: &str, min_words: usize) -> bool {
    let words: Vec<&str> = line
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < min_words {
        return false;
    }
    let mut capitalized = 0;
    for word in &words {
        let first = word.chars().next().unwrap_or(' ');
        if first.is_uppercase() || first.is_numeric() {
            capitalized += 1;
        } else if !TITLE_SMALL_WORDS.contains(&word.to_lowercase().as_str()) {
            return false;
        }
    }
    capitalized * 2 > words.len()
}

/// True for a line shaped like a headline: short, and not ending like a sentence or a clause.
pub fn is_headline_shaped(line: &str, max_words: usize) -> bool {
    let n = word_count(line);
    let trimmed = line.trim_end();
    n >= 2
        && n <= max_words
        && !trimmed.ends_with(['.', ',', ';', ':', '…'])
        && !ends_sentence(line)
        || (n >= 2 && n <= max_words && trimmed.ends_with('?') && is_title_case(line, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_hashes_hash_the_lowercased_words() {
        for text in [
            "Don’t stop: Kyiv's 2022 budget_plan — Straße,ÉCOLE naïve",
            "",
            "  ...  ",
            "a",
            "ĀĒ–x_Y",
            "über-long-ASCII-words-like-THISONEHEREWHICHISLONGERTHANTHIRTYTWOBYTES",
        ] {
            let want: Vec<u64> = words(text).map(|w| xxh3_64(w.as_bytes())).collect();
            assert_eq!(word_hashes(text), want, "{text}");
        }
    }

    #[test]
    fn title_case() {
        for (line, want) in [
            (
                "Ukraine Open to Neutrality But Won’t Yield Territory, Aide Says",
                true,
            ),
            (
                "Understanding the Roots of Russia’s War in Ukraine: QuickTake",
                true,
            ),
            (
                "How a Country Joins NATO (and Why Putin Cares): QuickTake",
                true,
            ),
            (
                "Former Top Prosecutor Yoon Suk-Yeol Wins South Korean Presidency",
                true,
            ),
            (
                "Collective security framework to replace NATO accession",
                false,
            ),
            (
                "US Department of Defense \"Relocation, not real withdrawal\"",
                false,
            ),
            (
                "Significantly reduce military operations around Kyiv",
                false,
            ),
            (
                "Great progress, what did the 5-hour negotiation say?",
                false,
            ),
            ("The Kremlin", false),
        ] {
            assert_eq!(is_title_case(line, 3), want, "{line}");
        }
    }

    #[test]
    fn headline_shape() {
        assert!(is_headline_shaped(
            "Ukraine and Russia Fail to Make Progress in Talks to End War",
            20
        ));
        assert!(is_headline_shaped("Ad sales boost Time Warner profit", 20));
        assert!(!is_headline_shaped(
            "Russia and Ukraine negotiated a ceasefire on the 29th.",
            20
        ));
        assert!(!is_headline_shaped(
            "He said that Russia has received written proposals:",
            20
        ));
        assert!(!is_headline_shaped("Word", 20));
    }

    #[test]
    fn word_count_counts_runs_of_word_characters() {
        let by_split = |t: &str| {
            t.split(|c: char| !c.is_alphanumeric() && c != '_')
                .filter(|w| !w.is_empty())
                .count()
        };
        for text in [
            "",
            "  ...  ",
            "one",
            "Don’t stop: Kyiv's 2022 budget_plan — Straße,ÉCOLE naïve",
            "ĀĒ–x_Y ½ ٣ 中文字 a-b",
            "trailing space ",
        ] {
            assert_eq!(word_count(text), by_split(text), "{text}");
        }
    }

    #[test]
    fn word_hashes_fold_case() {
        let a: Vec<u64> = word_hashes("Kyiv, KYIV kyiv Straße STRASSE");
        assert_eq!(a.len(), 5);
        assert!(a[0] == a[1] && a[1] == a[2]);
        assert_eq!(a[3], xxhash_rust::xxh3::xxh3_64("straße".as_bytes()));
    }

    #[test]
    fn words_lowercase_and_split() {
        let w: Vec<String> = words("Zelenskiy’s Kiev-based, 2022!").collect();
        assert_eq!(w, ["zelenskiy", "s", "kiev", "based", "2022"]);
    }
}

/// English function words: articles, pronouns, prepositions, conjunctions, auxiliaries, and
/// "said", the reporting verb of news. A fifth or more of the words of English prose are on it.
pub const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "said",
    "same",
    "says",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// True for an English function word (lowercase): an article, pronoun, preposition,
/// conjunction or auxiliary.
pub fn is_function_word(word: &str) -> bool {
    static SET: OnceLock<FastSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| FUNCTION_WORDS.iter().copied().collect())
        .contains(word)
}

/// Frequent English words that are not function words but say nothing of what a passage is
/// about ("also", "told", "year"): with the function words, excluded when comparing the
/// vocabulary of two passages.
const NON_CONTENT_WORDS: &[&str] = &[
    "across", "again", "also", "although", "among", "another", "anything", "around", "away",
    "back", "came", "cannot", "come", "done", "either", "else", "even", "ever", "every", "first",
    "further", "gave", "get", "gets", "give", "given", "going", "gone", "good", "great", "however",
    "just", "know", "last", "least", "less", "like", "made", "make", "makes", "many", "much",
    "must", "need", "never", "next", "none", "onto", "others", "part", "since", "still", "take",
    "though", "three", "thus", "time", "told", "took", "toward", "towards", "upon", "want", "well",
    "went", "whether", "whose", "within", "without", "year", "years",
];

/// True for a word that says nothing of a passage's subject: a function word, a frequent word
/// such as "also" or "year", or any word shorter than four letters.
pub fn is_stopword(word: &str) -> bool {
    static SET: OnceLock<(FastSet<&'static str>, usize)> = OnceLock::new();
    let (set, longest) = SET.get_or_init(|| {
        let words = FUNCTION_WORDS.iter().chain(NON_CONTENT_WORDS).copied();
        (
            words.clone().collect(),
            words.map(str::len).max().unwrap_or(0),
        )
    });
    word.chars().count() < 4 || word.len() <= *longest && set.contains(word)
}

/// The content words of a text: lowercase, four letters or more, not function words.
pub fn content_words(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).filter(|w| !is_stopword(w) && !w.chars().all(|c| c.is_numeric()))
}

#[cfg(test)]
mod stopword_tests {
    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(super::NON_CONTENT_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(super::FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
    }
}
