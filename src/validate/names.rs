//! Person names: capitalised words with a known given name first or a
//! known surname last. The dictionaries (`names/*.txt`) are small and cover
//! the languages of the data; they separate "Anna Kowalska" from "Acme
//! Corporation" once context has said a name is expected.

use std::collections::HashSet;
use std::sync::OnceLock;

fn dictionary(
    cell: &'static OnceLock<HashSet<String>>,
    text: &'static str,
) -> &'static HashSet<String> {
    cell.get_or_init(|| {
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

fn given_names() -> &'static HashSet<String> {
    static CELL: OnceLock<HashSet<String>> = OnceLock::new();
    dictionary(&CELL, include_str!("names/given.txt"))
}

fn surnames() -> &'static HashSet<String> {
    static CELL: OnceLock<HashSet<String>> = OnceLock::new();
    dictionary(&CELL, include_str!("names/surnames.txt"))
}

/// Two to four capitalised (or all upper-case) words, the first a known
/// given name or the last one, two or three a known surname.
pub fn person_name(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let words: Vec<&str> = text.split(' ').collect();
    let shaped = |(i, w): (usize, &&str)| {
        capitalised(w) || (i > 0 && i + 1 < words.len() && PARTICLES.contains(w))
    };
    if !(2..=5).contains(&words.len()) || !words.iter().enumerate().all(shaped) {
        return false;
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    if TITLES.contains(&lower[0].trim_end_matches('.')) {
        return false; // the name starts after the title
    }
    if given_names().contains(&lower[0]) {
        return true;
    }
    (1..lower.len()).any(|from| surnames().contains(&lower[from..].join(" ")))
}

/// Forms of address and labels that precede a name but are not part of it.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "dear",
    "name",
    "herr",
    "frau",
    "monsieur",
    "madame",
    "mademoiselle",
    "mme",
    "señor",
    "señora",
    "sr",
    "sra",
    "signor",
    "signora",
    "sig",
    "dhr",
    "mevr",
    "pan",
    "pani",
    "domnul",
    "doamna",
    "sir",
    "lady",
    "customer",
    "patient",
    "client",
];

/// Lower-case words that belong inside surnames (`van Dijk`, `da Silva`).
const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "del", "della", "dos", "das",
    "ter", "ten", "y", "zu", "af", "av",
];

/// `Anna`, `McDonald`, `O'Brien`, `Müller-Lüdenscheidt`, `ANNA`: an upper-case
/// letter first, letters (and `'` or `-`) after.
fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().count() >= 2
        && chars.all(|c| c.is_alphabetic() || c == '\'' || c == '-' || c == '’')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_need_a_known_first_or_last_name() {
        for ok in [
            "Anna Kowalski",
            "Jean-Pierre Dupont",
            "Mary O'Brien",
            "ANA POP",
            "Lukas Müller",
            "Sanne van Dijk",
            "Łukasz Nowak",
        ] {
            assert!(person_name(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "Herr Lukas Müller",
            "Acme Corporation",
            "New York",
            "anna kowalski",
            "Anna",
            "The Quick Brown Fox Jumps",
            "Anna 2Kowalski",
        ] {
            assert!(!person_name(bad.as_bytes()), "{bad}");
        }
    }
}
