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
    let shaped =
        |(i, w): (usize, &&str)| capitalised(w) || (i > 0 && i + 1 < words.len() && is_particle(w));
    if !(2..=5).contains(&words.len()) || !words.iter().enumerate().all(shaped) {
        return false;
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    if is_title(lower[0].trim_end_matches('.')) {
        return false; // the name starts after the title
    }
    if lower.iter().any(|w| not_a_person(w)) {
        return false; // `Victoria Station`, `George Washington University`
    }
    if given_names().contains(&lower[0]) {
        return true;
    }
    (1..lower.len()).any(|from| surnames().contains(&lower[from..].join(" ")))
}

/// One to three capitalised words that could be a given name or surname
/// on their own, as in a `first_name` or `surname` column: no title, no
/// placeholder (`Unknown`, `Test`), no company form (`GmbH`, `Ltd`). Only
/// the column says it is a name, so the shape is all that is checked.
pub fn name_part(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let words: Vec<&str> = text.split(' ').collect();
    let shaped = |(i, w): (usize, &&str)| capitalised(w) || (i + 1 < words.len() && is_particle(w));
    let named = words.iter().filter(|w| capitalised(w)).count();
    if !(1..=3).contains(&named) || !words.iter().enumerate().all(shaped) {
        return false;
    }
    plain(&words)
}

/// A name right after a courtesy title ("Dear Mr. Becker", "Dr. Tobias
/// Quathamer"): one to three capitalised words, maybe with particles
/// (`van Dijk`), none a title, placeholder or business word, cased as
/// names are (`DLmr` is not); `Mr. President` is a function, not a name.
pub fn titled_name(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let words: Vec<&str> = text.split(' ').collect();
    let named: Vec<&&str> = words.iter().filter(|w| !is_particle(w)).collect();
    (1..=3).contains(&named.len())
        && named.iter().all(|w| capitalised(w) && name_cased(w))
        && !FUNCTIONS.contains(&named[0].to_lowercase().as_str())
        && plain(&words)
}

/// A name a greeting, sign-off, self-introduction or mail header gives
/// ("Hello Bartholomew", "Kind regards, Marta Kowalczyk", "From: Kaito
/// Brannigan <…>"): a [`titled_name`], or `Surname, Given`, whose first
/// word addresses no group or thing (`Hello World`, `Dear Team`, `Kind
/// regards, The Support Team`).
pub fn addressed_name(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let first = text
        .split([' ', ','])
        .next()
        .unwrap_or_default()
        .to_lowercase();
    let reordered = text.replacen(", ", " ", 1);
    // `Hello World'`, `Hello API`: a quote ends no name, and one word in
    // capitals is an acronym.
    let quoted = text.ends_with(['\'', '\u{2019}']);
    // One word in capitals is an acronym; words all in capitals are a
    // heading or a sign's name (`HI TIMES BAD`).
    let acronym = !text.chars().any(char::is_lowercase);
    if quoted || acronym {
        return false;
    }
    let department = |w: &str| DEPARTMENTS.iter().any(|d| w.ends_with(d));
    !NOT_ADDRESSEES.contains(&first.as_str())
        && !text.split(' ').any(|w| department(&w.to_lowercase()))
        && titled_name(reordered.as_bytes())
}

/// Endings of the words that sign for a department, not a person
/// (`Kundenservice`, `Klantenservice`, `Kundtjänst`, `Helpdesk`).
const DEPARTMENTS: &[&str] = &[
    "service",
    "services",
    "dienst",
    "support",
    "team",
    "desk",
    "tjänst",
    "zentrale",
    "abteilung",
    "department",
    "office",
    "center",
    "centre",
    "care",
    "billing",
    "sales",
    "clienti",
    "cliente",
    "clientes",
    "klienta",
    "clienți",
    "manager",
    "officer",
    "engineer",
    "director",
    "assistant",
    "agent",
    "representative",
    "specialist",
    "consultant",
    "advisor",
    "coordinator",
    "lead",
    "success",
    "developers",
    "maintainers",
    "contributors",
    "security",
    "keys",
    // Field names of a specification (`Patient Identifier List`).
    "number",
    "identifier",
    "list",
    "type",
    "code",
];

