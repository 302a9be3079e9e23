//! The report's formats: `text` for a terminal (a summary that fits a
//! screen, then the details), `json` (the [`super::Report`] as it is, its
//! schema versioned by [`super::SCHEMA`]), and `csv` (one row per
//! minimisation finding, formula-safe, for a compliance spreadsheet).

use std::io::{self, Write};

use super::Report;
use crate::output::csv::cell;
use crate::summary::count;

/// The columns of the CSV report, in order.
pub const CSV_FIELDS: [&str; 9] = [
    "id",
    "severity",
    "check",
    "principle",
    "path",
    "column",
    "evidence",
    "recommendation",
    "command",
];

/// Writes `report` as JSON.
pub fn json(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    crate::output::safe_json::write(&mut *out, report, true)?;
    writeln!(out)
}

/// Writes `report`'s minimisation findings as CSV rows under a header.
pub fn csv(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let into_io = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    };
    writer.write_record(CSV_FIELDS).map_err(into_io)?;
    for issue in &report.minimisation {
        let record = [
            issue.id.as_str(),
            issue.severity.as_str(),
            issue.check,
            issue.principle,
            &issue.path,
            issue.column.as_deref().unwrap_or(""),
            &issue.evidence,
            &issue.recommendation,
            &issue.command,
        ];
        writer
            .write_record(record.iter().map(|f| cell(f).into_owned()))
            .map_err(into_io)?;
    }
    writer.flush()
}

/// Files and columns shown in the text report's details; the JSON and
/// HTML reports hold them all.
const SHOWN: usize = 25;

/// Writes `report` for a terminal: a summary that fits a screen, then the
/// minimisation findings, files and columns.
pub fn text(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let t = &report.totals;
    writeln!(out, "piiscan report ({})", report.generated_at)?;
    if let (Some(files), Some(bytes)) = (t.files_examined, t.bytes) {
        let files = count(files, "file", "files");
        writeln!(out, "examined {files}, {}", crate::summary::Bytes(bytes))?;
    }
    match t.findings {
        0 => writeln!(out, "no findings")?,
        n => writeln!(
            out,
            "{} in {}: {}",
            count(n, "finding", "findings"),
            count(t.files_with_findings, "file", "files"),
            kinds(&t.by_kind)
        )?,
    }
    if t.shared_values > 0 {
        let about = if t.shared_values_estimated {
            "about "
        } else {
            ""
        };
        let values = match t.shared_values {
            1 => "1 value is".to_string(),
            n => format!("{n} values are"),
        };
        writeln!(out, "{about}{values} held in more than one file")?;
    }
    let severities: Vec<String> = t
        .by_severity
        .iter()
        .rev()
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    if severities.is_empty() {
        writeln!(out, "no minimisation findings")?;
    } else {
        writeln!(out, "minimisation findings: {}", severities.join(", "))?;
    }
    coverage(report, out)?;

    if !report.minimisation.is_empty() {
        writeln!(out, "\nMinimisation findings")?;
    }
    for issue in &report.minimisation {
        let at = match &issue.column {
            Some(column) => format!("{} [{column}]", issue.path),
            None => issue.path.clone(),
        };
        writeln!(
            out,
            "\n{} {}  {}",
            issue.severity.as_str().to_uppercase(),
            issue.id,
            at
        )?;
        writeln!(out, "  {}", issue.evidence)?;
        writeln!(out, "  under: {}", issue.principle)?;
        writeln!(out, "  do: {}", issue.recommendation)?;
        writeln!(out, "  $ {}", issue.command)?;
    }

    writeln!(out, "\nFiles (most findings first)")?;
    for f in report.files.iter().take(SHOWN) {
        let size = f.bytes.map(|b| crate::summary::Bytes(b).to_string());
        let age = f.age_days.map(|d| format!("{d} days old"));
        let facts: Vec<String> = [Some(f.format.clone()), size, age]
            .into_iter()
            .flatten()
            .collect();
        writeln!(
            out,
            "  {}  {} findings ({})",
            f.path,
            f.findings,
            facts.join(", ")
        )?;
        writeln!(out, "    {}", kinds(&f.by_kind))?;
    }
    more(out, report.files.len(), "files")?;

    if !report.columns.is_empty() {
        writeln!(out, "\nColumns and key paths")?;
    }
    for c in report.columns.iter().take(SHOWN) {
        let share = c.share.map(|s| format!(", {:.0}% of cells", s * 100.0));
        let about = if c.distinct_estimated { "~" } else { "" };
        writeln!(
            out,
            "  {} [{}]  {} {}{}, {about}{} distinct, e.g. {}",
            c.path,
            c.column,
            c.by_kind.get(&c.kind).copied().unwrap_or(0),
            c.kind,
            share.unwrap_or_default(),
            c.distinct,
            c.sample
        )?;
    }
    more(out, report.columns.len(), "columns")
}

fn coverage(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let c = &report.coverage;
    if !c.known {
        return writeln!(
            out,
            "coverage unknown: give the scan's --coverage file to --from to know what was not examined"
        );
    }
    if c.incomplete.is_empty() {
        writeln!(out, "every input was examined in full")?;
    } else {
        writeln!(out, "not examined in full: {}", c.incomplete.len())?;
        for gap in c.incomplete.iter().take(SHOWN) {
            writeln!(out, "  {} ({})", gap.path, gap.detail)?;
        }
        more(out, c.incomplete.len(), "inputs")?;
    }
    if !c.skipped.is_empty() {
        writeln!(out, "left out by choice: {}", c.skipped.len())?;
    }
    Ok(())
}

fn more(out: &mut dyn Write, total: usize, what: &str) -> io::Result<()> {
    if total > SHOWN {
        writeln!(
            out,
            "  … and {} more {what} (--format json or html lists all)",
            total - SHOWN
        )?;
    }
    Ok(())
}

/// `kind n, kind n, …`, most first.
pub(super) fn kinds(by_kind: &std::collections::BTreeMap<String, u64>) -> String {
    let mut list: Vec<(&String, &u64)> = by_kind.iter().collect();
    list.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    list.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
