//! JSON and NDJSON: the key path of each finding (`$.customer.emails[2]`).
//!
//! Like delimited files, JSON is detected over its raw bytes; beside that,
//! [`JsonPath`] walks the same bytes once, fed in order, keeping the stack
//! of keys and array indices. NDJSON is a run of top-level values, and each
//! starts again at `$`. Bytes that cannot be JSON break the tracker: the
//! input is then plain text and its findings carry no path.

use std::collections::HashSet;
use std::fmt::Write;
use std::hash::{Hash, Hasher};

use crate::finding::FieldKind;

/// One open object or array.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Frame {
    /// An object and the key whose value is being read (empty before the
    /// first key); `tainted` when personal data was found in the key.
    Object {
        key: Vec<u8>,
        want_key: bool,
        tainted: bool,
    },
    /// An array and the index of the element being read.
    Array { index: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Lex {
    /// Between tokens, or inside a number or literal.
    #[default]
    Code,
    /// Inside a string; `key` when the string is an object key.
    Str { key: bool },
    /// After a backslash inside a string.
    Escape { key: bool },
}

/// Nesting deeper than this is not real data: the tracker gives up.
const MAX_DEPTH: usize = 512;

/// Keys longer than this are kept cut short in paths.
const MAX_KEY: usize = 128;

/// The JSON position of the bytes fed so far.
#[derive(Debug, Clone, Default)]
pub struct JsonPath {
    stack: Vec<Frame>,
    lex: Lex,
    /// Bytes of the string being read (after its opening quote), or of the
    /// number or literal being read: where the value holding the next byte
    /// started.
    run: u64,
    /// The bytes are not JSON (from some point on).
    pub broken: bool,
    /// Values found in this input so far, as [`folded`] hashes: a key
    /// spelled like one (`{"Smithsonovic": {"surname": "Smithsonovic"}}`)
    /// is data, and shows as `[*]`.
    found: HashSet<u64>,
}

/// Values remembered per input, at most: a bound on memory for any file.
const MAX_FOUND: usize = 1 << 16;

impl JsonPath {
    /// Takes in `bytes`, the next bytes of the input.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.broken {
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match self.lex {
                Lex::Str { key } => {
                    // Most of a string is plain bytes: skip to the next
                    // quote or backslash.
                    let rest = &bytes[i..];
                    let n = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
                    if key {
                        self.push_key(&rest[..n]);
                    }
                    self.run += n as u64;
                    i += n;
                    match bytes.get(i) {
                        Some(b'"') => {
                            self.lex = Lex::Code;
                            if key {
                                self.key_done();
                            }
                        }
                        Some(_) => {
                            self.lex = Lex::Escape { key };
                            self.run += 1;
                        }
                        None => {}
                    }
                }
                Lex::Escape { key } => {
                    if key {
                        self.push_key(&[b]);
                    }
                    self.lex = Lex::Str { key };
                    self.run += 1;
                }
                Lex::Code => self.code(b),
            }
            if self.broken {
                return;
            }
            i += 1;
        }
    }

    fn code(&mut self, b: u8) {
        // A bare value's bytes so far: only its own bytes carry it on.
        let run = std::mem::take(&mut self.run);
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => {}
            // A byte-order mark before the first value.
            0xef | 0xbb | 0xbf if self.stack.is_empty() => {}
            b'{' | b'[' if self.stack.len() >= MAX_DEPTH => self.broken = true,
            b'{' => self.stack.push(Frame::Object {
                key: Vec::new(),
                want_key: true,
                tainted: false,
            }),
            b'[' => self.stack.push(Frame::Array { index: 0 }),
            b'}' => self.close(|f| matches!(f, Frame::Object { .. })),
            b']' => self.close(|f| matches!(f, Frame::Array { .. })),
            _ if self.stack.is_empty() => self.broken = true,
            b'"' => {
                let key = matches!(
                    self.stack.last(),
                    Some(Frame::Object { want_key: true, .. })
                );
                if let (true, Some(Frame::Object { key, .. })) = (key, self.stack.last_mut()) {
                    key.clear();
                }
                self.lex = Lex::Str { key };
            }
            b':' => match self.stack.last_mut() {
                Some(Frame::Object { want_key, .. }) if !*want_key => {}
                _ => self.broken = true,
            },
            b',' => match self.stack.last_mut() {
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                Some(Frame::Array { index }) => *index += 1,
                None => self.broken = true,
            },
            b if is_bare(b) => self.run = run + 1,
            _ => self.broken = true,
        }
    }

    fn close(&mut self, matches: impl Fn(&Frame) -> bool) {
        match self.stack.last() {
            Some(f) if matches(f) => {
                self.stack.pop();
            }
            _ => self.broken = true,
        }
    }

    fn push_key(&mut self, bytes: &[u8]) {
        if let Some(Frame::Object { key, .. }) = self.stack.last_mut() {
            let room = MAX_KEY.saturating_sub(key.len());
            key.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
    }

    fn key_done(&mut self) {
        if let Some(Frame::Object { want_key, .. }) = self.stack.last_mut() {
            *want_key = false;
        }
    }

    /// Ends the input: an open string or container means it was not JSON.
    pub fn finish(&mut self) {
        if self.lex != Lex::Code || !self.stack.is_empty() {
            self.broken = true;
        }
    }

    /// Between top-level values: where a piece of a split NDJSON file
    /// starts, and where a fresh tracker stands.
    pub fn at_top_level(&self) -> bool {
        self.stack.is_empty() && self.lex == Lex::Code
    }

    /// The value the next byte is in, from `rest` (the bytes from there
    /// on, as far as they are at hand): bytes of it before that byte,
    /// bytes in all, and its kind: a string's contents (a key's, or a
    /// value's), or a bare number or literal. `None` between values, past a
    /// break, or when a string's end is not within `rest`.
    pub fn field_around(&self, rest: &[u8]) -> Option<(usize, usize, FieldKind)> {
        if self.broken {
            return None;
        }
        let back = usize::try_from(self.run).ok()?;
        match self.lex {
            Lex::Str { key: false } => {
                Some((back, back + string_end(rest, false)?, FieldKind::Text))
            }
            Lex::Escape { key: false } => {
                Some((back, back + string_end(rest, true)?, FieldKind::Text))
            }
            Lex::Str { key: true } => {
                Some((back, back + string_end(rest, false)?, FieldKind::JsonKey))
            }
            Lex::Escape { key: true } => {
                Some((back, back + string_end(rest, true)?, FieldKind::JsonKey))
            }
            Lex::Code if rest.first().is_some_and(|&b| is_bare(b)) => {
                let ahead = rest.iter().position(|&b| !is_bare(b)).unwrap_or(rest.len());
                Some((back, back + ahead, FieldKind::JsonValue))
            }
            _ => None,
        }
    }

    /// Marks the key being read, if the next byte is inside one, as holding
    /// personal data: paths then show it as `[*]`, never in the clear.
    pub fn taint_key(&mut self) {
        if let (
            Lex::Str { key: true } | Lex::Escape { key: true },
            Some(Frame::Object { tainted, .. }),
        ) = (self.lex, self.stack.last_mut())
        {
            *tainted = true;
        }
    }

    /// Remembers `value`, a value found in this input: a key spelled the
    /// same is not printed. Call it for every value of a chunk before
    /// locating the first, so a key shows the same whatever the order.
    pub fn remember(&mut self, value: &[u8]) {
        if self.found.len() >= MAX_FOUND || looks_like_data(value) {
            return;
        }
        self.found.insert(folded(value));
        // The words of a value of words alone (a name, not an address with
        // its number): a key holding one (`Smithsonovic family`) is data too.
        if !value.iter().any(u8::is_ascii_digit) {
            for word in words(value).filter(|w| w.len() >= 3) {
                self.found.insert(folded(word));
            }
        }
    }

    /// True when `key`, or one of its words, was remembered as a value.
    fn names_found(&self, key: &[u8]) -> bool {
        !self.found.is_empty()
            && (self.found.contains(&folded(key))
                || words(key).any(|w| self.found.contains(&folded(w))))
    }

    /// Takes in the values `earlier` remembered.
    pub fn remember_all(&mut self, earlier: &JsonPath) {
        let room = MAX_FOUND.saturating_sub(self.found.len());
        self.found.extend(earlier.found.iter().take(room));
    }

    /// The path of the value at the next byte, e.g. `$.user.emails[2]`, or
    /// `None` once the input has proved not to be JSON. Keys that hold
    /// personal data, or look like data (an `@`, three digits), show as
    /// `[*]`; a path longer than [`MAX_PATH`] is cut short with `…`.
    pub fn here(&self) -> Option<String> {
        if self.broken {
            return None;
        }
        let mut path = String::from("$");
        for frame in &self.stack {
            match frame {
                Frame::Object { key, tainted, .. }
                    if *tainted || looks_like_data(key) || self.names_found(key) =>
                {
                    path.push_str("[*]");
                }
                Frame::Object { key, .. } => push_key(&mut path, key),
                Frame::Array { index } => {
                    let _ = write!(path, "[{index}]");
                }
            }
            if path.len() > MAX_PATH {
                let mut cut = MAX_PATH;
                while !path.is_char_boundary(cut) {
                    cut -= 1;
                }
                path.truncate(cut);
                path.push('…');
                break;
            }
        }
        Some(path)
    }
}

