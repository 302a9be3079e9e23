//! US Social Security numbers.

use super::*;

/// A US Social Security Number: area not 000, 666 or 900–999, group not 00,
/// serial not 0000, one separator style, and not a famous never-valid value
/// (078-05-1120 from a wallet insert, 219-09-9999 from an advertisement).
pub fn us_ssn(value: &[u8]) -> bool {
    let mut d = [0u8; 9];
    if digits_of(value, &mut d) != Some(9) || !consistent_separators(value) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| d[r].iter().fold(0u32, |a, &x| a * 10 + u32::from(x));
    let (area, group, serial) = (num(0..3), num(3..5), num(5..9));
    let famous = matches!((area, group, serial), (78, 5, 1120) | (219, 9, 9999));
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0 && !famous
}

/// All non-digit bytes of `value` are the same character.
fn consistent_separators(value: &[u8]) -> bool {
    let mut seps = value.iter().filter(|b| !b.is_ascii_digit());
    match seps.next() {
        None => true,
        Some(first) => seps.all(|b| b == first),
    }
}
