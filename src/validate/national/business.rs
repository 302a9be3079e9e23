//! Business identifiers: SWIFT/BIC codes and EU VAT numbers.

use super::europe::{bsn_sum, dni_letter};
use super::*;

/// EU VAT identification number with its 2-letter prefix (`EL` or `GR` for
/// Greece, `XI` for Northern Ireland). The national part is checked for its
/// format and, for every state, its check digits:
/// AT, BE, BG, CY, CZ, DE, DK, EE, EL, ES, FI, FR, HR, HU, IE, IT, LT, LU,
/// LV, MT, NL, PL, PT, RO, SE, SI, SK and XI all have check-digit rules
/// implemented here; none is format-only. `EU` (non-Union OSS) and `GB`
/// numbers are not accepted.
pub fn vat_id(value: &[u8]) -> bool {
    let mut c = [0u8; 16];
    let Some(n) = compact_into(value, &mut c, is_vat_sep, b"+*") else {
        return false;
    };
    if n < 4 {
        return false;
    }
    let body = &c[2..n];
    match &c[..2] {
        b"AT" => vat_at(body),
        b"BE" => vat_be(body),
        b"BG" => vat_bg(body),
        b"CY" => vat_cy(body),
        b"CZ" => vat_cz(body),
        b"DE" => vat_de(body),
        b"DK" => vat_dk(body),
        b"EE" => vat_ee(body),
        b"EL" | b"GR" => vat_el(body),
        b"ES" => vat_es(body),
        b"FI" => vat_fi(body),
        b"FR" => vat_fr(body),
        b"HR" => to_digits::<11>(body).is_some_and(|d| mod11_10_ok(&d)),
        b"HU" => vat_hu(body),
        b"IE" => vat_ie(body),
        b"IT" => vat_it(body),
        b"LT" => vat_lt(body),
        b"LU" => vat_lu(body),
        b"LV" => vat_lv(body),
        b"MT" => vat_mt(body),
        b"NL" => vat_nl(body),
        b"PL" => vat_pl(body),
        b"PT" => vat_pt(body),
        b"RO" => vat_ro(body),
        b"SE" => vat_se(body),
        b"SI" => vat_si(body),
        b"SK" => vat_sk(body),
        b"GB" | b"XI" => vat_xi(body),
        _ => false,
    }
}

/// Austria: `U` + 8 digits, alternating 1/2 weights with digit sums, +4.
fn vat_at(b: &[u8]) -> bool {
    if b.first() != Some(&b'U') {
        return false;
    }
    let Some(d) = to_digits::<8>(&b[1..]) else {
        return false;
    };
    let sum: u32 = d[..7]
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let p = u32::from(x) * if i % 2 == 1 { 2 } else { 1 };
            p / 10 + p % 10
        })
        .sum();
    (10 - (sum + 4) % 10) % 10 == u32::from(d[7])
}

/// Belgium: 10 digits starting 0/1 (9-digit legacy form gets a leading 0);
/// last two digits are `97 - (first 8 mod 97)`.
fn vat_be(b: &[u8]) -> bool {
    let (lead, rest) = match b.len() {
        9 => (0, b),
        10 if matches!(b[0], b'0' | b'1') => (u64::from(b[0] - b'0'), &b[1..]),
        _ => return false,
    };
    if !all_digits(rest) {
        return false;
    }
    let n = lead * 10_000_000 + ascii_value(&rest[..7]);
    97 - n % 97 == ascii_value(&rest[7..])
}

