//! normalize: Unicode NFC, no BOM or zero-width characters, non-breaking spaces as spaces,
//! every line trimmed. (CRLF and runs of blank lines are already folded when the body is
//! split into paragraphs.)

use serde::Deserialize;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::document::Cleaned;

pub const NAME: &str = "normalize";

/// `[normalize]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config { enabled: true }
    }
}

pub struct Normalize;

impl Normalize {
    pub fn build(_config: &Config) -> Normalize {
        Normalize
    }

    pub fn describe(&self) -> String {
        "NFC, strip BOM/zero-width, NBSP to space, trim lines".into()
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        for paragraph in &mut doc.body.paragraphs {
            for line in paragraph.iter_mut() {
                *line = normalize_line(line);
            }
            paragraph.retain(|line| !line.is_empty());
        }
        doc.body.paragraphs.retain(|p| !p.is_empty());
        doc.doc.title = normalize_line(&doc.doc.title);
    }
}

/// Characters that carry no text: BOM, zero-width space/joiners, word joiner, soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{00ad}'
    )
}

/// NFC, invisible characters removed, non-breaking and other exotic spaces made plain,
/// surrounding white space trimmed.
pub fn normalize_line(line: &str) -> String {
    if line.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        // Printable ASCII: only the ends to trim.
        return line.trim().to_string();
    }
    if line.is_ascii() {
        // Already NFC, and no invisible or exotic space characters: only tabs and the like.
        let trimmed = line.trim();
        return match trimmed
            .bytes()
            .any(|b| b.is_ascii_whitespace() && b != b' ')
        {
            true => trimmed.replace(|c: char| c.is_ascii_whitespace(), " "),
            false => trimmed.to_string(),
        };
    }
    // Most non-ASCII lines only hold curly quotes or accented letters, already composed.
    let plain = |c: char| !is_invisible(c) && (c == ' ' || !c.is_whitespace());
    if line.chars().all(plain) && is_nfc_quick(line.chars()) == IsNormalized::Yes {
        return line.trim().to_string();
    }
    let cleaned: String = line
        .nfc()
        .filter(|&c| !is_invisible(c))
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    cleaned.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Body, Document};

    #[test]
    fn normalizes_lines() {
        for (input, want) in [
            ("\u{feff}  Hello\u{200b} world  ", "Hello world"),
            ("Russia’s\u{a0}economy", "Russia’s economy"),
            ("Cafe\u{301}", "Café"),
            ("\t\t", ""),
        ] {
            assert_eq!(normalize_line(input), want);
        }
    }

    #[test]
    fn normalizing_twice_equals_once() {
        let text = "  a\u{a0}b\r\n\r\n\r\n\u{200b}\r\n  c\u{301}  ";
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(text);
        Normalize.apply(&mut doc);
        let once = doc.body.clone();
        Normalize.apply(&mut doc);
        assert_eq!(doc.body, once);
        assert_eq!(once.to_text(), "a b\n\nć");
    }
}
