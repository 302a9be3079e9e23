//! Dates of birth, numeric and written out, in the past and plausible.

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

/// A date of birth written `YYYYMMDD` with no separator (HL7, vCard,
/// compact ISO 8601), a real date with a plausible age.
pub fn birth_date_compact(value: &[u8]) -> bool {
    if value.len() != 8 || !value.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = |r: std::ops::Range<usize>| {
        value[r]
            .iter()
            .fold(0, |a, &d| a * 10 + u32::from(d - b'0'))
    };
    let (y, m, d) = (n(0..4), n(4..6), n(6..8));
    let this_year = current_year();
    y + 120 >= this_year && y <= this_year && is_date(y, m, d)
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
