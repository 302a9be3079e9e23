//! Europe: national identity, social security and tax numbers.

use super::*;

/// UK National Insurance number: two prefix letters, six digits and a suffix
/// A–D. There is no checksum, so the HMRC prefix exclusions are what make a
/// match credible.
pub fn uk_nino(value: &[u8]) -> bool {
    let Some(c) = chars::<9>(value) else {
        return false;
    };
    let (p1, p2) = (c[0], c[1]);
    all_upper(&c[..2])
        && !b"DFIQUV".contains(&p1)
        && !b"DFIOQUV".contains(&p2)
        && !matches!(
            &c[..2],
            b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
        )
        && all_digits(&c[2..8])
        && matches!(c[8], b'A'..=b'D')
}

/// NHS number (England, Wales, Isle of Man): 10 digits with a mod-11 check
/// digit (weights 10..2). A remainder giving 10 is never issued; repeated
/// single digits (e.g. `0000000000`) pass the arithmetic but are not real.
pub fn uk_nhs(value: &[u8]) -> bool {
    let Some(d) = digits::<10>(value) else {
        return false;
    };
    if d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let sum = weighted(&d[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]);
    match 11 - sum % 11 {
        11 => d[9] == 0,
        10 => false,
        c => u32::from(d[9]) == c,
    }
}

/// French social security number (NIR / INSEE number): 13 characters plus a
/// 2-digit key `97 - (n mod 97)`. Corsican departments `2A`/`2B` count as 19/18
/// for the key, as INSEE specifies. Sex 1/2 (3/4/7/8 for provisional numbers)
/// and the INSEE month ranges 01–12, 20–42 and 50–99 are accepted.
pub fn fr_nir(value: &[u8]) -> bool {
    let Some(c) = chars::<15>(value) else {
        return false;
    };
    let mut num = [0u8; 13];
    num.copy_from_slice(&c[..13]);
    match &c[5..7] {
        b"2A" => num[5..7].copy_from_slice(b"19"),
        b"2B" => num[5..7].copy_from_slice(b"18"),
        _ => {}
    }
    if !all_digits(&num) || !all_digits(&c[13..]) {
        return false;
    }
    let month = ascii_value(&c[3..5]);
    if !matches!(c[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8')
        || !matches!(month, 1..=12 | 20..=42 | 50..=99)
    {
        return false;
    }
    97 - ascii_value(&num) % 97 == ascii_value(&c[13..])
}

/// German tax identification number (Steuer-IdNr): 11 digits, no leading 0,
/// ISO 7064 MOD 11,10 check digit, and the issuing pattern of the first ten
/// digits: exactly one digit occurs twice or three times, the others at most
/// once, and (rule since 2016) a triple may not be three adjacent digits.
pub fn de_tax_id(value: &[u8]) -> bool {
    let Some(d) = digits::<11>(value) else {
        return false;
    };
    if d[0] == 0 {
        return false;
    }
    let mut counts = [0u8; 10];
    for &x in &d[..10] {
        counts[usize::from(x)] += 1;
    }
    let repeated = counts.iter().filter(|&&c| c > 1).count();
    let max = counts.iter().copied().max().unwrap_or(0);
    if repeated != 1 || max > 3 {
        return false;
    }
    if max == 3 && d[..10].windows(3).any(|w| w[0] == w[1] && w[1] == w[2]) {
        return false;
    }
    mod11_10_ok(&d)
}

/// Control letters of the Spanish DNI/NIE, indexed by `n mod 23`.
const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// DNI-style control letter for a number.
pub(super) fn dni_letter(n: u64) -> u8 {
    DNI_LETTERS[(n % 23) as usize]
}

/// Spanish national identity document (DNI): 8 digits and the control letter
/// `TRWAGMYFPDXBNJZSQVHLCKE[n mod 23]`.
pub fn es_dni(value: &[u8]) -> bool {
    let Some(c) = chars::<9>(value) else {
        return false;
    };
    all_digits(&c[..8]) && c[8] == dni_letter(ascii_value(&c[..8]))
}

/// Spanish foreigner identity number (NIE): X/Y/Z + 7 digits + control
/// letter; the prefix stands for 0/1/2 and the DNI letter rule applies.
pub fn es_nie(value: &[u8]) -> bool {
    let Some(c) = chars::<9>(value) else {
        return false;
    };
    let lead = match c[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        _ => return false,
    };
    all_digits(&c[1..8]) && c[8] == dni_letter(lead * 10_000_000 + ascii_value(&c[1..8]))
}

/// Codice fiscale values of characters in odd (1st, 3rd, …) positions,
/// indexed by letter (digits use the entries of A–J).
const CF_ODD: [u8; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/// Month letters of the codice fiscale, January to December.
const CF_MONTHS: &[u8; 12] = b"ABCDEHLMPRST";

/// Decodes a codice fiscale digit position, undoing omocodia (L..V = 0..9).
fn cf_digit(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        _ => b"LMNPQRSTUV".iter().position(|&x| x == b).map(|p| p as u32),
    }
}

/// Italian fiscal code (codice fiscale) of a person: 16 characters, surname
/// and name letters, birth year, month letter, day (+40 for women), place
/// code, and a check letter from the official odd/even tables. Digits may be
/// replaced by `LMNPQRSTUV` (omocodia) to disambiguate duplicates, so they are
/// decoded before the birth date is checked.
pub fn it_fiscal_code(value: &[u8]) -> bool {
    let Some(c) = chars::<16>(value) else {
        return false;
    };
    if !all_upper(&c[..6]) || !c[11].is_ascii_uppercase() || !c[15].is_ascii_uppercase() {
        return false;
    }
    let mut n = [0u32; 7];
    for (slot, &i) in n.iter_mut().zip(&[6usize, 7, 9, 10, 12, 13, 14]) {
        match cf_digit(c[i]) {
            Some(v) => *slot = v,
            None => return false,
        }
    }
    let Some(month) = CF_MONTHS.iter().position(|&m| m == c[8]) else {
        return false;
    };
    let yy = n[0] * 10 + n[1];
    let mut day = n[2] * 10 + n[3];
    if day > 40 {
        day -= 40;
    }
    if !valid_date_yy(yy, month as u32 + 1, day) {
        return false;
    }
    let sum: u32 = c[..15]
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let idx = if b.is_ascii_digit() {
                b - b'0'
            } else {
                b - b'A'
            };
            if i % 2 == 0 {
                u32::from(CF_ODD[usize::from(idx)])
            } else {
                u32::from(idx)
            }
        })
        .sum();
    c[15] == b'A' + (sum % 26) as u8
}

