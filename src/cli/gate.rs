//! `scan`'s gate from flags and the settings file: the change git names,
//! the allowlist entries still in force, the baseline (checked against the
//! key); after the run, what the gate held back and which baseline entries
//! are stale.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};

use piiscan::gate::baseline::{normal_path, Baseline};
use piiscan::gate::{Gate, Policy, Tally};
use piiscan::input::git::{self, Change, Changed};
use piiscan::input::walk::FileId;
use piiscan::key::Key;
use piiscan::output::sanitize;
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
    let roots: Vec<String> = args
        .paths
        .iter()
        .map(|p| {
            normal_path(&p.to_string_lossy())
                .trim_end_matches('/')
                .to_string()
        })
        .collect();
    args.paths = changed
        .files
        .iter()
        .filter(|f| roots.iter().any(|r| under(&f.to_string_lossy(), r)))
        .cloned()
        .collect();
    Ok(Some(changed))
}

/// True when `path` is `root` or below it (`.` holds everything).
fn under(path: &str, root: &str) -> bool {
    let path = normal_path(path);
    root.is_empty()
        || root == "."
        || path == root
        || path
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with(['/', '!']))
}

/// The gate's policy for this run. The baseline read is left out of the
/// walk (`config`): it is the gate's, not data to scan.
pub(crate) fn policy(
    args: &ScanArgs,
    settings: Option<&Settings>,
    key: &Key,
    changed: Option<Changed>,
    config: &mut piiscan::ScanConfig,
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
    roots: &[PathBuf],
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
            "{unchanged} findings on lines the change did not add were left out"
        );
    }
    if gating && gate.tally.fails(fail_on) {
        let _ = writeln!(
            err,
            "the run fails on new findings at or above {}: remove the data, or accept a \
             synthetic or published value with a `piiscan:allow KIND -- reason` marker on \
             its line, an [[allow]] entry in piiscan.toml, or a baseline (--write-baseline)",
            fail_on.map_or("never", |s| s.as_str())
        );
    }
    let Some(baseline) = gate.baseline().filter(|_| gate.changed().is_none()) else {
        return;
    };
    let roots: Vec<String> = roots
        .iter()
        .map(|p| {
            normal_path(&p.to_string_lossy())
                .trim_end_matches('/')
                .to_string()
        })
        .collect();
    let stale: Vec<_> = baseline
        .stale(|path| roots.iter().any(|r| under(path, r)))
        .collect();
    if stale.is_empty() {
        return;
    }
    let prune = match &args.write_baseline {
        Some(_) => "the baseline written leaves them out".to_string(),
        None => "prune them with --write-baseline".to_string(),
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

/// Writes the recorded baseline to `out`.
pub(crate) fn write_baseline(
    out: &mut dyn Write,
    gate: &Gate<'_>,
    key: &Key,
) -> std::io::Result<()> {
    piiscan::gate::baseline::write(out, &key.id(), gate.recorded())
}
