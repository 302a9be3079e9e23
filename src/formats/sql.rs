//! SQL dumps as column context. A value in an `INSERT … VALUES` tuple or a
//! `COPY … FROM stdin` row belongs to a column, named in the statement or
//! in the dump's `CREATE TABLE`: a `first_name` value in a mysqldump,
//! pg_dump or SQLite dump is weighed like a CSV cell under that header.
//!
//! The tracker is fed the dump's bytes in order. A piece of a large dump
//! scanned on its own starts between statements with the tables known when
//! it was handed out; it records the tables it looked up, so the join can
//! tell whether it must be scanned again from the true state.

use crate::detect::{Cells, Names};
use std::collections::HashMap;
use std::sync::Arc;

/// Longest statement head kept to find its table and column names; a
/// longer head (or a `CREATE TABLE` longer than this) is skipped.
const MAX_HEAD: usize = 64 * 1024;

/// Most tables remembered.
const MAX_TABLES: usize = 4096;

/// How far past a nominal piece boundary to look for the end of a line in
/// a dump: mysqldump writes an extended `INSERT` of about 1 MB per line,
/// and a piece that starts at a line starts between statements.
pub const STATEMENT_SEEK: u64 = 2 << 20;

/// How much of a dump's start tells its dialect.
pub const DIALECT_PREFIX: usize = 4096;

/// Where a dump's reading stands.
#[derive(Clone)]
pub struct Tracker {
    /// Strings take backslash escapes (MySQL, MariaDB).
    backslash: bool,
    /// Statements may end at a line end without `;` (T-SQL scripts).
    tsql: bool,
    /// Column names of each table created so far, by lower-cased name.
    schema: Arc<HashMap<Box<[u8]>, Names>>,
    state: State,
    /// The head of the statement being read.
    head: Vec<u8>,
    /// The columns of the values being read, when known.
    columns: Option<Names>,
    /// The value being read: where it started in the current buffer
    /// (`Some(0)` when it began in an earlier one), and the end of its
    /// last byte that is not white space.
    cell: Option<usize>,
    cell_end: usize,
    /// The value is a string literal; its opening quote is at `cell` when
    /// `opened_here`.
    quoted: bool,
    opened_here: bool,
    /// The state and columns this tracker started from (see
    /// [`Tracker::fresh`]).
    origin: (State, Option<Names>),
    /// Tables looked up since this tracker started, and what was found.
    looked_up: Vec<(Box<[u8]>, Option<Names>)>,
    /// Tables created since this tracker started, in order.
    learned: Vec<(Box<[u8]>, Names)>,
}

/// Shows the state, never the statement text (it can hold values).
impl std::fmt::Debug for Tracker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tracker")
            .field("backslash", &self.backslash)
            .field("tables", &self.schema.len())
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between statements; `pending` is a `-` or `/` that may open a comment.
    Outside {
        pending: Option<u8>,
    },
    LineComment,
    BlockComment {
        star: bool,
    },
    /// Reading a statement's head into `head`.
    Head(Text),
    /// Between the tuples of an `INSERT` (depth 0) or inside one.
    Values {
        depth: u32,
        column: usize,
        quote: bool,
        escaped: bool,
    },
    /// After `COPY … FROM stdin;`: the rest of its line, then rows.
    CopyStart,
    /// In a `COPY` row; `line` counts the row's bytes and `dot` is true
    /// while they are `\.` so far (the end of the block).
    Copy {
        column: usize,
        line: u32,
        dot: bool,
    },
    /// The rest of a statement of no interest.
    Skip(Text),
}

/// Where a statement's text stands outside the values: in a quoted string
/// or identifier (after a backslash), after a `-` that may open a `--`
/// comment, in such a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Text {
    quote: Option<u8>,
    escaped: bool,
    dash: bool,
    comment: bool,
}

