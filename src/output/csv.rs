//! CSV output: RFC 4180, one finding per row, safe to open in a
//! spreadsheet: a cell that begins with `=`, `+`, `-`, `@`, tab or carriage
//! return is prefixed with `'` so it is shown, never evaluated; and safe to
//! `cat`: control characters and bidirectional marks from file names or
//! headers are escaped, as the text output escapes them.

use std::io::{self, Write};

use super::Reporter;
use crate::finding::{CsvColumn, Finding};
use crate::sanitize::is_unsafe;

/// Writes findings as CSV rows under a header.
pub struct CsvReporter<W: Write> {
    out: csv::Writer<W>,
    header_written: bool,
}

impl<W: Write> CsvReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        CsvReporter {
            out: csv::Writer::from_writer(out),
            header_written: false,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            let header = super::FIELDS.iter().chain([&"note", &"sql_column"]);
            self.out.write_record(header).map_err(into_io)?;
        }
        Ok(())
    }
}

/// Neutralises spreadsheet formulas and terminal escapes (the report's
/// CSV uses it too).
pub(crate) fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    // Line ends and tabs stay: the writer quotes them, and a terminal
    // shows them.
    let unsafe_char = |c: char| is_unsafe(c) && !matches!(c, '\n' | '\r' | '\t');
    let text: std::borrow::Cow<'_, str> = if !text.chars().any(unsafe_char) {
        text.into()
    } else {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if unsafe_char(c) {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        out.into()
    };
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{text}").into(),
        _ => text,
    }
}

fn into_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

impl<W: Write> Reporter for CsvReporter<W> {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        self.header()?;
        let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        let column = match &f.csv_column {
            Some(CsvColumn::Name(n)) => n.to_string(),
            Some(CsvColumn::Index(i)) => i.to_string(),
            None => String::new(),
        };
        let record = [
            cell(&f.rule).into_owned(),
            cell(&f.kind).into_owned(),
            f.category.to_string(),
            f.severity.to_string(),
            f.confidence.to_string(),
            cell(&f.path).into_owned(),
            f.line.to_string(),
            f.column.to_string(),
            f.start.to_string(),
            f.end.to_string(),
            opt(f.csv_row),
            cell(&column).into_owned(),
            cell(f.json_path.as_deref().unwrap_or("")).into_owned(),
            cell(&f.masked).into_owned(),
            f.fingerprint.to_string(),
            f.note.unwrap_or("").to_string(),
            cell(f.sql_column.as_deref().unwrap_or("")).into_owned(),
        ];
        self.out.write_record(&record).map_err(into_io)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.header()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{render, sample};
    use super::super::Format;

    #[test]
    fn parses_back_and_neutralises_formulas() {
        let mut risky = sample("=cmd|'/C calc'!A0.csv", 1, "+** * ** 78");
        risky.json_path = Some("@x".into());
        risky.sql_column = Some("=t.c".into());
        let text = render(Format::Csv, &[sample("a,b\".csv", 1, "****1111"), risky]);
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let headers = rdr.headers().unwrap().clone();
        assert_eq!(headers.len(), 17);
        assert_eq!(&headers[16], "sql_column");
        let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][5], "a,b\".csv");
        assert_eq!(&rows[1][5], "'=cmd|'/C calc'!A0.csv");
        assert_eq!(&rows[1][13], "'+** * ** 78");
        assert_eq!(&rows[1][12], "'@x");
        assert_eq!(&rows[1][16], "'=t.c");
        assert_eq!(&rows[0][10], "3");
    }

    #[test]
    fn escapes_terminal_controls_in_every_cell() {
        let mut risky = sample("a\u{1b}]0;title\u{7}b\u{9b}2J.csv", 1, "****1111");
        risky.json_path = Some("$.x\u{202e}y".into());
        let text = render(Format::Csv, &[risky]);
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
            "{text:?}"
        );
        assert!(
            text.contains("a\\u{1b}]0;title\\u{7}b\\u{9b}2J.csv"),
            "{text}"
        );
    }

    #[test]
    fn empty_output_still_has_a_header() {
        assert!(render(Format::Csv, &[]).starts_with("rule,kind,"));
    }
}
