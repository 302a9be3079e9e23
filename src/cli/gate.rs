//! `scan`'s gate from flags and the settings file: the change git names,
//! the allowlist entries still in force, the baseline (checked against the
//! key); after the run, what the gate held back and which baseline entries
//! are stale.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};

use piiscan::finding::Confidence;
use piiscan::gate::baseline::{Baseline, Entry};
use piiscan::gate::{Gate, Policy, Tally};
use piiscan::input::git::{self, Change, Changed};
use piiscan::input::walk::FileId;
use piiscan::key::Key;
use piiscan::output::sanitize;
use piiscan::paths::{tidy, RepoPaths};
use piiscan::settings::Settings;

use super::args::ScanArgs;

/// The change `--git-staged` or `--git-diff` names, if one does; the
/// paths to scan become its files (those under the paths given).
pub(crate) fn select_changed(args: &mut ScanArgs) -> Result<Option<Changed>> {
    let change = match (&args.git_staged, &args.git_diff) {
        (true, _) => Change::Staged,
        (false, Some(rev)) => Change::Since(rev.clone()),
        (false, None) => return Ok(None),
    };
    if args.write_baseline.is_some() {
        bail!("--write-baseline records a whole scan: give it without --git-staged or --git-diff");
    }
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        bail!("--git-staged and --git-diff read files git names: `-` (standard input) cannot go with them");
    }
    if let Some(missing) = args.paths.iter().find(|p| !p.exists()) {
        bail!(
            "{}: no such file or folder",
            sanitize(&missing.to_string_lossy())
        );
    }
    let changed = git::changed(&change)?;
    // Roots and git's paths compared as absolute paths: a root may be
    // absolute or go up (`..`), git's paths are relative to here.
    let cwd = std::env::current_dir()?;
    let roots: Vec<PathBuf> = args.paths.iter().map(|p| tidy(&cwd.join(p))).collect();
    args.paths = changed
        .files
        .iter()
        .filter(|f| {
            let file = tidy(&cwd.join(f));
            roots.iter().any(|r| file.starts_with(r))
        })
        .cloned()
        .collect();
    Ok(Some(changed))
}

/// The gate's policy for this run. The baseline read is left out of the
/// walk (`config`): it is the gate's, not data to scan.
pub(crate) fn policy(
    args: &ScanArgs,
    settings: Option<&Settings>,
    key: &Key,
    changed: Option<Changed>,
    config: &mut piiscan::ScanConfig,
    rules: &piiscan::RuleSet,
    warn: &mut dyn FnMut(&str),
) -> Result<Policy> {
    let baseline = match baseline_path(args, settings)? {
        Some(path) => {
            let baseline = Baseline::read(&path, &key.id(), &key.describe())?;
            config.walk.temporary.extend(FileId::of(&path).ok());
            Some(baseline)
        }
        None => None,
    };
    Ok(Policy {
        allow: super::settings::active_allows(settings, warn),
        baseline,
        record: args.write_baseline.is_some(),
        changed,
        paths: RepoPaths::for_run(&config.paths),
        rules: rules.rules().iter().map(|r| r.id.clone()).collect(),
        whole: false,
        min_confidence: config.min_confidence,
    })
}

/// `--baseline`, else the settings file's `baseline` (which may not exist
/// yet when this run writes it).
fn baseline_path(args: &ScanArgs, settings: Option<&Settings>) -> Result<Option<PathBuf>> {
    if let Some(path) = &args.baseline {
        return Ok(Some(path.clone()));
    }
    let Some(path) = settings.and_then(|s| s.baseline.clone()) else {
        return Ok(None);
    };
    match (path.exists(), &args.write_baseline) {
        (true, _) => Ok(Some(path)),
        (false, Some(_)) => Ok(None),
        (false, None) => bail!(
            "the baseline {} that {} names does not exist: write it with --write-baseline {0}",
            sanitize(&path.display().to_string()),
            sanitize(
                &settings
                    .map(|s| s.path.display().to_string())
                    .unwrap_or_default()
            ),
        ),
    }
}

/// How many stale entries the summary names before it only counts.
const SHOWN_STALE: usize = 10;