/// True when an address follows, in angle brackets or parentheses
/// (`Kaito Brannigan <kb@example.org>`, the closing quote of `"Brannigan,
/// Kaito"` between; `copied Cordelia Cavendish (cc@example.org)`), or as
/// an iCalendar `mailto:` on the same line: a display name.
pub fn before_address(hay: &[u8], _start: usize, end: usize) -> bool {
    let rest = &hay[end..hay.len().min(end + 320)];
    let rest = rest.strip_prefix(b"\"").unwrap_or(rest);
    // iCalendar: `ATTENDEE;CN=Kaito Brannigan;ROLE=…:mailto:kb@…`.
    let line = &rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())];
    if memchr::memmem::find(line, b":mailto:").is_some_and(|i| line[i..].contains(&b'@')) {
        // A room or a resource booked is no one (`CUTYPE=ROOM;CN=…`).
        let head = &hay[hay[..end]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)..end];
        let thing = [&b"CUTYPE=ROOM"[..], b"CUTYPE=RESOURCE"].iter().any(|t| {
            memchr::memmem::find(head, t).is_some() || memchr::memmem::find(line, t).is_some()
        });
        return !thing;
    }
    let rest = rest.trim_ascii_start();
    // The same in HTML: `Ann Lee &lt;ann@example.org&gt;`.
    if let Some(inside) = rest.strip_prefix(b"&lt;") {
        let close = memchr::memmem::find(inside, b"&gt;");
        return close.is_some_and(|c| inside[..c].contains(&b'@') && !inside[..c].contains(&b'\n'));
    }
    let (open, shut) = match rest.first() {
        Some(b'<') => (b'<', b'>'),
        Some(b'(') => (b'(', b')'),
        _ => return false,
    };
    let inside = &rest[1..];
    let close = inside.iter().position(|&b| b == shut || b == b'\n');
    open != shut && close.is_some_and(|c| inside[c] == shut && inside[..c].contains(&b'@'))
}

/// True when the name labels a speaker, as a chat or transcript line
/// starts (`[16:29:18] Agent Astrid:`, `Customer (Ilse de Groot):`): its
/// role word begins the line (after a time stamp) and a `:` follows.
pub fn before_colon(hay: &[u8], start: usize, end: usize) -> bool {
    let rest = &hay[end..hay.len().min(end + 2)];
    let rest = rest.strip_prefix(b")").unwrap_or(rest);
    let before = hay[..start].trim_ascii_end();
    let before = before.strip_suffix(b"(").unwrap_or(before).trim_ascii_end();
    let role = before
        .iter()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let line_start = before[..role].trim_ascii_end();
    // `[16:29:18] Agent`: a bracket that holds a time, not a log level.
    let stamped = line_start.strip_suffix(b"]").is_some_and(|inner| {
        let open = inner.iter().rposition(|&b| b == b'[').map_or(0, |i| i + 1);
        inner[open..].iter().any(u8::is_ascii_digit)
    });
    let starts = matches!(line_start.last(), None | Some(b'\n' | b'>' | b'|'))
        || stamped
        || line_start.last().is_some_and(u8::is_ascii_digit);
    rest.first() == Some(&b':') && starts
}

