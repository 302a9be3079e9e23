//! JSON output: an array of findings (`json`) or one finding per line
//! (`ndjson`), with the fields CONTRACT.md lists.

use std::io::{self, BufWriter, Write};
use std::sync::Arc;

use super::Reporter;
use crate::finding::{CsvColumn, Finding};

/// Writes findings as JSON objects by hand: the writer thread serialises
/// every finding, and at one finding per 100 bytes of input serde's
/// field-by-field writes cost the scan a core's tenth. The output is the
/// same bytes serde writes (a test holds them equal).
#[derive(Default)]
struct ObjectWriter {
    buf: Vec<u8>,
    /// The last path and its escaped form: findings come file by file.
    path: Option<(Arc<str>, Vec<u8>)>,
}

impl ObjectWriter {
    /// `f` as one JSON object followed by `end`.
    fn object(&mut self, f: &Finding, end: &[u8]) -> &[u8] {
        let b = &mut self.buf;
        b.clear();
        b.extend_from_slice(b"{\"rule\":");
        string(b, &f.rule);
        b.extend_from_slice(b",\"kind\":");
        string(b, &f.kind);
        b.extend_from_slice(b",\"category\":\"");
        b.extend_from_slice(f.category.as_str().as_bytes());
        b.extend_from_slice(b"\",\"severity\":\"");
        b.extend_from_slice(f.severity.as_str().as_bytes());
        b.extend_from_slice(b"\",\"confidence\":\"");
        b.extend_from_slice(f.confidence.as_str().as_bytes());
        b.extend_from_slice(b"\",\"path\":");
        match &self.path {
            Some((path, escaped)) if Arc::ptr_eq(path, &f.path) => b.extend_from_slice(escaped),
            _ => {
                let mut escaped = Vec::with_capacity(f.path.len() + 2);
                string(&mut escaped, &f.path);
                b.extend_from_slice(&escaped);
                self.path = Some((f.path.clone(), escaped));
            }
        }
        for (key, n) in [
            (&b",\"line\":"[..], f.line),
            (b",\"column\":", f.column),
            (b",\"start\":", f.start),
            (b",\"end\":", f.end),
        ] {
            b.extend_from_slice(key);
            number(b, n);
        }
        b.extend_from_slice(b",\"csv_row\":");
        match f.csv_row {
            Some(n) => number(b, n),
            None => b.extend_from_slice(b"null"),
        }
        b.extend_from_slice(b",\"csv_column\":");
        match &f.csv_column {
            Some(CsvColumn::Name(name)) => string(b, name),
            Some(CsvColumn::Index(n)) => number(b, *n),
            None => b.extend_from_slice(b"null"),
        }
        b.extend_from_slice(b",\"json_path\":");
        match &f.json_path {
            Some(path) => string(b, path),
            None => b.extend_from_slice(b"null"),
        }
        if let Some(column) = &f.sql_column {
            b.extend_from_slice(b",\"sql_column\":");
            string(b, column);
        }
        b.extend_from_slice(b",\"masked\":");
        string(b, &f.masked);
        b.extend_from_slice(b",\"fingerprint\":");
        string(b, f.fingerprint.as_str());
        if let Some(note) = f.note {
            b.extend_from_slice(b",\"note\":");
            string(b, note);
        }
        b.push(b'}');
        b.extend_from_slice(end);
        b
    }
}

fn number(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it, and
/// the characters a terminal would act on (C1 controls, bidirectional
/// marks) as `\uXXXX` too: `cat findings.ndjson` shows a file's name, never
/// runs it.
fn string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.push(b'"');
    // No short-circuit: the check compiles to a vector loop. Lead bytes of
    // the unsafe characters above ASCII: C1 (C2), U+061C (D8), the marks
    // of U+200E to U+2069 (E2).
    let plain = !bytes.iter().fold(false, |any, &c| {
        any | (c < 0x20) | (c == b'"') | (c == b'\\') | (c == 0xC2) | (c == 0xD8) | (c == 0xE2)
    });
    if plain {
        out.extend_from_slice(bytes);
    } else {
        for c in text.chars() {
            match c {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\r' => out.extend_from_slice(b"\\r"),
                '\t' => out.extend_from_slice(b"\\t"),
                '\u{8}' => out.extend_from_slice(b"\\b"),
                '\u{c}' => out.extend_from_slice(b"\\f"),
                c if crate::sanitize::is_unsafe(c) => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let n = u32::from(c);
                    out.extend_from_slice(b"\\u");
                    for shift in [12, 8, 4, 0] {
                        out.push(HEX[(n >> shift & 15) as usize]);
                    }
                }
                c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            }
        }
    }
    out.push(b'"');
}

/// Writes one JSON array.
pub struct JsonReporter<W: Write> {
    out: BufWriter<W>,
    object: ObjectWriter,
    count: u64,
}

impl<W: Write> JsonReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        JsonReporter {
            out: BufWriter::with_capacity(64 * 1024, out),
            object: ObjectWriter::default(),
            count: 0,
        }
    }
}

impl<W: Write> Reporter for JsonReporter<W> {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n  " } else { b",\n  " })?;
        self.count += 1;
        let object = self.object.object(f, b"");
        self.out.write_all(object)
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
    object: ObjectWriter,
}

impl<W: Write> NdjsonReporter<W> {
    /// A reporter writing to `out`.
    pub fn new(out: W) -> Self {
        NdjsonReporter {
            out: BufWriter::with_capacity(64 * 1024, out),
            object: ObjectWriter::default(),
        }
    }
}

impl<W: Write> Reporter for NdjsonReporter<W> {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        let line = self.object.object(f, b"\n");
        self.out.write_all(line)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{render, sample};
    use super::super::Format;
    use crate::finding::Finding;
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

    #[test]
    fn objects_are_the_bytes_serde_writes() {
        use crate::finding::CsvColumn;
        use std::sync::Arc;
        let mut odd = sample("dir/\"quoted\"\\back\tslash\u{1}é.csv", 9, "**\n**");
        odd.csv_column = Some(CsvColumn::Index(4));
        odd.json_path = Some("$.a[\"b\"]".into());
        odd.note = Some("documented test value");
        let mut plain = sample("a.csv", 1, "****1111");
        plain.csv_row = None;
        plain.csv_column = None;
        let same_path = Finding {
            path: Arc::clone(&odd.path),
            ..odd.clone()
        };
        let mut writer = super::ObjectWriter::default();
        for f in [&odd, &same_path, &plain, &odd] {
            let ours = writer.object(f, b"").to_vec();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(f).unwrap()
            );
        }
    }
}
