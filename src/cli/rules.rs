//! `piiscan rules`: list the loaded rules, check rule files, run every
//! rule's examples through the scan path. Output to a closed or full
//! standard output is handled as `scan` handles it.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Result;

use piiscan::error::Error;
use piiscan::rules::{rule_files, Rule, RuleSet, SelectError};
use piiscan::settings::Settings;

use super::args::RuleArgs;
use super::{write_stdout, Exit};

/// The rules flags ask for, with the settings file's choices where no
/// flag made one, and its severities.
pub(crate) fn load_rules(args: &RuleArgs, settings: Option<&Settings>) -> Result<RuleSet> {
    let mut args = args.clone();
    super::settings::merge_rules(&mut args, settings);
    let mut set = RuleSet::load(&args.rules, true).map_err(Error::Rules)?;
    super::settings::apply_severities(&mut set, settings)?;
    let set = set.select(&args.only, &args.disable).map_err(|e| {
        blame(
            e,
            settings,
            &[("only", &args.only), ("disable", &args.disable)],
        )
    })?;
    set.select_countries(&args.country)
        .map_err(|e| blame(e, settings, &[("country", &args.country)]))
}

/// A selection error, named at its line of the settings file when the
/// selection came from there.
fn blame(
    err: SelectError,
    settings: Option<&Settings>,
    keys: &[(&str, &Vec<String>)],
) -> anyhow::Error {
    let named = match &err {
        SelectError::Rule(name) | SelectError::Country(name) => name,
    };
    // The values came from the file when they are the file's list.
    let from_file = settings.and_then(|s| {
        let (key, _) = keys.iter().find(|(key, values)| {
            let file = match *key {
                "only" => &s.only,
                "disable" => &s.disable,
                _ => &s.country,
            };
            file == *values && values.iter().any(|v| v.eq_ignore_ascii_case(named))
        })?;
        Some(s.blame(key))
    });
    match from_file {
        Some(place) => anyhow::anyhow!("{place}: {err}"),
        None => Error::from(err).into(),
    }
}

/// The columns of `rules list` before the description.
const COLUMNS: [(&str, usize); 5] = [
    ("id", 26),
    ("kind", 20),
    ("category", 14),
    ("severity", 9),
    ("confidence", 10),
];

pub(crate) fn list(args: &RuleArgs) -> Result<Exit> {
    let rules = load_rules(args, None)?;
    // On a terminal the description wraps under itself; into a pipe each
    // rule stays one line, for grep.
    let width = io::stdout().is_terminal().then(terminal_width).flatten();
    let mut text = String::new();
    let header = COLUMNS.map(|(name, _)| name);
    push_row(&mut text, &header, "description", width);
    for r in rules.rules() {
        let cells = [
            r.id.to_string(),
            r.kind.to_string(),
            r.category.to_string(),
            r.severity.to_string(),
            r.confidence.to_string(),
        ];
        push_row(
            &mut text,
            &cells.each_ref().map(String::as_str),
            &r.description,
            width,
        );
    }
    write_stdout(|| {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    })
}

/// The terminal's width, or `COLUMNS` where the terminal does not say.
fn terminal_width() -> Option<usize> {
    let asked = terminal_size::terminal_size().map(|(w, _)| usize::from(w.0));
    asked
        .filter(|&w| w > 0)
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
}

/// The narrowest description column worth wrapping into; on a narrower
/// terminal the description goes under the row, indented.
const MIN_DESCRIPTION: usize = 40;

/// One row of `rules list`: padded columns, then the description wrapped
/// to `width` with its continuation lines under its start.
fn push_row(text: &mut String, cells: &[&str; 5], description: &str, width: Option<usize>) {
    let mut indent = 0;
    for ((_, w), cell) in COLUMNS.iter().zip(cells) {
        text.push_str(&format!("{cell:<w$} "));
        indent += w.max(&cell.len()) + 1;
    }
    let Some(width) = width else {
        text.push_str(description);
        text.push('\n');
        return;
    };
    if width < indent + MIN_DESCRIPTION {
        text.truncate(text.trim_end().len());
        text.push('\n');
        indent = 4;
        text.push_str(&" ".repeat(indent));
    }
    let room = width.saturating_sub(indent).max(MIN_DESCRIPTION / 2);
    let mut line_len = 0;
    for word in description.split_whitespace() {
        if line_len > 0 && line_len + 1 + word.len() > room {
            text.push('\n');
            text.push_str(&" ".repeat(indent));
            line_len = 0;
        } else if line_len > 0 {
            text.push(' ');
            line_len += 1;
        }
        text.push_str(word);
        line_len += word.len();
    }
    text.push('\n');
}

pub(crate) fn check(paths: &[PathBuf]) -> Result<Exit> {
    let set = RuleSet::load(paths, true).map_err(Error::Rules)?;
    if paths.is_empty() {
        return say(&format!("ok: {} built-in rules\n", set.len()));
    }
    // The loader has refused a folder without rule files.
    let mut files = 0;
    for path in paths {
        files += rule_files(path).map_err(|e| Error::io(path, e))?.len();
    }
    let own = set.rules().iter().filter(|r| !is_builtin(r)).count();
    say(&format!(
        "ok: {own} rule{} in {files} file{} (checked together with the {} built-in rules)\n",
        if own == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" },
        set.len() - own
    ))
}

fn is_builtin(rule: &Rule) -> bool {
    rule.origin.file.starts_with("<builtin>/")
}

pub(crate) fn test(paths: &[PathBuf]) -> Result<Exit> {
    let set = RuleSet::load(paths, true).map_err(Error::Rules)?;
    let report = piiscan::scan::examples::test_rules(&set)?;
    let mut err = io::stderr().lock();
    for failure in &report.failures {
        let _ = writeln!(err, "FAIL {failure}");
    }
    say(&format!(
        "rules: {} passed, {} failed\n",
        report.passed,
        report.failures.len()
    ))?;
    Ok(if report.failures.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}

/// Writes `text` to standard output.
fn say(text: &str) -> Result<Exit> {
    write_stdout(|| {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_description_wraps_under_itself_on_a_terminal() {
        let cells = [
            "credit-card",
            "credit_card",
            "financial",
            "critical",
            "high",
        ];
        let description = "Payment card numbers of every major scheme, checked by Luhn";
        let mut text = String::new();
        push_row(&mut text, &cells, description, Some(140));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 1, "{text}");
        assert!(lines.iter().all(|l| l.len() <= 140), "{text}");
        let indent = COLUMNS.iter().map(|(_, w)| w + 1).sum::<usize>();
        assert!(lines[1].starts_with(&" ".repeat(indent)), "{text}");
        let mut piped = String::new();
        push_row(&mut piped, &cells, description, None);
        assert_eq!(piped.lines().count(), 1);
        // Too narrow for a column: under the row.
        let mut narrow = String::new();
        push_row(&mut narrow, &cells, description, Some(100));
        let lines: Vec<&str> = narrow.lines().collect();
        assert!(lines[1].starts_with("    Payment card"), "{narrow}");
        assert!(lines.iter().all(|l| l.len() <= 100), "{narrow}");
    }
}
