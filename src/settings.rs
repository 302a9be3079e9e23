//! The settings file, `piiscan.toml`: what a team agrees on once (rules,
//! severities, the gate's level, paths, allowlists, the baseline) instead
//! of repeating flags in every pipeline. Command-line flags override it.
//!
//! It is found in the current folder, else at the root of the git work
//! tree the current folder is in, or named with `--config`. Paths in it
//! (rule folders, the baseline) are relative to its own folder. Unknown
//! keys and bad values are errors that name the file, the line and the
//! key. [`STARTER`] is what `piiscan init` writes.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::finding::{Confidence, Fingerprint, Severity};
use crate::gate::allowlist::Allow;
use crate::paths::RepoPaths;
use crate::rules::RuleSet;

/// The file's name.
pub const FILE_NAME: &str = "piiscan.toml";

/// A settings file, read and checked.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The file it was read from.
    pub path: PathBuf,
    /// Paths as the file's globs match them: relative to its folder.
    pub anchor: RepoPaths,
    /// `fail-on`: `Some(None)` is `never`.
    pub fail_on: Option<Option<Severity>>,
    /// `min-confidence`.
    pub min_confidence: Option<Confidence>,
    /// `fail-on-incomplete`.
    pub fail_on_incomplete: bool,
    /// `no-ignore`: scan what ignore files leave out.
    pub no_ignore: bool,
    /// `include`: globs.
    pub include: Vec<String>,
    /// `exclude`: globs.
    pub exclude: Vec<String>,
    /// `rules`: extra rule files or folders, relative to the current
    /// folder (as read, they were relative to the file).
    pub rules: Vec<PathBuf>,
    /// `only`: rule ids or kinds.
    pub only: Vec<String>,
    /// `disable`: rule ids or kinds.
    pub disable: Vec<String>,
    /// `country`: ISO 3166 codes.
    pub country: Vec<String>,
    /// `baseline`: the baseline file, relative to the current folder.
    pub baseline: Option<PathBuf>,
    /// `[severity]`: a rule id or a kind, its severity, and its line.
    pub severity: Vec<(String, Severity, usize)>,
    /// `[[allow]]`, expired entries included.
    pub allow: Vec<Allow>,
    /// The line of each top-level key, to blame a value checked later.
    pub lines: BTreeMap<String, usize>,
}

/// A settings file that cannot be used: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SettingsError {
    /// The file.
    pub file: String,
    /// The 1-based line, when one is to blame.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The file as TOML gives it, every value with its place.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    fail_on: Option<Spanned<String>>,
    min_confidence: Option<Spanned<String>>,
    #[serde(default)]
    fail_on_incomplete: bool,
    #[serde(default)]
    no_ignore: bool,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    only: Vec<String>,
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    country: Vec<String>,
    baseline: Option<String>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    allow: Vec<Spanned<RawAllow>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAllow {
    path: Option<Spanned<String>>,
    rule: Option<Spanned<String>>,
    fingerprint: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    expires: Option<Spanned<toml::Value>>,
}

impl Settings {
    /// The settings file that applies in `cwd`: `piiscan.toml` there, else
    /// at the root of the git work tree `cwd` is in.
    pub fn find(cwd: &Path) -> Option<PathBuf> {
        let here = cwd.join(FILE_NAME);
        if here.is_file() {
            return Some(here);
        }
        let root = cwd.ancestors().find(|dir| dir.join(".git").exists())?;
        Some(root.join(FILE_NAME)).filter(|p| p.is_file())
    }

    /// Reads and checks the file at `path`.
    pub fn read(path: &Path) -> Result<Settings, SettingsError> {
        let text = std::fs::read_to_string(path).map_err(|e| SettingsError {
            file: shown(path),
            line: None,
            message: format!("cannot read the settings file: {e}"),
        })?;
        Settings::parse(path, &text)
    }

