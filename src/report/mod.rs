//! The minimisation report: what personal data each file and column holds,
//! how much, and what to do about it, under the GDPR principle or PCI DSS
//! requirement it falls under. It turns `scan`'s list of places into the
//! answers a compliance team acts on.
//!
//! - `tally`: one pass, bounded state: per document and per column counts,
//!   distinct values from keyed fingerprints, a sampled map of copies
//!   across files; fed by the scan (as its sink) or by saved output;
//! - `checks`: the minimisation findings drawn from the tally, each with
//!   its evidence, a recommendation and the `piiscan mask` command that
//!   carries it out;
//! - `render`: text, JSON and CSV; `html`: one self-contained page.
//!
//! Nothing in a report holds a value: counts, masked samples, paths.

pub mod checks;
pub mod html;
pub mod render;
pub mod tally;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::finding::Severity;
use crate::sanitize::sanitize;

pub use self::tally::Tally;

/// The version of the JSON report's schema; a change that removes or
/// retypes a field changes it.
pub const SCHEMA: &str = "piiscan-report/1";

/// What the report is asked to judge.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files last modified longer ago than this many days hold personal
    /// data past its storage limit (`--retention`).
    pub retention_days: Option<u64>,
    /// The time the report is made, in Unix seconds (ages count from it).
    pub now: u64,
}

/// A whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// When it was made (UTC, RFC 3339).
    pub generated_at: String,
    /// The retention period judged, in days.
    pub retention_days: Option<u64>,
    /// Totals over every file.
    pub totals: Totals,
    /// Every file (or archive member) with findings, most findings first.
    pub files: Vec<FileEntry>,
    /// Every column or JSON key path with findings, by file.
    pub columns: Vec<ColumnEntry>,
    /// The minimisation findings, most severe first.
    pub minimisation: Vec<Issue>,
    /// What was not examined, and why.
    pub coverage: CoverageEntry,
}

/// Totals over every file.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// Files and archive members examined (`null` without coverage).
    pub files_examined: Option<u64>,
    /// Bytes examined (`null` without coverage).
    pub bytes: Option<u64>,
    /// Files holding personal data.
    pub files_with_findings: u64,
    /// Findings.
    pub findings: u64,
    /// Findings by kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Values found in two or more files.
    pub shared_values: u64,
    /// The last figure is estimated from a sample (a very large run).
    pub shared_values_estimated: bool,
    /// Minimisation findings by severity.
    pub by_severity: BTreeMap<Severity, u64>,
}

/// One file (or archive member) that holds personal data.
#[derive(Debug, Clone, Serialize)]
pub struct FileEntry {
    /// As findings name it (`archive.zip!inner.csv` for a member).
    pub path: String,
    /// `delimited`, `JSON`, `NDJSON`, `SQL dump`, `text`, … and `archive
    /// member` when inside one.
    pub format: String,
    /// Bytes examined (not known for an archive member).
    pub bytes: Option<u64>,
    /// Last modified (the archive's, for a member), UTC date.
    pub modified: Option<String>,
    /// Days since then.
    pub age_days: Option<u64>,
    /// Findings.
    pub findings: u64,
    /// Findings per MB (10^6 bytes), when the size is known.
    pub per_mb: Option<f64>,
    /// Findings by kind.
    pub by_kind: BTreeMap<String, u64>,
}

/// One column of a delimited file, or one key path of a JSON document.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnEntry {
    /// The file.
    pub path: String,
    /// The header name or number, or the key path with array indices
    /// folded (`$.customers[*].email`).
    pub column: String,
    /// The kind most of its findings are.
    pub kind: String,
    /// Findings.
    pub findings: u64,
    /// Findings by kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Non-empty cells (delimited files).
    pub non_empty: Option<u64>,
    /// Share of non-empty cells holding the main kind (delimited files).
    pub share: Option<f64>,
    /// Distinct values, from keyed fingerprints.
    pub distinct: u64,
    /// `distinct` is an estimate (past an exact count).
    pub distinct_estimated: bool,
    /// One value of the main kind, masked as `scan` shows it.
    pub sample: String,
}

/// One minimisation finding.
#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    /// Stable across runs: the check and a digest of where.
    pub id: String,
    /// The check (`full-card-numbers`, `retention`, …).
    pub check: &'static str,
    /// The principle or requirement it falls under.
    pub principle: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// The file (or several, for copies across files).
    pub path: String,
    /// The column or key path, when it is about one.
    pub column: Option<String>,
    /// What was found, in counts.
    pub evidence: String,
    /// What to do.
    pub recommendation: String,
    /// The `piiscan mask` command that does it (the same for every finding
    /// on one input: it does what each asks).
    pub command: String,
    /// What the command does, before the findings on one input are merged.
    #[serde(skip)]
    pub plan: checks::Plan,
}

/// What was not examined, and why.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageEntry {
    /// Coverage is known: a scan, or `--from` with the scan's coverage
    /// file. Without it, what was not examined is unknown.
    pub known: bool,
    /// Every file or member that could not be (fully) examined.
    pub incomplete: Vec<tally::Gap>,
    /// Every file or member left out by choice (binary, excluded, …).
    pub skipped: Vec<tally::Gap>,
}

