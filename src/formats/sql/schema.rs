//! What a statement head says: its table and column names, and the
//! tables a dump's `CREATE TABLE` statements define.

use super::*;

impl Tracker {
    /// Reads a statement head: the table and columns of an `INSERT` or
    /// `COPY`, the columns of a `CREATE TABLE` (learned).
    pub(super) fn read_head(&mut self, head: &[u8]) -> Head {
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
                let name = shown(table.as_deref());
                Head::Values(listed.or_else(|| self.look_up(table)), name)
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
                let name = shown(table.as_deref());
                Head::Copy(listed.or_else(|| self.look_up(table)), name)
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

    /// The column holding the value at `at` of the last chunk read, as
    /// `table.column` (or the column alone when the table is unknown).
    pub fn column_at(&self, at: usize) -> Option<String> {
        let cells = &self.located.0.cells;
        let i = cells.partition_point(|c| c.2 <= at);
        let &(list, column, start, end) = cells.get(i.checked_sub(1)?)?;
        if !(start..end).contains(&at) {
            return None;
        }
        let located = &self.located.0;
        let name = String::from_utf8_lossy(&located.lists[list][column]);
        Some(match located.tables.get(list).cloned().flatten() {
            Some(table) => format!("{table}.{name}"),
            None => name.into_owned(),
        })
    }

    /// Forgets the last chunk's values once its findings have their
    /// columns: a tracker held with a piece's results holds no more.
    pub fn located_done(&mut self) {
        self.located = Located::default();
    }

    pub(super) fn look_up(&mut self, table: Option<Box<[u8]>>) -> Option<Names> {
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
    pub(super) fn define(&mut self, table: Box<[u8]>, columns: Names) -> bool {
        if self.schema.len() >= MAX_TABLES && !self.schema.contains_key(&table) {
            return false;
        }
        Arc::make_mut(&mut self.schema).insert(table, columns);
        true
    }
}

#[derive(Debug, PartialEq)]
pub(super) enum Token<'a> {
    /// A bare word or number.
    Word(&'a [u8]),
    /// A quoted identifier (`` `x` ``, `"x"`, `[x]`), quotes removed.
    Quoted(&'a [u8]),
    /// A string literal.
    Text,
    Punct(u8),
}

pub(super) fn lower(word: &[u8]) -> Vec<u8> {
    word.to_ascii_lowercase()
}

/// True when `head` ends with the word `word` (any case).
pub(super) fn ends_with_word(head: &[u8], word: &[u8]) -> bool {
    head.len() >= word.len()
        && head[head.len() - word.len()..].eq_ignore_ascii_case(word)
        && !head[..head.len() - word.len()]
            .last()
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The table named at token `at` (`schema.table` keeps the last part),
/// lower-cased, and the index of the token after it.
pub(super) fn table_name(tokens: &[Token<'_>], mut at: usize) -> (Option<Box<[u8]>>, usize) {
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
pub(super) fn column_list(tokens: &[Token<'_>], at: usize) -> Option<Names> {
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
pub(super) fn definitions(tokens: &[Token<'_>], at: usize) -> Option<Vec<Box<[u8]>>> {
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
pub(super) fn column_defined(def: &[Token<'_>]) -> Option<Box<[u8]>> {
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

/// The tokens of a statement head; strings take backslash escapes when
/// `backslash`.
pub(super) fn tokens(head: &[u8], backslash: bool) -> Vec<Token<'_>> {
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

/// A table name as findings show it.
fn shown(table: Option<&[u8]>) -> Option<Arc<str>> {
    table.map(|t| Arc::from(String::from_utf8_lossy(t).as_ref()))
}
