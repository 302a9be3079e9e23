//! `piiscan scan`: flags to a `ScanConfig`, the reporter as the sink, the
//! summary and coverage, and the exit code.

use std::fs::File;
use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result};

use piiscan::config::ScanConfig;
use piiscan::input::walk::WalkConfig;
use piiscan::output;

use super::args::{Color, ScanArgs};
use super::rules::load_rules;
use super::Exit;

fn scan_config(args: &ScanArgs) -> ScanConfig {
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let key = std::env::var("PIISCAN_FINGERPRINT_KEY")
        .ok()
        .filter(|k| !k.is_empty());
    ScanConfig {
        paths: args.paths.clone(),
        walk: WalkConfig {
            include: args.include.clone(),
            exclude: args.exclude.clone(),
            follow: args.follow,
            respect_ignore: args.gitignore,
        },
        threads: args.threads,
        min_confidence: args.min_confidence.into(),
        fail_on: args.fail_on.severity(),
        mask: args.card_reveal.into(),
        fingerprint_key: key.map_or_else(
            || piiscan::finding::Fingerprinter::DEFAULT_KEY.to_vec(),
            String::into_bytes,
        ),
        format: args.format.into(),
        progress: !args.no_progress && !args.quiet && io::stderr().is_terminal(),
        color,
        limits: args.limits.limits(),
        column_stats: args.coverage.is_some(),
        ..ScanConfig::default()
    }
}

pub(crate) fn scan(args: ScanArgs) -> Result<Exit> {
    let rules = load_rules(&args.rules)?;
    let config = scan_config(&args);
    let out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(File::create(path).with_context(|| {
            format!(
                "cannot create {}",
                output::sanitize(&path.display().to_string())
            )
        })?),
        None => Box::new(io::stdout().lock()),
    };
    let mut reporter = output::reporter(config.format, out, config.color);
    let quiet = args.quiet;
    let mut warn = |msg: &str| {
        if !quiet {
            let _ = writeln!(io::stderr(), "piiscan: warning: {msg}");
        }
    };
    let outcome = piiscan::scan::run(&config, &rules, reporter.as_mut(), &mut warn)?;
    drop(reporter);
    if !quiet && !outcome.closed_pipe {
        let _ = write!(io::stderr(), "{}", outcome.summary);
    }
    if let Some(path) = &args.coverage {
        let write = || -> io::Result<()> {
            let mut file = io::BufWriter::new(File::create(path)?);
            serde_json::to_writer_pretty(&mut file, &outcome.summary.coverage())?;
            writeln!(file)?;
            file.flush()
        };
        write().with_context(|| {
            format!(
                "cannot write {}",
                output::sanitize(&path.display().to_string())
            )
        })?;
    }
    Ok(if outcome.closed_pipe {
        Exit::Clean
    } else if args.fail_on_incomplete && outcome.summary.incomplete() > 0 {
        Exit::Incomplete
    } else if config
        .fail_on
        .is_some_and(|level| outcome.worst.is_some_and(|w| w >= level))
    {
        Exit::Findings
    } else {
        Exit::Clean
    })
}
