//! `gendump`: a deterministic generator of realistic synthetic data dumps, for
//! piiscan benchmarks and accuracy measurement.
//!
//! ```text
//! cargo run --release --example gendump -- --out DIR --size-mb N [--seed S]
//!     [--truth FILE] [--density D] [--jobs J]
//! cargo run --release --example gendump -- --single FILE --size-mb N [...]
//! ```
//!
//! * `--out DIR` writes a tree of about N MiB (1 MiB = 1,048,576 bytes):
//!   customer CSV exports (`exports/`, comma and semicolon separated),
//!   application and access logs (`logs/`), NDJSON event streams (`events/`),
//!   SQL dumps (`sql/`) and support tickets in eight languages (`notes/`).
//!   Many files are small (4–64 KiB), some medium (64 KiB–2 MiB) and a few
//!   large, their size growing with N (60% of the bytes).
//! * `--single FILE` writes one file of N MiB instead, alternating blocks of
//!   log lines and CSV rows; it streams in constant memory.
//! * `--seed S` (default 42): the output depends only on the seed, the size
//!   and the density (not on `--jobs`), so the same seed gives the same bytes.
//! * `--density D` (default 300): average bytes per planted value.
//! * `--truth FILE`: one JSON line per planted value,
//!   `{"path": ..., "kind": ..., "start": ..., "end": ...}`, with exact byte
//!   offsets (end exclusive) in the file named by `path` (relative to DIR, or
//!   the file name in `--single` mode).
//!
//! Planted personal data is synthetic but valid: emails (including UTF-8
//! domains), Luhn-valid cards with real IIN prefixes, mod-97-valid IBANs,
//! phone numbers (international and national forms, usually after a context
//! word), IPv4/IPv6 addresses and US SSNs next to the word `SSN`. Around them
//! sit look-alikes that are not personal data and never appear in the truth
//! file: UUIDs, hashes, timestamps, dates, epoch milliseconds, order and
//! invoice numbers, 16-digit numbers failing Luhn, IBANs with wrong check
//! digits, version strings, GPS coordinates, prices, latencies, EAN barcodes.

use std::collections::BTreeMap;
use std::error::Error;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

const MIB: u64 = 1 << 20;
/// Bytes buffered per file before they go to the 1 MiB `BufWriter`.
const CHUNK: usize = 256 << 10;

// ---------------------------------------------------------------------------
// Random numbers

/// SplitMix64: tiny, fast and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    fn pct(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    fn word(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len() as u64) as usize]
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A well-mixed seed for stream `n` of the run seeded with `seed`.
fn derive_seed(seed: u64, n: u64) -> u64 {
    Rng(seed ^ n.wrapping_mul(0xD6E8_FEB8_6659_FD93)).next_u64()
}

// ---------------------------------------------------------------------------
// Byte formatting helpers (no allocation)

fn push(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(s.as_bytes());
}

/// `n` in decimal, zero-padded to `width` digits (at most 20).
fn push_pad(b: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    while n > 0 {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let len = (tmp.len() - i).max(width).clamp(1, tmp.len());
    b.extend_from_slice(&tmp[tmp.len() - len..]);
}

fn push_num(b: &mut Vec<u8>, n: u64) {
    push_pad(b, n, 1);
}

fn push_digits(r: &mut Rng, b: &mut Vec<u8>, count: usize) {
    for _ in 0..count {
        b.push(b'0' + r.below(10) as u8);
    }
}

fn push_hex(r: &mut Rng, b: &mut Vec<u8>, count: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut bits = 0u64;
    for i in 0..count {
        if i % 16 == 0 {
            bits = r.next_u64();
        }
        b.push(HEX[(bits & 15) as usize]);
        bits >>= 4;
    }
}

/// A number with two decimals, `.` or `,` as decimal separator.
fn push_decimal(b: &mut Vec<u8>, cents: u64, sep: u8) {
    push_num(b, cents / 100);
    b.push(sep);
    push_pad(b, cents % 100, 2);
}

/// A name lower-cased and folded to ASCII letters, for email local parts.
fn push_folded(b: &mut Vec<u8>, name: &str) {
    for c in name.chars() {
        let c = c.to_lowercase().next().unwrap_or(c);
        let ascii = match c {
            'a'..='z' => {
                b.push(c as u8);
                continue;
            }
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'ă' | 'ą' => "a",
            'ç' | 'ć' | 'č' => "c",
            'è' | 'é' | 'ê' | 'ë' | 'ę' => "e",
            'ì' | 'í' | 'î' | 'ï' => "i",
            'ł' => "l",
            'ñ' | 'ń' => "n",
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => "o",
            'ù' | 'ú' | 'û' | 'ü' => "u",
            'ś' | 'ș' | 'ş' | 'š' => "s",
            'ț' | 'ţ' => "t",
            'ź' | 'ż' | 'ž' => "z",
            'ß' => "ss",
            _ => "",
        };
        push(b, ascii);
    }
}

/// A name lower-cased but kept in UTF-8 (`jörg`), spaces and quotes dropped.
fn push_lower_utf8(b: &mut Vec<u8>, name: &str) {
    let mut tmp = [0u8; 4];
    for c in name.chars().filter(|c| c.is_alphabetic()) {
        for l in c.to_lowercase() {
            b.extend_from_slice(l.encode_utf8(&mut tmp).as_bytes());
        }
    }
}

/// A string literal for SQL: single quotes doubled.
fn push_sql_str(b: &mut Vec<u8>, s: &str) {
    b.push(b'\'');
    for &c in s.as_bytes() {
        if c == b'\'' {
            b.push(b'\'');
        }
        b.push(c);
    }
    b.push(b'\'');
}

/// `s` escaped as the inside of a JSON string.
fn json_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Dates and times

#[rustfmt::skip]
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
/// 2024-01-01T00:00:00Z in milliseconds since the Unix epoch.
const CLOCK_START_MS: u64 = 1_704_067_200_000;
const DAY_MS: u64 = 86_400_000;

/// Year, month and day of a count of days since 1970-01-01 (Hinnant's
/// `civil_from_days`).
fn civil(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// Date and time parts of `ms`: (year, month, day, hour, minute, second, ms).
fn split_ms(ms: u64) -> [u64; 7] {
    let (y, mo, d) = civil(ms / DAY_MS);
    let t = ms % DAY_MS;
    [
        y,
        mo,
        d,
        t / 3_600_000,
        t / 60_000 % 60,
        t / 1000 % 60,
        t % 1000,
    ]
}

/// `2024-03-15T10:22:31.123Z`
fn push_iso(b: &mut Vec<u8>, ms: u64) {
    let [y, mo, d, h, mi, s, milli] = split_ms(ms);
    push_pad(b, y, 4);
    b.push(b'-');
    push_pad(b, mo, 2);
    b.push(b'-');
    push_pad(b, d, 2);
    b.push(b'T');
    push_pad(b, h, 2);
    b.push(b':');
    push_pad(b, mi, 2);
    b.push(b':');
    push_pad(b, s, 2);
    b.push(b'.');
    push_pad(b, milli, 3);
    b.push(b'Z');
}

/// `2024-03-15 10:22:31` (SQL `DATETIME`).
fn push_sql_time(b: &mut Vec<u8>, ms: u64) {
    let [y, mo, d, h, mi, s, _] = split_ms(ms);
    push_pad(b, y, 4);
    b.push(b'-');
    push_pad(b, mo, 2);
    b.push(b'-');
    push_pad(b, d, 2);
    b.push(b' ');
    push_pad(b, h, 2);
    b.push(b':');
    push_pad(b, mi, 2);
    b.push(b':');
    push_pad(b, s, 2);
}

/// `15/Mar/2024:10:22:31 +0000` (common log format).
fn push_clf(b: &mut Vec<u8>, ms: u64) {
    let [y, mo, d, h, mi, s, _] = split_ms(ms);
    push_pad(b, d, 2);
    b.push(b'/');
    push(b, MONTHS[mo as usize - 1]);
    b.push(b'/');
    push_pad(b, y, 4);
    b.push(b':');
    push_pad(b, h, 2);
    b.push(b':');
    push_pad(b, mi, 2);
    b.push(b':');
    push_pad(b, s, 2);
    push(b, " +0000");
}

/// A date between 2019 and 2025 as `15/03/2024`, `15.03.2024` or `2024-03-15`.
fn push_date(r: &mut Rng, b: &mut Vec<u8>) {
    let (y, m, d) = civil(r.range(17_897, 20_453));
    match r.below(3) {
        0 | 1 => {
            let sep = if r.pct(50) { b'/' } else { b'.' };
            push_pad(b, d, 2);
            b.push(sep);
            push_pad(b, m, 2);
            b.push(sep);
            push_pad(b, y, 4);
        }
        _ => {
            push_pad(b, y, 4);
            b.push(b'-');
            push_pad(b, m, 2);
            b.push(b'-');
            push_pad(b, d, 2);
        }
    }
}

// ---------------------------------------------------------------------------
// Personal data (planted, listed in the truth file)

#[derive(Clone, Copy)]
enum Kind {
    Email,
    Card,
    Iban,
    Phone,
    Ip,
    Ssn,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Email,
        Kind::Card,
        Kind::Iban,
        Kind::Phone,
        Kind::Ip,
        Kind::Ssn,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Card => "credit_card",
            Kind::Iban => "iban",
            Kind::Phone => "phone",
            Kind::Ip => "ip_address",
            Kind::Ssn => "us_ssn",
        }
    }

    /// Writes a value of this kind; `who` is the person it belongs to and
    /// `cc` the country it should look like ("" for any).
    fn write(self, r: &mut Rng, b: &mut Vec<u8>, who: Person, cc: &str) {
        match self {
            Kind::Email => email(r, b, who, cc),
            Kind::Card => card(r, b),
            Kind::Iban => iban(r, b, true, cc),
            Kind::Phone => phone(r, b, cc),
            Kind::Ip => ip(r, b),
            Kind::Ssn => ssn(r, b),
        }
    }
}

