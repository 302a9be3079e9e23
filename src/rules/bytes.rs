//! Byte sets: which bytes a rule's match may start with or hold, derived
//! from its pattern, for the prefilter.

use super::*;

/// A set of bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByteSet([u64; 4]);

impl ByteSet {
    /// Adds the bytes `lo..=hi`.
    pub fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.0[usize::from(b >> 6)] |= 1 << (b & 63);
        }
    }

    /// True if `b` is in the set.
    #[inline]
    pub fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    /// The bytes any match of `hir` can contain.
    pub(super) fn of(hir: &Hir) -> ByteSet {
        let mut set = ByteSet::default();
        set.add(hir);
        set
    }

    /// The bytes a match of `hir` can start with, and whether it can be
    /// empty (then what follows it can start the match too).
    pub(super) fn first_of(hir: &Hir) -> (ByteSet, bool) {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => (ByteSet::default(), true),
            HirKind::Literal(lit) => {
                let mut set = ByteSet::default();
                set.insert_range(lit.0[0], lit.0[0]);
                (set, false)
            }
            HirKind::Class(_) => (ByteSet::of(hir), false),
            HirKind::Repetition(rep) => {
                let (set, empty) = ByteSet::first_of(&rep.sub);
                (set, empty || rep.min == 0)
            }
            HirKind::Capture(cap) => ByteSet::first_of(&cap.sub),
            HirKind::Concat(subs) => {
                let mut set = ByteSet::default();
                for sub in subs {
                    let (first, empty) = ByteSet::first_of(sub);
                    set.union(&first);
                    if !empty {
                        return (set, false);
                    }
                }
                (set, true)
            }
            HirKind::Alternation(subs) => {
                let mut set = ByteSet::default();
                let mut any_empty = false;
                for sub in subs {
                    let (first, empty) = ByteSet::first_of(sub);
                    set.union(&first);
                    any_empty |= empty;
                }
                (set, any_empty)
            }
        }
    }

    fn union(&mut self, other: &ByteSet) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    fn add(&mut self, hir: &Hir) {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(lit) => lit.0.iter().for_each(|&b| self.insert_range(b, b)),
            HirKind::Class(Class::Bytes(class)) => {
                for r in class.ranges() {
                    self.insert_range(r.start(), r.end());
                }
            }
            HirKind::Class(Class::Unicode(class)) => {
                for r in class.ranges() {
                    let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                    if lo < 0x80 {
                        self.insert_range(lo as u8, hi.min(0x7F) as u8);
                    }
                    if hi >= 0x80 {
                        self.insert_range(0x80, 0xFF); // UTF-8 bytes of any non-ASCII
                    }
                }
            }
            HirKind::Repetition(rep) => self.add(&rep.sub),
            HirKind::Capture(cap) => self.add(&cap.sub),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                subs.iter().for_each(|h| self.add(h))
            }
        }
    }
}
