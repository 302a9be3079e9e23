//! Inline suppressions: a `piiscan:allow` marker on a finding's line, or
//! on the line before, says the value there is accepted (a synthetic test
//! number, a documented example). It may name what it allows and why:
//!
//! ```text
//! card = "4111111111111111"  # piiscan:allow credit_card -- Visa's test number
//! // piiscan:allow email,phone -- support contacts, published
//! ```
//!
//! The word after the marker, if any, lists the kinds, rule ids or
//! categories it allows (a name that is none of these allows nothing: a
//! typo does not open the gate); without it the marker allows every
//! finding. The reason follows `--` and ends with the comment, the quoted
//! string or the cell it is in; a value written in it is masked as any
//! other. A marker covers its own line, and the next when it stands alone
//! on its line (a comment line): it travels with the code, and a new value
//! on another line is still found. Lines longer than 1 KiB (a minified
//! document, an extended `INSERT`: many records on one line) take no
//! marker.
//!
//! Markers are looked for in each chunk once (one substring search); the
//! lines around a finding are read only in a chunk that has one.

use std::ops::Range;

use memchr::memmem;

use crate::detect::Hit;
use crate::rules::Rule;

/// The marker.
pub const MARKER: &str = "piiscan:allow";

/// The longest reason kept: a justification, not a document.
const MAX_REASON: usize = 200;

/// How far around a finding the lines are read: a marker further away
/// than this on a very long line is not seen.
const MAX_LINE: usize = 4096;

/// The longest line markers apply to: a line of code, a CSV row, a log
/// line. A marker inside a minified document or an extended `INSERT` (one
/// line of many records) would otherwise accept every record on it.
const MAX_MARKED_LINE: usize = 1024;

/// What may stand before a marker on a line of its own: blanks and the
/// comment leaders of common languages.
const LEADERS: &[u8] = b" \t#/*<!-;%\"'";

/// Finds markers and tells which findings they allow.
pub struct Markers {
    finder: memmem::Finder<'static>,
}

impl Default for Markers {
    fn default() -> Self {
        Markers {
            finder: memmem::Finder::new(MARKER.as_bytes()),
        }
    }
}

impl Markers {
    /// The positions of every marker in `buf` that stands as a word
    /// (`notpiiscan:allow`, `piiscan:allowed` are not markers).
    pub fn find(&self, buf: &[u8]) -> Vec<usize> {
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        self.finder
            .find_iter(buf)
            .filter(|&m| {
                let before = m.checked_sub(1).map(|i| buf[i]);
                let after = buf.get(m + MARKER.len()).copied();
                let after_ok = match after {
                    None => true,
                    Some(b'-') => buf.get(m + MARKER.len() + 1) == Some(&b'-'),
                    Some(b) => !word(b) && b != b':',
                };
                !before.is_some_and(word) && after_ok
            })
            .collect()
    }

    /// The reason (a range of `buf`, maybe empty) of the marker that
    /// allows a finding of `rule` starting at `buf[at]`, if one does;
    /// `markers` are the sorted positions [`Markers::find`] gave.
    pub fn allowing(
        &self,
        buf: &[u8],
        markers: &[usize],
        at: usize,
        rule: &Rule,
    ) -> Option<Range<usize>> {
        let (line_start, line_end) = line_around(buf, at);
        if line_end - line_start > MAX_MARKED_LINE {
            return None;
        }
        let prev = line_start
            .checked_sub(1)
            .filter(|&nl| nl > at.saturating_sub(2 * MAX_LINE))
            .map(|nl| (line_around(buf, nl).0, nl));
        let on_line = |m: usize| (line_start..line_end).contains(&m);
        let alone_before = |m: usize| {
            prev.is_some_and(|(start, end)| {
                (start..end).contains(&m) && buf[start..m].iter().all(|b| LEADERS.contains(b))
            })
        };
        let from = prev.map_or(line_start, |(start, _)| start);
        let first = markers.partition_point(|&m| m < from);
        markers[first..]
            .iter()
            .take_while(|&&m| m < line_end)
            .filter(|&&m| on_line(m) || alone_before(m))
            .find_map(|&m| {
                let end = memchr::memchr(b'\n', &buf[m..line_end]).map_or(line_end, |p| m + p);
                let marker = parse(buf, m + MARKER.len(), end);
                marker.covers(rule).then_some(marker.reason)
            })
    }
}

/// What one marker says.
struct Marker<'a> {
    /// Rule ids, kinds or categories it allows; empty: every finding.
    names: Vec<&'a str>,
    /// Where its reason is, maybe empty.
    reason: Range<usize>,
}

impl Marker<'_> {
    fn covers(&self, rule: &Rule) -> bool {
        self.names.is_empty()
            || self
                .names
                .iter()
                .any(|&n| n == &*rule.id || n == &*rule.kind || n == rule.category.as_str())
    }
}

