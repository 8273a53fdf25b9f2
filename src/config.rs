//! `pipeline.toml`: parsed strictly (unknown keys are errors), every key the file leaves out
//! taken from the shipped file (compiled in as [`BUILTIN_CONFIG`], one source of defaults),
//! then compiled once into a [`Pipeline`] of ready-to-run stages. Regexes, word lists and name
//! tables are loaded here, never per document.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::stage::{self, Stage};

/// The default pipeline, compiled in: the same file as `pipeline.toml` at the repository root.
pub const BUILTIN_CONFIG: &str = include_str!("../pipeline.toml");

/// Data files the built-in config refers to, compiled in so the binary works anywhere.
const BUILTIN_DATA: &[(&str, &str)] = &[
    ("data/names.tsv", include_str!("../data/names.tsv")),
    (
        "data/spam_words.txt",
        include_str!("../data/spam_words.txt"),
    ),
    (
        "data/lines_model.tsv",
        include_str!("../data/lines_model.tsv"),
    ),
];

/// `[input]`: how records are read.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    /// Field (JSONL key or CSV column) holding the document id.
    pub id_field: String,
    pub title_field: String,
    pub text_field: String,
    pub url_field: String,
    pub date_field: String,
    /// The publisher (for a `survivor` source priority list).
    pub outlet_field: String,
    /// When a document has no title and its first paragraph is one headline-shaped line,
    /// that line becomes the title.
    pub title_from_first_line: bool,
    /// Records (lines, files) longer than this are rejected unread.
    pub max_record_bytes: usize,
    /// Documents cleaned together between barrier steps.
    pub batch_size: usize,
}

impl Default for InputConfig {
    fn default() -> Self {
        InputConfig {
            id_field: "id".into(),
            title_field: "title".into(),
            text_field: "text".into(),
            url_field: "url".into(),
            date_field: "date".into(),
            outlet_field: "outlet".into(),
            title_from_first_line: true,
            max_record_bytes: 16 << 20,
            batch_size: 4096,
        }
    }
}

/// The whole file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawConfig {
    pub input: InputConfig,
    pub normalize: stage::normalize::Config,
    pub page: stage::page::Config,
    pub language: stage::language::Config,
    pub lines: stage::lines::Config,
    pub boilerplate: stage::boilerplate::Config,
    pub spam: stage::spam::Config,
    pub trailing: stage::trailing::Config,
    pub names: stage::names::Config,
    pub repeats: stage::repeats::Config,
    pub quality: stage::quality::Config,
    pub dedup: stage::dedup::Config,
}

/// Where a config came from, and so where its relative data paths point.
#[derive(Debug, Clone)]
pub enum Origin {
    File(PathBuf),
    Builtin,
}

/// Context for building stages: names the config in errors and loads its data files.
pub struct BuildContext {
    origin: Origin,
}

impl BuildContext {
    /// The config's file name, or `<built-in pipeline.toml>`.
    pub fn config_name(&self) -> String {
        match &self.origin {
            Origin::File(path) => path.display().to_string(),
            Origin::Builtin => "<built-in pipeline.toml>".into(),
        }
    }

    /// An error naming `key` in this config.
    pub fn value_error(&self, key: &str, message: impl std::fmt::Display) -> Error {
        Error::ConfigValue {
            path: self.config_name(),
            key: key.into(),
            message: message.to_string(),
        }
    }

    /// Reads a data file: relative paths are relative to the config file's folder; the
    /// built-in config reads its compiled-in copies, and so does a config file naming a
    /// built-in data file (`data/names.tsv`, ...) that is not beside it.
    pub fn read_data(&self, key: &str, path: &str) -> Result<String> {
        let builtin = || BUILTIN_DATA.iter().find(|(name, _)| *name == path);
        match &self.origin {
            Origin::Builtin => builtin()
                .map(|(_, text)| text.to_string())
                .ok_or_else(|| self.value_error(key, format!("no built-in data file {path:?}"))),
            Origin::File(config) => {
                let dir = config.parent().unwrap_or(Path::new("."));
                let full = dir.join(path);
                match (std::fs::read_to_string(&full), builtin()) {
                    (Ok(text), _) => Ok(text),
                    (Err(e), _) if e.kind() != std::io::ErrorKind::NotFound => {
                        Err(self.value_error(key, format!("cannot read {}: {e}", full.display())))
                    }
                    (Err(_), Some((_, text))) => Ok(text.to_string()),
                    (Err(e), None) => {
                        Err(self.value_error(key, format!("cannot read {}: {e}", full.display())))
                    }
                }
            }
        }
    }
}

/// A compiled pipeline: input settings, the per-document stages in order, and dedup.
pub struct Pipeline {
    pub origin: Origin,
    /// Keys (`section.key`, or `[section]` for a whole one) the config file left out and the
    /// shipped defaults filled in.
    pub defaulted: Vec<String>,
    pub input: InputConfig,
    pub stages: Vec<Stage>,
    pub dedup: Option<stage::dedup::Dedup>,
}

impl Pipeline {
    /// Loads `path`, or `./pipeline.toml` when present, or the built-in default.
    pub fn load(path: Option<&Path>) -> Result<Pipeline> {
        match path {
            Some(path) => Pipeline::from_file(path),
            None if Path::new("pipeline.toml").is_file() => {
                Pipeline::from_file(Path::new("pipeline.toml"))
            }
            None => Pipeline::from_str(BUILTIN_CONFIG, Origin::Builtin),
        }
    }

