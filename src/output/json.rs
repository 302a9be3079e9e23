//! JSON output: an array of findings (`json`) or one finding per line
//! (`ndjson`), with the fields CONTRACT.md lists.

use std::io::{self, BufWriter, Write};

use super::Reporter;
use crate::finding::Finding;

/// Writes one JSON array.
pub struct JsonReporter<W: Write> {
    out: BufWriter<W>,
    count: u64,
}

impl<W: Write> JsonReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        JsonReporter {
            out: BufWriter::with_capacity(64 * 1024, out),
            count: 0,
        }
    }
}

impl<W: Write> Reporter for JsonReporter<W> {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n  " } else { b",\n  " })?;
        self.count += 1;
        serde_json::to_writer(&mut self.out, f).map_err(io::Error::other)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// Writes one JSON object per line.
pub struct NdjsonReporter<W: Write> {
    out: BufWriter<W>,
}

impl<W: Write> NdjsonReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        NdjsonReporter {
            out: BufWriter::with_capacity(64 * 1024, out),
        }
    }
}

impl<W: Write> Reporter for NdjsonReporter<W> {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, f).map_err(io::Error::other)?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{render, sample};
    use super::super::Format;
    use serde_json::Value;

    #[test]
    fn json_is_an_array_with_every_contract_field() {
        let text = render(
            Format::Json,
            &[
                sample("a.csv", 1, "****1111"),
                sample("b.csv", 2, "****2222"),
            ],
        );
        let v: Vec<Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(v.len(), 2);
        for field in super::super::FIELDS {
            assert!(v[0].get(field).is_some(), "missing {field}");
        }
        assert_eq!(v[0]["category"], "financial");
        assert_eq!(v[0]["csv_column"], "card");
        assert_eq!(v[1]["json_path"], Value::Null);
        assert_eq!(render(Format::Json, &[]), "[]\n");
    }

    #[test]
    fn ndjson_is_one_object_per_line() {
        let text = render(
            Format::Ndjson,
            &[sample("a.csv", 1, "x"), sample("a.csv", 2, "y")],
        );
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[1]["line"], 2);
    }
}