#[rustfmt::skip]
const FIRST: &[&str] = &[
    "Jean", "Marie", "Élodie", "François", "Chloé", "Jörg", "Anna", "Lukas", "Sophie", "Björn",
    "María", "José", "Lucía", "Núria", "Giulia", "Marco", "Francesca", "Daan", "Sanne", "Łukasz",
    "Zofia", "Małgorzata", "Piotr", "Ștefan", "Ioana", "Andreea", "Mihai", "James", "Emily",
    "Olivia", "Liam", "Noah", "Zoë", "Aoife", "Seán", "Hélène",
];
#[rustfmt::skip]
const LAST: &[&str] = &[
    "Martin", "Dubois", "Lefèvre", "Moreau", "Müller", "Schmidt", "Weiß", "Fischer", "García",
    "Fernández", "Núñez", "Rossi", "Bianchi", "Esposito", "Romano", "de Vries", "Jansen",
    "van den Berg", "Bakker", "Kowalski", "Wiśniewska", "Nowak", "Zieliński", "Popescu", "Ionescu",
    "Stănescu", "Smith", "Johnson", "O'Brien", "Williams", "Brown", "Peeters",
];
#[rustfmt::skip]
const DOMAINS: &[&str] = &[
    "example.com", "example.org", "example.net", "mail.example.org", "corp.example.com",
    "example.co.uk", "example.de", "example.fr", "example.es", "example.it", "example.nl",
    "example.pl", "example.ro", "example.be", "mail.example.de", "shop.example.fr",
];
#[rustfmt::skip]
const IDN_DOMAINS: &[&str] = &[
    "bücher.example", "café-crème.example.fr", "müller-bau.example.de", "żółw.example.pl",
    "ñandú.example.es", "köln.example",
];
const TAGS: &[&str] = &["news", "shop", "billing", "work", "2024", "promo"];

/// First and last name.
type Person = (&'static str, &'static str);

fn random_person(r: &mut Rng) -> Person {
    (r.word(FIRST), r.word(LAST))
}

/// `first.last@`, `f.last99@`, `first_last+tag@`, ... at a varied domain,
/// usually built from `who`'s name and, given a country, often at its ccTLD.
fn email(r: &mut Rng, b: &mut Vec<u8>, who: Person, cc: &str) {
    let (first, last) = if r.pct(80) { who } else { random_person(r) };
    match r.below(20) {
        0..=5 => {
            push_folded(b, first);
            b.push(b'.');
            push_folded(b, last);
        }
        6..=9 => {
            let initial = first.chars().next().map_or("", |c| &first[..c.len_utf8()]);
            push_folded(b, initial);
            b.push(b'.');
            push_folded(b, last);
            push_num(b, r.range(1, 99));
        }
        10..=12 => {
            push_folded(b, first);
            b.push(b'_');
            push_folded(b, last);
            b.push(b'+');
            push(b, r.word(TAGS));
        }
        13 | 14 => {
            push_folded(b, first);
            push_folded(b, last);
        }
        15 | 16 => {
            push_folded(b, last);
            b.push(b'.');
            push_folded(b, first);
        }
        17 | 18 => {
            push_folded(b, first);
            push_num(b, r.range(1950, 2006));
        }
        _ => {
            push_lower_utf8(b, first);
            b.push(b'.');
            push_lower_utf8(b, last);
        }
    }
    b.push(b'@');
    let national = match cc {
        "" | "US" => None,
        "GB" => Some("co.uk"),
        _ => Some(cc),
    };
    match national {
        Some(tld) if r.pct(40) => {
            push(b, r.word(&["example.", "mail.example.", "shop.example."]));
            b.extend(tld.bytes().map(|c| c.to_ascii_lowercase()));
        }
        _ => {
            let domains = if r.pct(7) { IDN_DOMAINS } else { DOMAINS };
            push(b, r.word(domains));
        }
    }
}

