//! `piiscan mask`: the scan's pipeline with a [`Masker`] as its sink, then
//! a second scan of every copy written, so that what the copies still
//! hold is said (by file and kind) and fails the run (exit 1).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Result};

use piiscan::config::ScanConfig;
use piiscan::finding::Finding;
use piiscan::key::Key;
use piiscan::mask::tree::Live;
use piiscan::mask::{Masked, Masker, Strategies, Strategy, Tree};
use piiscan::output::sanitize;
use piiscan::rules::RuleSet;
use piiscan::sink::Sink;
use piiscan::summary::Summary;

use super::args::{ManifestArg, MaskArgs};
use super::rules::load_rules;
use super::stop::Stop;
use super::{write_stdout, Exit};

pub(crate) fn mask(mut args: MaskArgs) -> Result<Exit> {
    let out = output_folder(&args)?;
    let settings = super::settings::load(&args.settings)?;
    let glob_paths = super::settings::merge_walk(&mut args.walk, settings.as_ref());
    let rules = load_rules(&args.rules, settings.as_ref())?;
    let strategies = strategies(&args, &rules)?;
    let key = Key::resolve(args.key_file.as_deref())?;
    let mut config = config(&args);
    config.walk.glob_paths = glob_paths;
    // Masked forms must fit their field: a bare number stays one.
    config.fields = true;
    // Keyed strategies draw on the fingerprint; the others need none.
    config.fingerprints = strategies.keyed();
    config.fingerprint_key = key.bytes.clone();
    super::leave_out_key(&mut config, &key, args.key_file.as_deref());
    let stop = Stop::install(&config.stop)?;
    let tree = Tree {
        out: out.clone(),
        roots: args.paths.clone(),
        force: args.force,
        live: Live::default(),
        claimed: Default::default(),
    };
    stop.watch(tree.live.clone());
    let strategies_keyed = strategies.keyed();
    let mut masker = Masker::new(tree, strategies, args.only_changed);
    let quiet = args.quiet;
    let mut warn = |msg: &str| {
        if !quiet {
            let _ = writeln!(io::stderr(), "piiscan: warning: {msg}");
        }
    };
    let outcome = piiscan::scan::run(&config, &rules, &mut masker, &mut warn)?;
    for err in &outcome.failed {
        let _ = writeln!(io::stderr(), "piiscan: {err}");
    }
    if let Some((message, code)) = stop.over() {
        let _ = writeln!(io::stderr(), "{message}");
        return Ok(Exit::Signal(code));
    }
    let stdout_copy = masker.stdout_copy.as_ref().map(|t| t.path());
    let residue = residue(&config, &rules, &masker.report, stdout_copy)?;
    if !quiet {
        say_summary(&masker.report, &residue, &outcome.summary);
        if strategies_keyed {
            let _ = writeln!(io::stderr(), "pseudonyms keyed with {}", key.describe());
        }
    }
    if args.format == ManifestArg::Json {
        manifest(&masker.report, &residue)?;
    }
    let problems = masker.report.iter().any(|m| m.problem.is_some());
    Ok(if !outcome.failed.is_empty() || problems {
        Exit::Error
    } else if !residue.is_empty() {
        Exit::Findings
    } else {
        Exit::Clean
    })
}

/// Where the copies go, checked before anything is read or written; empty
/// when the only input is standard input (its copy goes to standard
/// output).
fn output_folder(args: &MaskArgs) -> Result<PathBuf> {
    let to_stdout = args.paths.iter().all(|p| p.as_os_str() == "-");
    if to_stdout && args.out.is_some() {
        bail!("--out with `-`: the masked text of standard input goes to standard output; leave out --out, or name files to mask");
    }
    if to_stdout && args.format == ManifestArg::Json {
        bail!("--format json with `-`: the masked text goes to standard output, so the manifest cannot");
    }
    let out = match (&args.out, to_stdout) {
        (Some(out), _) => out.clone(),
        (None, true) => return Ok(PathBuf::new()),
        (None, false) => bail!("--out DIR is needed: where the masked copies go"),
    };
    if out.is_file() {
        let shown = sanitize(&out.to_string_lossy());
        bail!("--out {shown} is a file: name a folder");
    }
    refuse_out_inside_inputs(&out, &args.paths)?;
    Ok(out)
}

