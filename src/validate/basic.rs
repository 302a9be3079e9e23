//! Validators for the first detectors: cards, IBANs, US SSNs, IP addresses,
//! phone numbers and email addresses.

/// Copies the ASCII digits of `value` into `out`; `None` if there are more
/// than `out` can hold. Separators are skipped, anything else is kept out.
#[inline]
pub fn digits_of<const N: usize>(value: &[u8], out: &mut [u8; N]) -> Option<usize> {
    let mut n = 0;
    for &b in value {
        if b.is_ascii_digit() {
            *out.get_mut(n)? = b - b'0';
            n += 1;
        }
    }
    Some(n)
}

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

/// True when every digit is the same (`0000…`, `1111…`): never issued.
fn repeated(digits: &[u8]) -> bool {
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

/// An IPv4 address in dotted-quad form with no leading zeros, that names a
/// host: not unspecified (0.0.0.0), loopback, broadcast or a netmask.
pub fn ipv4(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    if text.split('.').any(|o| o.len() > 1 && o.starts_with('0')) {
        return false;
    }
    let Ok(ip) = text.parse::<std::net::Ipv4Addr>() else {
        return false;
    };
    let o = ip.octets();
    // `2.1.2.2`, `1.8.2.1`: four single digits are a version or a section
    // number far more often than a host (and the few such hosts are public
    // resolvers, not anyone's address).
    let all_single = o.iter().all(|&x| x < 10);
    !(all_single
        || ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_broadcast()
        || o[0] == 255
        || o[3] == 255 && o[0] == 0)
}

/// An IPv6 address (full, compressed or with an IPv4 tail) that names a
/// host, and that cannot be mistaken for a time (`12:30:45`), a MAC address
/// or a code path (`a::b`, `dfa::DFA`, `f16::E`): at least one group has
/// three or more hex digits, there is a decimal digit, and letters are all
/// lower or all upper case.
pub fn ipv6(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let Ok(ip) = text.parse::<std::net::Ipv6Addr>() else {
        return false;
    };
    let wide_group = text.split([':', '.']).any(|g| g.len() >= 3);
    let prefix_only = text.ends_with("::");
    let digit = value.iter().any(u8::is_ascii_digit);
    wide_group
        && one_case(value)
        && digit
        && !prefix_only
        && !ip.is_unspecified()
        && !ip.is_loopback()
}

/// A MAC address as software prints it: letters all in one case, and not
/// decimal groups that count (`01:02:03:04:05:06` is a timecode or a
/// placeholder; groups with hex letters are not counted).
pub fn mac(value: &[u8]) -> bool {
    one_case(value) && !placeholder_groups(value)
}

/// Letters all lower or all upper case, as software prints hex.
fn one_case(value: &[u8]) -> bool {
    !(value.iter().any(u8::is_ascii_lowercase) && value.iter().any(u8::is_ascii_uppercase))
}

/// A phone number: 8 to 15 digits (E.164), at most three kinds of
/// separator, not a date, a decimal number, a run of one repeated digit or
/// a placeholder (see [`placeholder_groups`]).
pub fn phone(value: &[u8]) -> bool {
    let mut d = [0u8; 15];
    let Some(n) = digits_of(value, &mut d) else {
        return false;
    };
    let national = value.first() == Some(&b'0') && value.get(1) != Some(&b'0');
    let min = if national { 9 } else { 8 };
    // After a `00` international prefix comes a country code, never 0.
    let country_code = !(d[0] == 0 && d[1] == 0 && d[2] == 0);
    n >= min
        && country_code
        && !repeated(&d[..n])
        && !placeholder_groups(value)
        && !starts_like_date(value)
        && !decimal(value)
        && separators_regular(value)
}

/// Groups no one is given: four or more of equal width that count up or
/// down or repeat a pair (`01 02 03 04 05 06`, `08 07 06 05`,
/// `01 02 01 02 01 02`), as byte dumps and numbered lists print them, or
/// groups each of one repeated digit (`111-222-3333`).
fn placeholder_groups(value: &[u8]) -> bool {
    let runs: Vec<&[u8]> = value
        .split(|b| !b.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let one_digit_each = runs
        .iter()
        .all(|g| g.len() >= 2 && g.iter().all(|&d| d == g[0]));
    if runs.len() >= 2 && one_digit_each {
        return true;
    }
    // Equal widths of at most four digits: the values fit any integer.
    let width = runs.first().map_or(0, |g| g.len());
    if runs.len() < 4 || width > 4 || runs.iter().any(|g| g.len() != width) {
        return false;
    }
    let groups: Vec<i32> = runs
        .iter()
        .map(|g| g.iter().fold(0, |a, &x| a * 10 + i32::from(x - b'0')))
        .collect();
    let stepping = |step: i32| groups.windows(2).all(|w| w[1] - w[0] == step);
    let pairs = groups.windows(3).all(|w| w[0] == w[2]);
    stepping(1) || stepping(-1) || pairs
}

/// `+35236450.6`: one dot, before a last group of one or two digits.
fn decimal(value: &[u8]) -> bool {
    let dots = value.iter().filter(|&&b| b == b'.').count();
    let tail = value
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    dots == 1 && (1..=2).contains(&tail) && value[value.len() - tail - 1] == b'.'
}

/// A North American number: area code and exchange start with 2–9 and are
/// not N11 service codes (211, 411, 911, …).
pub fn nanp(value: &[u8]) -> bool {
    let mut d = [0u8; 11];
    let Some(n) = digits_of(value, &mut d) else {
        return false;
    };
    let d = if n == 11 && d[0] == 1 {
        &d[1..11]
    } else {
        &d[..n]
    };
    d.len() == 10
        && d[0] >= 2
        && d[3] >= 2
        && !(d[1] == 1 && d[2] == 1)
        && !(d[4] == 1 && d[5] == 1)
        && separators_regular(value)
}

/// A date at the start: `DD.MM.YYYY`, `DD/MM/YY`, `YYYY-MM-DD` and the like,
/// three digit groups with one separator that does not go on to a fourth
/// group (`06.12.34.56.78` is a phone number, `06.12.2034` a date).
fn starts_like_date(value: &[u8]) -> bool {
    // (digits, separator after) for the first four groups.
    let mut runs = [(0usize, 0u8); 4];
    let mut n = 0;
    for &b in value {
        if b.is_ascii_digit() {
            runs[n].0 += 1;
        } else {
            runs[n].1 = b;
            n += 1;
            if n == runs.len() {
                break;
            }
        }
    }
    let [(a, s1), (b, s2), (c, s3), _] = runs;
    let date_sep = matches!(s1, b'.' | b'/' | b'-') && s1 == s2 && s3 != s1;
    let shape = matches!(
        (a, b, c),
        (2, 2, 4) | (2, 2, 2) | (4, 2, 2) | (1, 1, 4) | (1, 2, 4) | (2, 1, 4)
    );
    date_sep && shape
}

/// Separators are spaces, dashes, dots or parentheses, never doubled, and
/// dots are not mixed with dashes.
fn separators_regular(value: &[u8]) -> bool {
    let (mut dot, mut dash) = (false, false);
    let mut prev_sep = false;
    for &b in value {
        let sep = matches!(b, b' ' | b'-' | b'.');
        if sep && prev_sep {
            return false;
        }
        prev_sep = sep;
        dot |= b == b'.';
        dash |= b == b'-';
    }
    !(dot && dash)
}

/// An email address: RFC 5321 dot-atom local part (at most 64 bytes, no
/// leading, trailing or doubled dots), a domain of at most 253 bytes whose
/// labels (UTF-8 letters allowed) neither start nor end with `-`, and a
/// top-level domain of letters or an `xn--` label.
pub fn email(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    if !local_ok || domain.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || is_mark(c))
    };
    let Some(tld) = labels.last() else {
        return false;
    };
    let tld_ok = tld.starts_with("xn--")
        || (tld.chars().count() >= 2
            && tld.chars().all(char::is_alphabetic)
            && !FILE_EXTENSIONS.contains(&tld.to_ascii_lowercase().as_str()));
    labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok
}