    /// Reads settings from `text`, the contents of the file at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Settings, SettingsError> {
        let at = |span: Range<usize>, message: String| SettingsError {
            file: shown(path),
            line: Some(line_of(text, span.start)),
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            let message = without_values(&e.message().trim().replace('\n', " "));
            SettingsError {
                file: shown(path),
                line,
                message: match line.and_then(|l| key_at(text, l)) {
                    Some(key) if !message.starts_with("unknown") => {
                        format!("{key}: {message}")
                    }
                    _ => message,
                },
            }
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        let relative = |p: &str| base.join(p);
        let anchor = anchor(base);
        let fail_on = raw
            .fail_on
            .map(|v| match v.get_ref().as_str() {
                "never" => Ok(None),
                level => level.parse().map(Some).map_err(|_| {
                    at(
                        v.span(),
                        format!(
                            "fail-on: {} is not one of low, medium, high, critical, never",
                            echo(level)
                        ),
                    )
                }),
            })
            .transpose()?;
        let min_confidence = raw
            .min_confidence
            .map(|v| {
                v.get_ref().parse().map_err(|_: crate::error::ValueError| {
                    let value = echo(v.get_ref());
                    at(
                        v.span(),
                        format!("min-confidence: {value} is not low, medium or high"),
                    )
                })
            })
            .transpose()?;
        let mut severity = Vec::new();
        for (name, level) in raw.severity {
            let parsed = level
                .get_ref()
                .parse()
                .map_err(|_: crate::error::ValueError| {
                    let key =
                        word(name.get_ref()).map_or("severity".into(), |n| format!("severity.{n}"));
                    let value = echo(level.get_ref());
                    let message = format!("{key}: {value} is not low, medium, high or critical");
                    at(level.span(), message)
                })?;
            severity.push((
                name.get_ref().clone(),
                parsed,
                line_of(text, name.span().start),
            ));
        }
        let allow = raw
            .allow
            .into_iter()
            .map(|entry| allow_entry(entry, path, text, &anchor, &at))
            .collect::<Result<_, _>>()?;
        Ok(Settings {
            path: path.to_path_buf(),
            anchor,
            fail_on,
            min_confidence,
            fail_on_incomplete: raw.fail_on_incomplete,
            no_ignore: raw.no_ignore,
            include: raw.include,
            exclude: raw.exclude,
            rules: raw.rules.iter().map(|p| relative(p)).collect(),
            only: raw.only,
            disable: raw.disable,
            country: raw.country,
            baseline: raw.baseline.as_deref().map(relative),
            severity,
            allow,
            lines: top_level_lines(text),
        })
    }

    /// `FILE:LINE: key: ` for a message about a top-level key's value.
    pub fn blame(&self, key: &str) -> String {
        match self.lines.get(key) {
            Some(line) => format!("{}:{line}: {key}", shown(&self.path)),
            None => format!("{}: {key}", shown(&self.path)),
        }
    }

    /// Checks every rule name the file uses against the loaded rules, and
    /// sets the severities of `[severity]`: a category first, a kind over
    /// it, a rule id over both, the more precise word winning.
    pub fn apply_severities(&self, rules: &mut RuleSet) -> Result<(), SettingsError> {
        let precision = |name: &str| {
            let rules = rules.rules();
            match () {
                _ if rules.iter().any(|r| &*r.id == name) => 2,
                _ if rules.iter().any(|r| &*r.kind == name) => 1,
                _ => 0,
            }
        };
        let mut ordered: Vec<_> = self.severity.iter().collect();
        ordered.sort_by_key(|(name, ..)| precision(name));
        for (name, level, line) in ordered {
            if rules.set_severity(name, *level) == 0 {
                let key = word(name).map_or("severity".into(), |n| format!("severity.{n}"));
                return Err(self.unknown_rule(&key, name, *line));
            }
        }
        for allow in &self.allow {
            let Some(rule) = &allow.rule else { continue };
            let known = rules
                .rules()
                .iter()
                .any(|r| &*r.id == rule || &*r.kind == rule || r.category.as_str() == rule);
            if !known {
                let line = allow.origin.rsplit(':').next().and_then(|l| l.parse().ok());
                return Err(self.unknown_rule("allow.rule", rule, line.unwrap_or(0)));
            }
        }
        Ok(())
    }

