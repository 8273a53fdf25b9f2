//! names: rewrites every known variant spelling of a place or person to its canonical form
//! (Kiev → Kyiv, Zelenskiy → Zelenskyy, Mekinsky → Medinsky) from a variant table, in one pass
//! over each line with a single automaton. Whole words only; possessives and hyphen compounds
//! keep their suffix (Zelenskiy’s → Zelenskyy’s, Kiev-based → Kyiv-based); ALL CAPS variants
//! become ALL CAPS canonicals; fixed phrases from the exceptions list, URLs and e-mail addresses
//! are never touched. Every replacement is an edit.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use serde::Deserialize;

use crate::config::BuildContext;
use crate::document::{Action, Cleaned, Edit};
use crate::error::{Error, Result};

pub const NAME: &str = "names";

/// `[names]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// Variant table files: `variant<TAB>canonical<TAB>kind` per line, `#` comments.
    pub tables: Vec<String>,
    /// Extra `variant = canonical` pairs, added after the tables.
    pub extra: std::collections::BTreeMap<String, String>,
    /// Fixed phrases left as written (matched ignoring case), e.g. "Chicken Kiev".
    pub exceptions: Vec<String>,
    /// Only documents in these languages (ISO 639-3) are rewritten; empty means all.
    pub languages: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            tables: Vec::new(),
            extra: Default::default(),
            exceptions: Vec::new(),
            languages: Vec::new(),
        }
    }
}

pub struct Names {
    automaton: AhoCorasick,
    /// Canonical form for each automaton pattern.
    canonicals: Vec<String>,
    exceptions: Option<AhoCorasick>,
    protected: Regex,
    languages: Vec<String>,
    variants: usize,
}

/// Parses one table file into (variant, canonical) pairs.
fn parse_table(path: &str, text: &str) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        match (fields.next(), fields.next()) {
            (Some(variant), Some(canonical)) if !variant.is_empty() && !canonical.is_empty() => {
                pairs.push((variant.to_string(), canonical.to_string()))
            }
            _ => {
                return Err(Error::DataFile {
                    path: format!("{path}:{}", n + 1),
                    message: "expected `variant<TAB>canonical<TAB>kind`".into(),
                })
            }
        }
    }
    Ok(pairs)
}

