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
use crate::finding::FieldKind;

mod reader;
mod schema;

use self::reader::Text;
use std::collections::HashMap;
use std::ops::Range;
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
    /// The columns of the values being read, when known, and their table.
    columns: Option<Names>,
    table: Option<Arc<str>>,
    /// The values of the last chunk read, to name each finding's column.
    located: Located,
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

/// The values of the chunk last read ([`Tracker::read_chunk`]): where
/// each finding's column is looked up. A copy of a tracker (for a piece, or
/// to read ahead) starts without them.
#[derive(Debug, Default)]
struct Located(Cells);

impl Clone for Located {
    fn clone(&self) -> Self {
        Located::default()
    }
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

/// What a statement head says.
enum Head {
    /// Values follow, in these columns (or unknown ones), of this table.
    Values(Option<Names>, Option<Arc<str>>),
    /// Rows follow, in these columns, of this table.
    Copy(Option<Names>, Option<Arc<str>>),
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
            table: None,
            located: Located::default(),
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
    pub fn read_chunk(&mut self, bytes: &[u8], from: usize, owned_end: usize) -> &Cells {
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
        self.located = Located(cells);
        &self.located.0
    }

    /// A tracker for a piece that starts at a line start, with the tables
    /// known here: between statements, or among the rows of the `COPY`
    /// block this tracker is in (a large table's rows span many pieces).
    /// It records where it started and what it looked up.
    pub fn fresh(&self) -> Tracker {
        let (state, columns, table) = match self.state {
            State::Copy {
                column: 0,
                line: 0,
                dot: true,
            } => (self.state, self.columns.clone(), self.table.clone()),
            _ => (State::Outside { pending: None }, None, None),
        };
        Tracker {
            state,
            head: Vec::new(),
            columns: columns.clone(),
            table,
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
        self.table = piece.table;
        self.cell = piece.cell;
        self.cell_end = piece.cell_end;
        self.quoted = piece.quoted;
        self.opened_here = piece.opened_here;
    }
}

/// The bare number holding the value at `buf[at]`, when it stands alone
/// between `(` or `,` and `,` or `)`, white space aside: a numeric
/// literal of a tuple, where a masked form must stay digits. Told from the
/// bytes around, not the tracker (which reads whole chunks ahead): inside
/// a string the same look only makes a masked form digits.
pub fn bare_value(buf: &[u8], at: usize) -> Option<(Range<usize>, FieldKind)> {
    let number = |b: &u8| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.');
    let start = at - buf[..at].iter().rev().take_while(|b| number(b)).count();
    let end = at + buf[at..].iter().take_while(|b| number(b)).count();
    let before = buf[..start].iter().rev().find(|b| !b.is_ascii_whitespace());
    let after = buf[end..].iter().find(|b| !b.is_ascii_whitespace());
    let alone = matches!(before, Some(b'(' | b',')) && matches!(after, Some(b',' | b')'));
    (alone && end > at).then_some((start..end, FieldKind::SqlValue))
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
        let mut tracker = Tracker::new(bytes);
        let found = tracker.read_chunk(bytes, 0, bytes.len());
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
