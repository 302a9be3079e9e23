//! A name found once is found again. Within a chunk (a message, a ticket,
//! a small file), each other occurrence of a full name already found —
//! two words or more, at medium confidence or better — is that person's
//! name too, though no label repeats it: `Patricia Caldwell` in a reply's
//! attribution after her `From:` header, a customer named in a ticket's
//! body after its `Requester:` line.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::context::whole_word;
use super::{Detector, Hit, Scratch};
use crate::finding::Confidence;

/// Most distinct names looked for again in one chunk.
const MOST_NAMES: usize = 256;

impl Detector {
    /// Adds a hit at each whole-word recurrence, in `search.start..owned_end`,
    /// of a full name among `scratch.hits` (sorted, without overlaps), where
    /// no hit is yet. True if any was added.
    pub(super) fn recur_names(
        &self,
        hay: &[u8],
        search: &Range<usize>,
        owned_end: usize,
        scratch: &mut Scratch,
    ) -> bool {
        let hits = &mut scratch.hits;
        let mut names: Vec<(&[u8], usize, Confidence)> = (hits.iter())
            .filter(|h| {
                let text = &hay[h.start..h.end];
                &*self.rules[h.rule].kind == "person_name"
                    && h.confidence >= Confidence::Medium
                    && !h.test_value
                    && text.len() >= 5
                    && text.contains(&b' ')
                    && !text.contains(&b'\n')
            })
            .map(|h| (&hay[h.start..h.end], h.rule, h.confidence))
            .collect();
        if names.is_empty() {
            return false;
        }
        names.sort_unstable_by(|a, b| a.0.cmp(b.0));
        names.dedup_by(|a, b| a.0 == b.0);
        names.truncate(MOST_NAMES);
        // Built for each chunk that has names: an NFA builds in a fraction
        // of a DFA's time, and searches a few names as fast.
        let Ok(ac) = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(names.iter().map(|n| n.0))
        else {
            return false;
        };
        let found = hits.len();
        for m in ac.find_iter(&hay[search.clone()]) {
            let (start, end) = (search.start + m.start(), search.start + m.end());
            if start >= owned_end {
                break;
            }
            let whole = whole_word(hay, start, end);
            let i = hits[..found].partition_point(|h| h.start < end);
            let taken = i > 0 && hits[i - 1].end > start;
            if whole && !taken {
                let (_, rule, confidence) = names[m.pattern().as_usize()];
                hits.push(Hit {
                    rule,
                    start,
                    end,
                    confidence,
                    test_value: false,
                });
            }
        }
        hits.len() > found
    }
}