/// The runs of letters and digits of `text` (any non-ASCII byte counts as
/// a letter).
fn words(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|b| !(b.is_ascii_alphanumeric() || *b >= 0x80))
        .filter(|w| !w.is_empty())
}

/// A hash of `text` without its surrounding blanks, ASCII case folded:
/// the same for a key and a value spelled alike.
fn folded(text: &[u8]) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for b in text.trim_ascii() {
        hasher.write_u8(b.to_ascii_lowercase());
    }
    text.trim_ascii().len().hash(&mut hasher);
    hasher.finish()
}

/// A byte of a number or a literal (`true`, `null`).
fn is_bare(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'-' | b'+' | b'.')
}

/// Where the string `rest` is inside ends (its closing quote), `escaped`
/// when `rest` starts inside an escape.
fn string_end(rest: &[u8], escaped: bool) -> Option<usize> {
    let mut i = usize::from(escaped);
    loop {
        i += memchr::memchr2(b'"', b'\\', rest.get(i..)?)?;
        if rest[i] == b'"' {
            return Some(i);
        }
        i += 2;
    }
}

/// Paths longer than this (in bytes) are cut short.
const MAX_PATH: usize = 512;

/// A key that could itself be personal data: an `@` or three digits.
fn looks_like_data(key: &[u8]) -> bool {
    key.contains(&b'@') || key.iter().filter(|b| b.is_ascii_digit()).count() >= 3
}

