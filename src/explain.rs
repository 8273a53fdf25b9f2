//! `newsclean explain`: one document's lines as the line model sees them — after the stages
//! that run before it — each with its junk score, whether it is removed, and the features that
//! weighed most towards junk.

use std::io::Write;
use std::path::PathBuf;

use crate::config::Pipeline;
use crate::document::{Body, Cleaned, Document};
use crate::error::{Error, Result};
use crate::input::{self, Record};
use crate::stage::Stage;

/// Finds the first document with `id` in `inputs`.
pub fn find(pipeline: &Pipeline, inputs: &[PathBuf], id: &str) -> Result<Option<Document>> {
    let mut found = None;
    for file in input::discover(inputs)?.files {
        input::read_file(&file, &pipeline.input, &mut |record| {
            if let Record::Doc(doc) = record {
                if found.is_none() && doc.id == id {
                    found = Some(doc);
                }
            }
        })?;
        if found.is_some() {
            break;
        }
    }
    Ok(found)
}

/// Writes the line model's view of `doc`: the stages before `lines` run first; a document they
/// reject is reported as such.
pub fn write(pipeline: &Pipeline, doc: Document, out: &mut impl Write) -> Result<()> {
    let io = |source| Error::Output {
        what: "standard output".into(),
        source,
    };
    let lines = pipeline.stages.iter().find_map(|s| match s {
        Stage::Lines(lines) => Some(lines),
        _ => None,
    });
    let Some(lines) = lines else {
        writeln!(
            out,
            "the lines stage is switched off in {}",
            pipeline.config_name()
        )
        .map_err(io)?;
        return Ok(());
    };
    let mut cleaned = Cleaned::new(doc);
    cleaned.body = Body::parse(&cleaned.doc.text);
    for stage in pipeline
        .stages
        .iter()
        .take_while(|s| !matches!(s, Stage::Lines(_)))
    {
        stage.apply(&mut cleaned);
        if let Some(r) = &cleaned.rejection {
            writeln!(
                out,
                "rejected by {} before the lines stage: {}",
                r.stage, r.reason
            )
            .map_err(io)?;
            return Ok(());
        }
    }
    writeln!(
        out,
        "{}  (score = probability of junk; removed at >= threshold)",
        cleaned.doc.id
    )
    .map_err(io)?;
    for scored in lines.score(&cleaned) {
        let verdict = if scored.removed { "REMOVE" } else { "keep" };
        writeln!(out, "{:.2} {verdict:<6} {}", scored.score, scored.line).map_err(io)?;
        // Lines shown leaning to junk (0.50 or more, as printed) get their reasons too.
        if scored.removed || (scored.score * 100.0).round() >= 50.0 {
            let reasons: Vec<String> = scored
                .reasons
                .iter()
                .map(|r| format!("{} (+{:.2})", r.feature, r.weight))
                .collect();
            let kind = scored
                .kind
                .as_deref()
                .map_or(String::new(), |k| format!("{k}, "));
            writeln!(out, "            {kind}because: {}", reasons.join(", ")).map_err(io)?;
        }
    }
    Ok(())
}
