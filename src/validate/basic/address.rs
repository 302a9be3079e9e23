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
        && !town_line(&words)
        && text.chars().any(char::is_uppercase)
}

/// A street's name with no house number, in a field named for one
/// (ISO 20022 `<StrtNm>`, a `street_name` column): one to six words, the
/// longest of three letters or more, no digit, placeholder, prose or host.
pub fn street_name(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let text = text.trim();
    let lower = text.to_lowercase();
    let words: Vec<&str> = text.split_whitespace().collect();
    let letters = |w: &&str| w.chars().filter(|c| c.is_alphabetic()).count();
    (3..=80).contains(&text.len())
        && (1..=6).contains(&words.len())
        && words.iter().map(letters).max().unwrap_or(0) >= 3
        && text
            .chars()
            .all(|c| c.is_alphabetic() || " .'-".contains(c))
        && !PLACEHOLDERS.contains(&lower.as_str())
        && !words
            .iter()
            .any(|w| PROSE.contains(&w.to_lowercase().as_str()))
}

/// English street types, which end a street and no town.
const STREET_TYPES: &[&str] = &[
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "drive",
    "dr",
    "lane",
    "ln",
    "way",
    "court",
    "ct",
    "boulevard",
    "blvd",
    "place",
    "pl",
    "terrace",
    "circle",
    "cir",
    "parkway",
    "pkwy",
];

/// A postcode and town (`60218 Frankfurt am Main`, `62-093 Poznań`,
/// `3533 DC Utrecht`, `LS20 7UW Leeds`, `587 58 Linköping`): the line under the street, which
/// alone locates no one.
fn town_line(words: &[&str]) -> bool {
    let shape = |w: &str| -> String {
        w.chars()
            .map(|c| match c {
                '0'..='9' => '9',
                'A'..='Z' => 'A',
                _ => c,
            })
            .collect()
    };
    let code: Vec<String> = words.iter().take(2).map(|w| shape(w)).collect();
    let (first, second) = (code[0].as_str(), code.get(1).map_or("", String::as_str));
    let uk_outward = ["A9", "A99", "AA9", "AA99", "A9A", "AA9A"].contains(&first);
    let taken = match () {
        _ if first == "99999" || first == "99-999" => 1,
        _ if first == "9999" && second == "AA" => 2,
        // Sweden's `587 58`.
        _ if first == "999" && second == "99" => 2,
        _ if uk_outward && second == "9AA" => 2,
        _ => return false,
    };
    let rest = &words[taken.min(words.len())..];
    // `12345 Main Street`: a long house number on an American street.
    let street = rest
        .last()
        .is_some_and(|w| STREET_TYPES.contains(&w.trim_end_matches('.').to_lowercase().as_str()));
    !rest.is_empty() && !street && rest.iter().all(|w| !w.bytes().any(|b| b.is_ascii_digit()))
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
    fn street_names_without_numbers() {
        for a in [
            "ul. Sienkiewicza",
            "boulevard du Général Leclerc",
            "Corso Manzoni",
            "Lindenweg",
        ] {
            assert!(street_name(a.as_bytes()), "{a}");
        }
        for v in ["n/a", "12 Main Street", "is set", "a@b", "X"] {
            assert!(!street_name(v.as_bytes()), "{v}");
        }
    }

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
            "6390 Elm Drive",
            "12345 Main Street",
            "Kölner Straße 79, 70684 Stuttgart",
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
            "60218 Frankfurt am Main",
            "62-093 Poznań",
            "3533 DC Utrecht",
            "LS20 7UW Leeds",
            "587 58 Linköping",
            "see the attached form, the customer asked us to update the delivery notes for order 12 \
             and then to call back on Monday about the missing parcel and the refund",
        ] {
            assert!(!address_cell(v.as_bytes()), "{v}");
        }
    }
}