/// An [`email`] whose `@` is percent-encoded (`%40`).
pub fn email_encoded(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    email(text.replacen("%40", "@", 1).as_bytes())
}

/// File extensions that are not top-level domains: `logo@2x.png` and
/// `hero@3x.webp` name images, not mailboxes.
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "heic", "css",
    "scss", "js", "mjs", "jsx", "tsx", "json", "html", "htm", "xml", "txt", "pdf", "woff", "woff2",
    "ttf", "otf", "eot", "mp3", "wav", "ogg", "webm", "yml", "yaml", "toml", "ini", "cfg", "csv",
    "lock", "bak", "tmp", "swp", "exe", "dll",
];

/// Combining marks appear inside internationalised domain labels.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0DFF | 0x3099..=0x309A)
}

/// A date of birth: a real calendar date (day-month-year, month-day-year or
/// year-month-day; two-digit years read as the most recent past) whose year
/// makes an age from 0 to 120.
pub fn birth_date(value: &[u8]) -> bool {
    let mut parts = [0u32; 3];
    let mut widths = [0usize; 3];
    let mut n = 0;
    for group in value
        .split(|b| !b.is_ascii_digit())
        .filter(|g| !g.is_empty())
    {
        if n == 3 || group.len() > 4 {
            return false;
        }
        parts[n] = group.iter().fold(0, |a, &d| a * 10 + u32::from(d - b'0'));
        widths[n] = group.len();
        n += 1;
    }
    if n != 3 {
        return false;
    }
    let this_year = current_year();
    let full_year = |y: u32, width: usize| match width {
        4 => Some(y),
        2 if 2000 + y <= this_year => Some(2000 + y),
        2 => Some(1900 + y),
        _ => None,
    };
    let plausible =
        |y: u32, m: u32, d: u32| y + 120 >= this_year && y <= this_year && is_date(y, m, d);
    let [a, b, c] = parts;
    if widths[0] == 4 {
        return plausible(a, b, c);
    }
    if widths[2] == 2 && (widths[0] == 1 || widths[1] == 1) {
        return false; // `3.24.26` is a version string, not a date
    }
    let Some(year) = full_year(c, widths[2]) else {
        return false;
    };
    plausible(year, b, a) || plausible(year, a, b)
}

