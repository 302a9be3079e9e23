//! The byte state machine that reads a dump: statement heads, `INSERT`
//! tuples with their quoting and escapes, `COPY` rows, comments.

use super::schema::{ends_with_word, lower};
use super::*;

impl Tracker {
    /// Reads `bytes[range]`; a value still open from an earlier buffer
    /// goes on from `range.start` when `new_buffer`.
    pub(super) fn run(
        &mut self,
        bytes: &[u8],
        range: std::ops::Range<usize>,
        new_buffer: bool,
        mut cells: Option<&mut Cells>,
    ) {
        if new_buffer && self.cell.is_some() {
            (self.cell, self.cell_end, self.opened_here) = (Some(range.start), range.start, false);
        }
        let end = range.end.min(bytes.len());
        let mut i = range.start;
        while i < end {
            // Runs of bytes inside a string or a COPY field change nothing
            // but where the value ends: skip them at memchr speed.
            let run = match self.state {
                State::Values {
                    quote: true,
                    escaped: false,
                    ..
                } if self.backslash => memchr::memchr2(b'\'', b'\\', &bytes[i..end]),
                State::Values {
                    quote: true,
                    escaped: false,
                    ..
                } => memchr::memchr(b'\'', &bytes[i..end]),
                State::Copy { dot: false, .. } => {
                    memchr::memchr3(b'\t', b'\n', b'\r', &bytes[i..end])
                }
                _ => Some(0),
            }
            .unwrap_or(end - i);
            if run > 0 {
                if let State::Copy { line, .. } = &mut self.state {
                    *line = line.saturating_add(run as u32);
                    if self.cell.is_none() {
                        (self.cell, self.quoted) = (Some(i), false);
                    }
                }
                i += run;
                self.cell_end = i;
                continue;
            }
            let b = bytes[i];
            self.state = match self.state {
                State::Outside { pending } => self.outside(pending, b),
                State::LineComment if b == b'\n' => State::Outside { pending: None },
                State::LineComment => State::LineComment,
                State::BlockComment { star: true } if b == b'/' => State::Outside { pending: None },
                State::BlockComment { .. } => State::BlockComment { star: b == b'*' },
                State::Head(text) => self.in_head(text, b),
                State::Values {
                    depth,
                    column,
                    quote,
                    escaped,
                } => self.in_values(depth, column, quote, escaped, b, i, bytes, &mut cells),
                State::CopyStart if b == b'\n' => State::Copy {
                    column: 0,
                    line: 0,
                    dot: true,
                },
                State::CopyStart => State::CopyStart,
                State::Copy { column, line, dot } => {
                    self.in_copy(column, line, dot, b, i, bytes, &mut cells)
                }
                State::Skip(text) => self.skip(text, b),
            };
            i += 1;
        }
    }

    pub(super) fn outside(&mut self, pending: Option<u8>, b: u8) -> State {
        match (pending, b) {
            (Some(b'-'), b'-') => State::LineComment,
            (Some(b'/'), b'*') => State::BlockComment { star: false },
            (Some(_), _) => self.skip(Text::default(), b),
            (None, b'-' | b'/') => State::Outside { pending: Some(b) },
            (None, b';') => State::Outside { pending: None },
            (None, _) if b.is_ascii_whitespace() => State::Outside { pending: None },
            (None, _) => {
                self.head.clear();
                self.head.push(b);
                let (text, _) = Text::default().step(b, self.backslash);
                State::Head(text)
            }
        }
    }