/// Luhn check digit for `payload` (digit values, the check digit not included).
fn luhn_digit(payload: &[u8]) -> u8 {
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let v = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            if v > 9 {
                v - 9
            } else {
                v
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// Digits of a Luhn-valid card with a real brand prefix and length; returns
/// the length (15 for Amex, 16 otherwise).
fn card_digits(r: &mut Rng, d: &mut [u8; 16]) -> usize {
    let (prefix, len) = match r.below(20) {
        0..=7 => (4, 16),                     // Visa
        8..=10 => (r.range(51, 55), 16),      // Mastercard
        11 | 12 => (r.range(2221, 2720), 16), // Mastercard 2-series
        13..=15 => (*r.pick(&[34, 37]), 15),  // Amex
        16 | 17 => (6011, 16),                // Discover
        _ => (r.range(3528, 3589), 16),       // JCB
    };
    let mut digits = [0u8; 4];
    let mut n = 0;
    let mut p = prefix;
    while p > 0 {
        digits[n] = (p % 10) as u8;
        p /= 10;
        n += 1;
    }
    for (i, &v) in digits[..n].iter().rev().enumerate() {
        d[i] = v;
    }
    for x in d[n..len - 1].iter_mut() {
        *x = r.below(10) as u8;
    }
    d[len - 1] = luhn_digit(&d[..len - 1]);
    len
}

/// Card digits printed compact, in 4-4-4-4 (Amex 4-6-5) groups with spaces,
/// or with dashes.
fn push_card_digits(r: &mut Rng, b: &mut Vec<u8>, d: &[u8]) {
    let groups: &[usize] = if d.len() == 15 {
        &[4, 6, 5]
    } else {
        &[4, 4, 4, 4]
    };
    let sep = match r.below(10) {
        0..=3 => None,
        4..=7 => Some(b' '),
        _ => Some(b'-'),
    };
    let mut i = 0;
    for (gi, &g) in groups.iter().enumerate() {
        if let (true, Some(s)) = (gi > 0, sep) {
            b.push(s);
        }
        b.extend(d[i..i + g].iter().map(|x| b'0' + x));
        i += g;
    }
}

fn card(r: &mut Rng, b: &mut Vec<u8>) {
    let mut d = [0u8; 16];
    let len = card_digits(r, &mut d);
    push_card_digits(r, b, &d[..len]);
}

/// IBAN layout of one country: bank codes (letters), a CIN letter (Italy),
/// then digits; the total matches the country's registered length.
struct IbanCountry {
    cc: &'static str,
    banks: &'static [&'static str],
    cin: bool,
    digits: usize,
}

#[rustfmt::skip]
const IBAN_COUNTRIES: &[IbanCountry] = &[
    IbanCountry { cc: "DE", banks: &[], cin: false, digits: 18 },
    IbanCountry { cc: "FR", banks: &[], cin: false, digits: 23 },
    IbanCountry { cc: "GB", banks: &["NWBK", "BARC", "LOYD", "HBUK", "MIDL"], cin: false, digits: 14 },
    IbanCountry { cc: "NL", banks: &["ABNA", "RABO", "INGB", "TRIO", "SNSB", "KNAB"], cin: false, digits: 10 },
    IbanCountry { cc: "ES", banks: &[], cin: false, digits: 20 },
    IbanCountry { cc: "IT", banks: &[], cin: true, digits: 22 },
    IbanCountry { cc: "RO", banks: &["RNCB", "BTRL", "BRDE", "INGB", "RZBR", "CECE"], cin: false, digits: 16 },
    IbanCountry { cc: "PL", banks: &[], cin: false, digits: 24 },
    IbanCountry { cc: "BE", banks: &[], cin: false, digits: 12 },
];

/// ISO 7064 mod 97-10 of `bban` followed by the country code and `00`.
fn iban_mod97(bban: &[u8], cc: &[u8]) -> u32 {
    bban.iter().chain(cc).chain(b"00").fold(0u32, |acc, &c| {
        if c.is_ascii_digit() {
            (acc * 10 + u32::from(c - b'0')) % 97
        } else {
            (acc * 100 + u32::from(c - b'A' + 10)) % 97
        }
    })
}

/// An IBAN (usually of country `cc`) printed in groups of four or compact;
/// `valid = false` gives wrong check digits (a look-alike).
fn iban(r: &mut Rng, b: &mut Vec<u8>, valid: bool, cc: &str) {
    let c = match IBAN_COUNTRIES.iter().find(|c| c.cc == cc) {
        Some(c) if r.pct(80) => c,
        _ => r.pick(IBAN_COUNTRIES),
    };
    let mut code = [0u8; 34];
    code[..2].copy_from_slice(c.cc.as_bytes());
    let mut n = 4;
    if !c.banks.is_empty() {
        code[4..8].copy_from_slice(r.pick(c.banks).as_bytes());
        n = 8;
    }
    if c.cin {
        code[n] = b'A' + r.below(26) as u8;
        n += 1;
    }
    for x in code[n..n + c.digits].iter_mut() {
        *x = b'0' + r.below(10) as u8;
    }
    n += c.digits;
    if c.cc == "BE" {
        // Belgian account check: the first ten digits mod 97 (97 for 0).
        let v = code[4..14]
            .iter()
            .fold(0u64, |a, &x| a * 10 + u64::from(x - b'0'));
        let k = match v % 97 {
            0 => 97,
            k => k,
        };
        code[14] = b'0' + (k / 10) as u8;
        code[15] = b'0' + (k % 10) as u8;
    }
    let mut check = 98 - iban_mod97(&code[4..n], c.cc.as_bytes());
    if !valid {
        check = if check >= 98 { check - 1 } else { check + 1 };
    }
    code[2] = b'0' + (check / 10) as u8;
    code[3] = b'0' + (check % 10) as u8;
    if r.pct(60) {
        for (i, chunk) in code[..n].chunks(4).enumerate() {
            if i > 0 {
                b.push(b' ');
            }
            b.extend_from_slice(chunk);
        }
    } else {
        b.extend_from_slice(&code[..n]);
    }
}

/// A US area code: first digit 2–9, not an N11 service code.
fn push_us_area(r: &mut Rng, b: &mut Vec<u8>) {
    let (x, y) = loop {
        let (x, y) = (r.range(0, 8), r.below(10));
        if !(x == 1 && y == 1) {
            break (x, y);
        }
    };
    push_num(b, r.range(2, 9) * 100 + x * 10 + y);
}

/// `count` digits in groups of two, each after `sep`.
fn push_pairs(r: &mut Rng, b: &mut Vec<u8>, count: usize, sep: u8) {
    for _ in 0..count {
        b.push(sep);
        push_digits(r, b, 2);
    }
}

/// A digit run of `count` digits that does not start with 0.
fn push_subscriber(r: &mut Rng, b: &mut Vec<u8>, count: usize) {
    push_num(b, r.range(1, 9));
    push_digits(r, b, count - 1);
}

#[rustfmt::skip]
const PHONE_COUNTRIES: &[&str] = &[
    "FR", "FR", "DE", "DE", "GB", "GB", "US", "US", "US", "ES", "IT", "NL", "PL", "RO", "BE",
];

/// A phone number of country `cc` (usually; any country for ""), in
/// international, national or North American style.
fn phone(r: &mut Rng, b: &mut Vec<u8>, cc: &str) {
    let cc = if cc.is_empty() || r.pct(20) {
        r.word(PHONE_COUNTRIES)
    } else {
        cc
    };
    match (cc, r.below(4)) {
        ("FR", 0 | 1) => {
            push(b, "+33 ");
            push(b, r.word(&["6", "7"]));
            push_pairs(r, b, 4, b' ');
        }
        ("FR", 2) => {
            push(b, r.word(&["+336", "+337"]));
            push_digits(r, b, 8);
        }
        ("FR", _) => {
            push(b, r.word(&["06", "07"]));
            let sep = *r.pick(b" .");
            push_pairs(r, b, 4, sep);
        }
        ("DE", 0) => {
            push(b, "+49 ");
            push(b, r.word(&["30 ", "40 ", "89 ", "221 ", "69 ", "711 "]));
            let n = r.range(6, 8) as usize;
            push_subscriber(r, b, n);
        }
        ("DE", 1) => {
            push(b, "+49 ");
            push(b, r.word(&["151 ", "152 ", "157 ", "160 ", "170 ", "176 "]));
            push_subscriber(r, b, 8);
        }
        ("DE", _) => {
            push(b, r.word(&["030 ", "040 ", "089 ", "0221 ", "069 "]));
            let n = r.range(7, 8) as usize;
            push_subscriber(r, b, n);
        }
        ("GB", k) => {
            push(
                b,
                ["+44 7700 900", "07700 900", "+44 20 7946 0", "020 7946 0"][k as usize],
            );
            push_digits(r, b, 3);
        }
        ("US", 0) => {
            push(b, "+1");
            push_us_area(r, b);
            push(b, r.word(&["55501", " 555 01"]));
            push_digits(r, b, 2);
        }
        ("US", 1) => {
            b.push(b'(');
            push_us_area(r, b);
            push(b, ") 555-01");
            push_digits(r, b, 2);
        }
        ("US", _) => {
            push_us_area(r, b);
            push(b, "-555-01");
            push_digits(r, b, 2);
        }
        ("IT", _) => {
            push(b, "+39 3");
            push_digits(r, b, 2);
            b.push(b' ');
            push_subscriber(r, b, 7);
        }
        ("NL", _) => {
            push(b, "+31 6 ");
            push_subscriber(r, b, 8);
        }
        ("BE", _) => {
            push(b, "+32 4");
            push(b, r.word(&["70", "75", "85", "96"]));
            push_pairs(r, b, 3, b' ');
        }
        (_, _) => {
            // ES, PL, RO: +34 612 345 678
            let prefix = match cc {
                "ES" => "+34 6",
                "PL" => "+48 5",
                _ => "+40 7",
            };
            push(b, prefix);
            push_digits(r, b, 2);
            b.push(b' ');
            push_digits(r, b, 3);
            b.push(b' ');
            push_digits(r, b, 3);
        }
    }
}

/// IPv4 (private, documentation or public-looking; never loopback,
/// unspecified or broadcast), or now and then a compressed `2001:db8:` IPv6.
fn ip(r: &mut Rng, b: &mut Vec<u8>) {
    if r.pct(12) {
        return ipv6(r, b);
    }
    let o: [u64; 3] = match r.below(10) {
        0 | 1 => [10, r.below(256), r.below(256)],
        2 => [172, r.range(16, 31), r.below(256)],
        3 => [192, 168, r.below(256)],
        4 => *r.pick(&[[192, 0, 2], [198, 51, 100], [203, 0, 113]]),
        _ => {
            let first = loop {
                let f = r.range(1, 223);
                if f != 127 && f != 10 {
                    break f;
                }
            };
            [first, r.below(256), r.below(256)]
        }
    };
    for x in o {
        push_num(b, x);
        b.push(b'.');
    }
    push_num(b, r.range(1, 254));
}

fn push_hex_group(r: &mut Rng, b: &mut Vec<u8>) {
    let v = r.range(1, 0xffff);
    let mut shift = 12;
    while shift > 0 && (v >> shift) & 15 == 0 {
        shift -= 4;
    }
    loop {
        b.push(b"0123456789abcdef"[((v >> shift) & 15) as usize]);
        if shift == 0 {
            break;
        }
        shift -= 4;
    }
}

/// `2001:db8:85a3::8a2e:370`, `2001:db8::1f`, `2001:db8:a:b::c`.
fn ipv6(r: &mut Rng, b: &mut Vec<u8>) {
    push(b, "2001:db8:");
    match r.below(3) {
        0 => {
            push_hex_group(r, b);
            push(b, "::");
            push_hex_group(r, b);
            b.push(b':');
            push_hex_group(r, b);
        }
        1 => {
            b.push(b':');
            push_hex_group(r, b);
        }
        _ => {
            push_hex_group(r, b);
            b.push(b':');
            push_hex_group(r, b);
            push(b, "::");
            push_hex_group(r, b);
        }
    }
}

/// `AAA-GG-SSSS` (sometimes space separated): area 001–665 or 667–899,
/// group 01–99, serial 0001–9999.
fn ssn(r: &mut Rng, b: &mut Vec<u8>) {
    let (area, group, serial) = loop {
        let v = (r.range(1, 899), r.range(1, 99), r.range(1, 9999));
        if v.0 != 666 && v != (78, 5, 1120) && v != (219, 9, 9999) {
            break v;
        }
    };
    let sep = if r.pct(90) { b'-' } else { b' ' };
    push_pad(b, area, 3);
    b.push(sep);
    push_pad(b, group, 2);
    b.push(sep);
    push_pad(b, serial, 4);
}

// ---------------------------------------------------------------------------
// Look-alikes (never planted in the truth file)

fn uuid(r: &mut Rng, b: &mut Vec<u8>) {
    push_hex(r, b, 8);
    b.push(b'-');
    push_hex(r, b, 4);
    push(b, "-4");
    push_hex(r, b, 3);
    b.push(b'-');
    b.push(*r.pick(b"89ab"));
    push_hex(r, b, 3);
    b.push(b'-');
    push_hex(r, b, 12);
}

/// A SHA-1 or SHA-256 hex digest.
fn digest(r: &mut Rng, b: &mut Vec<u8>) {
    let n = if r.pct(50) { 40 } else { 64 };
    push_hex(r, b, n);
}

fn order_no(r: &mut Rng, b: &mut Vec<u8>) {
    push(b, "ORD-");
    push_num(b, r.range(2019, 2025));
    b.push(b'-');
    push_pad(b, r.below(10_000_000), 7);
}

fn invoice_no(r: &mut Rng, b: &mut Vec<u8>) {
    push(b, r.word(&["INV-", "FA-", "RE-", "FV/"]));
    push_num(b, r.range(2019, 2025));
    b.push(if r.pct(50) { b'-' } else { b'/' });
    push_pad(b, r.below(1_000_000), 6);
}

fn epoch_ms(r: &mut Rng, b: &mut Vec<u8>) {
    push_num(b, r.range(1_600_000_000_000, 1_760_000_000_000));
}

/// A 16-digit card-shaped number that fails the Luhn check.
fn bad_card(r: &mut Rng, b: &mut Vec<u8>) {
    let mut d = [0u8; 16];
    while card_digits(r, &mut d) != 16 {}
    d[15] = (d[15] + 1 + r.below(9) as u8) % 10;
    push_card_digits(r, b, &d);
}

/// `v1.2.3`, `1.2.3.4.5` or `2.14.0-rc.1`.
fn version(r: &mut Rng, b: &mut Vec<u8>) {
    let parts = match r.below(3) {
        0 => {
            b.push(b'v');
            3
        }
        1 => 5,
        _ => 3,
    };
    for i in 0..parts {
        if i > 0 {
            b.push(b'.');
        }
        push_num(b, r.below(if i == 0 { 10 } else { 30 }));
    }
    if parts == 3 && r.pct(20) {
        push(b, "-rc.");
        push_num(b, r.range(1, 5));
    }
}

/// One coordinate with four decimals, e.g. `48.8566` or `-33.8688`.
fn coord(r: &mut Rng, b: &mut Vec<u8>, max: u64) {
    if r.pct(20) {
        b.push(b'-');
    }
    push_num(b, r.below(max));
    b.push(b'.');
    push_pad(b, r.below(10_000), 4);
}

/// `48.8566, 2.3522`
fn gps(r: &mut Rng, b: &mut Vec<u8>) {
    coord(r, b, 70);
    push(b, ", ");
    coord(r, b, 180);
}

/// A price in a varied format: `€1,234.56`, `1 234,56 €`, `$12.99`, `149,00 zł`.
fn money(r: &mut Rng, b: &mut Vec<u8>) {
    let cents = r.range(99, 250_000);
    match r.below(5) {
        0 => {
            push(b, "€");
            if cents >= 100_000 {
                push_num(b, cents / 100_000);
                b.push(b',');
                push_pad(b, cents / 100 % 1000, 3);
                b.push(b'.');
                push_pad(b, cents % 100, 2);
            } else {
                push_decimal(b, cents, b'.');
            }
        }
        1 => {
            if cents >= 100_000 {
                push_num(b, cents / 100_000);
                b.push(b' ');
                push_pad(b, cents / 100 % 1000, 3);
                b.push(b',');
                push_pad(b, cents % 100, 2);
            } else {
                push_decimal(b, cents, b',');
            }
            push(b, " €");
        }
        2 => {
            b.push(b'$');
            push_decimal(b, cents, b'.');
        }
        3 => {
            push_decimal(b, cents, b',');
            push(b, r.word(&[" EUR", " zł", " lei", " PLN"]));
        }
        _ => {
            push_decimal(b, cents, b'.');
            push(b, " USD");
        }
    }
}

/// `123ms`, `0.123s` or `1.2 s`.
fn latency(r: &mut Rng, b: &mut Vec<u8>) {
    let ms = r.range(1, 2500);
    match r.below(3) {
        0 => {
            push_num(b, ms);
            push(b, "ms");
        }
        1 => {
            push_num(b, ms / 1000);
            b.push(b'.');
            push_pad(b, ms % 1000, 3);
            b.push(b's');
        }
        _ => {
            push_num(b, ms / 1000);
            b.push(b'.');
            push_num(b, ms / 100 % 10);
            push(b, " s");
        }
    }
}

/// A 12-digit barcode (UPC-A check digit) with a GS1 prefix starting with
/// 3, 4 or 8, so it never fits a payment card's IIN and length.
fn ean(r: &mut Rng, b: &mut Vec<u8>) {
    let mut d = [0u8; 12];
    d[0] = *r.pick(&[3, 4, 8]);
    for x in d[1..11].iter_mut() {
        *x = r.below(10) as u8;
    }
    let sum: u32 = d[..11]
        .iter()
        .enumerate()
        .map(|(i, &x)| u32::from(x) * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    d[11] = ((10 - sum % 10) % 10) as u8;
    b.extend(d.iter().map(|x| b'0' + x));
}

// ---------------------------------------------------------------------------
// One output file

/// An output file being written: the pending bytes, the planted-value
/// bookkeeping that keeps the density on target, and the truth records.
struct Doc {
    rng: Rng,
    buf: Vec<u8>,
    out: BufWriter<File>,
    written: u64,
    planted: u64,
    density: f64,
    path_json: String,
    truth: Option<Vec<u8>>,
    truth_sink: Option<BufWriter<File>>,
    clock: u64,
    counts: [u64; 6],
    /// Whom the next email belongs to.
    person: Person,
    /// Country the next phone, IBAN or email should look like ("": any).
    cc: &'static str,
}

impl Doc {
    fn create(path: &Path, rel: &str, seed: u64, density: f64, truth: bool) -> io::Result<Doc> {
        let mut rng = Rng(seed);
        let clock = CLOCK_START_MS + rng.below(365 * DAY_MS);
        Ok(Doc {
            rng,
            buf: Vec::with_capacity(CHUNK + 64 * 1024),
            out: BufWriter::with_capacity(MIB as usize, File::create(path)?),
            written: 0,
            planted: 0,
            density,
            path_json: json_escape(rel),
            truth: truth.then(Vec::new),
            truth_sink: None,
            clock,
            counts: [0; 6],
            person: (FIRST[0], LAST[0]),
            cc: "",
        })
    }

    /// Byte offset of the next byte in the file.
    fn pos(&self) -> u64 {
        self.written + self.buf.len() as u64
    }

    fn lit(&mut self, s: &str) {
        push(&mut self.buf, s);
    }

    fn byte(&mut self, c: u8) {
        self.buf.push(c);
    }

    fn num(&mut self, n: u64) {
        push_num(&mut self.buf, n);
    }

    /// A random number in `lo..=hi`, in decimal.
    fn rand_num(&mut self, lo: u64, hi: u64) {
        push_num(&mut self.buf, self.rng.range(lo, hi));
    }

    /// Writes a look-alike (or any other filler) produced by `f`.
    fn with(&mut self, f: fn(&mut Rng, &mut Vec<u8>)) {
        f(&mut self.rng, &mut self.buf);
    }

    /// Writes a personal-data value and records it in the truth file.
    fn pii(&mut self, kind: Kind) {
        let start = self.pos();
        kind.write(&mut self.rng, &mut self.buf, self.person, self.cc);
        let end = self.pos();
        self.planted += 1;
        self.counts[kind as usize] += 1;
        if let Some(t) = &mut self.truth {
            push(t, "{\"path\": \"");
            push(t, &self.path_json);
            push(t, "\", \"kind\": \"");
            push(t, kind.name());
            push(t, "\", \"start\": ");
            push_num(t, start);
            push(t, ", \"end\": ");
            push_num(t, end);
            push(t, "}\n");
        }
    }

    /// How many values are due so that, after a record of about `len`
    /// bytes, the file averages `density` bytes per planted value.
    fn owed(&self, len: u64) -> u64 {
        let due = ((self.pos() + len) as f64 / self.density) as u64;
        due.saturating_sub(self.planted)
    }

    /// A random choice of `min(owed, n)` of `n` optional slots, as a bit mask.
    fn slots(&mut self, n: u64, len: u64) -> u32 {
        let mut left = self.owed(len).min(n);
        let mut mask = 0;
        for i in 0..n {
            if left > 0 && self.rng.below(n - i) < left {
                mask |= 1 << i;
                left -= 1;
            }
        }
        mask
    }

    /// Advances the clock by up to `max_ms` and returns it.
    fn tick(&mut self, max_ms: u64) -> u64 {
        self.clock += self.rng.below(max_ms);
        self.clock
    }

    fn iso_now(&mut self, max_ms: u64) {
        let t = self.tick(max_ms);
        push_iso(&mut self.buf, t);
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        *self.rng.pick(xs)
    }

    /// Hands full chunks to the writer (and truth records to the truth sink).
    fn end_record(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            self.flush_chunk()?;
        }
        Ok(())
    }

    fn flush_chunk(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.written += self.buf.len() as u64;
        self.buf.clear();
        if let (Some(sink), Some(t)) = (&mut self.truth_sink, &mut self.truth) {
            sink.write_all(t)?;
            t.clear();
        }
        Ok(())
    }

    /// Flushes everything; returns the truth records still held.
    fn finish(mut self) -> io::Result<Done> {
        self.flush_chunk()?;
        self.out.flush()?;
        if let Some(sink) = &mut self.truth_sink {
            sink.flush()?;
        }
        Ok(Done {
            bytes: self.written,
            counts: self.counts,
            truth: self.truth.unwrap_or_default(),
        })
    }

    /// Expands a template: text is copied, `{x}` markers are replaced by a
    /// value. Personal data: `e` email, `c` card, `i` IBAN, `p` phone,
    /// `a` IP, `s` SSN. Others: `n` name, `o` order, `k` invoice, `d` date,
    /// `t` timestamp, `u` UUID, `h` digest, `m` money, `q` quantity,
    /// `v` version, `g` GPS, `x` bad card, `y` bad IBAN, `b` EAN,
    /// `l` latency, `z` epoch millis.
    fn render(&mut self, template: &str) {
        let mut rest = template.as_bytes();
        while let Some(i) = rest.iter().position(|&c| c == b'{') {
            self.buf.extend_from_slice(&rest[..i]);
            self.marker(rest[i + 1]);
            rest = &rest[i + 3..];
        }
        self.buf.extend_from_slice(rest);
    }

    fn marker(&mut self, code: u8) {
        match code {
            b'e' => self.pii(Kind::Email),
            b'c' => self.pii(Kind::Card),
            b'i' => self.pii(Kind::Iban),
            b'p' => self.pii(Kind::Phone),
            b'a' => self.pii(Kind::Ip),
            b's' => self.pii(Kind::Ssn),
            b'n' => self.name(),
            b'o' => self.with(order_no),
            b'k' => self.with(invoice_no),
            b'd' => self.with(push_date),
            b't' => self.iso_now(5000),
            b'u' => self.with(uuid),
            b'h' => self.with(digest),
            b'm' => self.with(money),
            b'q' => {
                let q = self.rng.range(1, 99);
                self.num(q);
            }
            b'v' => self.with(version),
            b'g' => self.with(gps),
            b'x' => self.with(bad_card),
            b'y' => self.with(|r, b| iban(r, b, false, "")),
            b'b' => self.with(ean),
            b'l' => self.with(latency),
            b'z' => self.with(epoch_ms),
            other => panic!("unknown template marker {{{}}}", other as char),
        }
    }

    /// `First Last`, who becomes the current person.
    fn name(&mut self) {
        let (f, l) = random_person(&mut self.rng);
        self.person = (f, l);
        self.lit(f);
        self.byte(b' ');
        self.lit(l);
    }
}

/// What writing one file produced.
#[derive(Default)]
struct Done {
    bytes: u64,
    counts: [u64; 6],
    truth: Vec<u8>,
}

/// Calls `record` until the file reaches `target` bytes.
fn fill(d: &mut Doc, target: u64, mut record: impl FnMut(&mut Doc)) -> io::Result<()> {
    while d.pos() < target {
        record(d);
        d.end_record()?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// CSV customer exports

#[derive(Clone, Copy)]
struct CsvStyle {
    sep: u8,
    us: bool,
}

#[rustfmt::skip]
const US_CITIES: &[(&str, &str)] = &[
    ("San Francisco", "CA"), ("New York", "NY"), ("Austin", "TX"), ("Seattle", "WA"),
    ("\"Washington, D.C.\"", "DC"), ("Chicago", "IL"), ("Boston", "MA"), ("Denver", "CO"),
];
#[rustfmt::skip]
const EU_CITIES: &[(&str, &str, &str)] = &[
    ("FR", "Paris", "rue de la Paix"), ("FR", "Lyon", "avenue Jean Jaurès"),
    ("DE", "Berlin", "Hauptstraße"), ("DE", "München", "Leopoldstraße"),
    ("ES", "Madrid", "Calle de Alcalá"), ("IT", "Milano", "Via Torino"),
    ("NL", "Amsterdam", "Keizersgracht"), ("PL", "Kraków", "ulica Floriańska"),
    ("RO", "București", "Strada Lipscani"), ("BE", "Bruxelles", "Rue Neuve"),
    ("GB", "London", "Baker Street"),
];
const CSV_NOTES: &[&str] = &[
    "Prefers email, not phone",
    "VIP, renewal due {d}",
    "Paid invoice {k}, thanks",
    "Moved, new coordinates {g}",
    "Loyalty card {b}, tier gold",
    "Ref {x}, check with finance",
    "Ancien IBAN {y}, à vérifier",
    "Rückruf erbeten, Bestellung {o}",
    "Session {u}, app {v}",
    "Last order {o}, total {m}",
    "",
];

const US_HEADER: &str = "id,first_name,last_name,email,phone,ssn,card_number,city,state,zip,\
signup_date,last_order,orders,total_usd,notes\n";
const EU_HEADER: &str = "customer_id,first_name,last_name,email,phone,iban,card_number,country,\
city,address,signup_date,orders,total_eur,loyalty_ean,notes\n";

fn csv_header(d: &mut Doc, st: CsvStyle) {
    let header = if st.us { US_HEADER } else { EU_HEADER };
    let sep = st.sep;
    d.buf
        .extend(header.bytes().map(|c| if c == b',' { sep } else { c }));
}

/// A personal-data field, sometimes quoted, or an empty field.
fn csv_pii(d: &mut Doc, on: bool, kind: Kind) {
    if on {
        let quoted = d.rng.pct(15);
        if quoted {
            d.byte(b'"');
        }
        d.pii(kind);
        if quoted {
            d.byte(b'"');
        }
    }
}

fn csv_row(d: &mut Doc, st: CsvStyle) {
    let mask = d.slots(4, 230);
    let s = st.sep;
    if st.us {
        d.rand_num(1000, 999_999);
    } else if d.rng.pct(50) {
        d.with(uuid);
    } else {
        d.byte(b'C');
        push_pad(&mut d.buf, d.rng.below(10_000_000), 7);
    }
    d.byte(s);
    let (first, last) = random_person(&mut d.rng);
    d.person = (first, last);
    d.lit(first);
    d.byte(s);
    d.lit(last);
    d.byte(s);
    let city = if st.us { None } else { Some(d.pick(EU_CITIES)) };
    d.cc = city.map_or("US", |c| c.0);
    let third = if st.us { Kind::Ssn } else { Kind::Iban };
    for (bit, kind) in [Kind::Email, Kind::Phone, third, Kind::Card]
        .into_iter()
        .enumerate()
    {
        csv_pii(d, mask & (1 << bit) != 0, kind);
        d.byte(s);
    }
    if st.us {
        let (city, state) = d.pick(US_CITIES);
        d.lit(city);
        d.byte(s);
        d.lit(state);
        d.byte(s);
        push_pad(&mut d.buf, d.rng.range(1001, 99_950), 5);
        d.byte(s);
        d.with(push_date);
        d.byte(s);
        d.with(order_no);
    } else {
        let (cc, city, street) = city.unwrap_or(EU_CITIES[0]);
        d.lit(cc);
        d.byte(s);
        d.lit(city);
        d.byte(s);
        d.byte(b'"');
        d.rand_num(1, 180);
        d.byte(b' ');
        d.lit(street);
        d.lit(", ");
        push_pad(&mut d.buf, d.rng.range(1000, 99_999), 5);
        d.byte(b' ');
        d.lit(city);
        d.byte(b'"');
        d.byte(s);
        d.with(push_date);
    }
    d.byte(s);
    d.rand_num(0, 120);
    d.byte(s);
    let cents = d.rng.range(0, 500_000);
    push_decimal(&mut d.buf, cents, if s == b';' { b',' } else { b'.' });
    d.byte(s);
    if !st.us {
        d.with(ean);
        d.byte(s);
    }
    let note = d.pick(CSV_NOTES);
    if !note.is_empty() {
        d.byte(b'"');
        d.render(note);
        d.byte(b'"');
    }
    d.byte(b'\n');
}

// ---------------------------------------------------------------------------
// Application and access logs

const LOG_PII: &[&str] = &[
    "login ok user={e} ip={a} session={u} latency={l}",
    "login failed for {e} from {a}, attempts={q}",
    "charge declined card={c} amount={m} order={o}",
    "contact updated customer={u} phone=\"{p}\" source=import",
    "identity check SSN {s} matched applicant={u}",
    "sepa mandate created mandate=MNDT-{q}{q}{q} iban={i}",
    "password reset link sent to {e} (ip {a})",
    "sms sent to mobile {p}, template=otp",
    "payout to IBAN {i}, amount {m}",
    "card on file updated card={c}, customer={u}",
    "webhook from {a} rejected: bad signature {h}",
    "new signup {e} phone={p} from {a}",
];
const LOG_PLAIN: &[&str] = &[
    "job finished job_id={u} duration={l} items={q}",
    "cache stats hits={q}{q} misses={q} build={v}",
    "artifact uploaded sha={h} size={q}{q}{q}",
    "order {o} shipped invoice={k} total={m}",
    "geo lookup coords=\"{g}\" ts={z}",
    "inventory sync ean={b} qty={q} price={m}",
    "reconciliation ref={x} status=unmatched",
    "sepa import rejected ref={y}: invalid checksum",
    "healthcheck ok upstream=payments latency={l}",
    "scheduled export started at {t}, version {v}",
    "retrying request req_id={u} attempt={q} backoff={l}",
    "feature flag checkout_v2 enabled for {q}% of traffic",
];
#[rustfmt::skip]
const SERVICES: &[&str] = &[
    "auth", "payments", "crm", "billing", "kyc", "worker", "gateway", "inventory", "search",
];
const LEVELS: &[&str] = &["INFO ", "INFO ", "INFO ", "DEBUG", "WARN ", "ERROR"];
const UAS: &[&str] = &[
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
    "curl/8.5.0",
    "okhttp/4.12.0",
];

/// One log line: an nginx-style access line or a structured application line.
fn log_line(d: &mut Doc) {
    let owed = d.owed(150) > 0;
    (d.person, d.cc) = (random_person(&mut d.rng), "");
    if d.rng.pct(30) {
        return access_line(d, owed);
    }
    d.iso_now(1500);
    d.byte(b' ');
    let level = d.pick(LEVELS);
    d.lit(level);
    d.lit(" [");
    let svc = d.pick(SERVICES);
    d.lit(svc);
    d.lit("] req=");
    push_hex(&mut d.rng, &mut d.buf, 12);
    d.byte(b' ');
    let t = d.pick(if owed { LOG_PII } else { LOG_PLAIN });
    d.render(t);
    d.byte(b'\n');
}

fn access_line(d: &mut Doc, with_ip: bool) {
    if with_ip {
        d.pii(Kind::Ip);
    } else {
        d.byte(b'-');
    }
    d.lit(" - - [");
    let t = d.tick(1500);
    push_clf(&mut d.buf, t);
    d.lit("] \"");
    match d.rng.below(5) {
        0 => {
            d.lit("GET /api/v1/orders/");
            d.with(order_no);
        }
        1 => {
            d.lit("GET /api/v1/customers/");
            d.with(uuid);
        }
        2 => {
            d.lit("GET /static/app.");
            push_hex(&mut d.rng, &mut d.buf, 8);
            d.lit(".js");
        }
        3 => d.lit("POST /checkout"),
        _ => {
            d.lit("GET /search?q=shoes&page=");
            d.rand_num(1, 20);
        }
    }
    d.lit(" HTTP/1.1\" ");
    let status = d.pick(&[200, 200, 200, 201, 304, 404, 500]);
    d.num(status);
    d.byte(b' ');
    d.rand_num(120, 90_000);
    d.lit(" \"-\" \"");
    let ua = d.pick(UAS);
    d.lit(ua);
    d.lit("\" rt=");
    d.rand_num(0, 3 - 1);
    d.byte(b'.');
    push_pad(&mut d.buf, d.rng.below(1000), 3);
    d.lit(" req_id=");
    d.with(uuid);
    d.byte(b'\n');
}

// ---------------------------------------------------------------------------
// NDJSON event streams

/// One JSON event; personal data sits in optional fields.
fn event_line(d: &mut Doc) {
    let mask = d.slots(6, 280);
    let kind = if mask & 8 != 0 {
        "checkout.completed"
    } else if mask & 16 != 0 {
        "payout.created"
    } else if mask & 32 != 0 {
        "kyc.submitted"
    } else if mask & 1 != 0 {
        d.pick(&["user.signup", "user.login", "profile.updated"])
    } else {
        d.pick(&[
            "page.view",
            "search.performed",
            "cart.updated",
            "app.heartbeat",
        ])
    };
    (d.person, d.cc) = (random_person(&mut d.rng), "");
    d.lit("{\"ts\":\"");
    d.iso_now(2000);
    d.lit("\",\"type\":\"");
    d.lit(kind);
    d.lit("\",\"event_id\":\"");
    d.with(uuid);
    d.lit("\",\"session\":\"");
    push_hex(&mut d.rng, &mut d.buf, 16);
    d.lit("\",\"user_id\":");
    d.rand_num(1, 5_000_000);
    let fields = [
        (",\"email\":\"", Kind::Email, "\""),
        (",\"phone\":\"", Kind::Phone, "\""),
        (",\"ip\":\"", Kind::Ip, "\""),
        (
            ",\"payment\":{\"method\":\"card\",\"pan\":\"",
            Kind::Card,
            "\",\"exp\":\"09/27\"}",
        ),
        (",\"payout\":{\"iban\":\"", Kind::Iban, "\"}"),
        (
            ",\"kyc\":{\"ssn\":\"",
            Kind::Ssn,
            "\",\"status\":\"pending\"}",
        ),
    ];
    for (bit, (open, k, close)) in fields.into_iter().enumerate() {
        if mask & (1 << bit) != 0 {
            d.lit(open);
            d.pii(k);
            d.lit(close);
        }
    }
    if d.rng.pct(50) {
        d.lit(",\"amount\":");
        let cents = d.rng.range(99, 99_999);
        push_decimal(&mut d.buf, cents, b'.');
        let cur = d.pick(&["EUR", "USD", "GBP", "PLN", "RON"]);
        d.lit(",\"currency\":\"");
        d.lit(cur);
        d.lit("\",\"order\":\"");
        d.with(order_no);
        d.byte(b'"');
    }
    if d.rng.pct(40) {
        d.lit(",\"geo\":{\"lat\":");
        d.with(|r, b| coord(r, b, 70));
        d.lit(",\"lon\":");
        d.with(|r, b| coord(r, b, 180));
        d.byte(b'}');
    }
    if d.rng.pct(30) {
        d.lit(",\"ref\":\"");
        d.with(digest);
        d.byte(b'"');
    }
    d.lit(",\"client_ts\":");
    d.with(epoch_ms);
    d.lit(",\"latency_ms\":");
    d.rand_num(1, 900);
    d.lit(",\"app\":\"");
    d.with(version);
    d.lit("\"}\n");
}

// ---------------------------------------------------------------------------
// SQL dumps

const SQL_HEADER: &str = "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n\
-- Host: db-primary    Database: shop\n\
SET NAMES utf8mb4;\n\
DROP TABLE IF EXISTS `customers`;\n\
CREATE TABLE `customers` (\n  `id` int NOT NULL,\n  `first_name` varchar(64),\n  \
`last_name` varchar(64),\n  `email` varchar(255),\n  `phone` varchar(32),\n  \
`iban` varchar(42),\n  `card_number` varchar(23),\n  \
`birth_date` date,\n  `created_at` datetime,\n  `external_id` char(36),\n  \
`orders` int,\n  `total` decimal(10,2),\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n";

/// A nullable SQL string column holding personal data.
fn sql_pii(d: &mut Doc, on: bool, kind: Kind) {
    if on {
        d.byte(b'\'');
        d.pii(kind);
        d.byte(b'\'');
    } else {
        d.lit("NULL");
    }
    d.byte(b',');
}

fn sql_line(d: &mut Doc) {
    let id = d.rng.range(1, 9_999_999);
    let t = d.tick(60_000);
    match d.rng.below(10) {
        0..=6 => {
            let mask = d.slots(4, 230);
            d.lit("INSERT INTO customers VALUES (");
            d.num(id);
            d.byte(b',');
            let (f, l) = random_person(&mut d.rng);
            (d.person, d.cc) = ((f, l), "");
            push_sql_str(&mut d.buf, f);
            d.byte(b',');
            push_sql_str(&mut d.buf, l);
            d.byte(b',');
            let kinds = [Kind::Email, Kind::Phone, Kind::Iban, Kind::Card];
            for (bit, k) in kinds.into_iter().enumerate() {
                sql_pii(d, mask & (1 << bit) != 0, k);
            }
            let (y, m, day) = civil(d.rng.range(0, 12_000));
            d.byte(b'\'');
            push_pad(&mut d.buf, y, 4);
            d.byte(b'-');
            push_pad(&mut d.buf, m, 2);
            d.byte(b'-');
            push_pad(&mut d.buf, day, 2);
            d.lit("','");
            push_sql_time(&mut d.buf, t);
            d.lit("','");
            d.with(uuid);
            d.lit("',");
            d.rand_num(0, 80 - 1);
            d.byte(b',');
            let cents = d.rng.range(0, 900_000);
            push_decimal(&mut d.buf, cents, b'.');
        }
        7 | 8 => {
            d.lit("INSERT INTO orders VALUES (");
            d.num(id);
            d.lit(",'");
            d.with(order_no);
            d.lit("',");
            d.rand_num(1, 9_999_999);
            d.lit(",'");
            push_sql_time(&mut d.buf, t);
            d.lit("',");
            d.rand_num(1, 12);
            d.byte(b',');
            let cents = d.rng.range(99, 250_000);
            push_decimal(&mut d.buf, cents, b'.');
            d.lit(",'EUR','");
            d.with(digest);
            d.lit("','");
            d.with(invoice_no);
            d.byte(b'\'');
        }
        _ => {
            let mask = d.slots(1, 160);
            d.lit("INSERT INTO audit_log VALUES (");
            d.num(id);
            d.lit(",'");
            push_sql_time(&mut d.buf, t);
            let action = d.pick(&["login", "logout", "export", "password_change"]);
            d.lit("','");
            d.lit(action);
            d.lit("',");
            sql_pii(d, mask != 0, Kind::Ip);
            d.byte(b'\'');
            let ua = d.pick(UAS);
            d.lit(ua);
            d.byte(b'\'');
        }
    }
    d.lit(");\n");
}

// ---------------------------------------------------------------------------
// Support tickets in eight languages

/// Templates for one language: sentences with and without personal data.
struct Lang {
    code: &'static str,
    /// Country whose phone numbers, IBANs and email domains dominate.
    country: &'static str,
    subjects: &'static [&'static str],
    greet: &'static str,
    sign: &'static str,
    pii: &'static [&'static str],
    plain: &'static [&'static str],
}