/// A date of birth written with the month's name, in any of the languages
/// of the context words: `March 15, 1985`, `15th Mar 1985`, `15-MAR-1985`,
/// `15. März 1985`, `3 de mayo de 1988`, `5 października 1983`; a real
/// calendar date and a plausible age.
pub fn birth_date_text(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "de" && *w != "del")
        .collect();
    let [a, b, c] = words[..] else {
        return false;
    };
    let (day, month) = match (month_number(a), month_number(b)) {
        (Some(m), None) => (b, m),
        (None, Some(m)) => (a, m),
        _ => return false,
    };
    let day = day.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h', 'e']);
    let (Ok(day), Ok(year)) = (day.parse::<u32>(), c.parse::<u32>()) else {
        return false;
    };
    let this_year = current_year();
    year + 120 >= this_year && year <= this_year && is_date(year, month, day)
}

/// The month a name or abbreviation (lower case, no dot) stands for.
fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &[
            "january", "jan", "janvier", "janv", "januar", "jän", "jänner", "enero", "ene",
            "gennaio", "gen", "januari", "stycznia", "styczeń", "janeiro", "ianuarie",
        ],
        &[
            "february",
            "feb",
            "février",
            "fevrier",
            "févr",
            "fevr",
            "februar",
            "febrero",
            "febbraio",
            "februari",
            "lutego",
            "luty",
            "fevereiro",
            "februarie",
        ],
        &[
            "march", "mar", "mars", "märz", "maerz", "mrz", "marzo", "maart", "mrt", "marca",
            "marzec", "março", "marco", "martie",
        ],
        &[
            "april",
            "apr",
            "avril",
            "avr",
            "abril",
            "abr",
            "aprile",
            "kwietnia",
            "kwiecień",
            "aprilie",
        ],
        &[
            "may", "mai", "mayo", "maggio", "mag", "mei", "maja", "maj", "maio",
        ],
        &[
            "june", "jun", "juin", "juni", "junio", "giugno", "giu", "czerwca", "czerwiec",
            "junho", "iunie",
        ],
        &[
            "july", "jul", "juillet", "juil", "juli", "julio", "luglio", "lug", "lipca", "lipiec",
            "julho", "iulie",
        ],
        &[
            "august",
            "aug",
            "août",
            "aout",
            "agosto",
            "ago",
            "augustus",
            "sierpnia",
            "sierpień",
            "augusti",
        ],
        &[
            "september",
            "sep",
            "sept",
            "septembre",
            "septiembre",
            "setiembre",
            "settembre",
            "set",
            "września",
            "wrzesień",
            "setembro",
            "septembrie",
        ],
        &[
            "october",
            "oct",
            "octobre",
            "oktober",
            "okt",
            "octubre",
            "ottobre",
            "ott",
            "października",
            "październik",
            "outubro",
            "octombrie",
        ],
        &[
            "november",
            "nov",
            "novembre",
            "noviembre",
            "listopada",
            "listopad",
            "novembro",
            "noiembrie",
        ],
        &[
            "december",
            "dec",
            "décembre",
            "decembre",
            "déc",
            "dezember",
            "dez",
            "diciembre",
            "dic",
            "dicembre",
            "grudnia",
            "grudzień",
            "dezembro",
            "decembrie",
        ],
    ];
    (1..=12)
        .zip(MONTHS)
        .find_map(|(n, names)| names.contains(&word).then_some(n))
}

