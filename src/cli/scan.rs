//! `piiscan scan`: flags to a `ScanConfig`, the reporter as the sink, the
//! summary and coverage, and the exit code. Outputs are written whole or
//! not at all ([`Pending`]); a run that could not read a path it was given
//! exits 2 after scanning the others, as ripgrep does.

use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result};

use piiscan::config::ScanConfig;
use piiscan::key::Key;
use piiscan::output::{self, TextStyle};
use piiscan::scan::progress::Bar;
use piiscan::scan::Outcome;

use piiscan::finding::{Confidence, Severity};
use piiscan::gate::baseline::Entry;
use piiscan::gate::{Gate, Tally};
use piiscan::settings::Settings;

use super::args::{Color, ScanArgs};
use super::gate;
use super::pending::{same_target, Pending};
use super::rules::load_rules;
use super::stop::Stop;
use super::Exit;

/// Where the findings go: standard output or a pending file.
fn is_stdout(path: Option<&std::path::PathBuf>) -> bool {
    path.is_none_or(|p| p.as_os_str() == "-")
}

fn scan_config(args: &ScanArgs, settings: Option<&Settings>) -> ScanConfig {
    let to_terminal = is_stdout(args.output.as_ref()) && io::stdout().is_terminal();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    ScanConfig {
        paths: args.paths.clone(),
        walk: args.walk.config(),
        threads: args.walk.threads,
        min_confidence: match (args.min_confidence, settings.and_then(|s| s.min_confidence)) {
            (Some(flag), _) => flag.into(),
            (None, Some(file)) => file,
            (None, None) => Confidence::Medium,
        },
        fail_on: match (args.fail_on, settings.and_then(|s| s.fail_on)) {
            (Some(flag), _) => flag.severity(),
            (None, Some(file)) => file,
            (None, None) => Some(Severity::Low),
        },
        mask: args.card_reveal.into(),
        format: args.format.into(),
        progress: super::progress(args.no_progress, args.quiet),
        text: TextStyle {
            color,
            rule_ids: args.verbose,
        },
        limits: args.limits.limits(),
        column_stats: args.coverage.is_some(),
        allow_markers: true,
        ..ScanConfig::default()
    }
}

/// The files this run writes, started before the walk so that it leaves
/// them out.
struct Outputs {
    findings: Option<Pending>,
    coverage: Option<Pending>,
    baseline: Option<Pending>,
}

impl Outputs {
    fn create(args: &ScanArgs) -> Result<Outputs> {
        let findings = args.output.as_ref().filter(|p| !is_stdout(Some(p)));
        if args
            .write_baseline
            .as_ref()
            .is_some_and(|p| p.as_os_str() == "-")
        {
            anyhow::bail!("--write-baseline writes a file for review and commits: name one (e.g. piiscan.baseline.json)");
        }
        let named = [
            ("-o", findings),
            ("--coverage", args.coverage.as_ref()),
            ("--write-baseline", args.write_baseline.as_ref()),
        ];
        for (i, (a, path_a)) in named.iter().enumerate() {
            for (b, path_b) in &named[i + 1..] {
                if let (Some(x), Some(y)) = (path_a, path_b) {
                    if same_target(x, y) {
                        anyhow::bail!("{a} and {b} name the same file");
                    }
                }
            }
        }
        Ok(Outputs {
            findings: findings.map(|p| Pending::create(p)).transpose()?,
            coverage: args.coverage.as_deref().map(Pending::create).transpose()?,
            baseline: args
                .write_baseline
                .as_deref()
                .map(Pending::create)
                .transpose()?,
        })
    }

    fn pending(&self) -> impl Iterator<Item = &Pending> {
        [&self.findings, &self.coverage, &self.baseline]
            .into_iter()
            .flatten()
    }
}