const LANGS: &[Lang] = &[
    Lang {
        code: "en",
        country: "US",
        subjects: &[
            "Refund request",
            "Cannot log in",
            "Update my details",
            "Double charge on my card",
        ],
        greet: "Hello,",
        sign: "Best regards,\nSupport team",
        pii: &[
            "Customer {n} called about order {o}; please call back on phone {p}.",
            "Reply to {e}, not to the address on the invoice.",
            "Refund to card {c} failed on {d}, so we will use IBAN {i}.",
            "Suspicious login from IP {a} at {t}, account {e}.",
            "Applicant {n} gave SSN {s} for the background check.",
            "Mobile: {p}. Best time to call is after six.",
            "Please update the card on file to {c}, expiry 09/27.",
            "SSN {s} does not match our records for {e}.",
            "The new phone number is {p}, old email {e}.",
            "Wire the deposit to IBAN {i}; reference {k}.",
            "Traffic came from {a} and {a}, both blocked by the WAF.",
        ],
        plain: &[
            "Order {o} shipped on {d} with {q} items, total {m}.",
            "Invoice {k} has been overdue since {d}; amount due {m}.",
            "Build {v} was deployed at {t} (commit {h}).",
            "The scanner read EAN {b} at the warehouse, quantity {q}.",
            "Reference {x} does not match any card on file.",
            "The bank rejected transfer reference {y}: invalid checksum.",
            "Average response time was {l}, measured at {z} ms since epoch.",
            "Session {u} expired after 30 minutes of inactivity.",
            "Delivery address geocoded to {g}.",
            "Customer {n} asked for a copy of the terms and conditions.",
            "Thanks for your patience, we will get back to you shortly.",
        ],
    },
    Lang {
        code: "fr",
        country: "FR",
        subjects: &[
            "Demande de remboursement",
            "Problème de connexion",
            "Changement de coordonnées",
        ],
        greet: "Bonjour,",
        sign: "Cordialement,\nService client",
        pii: &[
            "Je suis {n}, vous pouvez me joindre au tél. {p} ou par courriel à {e}.",
            "Merci de rembourser sur mon compte IBAN {i}, et non sur la carte {c}.",
            "Connexion suspecte depuis l'adresse IP {a} le {d}.",
            "Client {n} : portable {p}, email {e}.",
            "Ma carte bancaire {c} a été débitée deux fois pour la commande {o}.",
            "Nouveau numéro de téléphone : {p}.",
        ],
        plain: &[
            "La commande {o} a été livrée le {d}, montant {m} pour {q} articles.",
            "La facture {k} reste impayée depuis le {d}.",
            "Version {v} installée, empreinte {h}.",
            "Coordonnées GPS du dépôt : {g}.",
            "La référence {x} ne correspond à aucune carte.",
            "Le client {n} souhaite être rappelé la semaine prochaine.",
            "Merci pour votre patience, nous revenons vers vous rapidement.",
        ],
    },
    Lang {
        code: "de",
        country: "DE",
        subjects: &[
            "Rückerstattung",
            "Anmeldung nicht möglich",
            "Adressänderung",
        ],
        greet: "Guten Tag,",
        sign: "Mit freundlichen Grüßen\nKundenservice",
        pii: &[
            "Meine Telefonnummer ist {p} und meine E-Mail {e}.",
            "Bitte überweisen Sie den Betrag auf mein Konto, IBAN {i}.",
            "Die Kreditkarte {c} wurde bei Bestellung {o} abgelehnt.",
            "Telefon: {p}; Rückruf erbeten.",
            "Anmeldung von IP-Adresse {a} am {d} blockiert.",
            "Kunde {n}, Mobil {p}, E-Mail {e}.",
        ],
        plain: &[
            "Die Bestellung {o} vom {d} wurde versendet, Gesamtbetrag {m}.",
            "Rechnung {k} ist seit dem {d} fällig.",
            "Softwareversion {v} mit Prüfsumme {h} ausgerollt.",
            "Lagerort {g}, Artikelnummer {b}, Menge {q}.",
            "Die Überweisung mit Referenz {y} wurde von der Bank zurückgewiesen.",
            "Vielen Dank für Ihre Geduld.",
        ],
    },
    Lang {
        code: "es",
        country: "ES",
        subjects: &[
            "Solicitud de reembolso",
            "No puedo iniciar sesión",
            "Cambio de datos",
        ],
        greet: "Hola,",
        sign: "Un saludo,\nAtención al cliente",
        pii: &[
            "Soy {n}; mi teléfono es {p} y mi correo {e}.",
            "Por favor, devuelvan el importe a la cuenta IBAN {i}.",
            "La tarjeta {c} fue rechazada en el pedido {o}.",
            "Acceso sospechoso desde la IP {a} el {d}.",
            "Móvil: {p}.",
        ],
        plain: &[
            "El pedido {o} se envió el {d}, importe {m}.",
            "La factura {k} está pendiente desde el {d}.",
            "Versión {v} desplegada, hash {h}.",
            "Coordenadas del almacén: {g}.",
            "Gracias por su paciencia.",
        ],
    },
    Lang {
        code: "it",
        country: "IT",
        subjects: &[
            "Richiesta di rimborso",
            "Accesso non riuscito",
            "Modifica dei dati",
        ],
        greet: "Buongiorno,",
        sign: "Cordiali saluti,\nAssistenza clienti",
        pii: &[
            "Sono {n}: telefono {p}, email {e}.",
            "Vi prego di accreditare il rimborso sul conto IBAN {i}.",
            "La carta di credito {c} è stata addebitata due volte per l'ordine {o}.",
            "Accesso da indirizzo IP {a} il {d}.",
            "Cellulare: {p}.",
        ],
        plain: &[
            "L'ordine {o} è stato spedito il {d}, totale {m}.",
            "La fattura {k} risulta non pagata dal {d}.",
            "Versione {v} rilasciata, checksum {h}.",
            "Coordinate del magazzino: {g}.",
            "Grazie per la pazienza.",
        ],
    },
    Lang {
        code: "nl",
        country: "NL",
        subjects: &["Terugbetaling", "Kan niet inloggen", "Gegevens wijzigen"],
        greet: "Goedemiddag,",
        sign: "Met vriendelijke groet,\nKlantenservice",
        pii: &[
            "U kunt mij bereiken op telefoon {p} of via {e}.",
            "Graag het bedrag terugstorten op rekening IBAN {i}.",
            "Mijn creditcard {c} is twee keer belast voor bestelling {o}.",
            "Inlogpoging vanaf IP {a} op {d} geblokkeerd.",
            "Mobiel: {p}.",
        ],
        plain: &[
            "Bestelling {o} is verzonden op {d}, totaal {m}.",
            "Factuur {k} staat nog open sinds {d}.",
            "Versie {v} uitgerold, checksum {h}.",
            "Locatie van het magazijn: {g}.",
            "Bedankt voor uw geduld.",
        ],
    },
    Lang {
        code: "pl",
        country: "PL",
        subjects: &["Zwrot pieniędzy", "Nie mogę się zalogować", "Zmiana danych"],
        greet: "Dzień dobry,",
        sign: "Z poważaniem,\nObsługa klienta",
        pii: &[
            "Nazywam się {n}, mój numer telefonu to {p}, e-mail {e}.",
            "Proszę o zwrot na rachunek IBAN {i}.",
            "Karta {c} została obciążona dwukrotnie za zamówienie {o}.",
            "Logowanie z adresu IP {a} w dniu {d} zostało zablokowane.",
            "Komórka: {p}.",
        ],
        plain: &[
            "Zamówienie {o} zostało wysłane {d}, kwota {m}.",
            "Faktura {k} jest nieopłacona od {d}.",
            "Wersja {v} wdrożona, suma kontrolna {h}.",
            "Współrzędne magazynu: {g}.",
            "Dziękujemy za cierpliwość.",
        ],
    },
    Lang {
        code: "ro",
        country: "RO",
        subjects: &[
            "Cerere de rambursare",
            "Nu mă pot autentifica",
            "Actualizare date",
        ],
        greet: "Bună ziua,",
        sign: "Cu stimă,\nRelații clienți",
        pii: &[
            "Sunt {n}; telefon {p}, e-mail {e}.",
            "Vă rog să returnați suma în contul IBAN {i}.",
            "Cardul {c} a fost debitat de două ori pentru comanda {o}.",
            "Autentificare blocată de la adresa IP {a} pe {d}.",
            "Mobil: {p}.",
        ],
        plain: &[
            "Comanda {o} a fost expediată pe {d}, total {m}.",
            "Factura {k} este neplătită din {d}.",
            "Versiunea {v} a fost instalată, hash {h}.",
            "Coordonatele depozitului: {g}.",
            "Vă mulțumim pentru răbdare.",
        ],
    },
];