    pub(super) fn in_head(&mut self, text: Text, b: u8) -> State {
        if self.head.len() >= MAX_HEAD {
            self.head.clear();
            return self.skip(text, b);
        }
        let (next, counts) = text.step(b, self.backslash);
        if next.comment && !text.comment {
            self.head.pop(); // the `-` that opened the comment
        }
        if !text.bare() || !next.bare() {
            if counts {
                self.head.push(b);
            }
            return State::Head(next);
        }
        // The first word tells whether the head is worth reading on.
        if !b.is_ascii_alphabetic() && self.head.iter().all(u8::is_ascii_alphabetic) {
            let word = lower(&self.head);
            // T-SQL's batch separator stands alone on its line.
            if word == b"go" && b.is_ascii_whitespace() {
                self.head.clear();
                return State::Outside { pending: None };
            }
            if !matches!(
                word.as_slice(),
                b"insert" | b"replace" | b"create" | b"copy"
            ) {
                self.head.clear();
                return self.skip(text, b);
            }
        }
        let values =
            (b == b'(' || b.is_ascii_whitespace()) && ends_with_word(&self.head, b"values");
        if !values && b != b';' {
            self.head.push(b);
            return State::Head(next);
        }
        let head = std::mem::take(&mut self.head);
        match self.read_head(&head) {
            Head::Values(columns, table) if values => {
                (self.columns, self.table) = (columns, table);
                let opening = b == b'(';
                if opening {
                    self.cell = None;
                }
                State::Values {
                    depth: u32::from(opening),
                    column: 0,
                    quote: false,
                    escaped: false,
                }
            }
            Head::Copy(columns, table) if b == b';' => {
                (self.columns, self.table) = (columns, table);
                State::CopyStart
            }
            _ if b == b';' => State::Outside { pending: None },
            _ => self.skip(Text::default(), b),
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn in_values(
        &mut self,
        depth: u32,
        column: usize,
        quote: bool,
        escaped: bool,
        b: u8,
        i: usize,
        bytes: &[u8],
        cells: &mut Option<&mut Cells>,
    ) -> State {
        let mut next = State::Values {
            depth,
            column,
            quote,
            escaped: false,
        };
        if quote {
            self.cell_end = i + 1;
            if escaped {
                return next;
            }
            if self.backslash && b == b'\\' {
                return State::Values {
                    depth,
                    column,
                    quote,
                    escaped: true,
                };
            }
            if b == b'\'' {
                next = State::Values {
                    depth,
                    column,
                    quote: false,
                    escaped: false,
                };
            }
            return next;
        }
        if depth == 0 {
            return match b {
                b'(' => {
                    self.cell = None;
                    State::Values {
                        depth: 1,
                        column: 0,
                        quote: false,
                        escaped: false,
                    }
                }
                b';' => {
                    self.columns = None;
                    State::Outside { pending: None }
                }
                b',' => next,
                _ if b.is_ascii_whitespace() => next,
                // A statement ended without `;` (T-SQL scripts), or goes on
                // with a clause (`ON DUPLICATE KEY UPDATE`, skipped): either
                // way a new head.
                _ if b.is_ascii_alphabetic() => {
                    self.columns = None;
                    self.outside(None, b)
                }
                _ => self.skip(Text::default(), b),
            };
        }
        match b {
            b',' | b')' if depth == 1 => {
                self.end_cell(column, bytes, cells);
                if b == b')' {
                    State::Values {
                        depth: 0,
                        column: 0,
                        quote: false,
                        escaped: false,
                    }
                } else {
                    State::Values {
                        depth,
                        column: column + 1,
                        quote: false,
                        escaped: false,
                    }
                }
            }
            _ if b.is_ascii_whitespace() => next,
            _ => {
                if self.cell.is_none() {
                    self.cell = Some(i);
                    (self.quoted, self.opened_here) = (b == b'\'', b == b'\'');
                }
                self.cell_end = i + 1;
                // `N'…'` (T-SQL), `E'…'` (PostgreSQL): the value is the string.
                let prefix = i > 0 && self.cell == Some(i - 1) && b"NnEe".contains(&bytes[i - 1]);
                if b == b'\'' && prefix {
                    (self.cell, self.quoted, self.opened_here) = (Some(i), true, true);
                }
                match b {
                    b'\'' => State::Values {
                        depth,
                        column,
                        quote: true,
                        escaped: false,
                    },
                    b'(' => State::Values {
                        depth: depth + 1,
                        column,
                        quote: false,
                        escaped: false,
                    },
                    b')' => State::Values {
                        depth: depth - 1,
                        column,
                        quote: false,
                        escaped: false,
                    },
                    _ => next,
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn in_copy(
        &mut self,
        column: usize,
        line: u32,
        dot: bool,
        b: u8,
        i: usize,
        bytes: &[u8],
        cells: &mut Option<&mut Cells>,
    ) -> State {
        match b {
            b'\n' | b'\r' if dot && line == 2 => {
                (self.cell, self.columns) = (None, None);
                State::Outside { pending: None }
            }
            b'\n' => {
                self.end_cell(column, bytes, cells);
                State::Copy {
                    column: 0,
                    line: 0,
                    dot: true,
                }
            }
            b'\t' => {
                self.end_cell(column, bytes, cells);
                State::Copy {
                    column: column + 1,
                    line: line.saturating_add(1),
                    dot: false,
                }
            }
            _ => {
                if b != b'\r' {
                    if self.cell.is_none() {
                        self.cell = Some(i);
                        self.quoted = false;
                    }
                    self.cell_end = i + 1;
                }
                let dot = dot && matches!((line, b), (0, b'\\') | (1, b'.'));
                State::Copy {
                    column,
                    line: line.saturating_add(1),
                    dot,
                }
            }
        }
    }

    pub(super) fn skip(&mut self, text: Text, b: u8) -> State {
        if text.bare() && (b == b';' || (self.tsql && b == b'\n')) {
            self.columns = None;
            return State::Outside { pending: None };
        }
        State::Skip(text.step(b, self.backslash).0)
    }

    /// Ends the value being read as one of column `column`.
    pub(super) fn end_cell(&mut self, column: usize, bytes: &[u8], cells: &mut Option<&mut Cells>) {
        let Some(start) = self.cell.take() else {
            return;
        };
        let (Some(out), Some(columns)) = (cells.as_deref_mut(), &self.columns) else {
            return;
        };
        if column >= columns.len() {
            return;
        }
        let (mut start, mut end) = (start, self.cell_end);
        if self.quoted {
            start += usize::from(self.opened_here);
            end -= usize::from(end > start && bytes[end - 1] == b'\'');
        }
        if end <= start {
            return;
        }
        let table = &self.table;
        let same = |i: usize| Arc::ptr_eq(&out.lists[i], columns) && out.tables[i] == *table;
        let list = match (0..out.lists.len()).rposition(same) {
            Some(list) => list,
            None => {
                out.lists.push(columns.clone());
                out.tables.push(table.clone());
                out.lists.len() - 1
            }
        };
        out.cells.push((list, column, start, end));
    }
}

/// Where a statement's text stands outside the values: in a quoted string
/// or identifier (after a backslash), after a `-` that may open a `--`
/// comment, in such a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Text {
    quote: Option<u8>,
    escaped: bool,
    dash: bool,
    comment: bool,
}

impl Text {
    /// The state after byte `b`, and whether `b` is statement text (not
    /// comment). Backslash escapes apply in strings when `backslash`.
    pub(super) fn step(self, b: u8, backslash: bool) -> (Text, bool) {
        if self.comment {
            let comment = b != b'\n';
            return (
                Text {
                    comment,
                    ..Text::default()
                },
                false,
            );
        }
        if let Some(q) = self.quote {
            let quote = if self.escaped || b != q {
                Some(q)
            } else {
                None
            };
            let escaped = !self.escaped && backslash && q != b'`' && b == b'\\';
            return (
                Text {
                    quote,
                    escaped,
                    ..Text::default()
                },
                true,
            );
        }
        let next = match b {
            b'-' if self.dash => Text {
                comment: true,
                ..Text::default()
            },
            b'-' => Text {
                dash: true,
                ..Text::default()
            },
            b'\'' | b'"' | b'`' => Text {
                quote: Some(b),
                ..Text::default()
            },
            _ => Text::default(),
        };
        (next, !next.comment)
    }

    /// Outside strings, identifiers and comments.
    pub(super) fn bare(self) -> bool {
        self.quote.is_none() && !self.comment
    }
}