pub(crate) fn scan(mut args: ScanArgs) -> Result<Exit> {
    let settings = super::settings::load(&args.settings)?;
    let settings = settings.as_ref();
    args.fail_on_incomplete |= settings.is_some_and(|s| s.fail_on_incomplete);
    // Globs typed for this run narrow it to a part of the tree (the
    // settings file's describe the tree itself).
    let walk = &args.walk;
    let narrowed = !(walk.globs.is_empty() && walk.include.is_empty() && walk.exclude.is_empty());
    let glob_paths = super::settings::merge_walk(&mut args.walk, settings);
    let rules = load_rules(&args.rules, settings)?;
    let key = Key::resolve(args.key_file.as_deref())?;
    let quiet = args.quiet;
    let mut say = |msg: &str| {
        if !quiet {
            let _ = writeln!(io::stderr(), "piiscan: warning: {msg}");
        }
    };
    let changed = gate::select_changed(&mut args)?;
    let git_mode = changed.is_some();
    let mut config = scan_config(&args, settings);
    config.walk.filter_named = changed.is_some();
    config.walk.glob_paths = glob_paths;
    let mut policy = gate::policy(
        &args,
        settings,
        &key,
        changed,
        &mut config,
        &rules,
        &mut say,
    )?;
    policy.whole = !narrowed && policy.paths.whole_tree(&config.paths);
    let rewritten = gate::rewritten(&args, &key)?;
    config.fingerprint_key = key.bytes.clone();
    super::leave_out_key(&mut config, &key, args.key_file.as_deref());
    // Before any temporary file exists: a signal must find its handler.
    let stop = Stop::install(&config.stop)?;
    let outputs = Outputs::create(&args)?;
    for pending in outputs.pending() {
        pending.refuse_replacing_an_input(&args.paths)?;
    }
    for pending in outputs.pending() {
        stop.guard(pending.temp_path(), pending.when_stopped());
    }
    config.walk.outputs = outputs.pending().filter_map(Pending::target_id).collect();
    // Added to the key's file and the baseline read, left out above.
    let temporary = outputs.pending().filter_map(Pending::temp_id);
    config.walk.temporary.extend(temporary);
    let bar = config.progress.clone();
    let write_out = |out: &mut dyn FnMut() -> io::Result<()>| match &bar {
        Some(bar) => bar.suspend(out),
        None => out(),
    };
    let out: Box<dyn Write> = match &outputs.findings {
        Some(pending) => Box::new(pending.writer().context("cannot write the output")?),
        None => Box::new(Terminal {
            out: io::stdout().lock(),
            bar: bar.clone(),
        }),
    };
    let cx = output::Context {
        text: config.text,
        rules: &rules,
        baseline: policy.baseline.is_some(),
        fail_on: config.fail_on,
        paths: &policy.paths,
    };
    let mut gate = Gate::new(output::reporter(config.format, out, &cx), policy);
    let stopping = config.stop.clone();
    let mut warn = |msg: &str| {
        // Once stopped, inputs cut short by the stop are no news.
        if !quiet && !stopping.load(std::sync::atomic::Ordering::Relaxed) {
            let _ = write_out(&mut || writeln!(io::stderr(), "piiscan: warning: {msg}"));
        }
    };
    let outcome = if config.paths.is_empty() {
        nothing_changed(&mut gate)?
    } else {
        piiscan::scan::run(&config, &rules, &mut gate, &mut warn)?
    };
    for err in &outcome.failed {
        let _ = writeln!(io::stderr(), "piiscan: {err}");
    }
    if let Some((message, code)) = stop.over() {
        let _ = writeln!(io::stderr(), "{message}");
        return Ok(Exit::Signal(code));
    }
    report(&args, &outcome, &key);
    if !args.quiet && !outcome.closed_pipe {
        let gating = settings.is_some() || gate.baseline().is_some() || gate.changed().is_some();
        let err = &mut io::stderr().lock();
        gate::say(err, &gate, &args, config.fail_on, gating);
    }
    let kept = gate::kept(rewritten.as_ref(), &gate);
    // Entries kept from the old file were found at its confidence.
    let written_at = match rewritten.as_ref().filter(|_| !kept.is_empty()) {
        Some(old) => old.min_confidence.min(config.min_confidence),
        None => config.min_confidence,
    };
    let written = gate.recorded().len()
        + (kept.iter())
            .filter(|e| !gate.recorded().contains(*e))
            .count();
    let user_key = matches!(key.source, piiscan::key::Source::User(_));
    finish(outputs, &outcome, &gate, (kept, written_at), &key)?;
    if let Some(path) = args.write_baseline.as_ref().filter(|_| !args.quiet) {
        let shown = piiscan::output::sanitize(&path.to_string_lossy());
        let _ = writeln!(
            io::stderr(),
            "baseline written: {shown} ({written} entries)"
        );
        if user_key {
            let _ = writeln!(
                io::stderr(),
                "  it is keyed with your own user key: a CI job or a colleague checking it needs \
                 the same key (share one with PIISCAN_FINGERPRINT_KEY or --key-file)"
            );
        }
    }
    if !git_mode && outcome.summary.files == 0 && includes(&args) && outcome.failed.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "piiscan: the include globs let in no file, so nothing was scanned: check them \
             (--include, -g, or `include` in the settings file)"
        );
        return Ok(Exit::Error);
    }
    Ok(exit_code(&args, &config, &outcome, &gate.tally))
}

