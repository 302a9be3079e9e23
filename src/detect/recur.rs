//! A value found once is found again. Within a chunk (a message, a ticket,
//! a small file), each other occurrence of a full name already found —
//! two words or more, at medium confidence or better — is that person's
//! name too, though no label repeats it: `Patricia Caldwell` in a reply's
//! attribution after her `From:` header, a customer named in a ticket's
//! body after its `Requester:` line.
//!
//! A value found only through its surroundings (a column, a label) that
//! recurs as a JSON key — `{"Smithsonovic": {"surname": "Smithsonovic"}}` —
//! is found there too, in any case: nothing around a key names its kind,
//! and a masked copy must not keep it.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::context::whole_word;
use super::{Detector, Hit, Scratch};
use crate::finding::Confidence;

/// Most distinct values looked for again in one chunk.
const MOST_VALUES: usize = 256;

impl Detector {
    /// Adds a hit at each whole-word recurrence, in `search.start..owned_end`,
    /// of a full name among `scratch.hits` (sorted, without overlaps), and
    /// at each recurrence inside a JSON key of a value its surroundings
    /// found, where no hit is yet. True if any was added.
    pub(super) fn recur_names(
        &self,
        hay: &[u8],
        search: &Range<usize>,
        owned_end: usize,
        scratch: &mut Scratch,
    ) -> bool {
        let hits = &mut scratch.hits;
        if hits.is_empty() {
            return false;
        }
        let keys = memchr::memmem::find(&hay[search.clone()], b"\":").is_some();
        let mut found: Vec<Again> = (hits.iter())
            .filter_map(|h| self.again(hay, h, keys))
            .collect();
        if found.is_empty() {
            return false;
        }
        // Names found anywhere first: the bound never drops one for a key.
        found.sort_unstable_by(|a, b| (!a.anywhere, a.text).cmp(&(!b.anywhere, b.text)));
        found.dedup_by(|a, b| a.text == b.text);
        found.truncate(MOST_VALUES);
        // Built for each chunk that has names: an NFA builds in a fraction
        // of a DFA's time, and searches a few names as fast.
        // Keys are found in any case (`smithsonovic` for `Smithsonovic`),
        // names in their own: a chunk with no value to find in keys keeps
        // the faster case-sensitive automaton.
        let keyed = found.iter().any(|a| !a.anywhere);
        let Ok(ac) = AhoCorasick::builder()
            .ascii_case_insensitive(keyed)
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(found.iter().map(|n| n.text))
        else {
            return false;
        };
        let before = hits.len();
        for m in ac.find_iter(&hay[search.clone()]) {
            let (start, end) = (search.start + m.start(), search.start + m.end());
            if start >= owned_end {
                break;
            }
            let again = &found[m.pattern().as_usize()];
            let i = hits[..before].partition_point(|h| h.start < end);
            let taken = i > 0 && hits[i - 1].end > start;
            let placed = if again.anywhere {
                whole_word(hay, start, end) && &hay[start..end] == again.text
            } else {
                whole_word(hay, start, end) && in_key(hay, start, end)
            };
            if placed && !taken {
                hits.push(Hit {
                    rule: again.rule,
                    start,
                    end,
                    confidence: again.confidence,
                    test_value: false,
                });
            }
        }
        hits.len() > before
    }

    /// What `hit` is looked for again as: a full name anywhere, a value
    /// its surroundings found inside a key (when the chunk has `keys`).
    fn again<'h>(&self, hay: &'h [u8], hit: &Hit, keys: bool) -> Option<Again<'h>> {
        let text = &hay[hit.start..hit.end];
        let rule = &self.rules[hit.rule];
        if hit.test_value || text.contains(&b'\n') || text.contains(&b'"') {
            return None;
        }
        let anywhere = &*rule.kind == "person_name"
            && hit.confidence >= Confidence::Medium
            && text.len() >= 5
            && text.contains(&b' ');
        // Column and label rules all require context.
        (anywhere || (keys && rule.context_required && text.len() >= 3)).then_some(Again {
            text,
            rule: hit.rule,
            confidence: hit.confidence,
            anywhere,
        })
    }
}

/// A value to find again.
struct Again<'h> {
    text: &'h [u8],
    rule: usize,
    confidence: Confidence,
    /// Found anywhere as a whole word, else only inside a JSON key.
    anywhere: bool,
}

/// Longest key looked through for a value.
const LONGEST_KEY: usize = 256;

/// True when `start..end` lies inside a quoted JSON key: a quote before it
/// on its line, one after it, then a colon.
fn in_key(hay: &[u8], start: usize, end: usize) -> bool {
    let stop = |b: &u8| matches!(b, b'"' | b'\n' | b'\\');
    let back = &hay[start.saturating_sub(LONGEST_KEY)..start];
    let opened = back.iter().rposition(stop).is_some_and(|i| back[i] == b'"');
    let ahead = &hay[end..hay.len().min(end + LONGEST_KEY)];
    let closed = ahead.iter().position(stop).filter(|&i| ahead[i] == b'"');
    opened
        && closed.is_some_and(|i| {
            let rest = &ahead[i + 1..];
            rest.iter().find(|b| !matches!(b, b' ' | b'\t')) == Some(&b':')
        })
}

#[cfg(test)]
mod tests {
    use super::in_key;

    #[test]
    fn keys_are_quoted_and_end_in_a_colon() {
        let hay = br#"{"Smith": 1, "a": "Smith", "x Smith y" : 2, "b": "Smith": }"#;
        let at = |n: usize| {
            let mut from = 0;
            for _ in 0..n {
                from += 1 + hay[from..].windows(5).position(|w| w == b"Smith").unwrap();
            }
            let start = from - 1;
            in_key(hay, start, start + 5)
        };
        assert!(at(1));
        assert!(!at(2));
        assert!(at(3));
        // A value followed by a key's colon only in broken JSON: the opening
        // quote is the value's, so it reads as a key, which is harmless.
        assert!(at(4));
        assert!(!in_key(b"Smith\": 1", 0, 5));
        assert!(!in_key(b"\"Smith\n\": 1", 1, 6));
    }
}
