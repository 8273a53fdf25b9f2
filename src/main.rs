//! The `newsclean` binary: parses the command line, loads the config, runs the library.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{Cli, Command, NamesCommand, RunArgs};
use newsclean::config::Pipeline;
use newsclean::pipeline::{self, RunOptions};

/// Cleaning allocates many small strings on every thread at once; mimalloc's per-thread heaps
/// avoid the lock contention of the system allocator (measured: see CHANGELOG).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::Check { config } => check(config),
        Command::Names(NamesCommand::Suggest {
            inputs,
            config,
            top,
        }) => suggest(inputs, config, top),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsclean: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<newsclean::Error>()
        .is_some_and(newsclean::Error::is_broken_pipe)
}

fn check(config: Option<std::path::PathBuf>) -> anyhow::Result<()> {
    let pipeline = Pipeline::load(config.as_deref())?;
    println!("config: {}", pipeline.config_name());
    for line in pipeline.describe() {
        println!("  {line}");
    }
    Ok(())
}

fn suggest(
    inputs: Vec<std::path::PathBuf>,
    config: Option<std::path::PathBuf>,
    top: usize,
) -> anyhow::Result<()> {
    let pipeline = Pipeline::load(config.as_deref())?;
    let suggestions = newsclean::stage::names::suggest::scan(&pipeline, &inputs)?;
    let mut out = std::io::stdout().lock();
    for s in suggestions.iter().take(top) {
        if let Err(e) = writeln!(out, "{}", s.to_row()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(e.into());
        }
    }
    Ok(())
}

fn run(args: RunArgs) -> anyhow::Result<()> {
    let pipeline = Pipeline::load(args.config.as_deref())?;
    let options = RunOptions {
        inputs: args.inputs,
        output: args.output,
        rejects: args.rejects,
        edits: args.edits,
        clusters: args.clusters,
        threads: args.threads.map(usize::from),
        progress: !args.quiet && std::io::stderr().is_terminal(),
        warnings: !args.quiet,
    };
    let report = pipeline::run(&pipeline, &options)?;
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&report)?;
        newsclean::output::create_file(path)
            .and_then(|mut file| writeln!(file, "{json}"))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if !args.quiet {
        eprint!("{}", report.summary());
        if let Some(path) = &options.output {
            eprintln!("  clean CSV: {}", path.display());
        }
    }
    Ok(())
}
