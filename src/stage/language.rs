//! language: detects each document's language with whatlang (ISO 639-3 codes) and rejects
//! documents outside the allow list, below the minimum confidence, or too short to tell.
//! Script evidence corrects whatlang's statistics where they are known to slip: kana means
//! Japanese (however much Latin text surrounds it), and letters only Ukrainian has (ї є ґ, and
//! і without Belarusian ў) or only Russian has (ы э ё) settle the Russian–Ukrainian pair.
//!
//! Paragraph mode removes paragraphs of a kept document that are confidently in another
//! language (an English article followed by a block of Russian "related news" links): a
//! paragraph in another script, or a long one that whatlang is sure about. Short paragraphs —
//! names, numbers, a quoted phrase — are never judged.

use serde::Deserialize;
use whatlang::{Detector, Lang, Script};

use crate::config::BuildContext;
use crate::document::{Cleaned, Edit, Rejection};
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
    /// Remove paragraphs confidently in another language than the document's.
    pub foreign_paragraphs: bool,
    /// Paragraphs with fewer letters are never judged.
    pub paragraph_min_chars: usize,
    /// A paragraph in the document's own script must have this many letters, and whatlang
    /// this confidence, before it counts as foreign.
    pub same_script_min_chars: usize,
    pub same_script_min_confidence: f64,
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
            min_confidence: 0.3,
            min_chars: 40,
            undecided: Undecided::Reject,
            foreign_paragraphs: true,
            paragraph_min_chars: 20,
            same_script_min_chars: 150,
            same_script_min_confidence: 0.9,
        }
    }
}

