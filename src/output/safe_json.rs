//! JSON written through serde with the characters a terminal would act on
//! (C0 and C1 controls, bidirectional marks such as U+202E) escaped as
//! `\uXXXX`: the same strings to a JSON reader, and `cat coverage.json`
//! shows a hostile file name instead of running it. serde_json escapes C0
//! controls only.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

/// Writes `value` as JSON, indented when `pretty`.
pub fn write<W: Write, T: Serialize + ?Sized>(out: W, value: &T, pretty: bool) -> io::Result<()> {
    let result = if pretty {
        value.serialize(&mut serde_json::Serializer::with_formatter(
            out,
            Safe(PrettyFormatter::new()),
        ))
    } else {
        value.serialize(&mut serde_json::Serializer::with_formatter(
            out,
            Safe(CompactFormatter),
        ))
    };
    result.map_err(io::Error::other)
}

/// `value` as one line of JSON.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> io::Result<String> {
    let mut out = Vec::new();
    write(&mut out, value, false)?;
    String::from_utf8(out).map_err(io::Error::other)
}

/// A formatter that escapes what [`crate::sanitize::is_unsafe`] names and
/// leaves the rest to `F`.
struct Safe<F>(F);

impl<F: Formatter> Formatter for Safe<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest
            .char_indices()
            .find(|&(_, c)| crate::sanitize::is_unsafe(c))
        {
            w.write_all(&rest.as_bytes()[..at])?;
            write!(w, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        w.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_are_escaped_and_read_back_the_same() {
        let names = vec![
            "a\u{1b}]0;t\u{7}b",
            "x\u{9b}2J",
            "r\u{202e}gpj.exe",
            "Straße",
        ];
        let mut out = Vec::new();
        write(&mut out, &names, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!text.contains(raw), "{text:?}");
        }
        assert!(text.contains("\\u009b") && text.contains("\\u202e") && text.contains("Straße"));
        assert!(text.starts_with("[\n  \""), "pretty: {text}");
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, names);
        assert_eq!(to_string(&names[3]).unwrap(), "\"Straße\"");
    }
}