impl Names {
    pub fn build(config: &Config, ctx: &BuildContext) -> Result<Names> {
        let mut pairs = Vec::new();
        for path in &config.tables {
            pairs.extend(parse_table(path, &ctx.read_data("names.tables", path)?)?);
        }
        pairs.extend(config.extra.iter().map(|(v, c)| (v.clone(), c.clone())));
        let variants = pairs.len();
        // ALL CAPS headlines: KIEV → KYIV.
        let caps: Vec<(String, String)> = pairs
            .iter()
            .map(|(v, c)| (v.to_uppercase(), c.to_uppercase()))
            .filter(|(v, _)| !pairs.iter().any(|(p, _)| p == v))
            .collect();
        pairs.extend(caps);
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(pairs.iter().map(|(v, _)| v))
            .map_err(|e| ctx.value_error("names.tables", e))?;
        let exceptions = match config.exceptions.is_empty() {
            true => None,
            false => Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .build(&config.exceptions)
                    .map_err(|e| ctx.value_error("names.exceptions", e))?,
            ),
        };
        let protected = Regex::new(
            r"(?i)\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+|\S+\.(?:com|org|net)/\S*",
        )
        .expect("valid regex");
        Ok(Names {
            automaton,
            canonicals: pairs.into_iter().map(|(_, c)| c).collect(),
            exceptions,
            protected,
            languages: config.languages.clone(),
            variants,
        })
    }

    pub fn describe(&self) -> String {
        let langs = match self.languages.is_empty() {
            true => "all languages".to_string(),
            false => self.languages.join(", "),
        };
        format!("{} variants (+ ALL CAPS forms), {langs}", self.variants)
    }

    /// Byte ranges that must not be rewritten: exceptions, URLs, e-mail addresses.
    fn protected_spans(&self, line: &str) -> Vec<(usize, usize)> {
        let mut spans: Vec<(usize, usize)> = self
            .protected
            .find_iter(line)
            .map(|m| (m.start(), m.end()))
            .collect();
        if let Some(exceptions) = &self.exceptions {
            spans.extend(exceptions.find_iter(line).map(|m| (m.start(), m.end())));
        }
        spans
    }

    /// Rewrites one line; returns the new line if anything changed, pushing one edit per
    /// replacement.
    pub fn rewrite(&self, line: &str, edits: &mut Vec<Edit>) -> Option<String> {
        let mut out = String::new();
        let mut last = 0;
        let mut spans: Option<Vec<(usize, usize)>> = None;
        for m in self.automaton.find_iter(line) {
            if !is_whole_word(line, m.start(), m.end()) {
                continue;
            }
            let spans = spans.get_or_insert_with(|| self.protected_spans(line));
            if spans.iter().any(|&(s, e)| m.start() < e && s < m.end()) {
                continue;
            }
            let canonical = &self.canonicals[m.pattern().as_usize()];
            out.push_str(&line[last..m.start()]);
            out.push_str(canonical);
            last = m.end();
            edits.push(Edit {
                stage: NAME,
                rule: "table".into(),
                action: Action::Replace,
                before: line[m.start()..m.end()].to_string(),
                after: canonical.clone(),
            });
        }
        if last == 0 {
            return None;
        }
        out.push_str(&line[last..]);
        Some(out)
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        if !self.languages.is_empty() && !self.languages.contains(&doc.language) {
            return;
        }
        let mut edits = Vec::new();
        if let Some(title) = self.rewrite(&doc.doc.title, &mut edits) {
            doc.doc.title = title;
        }
        for line in doc.body.paragraphs.iter_mut().flatten() {
            if let Some(new) = self.rewrite(line, &mut edits) {
                *line = new;
            }
        }
        doc.edits.extend(edits);
    }
}

/// True when `line[start..end]` is not glued to letters or digits on either side.
fn is_whole_word(line: &str, start: usize, end: usize) -> bool {
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    !glued(line[..start].chars().next_back()) && !glued(line[end..].chars().next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Origin, Pipeline};

    fn names() -> Names {
        let config = r#"
            [names]
            tables = []
            exceptions = ["Chicken Kiev"]
            [names.extra]
            Kiev = "Kyiv"
            Zelenskiy = "Zelenskyy"
            "Sergey Shoygu" = "Sergei Shoigu"
            Shoygu = "Shoigu"
        "#;
        let pipeline = Pipeline::from_str(config, Origin::Builtin).unwrap();
        pipeline
            .stages
            .into_iter()
            .find_map(|s| match s {
                crate::stage::Stage::Names(n) => Some(n),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn rewrites_variants() {
        let names = names();
        for (line, want) in [
            ("Zelenskiy’s aide in Kiev", "Zelenskyy’s aide in Kyiv"),
            ("Zelenskiy's aide", "Zelenskyy's aide"),
            ("a Kiev-based firm", "a Kyiv-based firm"),
            ("KIEV BURNS", "KYIV BURNS"),
            ("Sergey Shoygu and Shoygu", "Sergei Shoigu and Shoigu"),
            ("Kievan Rus and Kievskaya", "Kievan Rus and Kievskaya"),
            (
                "We ate Chicken Kiev and chicken kiev in Kiev",
                "We ate Chicken Kiev and chicken kiev in Kyiv",
            ),
            (
                "See https://example.com/Kiev or kiev@mail.com/Kiev",
                "See https://example.com/Kiev or kiev@mail.com/Kyiv",
            ),
        ] {
            let mut edits = Vec::new();
            let got = names
                .rewrite(line, &mut edits)
                .unwrap_or_else(|| line.to_string());
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn records_each_replacement() {
        let mut edits = Vec::new();
        names().rewrite("Kiev and Kiev", &mut edits);
        assert_eq!(edits.len(), 2);
        assert_eq!(
            (edits[0].before.as_str(), edits[0].after.as_str()),
            ("Kiev", "Kyiv")
        );
    }
}