impl Report {
    /// The report on what `tally` counted.
    pub fn build(tally: &Tally, options: &Options) -> Report {
        let files = files(tally, options);
        let columns = columns(tally);
        let mut minimisation = checks::run(tally, &files, &columns, options);
        minimisation.sort_by(|a, b| {
            let rank = |check| checks::ORDER.iter().position(|c| *c == check);
            (b.severity.cmp(&a.severity))
                .then(rank(a.check).cmp(&rank(b.check)))
                .then(a.path.cmp(&b.path))
                .then(a.column.cmp(&b.column))
        });
        let mut by_kind: BTreeMap<String, u64> = BTreeMap::new();
        for entry in &files {
            for (kind, n) in &entry.by_kind {
                *by_kind.entry(kind.clone()).or_default() += n;
            }
        }
        let mut by_severity = BTreeMap::new();
        for issue in &minimisation {
            *by_severity.entry(issue.severity).or_default() += 1;
        }
        let gaps = |list: &[tally::Gap]| -> Vec<tally::Gap> {
            let mut list: Vec<tally::Gap> = list
                .iter()
                .map(|g| tally::Gap {
                    path: sanitize(&g.path),
                    ..g.clone()
                })
                .collect();
            list.sort_by(|a, b| a.path.cmp(&b.path));
            list
        };
        Report {
            schema: SCHEMA,
            generated_at: crate::clock::rfc3339(options.now),
            retention_days: options.retention_days,
            totals: Totals {
                files_examined: tally.covered.then_some(tally.files),
                bytes: tally.covered.then_some(tally.bytes),
                files_with_findings: files.len() as u64,
                findings: by_kind.values().sum(),
                by_kind,
                shared_values: tally.copies.shared(),
                shared_values_estimated: tally.copies.pairs().1,
                by_severity,
            },
            files,
            columns,
            minimisation,
            coverage: CoverageEntry {
                known: tally.covered,
                incomplete: gaps(&tally.incomplete),
                skipped: gaps(&tally.skipped),
            },
        }
    }
}

/// Every document with findings, most findings first.
fn files(tally: &Tally, options: &Options) -> Vec<FileEntry> {
    let mut files: Vec<FileEntry> = tally
        .docs
        .iter()
        .filter(|doc| !doc.by_kind.is_empty())
        .map(|doc| {
            let path = &*doc.path;
            let input = path.split('!').next().unwrap_or(path);
            let facts = tally.inputs.get(input);
            // A member's own size is not known, only its archive's.
            let bytes = facts.map(|f| f.bytes).filter(|_| input.len() == path.len());
            let modified = facts.and_then(|f| f.modified);
            let findings: u64 = doc.by_kind.values().sum();
            FileEntry {
                path: sanitize(path),
                format: format_of(path, doc.table),
                bytes,
                modified: modified.map(|t| crate::clock::rfc3339(t)[..10].to_string()),
                age_days: modified.map(|t| options.now.saturating_sub(t) / 86_400),
                findings,
                per_mb: bytes
                    .filter(|&b| b > 0)
                    .map(|b| round2(findings as f64 * 1e6 / b as f64)),
                by_kind: doc.by_kind.clone(),
            }
        })
        .collect();
    files.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.path.cmp(&b.path)));
    files
}

/// Every column with findings, in file then column order.
fn columns(tally: &Tally) -> Vec<ColumnEntry> {
    let mut all: Vec<(&str, &str, &tally::ColumnTally)> = tally
        .docs
        .iter()
        .flat_map(|doc| {
            (doc.columns.iter())
                .filter(|(_, c)| !c.by_kind.is_empty())
                .map(|(name, c)| (&*doc.path, name.as_str(), c))
        })
        .collect();
    all.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    // Sorted by their shown (sanitised) path too: `checks` looks a file's
    // columns up by it.
    let mut entries: Vec<ColumnEntry> = all
        .into_iter()
        .map(|(path, column, c)| {
            let (kind, most) = c
                .by_kind
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(k, n)| (k.clone(), *n))
                .unwrap_or_default();
            let non_empty = c.cells.map(|(_, n)| n);
            let (distinct, distinct_estimated) = c.distinct.count();
            let sample = c.samples.get(&kind).cloned().unwrap_or_default();
            ColumnEntry {
                path: sanitize(path),
                column: sanitize(column),
                kind,
                findings: c.by_kind.values().sum(),
                by_kind: c.by_kind.clone(),
                non_empty,
                share: non_empty
                    .filter(|&n| n > 0)
                    .map(|n| round2((most as f64 / n as f64).min(1.0))),
                distinct,
                distinct_estimated,
                sample,
            }
        })
        .collect();
    entries.sort_by(|a, b| (&a.path, &a.column).cmp(&(&b.path, &b.column)));
    entries
}

/// What kind of file a document is, from its name (through compression)
/// and whether it was read as a table.
fn format_of(path: &str, table: bool) -> String {
    let name = path.rsplit('!').next().unwrap_or(path);
    let ext = crate::formats::table::inner_extension(name);
    let format = match ext.as_str() {
        _ if table => "delimited",
        "json" | "geojson" => "JSON",
        "ndjson" | "jsonl" => "NDJSON",
        "sql" => "SQL dump",
        "log" => "log",
        "xml" => "XML",
        "html" | "htm" => "HTML",
        "md" | "txt" | "" => "text",
        _ => "text",
    };
    match path.contains('!') {
        true => format!("{format}, archive member"),
        false => format.to_string(),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_names_and_tables() {
        assert_eq!(format_of("a/b.csv", true), "delimited");
        assert_eq!(
            format_of("x.zip!dump/users.sql", false),
            "SQL dump, archive member"
        );
        assert_eq!(format_of("events.ndjson.zst", false), "NDJSON");
        assert_eq!(format_of("notes", false), "text");
    }
}
