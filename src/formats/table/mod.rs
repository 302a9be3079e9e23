//! Delimited files (CSV, TSV, `;` and `|` separated): recognising them and
//! their header (this module), and reading their rows ([`rows`]).
//!
//! Detection runs over the raw bytes like any text, so offsets and speed are
//! those of plain text. Beside it, [`Rows`] walks the same bytes once with
//! a quote-aware state machine (RFC 4180: quoted fields with delimiters,
//! line breaks and doubled quotes inside) to give each finding its data row
//! and column, and to count cells per column for the minimisation report.

mod rows;

pub use self::rows::Rows;

use std::collections::BTreeMap;
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
        // A name is shown only when it reads as a column name: a first
        // line of names and cities without an `@` passes the test above,
        // and its cells are no names to print. Columns with a name the
        // line gives but cannot vouch for are numbered.
        let below = Below::of(&head[(header_len + 1).min(head.len())..], delimiter);
        let names = header
            .split(|&b| b == delimiter)
            .enumerate()
            .map(|(i, cell)| {
                let text = String::from_utf8_lossy(cell);
                let name =
                    text.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\u{feff}');
                if reads_as_column_name(name, detector) || below.names(i, name) {
                    Arc::from(name)
                } else {
                    Arc::from("")
                }
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
}

/// True when every word of `name` is a context word of some rule (`Date
/// of Birth`, `Straße`) or a common column word of `rules/vocab.toml`'s
/// `column-words` (`id`, `created_at`, `orderTotal`, `Zip Code 2`): a
/// header the tool can vouch for. `Rotterdam` or `Margarethe`, a headerless
/// file's first row, is not one.
fn reads_as_column_name(name: &str, detector: &Detector) -> bool {
    let known = crate::vocab::list("column-words");
    let free_text = crate::vocab::list("free-text-columns");
    let mut rest = name.as_bytes().to_vec();
    for (start, end) in detector.context_spans(name.as_bytes()) {
        rest[start..end].fill(b' ');
    }
    let rest = String::from_utf8_lossy(&rest);
    let vouched = words_of(&rest).all(|word| {
        word.chars().all(|c| c.is_ascii_digit())
            || known.contains(&word.to_lowercase())
            || free_text.contains(&word.to_lowercase())
    });
    vouched
}

/// The first rows under a header line, split naively (a heuristic's view).
struct Below<'a> {
    rows: Vec<Vec<&'a [u8]>>,
}

impl<'a> Below<'a> {
    /// The complete lines of `rest` (at most ten), split at `delimiter`.
    fn of(rest: &'a [u8], delimiter: u8) -> Below<'a> {
        let complete = memchr::memrchr(b'\n', rest).map_or(&rest[..0], |i| &rest[..i]);
        let rows = complete
            .split(|&b| b == b'\n')
            .take(10)
            .map(|line| line.split(|&b| b == delimiter).collect())
            .collect();
        Below { rows }
    }

    /// True when `name` is a machine name (`temp_c`, `signup_ip`,
    /// `humidity`: small letters, digits, `_`) over a column of another
    /// shape: most cells below hold digits or an `@`, the name neither. A
    /// lower-case first row over cells like its own proves nothing.
    fn names(&self, column: usize, name: &str) -> bool {
        let machine = name.bytes().any(|b| b.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        let data = |cell: &[u8]| cell.contains(&b'@') || cell.iter().any(u8::is_ascii_digit);
        let cells: Vec<&[u8]> = (self.rows.iter())
            .filter_map(|row| row.get(column).copied())
            .filter(|cell| !cell.trim_ascii().is_empty())
            .collect();
        let shaped = cells.iter().filter(|c| data(c)).count();
        machine && !data(name.as_bytes()) && !cells.is_empty() && shaped * 2 > cells.len()
    }
}

/// The words of a column name: runs of letters and digits, split where a
/// small letter meets a capital (`orderTotal`, `FirstName`).
fn words_of(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| !c.is_alphanumeric())
        .flat_map(|run| {
            let mut cuts = vec![0];
            let chars: Vec<(usize, char)> = run.char_indices().collect();
            for pair in chars.windows(2) {
                if pair[0].1.is_lowercase() && pair[1].1.is_uppercase() {
                    cuts.push(pair[1].0);
                }
            }
            cuts.push(run.len());
            (0..cuts.len() - 1).map(move |i| &run[cuts[i]..cuts[i + 1]])
        })
        .filter(|w| !w.is_empty())
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
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
    fn only_names_the_tool_can_vouch_for_are_printed() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let detector = Detector::new(&rules).unwrap();
        let mut scratch = detector.scratch();
        let mut name = |head: &str, i| {
            let table = Table::with_header(head.as_bytes(), b',', &detector, &mut scratch);
            match table.column(i) {
                CsvColumn::Name(n) => n.to_string(),
                CsvColumn::Index(i) => format!("#{i}"),
            }
        };
        let header = "id,First Name,last_name,EmailAddress,dateOfBirth,Home Street,Straße,Zip 2\n";
        let shown: Vec<String> = (0..8).map(|i| name(header, i)).collect();
        assert_eq!(
            shown,
            [
                "id",
                "First Name",
                "last_name",
                "EmailAddress",
                "dateOfBirth",
                "Home Street",
                "Straße",
                "Zip 2"
            ]
        );
        // A headerless file's first row: names and a city, no `@`, no digits.
        let row = "Margarethe,Oosterhuis,Rotterdam,jan\nx.y@example.com,Jansen,Paris,kees\n";
        assert_eq!(
            (0..4).map(|i| name(row, i)).collect::<Vec<_>>(),
            ["#1", "#2", "#3", "#4"]
        );
        // Machine names over numbers are names; over words like their own,
        // not.
        let sensors = "sensor,temp_c,jansen\ns-01,21.5,pieters\ns-02,19.0,kees\n";
        let shown: Vec<String> = (0..3).map(|i| name(sensors, i)).collect();
        assert_eq!(shown, ["sensor", "temp_c", "#3"]);
        assert_eq!(
            words_of("orderTotal_EUR x2").collect::<Vec<_>>(),
            ["order", "Total", "EUR", "x2"]
        );
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
        // Quoted: `""` is empty, `""""` (one quote) and `" "` are not.
        let mut quoted = Rows::new(b',');
        quoted.feed(b"\"\",x\n\"\"\"\",x\n\" \",x\n\"\",x\n");
        assert_eq!(quoted.columns[0].cells, 4);
        assert_eq!(quoted.columns[0].non_empty, 2);
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