impl Text {
    /// The state after byte `b`, and whether `b` is statement text (not
    /// comment). Backslash escapes apply in strings when `backslash`.
    fn step(self, b: u8, backslash: bool) -> (Text, bool) {
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
    fn bare(self) -> bool {
        self.quote.is_none() && !self.comment
    }
}

/// What a statement head says.
enum Head {
    /// Values follow, in these columns (or unknown ones).
    Values(Option<Names>),
    /// Rows follow, in these columns.
    Copy(Option<Names>),
    Created,
    Other,
}

impl Tracker {
    /// A tracker at the start of a dump; `head` is its first bytes, which
    /// tell the dialect.
    pub fn new(head: &[u8]) -> Tracker {
        // The same prefix whatever the path (whole file, stream, pieces).
        let prefix = &head[..head.len().min(DIALECT_PREFIX)];
        let has = |marker: &[u8]| memchr::memmem::find(prefix, marker).is_some();
        let mysql = has(b"MySQL dump") || has(b"MariaDB dump") || has(b"`");
        Tracker {
            backslash: mysql && !has(b"PostgreSQL"),
            tsql: has(b"SET ANSI_NULLS") || has(b"[dbo].") || has(b"\nGO\n") || has(b"\nGO\r\n"),
            schema: Arc::default(),
            state: State::Outside { pending: None },
            head: Vec::new(),
            columns: None,
            cell: None,
            cell_end: 0,
            quoted: false,
            opened_here: false,
            origin: (State::Outside { pending: None }, None),
            looked_up: Vec::new(),
            learned: Vec::new(),
        }
    }

    /// Reads `bytes[from..owned_end]` (which follows what this tracker has
    /// read) and stops there; returns the values of all of `bytes[from..]`,
    /// the overlap past `owned_end` read by a copy.
    pub fn read_chunk(&mut self, bytes: &[u8], from: usize, owned_end: usize) -> Cells {
        let mut cells = Cells::default();
        let bom = from == 0 && bytes.starts_with(b"\xef\xbb\xbf");
        let from = if bom { 3.min(owned_end) } else { from };
        self.run(bytes, from..owned_end, true, Some(&mut cells));
        let mut ahead = self.clone();
        ahead.run(bytes, owned_end..bytes.len(), false, Some(&mut cells));
        // A value still open at the end holds any match that starts in the
        // owned bytes (the overlap is longer than a match).
        if let State::Values {
            depth: 1.., column, ..
        }
        | State::Copy { column, .. } = ahead.state
        {
            ahead.end_cell(column, bytes, &mut Some(&mut cells));
        }
        cells
    }

    /// A tracker for a piece that starts at a line start, with the tables
    /// known here: between statements, or among the rows of the `COPY`
    /// block this tracker is in (a large table's rows span many pieces).
    /// It records where it started and what it looked up.
    pub fn fresh(&self) -> Tracker {
        let (state, columns) = match self.state {
            State::Copy {
                column: 0,
                line: 0,
                dot: true,
            } => (self.state, self.columns.clone()),
            _ => (State::Outside { pending: None }, None),
        };
        Tracker {
            state,
            head: Vec::new(),
            columns: columns.clone(),
            cell: None,
            origin: (state, columns),
            ..self.resume()
        }
    }

    /// A tracker that goes on from here, recording its own look-ups.
    pub fn resume(&self) -> Tracker {
        Tracker {
            origin: (self.state, self.columns.clone()),
            looked_up: Vec::new(),
            learned: Vec::new(),
            ..self.clone()
        }
    }

    /// True when `piece`, tracked from [`Tracker::fresh`] of an earlier
    /// state, may have read its bytes otherwise than this tracker would:
    /// it started from another state, or looked up a table this tracker
    /// knows as something else.
    pub fn differs_for(&self, piece: &Tracker) -> bool {
        let same = |a: Option<&Names>, b: Option<&Names>| match (a, b) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || a == b,
            (None, None) => true,
            _ => false,
        };
        self.state != piece.origin.0
            || !same(self.columns.as_ref(), piece.origin.1.as_ref())
            || (piece.looked_up.iter())
                .any(|(name, seen)| !same(self.schema.get(name), seen.as_ref()))
    }

    /// Continues with `piece`, which followed and read its bytes as this
    /// tracker would have.
    pub fn then(&mut self, piece: Tracker) {
        for (name, columns) in piece.learned {
            self.define(name, columns);
        }
        self.state = piece.state;
        self.head = piece.head;
        self.columns = piece.columns;
        self.cell = piece.cell;
        self.cell_end = piece.cell_end;
        self.quoted = piece.quoted;
        self.opened_here = piece.opened_here;
    }

