//! GitHub Actions workflow commands: one annotation per finding
//! (`::error file=…,line=…::…`), which GitHub shows on the pull request's
//! diff. The message holds the masked value only. Findings at or above
//! `--fail-on` are errors, others warnings (notices when low).

use std::io::{self, BufWriter, Write};

use super::Reporter;
use crate::finding::{Finding, Severity};
use crate::paths::RepoPaths;

/// Writes a workflow command per finding.
pub struct GithubReporter<W: Write> {
    out: BufWriter<W>,
    fail_on: Option<Severity>,
    paths: RepoPaths,
}

impl<W: Write> GithubReporter<W> {
    /// A reporter writing to `out`: findings at or above `fail_on` are
    /// errors; files named as `paths` says.
    pub fn new(out: W, fail_on: Option<Severity>, paths: RepoPaths) -> Self {
        GithubReporter {
            out: BufWriter::new(out),
            fail_on,
            paths,
        }
    }
}

impl<W: Write> Reporter for GithubReporter<W> {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        let command = match f.severity {
            s if self.fail_on.is_some_and(|level| s >= level) => "error",
            Severity::Low => "notice",
            _ => "warning",
        };
        // An archive member is annotated on its archive.
        let file = self.paths.of(f.path.split('!').next().unwrap_or(&f.path));
        let line = if f.path.contains('!') { 1 } else { f.line };
        let title = format!("piiscan: {} ({})", f.kind, f.severity);
        let mut message = format!(
            "{} found by rule {} ({} confidence): {}",
            f.kind, f.rule, f.confidence, f.masked
        );
        if f.path.contains('!') {
            message.push_str(&format!(" in {} line {}", f.path, f.line));
        }
        writeln!(
            self.out,
            "::{command} file={},line={line},title={}::{}",
            property(&file),
            property(&title),
            data(&message)
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Escapes a command's message; other control characters and
/// bidirectional marks as the text output escapes them (the log viewer
/// would act on them).
fn data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if crate::sanitize::is_unsafe(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_escaped() {
        assert_eq!(
            data("a\u{1b}]0;t\u{7}\u{202e}b%"),
            "a\\u{1b}]0;t\\u{7}\\u{202e}b%25"
        );
        assert_eq!(property("x\u{9b}2J,y"), "x\\u{9b}2J%2Cy");
    }

    #[test]
    fn annotations_are_escaped_and_masked() {
        let mut f = crate::output::tests::sample("./dir/a,b:c.csv", 7, "************1111");
        let mut out = Vec::new();
        {
            let mut r = GithubReporter::new(&mut out, Some(Severity::High), RepoPaths::default());
            r.finding(&f).unwrap();
            f.path = std::sync::Arc::from("x.zip!in\n.csv");
            f.severity = Severity::Medium;
            r.finding(&f).unwrap();
            r.finish().unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(
            lines[0],
            "::error file=dir/a%2Cb%3Ac.csv,line=7,title=piiscan%3A credit_card (critical)::credit_card found by rule credit-card (high confidence): ************1111"
        );
        assert!(
            lines[1].starts_with("::warning file=x.zip,line=1,"),
            "{}",
            lines[1]
        );
        assert!(
            lines[1].ends_with(" in x.zip!in%0A.csv line 7"),
            "{}",
            lines[1]
        );
    }
}
