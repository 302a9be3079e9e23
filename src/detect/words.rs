//! Context words found where words begin. Every context word counts only
//! as a whole word, so instead of walking every byte of a chunk through an
//! unanchored automaton of some two thousand spellings (a 12 MB DFA, a
//! quarter of a scan of documentation), word starts are found eight bytes
//! at a time, the one in nine whose first four bytes begin some word is
//! kept, and a compact trie is walked from it, anchored, up to the first
//! byte no word continues with.

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous;
use aho_corasick::{Anchored, MatchKind, PatternID};

use super::context::is_word_byte;

/// The context words' trie (ASCII case folded) and where a walk may start.
pub(super) struct Words {
    trie: contiguous::NFA,
    /// Bytes outside words that begin a word of the list (`>` of a
    /// quoted sign-off): a walk also starts at each of them.
    opens: Vec<u8>,
    /// Bit [`prefix_bit`] of each word's first four bytes (all of a
    /// shorter word), ASCII case folded: a word start where no word's
    /// prefix begins is not walked (nine in ten of them in prose).
    prefixes: Vec<u64>,
    /// Bit `n` is set when a word is `n` bytes long (bit 4: four or
    /// more); only bits 1 to 3 are looked at.
    short: u8,
}

impl Words {
    pub(super) fn new(words: &[String]) -> Words {
        let trie = contiguous::Builder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // Walked by hand from word starts, never searched.
            .prefilter(false)
            .build(words)
            .expect("context word automaton");
        let mut opens = Vec::new();
        let mut prefixes = vec![0u64; PREFIX_BITS / 64];
        let mut short = 0u8;
        for word in words.iter().map(String::as_bytes) {
            let Some(&first) = word.first() else {
                continue;
            };
            if !is_word_byte(first) && !opens.contains(&first) {
                opens.push(first);
            }
            let len = word.len().min(PREFIX);
            let bit = prefix_bit(head(&word[..len]), len);
            prefixes[bit / 64] |= 1 << (bit % 64);
            short |= 1 << len;
        }
        Words {
            trie,
            opens,
            prefixes,
            short,
        }
    }

    /// Calls `found(start, end, id)` for every occurrence of a word that
    /// starts a word of `hay` (or opens with a byte outside words), by
    /// start, then by end. Whether it also ends one is the caller's test.
    pub(super) fn each(&self, hay: &[u8], mut found: impl FnMut(usize, usize, u32)) {
        // Word starts 64 bytes at a time, as bit masks (see `masks`): a
        // byte loop mispredicts a branch at every word's end.
        let mut before_word = 0u64;
        for (n, block) in hay.chunks(64).enumerate() {
            let mut padded = [0u8; 64];
            padded[..block.len()].copy_from_slice(block);
            let (words, opens) = masks(&padded, &self.opens);
            // Padding is no start, even of a word opening with a zero.
            let real = u64::MAX >> (64 - block.len());
            let mut starts = ((words & !(words << 1 | before_word)) | opens) & real;
            before_word = words >> 63;
            while starts != 0 {
                let at = n * 64 + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                if self.may_start(&hay[at..]) {
                    self.walk(hay, at, &mut found);
                }
            }
        }
    }

    /// The words that occur at `start`, shortest first.
    fn walk(&self, hay: &[u8], start: usize, found: &mut impl FnMut(usize, usize, u32)) {
        let Ok(mut sid) = self.trie.start_state(Anchored::Yes) else {
            return;
        };
        for (at, &b) in hay.iter().enumerate().skip(start) {
            sid = self.trie.next_state(Anchored::Yes, sid, b);
            if !self.trie.is_special(sid) {
                continue;
            }
            if self.trie.is_dead(sid) {
                return;
            }
            if self.trie.is_match(sid) {
                let end = at + 1;
                for i in 0..self.trie.match_len(sid) {
                    let id: PatternID = self.trie.match_pattern(sid, i);
                    // A state's matches include the words that end it
                    // (`name` in `surname`'s state): only those that
                    // start here count.
                    if end - self.trie.pattern_len(id) == start {
                        found(start, end, id.as_u32());
                    }
                }
            }
        }
    }
}

