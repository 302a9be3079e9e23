//! Text output for people: findings grouped under their file, one line
//! each with `line:column`, rule, masked value and confidence. Colour only
//! when asked (the binary asks when stdout is a terminal).

use std::io::{self, BufWriter, Write};
use std::sync::Arc;

use super::{sanitize, Reporter};
use crate::finding::Finding;

/// Writes findings grouped by file.
pub struct TextReporter<W: Write> {
    out: BufWriter<W>,
    color: bool,
    current: Option<Arc<str>>,
}

impl<W: Write> TextReporter<W> {
    /// A reporter writing to `out`, with ANSI colour if `color`.
    pub fn new(out: W, color: bool) -> Self {
        TextReporter {
            out: BufWriter::with_capacity(64 * 1024, out),
            color,
            current: None,
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
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
        let rule = self.paint("1", &f.rule);
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
        writeln!(
            self.out,
            "{place}\t{rule}\t{}\t{} confidence, {} severity{where_}",
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
        let expected = "a.csv\n1:7\tcredit-card\t************1111\thigh confidence, critical severity  row 3 column card\n\
                        2:7\tcredit-card\tx\thigh confidence, critical severity  row 3 column card\n\n\
                        b\\n.csv\n1:7\tcredit-card\ty\thigh confidence, critical severity  row 3 column card\n";
        assert_eq!(text, expected);
    }
}