/// One support ticket; `lang` indexes `LANGS` (out of range: a random one).
fn ticket(d: &mut Doc, lang: usize) {
    let lang = LANGS.get(lang).unwrap_or_else(|| d.rng.pick(LANGS));
    d.cc = lang.country;
    d.lit("Ticket #");
    d.rand_num(10_000, 99_999);
    d.lit(" | ");
    d.iso_now(3_600_000);
    d.lit(" | priority: ");
    let prio = d.pick(&["low", "normal", "high", "urgent"]);
    d.lit(prio);
    d.lit(" | lang: ");
    d.lit(lang.code);
    d.lit("\nSubject: ");
    let subject = d.pick(lang.subjects);
    d.lit(subject);
    d.lit("\nFrom: ");
    d.name();
    if d.owed(60) > 0 {
        d.lit(" <");
        d.pii(Kind::Email);
        d.byte(b'>');
    }
    d.lit("\n\n");
    d.lit(lang.greet);
    d.byte(b'\n');
    for i in 0..d.rng.range(2, 7) {
        if i > 0 {
            let gap = if d.rng.pct(20) { "\n\n" } else { " " };
            d.lit(gap);
        }
        let t = d.pick(if d.owed(100) > 0 {
            lang.pii
        } else {
            lang.plain
        });
        d.render(t);
    }
    d.lit("\n\n");
    d.lit(lang.sign);
    d.lit("\n---\n\n");
}