pub struct Language {
    detector: Detector,
    allow: Vec<Lang>,
    config: Config,
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
            config: config.clone(),
        })
    }

    pub fn describe(&self) -> String {
        let allow: Vec<&str> = self.allow.iter().map(|l| l.code()).collect();
        let c = &self.config;
        format!(
            "allow [{}], min_confidence {}, min_chars {}, undecided {:?}, foreign paragraphs {}",
            allow.join(", "),
            c.min_confidence,
            c.min_chars,
            c.undecided,
            c.foreign_paragraphs
        )
    }

    /// whatlang's answer for a text, corrected by English function words and script evidence.
    fn detect(&self, text: &str, letters: &Letters) -> Option<(Lang, f64)> {
        // English prose (a fifth of its words "the", "and", "said", ...; other languages
        // next to none) needs no statistics.
        let english = english_function_share(text);
        let latin = letters.ascii * 10 >= letters.all * 9;
        if latin && english >= 0.12 && letters.kana == 0 {
            return Some((Lang::Eng, 1.0));
        }
        let info = self.detector.detect(sample(text));
        let mut found = info.as_ref().map(|i| (i.lang(), i.confidence()));
        // whatlang sometimes calls plain English French or Dutch; English function words are
        // independent evidence. A share of 0.2 (English prose runs 0.3–0.4) counts as certain.
        let latin = info.as_ref().is_some_and(|i| i.script() == Script::Latin);
        if latin && english >= 0.08 {
            let whatlang = found
                .filter(|(l, _)| *l == Lang::Eng)
                .map_or(0.0, |(_, c)| c);
            found = Some((Lang::Eng, whatlang.max((english / 0.2).min(1.0))));
        }
        correct(found, letters)
    }

    /// The document's language: a vote of its paragraphs weighted by their letters, so a block
    /// in another language does not decide for the whole; then corrected by the letters of the
    /// whole text. The confidence is the winner's letter-weighted mean confidence. Falls back
    /// to the whole text when no paragraph is long enough to judge.
    fn decide(
        &self,
        text: &str,
        letters: &Letters,
        verdicts: &[Option<Verdict>],
    ) -> Option<(Lang, f64)> {
        let mut votes: Vec<(Lang, usize, f64)> = Vec::new();
        for v in verdicts.iter().flatten() {
            match votes.iter_mut().find(|(lang, _, _)| *lang == v.lang) {
                Some(vote) => {
                    vote.1 += v.letters;
                    vote.2 += v.letters as f64 * v.confidence;
                }
                None => votes.push((v.lang, v.letters, v.letters as f64 * v.confidence)),
            }
        }
        let total: usize = votes.iter().map(|v| v.1).sum();
        let winner = votes
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.code().cmp(a.0.code())));
        match winner {
            Some(&(lang, _, weighted)) => correct(Some((lang, weighted / total as f64)), letters),
            None => self.detect(text, letters),
        }
    }

    /// Each paragraph's language, when it has enough letters to judge.
    fn verdicts(&self, doc: &Cleaned) -> Vec<Option<Verdict>> {
        doc.body
            .paragraphs
            .iter()
            .map(|paragraph| {
                // Most paragraphs are one line: those are read in place.
                let text: std::borrow::Cow<str> = match paragraph.as_slice() {
                    [line] => line.as_str().into(),
                    lines => lines.join("\n").into(),
                };
                let letters = Letters::count(&text);
                if letters.all < self.config.paragraph_min_chars {
                    return None;
                }
                let (lang, confidence) = self.detect(&text, &letters)?;
                // Only a long, sure paragraph's names can matter ([`Language::is_foreign`]).
                let c = &self.config;
                let judged = letters.all >= c.same_script_min_chars
                    && confidence >= c.same_script_min_confidence;
                Some(Verdict {
                    lang,
                    confidence,
                    letters: letters.all,
                    script: whatlang::detect_script(&text),
                    names: judged && is_mostly_names(&text),
                })
            })
            .collect()
    }

    pub fn apply(&self, doc: &mut Cleaned) {
        let text = doc.body.to_text();
        let letters = Letters::count(&text);
        let verdicts = match letters.all >= self.config.min_chars {
            true => self.verdicts(doc),
            false => Vec::new(),
        };
        let detected = match letters.all >= self.config.min_chars {
            true => self.decide(&text, &letters, &verdicts),
            false => None,
        };
        let (lang, confidence) = match detected {
            Some((lang, confidence)) if confidence >= self.config.min_confidence => {
                (lang, confidence)
            }
            _ => {
                doc.language = UNDETERMINED.into();
                if self.config.undecided == Undecided::Reject {
                    let reason = match (letters.all < self.config.min_chars, detected) {
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
        } else if self.config.foreign_paragraphs {
            let script = whatlang::detect_script(&text);
            self.remove_foreign_paragraphs(doc, lang, script, &verdicts);
        }
    }

    /// True when a paragraph's verdict confidently names another language than `lang`: it is
    /// in another script, or long enough, sure enough and not a list of names.
    fn is_foreign(&self, v: &Verdict, lang: Lang, script: Option<Script>) -> bool {
        let c = &self.config;
        let sure = v.script != script
            || (v.letters >= c.same_script_min_chars
                && v.confidence >= c.same_script_min_confidence
                && !v.names);
        v.lang != lang && sure
    }

    fn remove_foreign_paragraphs(
        &self,
        doc: &mut Cleaned,
        lang: Lang,
        script: Option<Script>,
        verdicts: &[Option<Verdict>],
    ) {
        let mut i = 0;
        let mut edits = Vec::new();
        doc.body.paragraphs.retain(|paragraph| {
            let verdict = verdicts[i]
                .as_ref()
                .filter(|v| self.is_foreign(v, lang, script));
            i += 1;
            let Some(v) = verdict else { return true };
            let rule = format!("foreign_paragraph:{}", v.lang.code());
            edits.push(Edit::remove(NAME, rule, paragraph.join("\n")));
            false
        });
        doc.edits.extend(edits);
    }
}

/// How much of a text whatlang reads: its accuracy levels off long before this, and its cost
/// does not.
const SAMPLE_BYTES: usize = 600;

/// The first `SAMPLE_BYTES` of a text, cut at a character boundary.
fn sample(text: &str) -> &str {
    let mut end = SAMPLE_BYTES.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// One paragraph's language evidence.
struct Verdict {
    lang: Lang,
    confidence: f64,
    letters: usize,
    script: Option<Script>,
    /// Mostly capitalized words: a list of names, whose language says nothing.
    names: bool,
}

/// Corrects a detection by script evidence. Kana means Japanese however much Latin surrounds
/// it. Letters only Ukrainian has (ї є ґ, and і without Belarusian ў) or only Russian has
/// (ы э ё) settle the Russian–Ukrainian pair; they resolve exactly the doubt whatlang's
/// confidence measures, so their share becomes the corrected answer's confidence.
fn correct(found: Option<(Lang, f64)>, letters: &Letters) -> Option<(Lang, f64)> {
    if letters.kana >= 3 && letters.kana * 50 >= letters.all {
        // Codes and brand names in Latin letters say nothing about the language.
        let native = (letters.all - letters.ascii).max(1);
        let share = (letters.kana + letters.han) as f64 / native as f64;
        let whatlang = found
            .filter(|(l, _)| *l == Lang::Jpn)
            .map_or(0.0, |(_, c)| c);
        return Some((Lang::Jpn, share.max(whatlang)));
    }
    let (lang, confidence) = found?;
    let (ukrainian, russian) = (letters.ukrainian_only(), letters.russian_only);
    let share = |a: usize, b: usize| a as f64 / (a + b) as f64;
    let cyrillic = matches!(
        lang,
        Lang::Rus | Lang::Ukr | Lang::Bel | Lang::Bul | Lang::Srp | Lang::Mkd
    );
    if cyrillic && ukrainian > russian {
        return Some((Lang::Ukr, confidence.max(share(ukrainian, russian))));
    }
    // Belarusian writes ы э ё too, so only the Russian–Ukrainian call is settled here.
    if matches!(lang, Lang::Rus | Lang::Ukr) && ukrainian == 0 && russian > 0 {
        return Some((Lang::Rus, confidence.max(share(russian, ukrainian))));
    }
    Some((lang, confidence))
}

/// The English function words (of [`crate::text::FUNCTION_WORDS`]) that are not also common
/// words of French, German, Dutch, Spanish, Italian or Portuguese: "a", "an", "in", "on", "as"
/// (Romance), "was", "will", "her" (German), "is", "of" (Dutch) and "or" (French) are left out
/// for that reason.
const ENGLISH_FUNCTION_WORDS: &[&str] = &[
    "and", "are", "be", "been", "but", "by", "for", "from", "had", "has", "have", "he", "his",
    "it", "its", "said", "she", "that", "the", "their", "they", "this", "to", "were", "which",
    "with", "would",
];

/// Share of a paragraph's words that are English function words: around 0.3–0.4 in English
/// prose, near 0 in other languages. whatlang alone sometimes calls plain English French.
fn english_function_share(paragraph: &str) -> f64 {
    let (mut words, mut hits) = (0usize, 0usize);
    for word in paragraph
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        // Every listed word is 2 to 5 ASCII letters long, and no other word lowercases to one.
        let listed = (2..=5).contains(&word.len()) && word.is_ascii() && {
            let mut lower = [0u8; 5];
            lower[..word.len()].copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            let lower = std::str::from_utf8(&lower[..word.len()]).unwrap_or_default();
            ENGLISH_FUNCTION_WORDS.binary_search(&lower).is_ok()
        };
        hits += usize::from(listed);
    }
    hits as f64 / words.max(1) as f64
}

/// True when most words are capitalized: a list of names, teams or places, whose "language"
/// says nothing.
fn is_mostly_names(paragraph: &str) -> bool {
    let words: Vec<&str> = paragraph
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let capitalized = words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    capitalized * 5 > words.len() * 2
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
        // ASCII bytes are counted as bytes; the rest of the text char by char.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                let letter = usize::from(b.is_ascii_alphabetic());
                letters.all += letter;
                letters.ascii += letter;
                i += 1;
                continue;
            }
            let rest = &text[i..];
            let non_ascii = rest.find(|c: char| c.is_ascii()).unwrap_or(rest.len());
            letters.count_non_ascii(&rest[..non_ascii]);
            i += non_ascii;
        }
        letters
    }

    fn count_non_ascii(&mut self, text: &str) {
        let letters = self;
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
    fn removes_foreign_paragraphs_keeps_names() {
        let english = "The delegations met in Istanbul on Tuesday and agreed to continue the talks next week, officials said.";
        let text = format!(
            "{english}\n\nВолодимир Зеленський\n\n{english} The mayor welcomed it.\n\n\
             Читайте также: Россия и Украина провели новый раунд переговоров в Стамбуле во вторник"
        );
        let doc = run(&text);
        assert_eq!(doc.language, "eng");
        assert_eq!(doc.edits.len(), 1, "{:?}", doc.edits);
        assert_eq!(doc.edits[0].rule, "foreign_paragraph:rus");
        assert!(
            doc.body.to_text().contains("Володимир Зеленський"),
            "short name kept"
        );
    }

    #[test]
    fn english_function_words_are_sorted() {
        assert!(ENGLISH_FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
        // english_function_share looks only at ASCII words of 2 to 5 letters.
        assert!(ENGLISH_FUNCTION_WORDS
            .iter()
            .all(|w| w.is_ascii() && (2..=5).contains(&w.len())));
        assert_eq!(english_function_share("The WOULD théâtre Their"), 0.75);
        // A chosen part of the one list of function words, not a list of its own.
        for word in ENGLISH_FUNCTION_WORDS {
            assert!(crate::text::is_function_word(word), "{word}");
        }
    }

    #[test]
    fn keeps_english_paragraphs_whatlang_calls_french() {
        let text = "The delegations met in Istanbul on Tuesday and agreed to continue the talks next week, officials said.\n\n\
            The mayor said the city would host the next round if both sides asked for it, and that hotels had been told to expect visitors.\n\n\
            Our mobile commerce, flexible ticket sales, and data solutions empower sports and entertainment leaders to generate new revenue streams, sell more tickets, and make smarter decisions.\n\n\
            Les deux délégations se sont rencontrées mardi à Istanbul et ont convenu de poursuivre les discussions la semaine prochaine, selon des responsables. Le maire de la ville a salué cette décision devant la presse.";
        let doc = run(text);
        assert_eq!(doc.language, "eng", "{:?}", doc.rejection);
        let rules: Vec<&str> = doc.edits.iter().map(|e| e.rule.as_str()).collect();
        assert_eq!(rules, ["foreign_paragraph:fra"]);
        assert!(doc.body.to_text().contains("Our mobile commerce"));
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
