//! newsclean turns raw scraped news dumps into clean, deduplicated CSV.
//!
//! The pipeline reads documents ([`input`]), cleans each one through the per-document stages in
//! [`stage`] in parallel, runs the global dedup step as a barrier, and writes clean, rejected and
//! edit records ([`output`]). [`pipeline::run`] wires it together; [`config`] turns
//! `pipeline.toml` into compiled stages.

pub mod config;
pub mod document;
pub mod error;
pub mod explain;
pub mod input;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod spill;
pub mod stage;
pub mod text;

pub use error::{Error, Result};