// ---------------------------------------------------------------------------
// The tree

#[derive(Clone, Copy, PartialEq)]
enum FileKind {
    Csv,
    Log,
    Events,
    Sql,
    Notes,
}

/// One file to generate.
struct Plan {
    rel: String,
    kind: FileKind,
    variant: usize,
    size: u64,
    seed: u64,
}

/// Sizes of the files in one tier: log-uniform in `lo..hi` until they add
/// up to `total`; the last one takes the remainder.
fn tier_sizes(r: &mut Rng, total: u64, lo: u64, hi: u64) -> Vec<u64> {
    let mut sizes = Vec::new();
    let mut left = total;
    let ratio = (hi as f64 / lo as f64).ln();
    while left > 0 {
        let s = ((lo as f64) * (ratio * r.unit()).exp()) as u64;
        if left < s + lo {
            sizes.push(left);
            break;
        }
        sizes.push(s);
        left -= s;
    }
    sizes
}

/// The files of a tree of `total` bytes: 60% in a few large files (their
/// number grows as the square root of the size), 25% in medium files and
/// 15% in small ones.
fn plan_tree(seed: u64, total: u64) -> Vec<Plan> {
    let mut r = Rng(derive_seed(seed, u64::MAX));
    let large_total = total * 60 / 100;
    let medium_total = total * 25 / 100;
    let small_total = total - large_total - medium_total;
    let n_large = ((total as f64 / MIB as f64 / 5.0).sqrt().round() as u64).clamp(1, 64);
    let weights: Vec<f64> = (0..n_large).map(|_| 0.7 + 0.6 * r.unit()).collect();
    let wsum: f64 = weights.iter().sum();
    let mut large: Vec<u64> = weights
        .iter()
        .map(|w| (large_total as f64 * w / wsum) as u64)
        .collect();
    large[0] += large_total - large.iter().sum::<u64>();

    let tiers = [
        (
            large,
            &[
                (FileKind::Log, 35),
                (FileKind::Events, 25),
                (FileKind::Csv, 25),
                (FileKind::Sql, 15),
                (FileKind::Notes, 0),
            ],
        ),
        (
            tier_sizes(&mut r, medium_total, 64 << 10, 2 * MIB),
            &[
                (FileKind::Log, 30),
                (FileKind::Events, 25),
                (FileKind::Csv, 30),
                (FileKind::Sql, 10),
                (FileKind::Notes, 5),
            ],
        ),
        (
            tier_sizes(&mut r, small_total, 4 << 10, 64 << 10),
            &[
                (FileKind::Log, 20),
                (FileKind::Events, 15),
                (FileKind::Csv, 25),
                (FileKind::Sql, 5),
                (FileKind::Notes, 35),
            ],
        ),
    ];
    let mut plans = Vec::new();
    for (sizes, mix) in tiers {
        for size in sizes {
            let kind = pick_weighted(&mut r, mix);
            let n = plans.len();
            let (rel, variant) = file_name(&mut r, kind, n);
            plans.push(Plan {
                rel,
                kind,
                variant,
                size,
                seed: derive_seed(seed, n as u64),
            });
        }
    }
    plans
}

