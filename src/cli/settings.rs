//! The settings file in the command line: found or named, then merged
//! under the flags (a flag given wins over the file; a list flag given
//! replaces the file's list), and `piiscan init`, which writes a starter.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use piiscan::gate::allowlist::Allow;
use piiscan::paths::RepoPaths;
use piiscan::rules::RuleSet;
use piiscan::settings::{Settings, STARTER};

use super::args::{RuleArgs, SettingsArgs, WalkArgs};
use super::Exit;

/// The settings that apply: `--config FILE`, else `piiscan.toml` here or
/// at the work tree's root, unless `--no-config`.
pub(crate) fn load(args: &SettingsArgs) -> Result<Option<Settings>> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config {
        Some(path) => path.clone(),
        None => {
            let cwd = std::env::current_dir().context("cannot read the current folder")?;
            match Settings::find(&cwd) {
                Some(found) => relative_to(&found, &cwd),
                None => return Ok(None),
            }
        }
    };
    Ok(Some(Settings::read(&path)?))
}

/// `found` relative to `cwd` when it is below it: messages and the paths
/// the file names read shorter.
fn relative_to(found: &Path, cwd: &Path) -> PathBuf {
    found
        .strip_prefix(cwd)
        .map_or_else(|_| found.to_path_buf(), Path::to_path_buf)
}

/// The file's rule selection, where no flag gave one.
pub(crate) fn merge_rules(rules: &mut RuleArgs, settings: Option<&Settings>) {
    let Some(s) = settings else { return };
    take(&mut rules.rules, &s.rules);
    take(&mut rules.only, &s.only);
    take(&mut rules.disable, &s.disable);
    take(&mut rules.country, &s.country);
}

/// The file's path globs, where no glob flag was given; then the globs
/// are anchored at the file's folder, as returned.
pub(crate) fn merge_walk(walk: &mut WalkArgs, settings: Option<&Settings>) -> Option<RepoPaths> {
    let s = settings?;
    walk.no_ignore |= s.no_ignore;
    let no_flag = walk.globs.is_empty() && walk.include.is_empty() && walk.exclude.is_empty();
    let from_file = !(s.include.is_empty() && s.exclude.is_empty());
    if !(no_flag && from_file) {
        return None;
    }
    walk.include = s.include.clone();
    walk.exclude = s.exclude.clone();
    Some(s.anchor.clone())
}

fn take<T: Clone>(flag: &mut Vec<T>, file: &[T]) {
    if flag.is_empty() {
        *flag = file.to_vec();
    }
}

/// Sets the file's severities on `rules` (before rules are selected, so
/// that naming a rule turned off is not an error).
pub(crate) fn apply_severities(rules: &mut RuleSet, settings: Option<&Settings>) -> Result<()> {
    if let Some(s) = settings {
        s.apply_severities(rules)?;
    }
    Ok(())
}

/// The allowlist entries that still apply today; each expired one is said
/// once on stderr.
pub(crate) fn active_allows(settings: Option<&Settings>, warn: &mut dyn FnMut(&str)) -> Vec<Allow> {
    let Some(s) = settings else {
        return Vec::new();
    };
    let today = piiscan::clock::today();
    let (expired, active): (Vec<_>, Vec<_>) =
        s.allow.iter().cloned().partition(|a| a.expired(&today));
    for a in expired {
        warn(&format!(
            "{}: the allow entry \"{}\" expired on {}: it no longer applies",
            a.origin,
            piiscan::output::sanitize(&a.reason),
            a.expires.as_deref().unwrap_or_default()
        ));
    }
    active
}

/// `piiscan init`: writes the starter file, never over an existing one
/// unless `force`.
pub(crate) fn init(path: &Path, force: bool) -> Result<Exit> {
    let shown = piiscan::output::sanitize(&path.display().to_string());
    if path.as_os_str() == "-" {
        return super::write_stdout(|| std::io::stdout().write_all(STARTER.as_bytes()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    match force {
        true => options.create(true).truncate(true),
        false => options.create_new(true),
    };
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            anyhow::anyhow!("{shown} exists: edit it, or give --force to replace it")
        }
        _ => anyhow::Error::new(e).context(format!("cannot write {shown}")),
    })?;
    file.write_all(STARTER.as_bytes())
        .with_context(|| format!("cannot write {shown}"))?;
    eprintln!("wrote {shown}: every setting is commented there; `piiscan scan` reads it");
    Ok(Exit::Clean)
}