/// Dutch citizen service number (BSN): 9 digits passing the "11-proof"
/// (weights 9..2 and −1). Older 8-digit numbers count only when written with
/// their leading zero; all zeros is rejected.
pub fn nl_bsn(value: &[u8]) -> bool {
    let Some(d) = digits::<9>(value) else {
        return false;
    };
    d.iter().any(|&x| x != 0) && bsn_sum(&d) % 11 == 0
}

/// BSN 11-proof sum (non-negative representative).
pub(super) fn bsn_sum(d: &[u8; 9]) -> i32 {
    let s = weighted(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) as i32;
    s - i32::from(d[8])
}

/// Belgian national register number: `YYMMDD SSS CC`, where the check is
/// `97 - (first 9 digits mod 97)`, or, for people born from 2000 on, the same
/// over `2` followed by those 9 digits. Unknown birth date parts are 00, and
/// bis numbers add 20 or 40 to the month; when both are known the date must
/// be real in the century the check digits imply.
pub fn be_national_number(value: &[u8]) -> bool {
    let Some(d) = digits::<11>(value) else {
        return false;
    };
    let n = value_of(&d[..9]);
    let cc = value_of(&d[9..]);
    let century = if 97 - n % 97 == cc {
        1900
    } else if 97 - (2_000_000_000 + n) % 97 == cc {
        2000
    } else {
        return false;
    };
    let (yy, mm, dd) = (two(&d, 0), two(&d, 2), two(&d, 4));
    let month = match mm {
        0..=12 => mm,
        20..=32 => mm - 20,
        40..=52 => mm - 40,
        _ => return false,
    };
    if dd > 31 {
        return false;
    }
    month == 0 || dd == 0 || valid_date(century + yy, month, dd)
}