/// Reads `buf[from..end]`, what follows a marker on its line: names, then
/// `--` and the reason.
fn parse(buf: &[u8], from: usize, end: usize) -> Marker<'_> {
    let blank = |i: &mut usize| {
        while *i < end && matches!(buf[*i], b' ' | b'\t') {
            *i += 1;
        }
    };
    let mut i = from;
    blank(&mut i);
    let mut names = Vec::new();
    if !buf[i..end].starts_with(b"--") {
        let start = i;
        // A list of names: `email,phone` or `email, phone`.
        while i < end {
            match buf[i] {
                b if b.is_ascii_alphanumeric() || matches!(b, b'_' | b',' | b'-') => i += 1,
                b' ' if buf[start..i].ends_with(b",") => i += 1,
                _ => break,
            }
        }
        let list = std::str::from_utf8(&buf[start..i]).unwrap_or_default();
        names = list
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        blank(&mut i);
    }
    let reason = match buf[i..end].starts_with(b"--") {
        true => reason(buf, i + 2, end),
        false => i..i,
    };
    Marker { names, reason }
}

/// The reason that starts at `buf[from]`: up to the end of the comment,
/// quoted string or cell it is in, blanks trimmed.
fn reason(buf: &[u8], from: usize, end: usize) -> Range<usize> {
    let end = end.min(from + MAX_LINE);
    let text = &buf[from..end];
    let closers = [&b"*/"[..], b"-->", b"\"", b"\t", b"|", b"\r"];
    let closed = (closers.iter()).filter_map(|closer| memmem::find(text, closer));
    // A comma or semicolon ends a cell when no space follows it (`vip,x`),
    // and a quote its string when no letter does (`'ok'`, not `don't`):
    // followed by them, they are prose.
    let delimited = (0..text.len()).find(|&i| {
        let next = text.get(i + 1);
        match text[i] {
            b',' | b';' => next.is_none_or(|&b| b != b' '),
            b'\'' => next.is_none_or(|b| !b.is_ascii_alphabetic()),
            _ => false,
        }
    });
    let stop = closed.chain(delimited).min().unwrap_or(text.len());
    let text = &text[..stop];
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let len = text
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'#'))
        .map_or(0, |p| p + 1);
    from + start..from + len.max(start)
}

/// The text of a reason, each byte of a match in it (`hits`, of the same
/// buffer) masked, control characters dropped, at most [`MAX_REASON`]
/// characters.
pub fn reason_text(buf: &[u8], reason: Range<usize>, hits: &[Hit]) -> String {
    let mut bytes = buf[reason.clone()].to_vec();
    for hit in hits
        .iter()
        .filter(|h| h.start < reason.end && h.end > reason.start)
    {
        let from = hit.start.max(reason.start) - reason.start;
        let to = hit.end.min(reason.end) - reason.start;
        bytes[from..to].fill(b'*');
    }
    String::from_utf8_lossy(&bytes)
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_REASON)
        .collect()
}

