//! One document rewritten as its text streams past: each finding's span
//! (its value, or with `drop` or a bare JSON value the whole field) held
//! back while it is read, then written as its strategy's replacement;
//! every other byte written as it is. UTF-16 text is decoded for the
//! strategies and encoded again, so offsets stay the document's own.

use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

use super::strategy::{self, Strategy};
use super::tree::Copy;
use crate::finding::{FieldKind, Finding, Fingerprint};
use crate::input::open::Encoding;
use crate::sink::Content;

/// What the masker replaces for one finding: its value, or the whole
/// field holding it (`drop`, a bare JSON value).
pub(super) struct Span {
    pub(super) path: Arc<str>,
    kind: Arc<str>,
    strategy: Strategy,
    pub(super) start: u64,
    end: u64,
    /// What the span reads emptied, when it is the value's field.
    emptied: Option<&'static str>,
    /// What the field holding the value may hold, when known.
    field: Option<FieldKind>,
    /// The value's own span, when `start..end` is its field.
    value: (u64, u64),
    masked: String,
    fingerprint: Fingerprint,
}

impl Span {
    pub(super) fn of(finding: &Finding, strategy: Strategy) -> Span {
        let drop = strategy == Strategy::Drop;
        let value = (finding.start, finding.end);
        let (span, emptied) = match finding.field {
            Some(f) if f.kind == FieldKind::Text && drop => ((f.start, f.end), Some("")),
            Some(f) if f.kind == FieldKind::LoneCell && drop => ((f.start, f.end), Some("\"\"")),
            // A bare JSON value is masked whole: a masked form goes in as
            // a string, which a part of a number cannot.
            Some(f) if f.kind == FieldKind::JsonValue => {
                let whole = (f.start, f.end) == value;
                ((f.start, f.end), (drop || !whole).then_some("null"))
            }
            // A key keeps its place whatever the strategy: only the value.
            _ => (value, None),
        };
        Span {
            path: finding.path.clone(),
            kind: finding.kind.clone(),
            strategy,
            start: span.0,
            end: span.1,
            emptied,
            field: finding.field.map(|f| f.kind),
            value,
            // Only `partial` writes the finding's masked form.
            masked: match strategy {
                Strategy::Partial => finding.masked.clone(),
                _ => String::new(),
            },
            fingerprint: finding.fingerprint,
        }
    }

    /// The value alone: its field started in text already written.
    fn value_only(&mut self) {
        (self.start, self.end) = self.value;
        self.emptied = None;
        if self.field == Some(FieldKind::JsonValue) {
            // Only a digit fits in what is left of the number.
            self.field = Some(FieldKind::SqlValue);
        }
    }

    /// The text that replaces `value`, the span's original text.
    fn replacement(self, value: &str, escaped: bool) -> String {
        if let Some(empty) = self.emptied {
            return empty.to_string();
        }
        // The common case, a partial mask of a value in plain text, takes
        // the finding's masked form as it is: no copy per value.
        let plain = matches!(
            self.field,
            None | Some(FieldKind::Text | FieldKind::LoneCell)
        );
        if self.strategy == Strategy::Partial
            && plain
            && !escaped
            && !value.contains('\\')
            && self.masked.len() == value.len()
            && self.masked.chars().count() == value.chars().count()
        {
            return self.masked;
        }
        let strategy = match self.strategy {
            Strategy::Drop => Strategy::Redact { token: false },
            other => other,
        };
        let text = strategy::replacement(
            strategy,
            strategy::Original {
                kind: &self.kind,
                text: value,
                masked: &self.masked,
                fingerprint: self.fingerprint.as_str(),
                escaped,
            },
        );
        match self.field {
            Some(FieldKind::JsonValue) => format!("\"{text}\""),
            Some(FieldKind::SqlValue) => strategy::digits(value, &text),
            _ => text,
        }
    }
}

/// Most masked key values numbered apart in one document: past it, a new
/// value takes the next number each time it recurs (keys stay distinct).
const MOST_KEYS: usize = 1 << 16;

/// A document being rewritten.
pub(super) struct Doc {
    pub(super) path: Arc<str>,
    pub(super) copy: Copy,
    pub(super) encoding: Encoding,
    /// The span being read.
    pub(super) span: Option<Span>,
    /// Its bytes so far (kept between spans, so a span costs no buffer).
    held: Vec<u8>,
    /// The masked JSON keys' values so far, each with its number.
    keys: std::collections::HashMap<String, usize>,
    /// The last field emptied: findings inside it went with it.
    pub(super) emptied: (u64, u64),
    pub(super) masked: BTreeMap<Arc<str>, u64>,
    /// Bytes of the document written so far.
    pub(super) written: u64,
    /// Backslashes at the end of what is written (UTF-8 text): an odd
    /// count means an escape sequence is open.
    pub(super) backslashes: usize,
    /// Where pseudonyms were written (see [`super::Masked::pseudonyms`]).
    pub(super) pseudonyms: Vec<(u64, u64)>,
    /// An archive member's masked copy, until the archive is rebuilt.
    pub(super) scratch: Option<std::fs::File>,
}

impl Doc {
    pub(super) fn empty(path: Arc<str>, copy: Copy) -> Doc {
        Doc {
            path,
            copy,
            encoding: Encoding::Utf8,
            span: None,
            held: Vec::new(),
            keys: Default::default(),
            emptied: (0, 0),
            masked: BTreeMap::new(),
            written: 0,
            backslashes: 0,
            pseudonyms: Vec::new(),
            scratch: None,
        }
    }

