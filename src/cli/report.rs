//! `piiscan report`: a scan whose sink is the report's [`Tally`], or saved
//! scan output read back into one; the report built from it, written whole
//! or not at all ([`Pending`]).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use piiscan::config::ScanConfig;
use piiscan::key::Key;
use piiscan::output::sanitize;
use piiscan::report::{render, Options, Report, Tally};

use super::args::{ReportArgs, ReportFormat};
use super::pending::{same_target, Pending};
use super::rules::load_rules;
use super::stop::Stop;
use super::Exit;

pub(crate) fn report(args: ReportArgs) -> Result<Exit> {
    let options = Options {
        retention_days: args.retention,
        now: now(),
    };
    let output = args
        .output
        .as_deref()
        .filter(|p| p.as_os_str() != "-")
        .map(Pending::create)
        .transpose()?;
    if let Some(pending) = &output {
        pending.refuse_replacing_an_input(&roots(&args))?;
        let target = args.output.as_deref().unwrap_or(Path::new("-"));
        if args.from.iter().any(|file| same_target(file, target)) {
            bail!(
                "{}: is both a --from file and the output; write the report elsewhere",
                sanitize(&target.to_string_lossy())
            );
        }
    }
    let mut tally = Tally::default();
    let exit = if args.from.is_empty() {
        match scan(&args, &mut tally, output.as_ref())? {
            Ok(exit) => exit,
            Err(signal) => return Ok(signal),
        }
    } else {
        if !args.paths.is_empty() {
            bail!("--from builds the report from saved output: give no PATH with it");
        }
        let r = &args.rules;
        if !(r.rules.is_empty()
            && r.only.is_empty()
            && r.disable.is_empty()
            && r.country.is_empty())
        {
            bail!("--from reads findings already made: --rules, --only, --disable and --country choose what a scan finds, so give them to the scan");
        }
        let mut findings_read = false;
        for (i, file) in args.from.iter().enumerate() {
            if args.from[..i].iter().any(|other| same_target(other, file)) {
                bail!(
                    "--from {} is given twice: its findings would count twice",
                    sanitize(&file.to_string_lossy())
                );
            }
            findings_read |= read_saved(file, &mut tally)?;
        }
        if !findings_read {
            bail!("--from names no findings file: add the scan's `--format ndjson` output (an empty file if it found nothing)");
        }
        if args.retention.is_some() && !tally.covered {
            warn(&args, "--retention: file ages are not known without the scan's --coverage file among --from; no retention finding is made");
        }
        Exit::Clean
    };
    let report = Report::build(&tally, &options);
    let write = |out: &mut dyn Write| -> io::Result<()> {
        match args.format {
            ReportFormat::Text => render::text(&report, out),
            ReportFormat::Json => render::json(&report, out),
            ReportFormat::Csv => render::csv(&report, out),
            ReportFormat::Html => piiscan::report::html::html(&report, out),
        }?;
        out.flush()
    };
    match output {
        Some(pending) => {
            let mut file = io::BufWriter::new(pending.writer()?);
            write(&mut file).with_context(|| format!("cannot write {}", pending.shown()))?;
            drop(file);
            pending.commit()?;
        }
        None => {
            let written = super::write_stdout(|| write(&mut io::stdout().lock()))?;
            if written != Exit::Clean {
                return Ok(written);
            }
        }
    }
    Ok(exit)
}

/// Scans the paths into `tally`; `Err` holds the exit of a run stopped by
/// a signal.
fn scan(
    args: &ReportArgs,
    tally: &mut Tally,
    output: Option<&Pending>,
) -> Result<std::result::Result<Exit, Exit>> {
    let settings = super::settings::load(&args.settings)?;
    let rules = load_rules(&args.rules, settings.as_ref())?;
    let mut walk = args.walk.clone();
    let glob_paths = super::settings::merge_walk(&mut walk, settings.as_ref());
    let mut config = ScanConfig {
        paths: roots(args),
        walk: walk.config(),
        threads: args.walk.threads,
        min_confidence: args.min_confidence.into(),
        fail_on: None,
        mask: args.card_reveal.into(),
        progress: super::progress(args.no_progress, args.quiet),
        limits: args.limits.limits(),
        column_stats: true,
        ..ScanConfig::default()
    };
    config.walk.glob_paths = glob_paths;
    let key = Key::resolve(args.key_file.as_deref())?;
    config.fingerprint_key = key.bytes.clone();
    super::leave_out_key(&mut config, &key, args.key_file.as_deref());
    let stop = Stop::install(&config.stop)?;
    if let Some(pending) = output {
        stop.guard(pending.temp_path(), pending.when_stopped());
        config.walk.outputs = pending.target_id().into_iter().collect();
        config.walk.temporary.extend(pending.temp_id());
    }
    let quiet = args.quiet;
    let mut warn = |msg: &str| {
        if !quiet {
            let _ = writeln!(io::stderr(), "piiscan: warning: {msg}");
        }
    };
    let outcome = piiscan::scan::run(&config, &rules, tally, &mut warn)?;
    for err in &outcome.failed {
        let _ = writeln!(io::stderr(), "piiscan: {err}");
    }
    if let Some((message, code)) = stop.over() {
        let _ = writeln!(io::stderr(), "{message}");
        return Ok(Err(Exit::Signal(code)));
    }
    Ok(Ok(if !outcome.failed.is_empty() {
        Exit::Error
    } else if args.fail_on_incomplete && outcome.summary.incomplete() > 0 {
        Exit::Incomplete
    } else {
        Exit::Clean
    }))
}

/// The paths scanned: those given, `.` when none (and none with `--from`).
fn roots(args: &ReportArgs) -> Vec<PathBuf> {
    match (args.paths.is_empty(), args.from.is_empty()) {
        (true, true) => vec![PathBuf::from(".")],
        _ => args.paths.clone(),
    }
}

/// Reads one saved file into `tally`: a `--coverage` file (one JSON
/// object over several lines, with `complete`), else NDJSON findings;
/// `-` is standard input. True for findings.
fn read_saved(path: &Path, tally: &mut Tally) -> Result<bool> {
    let shown = sanitize(&path.to_string_lossy());
    let reader: Box<dyn Read> = match path.as_os_str() == "-" {
        true => Box::new(io::stdin().lock()),
        false => Box::new(File::open(path).with_context(|| format!("cannot read {shown}"))?),
    };
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .with_context(|| format!("cannot read {shown}"))?;
    if is_coverage(&first) {
        let mut text = first;
        reader
            .read_to_string(&mut text)
            .with_context(|| format!("cannot read {shown}"))?;
        tally.read_coverage(&text, &shown)?;
        Ok(false)
    } else {
        tally.read_ndjson(io::Cursor::new(first).chain(reader), &shown)?;
        Ok(true)
    }
}

fn warn(args: &ReportArgs, message: &str) {
    if !args.quiet {
        let _ = writeln!(io::stderr(), "piiscan: warning: {message}");
    }
}

/// The first line of a coverage file: its opening brace alone (as `scan
/// --coverage` writes it), or the whole object on one line.
fn is_coverage(first: &str) -> bool {
    let line = first.trim();
    line == "{" || line.starts_with("{\"complete\"")
}

/// Now, in Unix seconds; `SOURCE_DATE_EPOCH` fixes it (reproducible
/// reports, tests).
fn now() -> u64 {
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return epoch;
    }
    piiscan::clock::now()
}