/// `--strategy`, each kind one that a loaded rule finds (a typo would
/// fall back to the default without a word).
fn strategies(args: &MaskArgs, rules: &RuleSet) -> Result<Strategies> {
    let strategies = Strategies::parse(&args.strategies, args.redact_token)?;
    if args.redact_token && !strategies.any(|s| matches!(s, Strategy::Redact { .. })) {
        bail!("--redact-token changes what `redact` writes, and no kind is masked with it (--strategy KIND=redact, or all=redact)");
    }
    for kind in strategies.by_kind.keys() {
        if !rules.rules().iter().any(|r| &*r.kind == kind) {
            bail!("--strategy names `{kind}`, which no loaded rule finds (kinds are listed by `piiscan rules list`)");
        }
    }
    Ok(strategies)
}

fn config(args: &MaskArgs) -> ScanConfig {
    ScanConfig {
        paths: args.paths.clone(),
        walk: args.walk.config(),
        threads: args.walk.threads,
        min_confidence: args.min_confidence.into(),
        fail_on: None,
        mask: args.card_reveal.into(),
        progress: super::progress(args.no_progress, args.quiet),
        limits: args.limits.limits(),
        ..ScanConfig::default()
    }
}

/// Copies written inside a folder being masked would be read as inputs
/// (and a second run would mask its own output): refused.
fn refuse_out_inside_inputs(out: &Path, paths: &[PathBuf]) -> Result<()> {
    let out_abs = resolved(out)?;
    for path in paths.iter().filter(|p| p.is_dir()) {
        let root = std::fs::canonicalize(path)?;
        if out_abs.starts_with(&root) {
            bail!(
                "--out {} is inside the input {}: write the copies elsewhere",
                sanitize(&out.to_string_lossy()),
                sanitize(&path.to_string_lossy())
            );
        }
    }
    Ok(())
}