/// Polish PESEL: 11 digits, weights 1,3,7,9 repeated, check
/// `(10 - sum mod 10) mod 10`; the month carries the century (+80 for the
/// 1800s, +0, +20, +40, +60 for 1900–2200s) and the date must be real.
pub fn pl_pesel(value: &[u8]) -> bool {
    let Some(d) = digits::<11>(value) else {
        return false;
    };
    let sum = weighted(&d[..10], &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);
    if (10 - sum % 10) % 10 != u32::from(d[10]) {
        return false;
    }
    let mm = two(&d, 2);
    let century = match mm / 20 {
        0 => 1900,
        1 => 2000,
        2 => 2100,
        3 => 2200,
        _ => 1800,
    };
    valid_date(century + two(&d, 0), mm % 20, two(&d, 4))
}

/// Romanian personal numeric code (CNP): 13 digits `SYYMMDDJJNNNC`. S (1–9)
/// gives sex and century (1/2: 1900s, 3/4: 1800s, 5/6: 2000s; 7/8/9 are
/// residents/foreigners, accepted if any of those centuries gives a real
/// date). JJ is the county code from the published list: 01–46 (counties and
/// Bucharest sectors 1–6), 47/48 (former Bucharest sectors 7/8), 51
/// (Călărași), 52 (Giurgiu), 70 (any county, newer registrations).
/// Check digit: weights 279146358279, `sum mod 11` with 10 mapped to 1.
pub fn ro_cnp(value: &[u8]) -> bool {
    let Some(d) = digits::<13>(value) else {
        return false;
    };
    let sum = weighted(&d[..12], &[2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]);
    let check = match sum % 11 {
        10 => 1,
        c => c,
    };
    if check != u32::from(d[12]) || !matches!(two(&d, 7), 1..=48 | 51 | 52 | 70) {
        return false;
    }
    let (yy, mm, dd) = (two(&d, 1), two(&d, 3), two(&d, 5));
    let ok = |century: u32| valid_date(century + yy, mm, dd);
    match d[0] {
        1 | 2 => ok(1900),
        3 | 4 => ok(1800),
        5 | 6 => ok(2000),
        7..=9 => ok(1800) || ok(1900) || ok(2000),
        _ => false,
    }
}

/// Swedish personal identity number: `YYMMDD-NNNC` (`+` for people aged 100
/// or more) or `YYYYMMDDNNNC`, with the separator optional but only before
/// the last four digits. Luhn over the 10-digit form; the date must be real,
/// with day + 60 accepted for coordination numbers (samordningsnummer).
pub fn se_personnummer(value: &[u8]) -> bool {
    let mut d = [0u8; 12];
    let mut n = 0;
    let mut sep_at = None;
    for &b in value {
        match b {
            b'0'..=b'9' => {
                let Some(slot) = d.get_mut(n) else {
                    return false;
                };
                *slot = b - b'0';
                n += 1;
            }
            b'-' | b'+' if sep_at.is_none() => sep_at = Some(n),
            _ => return false,
        }
    }
    if !(n == 10 || n == 12) || sep_at.is_some_and(|p| p + 4 != n) {
        return false;
    }
    let ten = &d[n - 10..n];
    let (mm, mut dd) = (two(ten, 2), two(ten, 4));
    if dd > 60 {
        dd -= 60;
    }
    let date_ok = if n == 12 {
        valid_date(two(&d, 0) * 100 + two(&d, 2), mm, dd)
    } else {
        valid_date_yy(two(ten, 0), mm, dd)
    };
    date_ok && luhn_ok(ten)
}
