//! Where a finding sits in a structured text input: the data row and column
//! of a delimited file ([`crate::formats::table`]), the key path of a JSON value
//! ([`crate::formats::jsonpath`]), or the column of a value in an SQL dump
//! ([`crate::formats::sql`]), or the field names of a record format
//! ([`crate::formats::records`]: vCard, iCalendar, HL7 v2, XML, HTML).
//!
//! A layout is fed the input's bytes in order beside detection. A large file
//! split across threads is tracked piece by piece, each piece from the
//! state a boundary usually has (a record start, or between top-level JSON
//! values); when the piece before ended elsewhere, the piece is tracked
//! again from the true state.

use std::ops::Range;
use std::sync::Arc;

pub(crate) mod jsonpath;
pub(crate) mod records;
pub(crate) mod sql;
pub mod table;

use crate::detect::{Columns, Detector, Scratch};
use crate::finding::{FieldKind, Finding};
use crate::formats::jsonpath::JsonPath;
use crate::formats::records::Records;
use crate::formats::sql::Tracker;
use crate::formats::table::{ColumnStats, Rows, Table};
use crate::input::read::Chunk;

/// Extensions of JSON inputs (also compressed).
const JSON_EXTENSIONS: [&str; 4] = ["json", "ndjson", "jsonl", "geojson"];

/// A structured input's position tracker.
#[derive(Debug, Clone)]
pub enum Layout {
    /// A delimited file and its rows.
    Table(Arc<Table>, Rows),
    /// A JSON or NDJSON input and its key path.
    Json(JsonPath),
    /// An SQL dump and the statement being read.
    Sql(Tracker),
    /// A record format whose field names name their values (vCard,
    /// iCalendar, HL7 v2, XML, HTML).
    Records(Records),
}

/// What a finished layout adds to its input's result.
pub struct Ended {
    /// The structure broke down: from the first finding of `row` on (a CSV
    /// row; every finding for JSON), findings lose their position.
    pub broken_from: Option<u64>,
    /// Why the input counts as not fully examined, if it does: a table
    /// whose quoting broke (JSON that does not parse is text like any other).
    pub gap: Option<crate::input::SkipReason>,
    /// Per-column counts of a delimited file.
    pub columns: Option<Vec<ColumnStats>>,
}

impl Layout {
    /// The layout of the input named `display`, from its first bytes:
    /// JSON by extension or by a first `{` or `[`, else a delimited file
    /// (see [`Table::of`]), else none.
    pub fn of(
        display: &str,
        head: &[u8],
        detector: &Detector,
        scratch: &mut Scratch,
    ) -> Option<Layout> {
        if looks_like_json(display, head) {
            return Some(Layout::Json(JsonPath::default()));
        }
        if looks_like_sql(display, head) {
            return Some(Layout::Sql(Tracker::new(head)));
        }
        if let Some(records) = Records::of(display, head) {
            return Some(Layout::Records(records));
        }
        let table = Table::of(display, head, detector, scratch)?;
        let rows = table.rows();
        Some(Layout::Table(Arc::new(table), rows))
    }

    /// The tracker for a piece of a split input, as if the piece started at
    /// a boundary.
    pub fn fresh(&self) -> Layout {
        match self {
            Layout::Table(table, rows) => Layout::Table(table.clone(), rows.piece()),
            Layout::Json(_) => Layout::Json(JsonPath::default()),
            Layout::Sql(tracker) => Layout::Sql(tracker.fresh()),
            Layout::Records(records) => Layout::Records(records.fresh()),
        }
    }

    /// How far past a nominal piece boundary to look for a line end: an
    /// SQL dump's pieces start at statements where they can (a piece
    /// starting inside one is scanned again once the statement is known).
    pub fn boundary_seek(&self) -> u64 {
        match self {
            Layout::Sql(_) => crate::formats::sql::STATEMENT_SEEK,
            _ => crate::input::read::BOUNDARY_SEEK,
        }
    }

    /// The tracker for scanning a piece again where this one stands. SQL
    /// and table trackers go on from their state, since what is found
    /// depends on it (the columns of values); JSON starts fresh and is
    /// fitted at the join.
    pub fn resume(&self) -> Layout {
        match self {
            Layout::Sql(tracker) => Layout::Sql(tracker.resume()),
            Layout::Table(table, rows) => Layout::Table(table.clone(), rows.resume()),
            Layout::Json(_) | Layout::Records(_) => self.fresh(),
        }
    }

