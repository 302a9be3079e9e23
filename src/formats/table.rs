//! Delimited files (CSV, TSV, `;` and `|` separated): recognising them, their
//! header, and where each finding falls in rows and columns.
//!
//! Detection runs over the raw bytes like any text, so offsets and speed are
//! those of plain text. Beside it, [`Rows`] walks the same bytes once with
//! a quote-aware state machine (RFC 4180: quoted fields with delimiters,
//! line breaks and doubled quotes inside) to give each finding its data row
//! and column, and to count cells per column for the minimisation report.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::detect::{Columns, Detector, Scratch};
use crate::finding::CsvColumn;

/// The delimiters recognised, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Extensions of compressed files, looked through for the name of what
/// they hold (`export.csv.gz` is a CSV file).
const COMPRESSED: [&str; 4] = ["gz", "zst", "bz2", "xz"];

/// Complete lines sniffing wants before it calls a file without a
/// delimited-file extension a table.
const SNIFF_LINES: usize = 3;

/// Records sniffing looks at, at most: enough to trust a delimiter, and
/// a bound on the work for any file.
const SNIFF_MAX_LINES: usize = 20;

/// A delimited file: its delimiter, its header names, and the header as
/// context for the detector. A first line with personal data in it is taken
/// as a row: columns are then numbered.
#[derive(Debug, Clone)]
pub struct Table {
    /// The field separator.
    pub delimiter: u8,
    /// Input offset where the data rows start (after the header line).
    pub data_start: u64,
    names: Vec<Arc<str>>,
    columns: Columns,
}

impl Table {
    /// The table of the input named `display`, from its first bytes: by
    /// extension (`.csv`, `.tsv`, `.psv`, also compressed), else by content
    /// (the same number of fields, at least two, on every one of the first
    /// lines). `scratch` is the caller's, reused to look for personal data
    /// in the first line.
    pub fn of(
        display: &str,
        head: &[u8],
        detector: &Detector,
        scratch: &mut Scratch,
    ) -> Option<Table> {
        let delimiter = match table_extension(display) {
            Some(natural) => {
                // The most frequent delimiter of the first line; none: a
                // single column.
                let header = &head[..memchr::memchr(b'\n', head).unwrap_or(head.len())];
                let count = |d: u8| header.iter().filter(|&&b| b == d).count();
                let delimiter = DELIMITERS.into_iter().max_by_key(|&d| count(d))?;
                if count(delimiter) > 0 {
                    delimiter
                } else {
                    natural
                }
            }
            None => sniff_delimiter(head)?,
        };
        Some(Table::with_header(head, delimiter, detector, scratch))
    }

    fn with_header(
        head: &[u8],
        delimiter: u8,
        detector: &Detector,
        scratch: &mut Scratch,
    ) -> Table {
        let header_len = memchr::memchr(b'\n', head).unwrap_or(head.len());
        let header = &head[..header_len];
        // A first line holding personal data (or anything with an `@` or
        // several digits) is a row, not a header: its cells must never be
        // printed as column names.
        let looks_like_data = |cell: &[u8]| {
            cell.contains(&b'@') || cell.iter().filter(|b| b.is_ascii_digit()).count() >= 3
        };
        if header.split(|&b| b == delimiter).any(looks_like_data) || {
            detector.scan(header, 0..header.len(), header.len(), scratch);
            !scratch.hits().is_empty()
        } {
            return Table {
                delimiter,
                data_start: 0,
                names: Vec::new(),
                columns: detector.columns([]),
            };
        }
        let names = header
            .split(|&b| b == delimiter)
            .map(|cell| {
                let text = String::from_utf8_lossy(cell);
                Arc::from(
                    text.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\u{feff}'),
                )
            })
            .collect();
        let data_start = (header_len + 1).min(head.len());
        // A byte-order mark glued to the first name would hide it from the
        // context words (Excel writes one in front of every CSV export).
        let named = header.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(header);
        Table {
            delimiter,
            data_start: data_start as u64,
            names,
            columns: detector.columns(named.split(|&b| b == delimiter)),
        }
    }