/// Words after a greeting or sign-off that are not a person.
const NOT_ADDRESSEES: &[&str] = &[
    "the",
    "our",
    "your",
    "my",
    "all",
    "team",
    "everyone",
    "everybody",
    "world",
    "there",
    "folks",
    "guys",
    "friends",
    "colleagues",
    "sir",
    "sirs",
    "madam",
    "madame",
    "customer",
    "customers",
    "support",
    "service",
    "sales",
    "management",
    "staff",
    "admin",
    "administrator",
    "user",
    "users",
    "community",
    "again",
    "both",
    "you",
    "again",
    "in",
    "from",
    "and",
    // Changelog verbs after a `Thanks` (`Thanks⏎Update to 2.1`).
    "update",
    "updated",
    "add",
    "added",
    "fix",
    "fixed",
    "fixes",
    "closes",
    "remove",
    "removed",
    "merge",
    "merged",
    "bump",
    "release",
    "salsa",
    "emacs",
    "hr",
    "it",
    "this",
    "that",
    "thanks",
    "regards",
    "best",
    "kind",
    "ps",
    "p.s",
    "sent",
    "get",
    "on",
    "allerseits",
    "zusammen",
    "tous",
    "todos",
    "tutti",
    "allemaal",
    "wszystkim",
    "tuturor",
    "alla",
    "todos",
    "všem",
    "equipo",
    "équipe",
    "team",
    "kunde",
    "cliente",
    "client",
    "grüße",
    "grüsse",
    "gruß",
    "groeten",
    "groet",
    "regards",
    "wishes",
    "saluti",
    "saludos",
    "hälsningar",
    "pozdrowienia",
    "salutations",
    "error",
    "errors",
    "warning",
    "string",
    "info",
    "debug",
    "side",
    "id",
    "key",
    "version",
    "type",
    "name",
    "request",
    "response",
    "timeout",
    "exception",
    "welt",
    "mundo",
    "monde",
    "mondo",
    "wereld",
    "świecie",
    "kunden",
    "klanten",
    "clientes",
    "mille",
    "preise",
    "connected",
    "disconnected",
    "login",
    "logout",
];

/// No two capitals in a row unless the word is all capitals: `McDonald`,
/// `O'Brien`, `ANNA`, not `DLmr` or `IPv`.
fn name_cased(word: &str) -> bool {
    let upper = |c: &char| c.is_uppercase();
    word.chars().all(|c| !c.is_lowercase())
        || !word
            .chars()
            .zip(word.chars().skip(1))
            .any(|(a, b)| upper(&a) && upper(&b))
}

/// Words that follow a title as a function, not a name.
const FUNCTIONS: &[&str] = &[
    "president",
    "speaker",
    "chairman",
    "chair",
    "mayor",
    "minister",
    "director",
    "doctor",
    "präsident",
    "doktor",
    "professor",
    "presidente",
    "directeur",
    "ministre",
    "maire",
];

/// True when `hay[..start]` ends with a courtesy title, its dot if any,
/// and one space: the value right after it is addressed by it (unless a
/// company form follows: `Dr. Becker GmbH` is a firm).
pub fn after_title(hay: &[u8], start: usize, end: usize) -> bool {
    let next = hay[end..].strip_prefix(b" ").unwrap_or_default();
    let word = &next[..next
        .iter()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(next.len())];
    let lower = word.to_ascii_lowercase();
    if std::str::from_utf8(&lower).is_ok_and(|w| COMPANY_FORMS.contains(&w)) {
        return false;
    }
    let Some(rest) = hay[..start].strip_suffix(b" ") else {
        return false;
    };
    let rest = rest.strip_suffix(b".").unwrap_or(rest);
    // The title is a word of its own (`Mr`, not the end of `Amr`); no
    // title is longer than the last 16 bytes.
    let rest = &rest[rest.len().saturating_sub(16)..];
    let from = (rest.iter())
        .rposition(|&b| !(b.is_ascii_alphabetic() || b >= 0x80 || b == b'.'))
        .map_or(0, |i| i + 1);
    // `MS Windows`, `DR Congo`: a title in capitals is an acronym.
    let title = &rest[from..];
    let capitals = title.len() > 1 && title.iter().all(u8::is_ascii_uppercase);
    // A title glued into an identifier or a path (`test_case_Mr PASSED`,
    // `/blog/ask-Mr HTTP`) addresses no one.
    let glued = from > 0 && matches!(rest[from - 1], b'_' | b'-' | b'/' | b'=' | b'#' | b'@');
    !capitals
        && !glued
        && std::str::from_utf8(title).is_ok_and(|title| is_courtesy(&title.to_lowercase()))
}

/// No title, placeholder, company form or business word among `words`.
fn plain(words: &[&str]) -> bool {
    words.iter().all(|w| {
        let lower = w.to_lowercase();
        let bare = lower.trim_end_matches('.');
        !is_title(bare) && !PLACEHOLDERS.contains(&bare) && !not_a_person(bare)
    })
}