    fn unknown_rule(&self, key: &str, name: &str, line: usize) -> SettingsError {
        SettingsError {
            file: shown(&self.path),
            line: Some(line),
            message: format!(
                "{key}: {} is not a rule id, kind or category of the loaded rules \
                 (`piiscan rules list` shows them)",
                echo(name)
            ),
        }
    }
}

/// One `[[allow]]` entry, checked.
fn allow_entry(
    entry: Spanned<RawAllow>,
    path: &Path,
    text: &str,
    anchor: &RepoPaths,
    at: &dyn Fn(Range<usize>, String) -> SettingsError,
) -> Result<Allow, SettingsError> {
    let span = entry.span();
    let raw = entry.into_inner();
    let origin = format!("{}:{}", shown(path), line_of(text, span.start));
    let reason = match &raw.reason {
        Some(r) if !r.get_ref().trim().is_empty() => r.get_ref().trim().to_string(),
        _ => return Err(at(span, "allow: every entry needs a `reason`".into())),
    };
    if raw.path.is_none() && raw.rule.is_none() && raw.fingerprint.is_none() {
        return Err(at(
            span,
            "allow: an entry names a `path` glob, a `rule` (id, kind or category), a \
             `fingerprint`, or several of them"
                .into(),
        ));
    }
    let glob = raw
        .path
        .map(|p| {
            Allow::glob(p.get_ref())
                .map(|g| (p.get_ref().clone(), g))
                .map_err(|e| at(p.span(), format!("allow.path: not a glob: {}", e.kind())))
        })
        .transpose()?;
    let fingerprint = raw
        .fingerprint
        .map(|f| {
            Fingerprint::from_hex(f.get_ref()).ok_or_else(|| {
                at(
                    f.span(),
                    "allow.fingerprint: not a fingerprint (32 lower-case hex digits, as \
                     findings show it)"
                        .into(),
                )
            })
        })
        .transpose()?;
    let expires = raw.expires.map(|e| expiry(&e, at)).transpose()?;
    Ok(Allow {
        origin,
        paths: anchor.clone(),
        path: glob,
        rule: raw.rule.map(|r| r.into_inner()),
        fingerprint,
        reason,
        expires,
    })
}

/// An expiry date, written as a TOML date (`2027-06-30`) or a string.
fn expiry(
    value: &Spanned<toml::Value>,
    at: &dyn Fn(Range<usize>, String) -> SettingsError,
) -> Result<String, SettingsError> {
    let text = match value.get_ref() {
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => String::new(),
    };
    let b = text.as_bytes();
    let is_date = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&text[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&text[8..10].parse::<u32>().unwrap_or(0));
    match is_date {
        true => Ok(text),
        false => Err(at(
            value.span(),
            "allow.expires: not a date (write it as 2027-06-30)".into(),
        )),
    }
}

/// Paths relative to `folder` (the file's), for a run in the current
/// folder.
fn anchor(folder: &Path) -> RepoPaths {
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = std::path::absolute(folder).unwrap_or_else(|_| cwd.join(folder));
    RepoPaths::rooted(&root, &cwd)
}

/// The key set on line `line` (1-based) of `text`, with the table it is
/// in (`allow.reason`), if that line sets one.
fn key_at(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let (key, _) = lines.get(line - 1)?.split_once('=')?;
    let key = key.trim().trim_matches('"');
    let table = lines[..line - 1].iter().rev().find_map(|l| {
        let l = l.trim();
        l.starts_with('[')
            .then(|| l.trim_matches(['[', ']', ' ']).to_string())
    });
    // Only a setting's own name is shown: a data file given as settings
    // has values where keys go.
    match table {
        Some(table) if table == "allow" && ALLOW_KEYS.contains(&key) => {
            Some(format!("allow.{key}"))
        }
        Some(table) => KEYS.contains(&table.as_str()).then_some(table),
        None => KEYS.contains(&key).then(|| key.to_string()),
    }
}