/// Appends `.key`, or `['key']` when the key is not a plain identifier.
fn push_key(path: &mut String, key: &[u8]) {
    let key = String::from_utf8_lossy(key);
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_alphanumeric() || c == '_');
    if plain {
        path.push('.');
        path.push_str(&key);
    } else {
        path.push_str("['");
        for c in key.chars() {
            match c {
                '\'' | '\\' => {
                    path.push('\\');
                    path.push(c);
                }
                c if c.is_control() => {
                    let _ = write!(path, "\\u{:04x}", c as u32);
                }
                c => path.push(c),
            }
        }
        path.push_str("']");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path at the first byte of each needle.
    fn paths(text: &str, needles: &[&str]) -> Vec<Option<String>> {
        let mut json = JsonPath::default();
        let mut done = 0;
        needles
            .iter()
            .map(|n| {
                let at = done + text[done..].find(n).unwrap();
                json.feed(&text.as_bytes()[done..at]);
                done = at;
                json.here()
            })
            .collect()
    }

    #[test]
    fn keys_and_indices() {
        let text =
            r#"{"customer": {"name": "A", "emails": ["x@a", "y@b", "z@c"]}, "ip": "1.2.3.4"}"#;
        let got = paths(text, &["A", "x@a", "z@c", "1.2.3.4"]);
        let want = [
            "$.customer.name",
            "$.customer.emails[0]",
            "$.customer.emails[2]",
            "$.ip",
        ];
        assert_eq!(got, want.map(|p| Some(p.to_string())));
    }

    #[test]
    fn ndjson_starts_each_line_at_the_root_and_strange_keys_are_quoted() {
        let text = "{\"a\": [1, {\"b c\": \"v1\"}]}\n{\"it's\": \"v2\", \"e\\\"q\": \"v3\"}\n";
        let got = paths(text, &["v1", "v2", "v3"]);
        assert_eq!(
            got,
            [
                Some("$.a[1]['b c']".to_string()),
                Some("$['it\\'s']".to_string()),
                Some("$['e\"q']".to_string()),
            ]
        );
    }

    #[test]
    fn split_feeding_matches_whole_feeding() {
        let text = br#"{"k\"ey": ["a,b", {"x": "]}"}], "n": -1.5e3}"#;
        let mut whole = JsonPath::default();
        whole.feed(text);
        for split in 0..text.len() {
            let mut json = JsonPath::default();
            json.feed(&text[..split]);
            json.feed(&text[split..]);
            assert_eq!(json.stack, whole.stack);
            assert_eq!(json.lex, whole.lex);
        }
        assert!(whole.at_top_level() && !whole.broken);
    }

    #[test]
    fn keys_holding_data_never_show() {
        let text = r#"{"users": {"ana@example.com": {"email": "V1"}, "4111111111111111": "V2"}}"#;
        let got = paths(text, &["V1", "V2"]);
        assert_eq!(
            got,
            [Some("$.users[*].email".into()), Some("$.users[*]".into())]
        );
        // A key a detector found data in: tainted from the finding on.
        let mut json = JsonPath::default();
        json.feed(br#"{"Anna Kowalski"#);
        json.taint_key();
        json.feed(br#"": "x"#);
        assert_eq!(json.here().as_deref(), Some("$[*]"));
        // A key spelled like a value found in the input, whichever comes
        // first in the chunk.
        let mut json = JsonPath::default();
        json.remember(b"Smithsonovic");
        json.feed(br#"{"smithsonovic ": {"email": "#);
        assert_eq!(json.here().as_deref(), Some("$[*].email"));
        json.feed(br#""x", "surname": "#);
        assert_eq!(json.here().as_deref(), Some("$[*].surname"));
        // A key holding a found name among other words.
        let mut json = JsonPath::default();
        json.remember(b"Anna Smithsonovic");
        json.feed(br#"{"Smithsonovic family": {"address": {"street": "#);
        assert_eq!(json.here().as_deref(), Some("$[*].address.street"));
        // Deep nesting gives a bounded path.
        let deep = "{\"k\": ".repeat(400);
        let mut json = JsonPath::default();
        json.feed(deep.as_bytes());
        assert!(json.here().unwrap().len() <= MAX_PATH + '…'.len_utf8());
    }

    #[test]
    fn text_that_is_not_json_breaks_it() {
        for text in [
            "[2024-03-15] INFO user=a@b.c",
            "{\"a\": 1]",
            "}",
            "{\"a\" 'b'}",
        ] {
            let mut json = JsonPath::default();
            json.feed(text.as_bytes());
            json.finish();
            assert!(json.broken, "{text}");
            assert_eq!(json.here(), None);
        }
        let mut open = JsonPath::default();
        open.feed(b"{\"a\": \"never closed");
        open.finish();
        assert!(open.broken);
    }
}