    /// The header as detector context for `bytes`, the data that follows
    /// where `rows` stands, at buffer position `base`: the cells of named
    /// columns, as the rows reader splits them (a quoted line break
    /// stays inside its cell).
    pub fn columns_in(&self, rows: &Rows, bytes: &[u8], base: usize) -> Columns {
        if self.columns.none_named() {
            return self.columns.clone();
        }
        let mut cells = Vec::new();
        rows.cells(bytes, |column, range| {
            if self.columns.named(column) {
                cells.push((column, base + range.start, base + range.end));
            }
        });
        self.columns.with_cells(cells)
    }

    /// Where the data rows start in a chunk whose first byte is at `pos`.
    pub fn data_start_in(&self, pos: u64) -> usize {
        self.data_start.saturating_sub(pos) as usize
    }

    /// Column `index` (0-based) as findings name it: the header name, or
    /// the 1-based number when there is no name.
    pub fn column(&self, index: u32) -> CsvColumn {
        match self.names.get(index as usize) {
            Some(name) if !name.is_empty() => CsvColumn::Name(name.clone()),
            _ => CsvColumn::Index(u64::from(index) + 1),
        }
    }

    /// Row tracking from the first data row.
    pub fn rows(&self) -> Rows {
        Rows::new(self.delimiter)
    }

    /// Row tracking for a piece that follows `rows` at a record start, as
    /// far as a piece can tell: fresh, or broken from its start on (row 0)
    /// when the quoting broke before it.
    pub fn piece_rows(&self, rows: &Rows) -> Rows {
        Rows {
            broken: rows.broken.map(|_| 0),
            ..Rows::new(self.delimiter)
        }
    }
}

/// The natural delimiter of a delimited-file extension, if `display` has
/// one.
fn table_extension(display: &str) -> Option<u8> {
    match inner_extension(display).as_str() {
        "csv" => Some(b','),
        "tsv" | "tab" => Some(b'\t'),
        "psv" => Some(b'|'),
        _ => None,
    }
}

/// The extension of what an input holds, lower-cased, looking through a
/// compression extension (`export.csv.gz` → `csv`).
pub fn inner_extension(display: &str) -> String {
    let mut parts = display.rsplit('.');
    let mut ext = parts.next().unwrap_or("").to_ascii_lowercase();
    if COMPRESSED.contains(&ext.as_str()) {
        ext = parts.next().unwrap_or("").to_ascii_lowercase();
    }
    ext
}

/// The delimiter of a file without a table extension: the one that splits
/// each of the first complete lines (at least [`SNIFF_LINES`]) into the same
/// number of fields, two or more, quotes respected. JSON never qualifies.
fn sniff_delimiter(head: &[u8]) -> Option<u8> {
    let head = &head[..head.len().min(crate::input::read::HEAD_LEN)];
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let first = text.iter().find(|b| !b.is_ascii_whitespace())?;
    if matches!(first, b'{' | b'[') {
        return None;
    }
    // Complete lines only: the head may end mid-line.
    let complete = &text[..memchr::memrchr(b'\n', text)? + 1];
    DELIMITERS.into_iter().find(|&d| {
        let mut rows = Rows::new(d);
        let mut fields = None;
        let mut lines = 0;
        for line in complete.split_inclusive(|&b| b == b'\n') {
            let before = rows.done;
            rows.feed(line);
            if rows.broken.is_some() {
                return false;
            }
            if rows.done == before {
                continue; // a blank line, or a quoted line break
            }
            let n = rows.last_fields;
            if n < 2 || fields.is_some_and(|f| f != n) {
                return false;
            }
            fields = Some(n);
            lines += 1;
            if lines == SNIFF_MAX_LINES {
                break;
            }
        }
        lines >= SNIFF_LINES
    })
}

/// Cells seen in one column, for the minimisation report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ColumnStats {
    /// The header name, or the 1-based column number.
    pub column: Option<CsvColumn>,
    /// Data cells in the column.
    pub cells: u64,
    /// Of those, cells with something in them.
    pub non_empty: u64,
    /// Findings in the column, by kind.
    pub findings: BTreeMap<Arc<str>, u64>,
}

