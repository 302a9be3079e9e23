//! The Americas: US ITIN and NPI, Canadian SIN, Brazilian CPF.

use super::*;

/// US Individual Taxpayer Identification Number: `9XX-GG-XXXX` with the
/// group `GG` in the ranges the IRS assigns (50–65, 70–88, 90–92, 94–99).
/// The ITIN has no check digit, so structure is all that can be verified.
pub fn us_itin(value: &[u8]) -> bool {
    let Some(d) = digits::<9>(value) else {
        return false;
    };
    let group = two(&d, 3);
    d[0] == 9 && matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

/// Canadian Social Insurance Number: 9 digits, Luhn check; a leading 0 is
/// never issued and 8 is reserved (business numbers), so both are rejected.
pub fn ca_sin(value: &[u8]) -> bool {
    let Some(d) = digits::<9>(value) else {
        return false;
    };
    d[0] != 0 && d[0] != 8 && luhn_ok(&d)
}

/// Brazilian individual taxpayer number (CPF): 11 digits (`000.000.000-00`)
/// with two mod-11 check digits; repeated-digit values pass the arithmetic
/// but are invalid by rule.
pub fn br_cpf(value: &[u8]) -> bool {
    let Some(d) = digits::<11>(value) else {
        return false;
    };
    if d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let check = |len: usize| {
        let s: u32 = d[..len]
            .iter()
            .enumerate()
            .map(|(i, &x)| u32::from(x) * (len as u32 + 1 - i as u32))
            .sum();
        (s * 10 % 11 % 10) as u8
    };
    check(9) == d[9] && check(10) == d[10]
}

/// US National Provider Identifier: 10 digits starting with 1 or 2, Luhn
/// check computed with the ISO card-issuer prefix 80840 prepended. A body of
/// nine identical digits (e.g. `1111111112`) is a placeholder, not an NPI.
pub fn us_npi(value: &[u8]) -> bool {
    let Some(d) = digits::<10>(value) else {
        return false;
    };
    let mut full = [8, 0, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    full[5..].copy_from_slice(&d);
    let degenerate = d[1..9].iter().all(|&x| x == d[0]);
    matches!(d[0], 1 | 2) && !degenerate && luhn_ok(&full)
}