/// The keys and tables of a settings file.
const KEYS: [&str; 13] = [
    "fail-on",
    "min-confidence",
    "fail-on-incomplete",
    "no-ignore",
    "include",
    "exclude",
    "rules",
    "only",
    "disable",
    "country",
    "baseline",
    "severity",
    "allow",
];

/// The keys of an `[[allow]]` entry.
const ALLOW_KEYS: [&str; 5] = ["path", "rule", "fingerprint", "reason", "expires"];

/// A value from the file, shown only when it reads as a setting's word
/// (a level, a rule id: lower-case letters, digits, dashes and
/// underscores, with no more than two digits); else `a value`. Errors about a file say
/// where, never what: a data file given as settings holds personal data.
fn echo(value: &str) -> String {
    word(value).map_or("a value".to_string(), |w| format!("`{w}`"))
}

/// `value`, when it reads as a setting's word (see [`echo`]).
fn word(value: &str) -> Option<&str> {
    let word = !value.is_empty()
        && value.len() <= 40
        && (value.bytes())
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_".contains(&b))
        && value.bytes().filter(u8::is_ascii_digit).count() <= 2;
    word.then_some(value)
}

/// A TOML error's message without what it quotes of the file: strings it
/// shows (`invalid type: string "…"`) and the unknown key or variant it
/// names; the expected names it lists are the tool's own.
fn without_values(message: &str) -> String {
    // Between quotes is the file's; outside them, the message's own.
    let mut out: String = (message.split('"').enumerate())
        .map(|(i, part)| if i % 2 == 0 { part } else { "…" })
        .collect::<Vec<_>>()
        .join("\"");
    // `invalid type: integer `4539…`, expected a boolean`: the value right
    // after the type's name goes.
    if let Some((head, rest)) = out.split_once("invalid type: ") {
        let value = rest
            .split_once(" `")
            .filter(|(what, _)| !what.contains(' '));
        if let Some((what, tail)) = value.and_then(|(w, r)| Some((w, r.split_once('`')?.1))) {
            out = format!("{head}invalid type: {what}{tail}");
        }
    }
    for lead in ["unknown field `", "unknown variant `"] {
        if let Some((name, tail)) = out.strip_prefix(lead).and_then(|r| r.split_once('`')) {
            // A misspelt setting (`fail_on`) is shown; anything else not.
            out = format!("{} {}{tail}", lead.trim_end_matches(" `"), echo(name));
        }
    }
    out
}

/// The line of each key set before the first table.
fn top_level_lines(text: &str) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        if let Some((key, _)) = line.split_once('=').filter(|_| !line.starts_with('#')) {
            lines.insert(key.trim().to_string(), i + 1);
        }
    }
    lines
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn shown(path: &Path) -> String {
    crate::sanitize::sanitize(&path.display().to_string())
}

/// What `piiscan init` writes: every key, commented, with its default.
pub const STARTER: &str = r#"# piiscan settings: read from this folder, or from the root of the git work
# tree, by `piiscan scan` (and by `mask` and `report` for rules and paths).
# Command-line flags override what is set here. Paths are relative to this
# file.

# The lowest severity that fails the run (exit 1): low, medium, high,
# critical, or never.
fail-on = "low"

# Drop weaker findings: low, medium or high.
min-confidence = "medium"

# Exit 3 when an input could not be examined (corrupt, encrypted, over a
# limit), as --fail-on-incomplete.
fail-on-incomplete = false

# Also scan what .gitignore and .ignore leave out (--no-ignore): in CI, a
# fresh checkout holds only tracked files, some of which ignore files may
# match.
no-ignore = false

# Paths to scan and to leave out, as gitignore globs relative to this
# file's folder (`--include`, `--exclude`), e.g. ["tests/fixtures/**"].
# What .gitignore leaves out is left out already.
include = []
exclude = []

# Extra rule files or folders, on top of the built-in rules.
rules = []

# Rules on and off, by id or kind (`piiscan rules list` shows them), and
# national identifiers by country (ISO 3166 codes).
only = []
disable = []
country = []

# The accepted findings: `piiscan scan --write-baseline piiscan.baseline.json`
# writes it; with it set, a scan fails only on findings not in it.
# baseline = "piiscan.baseline.json"

