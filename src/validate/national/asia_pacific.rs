//! Asia and the Pacific: Indian Aadhaar and PAN, Australian TFN.

use super::*;

/// Verhoeff multiplication table (dihedral group D5).
const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/// Verhoeff permutation table.
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff check over digit values, check digit last.
fn verhoeff_ok(d: &[u8]) -> bool {
    let c = d.iter().rev().enumerate().fold(0u8, |c, (i, &x)| {
        VERHOEFF_D[usize::from(c)][usize::from(VERHOEFF_P[i % 8][usize::from(x)])]
    });
    c == 0
}

/// Indian Aadhaar number: 12 digits (usually written 4-4-4), never starting
/// with 0 or 1, with a Verhoeff check digit.
pub fn in_aadhaar(value: &[u8]) -> bool {
    let Some(d) = digits::<12>(value) else {
        return false;
    };
    d[0] >= 2 && verhoeff_ok(&d)
}

/// Indian Permanent Account Number: `AAAAA9999A` where the 4th letter is the
/// holder type (ABCFGHLJPT). PAN has no public check digit; serial `0000` is
/// never issued.
pub fn in_pan(value: &[u8]) -> bool {
    let Some(c) = chars::<10>(value) else {
        return false;
    };
    all_upper(&c[..5])
        && b"ABCFGHLJPT".contains(&c[3])
        && all_digits(&c[5..9])
        && &c[5..9] != b"0000"
        && c[9].is_ascii_uppercase()
}

/// Australian Tax File Number: 9 digits, weights 1,4,3,7,5,8,6,9,10, weighted
/// sum divisible by 11. (Legacy 8-digit TFNs are not accepted: their weights
/// are not published by the ATO.)
pub fn au_tfn(value: &[u8]) -> bool {
    let Some(d) = digits::<9>(value) else {
        return false;
    };
    weighted(&d, &[1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 == 0
}