/// A full name in a column named for one (`customer_name`, `cardholder`):
/// two to four name-shaped words, or `Surname, Given`; the column is the
/// evidence, so names outside the dictionaries (`Wei Zhang`, `Chinedu
/// Okafor`) count, but titles, placeholders, company forms and words that
/// name places or things do not.
pub fn full_name(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    // `Carter, Emily` is checked as `Carter Emily`.
    let (surname, given) = text.split_once(", ").unwrap_or((text, ""));
    let words: Vec<&str> = surname
        .split(' ')
        .chain(given.split(' '))
        .filter(|w| !w.is_empty())
        .collect();
    let named = words.iter().filter(|w| capitalised(w)).count();
    let shaped = |(i, w): (usize, &&str)| capitalised(w) || (i + 1 < words.len() && is_particle(w));
    // `NA` alone stands for "not available"; in `Li Na` it is a name.
    let excluded = |w: &&str| {
        let lower = w.to_lowercase();
        let bare = lower.trim_end_matches('.');
        is_title(bare) || (bare.len() > 2 && PLACEHOLDERS.contains(&bare)) || not_a_person(bare)
    };
    (2..=4).contains(&named) && words.iter().enumerate().all(shaped) && !words.iter().any(excluded)
}

/// Words that make a capitalised phrase a place, an organisation or a
/// product rather than a person.
fn not_a_person(word: &str) -> bool {
    // Not the commonest surnames among such words (Park, Hall, House,
    // Church); rarer ones (Tower, Market) are a risk taken.
    const WORDS: &[&str] = &[
        "university",
        "college",
        "school",
        "academy",
        "institute",
        "foundation",
        "association",
        "society",
        "museum",
        "library",
        "hospital",
        "clinic",
        "hotel",
        "restaurant",
        "cafe",
        "airport",
        "airfield",
        "heliport",
        "seaplane",
        "regional",
        "municipal",
        "county",
        "international",
        "memorial",
        "station",
        "road",
        "avenue",
        "square",
        "parking",
        "tower",
        "building",
        "center",
        "centre",
        "market",
        "store",
        "shop",
        "kiosk",
        "mall",
        "plaza",
        "distillery",
        "brewery",
        "winery",
        "airlines",
        "airways",
        "motors",
        "systems",
        "solutions",
        "services",
        "technologies",
        "software",
        "labs",
        "studios",
        "biography",
        "edition",
        "collection",
        "sensor",
        "department",
        // Accounts and roles a `user=` key names (`user=Local Service`).
        "service",
        "system",
        "account",
        "agent",
        "update",
        "daemon",
        "network",
        "admin",
        "administrator",
        "support",
        "team",
        "widgets",
        "walk",
        // Business words, in the languages of the data.
        "corporation",
        "holdings",
        "trading",
        "traders",
        "industries",
        "logistics",
        "consulting",
        "foods",
        "pharma",
        "media",
        "partners",
        "enterprises",
        "ventures",
        "bouwgroep",
        "bouw",
        "budownictwo",
        "servizi",
        "servicios",
        "serviços",
        "logistik",
        "industrie",
        "gruppe",
        "groupe",
        "grupo",
        "gruppo",
        "grupa",
    ];
    let bare = word.trim_end_matches(['.', ',', ':']);
    WORDS.contains(&bare) || COMPANY_FORMS.contains(&bare)
}

/// Cell values that stand in for a name without being one.
const PLACEHOLDERS: &[&str] = &[
    "unknown",
    "none",
    "null",
    "nil",
    "test",
    "testing",
    "anonymous",
    "anon",
    "redacted",
    "deleted",
    "removed",
    "user",
    "admin",
    "guest",
    "sample",
    "example",
    "default",
    "n/a",
    "na",
    "inconnu",
    "unbekannt",
    "desconocido",
    "sconosciuto",
    "onbekend",
    "nieznany",
    "necunoscut",
];

/// Company forms: a cell holding one names a business, not a person.
const COMPANY_FORMS: &[&str] = &[
    "gmbh", "ag", "kg", "ltd", "limited", "llc", "inc", "corp", "co", "plc", "sa", "sas", "sarl",
    "srl", "spa", "bv", "nv", "sp", "oy", "ab", "as", "group", "holding", "company", "sro", "zoo",
    "aps", "sl", "lda", "kft", "doo",
];

