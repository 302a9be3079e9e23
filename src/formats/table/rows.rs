//! The rows reader: a quote-aware state machine (RFC 4180: quoted fields
//! with delimiters, line breaks and doubled quotes inside) fed a delimited
//! file's bytes in order. It gives each finding its data row and column,
//! gives detection the cells of named columns, and counts cells per column.

use std::ops::Range;
use std::sync::Arc;

use super::{ColumnStats, Table};

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
    pub(super) column: u32,
    quote: Quote,
    /// Bytes in the current field, and in the current record.
    field_len: u64,
    record_len: u64,
    /// Bytes since the current quoted field opened.
    quoted_len: u64,
    /// The current field opened with a quote (so `""` is empty).
    quoted: bool,
    /// Fields in the last finished record.
    pub(super) last_fields: u32,
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
    pub(super) fn new(delimiter: u8) -> Self {
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
        let mut rows = self.resume();
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

    /// The tracker for a piece that follows this one at a record start, as
    /// far as a piece can tell: fresh, or broken from its start on (row 0)
    /// when the quoting broke before it.
    pub fn piece(&self) -> Rows {
        Rows {
            broken: self.broken.map(|_| 0),
            ..Rows::new(self.delimiter)
        }
    }

    /// Where a piece read again from this tracker's state starts: the same
    /// place in the record (quoting, column), rows and counts from zero so
    /// the join adds them once, broken from row 0 if this one broke.
    pub fn resume(&self) -> Rows {
        Rows {
            done: 0,
            broken: self.broken.map(|_| 0),
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
                    self.quoted = true;
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
        // A quoted field holds its two quotes and no more when empty.
        let empty = if self.quoted { 2 } else { 0 };
        let non_empty = u64::from(self.field_len > empty);
        self.quoted = false;
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

    /// The cell the next byte is in, from `rest` (the bytes from there
    /// on, as far as they are at hand): bytes of it before that byte, and
    /// bytes in all, a quoted cell with its quotes. An unquoted field not
    /// ended within `rest` ends with it; `None` when the quoting has broken
    /// or a quoted field's end is not within `rest`.
    pub fn field_around(&self, rest: &[u8]) -> Option<(usize, usize)> {
        if self.broken.is_some() {
            return None;
        }
        let back = usize::try_from(self.field_len).ok()?;
        let ahead = match self.quote {
            Quote::Out => memchr::memchr3(self.delimiter, b'\n', b'\r', rest).unwrap_or(rest.len()),
            Quote::In => closing_quote(rest, false)?,
            Quote::Pending => closing_quote(rest, true)?,
        };
        Some((back, back + ahead))
    }

    /// True at a record start, where a fresh tracker stands: not inside a
    /// quoted field, nor inside a record a long line carries on.
    pub fn at_record_start(&self) -> bool {
        self.quote == Quote::Out && self.record_len == 0 && self.field_len == 0
    }

    /// True when a piece tracked by `piece` from [`Rows::piece`] of
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

/// Where a quoted field whose quotes are open in `rest` ends: past the
/// quote that is not doubled (`pending`: `rest` follows a quote). `None`
/// when that is not sure within `rest` (a quote at its very end may be the
/// first of a doubled one).
fn closing_quote(rest: &[u8], pending: bool) -> Option<usize> {
    let mut i = match pending {
        true => 0,
        false => memchr::memchr(b'"', rest)? + 1,
    };
    // `rest[i - 1]` is a quote: the closing one, or the first of a pair.
    loop {
        match rest.get(i) {
            Some(b'"') => i += 1 + memchr::memchr(b'"', &rest[i + 1..])? + 1,
            Some(_) => return Some(i),
            None => return None,
        }
    }
}
