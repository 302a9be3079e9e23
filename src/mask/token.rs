//! Format-preserving tokens (`tokenize`), by a documented construction
//! rather than a cipher: each letter or digit of the value is replaced by
//! one of its own class (digit, upper-case or lower-case letter) drawn from
//! the value's keyed fingerprint (HMAC-SHA256 of kind and normalised
//! value, so the same value gives the same token under the same key, and
//! the key is needed to link a token to a value); separators stay. Then
//! the checksum a validator downstream will look for is made right again:
//! a card keeps its first six digits (its issuer, which PCI DSS allows to
//! show) and its last digit passes Luhn, an IBAN keeps its country and
//! gets check digits that pass mod-97, an IPv4 address's numbers stay
//! under 256, a numeric date stays a real date in the same order (a
//! year from 1930 to 2005; where day and month could be either way round,
//! both under 13), so a typed column still takes it. Tokens are not
//! reversible.

/// The token of `value`, a `kind` value whose keyed fingerprint (hex) is
/// `fingerprint`.
pub fn tokenize(kind: &str, value: &str, fingerprint: &str) -> String {
    let hex: Vec<u8> = fingerprint
        .bytes()
        .filter_map(|b| (b as char).to_digit(16).map(|d| d as u8))
        .collect();
    if hex.is_empty() {
        return value.chars().map(|_| '*').collect();
    }
    let mut out: Vec<char> = Vec::with_capacity(value.len());
    let mut n = 0usize;
    for c in value.chars() {
        if !c.is_alphanumeric() {
            out.push(c);
            continue;
        }
        // Two hex digits a character, and a shift each time the digits
        // come round again, so long values do not repeat.
        let pair = 16 * hex[(2 * n) % hex.len()] + hex[(2 * n + 1) % hex.len()];
        let b = usize::from(pair) + 37 * (2 * n / hex.len());
        n += 1;
        out.push(if c.is_ascii_digit() || c.is_numeric() {
            char::from(b'0' + (b % 10) as u8)
        } else if c.is_uppercase() {
            char::from(b'A' + (b % 26) as u8)
        } else {
            char::from(b'a' + (b % 26) as u8)
        });
    }
    match kind {
        "credit_card" => {
            keep_issuer(value, &mut out);
            fix_luhn(&mut out);
        }
        "iban" => fix_iban(value, &mut out),
        "ip_address" if value.contains('.') => return ipv4(&out),
        "date_of_birth" => {
            if let Some(date) = date(value, &hex) {
                return date;
            }
        }
        _ => {}
    }
    out.into_iter().collect()
}

/// A numeric date (`1985-03-15`, `15/03/1985`, `03.15.85`) as another
/// real date drawn from the fingerprint's `hex` digits, its three numbers
/// in the same order and widths; `None` for any other shape.
fn date(value: &str, hex: &[u8]) -> Option<String> {
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (i, c) in value.char_indices() {
        match (c.is_ascii_digit(), groups.last_mut()) {
            (true, Some(g)) if g.1 == i => g.1 = i + 1,
            (true, _) => groups.push((i, i + 1)),
            (false, _) if c.is_alphanumeric() => return None,
            (false, _) => {}
        }
    }
    let [a, b, c] = <[(usize, usize); 3]>::try_from(groups).ok()?;
    let number = |g: (usize, usize)| value[g.0..g.1].parse::<u32>().ok();
    let h = hex
        .iter()
        .take(12)
        .fold(0u64, |n, &d| n * 16 + u64::from(d));
    let year = 1930 + (h % 76) as u32;
    let month = 1 + (h / 76 % 12) as u32;
    let (day_first, month_first) = (number(a)? > 12, number(b)? > 12);
    let year_first = a.1 - a.0 == 4;
    // Where the day may be either of two numbers, both stay under 13.
    let ambiguous = !year_first && !day_first && !month_first;
    let day = 1 + (h / 912 % if ambiguous { 12 } else { 28 }) as u32;
    let [first, second, third] = match (year_first, day_first) {
        (true, _) => [year, month, day],
        (false, true) => [day, month, year],
        (false, false) => [month, day, year],
    };
    let mut out = String::with_capacity(value.len());
    let mut at = 0;
    for (g, n) in [(a, first), (b, second), (c, third)] {
        out.push_str(&value[at..g.0]);
        let width = g.1 - g.0;
        let n = if width == 2 { n % 100 } else { n };
        out.push_str(&format!("{n:0width$}"));
        at = g.1;
    }
    out.push_str(&value[at..]);
    Some(out)
}

/// Puts back a card's first six digits.
fn keep_issuer(original: &str, chars: &mut [char]) {
    let issuer = original.chars().filter(char::is_ascii_digit).take(6);
    let digits = (0..chars.len()).filter(|&i| chars[i].is_ascii_digit());
    for (at, d) in digits.zip(issuer).collect::<Vec<_>>() {
        chars[at] = d;
    }
}

