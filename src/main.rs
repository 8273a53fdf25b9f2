//! The `newsclean` binary: parses the command line, loads the config, runs the library.

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{Cli, Command, LinesCommand, NamesCommand, RunArgs, StepArgs, StepsCommand};
use newsclean::config::Pipeline;
use newsclean::pipeline::{self, RunOptions};

/// Cleaning allocates many small strings on every thread at once; mimalloc's per-thread heaps
/// avoid the lock contention of the system allocator (measured: see CHANGELOG).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => match run(args) {
            // Finished, but some input files could not be read to the end.
            Ok(false) => return ExitCode::from(1),
            other => other.map(drop),
        },
        Command::Check { config } => check(config),
        Command::Steps(command) => match steps(command) {
            Ok(false) => return ExitCode::from(1),
            other => other.map(drop),
        },
        Command::Explain { id, inputs, config } => explain(id, inputs, config),
        Command::Lines(command) => lines(command),
        Command::Names(NamesCommand::Suggest {
            inputs,
            config,
            top,
        }) => suggest(inputs, config, top),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if matches!(e.downcast_ref(), Some(newsclean::Error::NoInput { .. })) => {
            eprintln!("newsclean: warning: {e:#}");
            ExitCode::from(3)
        }
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
    if !pipeline.defaulted.is_empty() {
        println!(
            "from the shipped defaults (the file leaves them out): {}",
            pipeline.defaulted.join(", ")
        );
    }
    Ok(())
}

fn explain(
    id: String,
    inputs: Vec<std::path::PathBuf>,
    config: Option<std::path::PathBuf>,
) -> anyhow::Result<()> {
    let pipeline = Pipeline::load(config.as_deref())?;
    let doc = newsclean::explain::find(&pipeline, &inputs, &id)?
        .ok_or_else(|| anyhow::anyhow!("no document with id {id:?} in the inputs"))?;
    newsclean::explain::write(&pipeline, doc, &mut std::io::stdout().lock())?;
    Ok(())
}

fn lines(command: LinesCommand) -> anyhow::Result<()> {
    use newsclean::stage::lines::corpus::{self, Output};
    let (file, config) = match &command {
        LinesCommand::Features { file } | LinesCommand::Measures { file } => (file.clone(), None),
        LinesCommand::Score { file, config } | LinesCommand::Kind { file, config } => {
            (file.clone(), Some(config.clone()))
        }
    };
    // Scores and kinds need the model of the config's lines stage.
    let pipeline = config.map(|c| Pipeline::load(c.as_deref())).transpose()?;
    let model = match &pipeline {
        None => None,
        Some(p) => Some(
            p.stages
                .iter()
                .find_map(|s| match s {
                    newsclean::stage::Stage::Lines(l) => Some(l.model()),
                    _ => None,
                })
                .ok_or_else(|| anyhow::anyhow!("the lines stage is off in {}", p.config_name()))?,
        ),
    };
    let output = match (&command, model) {
        (LinesCommand::Features { .. }, _) => Output::Features,
        (LinesCommand::Measures { .. }, _) => Output::Measures,
        (LinesCommand::Score { .. }, Some(model)) => Output::Scores(model),
        (LinesCommand::Kind { .. }, Some(model)) => Output::Kinds(model),
        _ => unreachable!("score and kind load a model"),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = match &file {
        Some(path) => {
            let f = std::fs::File::open(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            corpus::write(std::io::BufReader::new(f), &mut out, output)
        }
        None => corpus::write(std::io::stdin().lock(), &mut out, output),
    };
    match result.and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.with_context(|| "newsclean lines".to_string()),
    }
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

/// Runs one step of a split run; false when `merge` finished but some input files could not
/// be read (the exit status `run` gives).
fn steps(command: StepsCommand) -> anyhow::Result<bool> {
    use newsclean::pipeline::steps::{self, MergeOutputs, StepOptions};
    let options = |args: &StepArgs| StepOptions {
        threads: args.threads.map(usize::from),
        progress: !args.quiet && std::io::stderr().is_terminal(),
        warnings: !args.quiet,
    };
    match command {
        StepsCommand::Plan {
            inputs,
            config,
            shards,
            dir,
        } => {
            let plan = steps::plan(
                &inputs,
                config.as_deref(),
                shards as usize,
                &dir,
                newsclean::input::Format::Jsonl,
            )?;
            let sizes: Vec<String> = plan.shards.iter().map(|r| r.len().to_string()).collect();
            eprintln!(
                "newsclean steps plan: {} files, as {} pieces, in {} shards (pieces per shard: {}); wrote {}",
                plan.files,
                plan.pieces.len(),
                plan.shards.len(),
                sizes.join(" "),
                dir.join("plan.json").display()
            );
        }
        StepsCommand::Clean { shard, step } => steps::clean(&step.dir, shard, &options(&step))?,
        StepsCommand::Cluster { step } => steps::cluster(&step.dir, &options(&step))?,
        StepsCommand::Write { shard, step } => steps::write(&step.dir, shard, &options(&step))?,
        StepsCommand::Merge {
            dir,
            output,
            rejects,
            edits,
            clusters,
            report,
            quiet,
        } => {
            let outputs = MergeOutputs {
                output,
                rejects,
                edits,
                clusters,
            };
            let merged = steps::merge(&dir, &outputs, report.as_deref())?;
            if let Some(path) = &report {
                let json = serde_json::to_string_pretty(&merged)? + "\n";
                newsclean::output::write_atomic(path, json.as_bytes())
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            if !quiet {
                eprint!("{}", merged.summary());
            }
            return Ok(merged.unreadable_files.is_empty());
        }
    }
    Ok(true)
}

/// Runs the pipeline; false when it finished but some input files could not be read.
fn run(args: RunArgs) -> anyhow::Result<bool> {
    let pipeline = Pipeline::load(args.config.as_deref())?;
    let options = RunOptions {
        inputs: args.inputs,
        stdin_format: args.stdin_format.into(),
        output: args.output,
        rejects: args.rejects,
        edits: args.edits,
        clusters: args.clusters,
        report: args.report.clone(),
        threads: args.threads.map(usize::from),
        progress: !args.quiet && std::io::stderr().is_terminal(),
        warnings: !args.quiet,
    };
    let report = pipeline::run(&pipeline, &options)?;
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&report)? + "\n";
        newsclean::output::write_atomic(path, json.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if !args.quiet {
        eprint!("{}", report.summary());
        let written: Vec<String> = options
            .outputs()
            .iter()
            .map(|(what, path)| format!("{what} {}", path.display()))
            .collect();
        if !written.is_empty() {
            eprintln!("  wrote: {}", written.join(", "));
        }
    }
    Ok(report.unreadable_files.is_empty())
}
