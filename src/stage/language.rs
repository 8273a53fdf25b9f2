//! language: detects each document's language with whatlang (ISO 639-3 codes) and rejects
//! documents outside the allow list, below the minimum confidence, or too short to tell.

use serde::Deserialize;
use whatlang::{Detector, Lang};

use crate::config::BuildContext;
use crate::document::{Cleaned, Rejection};
use crate::error::Result;

pub const NAME: &str = "language";

/// Language code written for documents whose language could not be told.
pub const UNDETERMINED: &str = "und";

/// `[language]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub enabled: bool,
    /// ISO 639-3 codes of the languages to keep.
    pub allow: Vec<String>,
    /// Languages whatlang may answer with; empty means all it knows. Fewer candidates means
    /// fewer confusions between close languages.
    pub candidates: Vec<String>,
    /// Detections below this confidence (0–1) count as undecided.
    pub min_confidence: f64,
    /// Documents with fewer letters than this are undecided.
    pub min_chars: usize,
    /// What to do with undecided documents: "reject" or "keep" (language `und`).
    pub undecided: Undecided,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Undecided {
    Reject,
    Keep,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            enabled: true,
            allow: vec!["eng".into()],
            candidates: Vec::new(),
            min_confidence: 0.5,
            min_chars: 40,
            undecided: Undecided::Reject,
        }
    }
}

pub struct Language {
    detector: Detector,
    allow: Vec<Lang>,
    min_confidence: f64,
    min_chars: usize,
    undecided: Undecided,
}

fn parse_langs(codes: &[String], key: &str, ctx: &BuildContext) -> Result<Vec<Lang>> {
    codes
        .iter()
        .map(|code| {
            Lang::from_code(code).ok_or_else(|| {
                ctx.value_error(key, format!("unknown ISO 639-3 language code {code:?}"))
            })
        })
        .collect()
}

impl Language {
    pub fn build(config: &Config, ctx: &BuildContext) -> Result<Language> {
        let allow = parse_langs(&config.allow, "language.allow", ctx)?;
        let candidates = parse_langs(&config.candidates, "language.candidates", ctx)?;
        if !(0.0..=1.0).contains(&config.min_confidence) {
            return Err(ctx.value_error("language.min_confidence", "must be between 0 and 1"));
        }
        let detector = match candidates.is_empty() {
            true => Detector::new(),
            false => Detector::with_allowlist(candidates),
        };
        Ok(Language {
            detector,
            allow,
            min_confidence: config.min_confidence,
            min_chars: config.min_chars,
            undecided: config.undecided,
        })
    }

    pub fn describe(&self) -> String {
        let allow: Vec<&str> = self.allow.iter().map(|l| l.code()).collect();
        format!(
            "allow [{}], min_confidence {}, min_chars {}, undecided {:?}",
            allow.join(", "),
            self.min_confidence,
            self.min_chars,
            self.undecided
        )
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        let text = doc.body.to_text();
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let detected = match letters >= self.min_chars {
            true => self.detector.detect(&text),
            false => None,
        };
        let info = match detected {
            Some(info) if info.confidence() >= self.min_confidence => info,
            _ => {
                doc.language = UNDETERMINED.into();
                if self.undecided == Undecided::Reject {
                    let reason = match (letters < self.min_chars, detected) {
                        (true, _) => "too short to tell".to_string(),
                        (false, Some(i)) => {
                            format!("unsure: {} ({:.2})", i.lang().code(), i.confidence())
                        }
                        (false, None) => "no language detected".to_string(),
                    };
                    doc.rejection = Some(Rejection::new(NAME, reason));
                }
                return;
            }
        };
        doc.language = info.lang().code().into();
        doc.language_confidence = (info.confidence() * 100.0).round() / 100.0;
        if !self.allow.is_empty() && !self.allow.contains(&info.lang()) {
            let reason = format!("{} ({:.2})", info.lang().code(), info.confidence());
            doc.rejection = Some(Rejection::new(NAME, reason));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Origin, Pipeline};
    use crate::document::{Body, Document};

    fn run(text: &str) -> Cleaned {
        let pipeline = Pipeline::from_str("", Origin::Builtin).unwrap();
        let language = pipeline
            .stages
            .iter()
            .find_map(|s| match s {
                crate::stage::Stage::Language(l) => Some(l),
                _ => None,
            })
            .unwrap();
        let mut doc = Cleaned::new(Document::default());
        doc.body = Body::parse(text);
        language.apply(&mut doc);
        doc
    }

    #[test]
    fn keeps_english_rejects_russian_and_short() {
        let en = run("The delegations met in Istanbul on Tuesday and agreed to continue the talks next week.");
        assert_eq!((en.language.as_str(), en.rejection), ("eng", None));
        let ru = run("Делегации России и Украины встретились во вторник в Стамбуле и договорились продолжить переговоры.");
        let reason = ru.rejection.unwrap().reason;
        assert!(reason.starts_with("rus ("), "{reason}");
        let short = run("Hello there");
        assert_eq!(short.rejection.unwrap().reason, "too short to tell");
    }
}
