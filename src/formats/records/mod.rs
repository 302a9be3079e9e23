//! Field names as context in record formats that are neither tables, JSON
//! nor SQL: vCard and iCalendar properties, HL7 v2 segments, XML elements
//! and HTML labels. Each reader finds the values of a chunk's fields and
//! names them the way a column would be named (`PID-5.1` is a `family
//! name`, `<BirthDt>` a `date of birth`), so the rules' column context
//! speaks for them as it does for a CSV header.
//!
//! The readers keep no state between chunks: a property, a segment or an
//! element is short, and a chunk starts at a line start.

use crate::detect::{Cells, Names};

mod hl7;
mod mail;
mod markup;
mod properties;

/// Which record format an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    /// vCard (RFC 6350) and iCalendar (RFC 5545) content lines.
    Properties,
    /// HL7 version 2 messages.
    Hl7,
    /// XML, whose element names name their text.
    Xml,
    /// HTML, whose labels, definition terms and table headers name the
    /// text that follows them.
    Html,
    /// Mail messages, whose signatures are cards.
    Mail,
}

/// A record-format input's field reader.
#[derive(Debug)]
pub struct Records {
    format: Format,
    /// The fields found in the last chunk read.
    located: Cells,
}

/// A copy reads on from nothing: the fields found are the chunk's own.
impl Clone for Records {
    fn clone(&self) -> Records {
        self.fresh()
    }
}

/// The values found in a chunk, as the reader hands them over: the name of
/// each value's field and its bytes.
#[derive(Default)]
struct Fields {
    /// Distinct field names, in order of first use.
    names: Vec<Box<[u8]>>,
    /// (name index, start, end) of each value.
    values: Vec<(usize, usize, usize)>,
    /// Names met in HTML tables, one list per table (a bare `name` column
    /// is a person's in a table with an email column, not in the page).
    tables: Vec<Fields>,
}

impl Fields {
    /// Adds the value at `start..end` (trimmed of blanks) of the field
    /// named `name`.
    fn push(&mut self, name: &[u8], hay: &[u8], start: usize, end: usize) {
        let (start, end) = trim(hay, start, end);
        if start >= end {
            return;
        }
        let i = match self.names.iter().position(|n| &n[..] == name) {
            Some(i) => i,
            None => {
                self.names.push(name.into());
                self.names.len() - 1
            }
        };
        self.values.push((i, start, end));
    }

    fn into_cells(self) -> Cells {
        let mut cells = Cells::default();
        let mut add = |names: Vec<Box<[u8]>>, values: Vec<(usize, usize, usize)>| {
            let list = cells.lists.len();
            cells.lists.push(Names::new(names));
            cells.tables.push(None);
            (cells.cells).extend(values.into_iter().map(|(c, s, e)| (list, c, s, e)));
        };
        add(self.names, self.values);
        for table in self.tables {
            add(table.names, table.values);
        }
        cells.cells.sort_by_key(|c| c.2);
        cells
    }
}