    /// Reads `bytes[range]`; a value still open from an earlier buffer
    /// goes on from `range.start` when `new_buffer`.
    fn run(
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

    fn outside(&mut self, pending: Option<u8>, b: u8) -> State {
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

    fn in_head(&mut self, text: Text, b: u8) -> State {
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
            Head::Values(columns) if values => {
                self.columns = columns;
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
            Head::Copy(columns) if b == b';' => {
                self.columns = columns;
                State::CopyStart
            }
            _ if b == b';' => State::Outside { pending: None },
            _ => self.skip(Text::default(), b),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn in_values(
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
    fn in_copy(
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

    fn skip(&mut self, text: Text, b: u8) -> State {
        if text.bare() && (b == b';' || (self.tsql && b == b'\n')) {
            self.columns = None;
            return State::Outside { pending: None };
        }
        State::Skip(text.step(b, self.backslash).0)
    }

    /// Ends the value being read as one of column `column`.
    fn end_cell(&mut self, column: usize, bytes: &[u8], cells: &mut Option<&mut Cells>) {
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
        let list = match out.lists.iter().rposition(|l| Arc::ptr_eq(l, columns)) {
            Some(list) => list,
            None => {
                out.lists.push(columns.clone());
                out.lists.len() - 1
            }
        };
        out.cells.push((list, column, start, end));
    }

    /// Reads a statement head: the table and columns of an `INSERT` or
    /// `COPY`, the columns of a `CREATE TABLE` (learned).
    fn read_head(&mut self, head: &[u8]) -> Head {
        let tokens = tokens(head, self.backslash);
        let word = |i: usize| match tokens.get(i) {
            Some(Token::Word(w)) => lower(w),
            _ => Vec::new(),
        };
        match word(0).as_slice() {
            b"insert" | b"replace" => {
                // `INSERT [modifiers] [INTO] table` (T-SQL leaves out INTO).
                let mut at = 1;
                while matches!(
                    word(at).as_slice(),
                    b"low_priority" | b"delayed" | b"high_priority" | b"ignore" | b"into"
                ) {
                    at += 1;
                }
                let (table, next) = table_name(&tokens, at);
                let listed = column_list(&tokens, next);
                Head::Values(listed.or_else(|| self.look_up(table)))
            }
            b"copy" => {
                // Rows follow only `FROM stdin` (not `TO` a file).
                let from_stdin =
                    (1..tokens.len()).any(|i| word(i) == b"from" && word(i + 1) == b"stdin");
                if !from_stdin {
                    return Head::Other;
                }
                let (table, next) = table_name(&tokens, 1);
                let listed = column_list(&tokens, next);
                Head::Copy(listed.or_else(|| self.look_up(table)))
            }
            b"create" => {
                let Some(at) = (1..tokens.len().min(4)).find(|&i| word(i) == b"table") else {
                    return Head::Other;
                };
                let mut at = at + 1;
                if word(at) == b"if" {
                    at += 3; // IF NOT EXISTS
                }
                let (table, next) = table_name(&tokens, at);
                if let (Some(table), Some(columns)) = (table, definitions(&tokens, next)) {
                    let columns = Arc::new(columns);
                    if self.define(table.clone(), columns.clone()) {
                        self.learned.push((table, columns));
                    }
                }
                Head::Created
            }
            _ => Head::Other,
        }
    }

    fn look_up(&mut self, table: Option<Box<[u8]>>) -> Option<Names> {
        let table = table?;
        let found = self.schema.get(&table).cloned();
        // What this tracker created itself, or looked up before, it
        // read as any tracker would.
        let known = |list: &[(Box<[u8]>, Names)]| list.iter().any(|(t, _)| *t == table);
        let seen = self.looked_up.iter().any(|(t, _)| *t == table);
        if !known(&self.learned) && !seen {
            self.looked_up.push((table, found.clone()));
        }
        found
    }

    /// Sets a table's columns; false when the schema is full.
    fn define(&mut self, table: Box<[u8]>, columns: Names) -> bool {
        if self.schema.len() >= MAX_TABLES && !self.schema.contains_key(&table) {
            return false;
        }
        Arc::make_mut(&mut self.schema).insert(table, columns);
        true
    }
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    /// A bare word or number.
    Word(&'a [u8]),
    /// A quoted identifier (`` `x` ``, `"x"`, `[x]`), quotes removed.
    Quoted(&'a [u8]),
    /// A string literal.
    Text,
    Punct(u8),
}

/// The tokens of a statement head; strings take backslash escapes when
/// `backslash`.
fn tokens(head: &[u8], backslash: bool) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < head.len() {
        let b = head[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if matches!(b, b'`' | b'"' | b'[' | b'\'') {
            let close = if b == b'[' { b']' } else { b };
            let escapes = backslash && matches!(b, b'\'' | b'"');
            let mut end = i + 1;
            while end < head.len() && head[end] != close {
                end += if escapes && head[end] == b'\\' { 2 } else { 1 };
            }
            let end = end.min(head.len());
            out.push(if b == b'\'' {
                Token::Text
            } else {
                Token::Quoted(&head[i + 1..end])
            });
            i = end + 1;
        } else if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 || b == b'$' {
            let end = head[i..]
                .iter()
                .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 || c == b'$'))
                .map_or(head.len(), |e| i + e);
            out.push(Token::Word(&head[i..end]));
            i = end;
        } else {
            out.push(Token::Punct(b));
            i += 1;
        }
    }
    out
}

fn lower(word: &[u8]) -> Vec<u8> {
    word.to_ascii_lowercase()
}

/// True when `head` ends with the word `word` (any case).
fn ends_with_word(head: &[u8], word: &[u8]) -> bool {
    head.len() >= word.len()
        && head[head.len() - word.len()..].eq_ignore_ascii_case(word)
        && !head[..head.len() - word.len()]
            .last()
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The table named at token `at` (`schema.table` keeps the last part),
/// lower-cased, and the index of the token after it.
fn table_name(tokens: &[Token<'_>], mut at: usize) -> (Option<Box<[u8]>>, usize) {
    let mut name = None;
    loop {
        match tokens.get(at) {
            Some(Token::Word(w) | Token::Quoted(w)) => name = Some(lower(w).into_boxed_slice()),
            _ => return (name, at),
        }
        at += 1;
        if tokens.get(at) != Some(&Token::Punct(b'.')) {
            return (name, at);
        }
        at += 1;
    }
}

/// The names in the parenthesised list at token `at`, if there is one.
fn column_list(tokens: &[Token<'_>], at: usize) -> Option<Names> {
    if tokens.get(at) != Some(&Token::Punct(b'(')) {
        return None;
    }
    let mut names = Vec::new();
    for t in &tokens[at + 1..] {
        match t {
            Token::Word(w) | Token::Quoted(w) => names.push(Box::from(*w)),
            Token::Punct(b')') => break,
            _ => {}
        }
    }
    Some(Arc::new(names))
}

/// The column names of the definitions in the parentheses at token `at`:
/// the first name of each top-level definition that is not a constraint.
fn definitions(tokens: &[Token<'_>], at: usize) -> Option<Vec<Box<[u8]>>> {
    if tokens.get(at) != Some(&Token::Punct(b'(')) {
        return None;
    }
    let (mut names, mut depth, mut from) = (Vec::new(), 1, at + 1);
    for (i, t) in tokens.iter().enumerate().skip(at + 1) {
        match t {
            Token::Punct(b'(') => depth += 1,
            Token::Punct(b')') if depth == 1 => {
                names.extend(column_defined(&tokens[from..i]));
                break;
            }
            Token::Punct(b')') => depth -= 1,
            Token::Punct(b',') if depth == 1 => {
                names.extend(column_defined(&tokens[from..i]));
                from = i + 1;
            }
            _ => {}
        }
    }
    Some(names)
}

/// The column a definition defines, or none for a constraint or index
/// (`PRIMARY KEY (id)`, `KEY idx (dob)`, `CONSTRAINT fk …`, `CHECK (…)`),
/// told apart by shape: `key varchar(10)` and `index int` are columns.
fn column_defined(def: &[Token<'_>]) -> Option<Box<[u8]>> {
    let name = match def.first()? {
        Token::Quoted(w) => return Some(Box::from(*w)),
        Token::Word(w) => *w,
        _ => return None,
    };
    let word = |i: usize| match def.get(i) {
        Some(Token::Word(w)) => lower(w),
        _ => Vec::new(),
    };
    let paren = |i: usize| def.get(i) == Some(&Token::Punct(b'('));
    // `KEY idx (dob)` names an index; `key varchar(10)` has a size there.
    let index_list = |i: usize| {
        paren(i) && !matches!(def.get(i + 1), Some(Token::Word(w)) if w[0].is_ascii_digit())
    };
    let constraint = match lower(name).as_slice() {
        b"primary" | b"foreign" => word(1) == b"key",
        b"constraint" => def.len() > 2,
        b"check" | b"exclude" => paren(1) || word(1) == b"using",
        b"unique" | b"key" | b"index" | b"fulltext" | b"spatial" => {
            index_list(1)
                || index_list(2)
                || matches!(word(1).as_slice(), b"key" | b"index" | b"using")
        }
        b"like" => def.len() <= 4 && !paren(2),
        _ => false,
    };
    (!constraint).then(|| Box::from(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Tracker {
        fn feed(&mut self, bytes: &[u8]) {
            self.run(bytes, 0..bytes.len(), true, None);
        }
    }

    /// (column name, value) of every cell of `dump`.
    fn cells(dump: &str) -> Vec<(String, String)> {
        let bytes = dump.as_bytes();
        let found = Tracker::new(bytes).read_chunk(bytes, 0, bytes.len());
        found
            .cells
            .iter()
            .map(|&(list, column, start, end)| {
                (
                    String::from_utf8_lossy(&found.lists[list][column]).into_owned(),
                    dump[start..end].to_string(),
                )
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn mysqldump_values_take_their_columns_from_create_table() {
        let dump = "-- MySQL dump 10.13\n/*!40101 SET NAMES utf8mb4 */;\n\
            CREATE TABLE `customers` (\n  `id` int NOT NULL,\n  `first_name` varchar(64),\n  \
            `dob` date DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `k` (`dob`)\n) ENGINE=InnoDB;\n\
            INSERT INTO `customers` VALUES (1,'O\\'Brien','1985-03-15'),(2, 'Wei' ,NULL);\n";
        assert_eq!(
            cells(dump),
            pairs(&[
                ("id", "1"),
                ("first_name", "O\\'Brien"),
                ("dob", "1985-03-15"),
                ("id", "2"),
                ("first_name", "Wei"),
                ("dob", "NULL"),
            ])
        );
    }

    #[test]
    fn a_column_list_names_the_values_and_copy_rows_are_tab_separated() {
        let dump = "INSERT INTO public.people (surname, note) VALUES ('Nowak', 'a, (b)');\n\
            COPY public.people (id, surname) FROM stdin;\n7\tKowalski\n8\t\\N\n\\.\n\
            COPY public.people (surname) TO '/tmp/out';\nINSERT INTO unknown VALUES ('x');\n";
        assert_eq!(
            cells(dump),
            pairs(&[
                ("surname", "Nowak"),
                ("note", "a, (b)"),
                ("id", "7"),
                ("surname", "Kowalski"),
                ("id", "8"),
                ("surname", "\\N"),
            ])
        );
    }

    #[test]
    fn standard_strings_double_their_quotes_and_other_statements_are_skipped() {
        let dump = "CREATE TABLE t (name TEXT, city TEXT);\n\
            UPDATE t SET name = 'x;y';\n\
            INSERT INTO t VALUES('D''Angelo','C:\\');\nINSERT INTO t VALUES('Anna','Lyon');\n";
        assert_eq!(
            cells(dump),
            pairs(&[
                ("name", "D''Angelo"),
                ("city", "C:\\"),
                ("name", "Anna"),
                ("city", "Lyon"),
            ])
        );
    }

    #[test]
    fn constraints_are_told_from_columns_by_shape() {
        let dump = "CREATE TABLE t (id int, key varchar(10), index int, dob date,\n\
            PRIMARY KEY (id), KEY idx (dob), UNIQUE KEY u (key), CONSTRAINT c CHECK (id > 0));\n\
            INSERT INTO t VALUES (1,'k',2,'1990-01-01');\n";
        let names: Vec<String> = cells(dump).into_iter().map(|c| c.0).collect();
        assert_eq!(names, ["id", "key", "index", "dob"]);
    }

    #[test]
    fn escaped_quotes_and_comments_do_not_end_statements() {
        let dump = "-- MySQL dump\nUPDATE t SET a='it\\'s; x';\n\
            CREATE TABLE t (\n  id int, -- the user's id\n  first_name text DEFAULT 'O\\'Brien'\n);\n\
            INSERT INTO t VALUES (1,'Anna');\n";
        assert_eq!(cells(dump), pairs(&[("id", "1"), ("first_name", "Anna")]));
    }

    #[test]
    fn a_finished_statement_leaves_no_columns_behind() {
        let mut t = Tracker::new(b"");
        t.feed(
            b"CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nCOPY t (a) FROM stdin;\n1\n\\.\n",
        );
        assert!(!t.differs_for(&t.fresh()));
        // A table a piece creates itself is no look-up.
        let mut piece = Tracker::new(b"").fresh();
        piece.feed(b"CREATE TABLE u (a int);\nINSERT INTO u VALUES (1);\n");
        assert!(!Tracker::new(b"").differs_for(&piece));
    }

    #[test]
    fn tsql_scripts_have_no_into_no_semicolons_and_n_strings() {
        let dump = "SET ANSI_NULLS ON\nGO\n\
            INSERT [dbo].[People] ([Id], [FirstName]) VALUES (1, N'Anna')\n\
            INSERT [dbo].[People] ([Id], [FirstName]) VALUES (2, N'Wei')\nGO\n\
            INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 'x';\n";
        assert_eq!(
            cells(dump),
            pairs(&[
                ("Id", "1"),
                ("FirstName", "Anna"),
                ("Id", "2"),
                ("FirstName", "Wei"),
                ("a", "1"),
            ])
        );
    }

    #[test]
    fn fed_in_pieces_the_cells_are_the_same() {
        let dump = "CREATE TABLE t (a int, b text);\nINSERT INTO t VALUES (1,'xy'),(2, 'z' );\n";
        let spans = |t: &Tracker, from: usize| -> Vec<(usize, usize, usize)> {
            let bytes = dump.as_bytes();
            let mut t = t.clone();
            let found = t.read_chunk(bytes, from, bytes.len());
            found.cells.iter().map(|&(_, c, s, e)| (c, s, e)).collect()
        };
        let whole = spans(&Tracker::new(dump.as_bytes()), 0);
        assert_eq!(whole.len(), 4);
        for cut in 1..dump.len() {
            let mut t = Tracker::new(dump.as_bytes());
            t.feed(&dump.as_bytes()[..cut]);
            let expected: Vec<_> = whole
                .iter()
                .filter(|c| c.2 > cut)
                .map(|&(c, s, e)| (c, s.max(cut), e))
                .collect();
            assert_eq!(spans(&t, cut), expected, "cut at {cut}");
        }
    }

    #[test]
    fn a_piece_that_looked_up_a_table_differently_must_be_read_again() {
        let start = Tracker::new(b"");
        let mut piece = start.fresh();
        piece.feed(b"INSERT INTO t VALUES (1);\n");
        let mut truth = start.fresh();
        assert!(!truth.differs_for(&piece));
        truth.feed(b"CREATE TABLE t (a int);\n");
        assert!(truth.differs_for(&piece));
        truth.feed(b"INSERT INTO t VALUES (1,");
        assert!(truth.differs_for(&start.fresh()));
        // Rows of a COPY block go on across pieces.
        let mut copy = Tracker::new(b"");
        copy.feed(b"COPY t (a, b) FROM stdin;\n1\t2\n");
        let piece = copy.fresh();
        copy.feed(b"3\t4\n");
        assert!(!copy.differs_for(&piece));
        copy.feed(b"\\.\n");
        assert!(copy.differs_for(&piece));
    }
}