/// `path` made absolute with its symbolic links resolved, as far as it
/// exists (the output folder may not yet).
fn resolved(path: &Path) -> io::Result<PathBuf> {
    let path = std::path::absolute(path)?;
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = std::fs::canonicalize(existing)?;
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// What each copy still holds, by copy and kind: a scan of the copies
/// with the same rules and settings.
fn residue(
    config: &ScanConfig,
    rules: &RuleSet,
    report: &[Masked],
    stdout_copy: Option<&Path>,
) -> Result<Vec<(String, String, u64)>> {
    // A copy with nothing masked is its input byte for byte, in which the
    // same scan found nothing: reading it again would find nothing.
    let mut written: Vec<PathBuf> = report
        .iter()
        .filter(|m| !m.masked.is_empty())
        .filter_map(|m| m.output.clone())
        .collect();
    written.extend(stdout_copy.map(Path::to_path_buf));
    if written.is_empty() {
        return Ok(Vec::new());
    }
    // Residue is counted by file and kind: no field, no fingerprint.
    let config = ScanConfig {
        paths: written,
        progress: None,
        stop: Arc::default(),
        fields: false,
        fingerprints: false,
        ..config.clone()
    };
    // By the path findings give: the copy, or a member of it.
    let mut pseudonyms: BTreeMap<String, Vec<(u64, u64)>> = BTreeMap::new();
    for m in report {
        let output = match (&m.output, stdout_copy) {
            (Some(output), _) => output.to_string_lossy(),
            (None, Some(tee)) if m.input == "-" => tee.to_string_lossy(),
            _ => continue,
        };
        for (member, from, to) in &m.pseudonyms {
            let spans = pseudonyms.entry(format!("{output}{member}")).or_default();
            spans.push((*from, *to));
        }
    }
    let mut left = Residue {
        pseudonyms,
        counts: BTreeMap::new(),
    };
    piiscan::scan::run(&config, rules, &mut left, &mut |_| {})?;
    // What went to standard output is named as it was: `-`.
    let tee = stdout_copy.map(|p| p.to_string_lossy().into_owned());
    Ok(left
        .counts
        .into_iter()
        .map(|((file, kind), n)| {
            let file = if Some(&file) == tee.as_ref() {
                "-".into()
            } else {
                file
            };
            (file, kind, n)
        })
        .collect())
}

/// Counts findings by file and kind, never holding a value; a finding
/// inside a pseudonym the masker wrote is not left over.
struct Residue {
    pseudonyms: BTreeMap<String, Vec<(u64, u64)>>,
    counts: BTreeMap<(String, String), u64>,
}

impl Residue {
    fn is_pseudonym(&self, f: &Finding) -> bool {
        let Some(spans) = self.pseudonyms.get(&*f.path) else {
            return false;
        };
        let i = spans.partition_point(|&(_, end)| end <= f.start);
        spans
            .get(i)
            .is_some_and(|&(start, end)| start <= f.start && f.end <= end)
    }
}

impl Sink for Residue {
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for f in findings {
            if !self.is_pseudonym(f) {
                let key = (f.path.to_string(), f.kind.to_string());
                *self.counts.entry(key).or_default() += 1;
            }
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// Per input, its copy and what was masked; then totals and residue.
fn say_summary(report: &[Masked], residue: &[(String, String, u64)], summary: &Summary) {
    let mut err = io::stderr().lock();
    let mut totals = std::collections::BTreeMap::<&str, u64>::new();
    for m in report {
        let what = if m.masked.is_empty() {
            "nothing to mask".to_string()
        } else {
            kinds(m.masked.iter().map(|(k, n)| (k.as_str(), *n)))
        };
        for (k, n) in &m.masked {
            *totals.entry(k).or_default() += n;
        }
        let mut line = match (&m.output, &m.problem) {
            (_, Some(problem)) => format!("{}: {problem}", sanitize(&m.input)),
            (Some(out), None) => format!(
                "{} -> {}: {what}",
                sanitize(&m.input),
                sanitize(&out.to_string_lossy())
            ),
            (None, None) if m.skipped.is_some() => sanitize(&m.input),
            (None, None) => format!("{}: {what}", sanitize(&m.input)),
        };
        if let (Some(skipped), None) = (&m.skipped, &m.problem) {
            line = format!("{line}; {skipped}");
        }
        let _ = writeln!(err, "{line}");
    }
    let copies = report
        .iter()
        .filter(|m| m.output.is_some() || m.input == "-")
        .count();
    let values: u64 = totals.values().sum();
    let _ = writeln!(
        err,
        "masked {values} value{} in {copies} cop{} ({} scanned): {}",
        if values == 1 { "" } else { "s" },
        if copies == 1 { "y" } else { "ies" },
        piiscan::summary::Bytes(summary.bytes),
        kinds(totals.into_iter())
    );
    if values == 0 {
        // Nothing masked: every copy is its input, in which nothing was
        // found.
    } else if residue.is_empty() {
        let _ = writeln!(err, "re-scan of the copies: nothing left");
    } else {
        for (file, kind, n) in residue {
            let _ = writeln!(err, "left in {}: {kind} {n}", sanitize(file));
        }
    }
}

fn kinds<'a>(counts: impl Iterator<Item = (&'a str, u64)>) -> String {
    let parts: Vec<String> = counts.map(|(k, n)| format!("{k} {n}")).collect();
    if parts.is_empty() {
        "nothing".into()
    } else {
        parts.join(", ")
    }
}

/// The manifest: what was written and masked, never a value.
fn manifest(report: &[Masked], residue: &[(String, String, u64)]) -> Result<Exit> {
    #[derive(serde::Serialize)]
    struct Left<'a> {
        path: &'a str,
        kind: &'a str,
        count: u64,
    }
    #[derive(serde::Serialize)]
    struct Manifest<'a> {
        files: &'a [Masked],
        residue: Vec<Left<'a>>,
    }
    let manifest = Manifest {
        files: report,
        residue: residue
            .iter()
            .map(|(path, kind, count)| Left {
                path,
                kind,
                count: *count,
            })
            .collect(),
    };
    let mut text = Vec::new();
    piiscan::output::safe_json::write(&mut text, &manifest, true)?;
    let text = String::from_utf8(text)?;
    write_stdout(|| {
        let mut out = io::stdout().lock();
        writeln!(out, "{text}")?;
        out.flush()
    })
}