/// `start..end` without blanks at either end.
fn trim(hay: &[u8], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && hay[start].is_ascii_whitespace() {
        start += 1;
    }
    while end > start && hay[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    (start, end)
}

impl Records {
    /// The reader for the input named `display`, by extension (through
    /// compression) or by its first bytes; `None` for other inputs.
    pub fn of(display: &str, head: &[u8]) -> Option<Records> {
        let format = match crate::formats::table::inner_extension(display).as_str() {
            "vcf" | "vcard" | "ics" | "ical" | "ifb" => Format::Properties,
            "hl7" => Format::Hl7,
            "xml" | "xsd" | "rss" | "atom" | "plist" | "kml" | "gpx" => Format::Xml,
            "html" | "htm" | "xhtml" => Format::Html,
            "eml" | "mbox" | "mbx" => Format::Mail,
            _ => by_content(head)?,
        };
        Some(Records {
            format,
            located: Cells::default(),
        })
    }

    /// A reader for a piece of the same input.
    pub fn fresh(&self) -> Records {
        Records {
            format: self.format,
            located: Cells::default(),
        }
    }

    /// The fields of `bytes[from..]` (a chunk's searched bytes and its
    /// overlap).
    pub fn read_chunk(&mut self, bytes: &[u8], from: usize) -> &Cells {
        let mut fields = Fields::default();
        let from = if from == 0 && bytes.starts_with(b"\xef\xbb\xbf") {
            3
        } else {
            from.min(bytes.len())
        };
        match self.format {
            Format::Properties => properties::read(bytes, from, &mut fields),
            Format::Hl7 => hl7::read(bytes, from, &mut fields),
            Format::Xml => markup::read(bytes, from, false, &mut fields),
            Format::Html => markup::read(bytes, from, true, &mut fields),
            Format::Mail => mail::read(bytes, from, &mut fields),
        }
        self.located = fields.into_cells();
        &self.located
    }
}

/// The format of an input with no telling extension, by its first bytes.
fn by_content(head: &[u8]) -> Option<Format> {
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    // An HL7 message over MLLP opens with a vertical tab.
    let text = text.strip_prefix(b"\x0b").unwrap_or(text);
    let start = text.trim_ascii_start();
    let opens = |s: &[u8]| start.len() >= s.len() && start[..s.len()].eq_ignore_ascii_case(s);
    if opens(b"BEGIN:VCARD") || opens(b"BEGIN:VCALENDAR") {
        return Some(Format::Properties);
    }
    if text.starts_with(b"MSH|") || text.starts_with(b"FHS|") || text.starts_with(b"BHS|") {
        return Some(Format::Hl7);
    }
    if opens(b"From ") || mail_headers(start) {
        return Some(Format::Mail);
    }
    if opens(b"<!doctype html") || opens(b"<html") {
        return Some(Format::Html);
    }
    if opens(b"<?xml") {
        let head = &start[..start.len().min(1024)];
        let html = memchr::memmem::find(head, b"<html").is_some()
            || memchr::memmem::find(head, b"XHTML").is_some();
        return Some(if html { Format::Html } else { Format::Xml });
    }
    None
}

/// A message's header: its first line a header field, and a `From:` and a
/// `Date:` or `Subject:` among its first lines.
fn mail_headers(text: &[u8]) -> bool {
    const FIELDS: [&[u8]; 8] = [
        b"return-path:",
        b"received:",
        b"from:",
        b"delivered-to:",
        b"mime-version:",
        b"message-id:",
        b"date:",
        b"to:",
    ];
    let head = &text[..text.len().min(4096)];
    let has = |f: &[u8]| {
        head.split(|&b| b == b'\n')
            .take_while(|l| !l.trim_ascii().is_empty())
            .any(|l| l.len() >= f.len() && l[..f.len()].eq_ignore_ascii_case(f))
    };
    let first = FIELDS
        .iter()
        .any(|f| head.len() >= f.len() && head[..f.len()].eq_ignore_ascii_case(f));
    first && has(b"from:") && (has(b"date:") || has(b"subject:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension_and_content() {
        let of = |name: &str, head: &[u8]| Records::of(name, head).map(|r| r.format);
        assert_eq!(of("a.vcf", b""), Some(Format::Properties));
        assert_eq!(of("cal.ics.gz", b""), Some(Format::Properties));
        assert_eq!(
            of("x", b"\xef\xbb\xbfBEGIN:VCARD\r\n"),
            Some(Format::Properties)
        );
        assert_eq!(of("msg", b"\x0bMSH|^~\\&|A"), Some(Format::Hl7));
        assert_eq!(of("page", b"<!DOCTYPE html>\n<html>"), Some(Format::Html));
        assert_eq!(of("p.xml", b"<?xml version=\"1.0\"?>"), Some(Format::Xml));
        assert_eq!(
            of("p", b"<?xml version=\"1.0\"?><Document>"),
            Some(Format::Xml)
        );
        assert_eq!(of("notes.txt", b"MSH is a segment"), None);
        assert_eq!(
            of("x", b"Received: by mx\r\nFrom: a@b\r\nSubject: Hi\r\n\r\n"),
            Some(Format::Mail)
        );
        assert_eq!(of("x", b"From: the start\nwe went on\n"), None);
    }
}
