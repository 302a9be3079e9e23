//! Travel documents: the machine-readable zone of passports.

use super::*;

/// ICAO 9303 character value: digits as is, `A`–`Z` as 10–35, `<` as 0.
fn mrz_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        b'<' => Some(0),
        _ => None,
    }
}

/// True if a 6-character MRZ date is `YYMMDD` with a plausible month/day, or
/// uses `<` fillers for unknown parts.
fn mrz_date(s: &[u8]) -> bool {
    if !s.iter().all(|&b| b.is_ascii_digit() || b == b'<') {
        return false;
    }
    let part = |i: usize| all_digits(&s[i..i + 2]).then(|| ascii_value(&s[i..i + 2]));
    all_digits(&s[..2])
        && part(2).is_none_or(|m| (1..=12).contains(&m))
        && part(4).is_none_or(|d| (1..=31).contains(&d))
}

/// Second line of a TD3 (passport) machine-readable zone, 44 characters:
/// document number, nationality, birth date, sex, expiry date and personal
/// number, each with its check digit, plus the composite check digit.
pub fn passport_mrz_line2(line: &[u8]) -> bool {
    if line.len() != 44 || !line.iter().all(|&b| mrz_value(b).is_some()) {
        return false;
    }
    let nationality_ok = line[10..13]
        .iter()
        .all(|&b| b.is_ascii_uppercase() || b == b'<');
    let sex_ok = matches!(line[20], b'M' | b'F' | b'X' | b'<');
    if !nationality_ok
        || !sex_ok
        || !mrz_date(&line[13..19])
        || !all_digits(&line[21..27])
        || !mrz_date(&line[21..27])
    {
        return false;
    }
    if !mrz_check_digit(&line[..9], line[9])
        || !mrz_check_digit(&line[13..19], line[19])
        || !mrz_check_digit(&line[21..27], line[27])
        || !mrz_check_digit(&line[28..42], line[42])
    {
        return false;
    }
    let composite = [&line[..10], &line[13..20], &line[21..43]];
    let mut sum = 0;
    let mut weights = [7u32, 3, 1].iter().cycle();
    for part in composite {
        for &b in part {
            sum += mrz_value(b).unwrap_or(0) * weights.next().copied().unwrap_or(0);
        }
    }
    line[43] == b'0' + (sum % 10) as u8
}

/// ICAO 9303 weighted sum (weights 7,3,1 repeating) modulo 10.
fn mrz_sum(field: &[u8]) -> Option<u32> {
    let mut sum = 0;
    for (&b, w) in field.iter().zip([7, 3, 1].iter().cycle()) {
        sum += mrz_value(b)? * w;
    }
    Some(sum % 10)
}

/// Verifies an ICAO 9303 machine-readable-zone check digit: weights 7,3,1
/// over the field with `<` = 0 and A = 10 … Z = 35. A filler `<` check is
/// accepted where the computed digit is 0 (empty optional fields).
pub fn mrz_check_digit(field: &[u8], check: u8) -> bool {
    let Some(sum) = mrz_sum(field) else {
        return false;
    };
    match check {
        b'0'..=b'9' => u32::from(check - b'0') == sum,
        b'<' => sum == 0,
        _ => false,
    }
}