    /// True when `piece`, tracked fresh, followed this layout but was read
    /// otherwise than this layout reads it, so what was found there may
    /// differ: the piece must be scanned again from [`Layout::resume`].
    pub fn needs_rescan(&self, piece: &Layout) -> bool {
        match (self, piece) {
            (Layout::Sql(truth), Layout::Sql(piece)) => truth.differs_for(piece),
            (Layout::Table(_, truth), Layout::Table(_, piece)) => truth.differs_for(piece),
            _ => false,
        }
    }

    /// The input's structure as detector context for `chunk`: a delimited
    /// file's header, or the columns of an SQL dump's values (an SQL
    /// tracker reads the chunk's owned bytes here, not in [`Layout::feed`]).
    pub fn columns_for(&mut self, chunk: &Chunk<'_>, detector: &Detector) -> Option<Columns> {
        match self {
            Layout::Table(table, rows) => {
                let from = table.data_start_in(chunk.pos).max(chunk.search.start);
                let data = &chunk.buf[from.min(chunk.search.end)..chunk.search.end];
                Some(table.columns_in(rows, data, from))
            }
            Layout::Json(_) => None,
            Layout::Sql(tracker) => {
                let cells = tracker.read_chunk(chunk.buf, chunk.search.start, chunk.owned_end);
                Some(detector.given_columns(cells))
            }
            Layout::Records(records) => {
                let cells = records.read_chunk(chunk.buf, chunk.search.start);
                Some(detector.given_columns(cells))
            }
        }
    }

    /// Where the tracked bytes start in a chunk starting at `pos` (after a
    /// CSV header).
    pub fn data_start_in(&self, pos: u64) -> usize {
        match self {
            Layout::Table(table, _) => table.data_start_in(pos),
            Layout::Json(_) | Layout::Sql(_) | Layout::Records(_) => 0,
        }
    }