/// Each number of a dotted address brought under 256.
fn ipv4(chars: &[char]) -> String {
    let text: String = chars.iter().collect();
    text.split('.')
        .map(|part| match part.parse::<u32>() {
            Ok(n) => (n % 256).to_string(),
            Err(_) => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Sets the last digit so that the digits pass Luhn: the one of ten that
/// the scan's own validator accepts.
fn fix_luhn(chars: &mut [char]) {
    let Some(last) = chars.iter().rposition(char::is_ascii_digit) else {
        return;
    };
    for d in '0'..='9' {
        chars[last] = d;
        let digits: String = chars.iter().filter(|c| c.is_ascii_digit()).collect();
        if crate::validate::luhn(digits.as_bytes()) {
            return;
        }
    }
}

/// Keeps the IBAN's country and sets its check digits: the pair of a
/// hundred that the scan's own validator (mod-97) accepts.
fn fix_iban(original: &str, chars: &mut [char]) {
    let positions: Vec<usize> = (0..chars.len())
        .filter(|&i| chars[i].is_alphanumeric())
        .collect();
    let letters: Vec<char> = original.chars().filter(|c| c.is_alphanumeric()).collect();
    if positions.len() < 5 || letters.len() != positions.len() {
        return;
    }
    chars[positions[0]] = letters[0].to_ascii_uppercase();
    chars[positions[1]] = letters[1].to_ascii_uppercase();
    for check in 0..100u32 {
        chars[positions[2]] = char::from_digit(check / 10, 10).unwrap_or('0');
        chars[positions[3]] = char::from_digit(check % 10, 10).unwrap_or('0');
        let compact: String = positions
            .iter()
            .map(|&i| chars[i].to_ascii_uppercase())
            .collect();
        if crate::validate::iban(compact.as_bytes()) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{iban, luhn};

    const FP: &str = "3f2a9c0d1b7e4f6a8c5d2e9b0a1f3c7d";

    #[test]
    fn a_token_keeps_classes_and_separators_and_depends_on_the_fingerprint() {
        let t = tokenize("phone", "+40 721-234 567", FP);
        assert_eq!(t.len(), "+40 721-234 567".len());
        assert!(t.starts_with('+') && &t[3..4] == " " && &t[7..8] == "-");
        assert!(t.chars().filter(|c| c.is_ascii_digit()).count() == 11);
        assert_ne!(t, "+40 721-234 567");
        assert_ne!(
            t,
            tokenize(
                "phone",
                "+40 721-234 567",
                "0000000000000000000000000000000f"
            )
        );
        let name = tokenize("person_name", "Ana Pop", FP);
        assert!(name.chars().next().unwrap().is_ascii_uppercase() && &name[3..4] == " ");
    }

    #[test]
    fn dates_stay_real_dates_in_their_order() {
        let fps = [
            "0123456789abcdef0123456789abcdef",
            FP,
            "ffffffffffffffffffffffffffffffff",
        ];
        for fp in fps {
            let iso = tokenize("date_of_birth", "1985-03-15", fp);
            let (y, m, d) = (&iso[..4], &iso[5..7], &iso[8..]);
            assert!((1930..=2005).contains(&y.parse::<u32>().unwrap()), "{iso}");
            assert!((1..=12).contains(&m.parse::<u32>().unwrap()), "{iso}");
            assert!((1..=28).contains(&d.parse::<u32>().unwrap()), "{iso}");
            assert_eq!(&iso[4..5], "-");
            // Day first (the day was over 12): the day may reach 28.
            let eu = tokenize("date_of_birth", "15/03/1985", fp);
            assert!((1..=28).contains(&eu[..2].parse::<u32>().unwrap()), "{eu}");
            assert!((1..=12).contains(&eu[3..5].parse::<u32>().unwrap()), "{eu}");
            // Either way round: both under 13, so either reading is a date.
            let either = tokenize("date_of_birth", "03.04.85", fp);
            assert_eq!(either.len(), 8);
            assert!(either[..2].parse::<u32>().unwrap() <= 12, "{either}");
            assert!(either[3..5].parse::<u32>().unwrap() <= 12, "{either}");
        }
        // A month name is not a numeric date: a token of the same shape.
        let named = tokenize("date_of_birth", "15 March 1985", FP);
        assert_eq!(named.len(), "15 March 1985".len());
    }

    #[test]
    fn cards_pass_luhn_and_ibans_mod_97() {
        for fp in [
            FP,
            "0123456789abcdef0123456789abcdef",
            "ffffffffffffffffffffffffffffffff",
        ] {
            let card = tokenize("credit_card", "4539 1488 0343 6467", fp);
            let digits: String = card.chars().filter(char::is_ascii_digit).collect();
            assert!(luhn(digits.as_bytes()), "{card}");
            assert_eq!(card.len(), 19);
            assert!(card.starts_with("4539 14"), "the issuer stays: {card}");
            let ip = tokenize("ip_address", "203.0.113.45", fp);
            assert!(
                ip.split('.').all(|n| n.parse::<u32>().unwrap() < 256),
                "{ip}"
            );
            let token = tokenize("iban", "RO22 RNCB 0082 0045 3023 0001", fp);
            let compact: String = token.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                compact.starts_with("RO") && iban(compact.as_bytes()),
                "{token}"
            );
        }
    }
}