/// The line holding `buf[at]`, as the start and end (its newline, or the
/// buffer's end) positions, each at most [`MAX_LINE`] away.
fn line_around(buf: &[u8], at: usize) -> (usize, usize) {
    let floor = at.saturating_sub(MAX_LINE);
    let start = memchr::memrchr(b'\n', &buf[floor..at]).map_or(floor, |p| floor + p + 1);
    let ceiling = buf.len().min(at + MAX_LINE);
    let end = memchr::memchr(b'\n', &buf[at..ceiling]).map_or(ceiling, |p| at + p);
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    /// The reason of the marker allowing a finding of `rule_id` at the
    /// word `VALUE` in `text`, if one does.
    fn allowed(text: &str, rule_id: &str) -> Option<String> {
        let rules = RuleSet::builtin().unwrap();
        let rule = rules.rules().iter().find(|r| &*r.id == rule_id).unwrap();
        let markers = Markers::default();
        let buf = text.as_bytes();
        let at = text.find("VALUE").unwrap();
        let found = markers.find(buf);
        let reason = markers.allowing(buf, &found, at, rule)?;
        Some(reason_text(buf, reason, &[]))
    }

    #[test]
    fn a_marker_on_the_line_or_alone_on_the_line_before_allows() {
        let same = "a\nx = VALUE # piiscan:allow -- test number\nb\n";
        assert_eq!(allowed(same, "email").as_deref(), Some("test number"));
        let before = "  // piiscan:allow\nx = VALUE\n";
        assert_eq!(allowed(before, "email").as_deref(), Some(""));
        let html = "<!-- piiscan:allow email -- published -->\n<td>VALUE</td>\n";
        assert_eq!(allowed(html, "email").as_deref(), Some("published"));
        // After a value, a marker covers its own line only.
        let trailing = "x = 1 # piiscan:allow\ny = VALUE\n";
        assert_eq!(allowed(trailing, "email"), None);
        let csv = "a,piiscan:allow,b\nc,VALUE\n";
        assert_eq!(allowed(csv, "email"), None);
        assert_eq!(allowed("x = VALUE\n// piiscan:allow\n", "email"), None);
        assert_eq!(allowed("// piiscan:allow\n\nx = VALUE\n", "email"), None);
        assert_eq!(allowed("x = VALUE\n", "email"), None);
    }

    #[test]
    fn a_long_line_of_records_takes_no_marker() {
        let records = "{\"e\":\"x@example.com\"},".repeat(60);
        let line = format!("[{{\"n\":\"piiscan:allow\"}},{records}{{\"e\":\"VALUE\"}}]");
        assert!(line.len() > MAX_MARKED_LINE);
        assert_eq!(allowed(&line, "email"), None);
        let short = "[{\"n\":\"piiscan:allow\"},{\"e\":\"VALUE\"}]";
        assert_eq!(allowed(short, "email").as_deref(), Some(""));
    }

    #[test]
    fn markers_are_whole_words() {
        for text in [
            "VALUE notpiiscan:allow",
            "VALUE piiscan:allowed",
            "VALUE piiscan:allow-email",
            "VALUE piiscan:allow:email",
        ] {
            assert_eq!(allowed(text, "email"), None, "{text}");
        }
        assert_eq!(allowed("VALUE piiscan:allow", "email").as_deref(), Some(""));
        assert_eq!(
            allowed("VALUE (piiscan:allow)", "email").as_deref(),
            Some("")
        );
        assert_eq!(
            allowed("VALUE piiscan:allow--why", "email").as_deref(),
            Some("why")
        );
    }

    #[test]
    fn names_are_kinds_rules_or_categories_and_a_typo_allows_nothing() {
        let spaced = "VALUE # piiscan:allow credit_card, email -- published";
        assert_eq!(allowed(spaced, "email").as_deref(), Some("published"));
        let kinds = "VALUE # piiscan:allow email,phone -- published contacts";
        assert_eq!(
            allowed(kinds, "email").as_deref(),
            Some("published contacts")
        );
        assert_eq!(allowed(kinds, "credit-card"), None);
        let category = "VALUE /* piiscan:allow financial */";
        assert_eq!(allowed(category, "credit-card").as_deref(), Some(""));
        assert_eq!(allowed(category, "email"), None);
        assert_eq!(
            allowed("VALUE # piiscan:allow credit-card", "credit-card").as_deref(),
            Some("")
        );
        assert_eq!(allowed("VALUE # piiscan:allow emial", "email"), None);
        // Words without `--` are names, not a reason.
        assert_eq!(
            allowed("VALUE # piiscan:allow synthetic data", "email"),
            None
        );
    }

    #[test]
    fn reasons_end_with_their_comment_string_or_cell() {
        let cases = [
            ("VALUE /* piiscan:allow -- test */ more", "test"),
            ("\"piiscan:allow -- vip\",VALUE,x", "vip"),
            ("piiscan:allow -- vip,VALUE,x", "vip"),
            ("VALUE # piiscan:allow -- a reason #", "a reason"),
            ("VALUE // piiscan:allow --   ", ""),
            ("{\"c\":\"piiscan:allow -- x\",\"e\":\"VALUE\"}", "x"),
            (
                "VALUE # piiscan:allow -- vendor test, see 12; ok",
                "vendor test, see 12; ok",
            ),
            (
                "<!-- piiscan:allow -- it's published, online --> VALUE",
                "it's published, online",
            ),
            ("f('piiscan:allow -- vip', 'VALUE')", "vip"),
        ];
        for (text, want) in cases {
            assert_eq!(allowed(text, "email").as_deref(), Some(want), "{text}");
        }
    }

    #[test]
    fn reasons_are_bounded_and_their_matches_masked() {
        let long = format!("VALUE # piiscan:allow -- {}\x1b[2J", "x".repeat(500));
        let kept = allowed(&long, "email").unwrap();
        assert_eq!(kept.chars().count(), MAX_REASON);
        assert!(!kept.contains('\x1b'));
        let text = b"piiscan:allow -- ask jane@example.com";
        let hit = Hit {
            rule: 0,
            start: 21,
            end: 37,
            confidence: crate::finding::Confidence::High,
            test_value: false,
        };
        let range = reason(text, 16, text.len());
        assert_eq!(reason_text(text, range, &[hit]), "ask ****************");
    }

    #[test]
    fn lines_stay_in_bounds() {
        assert_eq!(line_around(b"abc", 0), (0, 3));
        assert_eq!(line_around(b"a\nb\nc", 4), (4, 5));
        assert_eq!(line_around(b"\n\nc", 1), (1, 1));
    }
}
