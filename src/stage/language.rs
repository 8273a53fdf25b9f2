//! language: detects each document's language with whatlang (ISO 639-3 codes) and rejects
//! documents outside the allow list, below the minimum confidence, or too short to tell.
//! Script evidence corrects whatlang's statistics where they are known to slip: kana means
//! Japanese (however much Latin text surrounds it), and letters only Ukrainian has (ї є ґ, and
//! і without Belarusian ў) or only Russian has (ы э ё) settle the Russian–Ukrainian pair.

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

    /// whatlang's answer, corrected by script evidence.
    fn detect(&self, text: &str, letters: &Letters) -> Option<(Lang, f64)> {
        let info = self.detector.detect(text);
        if letters.kana >= 3 && letters.kana * 50 >= letters.all {
            // Codes and brand names in Latin letters say nothing about the language.
            let native = (letters.all - letters.ascii).max(1);
            let share = (letters.kana + letters.han) as f64 / native as f64;
            let whatlang = info
                .as_ref()
                .filter(|i| i.lang() == Lang::Jpn)
                .map_or(0.0, |i| i.confidence());
            return Some((Lang::Jpn, share.max(whatlang)));
        }
        let info = info?;
        let (lang, confidence) = (info.lang(), info.confidence());
        // The letters resolve exactly the doubt whatlang's confidence measures, so their share
        // is the confidence of the corrected answer.
        let (ukrainian, russian) = (letters.ukrainian_only(), letters.russian_only);
        let share = |a: usize, b: usize| a as f64 / (a + b) as f64;
        let cyrillic_lang = matches!(
            lang,
            Lang::Rus | Lang::Ukr | Lang::Bel | Lang::Bul | Lang::Srp | Lang::Mkd
        );
        if cyrillic_lang && ukrainian > russian {
            return Some((Lang::Ukr, confidence.max(share(ukrainian, russian))));
        }
        // Belarusian writes ы э ё too, so only the Russian–Ukrainian call is settled here.
        if matches!(lang, Lang::Rus | Lang::Ukr) && ukrainian == 0 && russian > 0 {
            return Some((Lang::Rus, confidence.max(share(russian, ukrainian))));
        }
        Some((lang, confidence))
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        let text = doc.body.to_text();
        let letters = Letters::count(&text);
        let detected = match letters.all >= self.min_chars {
            true => self.detect(&text, &letters),
            false => None,
        };
        let (lang, confidence) = match detected {
            Some((lang, confidence)) if confidence >= self.min_confidence => (lang, confidence),
            _ => {
                doc.language = UNDETERMINED.into();
                if self.undecided == Undecided::Reject {
                    let reason = match (letters.all < self.min_chars, detected) {
                        (true, _) => "too short to tell".to_string(),
                        (false, Some((lang, c))) => format!("unsure: {} ({c:.2})", lang.code()),
                        (false, None) => "no language detected".to_string(),
                    };
                    doc.rejection = Some(Rejection::new(NAME, reason));
                }
                return;
            }
        };
        doc.language = lang.code().into();
        doc.language_confidence = (confidence * 100.0).round() / 100.0;
        if !self.allow.is_empty() && !self.allow.contains(&lang) {
            let reason = format!("{} ({confidence:.2})", lang.code());
            doc.rejection = Some(Rejection::new(NAME, reason));
        }
    }
}

/// Letter counts by the scripts and letters the corrections look at.
#[derive(Debug, Default)]
struct Letters {
    all: usize,
    ascii: usize,
    /// Hiragana and katakana: only Japanese writes them.
    kana: usize,
    han: usize,
    /// ї є ґ: Ukrainian only.
    ukr: usize,
    /// і: Ukrainian and Belarusian.
    i: usize,
    /// ў: Belarusian only.
    bel: usize,
    /// ы э ё: Russian (and Belarusian), never Ukrainian.
    russian_only: usize,
}

impl Letters {
    fn count(text: &str) -> Letters {
        let mut letters = Letters::default();
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters.all += 1;
            match c {
                'a'..='z' | 'A'..='Z' => letters.ascii += 1,
                '\u{3040}'..='\u{30ff}' | '\u{31f0}'..='\u{31ff}' | '\u{ff66}'..='\u{ff9d}' => {
                    letters.kana += 1
                }
                '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' => letters.han += 1,
                'ї' | 'Ї' | 'є' | 'Є' | 'ґ' | 'Ґ' => letters.ukr += 1,
                'і' | 'І' => letters.i += 1,
                'ў' | 'Ў' => letters.bel += 1,
                'ы' | 'Ы' | 'э' | 'Э' | 'ё' | 'Ё' => letters.russian_only += 1,
                _ => {}
            }
        }
        letters
    }

    /// Evidence for Ukrainian: ї є ґ, and і when there is no Belarusian ў.
    fn ukrainian_only(&self) -> usize {
        match self.bel {
            0 => self.ukr + self.i,
            _ => self.ukr,
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

    #[test]
    fn script_evidence_corrects_close_calls() {
        // Kana among product codes: Japanese, not Romanian or English.
        let ja = run("* 本体 * USB-Type-C×1（電源） * 公式ドック(本体のUSB-Type-Cに接続) * USB-Type-C×1（電源）、DP×1、HDMI×1、LAN×1、USB3×1、USB2×2");
        assert_eq!(ja.language, "jpn");
        // Short Ukrainian that statistics alone call Russian.
        let uk = run("Так, звісно, було б дуже добре провести час разом із вами");
        assert_eq!(uk.language, "ukr");
        let ru = run("Это было бы очень хорошо, провести время вместе с вами в субботу");
        assert_eq!(ru.language, "rus");
    }
}
