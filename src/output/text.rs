//! Text output for people: findings grouped under their file, one line
//! each with `line:column`, the kind of data, the masked value, confidence
//! and severity, and where in a table or document it is. The rule behind a
//! finding is an implementation detail, shown when asked. Colour only when
//! asked (the binary asks when stdout is a terminal).

use std::io::{self, BufWriter, Write};
use std::sync::Arc;

use super::{sanitize, Reporter};
use crate::finding::Finding;

/// How text output looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextStyle {
    /// ANSI colour.
    pub color: bool,
    /// Each finding also names its rule.
    pub rule_ids: bool,
}

/// Writes findings grouped by file.
pub struct TextReporter<W: Write> {
    out: BufWriter<W>,
    style: TextStyle,
    current: Option<Arc<str>>,
}

impl<W: Write> TextReporter<W> {
    /// A reporter writing to `out` in `style`.
    pub fn new(out: W, style: TextStyle) -> Self {
        TextReporter {
            out: BufWriter::with_capacity(64 * 1024, out),
            style,
            current: None,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.style.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

impl<W: Write> Reporter for TextReporter<W> {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        if self.current.as_deref() != Some(&*f.path) {
            if self.current.is_some() {
                writeln!(self.out)?;
            }
            let header = self.paint("1;35", &sanitize(&f.path));
            writeln!(self.out, "{header}")?;
            self.current = Some(f.path.clone());
        }
        let place = self.paint("32", &format!("{}:{}", f.line, f.column));
        let kind = self.paint("1", &f.kind);
        let mut where_ = String::new();
        if let (Some(row), Some(col)) = (f.csv_row, &f.csv_column) {
            let col = match col {
                crate::finding::CsvColumn::Name(n) => sanitize(n),
                crate::finding::CsvColumn::Index(i) => i.to_string(),
            };
            where_ = format!("  row {row} column {col}");
        }
        if let Some(p) = &f.json_path {
            where_ = format!("  {}", sanitize(p));
        }
        if let Some(note) = f.note {
            where_.push_str(&format!("  ({note})"));
        }
        if self.style.rule_ids {
            where_.push_str(&self.paint("2", &format!("  [rule {}]", f.rule)));
        }
        writeln!(
            self.out,
            "{place}\t{kind}\t{}\t{} confidence, {} severity{where_}",
            sanitize(&f.masked),
            f.confidence,
            f.severity
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{render, sample};
    use super::super::Format;

    #[test]
    fn groups_by_file() {
        let text = render(
            Format::Text,
            &[
                sample("a.csv", 1, "************1111"),
                sample("a.csv", 2, "x"),
                sample("b\n.csv", 1, "y"),
            ],
        );
        let expected = "a.csv\n1:7\tcredit_card\t************1111\thigh confidence, critical severity  row 3 column card\n\
                        2:7\tcredit_card\tx\thigh confidence, critical severity  row 3 column card\n\n\
                        b\\n.csv\n1:7\tcredit_card\ty\thigh confidence, critical severity  row 3 column card\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn names_the_rule_when_asked() {
        let mut out = Vec::new();
        let style = super::TextStyle {
            color: false,
            rule_ids: true,
        };
        {
            let mut r = super::TextReporter::new(&mut out, style);
            use super::Reporter as _;
            r.finding(&sample("a.csv", 1, "x")).unwrap();
            r.finish().unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with("row 3 column card  [rule credit-card]\n"),
            "{text}"
        );
    }
}