/// A kind drawn with the given percentage weights (summing to 100).
fn pick_weighted(r: &mut Rng, mix: &[(FileKind, u64)]) -> FileKind {
    let mut roll = r.below(100);
    for &(kind, w) in mix {
        if roll < w {
            return kind;
        }
        roll -= w;
    }
    FileKind::Log
}

/// Relative path and variant (CSV style or ticket language) of file `n`.
fn file_name(r: &mut Rng, kind: FileKind, n: usize) -> (String, usize) {
    match kind {
        FileKind::Csv => {
            let v = r.below(3) as usize;
            let region = if v == 0 { "us" } else { "eu" };
            (format!("exports/{region}/customers-{region}-{n:05}.csv"), v)
        }
        FileKind::Log => {
            let svc = r.pick(&["web", "api", "worker", "payments"]);
            let (_, m, day) = civil(19_723 + r.below(366));
            (
                format!("logs/{svc}/{svc}-2024-{m:02}-{day:02}-{n:05}.log"),
                0,
            )
        }
        FileKind::Events => (
            format!("events/2024/{:02}/events-{n:05}.ndjson", r.range(1, 12)),
            0,
        ),
        FileKind::Sql => (format!("sql/shop-dump-{n:05}.sql"), 0),
        FileKind::Notes => {
            let v = r.below(LANGS.len() as u64 + 1) as usize;
            let code = LANGS.get(v).map_or("mixed", |l| l.code);
            (format!("notes/{code}/tickets-{n:05}.txt"), v)
        }
    }
}

