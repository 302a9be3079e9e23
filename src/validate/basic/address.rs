//! Postal addresses in a field named for them: the header or key already
//! says "address", so the value only needs an address's shape, whatever
//! the language's street words (`9 Marlow Walk`, `aleja Lipowa 12/4`,
//! `Kastanjedreef 14`, `Flat 4b, 17 Kings Parade`).

/// Values that stand in for an address without being one.
const PLACEHOLDERS: &[&str] = &[
    "n/a",
    "na",
    "none",
    "null",
    "unknown",
    "tbd",
    "tba",
    "same",
    "same as above",
    "see above",
    "redacted",
    "removed",
    "withheld",
    "-",
];

/// A field's value with an address's shape: a number (house, flat or
/// postcode) and a word of three letters or more, two to sixteen words
/// on at most four lines; no `@`, URL, placeholder, prose or host; four
/// letters at least (a phone number, an id or a date has none).
pub fn address_cell(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let text = text.trim();
    let lower = text.to_lowercase();
    let digits = text.bytes().filter(u8::is_ascii_digit).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let named = words
        .iter()
        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3);
    (5..=160).contains(&text.len())
        && (1..=16).contains(&digits)
        && letters >= 4
        && named
        && (2..=16).contains(&words.len())
        && text.lines().count() <= 4
        && !text.contains('@')
        && !lower.contains("://")
        && !lower.contains("www.")
        && !PLACEHOLDERS.contains(&lower.as_str())
        && !words
            .iter()
            .any(|w| PROSE.contains(&w.to_lowercase().as_str()))
        && !words.iter().any(|w| technical(w))
}

/// A host, port or memory address: `127.0.0.1`, `0x7ffd1000`, `db:5432`.
fn technical(word: &str) -> bool {
    let dotted =
        word.split('.').count() >= 4 && word.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let hex = word.len() > 2 && word.is_char_boundary(2) && word[..2].eq_ignore_ascii_case("0x");
    let port = word.split_once(':').is_some_and(|(h, p)| {
        !h.is_empty() && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
    });
    dotted || hex || port || word.eq_ignore_ascii_case("port")
}

/// Words of sentences and code, not of addresses (`address: Fix address
/// translation when …`, `address: An integer representation of …`).
const PROSE: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "when",
    "than",
    "or",
    "if",
    "to",
    "for",
    "with",
    "this",
    "that",
    "which",
    "not",
    "set",
    "fix",
    "list",
    "string",
    "integer",
    "true",
    "false",
    "null",
    "none",
    "returns",
    "return",
    "representing",
    "representation",
    "value",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_any_language_pass() {
        for a in [
            "482 Juniper Hollow Apt. 12",
            "9 Marlow Walk",
            "Flat 4b, 17 Kings Parade",
            "Unit 4410 Box 1187",
            "H.No. 12, Lotus Marg",
            "Travesía del Olmo 14",
            "aleja Lipowa 12/4",
            "Intrarea Teilor nr. 9",
            "Kastanjedreef 14",
            "Björkstigen 7",
            "Anna-Berger-Straße 12",
            "Lindenweg 12-14",
            "12 Elm Row\nLeeds LS1 4AB",
            "An der Alster 12",
            "The Old Rectory, 3 Church Lane",
        ] {
            assert!(address_cell(a.as_bytes()), "{a}");
        }
    }

    #[test]
    fn other_values_do_not() {
        for v in [
            "jane@example.org",
            "https://example.org/a/1",
            "192.0.2.10",
            "+44 20 7946 0958",
            "2024-01-05",
            "Leeds",
            "Main Street",
            "n/a",
            "An integer representation of an IPv4 IP address.",
            "Fix address translation when address-size is greater than 2",
            "set width 0",
            "127.0.0.1 port 8080",
            "0x7ffd1000 in heap 4",
            "12",
            "see the attached form, the customer asked us to update the delivery notes for order 12 \
             and then to call back on Monday about the missing parcel and the refund",
        ] {
            assert!(!address_cell(v.as_bytes()), "{v}");
        }
    }
}