/// What the gate says after the summary: what it held back, how to
/// accept a finding when the run fails as a gate (a settings file, a
/// baseline or a git change), and the baseline's stale entries (not for a
/// git change: it scanned a part).
pub(crate) fn say(
    err: &mut dyn Write,
    gate: &Gate<'_>,
    args: &ScanArgs,
    fail_on: Option<piiscan::finding::Severity>,
    gating: bool,
) {
    let Tally {
        new,
        inline,
        allowlisted,
        baselined,
        unchanged,
        ..
    } = gate.tally;
    if gate.tally.suppressed() > 0 || gate.baseline().is_some() {
        let mut parts = Vec::new();
        for (n, what) in [
            (inline, "by piiscan:allow markers"),
            (allowlisted, "by the settings file's allowlist"),
            (baselined, "by the baseline"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        let accepted = match parts.is_empty() {
            true => String::new(),
            false => format!("; accepted: {}", parts.join(", ")),
        };
        let _ = writeln!(err, "new findings: {new}{accepted}");
    }
    if unchanged > 0 {
        let _ = writeln!(
            err,
            "{unchanged} finding{} on lines the change did not add left out",
            if unchanged == 1 { "" } else { "s" }
        );
    }
    if gating && gate.tally.fails(fail_on) && args.write_baseline.is_none() {
        let _ = writeln!(
            err,
            "the run fails on new findings at or above {}: remove the data, or accept a \
             synthetic or published value with a `piiscan:allow KIND -- reason` marker on \
             its line, an [[allow]] entry in piiscan.toml, or a baseline (--write-baseline)",
            fail_on.map_or("never", |s| s.as_str())
        );
    }
    // Only a run over the whole tree can say an entry accepts nothing.
    if gate.changed().is_none() && gate.whole() {
        for allow in gate.unused_allows() {
            let _ = writeln!(
                err,
                "piiscan: warning: {}: the allow entry \"{}\" accepted nothing this run: fix or remove it",
                allow.origin,
                sanitize(&allow.reason)
            );
        }
    }
    let stale = gate.stale();
    if stale.is_empty() {
        return;
    }
    let prune = match &args.write_baseline {
        Some(_) => "the baseline written leaves them out",
        None => "prune them with --write-baseline",
    };
    let _ = writeln!(
        err,
        "baseline: {} entr{} no longer found (stale; {prune}):",
        stale.len(),
        if stale.len() == 1 { "y is" } else { "ies are" }
    );
    for e in stale.iter().take(SHOWN_STALE) {
        let _ = writeln!(err, "  {} {} {}", sanitize(&e.path), e.rule, e.fingerprint);
    }
    if stale.len() > SHOWN_STALE {
        let _ = writeln!(err, "  and {} more", stale.len() - SHOWN_STALE);
    }
}

/// The baseline file a run rewrites, when it exists: the entries this
/// run could not have found again (a file not scanned, a rule left out)
/// are kept. Read before the run, so that a key mismatch stops it.
pub(crate) fn rewritten(args: &ScanArgs, key: &Key) -> Result<Option<Baseline>> {
    if args.write_baseline.is_some() && key.is_weak() {
        bail!(
            "a baseline keyed with {}: its fingerprints could be reversed by guessing the key",
            key.describe()
        );
    }
    let Some(path) = args.write_baseline.as_ref().filter(|p| p.exists()) else {
        return Ok(None);
    };
    let old = Baseline::read(path, &key.id(), &key.describe()).map_err(|e| {
        anyhow::anyhow!("{e}\n(--write-baseline keeps the entries this run cannot judge, so it needs the old file's key: delete the file to start it again with this key)")
    })?;
    Ok(Some(old))
}

/// The entries of `old` that `gate`'s run could not have found again.
pub(crate) fn kept(old: Option<&Baseline>, gate: &Gate<'_>) -> Vec<Entry> {
    let Some(old) = old else {
        return Vec::new();
    };
    (old.entries().iter())
        .filter(|e| !gate.covers(e, old) || gate.accepted(e))
        .cloned()
        .collect()
}

/// Writes the recorded baseline, with `kept` entries, to `out`.
pub(crate) fn write_baseline(
    out: &mut dyn Write,
    gate: &Gate<'_>,
    kept: Vec<Entry>,
    key: &Key,
    min_confidence: Confidence,
) -> std::io::Result<()> {
    let mut entries = gate.recorded().clone();
    entries.extend(kept);
    piiscan::gate::baseline::write(out, &key.id(), min_confidence, &entries)
}