/// A real calendar date (Gregorian leap years).
fn is_date(year: u32, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The current year (UTC), from the system clock.
fn current_year() -> u32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // 365.2425 days a year is exact enough for a year number.
    1970 + (secs / 31_556_952) as u32
}

/// A URL that carries a real password (`scheme://user:secret@host`), not a
/// placeholder such as `password`, `xxx`, `${DB_PASS}` or `<password>`.
pub fn url_password(value: &[u8]) -> bool {
    let Some(scheme_end) = find(value, b"://") else {
        return false;
    };
    let rest = &value[scheme_end + 3..];
    let Some(at) = rest.iter().rposition(|&b| b == b'@') else {
        return false;
    };
    let userinfo = &rest[..at];
    if userinfo.contains(&b'/') {
        return false; // the `@` is in the path, not in the authority
    }
    let Some(colon) = userinfo.iter().position(|&b| b == b':') else {
        return false;
    };
    let password = &userinfo[colon + 1..];
    let lower: Vec<u8> = password.to_ascii_lowercase();
    let placeholder = matches!(
        lower.as_slice(),
        b"password"
            | b"passwd"
            | b"pass"
            | b"pwd"
            | b"secret"
            | b"changeme"
            | b"example"
            | b"user"
            | b"test"
    ) || password
        .iter()
        .all(|&b| b == b'*' || b == b'x' || b == b'X' || b == b'.')
        || matches!(password.first(), Some(b'$' | b'<' | b'{' | b'%'));
    !password.is_empty() && !placeholder
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cards() {
        for ok in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "5555-5555-5555-4444",
            "2223000048400011",
            "378282246310005",
            "3782 822463 10005",
            "6011111111111117",
            "3566002020360505",
            "30569309025904",
            "6200000000000005",
            "2200844853180763",
            "6363686752044861",
            "6062820124992523",
            "4222222222222",
        ] {
            assert!(card(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "4111111111111112",
            "4111 1111-1111 1111",
            "41111 11111 11111 1",
            "1234567812345670",
            "0000000000000000",
            "9111111111111111",
            "5105 1051 0510 510",
            "4035817839709",
        ] {
            assert!(!card(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn birth_dates_with_month_names() {
        for ok in [
            "March 15, 1985",
            "15th Mar 1985",
            "15-MAR-1985",
            "15. März 1985",
            "3 de mayo de 1988",
            "1er mars 1985",
            "29 februari 2000",
        ] {
            assert!(birth_date_text(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "February 30, 1985",
            "15 Mar 1850",
            "15 Mar 2999",
            "15 Dragons 1985",
            "29 februari 1900",
        ] {
            assert!(!birth_date_text(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn brands() {
        let brand = |s: &str| card_brand(&s.bytes().map(|b| b - b'0').collect::<Vec<_>>());
        assert_eq!(brand("2720990000000005"), Some(CardBrand::Mastercard));
        assert_eq!(brand("2721000000000000"), None);
        assert_eq!(brand("371449635398431"), Some(CardBrand::Amex));
        assert_eq!(brand("6304000000000000"), Some(CardBrand::Maestro));
        assert_eq!(brand("36227206271667"), Some(CardBrand::Diners));
    }

    #[test]
    fn ibans() {
        for ok in [
            "DE89370400440532013000",
            "DE89 3704 0044 0532 0130 00",
            "GB82 WEST 1234 5698 7654 32",
            "FR1420041010050500013M02606",
            "NL91ABNA0417164300",
            "be68539007547034",
        ] {
            assert!(iban(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "DE89370400440532013001",
            "DE8937040044053201300",
            "XX89370400440532013000",
            "DE89 37040 044 0532 0130 00",
            "GB82WEST12345698765433",
        ] {
            assert!(!iban(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn ssns() {
        assert!(us_ssn(b"536-22-1234"));
        assert!(us_ssn(b"536221234"));
        for bad in [
            "000-12-1234",
            "666-12-1234",
            "900-12-1234",
            "536-00-1234",
            "536-22-0000",
            "536-22 1234",
            "078-05-1120",
        ] {
            assert!(!us_ssn(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn ips() {
        assert!(ipv4(b"192.0.2.10"));
        assert!(ipv4(b"10.0.0.1"));
        for bad in [
            "256.1.1.1",
            "01.2.3.4",
            "127.0.0.1",
            "0.0.0.0",
            "255.255.255.0",
            "1.2.3",
        ] {
            assert!(!ipv4(bad.as_bytes()), "{bad}");
        }
        for ok in [
            "2001:db8::1",
            "fe80::1ff:fe23:4567:890a",
            "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            "::ffff:192.0.2.128",
        ] {
            assert!(ipv6(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "12:30:45",
            "::1",
            "::",
            "a::b",
            "00:1a:2b:3c:4d:5e",
            "1:2:3",
        ] {
            assert!(!ipv6(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn phones() {
        for ok in [
            "+33 6 12 34 56 78",
            "+14155552671",
            "06 12 34 56 78",
            "030 12345678",
            "+44 20 7946 0958",
            "0049 30 1234567",
        ] {
            assert!(phone(ok.as_bytes()), "{ok}");
        }
        assert!(phone(b"06.12.34.56.78"));
        for bad in [
            "01.02.2023",
            "2023-01-15",
            "01-02-2023 12",
            "+1 234",
            "0000000000",
            "06-12.34.56.78",
            "06  12 34 56 78",
        ] {
            assert!(!phone(bad.as_bytes()), "{bad}");
        }
        assert!(nanp(b"(415) 555-2671"));
        assert!(nanp(b"415-555-2671"));
        assert!(!nanp(b"115-555-2671"));
        assert!(!nanp(b"415-155-2671"));
        assert!(!nanp(b"911-555-2671"));
    }

    #[test]
    fn birth_dates() {
        for ok in [
            "15/03/1985",
            "03/15/1985",
            "1985-03-15",
            "15.03.85",
            "29/02/2000",
            "1 7 1950",
        ] {
            assert!(birth_date(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "31/02/1985",
            "15/13/1985",
            "15/03/1850",
            "15/03/2999",
            "29/02/1900",
            "2024-13-01",
            "12/12",
        ] {
            assert!(!birth_date(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn url_passwords() {
        assert!(url_password(
            b"postgres://app:Zq8-kLp2x@db.example.com:5432/app"
        ));
        for bad in [
            "https://user:password@example.com",
            "https://user:${DB_PASS}@example.com",
            "ftp://anonymous@example.com",
            "https://u:****@example.com",
            "https://example.com/a:b@c",
        ] {
            assert!(!url_password(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn emails() {
        for ok in [
            "ana@example.ro",
            "first.last+tag@mail.example.co.uk",
            "jörg@bücher.de",
            "x@xn--bcher-kva.de",
        ] {
            assert!(email(ok.as_bytes()), "{ok}");
        }
        for bad in [
            ".a@example.com",
            "a.@example.com",
            "a..b@example.com",
            "a@-x.com",
            "a@x-.com",
            "a@example",
            "a@example.c0m",
            "a@example.c",
        ] {
            assert!(!email(bad.as_bytes()), "{bad}");
        }
    }

    /// Appends the Luhn check digit, computed the schoolbook way.
    fn with_luhn_digit(payload: &[u8]) -> Vec<u8> {
        let mut total = 0;
        for (i, d) in payload.iter().rev().enumerate() {
            let v = if i % 2 == 0 {
                [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][*d as usize]
            } else {
                *d
            };
            total += v as u32;
        }
        let check = ((10 - total % 10) % 10) as u8;
        payload
            .iter()
            .chain(std::iter::once(&check))
            .map(|d| d + b'0')
            .collect()
    }

    /// An IBAN built by computing its check digits with big-integer-free
    /// string arithmetic, independently of `mod97`.
    fn make_iban(country: &str, bban: &str) -> String {
        let numeric: String = format!("{bban}{country}00")
            .chars()
            .map(|c| c.to_digit(36).unwrap().to_string())
            .collect();
        let rem = numeric
            .bytes()
            .fold(0u64, |r, b| (r * 10 + u64::from(b - b'0')) % 97);
        format!("{country}{:02}{bban}", 98 - rem)
    }

    proptest! {
        #[test]
        fn luhn_accepts_constructed(payload in proptest::collection::vec(0u8..10, 12..18)) {
            let number = with_luhn_digit(&payload);
            prop_assert!(luhn(&number));
            let mut broken = number.clone();
            let last = broken.len() - 1;
            broken[last] = b'0' + (broken[last] - b'0' + 1) % 10;
            prop_assert!(!luhn(&broken));
        }

        #[test]
        fn iban_accepts_constructed(bban in "[0-9]{18}") {
            let code = make_iban("DE", &bban);
            prop_assert!(iban(code.as_bytes()), "{}", code);
            let mut broken = code.into_bytes();
            broken[10] = if broken[10] == b'9' { b'0' } else { broken[10] + 1 };
            prop_assert!(!iban(&broken));
        }

        #[test]
        fn gb_iban_with_letters(bank in "[A-Z]{4}", account in "[0-9]{14}") {
            let code = make_iban("GB", &format!("{bank}{account}"));
            prop_assert!(iban(code.as_bytes()), "{}", code);
        }
    }
}