/// True when path globs include (so that a scan of nothing is a typo).
fn includes(args: &ScanArgs) -> bool {
    !args.walk.include.is_empty() || args.walk.globs.iter().any(|g| !g.starts_with('!'))
}

/// A git change with no file to scan: an empty output, finished as a
/// scan would finish it.
fn nothing_changed(gate: &mut Gate<'_>) -> Result<Outcome> {
    use piiscan::sink::Sink;
    let summary = piiscan::summary::Summary::default();
    gate.finish(&summary).context("cannot write the output")?;
    Ok(Outcome {
        summary,
        worst: None,
        closed_pipe: false,
        stopped: false,
        failed: Vec::new(),
    })
}

/// The summary on stderr; under `-q`, only a count of what could not be
/// examined.
fn report(args: &ScanArgs, outcome: &Outcome, key: &Key) {
    if outcome.closed_pipe {
        return;
    }
    let mut err = io::stderr().lock();
    if !args.quiet {
        let _ = write!(err, "{}", outcome.summary);
        if outcome.summary.findings > 0 {
            let _ = writeln!(err, "fingerprints keyed with {}", key.describe());
        }
    } else if outcome.summary.incomplete() > 0 {
        let n = outcome.summary.incomplete();
        let _ = writeln!(
            err,
            "piiscan: {n} input{} could not be examined (--coverage FILE lists {})",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" },
        );
    }
}

/// Writes the coverage file and the baseline, and moves every output
/// into place.
fn finish(
    outputs: Outputs,
    outcome: &Outcome,
    gate: &Gate<'_>,
    (kept, written_at): (Vec<Entry>, Confidence),
    key: &Key,
) -> Result<()> {
    if let Some(baseline) = &outputs.baseline {
        let write = || -> io::Result<()> {
            let mut file = io::BufWriter::new(baseline.writer()?);
            gate::write_baseline(&mut file, gate, kept, key, written_at)?;
            file.flush()
        };
        write().with_context(|| format!("cannot write {}", baseline.shown()))?;
    }
    if let Some(coverage) = &outputs.coverage {
        let write = || -> io::Result<()> {
            let mut file = io::BufWriter::new(coverage.writer()?);
            piiscan::output::safe_json::write(&mut file, &outcome.summary.coverage(), true)?;
            writeln!(file)?;
            file.flush()
        };
        write().with_context(|| format!("cannot write {}", coverage.shown()))?;
    }
    if let Some(findings) = outputs.findings {
        findings.commit()?;
    }
    if let Some(coverage) = outputs.coverage {
        coverage.commit()?;
    }
    if let Some(baseline) = outputs.baseline {
        baseline.commit()?;
    }
    Ok(())
}

fn exit_code(args: &ScanArgs, config: &ScanConfig, outcome: &Outcome, tally: &Tally) -> Exit {
    if !outcome.failed.is_empty() {
        Exit::Error
    } else if outcome.closed_pipe {
        Exit::Clean
    } else if args.fail_on_incomplete && outcome.summary.incomplete() > 0 {
        Exit::Incomplete
    } else if args.write_baseline.is_none() && tally.fails(config.fail_on) {
        // Writing a baseline accepts what it records.
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// Standard output, written with the progress line cleared, so that it is
/// never drawn into the findings.
struct Terminal<W: Write> {
    out: W,
    bar: Option<Bar>,
}

impl<W: Write> Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &self.bar {
            Some(bar) => bar.suspend(|| {
                self.out.write_all(buf)?;
                self.out.flush()?;
                Ok(buf.len())
            }),
            None => self.out.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
