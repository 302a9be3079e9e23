//! Payment cards: Luhn, brand ranges, grouping.

use super::*;

/// The Luhn (mod 10) check over the digits of `value`; separators ignored.
pub fn luhn(value: &[u8]) -> bool {
    let mut sum = 0u32;
    let mut n = 0usize;
    for &b in value.iter().rev() {
        if !b.is_ascii_digit() {
            continue;
        }
        let mut d = u32::from(b - b'0');
        if n % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
        n += 1;
    }
    n > 1 && sum % 10 == 0
}

/// A payment card number: consistent grouping, a known brand's IIN range
/// and length, and the Luhn check.
pub fn card(value: &[u8]) -> bool {
    let mut d = [0u8; 19];
    let Some(n) = digits_of(value, &mut d) else {
        return false;
    };
    card_grouping(value) && card_brand(&d[..n]).is_some() && luhn(value) && !repeated(&d[..n])
}

/// A 13-digit Visa number that is also a valid EAN-13 barcode: `card`
/// leaves it to barcodes, a rule that needs a card label takes it.
pub fn visa_or_barcode(value: &[u8]) -> bool {
    let mut d = [0u8; 19];
    let Some(n) = digits_of(value, &mut d) else {
        return false;
    };
    let d = &d[..n];
    n == 13 && d[0] == 4 && ean13(d) && card_grouping(value) && luhn(value) && !repeated(d)
}

/// True when every digit is the same (`0000…`, `1111…`): never issued.
pub(super) fn repeated(digits: &[u8]) -> bool {
    digits.windows(2).all(|w| w[0] == w[1])
}

/// Separators must be one character used throughout, and the groups must be
/// a printed layout: 4-4-4-4(-1..3), 4-4-4-1..4, 4-6-5 (Amex) or 4-6-4
/// (Diners).
fn card_grouping(value: &[u8]) -> bool {
    let mut groups = [0usize; 8];
    let mut count = 0;
    let mut sep = None;
    for &b in value {
        if b.is_ascii_digit() {
            if count == 0 {
                count = 1;
            }
            groups[count - 1] += 1;
        } else {
            if *sep.get_or_insert(b) != b || count >= groups.len() {
                return false;
            }
            count += 1;
        }
    }
    let g = &groups[..count];
    match g {
        [_] => true,
        [4, 6, 5] | [4, 6, 4] => true,
        [4, 4, 4, last] => (1..=4).contains(last),
        [4, 4, 4, 4, last] => (1..=3).contains(last),
        _ => false,
    }
}

/// Payment card brands recognised by their issuer identification number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardBrand {
    /// Visa: 4, 13/16/19 digits (13 only when the number is not also a
    /// valid EAN-13 barcode: German product codes start with 40–44).
    Visa,
    /// Mastercard: 51–55 and 2221–2720, 16 digits.
    Mastercard,
    /// American Express: 34, 37, 15 digits.
    Amex,
    /// Discover: 6011, 644–649, 65, 622126–622925, 16–19 digits.
    Discover,
    /// JCB: 3528–3589, 16–19 digits.
    Jcb,
    /// Diners Club: 300–305, 3095, 36, 38–39, 14–19 digits.
    Diners,
    /// UnionPay: 62, 81, 16–19 digits.
    UnionPay,
    /// Maestro: 5018, 5020, 5038, 5893, 6304, 6759, 6761–6763, 12–19 digits.
    Maestro,
    /// Mir: 2200–2204, 16–19 digits.
    Mir,
    /// Elo (ranges outside Visa's and Discover's): 5041, 5066–5067, 509,
    /// 6277, 6362–6363, 16 digits.
    Elo,
    /// Hipercard: 606282, 3841, 16–19 digits.
    Hipercard,
}

/// The GS1 check of a 13-digit barcode (weights 1, 3, 1, 3, …).
fn ean13(digits: &[u8]) -> bool {
    let weighted: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, &d)| u32::from(d) * if i % 2 == 1 { 3 } else { 1 })
        .sum();
    digits.len() == 13 && weighted % 10 == 0
}

/// The brand whose IIN range and length `digits` (values 0–9) fit.
pub fn card_brand(digits: &[u8]) -> Option<CardBrand> {
    use CardBrand::*;
    let len = digits.len();
    let prefix = |k: usize| {
        digits[..k.min(len)]
            .iter()
            .fold(0u32, |a, &d| a * 10 + u32::from(d))
    };
    let (p1, p2, p3, p4, p6) = (prefix(1), prefix(2), prefix(3), prefix(4), prefix(6));
    let brand = if p1 == 4 && (matches!(len, 16 | 19) || (len == 13 && !ean13(digits))) {
        Visa
    } else if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16 {
        Mastercard
    } else if (p2 == 34 || p2 == 37) && len == 15 {
        Amex
    } else if (2200..=2204).contains(&p4) && (16..=19).contains(&len) {
        Mir
    } else if (matches!(p4, 5041 | 5066 | 5067 | 6277 | 6362 | 6363) || p3 == 509) && len == 16 {
        Elo
    } else if (p6 == 606282 || p4 == 3841) && (16..=19).contains(&len) {
        // Before Diners (38) and UnionPay (62), whose ranges hold these.
        Hipercard
    } else if (p4 == 6011
        || (644..=649).contains(&p3)
        || p2 == 65
        || (622126..=622925).contains(&p6))
        && (16..=19).contains(&len)
    {
        Discover
    } else if (3528..=3589).contains(&p4) && (16..=19).contains(&len) {
        Jcb
    } else if ((300..=305).contains(&p3) || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39)
        && (14..=19).contains(&len)
    {
        Diners
    } else if (p2 == 62 || p2 == 81) && (16..=19).contains(&len) {
        UnionPay
    } else if matches!(
        p4,
        5018 | 5020 | 5038 | 5893 | 6304 | 6759 | 6761 | 6762 | 6763
    ) && (12..=19).contains(&len)
    {
        Maestro
    } else {
        return None;
    };
    Some(brand)
}
