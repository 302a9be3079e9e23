//! Inline suppressions: a `piiscan:allow` marker on a finding's line, or
//! on the line before, says the value there is accepted (a synthetic test
//! number, a documented example). It may name what it allows and why:
//!
//! ```text
//! card = "4111111111111111"  # piiscan:allow credit_card -- Visa's test number
//! // piiscan:allow email,phone -- support contacts, published
//! ```
//!
//! The word after the marker is a list of kinds, rule ids or categories
//! when each of its items names one; otherwise it is the start of the
//! reason and the marker allows every finding. The marker travels with the
//! line, so it survives code moving around, and it covers only its own
//! line and the next: a new value on another line is still found.
//!
//! Markers are looked for in each chunk once (one substring search); the
//! lines around a finding are read only in a chunk that has one.

use std::collections::HashSet;
use std::sync::Arc;

use memchr::memmem;

use crate::rules::{Rule, RuleSet};

/// The marker.
pub const MARKER: &str = "piiscan:allow";

/// The longest reason kept: a justification, not a document.
const MAX_REASON: usize = 200;

/// How far around a finding the lines are read: a marker further away
/// than this on a very long line is not seen.
const MAX_LINE: usize = 4096;

/// Finds markers and tells which findings they allow.
pub struct Markers {
    finder: memmem::Finder<'static>,
    /// Every rule id, kind and category: what a marker's list may name.
    names: HashSet<Arc<str>>,
}

impl Markers {
    /// Markers for the names of `rules`.
    pub fn new(rules: &RuleSet) -> Markers {
        let names = rules
            .rules()
            .iter()
            .flat_map(|r| [r.id.clone(), r.kind.clone(), Arc::from(r.category.as_str())])
            .collect();
        Markers {
            finder: memmem::Finder::new(MARKER.as_bytes()),
            names,
        }
    }

    /// The positions of every marker in `buf`.
    pub fn find(&self, buf: &[u8]) -> Vec<usize> {
        self.finder.find_iter(buf).collect()
    }

    /// The reason of the marker (given by its position in `buf`, among
    /// `markers`, sorted) that allows a finding of `rule` starting at
    /// `buf[at]`, if one does. The reason may be empty.
    pub fn allowing(
        &self,
        buf: &[u8],
        markers: &[usize],
        at: usize,
        rule: &Rule,
    ) -> Option<Arc<str>> {
        let (from, to) = lines_around(buf, at);
        let first = markers.partition_point(|&m| m < from);
        markers[first..]
            .iter()
            .take_while(|&&m| m < to)
            .find_map(|&m| {
                let marker = self.parse(&buf[m + MARKER.len()..to]);
                marker.covers(rule).then(|| Arc::from(marker.reason))
            })
    }

    /// Reads what follows a marker, up to the end of its line.
    fn parse<'a>(&self, rest: &'a [u8]) -> Marker<'a> {
        let rest = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
        // The word right after the marker, if it is a list of names.
        let word_end = rest
            .iter()
            .skip(1)
            .position(u8::is_ascii_whitespace)
            .map_or(rest.len(), |p| p + 1);
        let word = std::str::from_utf8(&rest[..word_end]).unwrap_or("");
        let names: Vec<&str> = match word.strip_prefix([' ', '\t']) {
            Some(list) if !list.is_empty() && list.split(',').all(|n| self.names.contains(n)) => {
                list.split(',').collect()
            }
            _ => Vec::new(),
        };
        let reason_from = if names.is_empty() { 0 } else { word_end };
        Marker {
            names,
            reason: reason(&rest[reason_from..]),
        }
    }
}

/// What one marker says.
struct Marker<'a> {
    /// Rule ids, kinds or categories it allows; empty: every finding.
    names: Vec<&'a str>,
    /// Why, maybe empty.
    reason: String,
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