# Severity per kind or rule id: low, medium, high or critical.
[severity]
# ip_address = "low"

# Accepted findings, by path glob, rule (id, kind or category) or
# fingerprint (as findings show it), or several at once. Each has a reason,
# and may expire: on that day it stops applying, and the scan says so.
#
# [[allow]]
# path = "tests/fixtures/**"
# reason = "synthetic test data"
#
# [[allow]]
# rule = "email"
# path = "docs/**"
# reason = "published contact addresses"
# expires = 2027-06-30
#
# [[allow]]
# fingerprint = "0123456789abcdef0123456789abcdef"
# reason = "the vendor's documented test card"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, SettingsError> {
        Settings::parse(Path::new("conf/piiscan.toml"), text)
    }

    fn error(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    #[test]
    fn the_starter_file_parses() {
        let s = parse(STARTER).unwrap();
        assert_eq!(s.fail_on, Some(Some(Severity::Low)));
        assert_eq!(s.min_confidence, Some(Confidence::Medium));
        assert!(s.exclude.is_empty());
        assert!(s.allow.is_empty());
    }

    #[test]
    fn every_key_is_read() {
        let s = parse(
            r#"
fail-on = "never"
min-confidence = "high"
fail-on-incomplete = true
no-ignore = true
include = ["a/**"]
exclude = ["b/**"]
rules = ["my-rules"]
only = ["email"]
disable = ["phone"]
country = ["FR"]
baseline = "base.json"
[severity]
email = "critical"
[[allow]]
path = "tests/**"
rule = "credit_card"
fingerprint = "0123456789abcdef0123456789abcdef"
reason = " test data "
expires = 2027-06-30
[[allow]]
rule = "email"
reason = "published"
expires = "2020-01-01"
"#,
        )
        .unwrap();
        assert_eq!(s.fail_on, Some(None));
        assert_eq!(s.min_confidence, Some(Confidence::High));
        assert!(s.fail_on_incomplete && s.no_ignore);
        assert_eq!(s.include, ["a/**"]);
        assert_eq!(s.exclude, ["b/**"]);
        assert_eq!(s.rules, [PathBuf::from("conf/my-rules")]);
        assert_eq!(s.baseline, Some(PathBuf::from("conf/base.json")));
        assert_eq!((s.only.len(), s.disable.len(), s.country.len()), (1, 1, 1));
        assert_eq!(s.severity, [("email".to_string(), Severity::Critical, 14)]);
        assert_eq!(s.allow[0].origin, "conf/piiscan.toml:15");
        assert_eq!(s.allow[0].reason, "test data");
        assert_eq!(s.allow[0].expires.as_deref(), Some("2027-06-30"));
        assert!(s.allow[0].fingerprint.is_some());
        assert_eq!(s.allow[1].expires.as_deref(), Some("2020-01-01"));
    }

    #[test]
    fn errors_name_the_file_the_line_and_the_key() {
        let unknown = error("fail-on = \"low\"\nfail_on = \"high\"\n");
        assert!(
            unknown.starts_with("conf/piiscan.toml:2: unknown field `fail_on`"),
            "{unknown}"
        );
        assert_eq!(
            error("\n\nfail-on = \"everything\""),
            "conf/piiscan.toml:3: fail-on: `everything` is not one of low, medium, high, critical, never"
        );
        let confidence = error("min-confidence = \"sure\"");
        assert!(
            confidence.starts_with("conf/piiscan.toml:1: min-confidence: `sure`"),
            "{confidence}"
        );
        let severity = error("[severity]\nemail = \"huge\"");
        assert!(
            severity.starts_with("conf/piiscan.toml:2: severity.email: `huge`"),
            "{severity}"
        );
        let no_reason = error("[[allow]]\npath = \"a/**\"\n");
        assert!(
            no_reason.contains(":1: allow: every entry needs a `reason`"),
            "{no_reason}"
        );
        let nothing = error("[[allow]]\nreason = \"x\"\n");
        assert!(nothing.contains(":1: allow: an entry names"), "{nothing}");
        let fp = error("[[allow]]\nreason = \"x\"\nfingerprint = \"4111\"\n");
        assert!(
            fp.contains(":3: allow.fingerprint: not a fingerprint"),
            "{fp}"
        );
        let date = error("[[allow]]\nreason = \"x\"\nrule = \"email\"\nexpires = \"next year\"\n");
        assert!(date.contains(":4: allow.expires: not a date"), "{date}");
        let glob = error("[[allow]]\nreason = \"x\"\npath = \"a[\"\n");
        assert!(glob.contains(":3: allow.path:"), "{glob}");
        let key = error("[[allow]]\nreason = \"x\"\nrule = \"email\"\nwhy = 1\n");
        assert!(key.contains(":4: unknown field `why`"), "{key}");
        let typed = error("\nfail-on = 3\n");
        assert!(
            typed.starts_with("conf/piiscan.toml:2: fail-on: invalid type"),
            "{typed}"
        );
        // A data file given as settings: where, never what.
        for text in [
            "jan.jansen@example.com = 1\n",
            "no-ignore = \"jan.jansen@example.com\"\n",
            "fail-on = \"Jansen\"\n",
            "min-confidence = \"4539 1488 0343 6467\"\n",
            "[severity]\n\"jan.jansen@example.com\" = \"x\"\n",
            "\"Jan Jansen\" = 1\n",
            "[[allow]]\nreason = \"x\"\npath = \"[jan.jansen@example.com\"\n",
            "no-ignore = 4539148803436467\n",
        ] {
            let message = error(text);
            for value in ["jan", "Jan", "Jansen", "4539"] {
                assert!(!message.contains(value), "{message}");
            }
        }
        let nested = error("[[allow]]\nrule = \"email\"\nreason = 3\n");
        assert!(
            nested.starts_with("conf/piiscan.toml:3: allow.reason: invalid type"),
            "{nested}"
        );
        let syntax = error("fail-on = \n");
        assert!(syntax.starts_with("conf/piiscan.toml:1:"), "{syntax}");
    }

    #[test]
    fn severities_apply_by_kind_then_rule_and_names_are_checked() {
        let mut rules = RuleSet::builtin().unwrap();
        let s = parse("[severity]\nemail = \"critical\"\n").unwrap();
        s.apply_severities(&mut rules).unwrap();
        assert!(rules
            .rules()
            .iter()
            .filter(|r| &*r.kind == "email")
            .all(|r| r.severity == Severity::Critical));
        // A category, a kind in it, a rule id: the more precise wins.
        let s = "[severity]\ncredit-card = \"medium\"\nfinancial = \"low\"\niban = \"critical\"\n";
        parse(s).unwrap().apply_severities(&mut rules).unwrap();
        let severity = |id: &str| {
            rules
                .rules()
                .iter()
                .find(|r| &*r.id == id)
                .unwrap()
                .severity
        };
        assert_eq!(severity("credit-card"), Severity::Medium);
        assert_eq!(severity("iban"), Severity::Critical);
        assert_eq!(severity("swift-bic"), Severity::Low);
        let bad = parse("\n[severity]\nemial = \"low\"\n").unwrap();
        let err = bad.apply_severities(&mut rules).unwrap_err().to_string();
        assert!(
            err.starts_with("conf/piiscan.toml:3: severity.emial: `emial` is not"),
            "{err}"
        );
        let bad = parse("[[allow]]\nrule = \"emial\"\nreason = \"x\"\n").unwrap();
        let err = bad.apply_severities(&mut rules).unwrap_err().to_string();
        assert!(
            err.starts_with("conf/piiscan.toml:1: allow.rule: `emial`"),
            "{err}"
        );
    }

    #[test]
    fn found_here_or_at_the_work_tree_root() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        assert_eq!(Settings::find(&sub), None);
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert_eq!(Settings::find(&sub), None);
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(Settings::find(&sub), Some(dir.path().join(FILE_NAME)));
        std::fs::write(sub.join(FILE_NAME), "").unwrap();
        assert_eq!(Settings::find(&sub), Some(sub.join(FILE_NAME)));
    }
}
