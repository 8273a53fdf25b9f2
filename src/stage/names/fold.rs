//! Transliteration folding and a lookup of known names within one edit, for finding spellings
//! the table lacks: Zelensky, Zelenskiy and Zelenskyy fold to one key; Podoljak and Podolyak
//! too; Mekinsky is one edit from Medinsky.

use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds a name to a key that transliteration variants share: lowercase without diacritics
/// (Polish ł ó ż: Kułeba, Budanów); y, j → i; kh → h, zh → z, and g → h (Russian g is Ukrainian h:
/// Kharkov/Harkiv, Gorodok/Horodok); w → v; ck → k; ph → f; doubled letters single (so -sky,
/// -skiy, -skyy and -ski all end in -ski).
pub fn fold(name: &str) -> String {
    let mut s: String = name
        .to_lowercase()
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == 'ł' { 'l' } else { c })
        .collect();
    for (from, to) in [
        ("kh", "h"),
        ("ck", "k"),
        ("ph", "f"),
        ("shch", "sh"),
        ("sch", "sh"),
    ] {
        s = s.replace(from, to);
    }
    let mapped: String = s
        .chars()
        .map(|c| match c {
            'y' | 'j' => 'i',
            'g' => 'h',
            'w' => 'v',
            c => c,
        })
        .collect();
    let mut folded = String::with_capacity(mapped.len());
    for c in mapped.chars() {
        if !folded.ends_with(c) {
            folded.push(c);
        }
    }
    folded
}

/// Levenshtein distance, for short strings.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// True when two keys one edit apart differ only in the last letter (or one is the other plus
/// a letter at the end).
fn differs_at_end(a: &str, b: &str) -> bool {
    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    prefix + 1 >= a.chars().count().max(b.chars().count())
}

/// Known names by folded key, with every one-letter deletion of each key indexed too, so a
/// word within one edit of a known name is found without comparing against all of them.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// (name, kind) of each known name.
    names: Vec<(String, String)>,
    folded: Vec<String>,
    /// Folded key, or a key with one letter deleted → indexes into `names`.
    index: HashMap<String, Vec<usize>>,
}

/// A known name close to a word.
#[derive(Debug, Clone, PartialEq)]
pub struct Near<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    /// Edits between the folded forms: 0 when they fold alike.
    pub distance: usize,
}

fn deletions(key: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = key.chars().collect();
    (0..chars.len()).map(move |i| {
        chars
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, c)| c)
            .collect()
    })
}

impl Lexicon {
    /// Adds a known single-word name.
    pub fn add(&mut self, name: &str, kind: &str) {
        let key = fold(name);
        let id = self.names.len();
        self.names.push((name.to_string(), kind.to_string()));
        for variant in std::iter::once(key.clone()).chain(deletions(&key)) {
            self.index.entry(variant).or_default().push(id);
        }
        self.folded.push(key);
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Known names whose folded form is within one edit of the word's, nearest first. A word
    /// that only extends a known name (Madrids, Kievan) is a derivative, not a misspelling; and
    /// an edit in the last letter makes an inflected, feminine or truncated form (Zelenska,
    /// Donets, Romania beside Romaniv), while misspellings differ inside the word.
    pub fn near(&self, word: &str) -> Vec<Near<'_>> {
        let key = fold(word);
        let mut ids: Vec<usize> = std::iter::once(key.clone())
            .chain(deletions(&key))
            .filter_map(|k| self.index.get(&k))
            .flatten()
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut found: Vec<Near<'_>> = ids
            .into_iter()
            .filter_map(|id| {
                let (name, kind) = &self.names[id];
                let distance = distance(&key, &self.folded[id]);
                let misspelling =
                    distance == 0 || (distance == 1 && !differs_at_end(&key, &self.folded[id]));
                (misspelling && !word.starts_with(name.as_str())).then_some(Near {
                    name,
                    kind,
                    distance,
                })
            })
            .collect();
        found.sort_by(|a, b| a.distance.cmp(&b.distance).then(a.name.cmp(b.name)));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_fold_together() {
        for (a, b) in [
            ("Zelensky", "Zelenskyy"),
            ("Zelenskiy", "Zelenskyy"),
            ("Podoljak", "Podolyak"),
            ("Kharkov", "Harkov"),
            ("Peskow", "Peskov"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} {b}");
        }
        assert_ne!(fold("Kyiv"), fold("Kiev"));
    }

    #[test]
    fn finds_names_one_edit_away() {
        let mut lexicon = Lexicon::default();
        for name in ["Medinsky", "Arakhamia", "Podolyak", "Zelenskyy"] {
            lexicon.add(name, "official");
        }
        for (word, want, d) in [
            ("Mekinsky", "Medinsky", 1),
            ("Mezynski", "Medinsky", 1),
            ("Meginsky", "Medinsky", 1),
            ("Alahamia", "Arakhamia", 1),
            ("Podoljak", "Podolyak", 0),
            ("Zelenskiy", "Zelenskyy", 0),
        ] {
            let near = lexicon.near(word);
            assert_eq!((near[0].name, near[0].distance), (want, d), "{word}");
        }
        assert!(lexicon.near("Madrid").is_empty());
        assert!(lexicon.near("Zelenska").is_empty(), "feminine form");
        assert!(lexicon.near("Podolyaky").is_empty(), "inflected form");
        assert_eq!(lexicon.near("Podołjak")[0].name, "Podolyak", "Polish ł");
    }

    #[test]
    fn distances() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("medinski", "mekinski"), 1);
    }
}