/// The reason after a marker's names: separators and comment closers
/// trimmed, control characters dropped, at most [`MAX_REASON`] characters.
fn reason(text: &[u8]) -> String {
    let text = String::from_utf8_lossy(&text[..text.len().min(MAX_LINE)]);
    let text = text.trim();
    let text = text
        .trim_start_matches(['-', ':', ' ', '\t'])
        .trim_end_matches(['*', '/', '>', '-', ' ', '\t', '\r', '#', '"', '\''])
        .trim();
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_REASON)
        .collect()
}

/// The bytes from the start of the line before the one holding `buf[at]`
/// to the end of that line, each bounded by [`MAX_LINE`].
fn lines_around(buf: &[u8], at: usize) -> (usize, usize) {
    let floor = at.saturating_sub(2 * MAX_LINE);
    let line_start = memchr::memrchr(b'\n', &buf[floor..at]).map_or(floor, |p| floor + p + 1);
    let prev_start = match line_start.checked_sub(1) {
        Some(nl) if nl >= floor => {
            memchr::memrchr(b'\n', &buf[floor..nl]).map_or(floor, |p| floor + p + 1)
        }
        _ => line_start,
    };
    let ceiling = buf.len().min(at + MAX_LINE);
    let line_end = memchr::memchr(b'\n', &buf[at..ceiling]).map_or(ceiling, |p| at + p);
    (prev_start.max(at.saturating_sub(2 * MAX_LINE)), line_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        RuleSet::builtin().unwrap()
    }

    fn allowed(text: &str, rule_id: &str) -> Option<String> {
        let rules = rules();
        let rule = rules.rules().iter().find(|r| &*r.id == rule_id).unwrap();
        let markers = Markers::new(&rules);
        let buf = text.as_bytes();
        let at = text.find("VALUE").unwrap();
        let found = markers.find(buf);
        markers
            .allowing(buf, &found, at, rule)
            .map(|r| r.to_string())
    }

    #[test]
    fn a_marker_on_the_line_or_the_line_before_allows() {
        let same = "a\nx = VALUE # piiscan:allow -- test number\nb\n";
        assert_eq!(allowed(same, "email").as_deref(), Some("test number"));
        let before = "// piiscan:allow\nx = VALUE\n";
        assert_eq!(allowed(before, "email").as_deref(), Some(""));
        let after = "x = VALUE\n// piiscan:allow\n";
        assert_eq!(allowed(after, "email"), None);
        let two_before = "// piiscan:allow\n\nx = VALUE\n";
        assert_eq!(allowed(two_before, "email"), None);
        assert_eq!(allowed("x = VALUE\n", "email"), None);
    }

    #[test]
    fn a_marker_may_name_kinds_rules_or_categories() {
        let kinds = "VALUE <!-- piiscan:allow email,phone -- published contacts -->";
        assert_eq!(
            allowed(kinds, "email").as_deref(),
            Some("published contacts")
        );
        assert_eq!(allowed(kinds, "credit-card"), None);
        let category = "VALUE /* piiscan:allow financial */";
        assert_eq!(allowed(category, "credit-card").as_deref(), Some(""));
        assert_eq!(allowed(category, "email"), None);
        // Not a list of names: the reason, and every finding is allowed.
        let prose = "VALUE # piiscan:allow synthetic fixture data";
        assert_eq!(
            allowed(prose, "credit-card").as_deref(),
            Some("synthetic fixture data")
        );
    }

    #[test]
    fn reasons_are_bounded_and_clean() {
        let long = format!("VALUE # piiscan:allow -- {}\x1b[2J", "x".repeat(500));
        let reason = allowed(&long, "email").unwrap();
        assert_eq!(reason.chars().count(), MAX_REASON);
        assert!(!reason.contains('\x1b'));
    }

    #[test]
    fn lines_around_stay_in_bounds() {
        assert_eq!(lines_around(b"abc", 0), (0, 3));
        assert_eq!(lines_around(b"a\nb\nc", 4), (2, 5));
        assert_eq!(lines_around(b"\n\nc", 2), (1, 3));
    }
}