/// Where the tracker is: rows done, the current column, quoting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Quote {
    /// Outside quotes.
    #[default]
    Out,
    /// Inside a quoted field.
    In,
    /// Just after a quote inside a quoted field: a closing quote, or the
    /// first of a doubled one.
    Pending,
}

/// The quote-aware position in a delimited file's data rows, fed the bytes
/// in order. Bytes fed in pieces give the same result as fed at once.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    delimiter: u8,
    /// Records finished (blank lines are not records).
    pub done: u64,
    column: u32,
    quote: Quote,
    /// Bytes in the current field, and in the current record.
    field_len: u64,
    record_len: u64,
    /// Bytes since the current quoted field opened.
    quoted_len: u64,
    /// Fields in the last finished record.
    last_fields: u32,
    /// Data row (1-based) where the quoting broke: from there on the file is
    /// plain text and findings have no row or column.
    pub broken: Option<u64>,
    /// Cell counts per column.
    pub columns: Vec<ColumnStats>,
}

/// A quoted field longer than this is taken as a stray, unclosed quote:
/// real cells with line breaks (addresses, notes) are far shorter.
const MAX_QUOTED: u64 = 64 * 1024;

/// Columns counted for the report; past this, cells are still placed but
/// not counted, so a line of a million commas costs no memory.
const MAX_COLUMNS: usize = 4096;

impl Rows {
    fn new(delimiter: u8) -> Self {
        Rows {
            delimiter,
            ..Rows::default()
        }
    }