    pub fn from_file(path: &Path) -> Result<Pipeline> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::ConfigRead {
            path: path.to_path_buf(),
            source,
        })?;
        Pipeline::from_str(&text, Origin::File(path.to_path_buf()))
    }

    pub fn from_str(text: &str, origin: Origin) -> Result<Pipeline> {
        let ctx = BuildContext { origin };
        let parse_error = |e: &dyn std::fmt::Display| Error::ConfigParse {
            path: ctx.config_name(),
            message: e.to_string(),
        };
        // The file as written first, so a typo or a wrong type is reported with its line.
        toml::from_str::<RawConfig>(text).map_err(|e| parse_error(&e))?;
        let written: toml::Table = toml::from_str(text).map_err(|e| parse_error(&e))?;
        let mut merged: toml::Table =
            toml::from_str(BUILTIN_CONFIG).expect("the shipped config parses");
        let mut defaulted = Vec::new();
        merge(&mut merged, written, "", &mut defaulted);
        let raw =
            RawConfig::deserialize(toml::Value::Table(merged)).map_err(|e| parse_error(&e))?;
        let mut pipeline = Pipeline::build(raw, ctx)?;
        pipeline.defaulted = defaulted;
        Ok(pipeline)
    }

    fn build(raw: RawConfig, ctx: BuildContext) -> Result<Pipeline> {
        if raw.input.batch_size == 0 {
            return Err(ctx.value_error("input.batch_size", "must be at least 1"));
        }
        if raw.input.max_record_bytes == 0 {
            return Err(ctx.value_error("input.max_record_bytes", "must be at least 1"));
        }
        // Without the language stage no document has a language, so a language filter on
        // names would silently switch names off.
        if raw.names.enabled && !raw.language.enabled && !raw.names.languages.is_empty() {
            let message =
                "needs the language stage; set `languages = []` to rewrite every document";
            return Err(ctx.value_error("names.languages", message));
        }
        let mut stages = Vec::new();
        if raw.normalize.enabled {
            stages.push(Stage::Normalize(stage::normalize::Normalize::build(
                &raw.normalize,
            )));
        }
        // Built first: the page stage consults its model.
        let lines = match raw.lines.enabled {
            true => Some(stage::lines::Lines::build(&raw.lines, &ctx)?),
            false => None,
        };
        if raw.page.enabled {
            let model = lines.as_ref().map(|l| l.model().clone());
            stages.push(Stage::Page(stage::page::Page::build(
                &raw.page, &ctx, model,
            )?));
        }
        if raw.language.enabled {
            stages.push(Stage::Language(stage::language::Language::build(
                &raw.language,
                &ctx,
            )?));
        }
        if let Some(lines) = lines {
            stages.push(Stage::Lines(lines));
        }
        if raw.spam.enabled {
            stages.push(Stage::Spam(stage::spam::Spam::build(&raw.spam, &ctx)?));
        }
        if raw.boilerplate.enabled {
            let built = stage::boilerplate::Boilerplate::build(&raw.boilerplate, &ctx)?;
            stages.push(Stage::Boilerplate(built));
        }
        if raw.trailing.enabled {
            stages.push(Stage::Trailing(stage::trailing::Trailing::build(
                &raw.trailing,
                &ctx,
            )?));
        }
        if raw.names.enabled {
            stages.push(Stage::Names(stage::names::Names::build(&raw.names, &ctx)?));
        }
        if raw.repeats.enabled {
            stages.push(Stage::Repeats(stage::repeats::Repeats::build(
                &raw.repeats,
                &ctx,
            )?));
        }
        if raw.quality.enabled {
            stages.push(Stage::Quality(stage::quality::Quality::build(
                &raw.quality,
                &ctx,
            )?));
        }
        let dedup = match raw.dedup.enabled {
            true => Some(stage::dedup::Dedup::build(&raw.dedup, &ctx)?),
            false => None,
        };
        Ok(Pipeline {
            origin: ctx.origin,
            defaulted: Vec::new(),
            input: raw.input,
            stages,
            dedup,
        })
    }

    /// The config's file name, or `<built-in pipeline.toml>`, for messages.
    pub fn config_name(&self) -> String {
        BuildContext {
            origin: self.origin.clone(),
        }
        .config_name()
    }

    /// The names stage, when it is switched on.
    pub fn names(&self) -> Option<&stage::names::Names> {
        self.stages.iter().find_map(|s| match s {
            Stage::Names(names) => Some(names),
            _ => None,
        })
    }

    /// One line per stage, for `newsclean check`.
    pub fn describe(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .stages
            .iter()
            .map(|s| format!("{:<12} {}", s.name(), s.describe()))
            .collect();
        if let Some(dedup) = &self.dedup {
            lines.push(format!("{:<12} {}", "dedup", dedup.describe()));
        }
        lines
    }
}

/// Lays `written` over `defaults`: a table the file has is merged key by key, any other value
/// (arrays such as `[[boilerplate.rules]]` included) replaces the default whole. What only
/// the defaults have is listed in `defaulted`.
fn merge(
    defaults: &mut toml::Table,
    written: toml::Table,
    prefix: &str,
    defaulted: &mut Vec<String>,
) {
    for (key, value) in defaults.iter() {
        if !written.contains_key(key) {
            defaulted.push(match value.is_table() {
                true => format!("[{prefix}{key}]"),
                false => format!("{prefix}{key}"),
            });
        }
    }
    for (key, value) in written {
        match (defaults.get_mut(&key), value) {
            (Some(toml::Value::Table(default)), toml::Value::Table(table)) => {
                merge(default, table, &format!("{prefix}{key}."), defaulted);
            }
            (_, value) => {
                defaults.insert(key, value);
            }
        }
    }
}

/// A build context for unit tests: the built-in origin.
#[cfg(test)]
pub(crate) fn test_context() -> BuildContext {
    BuildContext {
        origin: Origin::Builtin,
    }
}