    /// Takes in the next bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        match self {
            Layout::Table(_, rows) => rows.feed(bytes),
            Layout::Json(json) => json.feed(bytes),
            // Read whole chunks at a time in `columns_for`.
            Layout::Sql(_) | Layout::Records(_) => {}
        }
    }

    /// Remembers `value`, found in the input: a JSON key spelled the same
    /// is not printed in any path (see [`JsonPath::remember`]).
    pub fn remember(&mut self, value: &[u8]) {
        if let Layout::Json(json) = self {
            json.remember(value);
        }
    }

    /// Gives `f`, whose first byte is the next one, its position.
    pub fn locate(&mut self, f: &mut Finding) {
        match self {
            Layout::Table(table, rows) => {
                (f.csv_row, f.csv_column) = match rows.here() {
                    Some((row, column)) => {
                        rows.count(column, &f.kind);
                        (Some(row), Some(table.column(column)))
                    }
                    None => (None, None),
                }
            }
            Layout::Json(json) => {
                json.taint_key();
                f.json_path = json.here();
            }
            Layout::Sql(_) | Layout::Records(_) => {}
        }
    }

    /// The field holding the value at `buf[at]`, whose bytes are fed up to
    /// there: a CSV cell, a JSON string's contents or bare value, a bare
    /// SQL value, as a range of `buf`. `None` where the value is free text
    /// or its field cannot be told for sure within `buf`.
    pub fn field_around(&self, buf: &[u8], at: usize) -> Option<(Range<usize>, FieldKind)> {
        let rest = &buf[at..];
        let (back, len, kind) = match self {
            Layout::Table(_, rows) => {
                let (mut back, mut len) = rows.field_around(rest)?;
                // A lone CR ends a record to CSV readers: an unquoted field
                // emptied back past one would join two records.
                let before = &buf[at.checked_sub(back)?..at];
                let cr = memchr::memrchr(b'\r', before).filter(|_| before.first() != Some(&b'"'));
                if let Some(cr) = cr {
                    back -= cr + 1;
                    len -= cr + 1;
                }
                // A record of one field, emptied, must not read as no
                // record: an empty line is skipped by CSV readers.
                let ends = matches!(rest.get(len - back), None | Some(b'\n' | b'\r'));
                let first = cr.is_some() || matches!(rows.here(), Some((_, 0)));
                let kind = match first && ends {
                    true => FieldKind::LoneCell,
                    false => FieldKind::Text,
                };
                (back, len, kind)
            }
            Layout::Json(json) => json.field_around(rest)?,
            Layout::Sql(_) => return crate::formats::sql::bare_value(buf, at),
            Layout::Records(_) => return None,
        };
        let start = at.checked_sub(back)?;
        Some((start..start + len, kind))
    }

    /// True where a fresh tracker stands: a piece that starts here was
    /// tracked right.
    pub fn at_boundary(&self) -> bool {
        match self {
            Layout::Table(_, rows) => rows.at_record_start(),
            Layout::Json(json) => json.at_top_level(),
            // A piece read otherwise was scanned again (`needs_rescan`).
            Layout::Sql(_) => true,
            // Records are read chunk by chunk, with no state between.
            Layout::Records(_) => true,
        }
    }

    /// Continues with `piece`, a piece tracked fresh that follows at a
    /// boundary, whose `findings` are adjusted to the whole input.
    pub fn join(&mut self, piece: Layout, findings: &mut [Finding]) {
        match (self, piece) {
            (Layout::Table(_, rows), Layout::Table(_, next)) => {
                let (before, was_broken) = (rows.done, rows.broken.is_some());
                rows.then(next);
                for f in findings {
                    if was_broken {
                        (f.csv_row, f.csv_column) = (None, None);
                    } else if let Some(row) = &mut f.csv_row {
                        *row += before;
                    }
                }
            }
            (Layout::Json(json), Layout::Json(next)) => {
                if json.broken {
                    findings.iter_mut().for_each(|f| f.json_path = None);
                } else {
                    let earlier = std::mem::replace(json, next);
                    json.remember_all(&earlier);
                }
            }
            (Layout::Sql(tracker), Layout::Sql(next)) => tracker.then(next),
            (Layout::Records(_), Layout::Records(_)) => {}
            _ => unreachable!("a piece is tracked with its input's layout"),
        }
    }

    /// Ends the input.
    pub fn finish(self) -> Ended {
        match self {
            Layout::Table(table, mut rows) => {
                rows.finish();
                Ended {
                    broken_from: rows.broken,
                    gap: rows.broken.map(|_| crate::input::SkipReason::NotCsv),
                    columns: Some(rows.stats(&table)),
                }
            }
            Layout::Json(mut json) => {
                json.finish();
                Ended {
                    broken_from: json.broken.then_some(0),
                    gap: None,
                    columns: None,
                }
            }
            Layout::Sql(_) | Layout::Records(_) => Ended {
                broken_from: None,
                gap: None,
                columns: None,
            },
        }
    }
}

impl Ended {
    /// Takes the position away from the trailing `findings` of `path` that
    /// lie past where the structure broke (those not yet handed over).
    pub fn unlocate(&self, path: &Arc<str>, findings: &mut [Finding]) {
        let Some(from) = self.broken_from else {
            return;
        };
        for f in findings.iter_mut().rev() {
            if !Arc::ptr_eq(&f.path, path) {
                break;
            }
            match f.csv_row {
                Some(row) if row >= from => (f.csv_row, f.csv_column) = (None, None),
                Some(_) => break,
                None => f.json_path = None,
            }
        }
    }
}

/// Dump headers of MySQL, MariaDB, PostgreSQL and SQLite.
const SQL_MARKERS: [&[u8]; 4] = [
    b"-- MySQL dump",
    b"-- MariaDB dump",
    b"-- PostgreSQL database dump",
    b"PRAGMA foreign_keys=OFF;",
];

/// An SQL dump by extension (through compression), or by a dump tool's
/// header among its first lines (pg_dump opens with a `--` line).
fn looks_like_sql(display: &str, head: &[u8]) -> bool {
    if crate::formats::table::inner_extension(display) == "sql" {
        return true;
    }
    let start = &head[..head.len().min(512)];
    (SQL_MARKERS.iter()).any(|m| memchr::memmem::find(start, m).is_some())
}

/// JSON by extension (through compression), or by content: the first
/// byte that is not white space (after a BOM) opens an object or array.
fn looks_like_json(display: &str, head: &[u8]) -> bool {
    if JSON_EXTENSIONS.contains(&crate::formats::table::inner_extension(display).as_str()) {
        return true;
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    matches!(
        text.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}