/// Bulgaria: 9-digit legal entities, or 10-digit EGN / foreigner (PNF) /
/// other numbers, each with its own weights.
fn vat_bg(b: &[u8]) -> bool {
    if let Some(d) = to_digits::<9>(b) {
        let mut s = d[..8]
            .iter()
            .zip(1u32..)
            .map(|(&x, w)| u32::from(x) * w)
            .sum::<u32>()
            % 11;
        if s == 10 {
            s = d[..8]
                .iter()
                .zip(3u32..)
                .map(|(&x, w)| u32::from(x) * w)
                .sum::<u32>()
                % 11;
        }
        return s % 10 == u32::from(d[8]);
    }
    let Some(d) = to_digits::<10>(b) else {
        return false;
    };
    let last = u32::from(d[9]);
    let egn = {
        let (yy, mm, dd) = (two(&d, 0), two(&d, 2), two(&d, 4));
        let (year, month) = match mm {
            41..=52 => (2000 + yy, mm - 40),
            21..=32 => (1800 + yy, mm - 20),
            _ => (1900 + yy, mm),
        };
        valid_date(year, month, dd)
            && weighted(&d[..9], &[2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11 % 10 == last
    };
    let pnf = weighted(&d[..9], &[21, 19, 17, 13, 11, 9, 7, 3, 1]) % 10 == last;
    let other = (11 - weighted(&d[..9], &[4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11) % 11 == last;
    egn || pnf || other
}

/// Cyprus: 8 digits (not starting `12`) + check letter.
fn vat_cy(b: &[u8]) -> bool {
    const ODD: [u32; 10] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
    if b.len() != 9 || !all_digits(&b[..8]) || b.starts_with(b"12") {
        return false;
    }
    let sum: u32 = b[..8]
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let v = u32::from(x - b'0');
            if i % 2 == 0 {
                ODD[v as usize]
            } else {
                v
            }
        })
        .sum();
    b[8] == b'A' + (sum % 26) as u8
}

/// Czech birth number (rodné číslo) as used for individuals' VAT numbers.
fn cz_birth_number(b: &[u8]) -> bool {
    if !all_digits(b) || !(b.len() == 9 || b.len() == 10) {
        return false;
    }
    let mut year = 1900 + ascii_value(&b[..2]) as u32;
    let month = ascii_value(&b[2..4]) as u32 % 50 % 20;
    let day = ascii_value(&b[4..6]) as u32;
    if b.len() == 9 {
        if year >= 1980 {
            year -= 100;
        }
        if year > 1953 {
            return false;
        }
    } else if year < 1954 {
        year += 100;
    }
    valid_date(year, month, day)
        && (b.len() == 9 || ascii_value(&b[..9]) % 11 % 10 == u64::from(b[9] - b'0'))
}

/// Czech Republic: 8-digit legal entity, 9-digit special (leading 6), or a
/// 9/10-digit birth number.
fn vat_cz(b: &[u8]) -> bool {
    if let Some(d) = to_digits::<8>(b) {
        let s = weighted(&d[..7], &[8, 7, 6, 5, 4, 3, 2]) as i32;
        let c = (11 - s).rem_euclid(11);
        let c = if c == 0 { 1 } else { c } % 10;
        return d[0] != 9 && c == i32::from(d[7]);
    }
    if let Some(d) = to_digits::<9>(b).filter(|d| d[0] == 6) {
        let s = weighted(&d[1..8], &[8, 7, 6, 5, 4, 3, 2]) as i32 % 11;
        return (8 - (10 - s) % 11).rem_euclid(10) == i32::from(d[8]);
    }
    cz_birth_number(b)
}

/// Germany: 9 digits, no leading 0, ISO 7064 MOD 11,10.
fn vat_de(b: &[u8]) -> bool {
    to_digits::<9>(b).is_some_and(|d| d[0] != 0 && mod11_10_ok(&d))
}

/// Denmark: 8 digits, no leading 0, weights 2,7,6,5,4,3,2,1 sum ≡ 0 (mod 11).
fn vat_dk(b: &[u8]) -> bool {
    to_digits::<8>(b)
        .is_some_and(|d| d[0] != 0 && weighted(&d, &[2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0)
}

/// Estonia: 9 digits, weights 3,7,1 repeated, sum ≡ 0 (mod 10).
fn vat_ee(b: &[u8]) -> bool {
    to_digits::<9>(b).is_some_and(|d| weighted(&d, &[3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 == 0)
}

/// Greece: 9 digits (8-digit legacy form gets a leading 0), powers-of-two
/// weights, `sum mod 11 mod 10`.
fn vat_el(b: &[u8]) -> bool {
    let mut d = [0u8; 9];
    let off = match b.len() {
        8 => 1,
        9 => 0,
        _ => return false,
    };
    if !all_digits(b) {
        return false;
    }
    for (o, &x) in d[off..].iter_mut().zip(b) {
        *o = x - b'0';
    }
    let s = weighted(&d[..8], &[256, 128, 64, 32, 16, 8, 4, 2]);
    s % 11 % 10 == u32::from(d[8])
}

/// Spain: DNI, NIE, K/L/M personal numbers (DNI letter over 7 digits), or a
/// company CIF with a Luhn-derived digit or letter (`JABCDEFGHI`).
fn vat_es(b: &[u8]) -> bool {
    if b.len() != 9 {
        return false;
    }
    match b[0] {
        b'0'..=b'9' => es_dni(b),
        b'X' | b'Y' | b'Z' => es_nie(b),
        b'K' | b'L' | b'M' => all_digits(&b[1..8]) && b[8] == dni_letter(ascii_value(&b[1..8])),
        b'A'..=b'H' | b'J' | b'N' | b'P'..=b'S' | b'U'..=b'W' => {
            let Some(d) = to_digits::<7>(&b[1..8]) else {
                return false;
            };
            let c = luhn_digit(&d);
            b[8] == b'0' + c || b[8] == b"JABCDEFGHI"[usize::from(c)]
        }
        _ => false,
    }
}

/// Finland: 8 digits, weights 7,9,10,5,8,4,2, check `11 - r` (r = 1 invalid).
fn vat_fi(b: &[u8]) -> bool {
    let Some(d) = to_digits::<8>(b) else {
        return false;
    };
    match weighted(&d[..7], &[7, 9, 10, 5, 8, 4, 2]) % 11 {
        0 => d[7] == 0,
        1 => false,
        r => u32::from(d[7]) == 11 - r,
    }
}

/// Alphabet of French alphanumeric VAT keys (no I or O).
const FR_KEY: &[u8; 34] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// France: 2-character key + SIREN (Luhn, except Monaco's `000…`). Numeric
/// keys are `(12 + 3 × (SIREN mod 97)) mod 97`; alphanumeric keys follow the
/// DGFiP mod-11 scheme.
fn vat_fr(b: &[u8]) -> bool {
    if b.len() != 11 {
        return false;
    }
    let Some(siren) = to_digits::<9>(&b[2..]) else {
        return false;
    };
    if &b[2..5] != b"000" && !luhn_ok(&siren) {
        return false;
    }
    let n = value_of(&siren);
    if all_digits(&b[..2]) {
        return ascii_value(&b[..2]) == (n * 100 + 12) % 97;
    }
    let idx = |x: u8| FR_KEY.iter().position(|&k| k == x).map(|p| p as u64);
    let (Some(k0), Some(k1)) = (idx(b[0]), idx(b[1])) else {
        return false;
    };
    let check = if k0 < 10 {
        k0 * 24 + k1 - 10
    } else {
        k0 * 34 + k1 - 100
    };
    (n + 1 + check / 11) % 11 == check % 11
}

/// Hungary: 8 digits, weights 9,7,3,1 repeated, sum ≡ 0 (mod 10).
fn vat_hu(b: &[u8]) -> bool {
    to_digits::<8>(b).is_some_and(|d| weighted(&d, &[9, 7, 3, 1, 9, 7, 3, 1]) % 10 == 0)
}

/// Alphabet of Irish check letters (W stands for 0).
const IE_LETTERS: &[u8; 23] = b"WABCDEFGHIJKLMNOPQRSTUV";

/// Ireland: 7 digits + check letter (+ optional second letter), or the old
/// `9X99999X` form whose second character is a letter, `+` or `*`.
fn vat_ie(b: &[u8]) -> bool {
    let pos = |x: u8| IE_LETTERS.iter().position(|&l| l == x).map(|p| p as u32);
    let letter = |sum: u32| IE_LETTERS[(sum % 23) as usize];
    let w = [8, 7, 6, 5, 4, 3, 2];
    if (b.len() == 8 || b.len() == 9) && all_digits(&b[..7]) {
        let Some(d) = to_digits::<7>(&b[..7]) else {
            return false;
        };
        let extra = match b.get(8) {
            Some(&x) => match pos(x) {
                Some(p) => 9 * p,
                None => return false,
            },
            None => 0,
        };
        return b[7] == letter(weighted(&d, &w) + extra);
    }
    if b.len() == 8 && b[0].is_ascii_digit() && (b[1].is_ascii_uppercase() || b"+*".contains(&b[1]))
    {
        let mut d = [0u8; 7];
        if !all_digits(&b[2..7]) {
            return false;
        }
        for (o, &x) in d[1..6].iter_mut().zip(&b[2..7]) {
            *o = x - b'0';
        }
        d[6] = b[0] - b'0';
        return b[7] == letter(weighted(&d, &w));
    }
    false
}

/// Italy: 11 digits, non-zero company number, known office code, Luhn.
fn vat_it(b: &[u8]) -> bool {
    let Some(d) = to_digits::<11>(b) else {
        return false;
    };
    let office = value_of(&d[7..10]);
    value_of(&d[..7]) != 0 && matches!(office, 1..=100 | 120 | 121 | 888 | 999) && luhn_ok(&d)
}

/// Lithuania: 9 digits (8th is 1) or 12 digits (11th is 1), mod 11 with a
/// second weight set when the first gives 10.
fn vat_lt(b: &[u8]) -> bool {
    let mut d = [0u8; 12];
    let n = b.len();
    if !(n == 9 || n == 12) || !all_digits(b) || b[n - 2] != b'1' {
        return false;
    }
    for (o, &x) in d.iter_mut().zip(b) {
        *o = x - b'0';
    }
    let body = &d[..n - 1];
    let sum_with = |shift: usize| -> u32 {
        body.iter()
            .enumerate()
            .map(|(i, &x)| u32::from(x) * (1 + ((i + shift) % 9) as u32))
            .sum::<u32>()
            % 11
    };
    let mut c = sum_with(0);
    if c == 10 {
        c = sum_with(2);
    }
    c % 10 == u32::from(d[n - 1])
}

/// Luxembourg: 8 digits, first six mod 89 equal the last two.
fn vat_lu(b: &[u8]) -> bool {
    b.len() == 8 && all_digits(b) && ascii_value(&b[..6]) % 89 == ascii_value(&b[6..])
}

/// Latvia: 11 digits; legal entities (first digit > 3) have weighted sum
/// ≡ 3 (mod 11); personal codes (with a real birth date unless they start
/// with `32`) use a separate weighted check digit.
fn vat_lv(b: &[u8]) -> bool {
    let Some(d) = to_digits::<11>(b) else {
        return false;
    };
    if d[0] > 3 {
        return weighted(&d, &[9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1]) % 11 == 3;
    }
    if !(d[0] == 3 && d[1] == 2) {
        let year = 1800 + u32::from(d[6]) * 100 + two(&d, 4);
        if !valid_date(year, two(&d, 2), two(&d, 0)) {
            return false;
        }
    }
    (1 + weighted(&d[..10], &[10, 5, 8, 4, 2, 1, 6, 3, 7, 9])) % 11 % 10 == u32::from(d[10])
}

/// Malta: 8 digits, no leading 0, weights 3,4,6,7,8,9,10,1 sum ≡ 0 (mod 37).
fn vat_mt(b: &[u8]) -> bool {
    to_digits::<8>(b)
        .is_some_and(|d| d[0] != 0 && weighted(&d, &[3, 4, 6, 7, 8, 9, 10, 1]) % 37 == 0)
}

/// Netherlands: up to 9 digits (zero-padded) + `B` + 2 digits (not `00`),
/// valid either by the BSN 11-proof or, for sole proprietors since 2020, by
/// ISO 7064 mod 97-10 over `NL` + number.
fn vat_nl(b: &[u8]) -> bool {
    let n = b.len();
    if !(4..=12).contains(&n) || b[n - 3] != b'B' || !all_digits(&b[n - 2..]) {
        return false;
    }
    let (num, suffix) = (&b[..n - 3], &b[n - 2..]);
    if !all_digits(num) || ascii_value(num) == 0 || suffix == b"00" {
        return false;
    }
    let mut d = [0u8; 9];
    for (o, &x) in d[9 - num.len()..].iter_mut().zip(num) {
        *o = x - b'0';
    }
    if bsn_sum(&d) % 11 == 0 {
        return true;
    }
    // mod 97-10 over "NL" + 9 digits + "B" + 2 digits, letters as 10..35.
    let mut r = (23 * 100 + 21) % 97;
    for &x in &d {
        r = (r * 10 + u32::from(x)) % 97;
    }
    r = (r * 100 + 11) % 97;
    for &x in suffix {
        r = (r * 10 + u32::from(x - b'0')) % 97;
    }
    r == 1
}

/// Poland (NIP): 10 digits, weights 6,5,7,2,3,4,5,6,7, `sum mod 11` is the
/// check digit (10 never issued).
fn vat_pl(b: &[u8]) -> bool {
    to_digits::<10>(b)
        .is_some_and(|d| weighted(&d[..9], &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 == u32::from(d[9]))
}

/// Portugal (NIF): 9 digits, no leading 0, weights 9..2, `(11 - r) mod 11 mod 10`.
fn vat_pt(b: &[u8]) -> bool {
    to_digits::<9>(b).is_some_and(|d| {
        let r = weighted(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
        d[0] != 0 && (11 - r) % 11 % 10 == u32::from(d[8])
    })
}

/// Romania: CUI of 2–10 digits (right-aligned weights 7,5,3,2,1,7,5,3,2,
/// `10 × sum mod 11 mod 10`) or a 13-digit CNP.
fn vat_ro(b: &[u8]) -> bool {
    if b.len() == 13 {
        return ro_cnp(b);
    }
    if !(2..=10).contains(&b.len()) || !all_digits(b) || b[0] == b'0' {
        return false;
    }
    let mut d = [0u8; 10];
    for (o, &x) in d[10 - b.len()..].iter_mut().zip(b) {
        *o = x - b'0';
    }
    weighted(&d[..9], &[7, 5, 3, 2, 1, 7, 5, 3, 2]) * 10 % 11 % 10 == u32::from(d[9])
}

/// Sweden: 10-digit organisation number with Luhn check, followed by `01`.
fn vat_se(b: &[u8]) -> bool {
    to_digits::<12>(b).is_some_and(|d| d[10] == 0 && d[11] == 1 && luhn_ok(&d[..10]))
}

/// Slovenia: 8 digits, no leading 0, weights 8..2, check `11 - r` (10 → 0,
/// 11 invalid).
fn vat_si(b: &[u8]) -> bool {
    to_digits::<8>(b).is_some_and(|d| {
        let c = 11 - weighted(&d[..7], &[8, 7, 6, 5, 4, 3, 2]) % 11;
        d[0] != 0 && c != 11 && c % 10 == u32::from(d[7])
    })
}

/// Slovakia: 10 digits divisible by 11 with a legal-form digit, or a birth
/// number.
fn vat_sk(b: &[u8]) -> bool {
    if b.len() != 10 || !all_digits(b) {
        return false;
    }
    if cz_birth_number(b) {
        return true;
    }
    b[0] != b'0' && b"234789".contains(&b[2]) && ascii_value(b) % 11 == 0
}

/// Northern Ireland (UK VAT rules): 9 or 12 digits with weights
/// 8,7,6,5,4,3,2,10,1 mod 97 in {0, 42, 55} (only 0 for numbers below 100…),
/// or government department / health authority `GD`/`HA` numbers.
fn vat_xi(b: &[u8]) -> bool {
    let gd_ha = |kind: &[u8], n: u64| match kind {
        b"GD" => n < 500,
        b"HA" => n >= 500,
        _ => false,
    };
    match b.len() {
        5 => all_digits(&b[2..]) && gd_ha(&b[..2], ascii_value(&b[2..])),
        11 if matches!(&b[..6], b"GD8888" | b"HA8888") && all_digits(&b[6..]) => {
            let n = ascii_value(&b[6..9]);
            gd_ha(&b[..2], n) && n % 97 == ascii_value(&b[9..])
        }
        9 | 12 if all_digits(b) => {
            let mut d = [0u8; 9];
            for (o, &x) in d.iter_mut().zip(b) {
                *o = x - b'0';
            }
            let r = weighted(&d, &[8, 7, 6, 5, 4, 3, 2, 10, 1]) % 97;
            if ascii_value(&b[..3]) >= 100 {
                matches!(r, 0 | 42 | 55)
            } else {
                r == 0
            }
        }
        _ => false,
    }
}

/// Officially assigned ISO 3166-1 alpha-2 codes, plus XK (Kosovo), sorted.
pub(super) static COUNTRIES: [[u8; 2]; 250] = [
    *b"AD", *b"AE", *b"AF", *b"AG", *b"AI", *b"AL", *b"AM", *b"AO", *b"AQ", *b"AR", *b"AS", *b"AT",
    *b"AU", *b"AW", *b"AX", *b"AZ", *b"BA", *b"BB", *b"BD", *b"BE", *b"BF", *b"BG", *b"BH", *b"BI",
    *b"BJ", *b"BL", *b"BM", *b"BN", *b"BO", *b"BQ", *b"BR", *b"BS", *b"BT", *b"BV", *b"BW", *b"BY",
    *b"BZ", *b"CA", *b"CC", *b"CD", *b"CF", *b"CG", *b"CH", *b"CI", *b"CK", *b"CL", *b"CM", *b"CN",
    *b"CO", *b"CR", *b"CU", *b"CV", *b"CW", *b"CX", *b"CY", *b"CZ", *b"DE", *b"DJ", *b"DK", *b"DM",
    *b"DO", *b"DZ", *b"EC", *b"EE", *b"EG", *b"EH", *b"ER", *b"ES", *b"ET", *b"FI", *b"FJ", *b"FK",
    *b"FM", *b"FO", *b"FR", *b"GA", *b"GB", *b"GD", *b"GE", *b"GF", *b"GG", *b"GH", *b"GI", *b"GL",
    *b"GM", *b"GN", *b"GP", *b"GQ", *b"GR", *b"GS", *b"GT", *b"GU", *b"GW", *b"GY", *b"HK", *b"HM",
    *b"HN", *b"HR", *b"HT", *b"HU", *b"ID", *b"IE", *b"IL", *b"IM", *b"IN", *b"IO", *b"IQ", *b"IR",
    *b"IS", *b"IT", *b"JE", *b"JM", *b"JO", *b"JP", *b"KE", *b"KG", *b"KH", *b"KI", *b"KM", *b"KN",
    *b"KP", *b"KR", *b"KW", *b"KY", *b"KZ", *b"LA", *b"LB", *b"LC", *b"LI", *b"LK", *b"LR", *b"LS",
    *b"LT", *b"LU", *b"LV", *b"LY", *b"MA", *b"MC", *b"MD", *b"ME", *b"MF", *b"MG", *b"MH", *b"MK",
    *b"ML", *b"MM", *b"MN", *b"MO", *b"MP", *b"MQ", *b"MR", *b"MS", *b"MT", *b"MU", *b"MV", *b"MW",
    *b"MX", *b"MY", *b"MZ", *b"NA", *b"NC", *b"NE", *b"NF", *b"NG", *b"NI", *b"NL", *b"NO", *b"NP",
    *b"NR", *b"NU", *b"NZ", *b"OM", *b"PA", *b"PE", *b"PF", *b"PG", *b"PH", *b"PK", *b"PL", *b"PM",
    *b"PN", *b"PR", *b"PS", *b"PT", *b"PW", *b"PY", *b"QA", *b"RE", *b"RO", *b"RS", *b"RU", *b"RW",
    *b"SA", *b"SB", *b"SC", *b"SD", *b"SE", *b"SG", *b"SH", *b"SI", *b"SJ", *b"SK", *b"SL", *b"SM",
    *b"SN", *b"SO", *b"SR", *b"SS", *b"ST", *b"SV", *b"SX", *b"SY", *b"SZ", *b"TC", *b"TD", *b"TF",
    *b"TG", *b"TH", *b"TJ", *b"TK", *b"TL", *b"TM", *b"TN", *b"TO", *b"TR", *b"TT", *b"TV", *b"TW",
    *b"TZ", *b"UA", *b"UG", *b"UM", *b"US", *b"UY", *b"UZ", *b"VA", *b"VC", *b"VE", *b"VG", *b"VI",
    *b"VN", *b"VU", *b"WF", *b"WS", *b"XK", *b"YE", *b"YT", *b"ZA", *b"ZM", *b"ZW",
];

/// SWIFT/BIC code (ISO 9362): 4-letter institution, a real ISO 3166 country,
/// 2 alphanumeric location characters and an optional 3-character branch.
pub fn swift_bic(value: &[u8]) -> bool {
    let mut c = [0u8; 11];
    let Some(n) = compact_into(value, &mut c, is_sep, &[]) else {
        return false;
    };
    (n == 8 || n == 11) && all_upper(&c[..6]) && COUNTRIES.binary_search(&[c[4], c[5]]).is_ok()
}
