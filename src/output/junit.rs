//! JUnit XML, for CI systems that show test reports (GitLab, Jenkins,
//! Azure): a test case per finding, failed when the finding is at or above
//! `--fail-on`, passed otherwise, skipped when the gate accepted it (with
//! the reason). A run without findings is one passed case, so the report
//! is never empty. Messages hold masked values only.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::Reporter;
use crate::finding::{Finding, Severity};
use crate::gate::Suppression;
use crate::paths::RepoPaths;

/// Collects test cases and writes the document at the end (its opening
/// tag holds the counts).
pub struct JunitReporter<W: Write> {
    out: W,
    fail_on: Option<Severity>,
    paths: RepoPaths,
    cases: String,
    tests: u64,
    failures: u64,
    skipped: u64,
}

impl<W: Write> JunitReporter<W> {
    /// A reporter writing to `out`; findings at or above `fail_on` fail.
    pub fn new(out: W, fail_on: Option<Severity>, paths: RepoPaths) -> Self {
        JunitReporter {
            out,
            fail_on,
            paths,
            cases: String::new(),
            tests: 0,
            failures: 0,
            skipped: 0,
        }
    }

    fn case(&mut self, f: &Finding, inner: &str) {
        self.tests += 1;
        let path = escape(&self.paths.of(&f.path));
        let _ = write!(
            self.cases,
            "    <testcase classname=\"{}\" name=\"{} at line {} ({})\" file=\"{}\">",
            path,
            escape(&f.kind),
            f.line,
            escape(&f.rule),
            path,
        );
        self.cases.push_str(inner);
        self.cases.push_str("</testcase>\n");
    }
}

impl<W: Write> Reporter for JunitReporter<W> {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        let message = format!(
            "{} ({} severity, {} confidence): {}",
            f.kind, f.severity, f.confidence, f.masked
        );
        let fails = self.fail_on.is_some_and(|level| f.severity >= level);
        let inner = match fails {
            true => {
                self.failures += 1;
                format!(
                    "<failure type=\"{}\" message=\"{}\">{}:{}:{} {}</failure>",
                    escape(&f.kind),
                    escape(&message),
                    escape(&f.path),
                    f.line,
                    f.column,
                    escape(&message)
                )
            }
            false => format!(
                "<system-out>{} (below --fail-on)</system-out>",
                escape(&message)
            ),
        };
        self.case(f, &inner);
        Ok(())
    }

    fn suppressed(&mut self, f: &Finding, why: &Suppression) -> io::Result<()> {
        self.skipped += 1;
        let inner = format!("<skipped message=\"{}\"/>", escape(&why.justification()));
        self.case(f, &inner);
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.tests == 0 {
            self.tests = 1;
            self.cases.push_str(
                "    <testcase classname=\"piiscan\" name=\"no personal data found\"/>\n",
            );
        }
        let counts = format!(
            "tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\"",
            self.tests, self.failures, self.skipped
        );
        write!(
            self.out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"piiscan\" {counts}>\n  \
             <testsuite name=\"piiscan\" {counts}>\n{}  </testsuite>\n</testsuites>\n",
            self.cases
        )?;
        self.out.flush()
    }
}

/// Escapes text for XML 1.0 attributes and content; characters XML 1.0
/// cannot hold, and those a terminal would act on, are written as `\u{…}`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept as they are, line ends and tabs would be normalised
            // to spaces in an attribute.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if crate::sanitize::is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(findings: &[(Finding, Option<Suppression>)], fail_on: Option<Severity>) -> String {
        let mut out = Vec::new();
        {
            let mut r = JunitReporter::new(&mut out, fail_on, RepoPaths::default());
            for (f, why) in findings {
                match why {
                    Some(why) => r.suppressed(f, why).unwrap(),
                    None => r.finding(f).unwrap(),
                }
            }
            r.finish().unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn findings_fail_pass_or_skip() {
        let f = crate::output::tests::sample("a<b>.csv", 2, "************1111");
        let mut low = f.clone();
        low.severity = Severity::Low;
        let xml = render(
            &[
                (f.clone(), None),
                (low, None),
                (f, Some(Suppression::Baseline)),
            ],
            Some(Severity::High),
        );
        assert!(xml.contains("<testsuites name=\"piiscan\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\">"), "{xml}");
        assert!(xml.contains("classname=\"a&lt;b&gt;.csv\""));
        assert!(xml.contains("************1111"));
        assert!(xml.contains("<skipped message=\"in the baseline\"/>"));
        assert!(xml.contains("(below --fail-on)"));
    }

    #[test]
    fn an_empty_run_is_one_passed_case() {
        let xml = render(&[], Some(Severity::Low));
        assert!(xml.contains("tests=\"1\" failures=\"0\""), "{xml}");
        assert_eq!(escape("a\u{1b}b"), "a\\u{1b}b");
    }
}