    /// Writes bytes of the copy.
    pub(super) fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.copy.write_all(bytes)?;
        self.written += bytes.len() as u64;
        if self.encoding == Encoding::Utf8 {
            let trailing = bytes.iter().rev().take_while(|&&b| b == b'\\').count();
            self.backslashes = if trailing == bytes.len() {
                self.backslashes + trailing
            } else {
                trailing
            };
        }
        Ok(())
    }

    /// Writes one piece of text, each finding's span replaced. A span may
    /// run on into the next piece: its bytes wait in `span`.
    pub(super) fn rewrite(
        &mut self,
        content: &Content<'_>,
        queue: &mut VecDeque<Span>,
    ) -> io::Result<()> {
        let owned;
        let bytes: &[u8] = match content.encoding {
            Encoding::Utf8 => content.bytes,
            Encoding::Utf16 { .. } => {
                owned =
                    encode(content.encoding, &String::from_utf8_lossy(content.bytes)).into_owned();
                &owned
            }
        };
        let end = content.offset + bytes.len() as u64;
        let mut at = content.offset;
        while at < end {
            let i = (at - content.offset) as usize;
            if let Some(span) = &self.span {
                let take = (span.end.min(end) - at) as usize;
                self.held.extend_from_slice(&bytes[i..i + take]);
                at += take as u64;
                if at >= span.end {
                    self.end_span()?;
                }
                continue;
            }
            match queue.front() {
                Some(f) if f.path == *content.path && f.start < end => {
                    let mut f = queue.pop_front().expect("front");
                    if f.emptied.is_some() && f.start < at {
                        f.value_only();
                    }
                    if f.end <= at {
                        // Inside a span already masked; counted when it
                        // went with its emptied field.
                        if f.start >= self.emptied.0 && f.end <= self.emptied.1 {
                            *self.masked.entry(f.kind.clone()).or_default() += 1;
                        }
                        continue;
                    }
                    let start = f.start.max(at);
                    self.put(&bytes[i..(start - content.offset) as usize])?;
                    at = start;
                    f.start = start; // an overlap: the rest of it only
                    self.span = Some(f);
                }
                _ => {
                    self.put(&bytes[i..])?;
                    at = end;
                }
            }
        }
        Ok(())
    }

    /// Writes the replacement of the span just read.
    fn end_span(&mut self) -> io::Result<()> {
        let Some(span) = self.span.take() else {
            return Ok(());
        };
        let (kind, keyed) = (span.kind.clone(), span.strategy.keyed());
        // A `[KIND]` token under a name column reads as a name again: like
        // a pseudonym, it is the masker's own text, not left over.
        let own = keyed || span.strategy == Strategy::Redact { token: true };
        if span.emptied.is_some() {
            self.emptied = (span.start, span.end);
        }
        let mut original = std::mem::take(&mut self.held);
        let in_key = span.field == Some(FieldKind::JsonKey) && !keyed;
        let value = decode(self.encoding, &original);
        let mut text = span.replacement(&value, self.backslashes % 2 == 1);
        if in_key {
            // Masks of one shape would make two keys one, and a JSON reader
            // keeps one of them: each value its own number in the document
            // (pseudonyms and tokens differ already).
            let next = self.keys.len() + 1;
            let n = match self.keys.len() < MOST_KEYS {
                true => *self.keys.entry(value.into_owned()).or_insert(next),
                false => self.keys.get(&*value).copied().unwrap_or(next),
            };
            text = format!("{text}~{n}");
        }
        original.clear();
        self.held = original;
        let from = self.written;
        self.put(&encode(self.encoding, &text))?;
        if own {
            self.pseudonyms.push((from, self.written));
        }
        *self.masked.entry(kind).or_default() += 1;
        Ok(())
    }

    /// Finishes the copy (a span cut short by the end is redacted as far
    /// as it went); moves it into place if `keep`.
    pub(super) fn finish(mut self, keep: bool) -> io::Result<Option<PathBuf>> {
        if let Some(span) = &mut self.span {
            span.strategy = Strategy::Redact { token: false };
            span.emptied = None;
        }
        self.end_span()?;
        self.copy.finish(keep)
    }
}

/// Text in a document's own encoding.
pub(super) fn encode(encoding: Encoding, text: &str) -> Cow<'_, [u8]> {
    match encoding {
        Encoding::Utf8 => Cow::Borrowed(text.as_bytes()),
        Encoding::Utf16 { big_endian, .. } => Cow::Owned(
            text.encode_utf16()
                .flat_map(|u| {
                    if big_endian {
                        u.to_be_bytes()
                    } else {
                        u.to_le_bytes()
                    }
                })
                .collect(),
        ),
    }
}

/// A document's bytes as text.
fn decode(encoding: Encoding, bytes: &[u8]) -> Cow<'_, str> {
    match encoding {
        Encoding::Utf8 => String::from_utf8_lossy(bytes),
        Encoding::Utf16 { big_endian, .. } => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|b| {
                    if big_endian {
                        u16::from_be_bytes([b[0], b[1]])
                    } else {
                        u16::from_le_bytes([b[0], b[1]])
                    }
                })
                .collect();
            Cow::Owned(String::from_utf16_lossy(&units))
        }
    }
}