fn write_file(p: &Plan, root: &Path, density: f64, truth: bool) -> io::Result<Done> {
    let mut d = Doc::create(&root.join(&p.rel), &p.rel, p.seed, density, truth)?;
    match p.kind {
        FileKind::Csv => {
            let st = CsvStyle {
                sep: if p.variant == 2 { b';' } else { b',' },
                us: p.variant == 0,
            };
            csv_header(&mut d, st);
            fill(&mut d, p.size, |d| csv_row(d, st))?;
        }
        FileKind::Log => fill(&mut d, p.size, log_line)?,
        FileKind::Events => fill(&mut d, p.size, event_line)?,
        FileKind::Sql => {
            d.lit(SQL_HEADER);
            fill(&mut d, p.size, sql_line)?;
        }
        FileKind::Notes => fill(&mut d, p.size, |d| ticket(d, p.variant))?,
    }
    d.finish()
}

/// Writes the tree with `jobs` threads; truth records go out in plan order.
fn run_tree(a: &Args, out: &Path) -> Result<Done, Box<dyn Error>> {
    let plans = plan_tree(a.seed, a.bytes);
    for p in &plans {
        if let Some(parent) = out.join(&p.rel).parent() {
            fs::create_dir_all(parent)?;
        }
    }
    let mut truth = match &a.truth {
        Some(t) => Some(BufWriter::with_capacity(MIB as usize, File::create(t)?)),
        None => None,
    };
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, io::Result<Done>)>();
    let mut total = Done::default();
    std::thread::scope(|s| -> Result<(), Box<dyn Error>> {
        for _ in 0..a.jobs {
            let tx = tx.clone();
            let (plans, next) = (&plans, &next);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = plans.get(i) else { break };
                if tx
                    .send((i, write_file(p, out, a.density, a.truth.is_some())))
                    .is_err()
                {
                    break;
                }
            });
        }
        drop(tx);
        let mut pending = BTreeMap::new();
        let mut want = 0;
        for (i, res) in rx {
            pending.insert(i, res?);
            while let Some(done) = pending.remove(&want) {
                if let Some(t) = &mut truth {
                    t.write_all(&done.truth)?;
                }
                total.bytes += done.bytes;
                for (c, n) in total.counts.iter_mut().zip(done.counts) {
                    *c += n;
                }
                want += 1;
            }
        }
        Ok(())
    })?;
    if let Some(t) = &mut truth {
        t.flush()?;
    }
    eprintln!("gendump: {} files under {}", plans.len(), out.display());
    Ok(total)
}

/// Writes one file of log blocks and CSV blocks, streaming.
fn run_single(a: &Args, path: &Path) -> Result<Done, Box<dyn Error>> {
    let rel = path
        .file_name()
        .map_or_else(|| path.to_string_lossy(), |n| n.to_string_lossy());
    let mut d = Doc::create(
        path,
        &rel,
        derive_seed(a.seed, 0),
        a.density,
        a.truth.is_some(),
    )?;
    if let Some(t) = &a.truth {
        d.truth_sink = Some(BufWriter::with_capacity(MIB as usize, File::create(t)?));
    }
    let target = a.bytes;
    while d.pos() < target {
        let lines = d.rng.range(50, 3000);
        if d.rng.pct(60) {
            for _ in 0..lines {
                if d.pos() >= target {
                    break;
                }
                log_line(&mut d);
                d.end_record()?;
            }
        } else {
            let v = d.rng.below(3);
            let st = CsvStyle {
                sep: if v == 2 { b';' } else { b',' },
                us: v == 0,
            };
            d.byte(b'\n');
            csv_header(&mut d, st);
            for _ in 0..lines {
                if d.pos() >= target {
                    break;
                }
                csv_row(&mut d, st);
                d.end_record()?;
            }
            d.byte(b'\n');
        }
    }
    Ok(d.finish()?)
}

// ---------------------------------------------------------------------------
// Command line

struct Args {
    out: Option<PathBuf>,
    single: Option<PathBuf>,
    bytes: u64,
    seed: u64,
    truth: Option<PathBuf>,
    density: f64,
    jobs: usize,
}

const USAGE: &str = "usage: gendump (--out DIR | --single FILE) --size-mb N [--seed S] \
[--truth FILE] [--density BYTES_PER_VALUE] [--jobs J]";

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        out: None,
        single: None,
        bytes: 0,
        seed: 42,
        truth: None,
        density: 300.0,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_string());
        }
        let value = inline
            .or_else(|| it.next())
            .ok_or(format!("{flag} needs a value\n{USAGE}"))?;
        let bad = || format!("bad value for {flag}: {value}");
        match flag.as_str() {
            "--out" => a.out = Some(value.into()),
            "--single" => a.single = Some(value.into()),
            "--truth" => a.truth = Some(value.into()),
            "--size-mb" => a.bytes = (value.parse::<f64>().map_err(|_| bad())? * MIB as f64) as u64,
            "--seed" => a.seed = value.parse().map_err(|_| bad())?,
            "--density" => a.density = value.parse().map_err(|_| bad())?,
            "--jobs" => a.jobs = value.parse().map_err(|_| bad())?,
            _ => return Err(format!("unknown option {flag}\n{USAGE}")),
        }
    }
    if a.out.is_some() == a.single.is_some() {
        return Err(format!("give exactly one of --out and --single\n{USAGE}"));
    }
    if a.bytes == 0 || a.density.is_nan() || a.density < 1.0 || a.jobs == 0 {
        return Err(format!(
            "--size-mb, --density (>= 1) and --jobs must be positive\n{USAGE}"
        ));
    }
    Ok(a)
}

fn run() -> Result<(), Box<dyn Error>> {
    let a = parse_args()?;
    let start = Instant::now();
    let done = match (&a.out, &a.single) {
        (Some(out), _) => run_tree(&a, out)?,
        (_, Some(file)) => run_single(&a, file)?,
        _ => unreachable!(),
    };
    let secs = start.elapsed().as_secs_f64();
    let mib = done.bytes as f64 / MIB as f64;
    eprintln!(
        "gendump: {mib:.1} MiB in {secs:.2} s ({:.0} MiB/s)",
        mib / secs
    );
    let planted: u64 = done.counts.iter().sum();
    let per_kind: Vec<String> = Kind::ALL
        .iter()
        .map(|k| format!("{}={}", k.name(), done.counts[*k as usize]))
        .collect();
    eprintln!(
        "gendump: {planted} planted values ({}), {:.0} bytes/value",
        per_kind.join(" "),
        done.bytes as f64 / planted.max(1) as f64
    );
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("gendump: {e}");
        std::process::exit(2);
    }
}
