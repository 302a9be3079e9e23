//! Context words found where words begin. Every context word counts only
//! as a whole word, so instead of walking every byte of a chunk through an
//! unanchored automaton of some two thousand spellings (a DFA too large to
//! stay in cache), the trie is walked from each word start, anchored, and
//! gives up at the first byte no word continues with: one to three steps
//! for most words of prose or code, through states that stay in cache.

use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, Anchored, MatchKind, PatternID, StartKind};

use super::context::is_word_byte;

const OUTSIDE: u8 = 0;
const WORD: u8 = 1;
const OPENS: u8 = 2;

/// The context words' trie (ASCII case folded) and where a walk may start.
pub(super) struct Words {
    dfa: dfa::DFA,
    /// Each byte's class: in a word, outside, or outside but opening a
    /// word of the list (`#` of `#ssn`), where a walk also starts.
    class: [u8; 256],
    /// Bit `a << 8 | b` is set when a word begins with the bytes `a b`
    /// (ASCII case folded), or is the one byte `a`: a word start whose
    /// two bytes no word begins with is not walked (most of them).
    pairs: Vec<u64>,
}

impl Words {
    pub(super) fn new(words: &[String]) -> Words {
        let dfa = dfa::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .start_kind(StartKind::Anchored)
            .build(words)
            .expect("context word automaton");
        let mut class = [OUTSIDE; 256];
        for (b, c) in class.iter_mut().enumerate() {
            if is_word_byte(b as u8) {
                *c = WORD;
            }
        }
        let mut pairs = vec![0u64; (1 << 16) / 64];
        for word in words.iter().map(String::as_bytes) {
            let Some(&first) = word.first() else {
                continue;
            };
            if !is_word_byte(first) {
                class[usize::from(first)] = OPENS;
            }
            let seconds = match word.get(1) {
                Some(&second) => second..=second,
                None => 0..=255,
            };
            for second in seconds {
                let pair = pair(first, second);
                pairs[pair / 64] |= 1 << (pair % 64);
            }
        }
        Words { dfa, class, pairs }
    }

    /// Calls `found(start, end, id)` for every occurrence of a word that
    /// starts a word of `hay` (or opens with a byte outside words), by
    /// start, then by end. Whether it also ends one is the caller's test.
    pub(super) fn each(&self, hay: &[u8], mut found: impl FnMut(usize, usize, u32)) {
        let mut at = 0;
        loop {
            // To the next word start or opening byte, then past the rest
            // of the word: one table look-up a byte.
            while at < hay.len() && self.class[usize::from(hay[at])] == OUTSIDE {
                at += 1;
            }
            let Some(&b) = hay.get(at) else {
                return;
            };
            let pair = pair(b, hay.get(at + 1).copied().unwrap_or(0));
            if self.pairs[pair / 64] & (1 << (pair % 64)) != 0 {
                self.walk(hay, at, &mut found);
            }
            at += 1;
            if self.class[usize::from(b)] == WORD {
                while at < hay.len() && self.class[usize::from(hay[at])] == WORD {
                    at += 1;
                }
            }
        }
    }

    /// The words that occur at `start`, shortest first.
    fn walk(&self, hay: &[u8], start: usize, found: &mut impl FnMut(usize, usize, u32)) {
        let Ok(mut sid) = self.dfa.start_state(Anchored::Yes) else {
            return;
        };
        for (at, &b) in hay.iter().enumerate().skip(start) {
            sid = self.dfa.next_state(Anchored::Yes, sid, b);
            if !self.dfa.is_special(sid) {
                continue;
            }
            if self.dfa.is_dead(sid) {
                return;
            }
            if self.dfa.is_match(sid) {
                let end = at + 1;
                for i in 0..self.dfa.match_len(sid) {
                    let id: PatternID = self.dfa.match_pattern(sid, i);
                    // A state's matches include the words that end it
                    // (`name` in `surname`'s state): only those that
                    // start here count.
                    if end - self.dfa.pattern_len(id) == start {
                        found(start, end, id.as_u32());
                    }
                }
            }
        }
    }
}

/// The index of two bytes in [`Words::pairs`], ASCII case folded.
fn pair(a: u8, b: u8) -> usize {
    usize::from(a.to_ascii_lowercase()) << 8 | usize::from(b.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    /// The walk finds what an overlapping search over every byte finds,
    /// among the occurrences that start a word.
    fn agrees(words: &[&str], hay: &str) {
        let list: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let hay = hay.as_bytes();
        let mut walked = Vec::new();
        Words::new(&list).each(hay, |s, e, id| walked.push((s, e, id)));
        walked.sort_unstable();
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&list)
            .unwrap();
        let mut every: Vec<_> = ac
            .find_overlapping_iter(hay)
            .map(|m| (m.start(), m.end(), m.pattern().as_u32()))
            .filter(|&(s, _, _)| {
                let open = !is_word_byte(hay[s]);
                open || s == 0 || !is_word_byte(hay[s - 1])
            })
            .collect();
        every.sort_unstable();
        assert_eq!(walked, every);
    }

    #[test]
    fn finds_what_an_overlapping_search_finds_at_word_starts() {
        let words = [
            "name",
            "surname",
            "date",
            "date of birth",
            "ss#",
            "#ssn",
            "ssn",
            "e-mail",
        ];
        agrees(
            &words,
            "Surname: X, date of birth 1, DATE, ss# 1 #ssn x_name",
        );
        agrees(&words, "nameless renamed e-mail_e-mail surnamename");
        agrees(&words, "");
        agrees(&words, "#");
        agrees(&["é", "übername"], "Übername über ÜBERNAME é");
    }

    proptest::proptest! {
        #[test]
        fn agrees_on_any_text(hay in "[aEmnNs#_ \\-é]{0,40}") {
            agrees(&["name", "a", "ss#", "#ssn", "ssn", "e-mail", "émé", "-"], &hay);
        }
    }

    #[test]
    fn a_word_inside_another_is_not_walked_to() {
        let list = vec!["name".to_string()];
        let mut found = Vec::new();
        Words::new(&list).each(b"rename name", |s, e, _| found.push((s, e)));
        assert_eq!(found, vec![(7, 11)]);
    }
}
