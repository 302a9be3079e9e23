//! Bank accounts: IBAN lengths per country, the mod-97 check, grouping.

/// ISO 13616 IBAN lengths by country (SWIFT IBAN registry).
const IBAN_LENGTHS: &[(&[u8; 2], u8)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

/// An IBAN in print (groups of four) or electronic form: the country's
/// registered length and the ISO 7064 mod-97 check.
pub fn iban(value: &[u8]) -> bool {
    let mut buf = [0u8; 34];
    let mut n = 0;
    for &b in value {
        if b == b' ' || b == b'-' {
            continue;
        }
        if n == buf.len() || !b.is_ascii_alphanumeric() {
            return false;
        }
        buf[n] = b.to_ascii_uppercase();
        n += 1;
    }
    let code = &buf[..n];
    if n < 15 || !iban_grouping(value) {
        return false;
    }
    let country = [code[0], code[1]];
    let Some(&(_, len)) = IBAN_LENGTHS.iter().find(|(c, _)| **c == country) else {
        return false;
    };
    usize::from(len) == n && code[2..4].iter().all(u8::is_ascii_digit) && mod97(code) == 1
}

/// Print form: one separator (space or dash) only between groups of four
/// (the last may be shorter).
fn iban_grouping(value: &[u8]) -> bool {
    let Some(&sep) = value.iter().find(|b| !b.is_ascii_alphanumeric()) else {
        return true;
    };
    let mut groups = value.split(|&b| b == sep).peekable();
    while let Some(g) = groups.next() {
        let last = groups.peek().is_none();
        if g.len() > 4 || g.is_empty() || (!last && g.len() != 4) {
            return false;
        }
    }
    true
}

/// ISO 7064 mod 97-10 of an IBAN (`code` upper-case alphanumeric, at least
/// four characters): the first four characters move to the end and letters
/// count as 10–35.
pub fn mod97(code: &[u8]) -> u32 {
    let rotated = code[4..].iter().chain(&code[..4]);
    rotated.fold(0u32, |acc, &b| {
        if b.is_ascii_digit() {
            (acc * 10 + u32::from(b - b'0')) % 97
        } else {
            (acc * 100 + u32::from(b - b'A' + 10)) % 97
        }
    })
}
