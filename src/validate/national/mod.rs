//! Checksum and structure validators for national and government identifiers.
//!
//! Regexes alone match far too many digit runs; these validators confirm a
//! candidate by re-deriving its published check digit and structural rules
//! (embedded dates, issuing ranges, excluded prefixes), which removes most
//! false positives before a finding is reported. Every function takes the raw
//! bytes of a match (ASCII, possibly with separators such as spaces, `-`, `.`
//! or `/`), works on fixed-size stack buffers and never allocates, because it
//! runs on every candidate of multi-gigabyte scans.

mod americas;
mod asia_pacific;
mod business;
mod europe;
#[cfg(test)]
mod tests;
mod travel;

pub use self::americas::*;
pub use self::asia_pacific::*;
pub use self::business::*;
pub use self::europe::*;
pub use self::travel::*;

/// Generic separators tolerated inside an identifier.
const fn is_sep(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.' | b'/')
}

/// Separators seen in VAT numbers in the wild (`DE: 123…`, `BE (0)123…`).
const fn is_vat_sep(b: u8) -> bool {
    matches!(b, b' ' | b'-' | b'.' | b'/' | b':' | b'(' | b')')
}

/// Copies the non-separator bytes of `value` into `out`, upper-cased.
///
/// Returns the number of bytes written, or `None` if a byte is neither an
/// ASCII letter/digit nor a separator, or if `out` would overflow. `keep`
/// lists extra punctuation that is significant (kept verbatim).
fn compact_into<const N: usize>(
    value: &[u8],
    out: &mut [u8; N],
    sep: fn(u8) -> bool,
    keep: &[u8],
) -> Option<usize> {
    let mut n = 0;
    for &b in value {
        if sep(b) {
            continue;
        }
        if !b.is_ascii_alphanumeric() && !keep.contains(&b) {
            return None;
        }
        *out.get_mut(n)? = b.to_ascii_uppercase();
        n += 1;
    }
    Some(n)
}

/// Extracts exactly `N` digit values (0–9) from `value`, skipping separators.
fn digits<const N: usize>(value: &[u8]) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    let mut n = 0;
    for &b in value {
        if is_sep(b) {
            continue;
        }
        if !b.is_ascii_digit() {
            return None;
        }
        *out.get_mut(n)? = b - b'0';
        n += 1;
    }
    (n == N).then_some(out)
}

/// Extracts exactly `N` alphanumeric characters (upper-cased) from `value`.
fn chars<const N: usize>(value: &[u8]) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    let n = compact_into(value, &mut out, is_sep, &[])?;
    (n == N).then_some(out)
}

/// True if every byte is an ASCII digit.
fn all_digits(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_digit)
}

/// True if every byte is an ASCII upper-case letter.
fn all_upper(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_uppercase)
}

/// Numeric value of digit values (0–9), most significant first.
fn value_of(d: &[u8]) -> u64 {
    d.iter().fold(0, |acc, &x| acc * 10 + u64::from(x))
}

/// Numeric value of ASCII digits, most significant first.
fn ascii_value(s: &[u8]) -> u64 {
    s.iter().fold(0, |acc, &b| acc * 10 + u64::from(b - b'0'))
}

/// Converts ASCII digits into digit values in a fixed buffer.
fn to_digits<const N: usize>(s: &[u8]) -> Option<[u8; N]> {
    if s.len() != N || !all_digits(s) {
        return None;
    }
    let mut out = [0u8; N];
    for (o, &b) in out.iter_mut().zip(s) {
        *o = b - b'0';
    }
    Some(out)
}

/// Weighted sum of digit values.
fn weighted(d: &[u8], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(&x, &w)| u32::from(x) * w).sum()
}

/// Luhn sum over digit values, doubling every second digit from the right:
/// from the rightmost digit itself when `double_last`, else from the next.
fn luhn_sum(d: &[u8], double_last: bool) -> u32 {
    let parity = usize::from(!double_last);
    d.iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == parity {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum()
}

/// Luhn (mod 10) check over digit values, check digit last.
fn luhn_ok(d: &[u8]) -> bool {
    luhn_sum(d, false) % 10 == 0
}

/// Luhn check digit for a payload (check digit not included).
fn luhn_digit(d: &[u8]) -> u8 {
    ((10 - luhn_sum(d, true) % 10) % 10) as u8
}

/// ISO 7064 MOD 11,10 check (German tax ids, Croatian OIB), check digit last.
fn mod11_10_ok(d: &[u8]) -> bool {
    let Some((&check, body)) = d.split_last() else {
        return false;
    };
    let mut p = 10u32;
    for &x in body {
        let mut s = (u32::from(x) + p) % 10;
        if s == 0 {
            s = 10;
        }
        p = (2 * s) % 11;
    }
    (11 - p) % 10 == u32::from(check)
}

/// Gregorian leap-year rule.
const fn is_leap(year: u32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1–12) of `year`.
const fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// True if `year-month-day` is a real calendar date.
const fn valid_date(year: u32, month: u32, day: u32) -> bool {
    day >= 1 && day <= days_in_month(year, month)
}

/// Date check when only the two-digit year is known: 29 February is allowed
/// whenever some century makes the year a leap year.
const fn valid_date_yy(yy: u32, month: u32, day: u32) -> bool {
    valid_date(2000 + yy, month, day)
}

/// Two-digit number from digit values at `i` and `i + 1`.
fn two(d: &[u8], i: usize) -> u32 {
    u32::from(d[i]) * 10 + u32::from(d[i + 1])
}
