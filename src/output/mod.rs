//! Output: one reporter per format, each generic over `W: Write` and fed
//! findings in path and offset order by the single writer thread. The
//! progress bar and path sanitising live here too: everything that reaches
//! a terminal goes through this module.

pub(crate) mod csv;
mod github;
mod json;
mod junit;
pub mod safe_json;
pub mod sarif;
mod text;

use std::io::{self, Write};
use std::str::FromStr;

use crate::error::ValueError;
use crate::finding::Finding;
use crate::gate::Suppression;
use crate::paths::RepoPaths;
use crate::rules::RuleSet;
use crate::sink::Sink;
use crate::summary::Summary;

pub use self::csv::CsvReporter;
pub use self::github::GithubReporter;
pub use self::json::{JsonReporter, NdjsonReporter};
pub use self::junit::JunitReporter;
pub use self::sarif::SarifReporter;
pub use self::text::{TextReporter, TextStyle};
pub use crate::sanitize::sanitize;

/// The fields of a finding, in CONTRACT.md's order: CSV columns, JSON keys.
pub const FIELDS: [&str; 15] = [
    "rule",
    "kind",
    "category",
    "severity",
    "confidence",
    "path",
    "line",
    "column",
    "start",
    "end",
    "csv_row",
    "csv_column",
    "json_path",
    "masked",
    "fingerprint",
];

/// An output format of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Grouped by file, for people.
    Text,
    /// One JSON array of findings.
    Json,
    /// One finding per line, for streams and `merge`.
    Ndjson,
    /// RFC 4180, safe to open in a spreadsheet.
    Csv,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

impl FromStr for Format {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, ValueError> {
        match s {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "ndjson" => Ok(Format::Ndjson),
            "csv" => Ok(Format::Csv),
            "sarif" => Ok(Format::Sarif),
            "github" => Ok(Format::Github),
            "junit" => Ok(Format::Junit),
            _ => Err(ValueError::NotOneOf {
                what: "format",
                value: s.to_string(),
                choices: &["text", "json", "ndjson", "csv", "sarif", "github", "junit"],
            }),
        }
    }
}

/// Receives findings in order and writes them in one format.
pub trait Reporter {
    /// Writes one finding.
    fn finding(&mut self, finding: &Finding) -> io::Result<()>;
    /// Takes a finding the gate accepted (a marker, the allowlist, the
    /// baseline): SARIF writes it as a suppressed result; other formats
    /// leave it out.
    fn suppressed(&mut self, finding: &Finding, why: &Suppression) -> io::Result<()> {
        let _ = (finding, why);
        Ok(())
    }
    /// Writes whatever closes the output (a closing bracket) and flushes.
    fn finish(&mut self) -> io::Result<()>;
}

/// `scan`'s output: a reporter writes each finding in its format.
impl<R: Reporter + ?Sized> Sink for R {
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        findings.iter().try_for_each(|f| self.finding(f))
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        Reporter::finish(self)
    }
}

/// What some formats say besides the findings.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// How text output looks.
    pub text: TextStyle,
    /// The rules of the run (SARIF describes each).
    pub rules: &'a RuleSet,
    /// A baseline is in use (SARIF marks results new or unchanged).
    pub baseline: bool,
    /// The lowest severity that fails the run (JUnit fails those cases,
    /// GitHub makes them errors).
    pub fail_on: Option<crate::finding::Severity>,
    /// How CI formats name files: relative to the repository's root.
    pub paths: &'a RepoPaths,
}

/// The reporter for `format`, writing to `out`.
pub fn reporter<'a, W: Write + 'a>(
    format: Format,
    out: W,
    cx: &Context<'_>,
) -> Box<dyn Reporter + 'a> {
    match format {
        Format::Text => Box::new(TextReporter::new(out, cx.text)),
        Format::Json => Box::new(JsonReporter::new(out)),
        Format::Ndjson => Box::new(NdjsonReporter::new(out)),
        Format::Csv => Box::new(CsvReporter::new(out)),
        Format::Sarif => Box::new(SarifReporter::new(
            out,
            cx.rules,
            cx.baseline,
            cx.paths.clone(),
        )),
        Format::Github => Box::new(GithubReporter::new(out, cx.fail_on, cx.paths.clone())),
        Format::Junit => Box::new(JunitReporter::new(out, cx.fail_on, cx.paths.clone())),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::finding::{Category, Confidence, CsvColumn, Severity};
    use std::sync::Arc;

    pub(crate) fn sample(path: &str, line: u64, masked: &str) -> Finding {
        Finding {
            rule: Arc::from("credit-card"),
            kind: Arc::from("credit_card"),
            category: Category::Financial,
            severity: Severity::Critical,
            confidence: Confidence::High,
            path: Arc::from(path),
            line,
            column: 7,
            start: 100,
            end: 116,
            csv_row: Some(3),
            csv_column: Some(CsvColumn::Name(Arc::from("card"))),
            json_path: None,
            sql_column: None,
            masked: masked.to_string(),
            fingerprint: crate::finding::Fingerprint::from_hex("0123456789abcdef0123456789abcdef")
                .unwrap(),
            note: None,
            field: None,
            allowed: None,
        }
    }

    pub(super) fn render(format: Format, findings: &[Finding]) -> String {
        let mut out = Vec::new();
        {
            let rules = RuleSet::default();
            let cx = Context {
                text: TextStyle::default(),
                rules: &rules,
                baseline: false,
                fail_on: None,
                paths: &RepoPaths::default(),
            };
            let mut r = reporter(format, &mut out, &cx);
            for f in findings {
                r.finding(f).unwrap();
            }
            r.finish().unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn sanitize_escapes_control_characters() {
        assert_eq!(sanitize("a\nb\x1b[2Jc"), "a\\nb\\u{1b}[2Jc");
        assert_eq!(sanitize("données/é.csv"), "données/é.csv");
    }

    #[test]
    fn formats_parse() {
        assert_eq!("ndjson".parse::<Format>(), Ok(Format::Ndjson));
        assert!("xml".parse::<Format>().is_err());
    }
}