    /// Takes in `bytes`, the next bytes of the data rows.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.read(bytes, &mut |_, _| {});
    }

    /// Hands `each` the non-empty cells of `bytes`, the bytes that follow
    /// where this tracker stands, as (0-based column, range in `bytes`);
    /// the first may have started before `bytes`, the last may go on past
    /// them. The tracker itself does not move.
    pub fn cells(&self, bytes: &[u8], mut each: impl FnMut(usize, Range<usize>)) {
        let mut rows = self.clone_position();
        let mut start = 0;
        rows.read(bytes, &mut |column, at| {
            if let Some(column) = column.filter(|_| at > start) {
                each(column as usize, start..at);
            }
            start = at + 1;
        });
        if start < bytes.len() && rows.broken.is_none() {
            each(rows.column as usize, start..bytes.len());
        }
    }

    /// The position without the counts: where a piece read again from
    /// this tracker's state starts.
    pub fn clone_position(&self) -> Rows {
        Rows {
            columns: Vec::new(),
            ..*self
        }
    }

    /// Reads `bytes`, calling `ended(column, at)` at each delimiter or line
    /// break outside quotes at `at`: `column` is the field it ends, `None`
    /// for a blank line's break. Runs of plain field bytes are skipped with
    /// `memchr`, not looked at one by one.
    fn read<F: FnMut(Option<u32>, usize)>(&mut self, bytes: &[u8], ended: &mut F) {
        if self.broken.is_some() {
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            let rest = &bytes[i..];
            let plain = match self.quote {
                Quote::Out => memchr::memchr3(self.delimiter, b'\n', b'"', rest),
                Quote::In => memchr::memchr(b'"', rest),
                Quote::Pending => Some(0),
            }
            .unwrap_or(rest.len());
            if plain > 0 {
                let run = &rest[..plain];
                i += plain;
                if self.quote == Quote::In {
                    self.quoted_len += plain as u64;
                    if self.quoted_len > MAX_QUOTED {
                        return self.break_here();
                    }
                    self.field_len += plain as u64;
                } else {
                    // A carriage return is not field content.
                    let n = (plain - memchr::memchr_iter(b'\r', run).count()) as u64;
                    self.field_len += n;
                    self.record_len += n;
                }
                continue;
            }
            let b = bytes[i];
            i += 1;
            match self.quote {
                Quote::In => {
                    // `b` is the quote that ends the run.
                    self.quoted_len += 1;
                    self.quote = Quote::Pending;
                    self.field_len += 1;
                }
                Quote::Pending if b == b'"' => {
                    self.quote = Quote::In;
                    self.field_len += 1;
                }
                Quote::Pending if b == self.delimiter || b == b'\n' || b == b'\r' => {
                    self.quote = Quote::Out;
                    self.outside(b, i - 1, ended);
                }
                Quote::Pending => return self.break_here(),
                Quote::Out if b == b'"' && self.field_len == 0 => {
                    self.quote = Quote::In;
                    self.quoted_len = 0;
                    self.field_len = 1;
                    self.record_len += 1;
                }
                Quote::Out => self.outside(b, i - 1, ended),
            }
        }
    }

    /// One byte outside quotes, at `at`.
    #[inline]
    fn outside<F: FnMut(Option<u32>, usize)>(&mut self, b: u8, at: usize, ended: &mut F) {
        if b == self.delimiter {
            ended(Some(self.column), at);
            self.end_field();
            self.column += 1;
            self.record_len += 1;
        } else if b == b'\n' {
            if self.record_len > 0 {
                ended(Some(self.column), at);
                self.end_field();
                self.last_fields = self.column + 1;
                self.done += 1;
            } else {
                ended(None, at);
            }
            self.column = 0;
            self.record_len = 0;
        } else if b != b'\r' {
            self.field_len += 1;
            self.record_len += 1;
        }
    }

    fn end_field(&mut self) {
        let non_empty = u64::from(self.field_len > 0);
        if let Some(stats) = self.column_mut(self.column as usize) {
            stats.cells += 1;
            stats.non_empty += non_empty;
        }
        self.field_len = 0;
    }

    /// The counts of column `i` (0-based), unless past [`MAX_COLUMNS`].
    fn column_mut(&mut self, i: usize) -> Option<&mut ColumnStats> {
        if i >= MAX_COLUMNS {
            return None;
        }
        if self.columns.len() <= i {
            self.columns.resize_with(i + 1, ColumnStats::default);
        }
        Some(&mut self.columns[i])
    }

    fn break_here(&mut self) {
        self.broken = Some(self.done + 1);
    }

    /// Ends the data: counts a last record without a line break, and an
    /// unclosed quote breaks the file.
    pub fn finish(&mut self) {
        if self.broken.is_some() {
            return;
        }
        if self.quote == Quote::In {
            return self.break_here();
        }
        self.quote = Quote::Out;
        self.outside(b'\n', 0, &mut |_, _| {});
    }

    /// The data row (1-based) and 0-based column of the next byte, unless
    /// the quoting has broken.
    pub fn here(&self) -> Option<(u64, u32)> {
        self.broken
            .is_none()
            .then_some((self.done + 1, self.column))
    }

    /// True at a record start, where a fresh tracker stands: not inside a
    /// quoted field, nor inside a record a long line carries on.
    pub fn at_record_start(&self) -> bool {
        self.quote == Quote::Out && self.record_len == 0 && self.field_len == 0
    }

    /// True when a piece tracked by `piece` from [`Table::piece_rows`] of
    /// this state saw its bytes otherwise than this tracker does: it
    /// started as at a record start, and this tracker is inside a record
    /// (a quoted line break), or broke before the piece began. Detection
    /// reads cells from the tracker, so such a piece is scanned again.
    pub fn differs_for(&self, piece: &Rows) -> bool {
        match self.broken {
            Some(_) => piece.broken != Some(0),
            None => !self.at_record_start(),
        }
    }

    /// The state after this piece's bytes followed `self`'s, when this
    /// piece was tracked from a record start and `self` ended at one.
    pub fn then(&mut self, next: Rows) {
        if self.broken.is_some() {
            return;
        }
        self.broken = next.broken.map(|row| row + self.done);
        self.done += next.done;
        for (i, c) in next.columns.into_iter().enumerate() {
            let Some(mine) = self.column_mut(i) else {
                break;
            };
            mine.cells += c.cells;
            mine.non_empty += c.non_empty;
            for (kind, n) in c.findings {
                *mine.findings.entry(kind).or_default() += n;
            }
        }
        self.column = next.column;
        self.quote = next.quote;
        self.field_len = next.field_len;
        self.record_len = next.record_len;
        self.quoted_len = next.quoted_len;
        self.last_fields = next.last_fields;
    }

    /// Counts a finding of `kind` in `column`.
    pub fn count(&mut self, column: u32, kind: &Arc<str>) {
        let Some(stats) = self.column_mut(column as usize) else {
            return;
        };
        match stats.findings.get_mut(kind) {
            Some(n) => *n += 1,
            None => {
                stats.findings.insert(kind.clone(), 1);
            }
        }
    }

    /// The per-column counts, named after `table`'s header.
    pub fn stats(mut self, table: &Table) -> Vec<ColumnStats> {
        for (i, c) in self.columns.iter_mut().enumerate() {
            c.column = Some(table.column(i as u32));
        }
        self.columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(data: &[u8], at: &[usize]) -> Vec<Option<(u64, u32)>> {
        let mut rows = Rows::new(b',');
        let mut done = 0;
        at.iter()
            .map(|&p| {
                rows.feed(&data[done..p]);
                done = p;
                rows.here()
            })
            .collect()
    }

    fn at(data: &str, needle: &str) -> usize {
        data.find(needle).unwrap()
    }

    #[test]
    fn quoted_fields_keep_delimiters_line_breaks_and_quotes() {
        let data = "a,\"x, \"\"y\"\"\nstill x\",B1\r\n\r\nc,d,C1\n";
        let got = positions(data.as_bytes(), &[at(data, "B1"), at(data, "C1")]);
        assert_eq!(got, [Some((1, 2)), Some((2, 2))]);
    }

    #[test]
    fn pieces_give_the_same_answer_as_the_whole() {
        let data = b"1,\"a\nb\",x\n2,c,y\n\n3,\"d\"\"\",z\n";
        let mut whole = Rows::new(b',');
        whole.feed(data);
        for split in 0..data.len() {
            let mut rows = Rows::new(b',');
            rows.feed(&data[..split]);
            rows.feed(&data[split..]);
            assert_eq!((rows.done, rows.column), (whole.done, whole.column));
            assert_eq!(rows.columns, whole.columns);
        }
        assert_eq!(whole.done, 3);
        assert_eq!(whole.columns[1].cells, 3);
    }

    #[test]
    fn a_split_file_joins_its_pieces() {
        let data = b"1,a,x\n2,,y\n3,c,z\n";
        let mut whole = Rows::new(b',');
        whole.feed(data);
        let (first, second) = data.split_at(6);
        let mut a = Rows::new(b',');
        a.feed(first);
        let mut b = Rows::new(b',');
        b.feed(second);
        a.then(b);
        assert_eq!(a.done, whole.done);
        assert_eq!(a.columns, whole.columns);
        assert_eq!(whole.columns[1].non_empty, 2);
    }

    #[test]
    fn broken_quoting_stops_rows() {
        let data = "a,\"b\"x,c\nd,e\n";
        assert_eq!(positions(data.as_bytes(), &[at(data, "d")]), [None]);
        let mut rows = Rows::new(b',');
        rows.feed(b"1,\"never closed\n2,3\n");
        rows.finish();
        assert_eq!(rows.broken, Some(1));
    }

    #[test]
    fn sniffing_needs_consistent_fields() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3\n4;\"5;6\";7\n"), Some(b';'));
        assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n3\t4\n"), Some(b'\t'));
        assert_eq!(
            sniff_delimiter(b"\xef\xbb\xbfid|name\r\n1|\"multi\nline\"\r\n2|x\r\n"),
            Some(b'|')
        );
        // Prose, a log, JSON and a short file are not tables.
        assert_eq!(
            sniff_delimiter(b"Hello, world.\nYes, and no, maybe.\nOk.\n"),
            None
        );
        assert_eq!(
            sniff_delimiter(b"{\"a\": 1, \"b\": 2}\n{\"a\": 1, \"b\": 2}\n{\"a\": 1, \"b\": 2}\n"),
            None
        );
        assert_eq!(sniff_delimiter(b"a,b\n1,2\n"), None);
    }

    #[test]
    fn extensions_look_through_compression() {
        assert_eq!(table_extension("x/export.CSV"), Some(b','));
        assert_eq!(table_extension("a.zip!b.tsv.gz"), Some(b'\t'));
        assert_eq!(table_extension("notes.txt"), None);
        assert_eq!(table_extension("archive.gz"), None);
    }
}
