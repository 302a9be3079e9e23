//! What a scan looked at, what it skipped and why, and what it found: the
//! summary printed on stderr and returned to the caller for the exit code.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::finding::Finding;
use crate::formats::table::ColumnStats;
use crate::input::SkipReason;
use crate::sanitize::sanitize;

/// How many skipped inputs the summary names before it only counts.
const SHOWN_SKIPS: usize = 20;

/// Totals of one scan.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Inputs scanned (fully or partly).
    pub files: u64,
    /// Bytes examined (after decompression and decoding).
    pub bytes: u64,
    /// Inputs skipped or cut short, by reason.
    pub skipped: BTreeMap<SkipReason, u64>,
    /// Every input skipped or cut short, in path order.
    pub incomplete_inputs: Vec<(Arc<str>, SkipReason)>,
    /// Reported findings by kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Reported findings.
    pub findings: u64,
    /// Wall-clock time of the scan.
    pub elapsed: Duration,
    /// Per-column counts of every delimited file scanned, in path order.
    pub tables: Vec<(Arc<str>, Vec<ColumnStats>)>,
}

impl Summary {
    /// Counts one reported finding.
    pub fn add_finding(&mut self, finding: &Finding) {
        self.findings += 1;
        match self.by_kind.get_mut(&*finding.kind) {
            Some(n) => *n += 1,
            None => {
                self.by_kind.insert(finding.kind.to_string(), 1);
            }
        }
    }

    /// Records one skipped input.
    pub fn add_skip(&mut self, path: Arc<str>, reason: SkipReason) {
        *self.skipped.entry(reason).or_default() += 1;
        self.incomplete_inputs.push((path, reason));
    }

    /// Number of inputs not fully examined.
    pub fn incomplete(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// The coverage section: what was examined, and every input not fully
    /// examined with its reason.
    pub fn coverage(&self) -> Coverage<'_> {
        Coverage {
            complete: self.incomplete_inputs.is_empty(),
            files: self.files,
            bytes: self.bytes,
            findings: self.findings,
            by_kind: &self.by_kind,
            incomplete: self
                .incomplete_inputs
                .iter()
                .map(|(path, reason)| Gap {
                    path,
                    reason: reason.code(),
                    detail: reason.as_str(),
                })
                .collect(),
            tables: self
                .tables
                .iter()
                .map(|(path, columns)| TableCoverage { path, columns })
                .collect(),
        }
    }
}

/// What a scan covered, as the `--coverage` file holds it.
#[derive(Debug, Serialize)]
pub struct Coverage<'a> {
    /// True when every input was fully examined.
    pub complete: bool,
    /// Files (and archive members) examined.
    pub files: u64,
    /// Bytes examined, after decompression.
    pub bytes: u64,
    /// Findings reported.
    pub findings: u64,
    /// Findings reported, by kind.
    pub by_kind: &'a BTreeMap<String, u64>,
    /// Every input or member not fully examined, in path order.
    pub incomplete: Vec<Gap<'a>>,
    /// Every delimited file, with cell and finding counts per column.
    pub tables: Vec<TableCoverage<'a>>,
}

/// The columns of one delimited file.
#[derive(Debug, Serialize)]
pub struct TableCoverage<'a> {
    /// As findings name the file.
    pub path: &'a str,
    /// Per column: name, cells, non-empty cells, findings by kind.
    pub columns: &'a [ColumnStats],
}

/// One input or archive member not fully examined.
#[derive(Debug, Serialize)]
pub struct Gap<'a> {
    /// As findings name it (`archive.zip!inner/file.csv` for a member).
    pub path: &'a str,
    /// A stable code: `binary`, `corrupt`, `too_deep`, `ratio`, …
    pub reason: &'static str,
    /// The reason in words.
    pub detail: &'static str,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        let mb = self.bytes as f64 / 1e6;
        let rate = if secs > 0.0 { mb / secs } else { 0.0 };
        writeln!(
            f,
            "scanned {} file{}, {:.1} MB in {:.2}s ({:.0} MB/s)",
            self.files,
            if self.files == 1 { "" } else { "s" },
            mb,
            secs,
            rate
        )?;
        if !self.skipped.is_empty() {
            let parts: Vec<String> = self
                .skipped
                .iter()
                .map(|(r, n)| format!("{n} {r}"))
                .collect();
            writeln!(f, "not fully examined: {}", parts.join(", "))?;
            for (path, reason) in self.incomplete_inputs.iter().take(SHOWN_SKIPS) {
                writeln!(f, "  {} ({reason})", sanitize(path))?;
            }
            let more = self.incomplete_inputs.len().saturating_sub(SHOWN_SKIPS);
            if more > 0 {
                writeln!(f, "  … and {more} more")?;
            }
        }
        if self.by_kind.is_empty() {
            writeln!(f, "no findings")
        } else {
            let parts: Vec<String> = self
                .by_kind
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect();
            writeln!(f, "{} findings: {}", self.findings, parts.join(", "))
        }
    }
}