/// Bit `i` of the first mask is set when byte `i` of `block` is a word
/// byte, of the second when it is one of `opens`: eight bytes at a time
/// in a `u64` (the crate has no `unsafe`, so no SIMD intrinsics).
fn masks(block: &[u8; 64], opens: &[u8]) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    const LOW: u64 = ONES * 0x7F;
    // Bit 7 of each byte set where an ASCII byte (`y`, high bits clear)
    // is `lo` or above: adding `0x80 - lo` carries into bit 7, and no
    // byte carries into the next.
    let at_least = |y: u64, lo: u8| y.wrapping_add(ONES * u64::from(0x80 - lo)) & HIGH;
    let in_range = |y: u64, lo: u8, end: u8| at_least(y, lo) & !at_least(y, end);
    // The bit 7s of the eight bytes, as eight bits (byte `i` to bit `i`).
    let gather = |m: u64| ((m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8;
    let (mut words, mut open) = (0u64, 0u64);
    for (i, eight) in block.chunks_exact(8).enumerate() {
        let x = u64::from_le_bytes(eight.try_into().expect("eight bytes"));
        let y = x & LOW;
        let letter = in_range(y | (ONES * 0x20), b'a', b'z' + 1);
        let digit = in_range(y, b'0', b'9' + 1);
        // Non-ASCII bytes belong to words: their own bit 7.
        words |= u64::from(gather(x & HIGH | letter | digit)) << (8 * i);
        for &b in opens {
            // Zero bytes of `x ^ b…` are the bytes equal to `b`.
            let t = x ^ (ONES * u64::from(b));
            let zero = !((t & LOW).wrapping_add(LOW) | t) & HIGH;
            open |= u64::from(gather(zero)) << (8 * i);
        }
    }
    (words, open)
}

/// Bytes of a word's start kept in [`Words::prefixes`].
const PREFIX: usize = 4;
/// Small enough to stay in the first-level cache beside the trie's root.
const PREFIX_BITS: usize = 1 << 17;

/// The first four bytes of `bytes` (zero past its end), ASCII case
/// folded, first byte highest.
fn head(bytes: &[u8]) -> u32 {
    let mut four = [0u8; PREFIX];
    let n = bytes.len().min(PREFIX);
    four[..n].copy_from_slice(&bytes[..n]);
    let x = u32::from_be_bytes(four);
    // Bit 7 of each byte that is `A`..=`Z` (as in `masks`), moved to bit
    // 5: the lower case of an ASCII capital is the capital plus 0x20.
    const ONES: u32 = 0x0101_0101;
    let y = x & (ONES * 0x7F);
    let at_least = |lo: u8| y.wrapping_add(ONES * u32::from(0x80 - lo)) & (ONES * 0x80);
    let capital = at_least(b'A') & !at_least(b'Z' + 1) & !x;
    x | capital >> 2
}

/// The bit of the first `len` bytes of a [`head`].
fn prefix_bit(head: u32, len: usize) -> usize {
    let kept = head & (u32::MAX << (8 * (PREFIX - len)));
    // Fibonacci hashing of the bytes and the length.
    let hash = (u64::from(kept) << 3 | len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (hash >> (64 - PREFIX_BITS.trailing_zeros())) as usize
}

impl Words {
    /// False when no word can begin `rest`: none has its first four
    /// bytes, or is a shorter word that begins it.
    fn may_start(&self, rest: &[u8]) -> bool {
        let head = head(rest);
        let set = |len: usize| {
            let bit = prefix_bit(head, len);
            self.prefixes[bit / 64] & (1 << (bit % 64)) != 0
        };
        set(PREFIX) || (1..PREFIX).any(|len| self.short & (1 << len) != 0 && set(len))
    }
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
        fn masks_agree_with_the_byte_tests(block in proptest::array::uniform32(0u8..), opens in proptest::collection::vec(0u8.., 0..3)) {
            let mut padded = [0u8; 64];
            padded[..32].copy_from_slice(&block);
            padded[32..].copy_from_slice(&block);
            let (words, open) = masks(&padded, &opens);
            for (i, &b) in padded.iter().enumerate() {
                proptest::prop_assert_eq!(words >> i & 1 == 1, is_word_byte(b));
                proptest::prop_assert_eq!(open >> i & 1 == 1, opens.contains(&b));
            }
        }

        #[test]
        fn heads_fold_ascii_capitals_only(bytes in proptest::collection::vec(0u8.., 0..6)) {
            let mut want = 0u32;
            for i in 0..PREFIX {
                want = want << 8 | u32::from(bytes.get(i).map_or(0, u8::to_ascii_lowercase));
            }
            proptest::prop_assert_eq!(head(&bytes), want);
        }

        #[test]
        fn agrees_on_any_text(hay in "[aEmnNs#_ \\-é]{0,200}") {
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
