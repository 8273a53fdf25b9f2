//! `newsclean names suggest`: finds spellings of known names that the tables lack. Every
//! capitalized word of the dump that no table row names is compared with the known names after
//! transliteration folding ([`super::fold`]): the same key, or one edit apart with the same
//! first letter. Candidates are ranked by how alike they are and by how much their contexts
//! (the content words of the paragraphs they stand in) overlap with the known name's.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::text::content_words;

use super::fold::Lexicon;

/// Context words kept per word: enough to compare, bounded in memory.
const MAX_CONTEXT: usize = 400;

/// What the scan learned about one capitalized word.
#[derive(Debug, Default)]
struct Seen {
    count: usize,
    example: String,
    context: HashSet<String>,
}

/// One proposed table row.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub variant: String,
    pub canonical: String,
    pub kind: String,
    pub count: usize,
    /// 0–1: string likeness times context support.
    pub score: f64,
    /// Share of the word's context words that also stand around the known name.
    pub context: f64,
    pub example: String,
}

impl Suggestion {
    /// A table row ready to paste, with the evidence as a comment field.
    pub fn to_row(&self) -> String {
        format!(
            "{}\t{}\t{}\t# score {:.2}, {}x, context {:.2}: {}",
            self.variant,
            self.canonical,
            self.kind,
            self.score,
            self.count,
            self.context,
            self.example
        )
    }
}

/// Collects capitalized words and their contexts from paragraphs of text.
#[derive(Debug, Default)]
pub struct Scanner {
    words: HashMap<String, Seen>,
    /// Lower-case words seen written in lower case: ordinary words, not names.
    lowercase: HashSet<String>,
}

impl Scanner {
    /// Records one paragraph.
    pub fn paragraph(&mut self, text: &str) {
        let context: Vec<String> = content_words(text).collect();
        for word in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            let mut chars = word.chars();
            let first = chars.next().expect("non-empty");
            if first.is_lowercase() {
                self.lowercase.insert(word.to_string());
                continue;
            }
            if word.chars().count() < 5 || !chars.all(char::is_lowercase) {
                continue;
            }
            let seen = self.words.entry(word.to_string()).or_default();
            seen.count += 1;
            if seen.example.is_empty() {
                seen.example = example(text, word);
            }
            for w in &context {
                if seen.context.len() >= MAX_CONTEXT {
                    break;
                }
                seen.context.insert(w.clone());
            }
        }
    }

    /// Ranked suggestions: words within one folded edit of a known name, not named by any
    /// table row (`known`), not ordinary lower-case words.
    pub fn suggest(&self, lexicon: &Lexicon, known: &HashSet<String>) -> Vec<Suggestion> {
        let mut out = Vec::new();
        let ordered: BTreeMap<&String, &Seen> = self.words.iter().collect();
        for (word, seen) in ordered {
            if known.contains(word.as_str()) || self.lowercase.contains(&word.to_lowercase()) {
                continue;
            }
            let first = |s: &str| s.chars().next().map(|c| c.to_lowercase().to_string());
            for near in lexicon.near(word) {
                if near.distance == 1
                    && (first(word) != first(near.name) || word.chars().count() < 6)
                {
                    continue;
                }
                let context = match self.words.get(near.name) {
                    Some(name) if !seen.context.is_empty() => {
                        seen.context.intersection(&name.context).count() as f64
                            / seen.context.len() as f64
                    }
                    _ => 0.0,
                };
                let likeness = if near.distance == 0 { 1.0 } else { 0.8 };
                out.push(Suggestion {
                    variant: word.clone(),
                    canonical: near.name.to_string(),
                    kind: near.kind.to_string(),
                    count: seen.count,
                    score: likeness * (0.5 + 0.5 * context),
                    context,
                    example: seen.example.clone(),
                });
            }
        }
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.count.cmp(&a.count))
                .then(a.variant.cmp(&b.variant))
                .then(a.canonical.cmp(&b.canonical))
        });
        out
    }
}

/// Up to ~60 characters either side of the word's first occurrence, on one line.
fn example(text: &str, word: &str) -> String {
    let at = text.find(word).unwrap_or(0);
    let mut start = at.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + word.len() + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let snippet = text[start..end].replace(['\n', '\t'], " ");
    format!("…{}…", snippet.trim())
}

/// Scans the documents under `inputs` and returns ranked suggestions against the tables of the
/// pipeline's names stage. Unreadable records are skipped (a run reports them).
pub fn scan(
    pipeline: &crate::config::Pipeline,
    inputs: &[std::path::PathBuf],
) -> crate::error::Result<Vec<Suggestion>> {
    let names = pipeline
        .names()
        .ok_or_else(|| crate::error::Error::ConfigValue {
            path: pipeline.config_name(),
            key: "names.enabled".into(),
            message: "the names stage is switched off, so there are no known names".into(),
        })?;
    let mut scanner = Scanner::default();
    for file in crate::input::discover(inputs)?.files {
        crate::input::read_file(&file, &pipeline.input, &mut |record| {
            if let crate::input::Record::Doc(doc) = record {
                let body = crate::document::Body::parse(&doc.text);
                for paragraph in body.paragraphs {
                    let lines: Vec<String> = paragraph
                        .iter()
                        .map(|l| crate::stage::normalize::normalize_line(l))
                        .collect();
                    scanner.paragraph(&lines.join("\n"));
                }
            }
        })?;
    }
    let (lexicon, known) = names.lexicon();
    Ok(scanner.suggest(lexicon, known))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposes_misspellings_with_shared_context() {
        let mut lexicon = Lexicon::default();
        lexicon.add("Medinsky", "official");
        lexicon.add("Madrid", "place");
        let known: HashSet<String> = ["Medinsky", "Madrid"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut scanner = Scanner::default();
        scanner
            .paragraph("Kremlin aide Medinsky led the Russian delegation at the Istanbul talks.");
        scanner.paragraph(
            "The Russian delegation head Mekinsky said the Istanbul talks were constructive.",
        );
        scanner.paragraph("Madrid hosted a summit. Madrids are not a thing. Tuesday came.");
        let suggestions = scanner.suggest(&lexicon, &known);
        assert_eq!(suggestions.len(), 1, "{suggestions:?}");
        let s = &suggestions[0];
        assert_eq!(
            (s.variant.as_str(), s.canonical.as_str(), s.count),
            ("Mekinsky", "Medinsky", 1)
        );
        assert!(s.context > 0.3, "{s:?}");
        assert!(s
            .to_row()
            .starts_with("Mekinsky\tMedinsky\tofficial\t# score"));
    }
}