/// True unless a company form follows (`Bruno Ferramenta S.p.A.`,
/// `Marek Stavby s.r.o.`, `De Luca, SRL`): a person's name, not a firm's.
pub fn no_company_after(hay: &[u8], _start: usize, end: usize) -> bool {
    let next = &hay[end..hay.len().min(end + 16)];
    let next = next.strip_prefix(b",").unwrap_or(next);
    let Some(next) = next.strip_prefix(b" ") else {
        return true;
    };
    let token = next
        .iter()
        .take_while(|b| b.is_ascii_alphabetic() || **b == b'.')
        .count();
    // The form ends the name (`Acme AS`, `X s.r.o.,`), not a sentence
    // going on (`Anna Kowalska as of May`).
    let ends =
        next.get(token).is_none_or(|b| !matches!(b, b' ' | b'-')) || next[..token].contains(&b'.');
    let form: Vec<u8> = (next[..token].iter())
        .filter(|b| b.is_ascii_alphabetic())
        .map(u8::to_ascii_lowercase)
        .collect();
    !(ends && std::str::from_utf8(&form).is_ok_and(|f| COMPANY_FORMS.contains(&f)))
}

/// Words that label or address a person but are no part of a name: the
/// courtesy titles (but `Don`, a given name too) and labels.
fn is_title(word: &str) -> bool {
    const LABELS: &[&str] = &[
        "dear", "name", "sir", "lady", "customer", "patient", "client",
    ];
    (is_courtesy(word) && word != "don") || LABELS.contains(&word)
}

/// `Anna`, `McDonald`, `O'Brien`, `Müller-Lüdenscheidt`, `ANNA`: an upper-case
/// letter first, letters (and `'` or `-`) after.
fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    // Two letters at least: `Ng` is a name, `O'` (what a masked `O'Brien`
    // keeps) is not.
    chars.next().is_some_and(char::is_uppercase)
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && chars.all(|c| c.is_alphabetic() || c == '\'' || c == '-' || c == '’')
}

/// A courtesy title (`mr`, `frau`), from the built-in vocabulary.
fn is_courtesy(word: &str) -> bool {
    crate::vocab::courtesy_titles().iter().any(|t| t == word)
}

/// A particle inside a surname (`van`, `da`), from the built-in vocabulary.
fn is_particle(word: &str) -> bool {
    crate::vocab::name_particles().iter().any(|p| p == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_parts_are_shaped_like_names() {
        for ok in [
            "Anna",
            "Jean-Pierre",
            "O'Brien",
            "van Dijk",
            "Sanne van Dijk",
            "ZOFIA",
            "Ștefan",
        ] {
            assert!(name_part(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "Unknown",
            "Acme GmbH",
            "Mrs",
            "anna",
            "A",
            "O'",
            "D-",
            "R2D2",
            "One Two Three Four",
            "N/A",
            "Dijk van",
        ] {
            assert!(!name_part(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn full_names_in_named_columns_need_only_the_shape() {
        for ok in [
            "Wei Zhang",
            "Li Na",
            "Nguyen Van An",
            "Kim Min-jun",
            "Carter, Emily",
            "Mary Ann van der Berg",
        ] {
            assert!(full_name(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "Wei",
            "Acme GmbH",
            "Unknown Person",
            "Victoria Station",
            "Mr Smith",
            "a b",
            "One Two Three Four Five",
        ] {
            assert!(!full_name(bad.as_bytes()), "{bad}");
        }
    }

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

    #[test]
    fn a_title_addresses_the_name_after_it() {
        let at = |text: &str, name: &str| {
            let start = text.find(name).unwrap();
            super::after_title(text.as_bytes(), start, start + name.len())
        };
        assert!(at("Dear Mr. Becker,", "Becker"));
        assert!(at("Szanowna Pani Nowak", "Nowak"));
        assert!(at("Gentile sig.ra Rossi", "Rossi"));
        assert!(!at("Amr Becker", "Becker"));
        assert!(!at("64-bit MS Windows", "Windows"));
        assert!(!at("Dr. Becker GmbH", "Becker"));
        assert!(super::titled_name(b"Tobias Quathamer"));
        assert!(super::titled_name(b"McDonald"));
        assert!(!super::titled_name(b"DLmr"));
        assert!(!super::titled_name(b"President"));
    }
}
