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
//!   log lines and CSV rows (only CSV rows under one header when FILE ends
//!   in `.csv`); it streams in constant memory.
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

mod records;

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

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Email,
    Card,
    Iban,
    Phone,
    Ip,
    Ssn,
    Mac,
    Bic,
    Vat,
    Dob,
    Passport,
    Mrz,
    Name,
    Address,
    Itin,
    Sin,
    Nino,
    Nhs,
    Nir,
    DeTax,
    Dni,
    Nie,
    FiscalCode,
    Bsn,
    BeNn,
    Pesel,
    Cnp,
    Pnr,
    Aadhaar,
    Pan,
    Cpf,
    Tfn,
    Npi,
    AwsKey,
    GhToken,
    UrlPassword,
    PemKey,
}

impl Kind {
    const COUNT: usize = 37;
    const ALL: [Kind; Kind::COUNT] = [
        Kind::Email,
        Kind::Card,
        Kind::Iban,
        Kind::Phone,
        Kind::Ip,
        Kind::Ssn,
        Kind::Mac,
        Kind::Bic,
        Kind::Vat,
        Kind::Dob,
        Kind::Passport,
        Kind::Mrz,
        Kind::Name,
        Kind::Address,
        Kind::Itin,
        Kind::Sin,
        Kind::Nino,
        Kind::Nhs,
        Kind::Nir,
        Kind::DeTax,
        Kind::Dni,
        Kind::Nie,
        Kind::FiscalCode,
        Kind::Bsn,
        Kind::BeNn,
        Kind::Pesel,
        Kind::Cnp,
        Kind::Pnr,
        Kind::Aadhaar,
        Kind::Pan,
        Kind::Cpf,
        Kind::Tfn,
        Kind::Npi,
        Kind::AwsKey,
        Kind::GhToken,
        Kind::UrlPassword,
        Kind::PemKey,
    ];

    /// The truth-file kind (several written forms share one).
    fn name(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Card => "credit_card",
            Kind::Iban => "iban",
            Kind::Phone => "phone",
            Kind::Ip => "ip_address",
            Kind::Ssn => "us_ssn",
            Kind::Mac => "mac_address",
            Kind::Bic => "swift_bic",
            Kind::Vat => "vat_id",
            Kind::Dob => "date_of_birth",
            Kind::Passport | Kind::Mrz => "passport",
            Kind::Name => "person_name",
            Kind::Address => "postal_address",
            Kind::Itin => "us_itin",
            Kind::Sin => "ca_sin",
            Kind::Nino => "uk_nino",
            Kind::Nhs => "uk_nhs",
            Kind::Nir => "fr_nir",
            Kind::DeTax => "de_tax_id",
            Kind::Dni => "es_dni",
            Kind::Nie => "es_nie",
            Kind::FiscalCode => "it_fiscal_code",
            Kind::Bsn => "nl_bsn",
            Kind::BeNn => "be_national_number",
            Kind::Pesel => "pl_pesel",
            Kind::Cnp => "ro_cnp",
            Kind::Pnr => "se_personnummer",
            Kind::Aadhaar => "in_aadhaar",
            Kind::Pan => "in_pan",
            Kind::Cpf => "br_cpf",
            Kind::Tfn => "au_tfn",
            Kind::Npi => "us_npi",
            Kind::AwsKey | Kind::GhToken | Kind::UrlPassword | Kind::PemKey => "credential",
        }
    }

    /// Writes a value of this kind; `who` is the person it belongs to and
    /// `cc` the country it should look like ("" for any). `labelled` says a
    /// context word precedes the value, so forms that need one may be used;
    /// `valid = false` writes a look-alike failing the check digits. Returns
    /// how many of the written bytes form the value (a PEM block goes on
    /// past what the scanner matches).
    fn write(self, r: &mut Rng, b: &mut Vec<u8>, who: Person, cc: &str, f: Form) -> usize {
        let start = b.len();
        match self {
            Kind::Email => email(r, b, who, cc),
            Kind::Card => card(r, b),
            Kind::Iban => iban(r, b, true, cc),
            Kind::Phone => phone(r, b, cc),
            Kind::Ip => ip(r, b),
            Kind::Ssn => ssn(r, b),
            Kind::Mac => mac(r, b, f.valid),
            Kind::Bic => bic(r, b, cc),
            Kind::Vat => vat(r, b, cc, f.valid),
            Kind::Dob => dob(r, b, cc),
            Kind::Passport => passport(r, b, cc),
            Kind::Mrz => mrz_line2(r, b),
            Kind::Name => {
                push(b, who.0);
                b.push(b' ');
                push(b, who.1);
            }
            Kind::Address => address(r, b, cc),
            Kind::Itin => itin(r, b, f),
            Kind::Sin => sin(r, b, f),
            Kind::Nino => nino(r, b),
            Kind::Nhs => nhs(r, b, f),
            Kind::Nir => nir(r, b, f),
            Kind::DeTax => de_tax_id(r, b, f),
            Kind::Dni => dni(r, b, f),
            Kind::Nie => nie(r, b, f),
            Kind::FiscalCode => fiscal_code(r, b, f),
            Kind::Bsn => bsn(r, b, f),
            Kind::BeNn => be_nn(r, b, f),
            Kind::Pesel => pesel(r, b, f),
            Kind::Cnp => cnp(r, b, f),
            Kind::Pnr => personnummer(r, b, f),
            Kind::Aadhaar => aadhaar(r, b, f),
            Kind::Pan => pan(r, b),
            Kind::Cpf => cpf(r, b, f),
            Kind::Tfn => tfn(r, b, f),
            Kind::Npi => npi(r, b, f),
            Kind::AwsKey => aws_key(r, b),
            Kind::GhToken => gh_token(r, b),
            Kind::UrlPassword => url_password(r, b),
            Kind::PemKey => return pem_key(r, b),
        }
        b.len() - start
    }
}

/// How a value is written: with a label before it (context-needing forms
/// allowed) and with valid check digits, or not.
#[derive(Clone, Copy)]
struct Form {
    labelled: bool,
    valid: bool,
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

/// Names of `FIRST` and `LAST` missing from the scanner's dictionaries.
#[rustfmt::skip]
const UNKNOWN_NAMES: &[&str] = &[
    "Élodie", "Chloé", "Jörg", "Núria", "Ștefan", "Andreea", "Zoë", "Aoife", "Seán", "Lefèvre",
    "Weiß", "Núñez", "Bakker", "Zieliński", "Stănescu", "O'Brien", "Peeters",
];

/// A person whose given name or surname is a known name, as a name written
/// after a label must be to count as one.
fn known_person(r: &mut Rng) -> Person {
    loop {
        let p = random_person(r);
        if !UNKNOWN_NAMES.contains(&p.0) || !UNKNOWN_NAMES.contains(&p.1) {
            return p;
        }
    }
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
// More personal data: device, business, person and national identifiers

fn push_dv(b: &mut Vec<u8>, d: &[u8]) {
    b.extend(d.iter().map(|x| b'0' + x));
}

/// Digit values `d` in groups of the given sizes, `sep` between groups.
fn push_grouped(b: &mut Vec<u8>, d: &[u8], groups: &[usize], sep: &str) {
    let mut i = 0;
    for (gi, &g) in groups.iter().enumerate() {
        if gi > 0 {
            push(b, sep);
        }
        push_dv(b, &d[i..i + g]);
        i += g;
    }
}

fn fill_digits(r: &mut Rng, d: &mut [u8]) {
    for x in d.iter_mut() {
        *x = r.below(10) as u8;
    }
}

fn weighted_sum(d: &[u8], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(&x, &w)| u32::from(x) * w).sum()
}

/// A digit different from `d`.
fn other_digit(r: &mut Rng, d: u8) -> u8 {
    (d + 1 + r.below(9) as u8) % 10
}

fn upper(r: &mut Rng) -> u8 {
    b'A' + r.below(26) as u8
}

fn days_in(y: u64, m: u64) -> u64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A birth date between `lo` and `hi` (years).
fn birth_ymd(r: &mut Rng, lo: u64, hi: u64) -> (u64, u64, u64) {
    let y = r.range(lo, hi);
    let m = r.range(1, 12);
    (y, m, r.range(1, days_in(y, m)))
}

/// `yy`, `mm`, `dd` as six digit values.
fn ymd_digits(y: u64, m: u64, d: u64, out: &mut [u8]) {
    for (i, v) in [y % 100, m, d].into_iter().enumerate() {
        out[2 * i] = (v / 10) as u8;
        out[2 * i + 1] = (v % 10) as u8;
    }
}

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// A MAC-48 address in colon, dash or Cisco dotted notation; `valid =
/// false` gives a MAC-like string of five groups.
fn mac(r: &mut Rng, b: &mut Vec<u8>, valid: bool) {
    let bits = r.next_u64();
    let mut o = [0u8; 6];
    for (i, x) in o.iter_mut().enumerate() {
        *x = (bits >> (8 * i)) as u8;
    }
    o[0] &= 0xfe; // unicast
    if !valid {
        for (i, x) in o[..5].iter().enumerate() {
            if i > 0 {
                b.push(b':');
            }
            b.push(HEX_LOWER[usize::from(x >> 4)]);
            b.push(HEX_LOWER[usize::from(x & 15)]);
        }
        return;
    }
    let (hex, sep) = match r.below(20) {
        0..=8 => (HEX_LOWER, b':'),
        9..=13 => (HEX_UPPER, b':'),
        14..=17 => (HEX_UPPER, b'-'),
        _ => {
            // Cisco `0000.5e00.5312`: needs a hex letter somewhere.
            if o.iter().all(|x| x >> 4 < 10 && x & 15 < 10) {
                o[5] |= 0x0a;
            }
            for (i, x) in o.iter().enumerate() {
                if i > 0 && i % 2 == 0 {
                    b.push(b'.');
                }
                b.push(HEX_LOWER[usize::from(x >> 4)]);
                b.push(HEX_LOWER[usize::from(x & 15)]);
            }
            return;
        }
    };
    for (i, x) in o.iter().enumerate() {
        if i > 0 {
            b.push(sep);
        }
        b.push(hex[usize::from(x >> 4)]);
        b.push(hex[usize::from(x & 15)]);
    }
}

#[rustfmt::skip]
const BIC_COUNTRIES: &[&str] = &[
    "DE", "FR", "GB", "NL", "ES", "IT", "RO", "PL", "BE", "US", "SE", "AT", "CH", "PT", "IE",
];

/// A SWIFT/BIC code with made-up institution letters: `EXMPFRPP`, `TSTBDEFFXXX`.
fn bic(r: &mut Rng, b: &mut Vec<u8>, cc: &str) {
    for _ in 0..4 {
        b.push(upper(r));
    }
    let cc = if cc.is_empty() || cc == "US" && r.pct(50) {
        r.word(BIC_COUNTRIES)
    } else {
        cc
    };
    push(b, cc);
    b.push(upper(r));
    b.push(if r.pct(50) {
        upper(r)
    } else {
        b'1' + r.below(9) as u8
    });
    match r.below(10) {
        0..=2 => push(b, "XXX"),
        3 | 4 => {
            b.push(upper(r));
            push_digits(r, b, 2);
        }
        _ => {}
    }
}

/// ISO 7064 MOD 11,10 check digit (German VAT and tax ids).
fn mod11_10_digit(d: &[u8]) -> u8 {
    let mut p = 10u32;
    for &x in d {
        let mut s = (u32::from(x) + p) % 10;
        if s == 0 {
            s = 10;
        }
        p = (2 * s) % 11;
    }
    ((11 - p) % 10) as u8
}

const VAT_COUNTRIES: &[&str] = &["DE", "FR", "IT", "NL", "BE", "ES", "PL", "RO", "AT", "PT"];

/// An EU VAT number of country `cc` (or a random one) in one of its usual
/// written forms; `valid = false` changes the check digit.
fn vat(r: &mut Rng, b: &mut Vec<u8>, cc: &str, valid: bool) {
    let cc = match VAT_COUNTRIES.iter().find(|&&c| c == cc) {
        Some(c) if r.pct(85) => c,
        _ => r.word(VAT_COUNTRIES),
    };
    let cc = if !valid && matches!(cc, "NL" | "ES" | "RO") {
        "DE"
    } else {
        cc
    };
    let mut d = [0u8; 12];
    let prefix_sep = match r.below(10) {
        0..=6 => "",
        _ => " ",
    };
    push(b, cc);
    match cc {
        "DE" => {
            fill_digits(r, &mut d[..8]);
            d[0] = r.range(1, 9) as u8;
            d[8] = mod11_10_digit(&d[..8]);
            if !valid {
                d[8] = other_digit(r, d[8]);
            }
            push(b, prefix_sep);
            if r.pct(25) {
                push_grouped(b, &d[..9], &[3, 3, 3], " ");
            } else {
                push_dv(b, &d[..9]);
            }
        }
        "FR" => {
            fill_digits(r, &mut d[..8]);
            d[0] = r.range(3, 9) as u8;
            d[8] = luhn_digit(&d[..8]);
            let siren = d[..9].iter().fold(0u64, |a, &x| a * 10 + u64::from(x));
            let mut key = (siren * 100 + 12) % 97;
            if !valid {
                key = (key + 1 + r.below(90)) % 97;
            }
            push(b, prefix_sep);
            push_pad(b, key, 2);
            if r.pct(30) {
                b.push(b' ');
                push_grouped(b, &d[..9], &[3, 3, 3], " ");
            } else {
                push_dv(b, &d[..9]);
            }
        }
        "IT" => {
            fill_digits(r, &mut d[..7]);
            d[0] = r.range(0, 9) as u8;
            d[1] = r.range(1, 9) as u8;
            let office = r.range(1, 100);
            d[7] = (office / 100) as u8;
            d[8] = (office / 10 % 10) as u8;
            d[9] = (office % 10) as u8;
            d[10] = luhn_digit(&d[..10]);
            if !valid {
                d[10] = other_digit(r, d[10]);
            }
            push(b, prefix_sep);
            push_dv(b, &d[..11]);
        }
        "NL" => {
            bsn_digits(r, &mut d);
            push_dv(b, &d[..9]);
            push(b, "B0");
            b.push(b'1' + r.below(3) as u8);
        }
        "BE" => {
            d[0] = r.below(2) as u8;
            fill_digits(r, &mut d[1..8]);
            d[1] = r.range(2, 9) as u8;
            let n = d[..8].iter().fold(0u64, |a, &x| a * 10 + u64::from(x));
            let mut c = 97 - n % 97;
            if !valid {
                c = c % 97 + 1;
            }
            d[8] = (c / 10) as u8;
            d[9] = (c % 10) as u8;
            push(b, prefix_sep);
            match r.below(3) {
                0 => {
                    push_dv(b, &d[..4]);
                    b.push(b'.');
                    push_grouped(b, &d[4..10], &[3, 3], ".");
                }
                1 => {
                    push_dv(b, &d[..4]);
                    b.push(b' ');
                    push_grouped(b, &d[4..10], &[3, 3], " ");
                }
                _ => push_dv(b, &d[..10]),
            }
        }
        "ES" => {
            b.push(*r.pick(b"ABBBG"));
            fill_digits(r, &mut d[..7]);
            push_dv(b, &d[..7]);
            push_dv(b, &[luhn_digit(&d[..7])]);
        }
        "PL" => {
            loop {
                fill_digits(r, &mut d[..9]);
                d[0] = r.range(1, 9) as u8;
                let c = weighted_sum(&d[..9], &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
                if c < 10 {
                    d[9] = c as u8;
                    break;
                }
            }
            if !valid {
                d[9] = other_digit(r, d[9]);
            }
            push(b, prefix_sep);
            if r.pct(30) {
                push_grouped(b, &d[..10], &[3, 3, 2, 2], "-");
            } else {
                push_dv(b, &d[..10]);
            }
        }
        "RO" => {
            // CUI of nine digits: weights 7,5,3,2,1,7,5,3,2 right-aligned.
            fill_digits(r, &mut d[1..9]);
            d[1] = r.range(1, 9) as u8;
            let c = weighted_sum(&d[..9], &[7, 5, 3, 2, 1, 7, 5, 3, 2]) * 10 % 11 % 10;
            d[9] = c as u8;
            push(b, prefix_sep);
            push_dv(b, &d[1..10]);
        }
        "AT" => {
            push(b, prefix_sep);
            b.push(b'U');
            fill_digits(r, &mut d[..7]);
            let sum: u32 = d[..7]
                .iter()
                .enumerate()
                .map(|(i, &x)| {
                    let p = u32::from(x) * if i % 2 == 1 { 2 } else { 1 };
                    p / 10 + p % 10
                })
                .sum();
            d[7] = ((10 - (sum + 4) % 10) % 10) as u8;
            if !valid {
                d[7] = other_digit(r, d[7]);
            }
            push_dv(b, &d[..8]);
        }
        _ => {
            // PT
            fill_digits(r, &mut d[..8]);
            d[0] = *r.pick(&[1, 2, 5]);
            let rem = weighted_sum(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
            d[8] = ((11 - rem) % 11 % 10) as u8;
            if !valid {
                d[8] = other_digit(r, d[8]);
            }
            push(b, prefix_sep);
            push_dv(b, &d[..9]);
        }
    }
}

/// A birth date written the way country `cc` writes dates.
fn dob(r: &mut Rng, b: &mut Vec<u8>, cc: &str) {
    let (y, m, d) = birth_ymd(r, 1938, 2006);
    if r.pct(30) {
        push_pad(b, y, 4);
        b.push(b'-');
        push_pad(b, m, 2);
        b.push(b'-');
        push_pad(b, d, 2);
        return;
    }
    let sep = match cc {
        "DE" | "PL" | "RO" | "SE" => b'.',
        "NL" => b'-',
        "" => *r.pick(b"/.-"),
        _ => b'/',
    };
    let (first, second) = if cc == "US" { (m, d) } else { (d, m) };
    push_pad(b, first, 2);
    b.push(sep);
    push_pad(b, second, 2);
    b.push(sep);
    if y < 2000 && r.pct(8) {
        push_pad(b, y % 100, 2);
    } else {
        push_pad(b, y, 4);
    }
}

/// Letters that start no VAT prefix or NINO-like run in passport numbers.
const PASSPORT_PAIRS: &[&str] = &["YA", "YB", "NX", "NW", "EW", "KJ", "XR", "JA", "YC"];

/// A passport number in a national format: `571938264`, `18KX52913`,
/// `C01X00T47`, `PAB712345`, `YA4830172`, `NXR4K82J5`, `05381924`, `J8369854`.
fn passport(r: &mut Rng, b: &mut Vec<u8>, cc: &str) {
    let style = match cc {
        "US" | "GB" => 0,
        "FR" | "BE" => 1,
        "DE" => 2,
        "ES" => 3,
        "IT" | "PL" => 4,
        "NL" => 5,
        "RO" => 6,
        _ => r.below(8),
    };
    const DE_SET: &[u8] = b"CFGHJKLMNPRTVWXYZ0123456789";
    match style {
        0 => {
            push_num(b, r.range(1, 9));
            push_digits(r, b, 8);
        }
        1 => {
            push_digits(r, b, 2);
            b.push(upper(r));
            b.push(upper(r));
            push_digits(r, b, 5);
        }
        2 => {
            b.push(*r.pick(&DE_SET[..17]));
            for _ in 0..7 {
                b.push(*r.pick(DE_SET));
            }
            push_digits(r, b, 1);
        }
        3 => {
            push(b, r.word(&["PAA", "PAB", "PAC", "AAK", "XDA"]));
            push_digits(r, b, 6);
        }
        4 => {
            push(b, r.word(PASSPORT_PAIRS));
            push_digits(r, b, 7);
        }
        5 => {
            push(b, r.word(PASSPORT_PAIRS));
            for _ in 0..6 {
                if r.pct(40) {
                    b.push(*r.pick(b"BFHJKLNPRSTX"));
                } else {
                    push_digits(r, b, 1);
                }
            }
            push_digits(r, b, 1);
        }
        6 => {
            b.push(*r.pick(b"0345"));
            push_digits(r, b, 7);
        }
        _ => {
            b.push(*r.pick(b"JKLMNPRSTV"));
            push_digits(r, b, 7);
        }
    }
}

fn mrz_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'Z' => u32::from(c - b'A') + 10,
        _ => 0,
    }
}

/// ICAO 9303 check digit: weights 7, 3, 1.
fn mrz_check(parts: &[&[u8]]) -> u8 {
    let sum: u32 = parts
        .iter()
        .flat_map(|p| p.iter())
        .zip([7u32, 3, 1].iter().cycle())
        .map(|(&c, &w)| mrz_value(c) * w)
        .sum();
    b'0' + (sum % 10) as u8
}

const MRZ_STATES: &[&str] = &[
    "UTO", "UTO", "D<<", "FRA", "GBR", "NLD", "ITA", "ESP", "POL", "ROU", "USA", "BEL",
];

/// Line 1 of a TD3 passport MRZ: `P<UTOERIKSSON<<ANNA<<<…` (44 characters).
fn mrz_line1(b: &mut Vec<u8>, who: Person) {
    let start = b.len();
    push(b, "P<UTO");
    let mut name = Vec::new();
    push_folded(&mut name, who.1);
    name.extend_from_slice(b"<<");
    push_folded(&mut name, who.0);
    b.extend(name.iter().take(39).map(|c| c.to_ascii_uppercase()));
    while b.len() - start < 44 {
        b.push(b'<');
    }
}

/// Line 2 of a TD3 passport MRZ with every check digit and the composite.
fn mrz_line2(r: &mut Rng, b: &mut Vec<u8>) {
    let mut l = [b'<'; 44];
    let n = if r.pct(15) { 8 } else { 9 };
    for (i, c) in l[..n].iter_mut().enumerate() {
        *c = if (i < 2 && r.pct(70)) || r.pct(15) {
            upper(r)
        } else {
            b'0' + r.below(10) as u8
        };
    }
    l[9] = mrz_check(&[&l[..9]]);
    l[10..13].copy_from_slice(r.word(MRZ_STATES).as_bytes());
    let (y, m, d) = birth_ymd(r, 1940, 2006);
    let mut dd = [0u8; 6];
    ymd_digits(y, m, d, &mut dd);
    for (c, x) in l[13..19].iter_mut().zip(dd) {
        *c = b'0' + x;
    }
    l[19] = mrz_check(&[&l[13..19]]);
    l[20] = *r.pick(b"MMFFFMX<");
    let (y, m, d) = birth_ymd(r, 2026, 2035);
    ymd_digits(y, m, d, &mut dd);
    for (c, x) in l[21..27].iter_mut().zip(dd) {
        *c = b'0' + x;
    }
    l[27] = mrz_check(&[&l[21..27]]);
    if r.pct(30) {
        let k = r.range(5, 14) as usize;
        for c in l[28..28 + k].iter_mut() {
            *c = b'0' + r.below(10) as u8;
        }
        l[42] = mrz_check(&[&l[28..42]]);
    } else {
        l[42] = if r.pct(50) { b'<' } else { b'0' };
    }
    l[43] = mrz_check(&[&l[..10], &l[13..20], &l[21..43]]);
    b.extend_from_slice(&l);
}

#[rustfmt::skip]
const EN_STREETS: &[&str] = &[
    "Baker", "Elm", "Oak", "Maple", "High", "Church", "Station", "Victoria", "Park", "Mill",
    "King", "Queen", "Cedar", "Pine", "Market", "Lake", "Bridge", "Sunset", "Willow", "Green Hill",
    "North Oak", "Pennsylvania",
];
#[rustfmt::skip]
const EN_SUFFIXES: &[&str] = &[
    "Street", "Street", "Road", "Avenue", "Lane", "Drive", "Court", "Place", "Way", "Close",
    "Crescent", "Square", "Terrace", "Boulevard", "St.", "Rd", "Ave",
];
#[rustfmt::skip]
const FR_STREETS: &[&str] = &[
    "rue de la Paix", "rue Victor Hugo", "avenue Jean Jaurès", "boulevard Haussmann",
    "place Bellecour", "rue du Faubourg Saint-Honoré", "allée des Tilleuls", "chemin des Vignes",
    "quai des Chartrons", "rue de la République", "impasse Voltaire", "avenue du Général Leclerc",
    "rue Neuve", "boulevard Anspach",
];
#[rustfmt::skip]
const DE_STREETS: &[&str] = &[
    "Hauptstraße", "Leopoldstraße", "Bahnhofstraße", "Goethestraße", "Lindenweg", "Schillerstraße",
    "Marktplatz", "Birkenweg", "Rosengasse", "Schlossallee", "Kaiserdamm", "Mainufer",
];
#[rustfmt::skip]
const NL_STREETS: &[&str] = &[
    "Kerkstraat", "Dorpsstraat", "Keizersgracht", "Prinsengracht", "Stationsweg", "Molenlaan",
    "Marktplein", "Wilhelminakade", "Stationsplein",
];
const SE_STREETS: &[&str] = &[
    "Storgatan",
    "Drottninggatan",
    "Kungsgatan",
    "Sveavägen",
    "Götgatan",
];
#[rustfmt::skip]
const IT_STREETS: &[&str] = &[
    "Via Roma", "Via Garibaldi", "Via Torino", "Corso Buenos Aires", "Viale Monza",
    "Piazza Navona", "Via Giuseppe Verdi", "Corso Vittorio Emanuele",
];
#[rustfmt::skip]
const ES_STREETS: &[&str] = &[
    "Calle Mayor", "Calle de Alcalá", "Avenida de América", "Paseo de Gracia", "Plaza Mayor",
    "Carrer de Balmes", "Calle Gran Vía",
];
#[rustfmt::skip]
const RO_STREETS: &[&str] = &[
    "Strada Lipscani", "Calea Victoriei", "Bulevardul Unirii", "Strada Mihai Eminescu",
    "Aleea Trandafirilor",
];
#[rustfmt::skip]
const PL_STREETS: &[&str] = &[
    "ul. Floriańska", "ul. Długa", "ul. Marszałkowska", "al. Jerozolimskie", "ul. Piotrkowska",
];
const PT_STREETS: &[&str] = &["Rua Augusta", "Avenida da Liberdade", "Rua do Carmo"];
#[rustfmt::skip]
const ADDRESS_COUNTRIES: &[&str] = &[
    "US", "GB", "FR", "BE", "DE", "NL", "SE", "IT", "ES", "RO", "PL", "PT",
];

/// The street part of a postal address in the order country `cc` writes
/// it: `221B Baker Street`, `12 rue de la Paix`, `Hauptstraße 5`,
/// `Via Roma 10`, `ul. Długa 12`.
fn address(r: &mut Rng, b: &mut Vec<u8>, cc: &str) {
    let cc = if cc.is_empty() {
        r.word(ADDRESS_COUNTRIES)
    } else {
        cc
    };
    match cc {
        "US" | "GB" | "IE" | "AU" | "CA" => {
            push_num(b, r.range(1, if cc == "US" { 9999 } else { 240 }));
            if r.pct(5) {
                b.push(b'B');
            }
            b.push(b' ');
            push(b, r.word(EN_STREETS));
            b.push(b' ');
            push(b, r.word(EN_SUFFIXES));
        }
        "FR" | "BE" => {
            push_num(b, r.range(1, 180));
            if r.pct(6) {
                push(b, r.word(&[" bis", " ter"]));
            }
            b.push(b' ');
            push(b, r.word(FR_STREETS));
        }
        "DE" | "AT" | "NL" | "SE" => {
            let streets = match cc {
                "NL" => NL_STREETS,
                "SE" => SE_STREETS,
                _ => DE_STREETS,
            };
            push(b, r.word(streets));
            b.push(b' ');
            push_num(b, r.range(1, 250));
            if r.pct(8) {
                b.push(*r.pick(b"abc"));
            }
        }
        _ => {
            let streets = match cc {
                "IT" => IT_STREETS,
                "ES" => ES_STREETS,
                "RO" => RO_STREETS,
                "PL" => PL_STREETS,
                _ => PT_STREETS,
            };
            push(b, r.word(streets));
            match (cc, r.below(4)) {
                ("IT" | "ES", 0) => push(b, ", "),
                ("IT", 1) => push(b, " n. "),
                ("RO", 0 | 1) => push(b, " nr. "),
                _ => b.push(b' '),
            }
            push_num(b, r.range(1, 220));
        }
    }
}

/// `9XX-GG-XXXX` with an IRS-assigned group; plain with a label.
fn itin(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let group = loop {
        let g = r.range(50, 99);
        if matches!(g, 50..=65 | 70..=88 | 90..=92 | 94..=99) {
            break g;
        }
    };
    let sep = match r.below(10) {
        0 if f.labelled => "",
        1 => " ",
        _ => "-",
    };
    b.push(b'9');
    push_digits(r, b, 2);
    push(b, sep);
    push_pad(b, group, 2);
    push(b, sep);
    push_pad(b, r.range(1, 9999), 4);
}

/// Nine digits in 3-3-3 groups (space or dash) or plain.
fn push_nine(r: &mut Rng, b: &mut Vec<u8>, d: &[u8]) {
    match r.below(20) {
        0..=8 => push_grouped(b, d, &[3, 3, 3], " "),
        9..=12 => push_grouped(b, d, &[3, 3, 3], "-"),
        _ => push_dv(b, d),
    }
}

/// Canadian SIN: Luhn, first digit not 0 or 8.
fn sin(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let mut d = [0u8; 9];
    fill_digits(r, &mut d[1..8]);
    d[0] = *r.pick(&[1, 2, 3, 4, 5, 6, 7, 9]);
    d[8] = luhn_digit(&d[..8]);
    if !f.valid {
        d[8] = other_digit(r, d[8]);
    }
    push_nine(r, b, &d);
}

/// UK National Insurance number: valid prefix, six digits, suffix A–D.
fn nino(r: &mut Rng, b: &mut Vec<u8>) {
    let (p1, p2) = loop {
        let p = (
            *r.pick(b"ABCEGHJKLMNOPRSTWXYZ"),
            *r.pick(b"ABCEGHJKLMNPRSTWXYZ"),
        );
        if !matches!(
            &[p.0, p.1],
            b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ"
        ) {
            break p;
        }
    };
    let mut d = [0u8; 6];
    fill_digits(r, &mut d);
    let suffix = *r.pick(b"ABCD");
    let start = b.len();
    b.push(p1);
    b.push(p2);
    match r.below(20) {
        0..=7 => {
            b.push(b' ');
            push_grouped(b, &d, &[2, 2, 2], " ");
            b.push(b' ');
        }
        8..=9 => {
            b.push(b' ');
            push_dv(b, &d);
        }
        _ => push_dv(b, &d),
    }
    b.push(suffix);
    if r.pct(4) && b.len() - start == 9 {
        b[start..].make_ascii_lowercase();
    }
}

/// NHS number: mod 11 (weights 10..2), 3-3-4 or plain.
fn nhs(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let mut d = [0u8; 10];
    loop {
        fill_digits(r, &mut d[1..9]);
        d[0] = *r.pick(&[4, 6, 9]);
        let c = 11 - weighted_sum(&d[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11;
        if c == 10 {
            continue;
        }
        d[9] = if c == 11 { 0 } else { c as u8 };
        break;
    }
    if !f.valid {
        d[9] = other_digit(r, d[9]);
    }
    match r.below(20) {
        0..=9 => push_grouped(b, &d, &[3, 3, 4], " "),
        10..=16 => push_dv(b, &d),
        _ => push_grouped(b, &d, &[3, 3, 4], "-"),
    }
}

/// French NIR: sex, year, month, department (2A/2B, overseas 97x), commune,
/// order and the 97-modulus key; grouped or compact.
fn nir(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let mut c = [0u8; 13];
    c[0] = *r.pick(b"12");
    let (y, m, _) = birth_ymd(r, 1940, 2006);
    for (i, v) in [y % 100, m].into_iter().enumerate() {
        c[1 + 2 * i] = b'0' + (v / 10) as u8;
        c[2 + 2 * i] = b'0' + (v % 10) as u8;
    }
    let overseas = r.pct(7);
    let dept = if overseas {
        r.range(971, 976)
    } else {
        loop {
            let d = r.range(1, 95);
            if d != 20 {
                break d;
            }
        }
    };
    let corsica = !overseas && r.pct(5);
    let mut w = Vec::with_capacity(8);
    if overseas {
        push_num(&mut w, dept);
        push_pad(&mut w, r.range(1, 99), 2);
    } else {
        if corsica {
            push(&mut w, r.word(&["2A", "2B"]));
        } else {
            push_pad(&mut w, dept, 2);
        }
        push_pad(&mut w, r.range(1, 990), 3);
    }
    push_pad(&mut w, r.range(1, 999), 3);
    c[5..13].copy_from_slice(&w);
    let n = c.iter().enumerate().fold(0u64, |a, (i, &x)| {
        let v = match (i, x) {
            (5, b'2') if corsica => 1,
            (6, b'A') => 9,
            (6, b'B') => 8,
            _ => u64::from(x - b'0'),
        };
        a * 10 + v
    });
    let mut key = 97 - n % 97;
    if !f.valid {
        key = if key >= 97 { 96 } else { key + 1 };
    }
    if r.pct(70) {
        let groups: &[usize] = if overseas {
            &[1, 2, 2, 3, 2, 3]
        } else {
            &[1, 2, 2, 2, 3, 3]
        };
        let mut i = 0;
        for &g in groups {
            b.extend_from_slice(&c[i..i + g]);
            b.push(b' ');
            i += g;
        }
    } else {
        b.extend_from_slice(&c);
        if r.pct(20) {
            b.push(b' ');
        }
    }
    push_pad(b, key, 2);
}

/// German Steuer-IdNr: one digit repeated once among the first ten, MOD 11,10.
fn de_tax_id(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let mut d = [0u8; 11];
    loop {
        for (i, x) in d[..10].iter_mut().enumerate() {
            *x = i as u8;
        }
        for i in (1..10).rev() {
            let j = r.below(i as u64 + 1) as usize;
            d.swap(i, j);
        }
        let (i, j) = (r.below(10) as usize, r.below(10) as usize);
        if i == j {
            continue;
        }
        d[i] = d[j];
        if d[0] != 0 {
            break;
        }
    }
    d[10] = mod11_10_digit(&d[..10]);
    if !f.valid {
        d[10] = other_digit(r, d[10]);
    }
    if f.labelled && r.pct(35) {
        push_dv(b, &d);
    } else {
        push_grouped(b, &d, &[2, 3, 3, 3], " ");
    }
}

const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

fn dni_letter(r: &mut Rng, n: u64, valid: bool) -> u8 {
    let k = if valid {
        n % 23
    } else {
        (n + 1 + r.below(22)) % 23
    };
    DNI_LETTERS[k as usize]
}

/// Spanish DNI: eight digits and the mod-23 letter, plain or dotted.
fn dni(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let n = r.range(10_000_000, 99_999_999);
    let letter = dni_letter(r, n, f.valid);
    let start = b.len();
    match r.below(20) {
        0..=9 => push_num(b, n),
        10..=13 => {
            push_num(b, n);
            b.push(b'-');
        }
        14..=16 => {
            push_num(b, n / 1_000_000);
            b.push(b'.');
            push_pad(b, n / 1000 % 1000, 3);
            b.push(b'.');
            push_pad(b, n % 1000, 3);
            b.push(b'-');
        }
        _ => {
            push_num(b, n);
            b.push(b' ');
        }
    }
    b.push(letter);
    if r.pct(4) && !b[start..].contains(&b' ') {
        b[start..].make_ascii_lowercase();
    }
}

/// Spanish NIE: X/Y/Z, seven digits and the mod-23 letter.
fn nie(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let lead = r.below(3);
    let n = r.below(10_000_000);
    let letter = dni_letter(r, lead * 10_000_000 + n, f.valid);
    let start = b.len();
    b.push(b"XYZ"[lead as usize]);
    let sep = match r.below(10) {
        0..=6 => "",
        7 | 8 => "-",
        _ => " ",
    };
    push(b, sep);
    push_pad(b, n, 7);
    push(b, sep);
    b.push(letter);
    if r.pct(5) && sep.is_empty() {
        b[start..].make_ascii_lowercase();
    }
}

/// Codice fiscale values of characters in odd positions, by letter (digits
/// use A–J).
const CF_ODD: [u8; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
const CF_PLACES: &[&str] = &[
    "H501", "F205", "L219", "F839", "A944", "D612", "G273", "L736", "D969", "A662", "C351", "L424",
];

/// Italian codice fiscale: name letters, birth year, month letter, day
/// (+40 for women), place code and the check letter of the odd/even tables.
fn fiscal_code(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let mut c = [0u8; 16];
    for x in c[..6].iter_mut() {
        *x = *r.pick(b"BCDFGLMNPRSTVZBCDFGLMNPRSTVZAEIO");
    }
    let (y, m, d) = birth_ymd(r, 1940, 2006);
    let day = d + if r.pct(50) { 40 } else { 0 };
    c[6] = b'0' + (y % 100 / 10) as u8;
    c[7] = b'0' + (y % 10) as u8;
    c[8] = b"ABCDEHLMPRST"[m as usize - 1];
    c[9] = b'0' + (day / 10) as u8;
    c[10] = b'0' + (day % 10) as u8;
    c[11..15].copy_from_slice(r.word(CF_PLACES).as_bytes());
    if r.pct(3) {
        c[14] = b"LMNPQRSTUV"[usize::from(c[14] - b'0')];
    }
    let sum: u32 = c[..15]
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let idx = usize::from(if x.is_ascii_digit() {
                x - b'0'
            } else {
                x - b'A'
            });
            if i % 2 == 0 {
                u32::from(CF_ODD[idx])
            } else {
                idx as u32
            }
        })
        .sum();
    let mut check = (sum % 26) as u8;
    if !f.valid {
        check = (check + 1 + r.below(25) as u8) % 26;
    }
    c[15] = b'A' + check;
    if r.pct(4) {
        c.make_ascii_lowercase();
    }
    b.extend_from_slice(&c);
}

/// Nine digits passing the Dutch 11-proof into `d[..9]`.
fn bsn_digits(r: &mut Rng, d: &mut [u8]) {
    loop {
        fill_digits(r, &mut d[1..8]);
        d[0] = r.range(1, 9) as u8;
        let c = weighted_sum(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
        if c < 10 {
            d[8] = c as u8;
            return;
        }
    }
}

/// Dutch BSN: dotted `1234.56.782` on its own, other forms with a label.
fn bsn(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let mut d = [0u8; 9];
    bsn_digits(r, &mut d);
    if !f.valid {
        d[8] = other_digit(r, d[8]);
    }
    match r.below(10) {
        0..=2 if f.labelled => push_dv(b, &d),
        3 if f.labelled => push_grouped(b, &d, &[3, 3, 3], " "),
        4 if f.labelled => push_grouped(b, &d, &[3, 3, 3], "."),
        _ => push_grouped(b, &d, &[4, 2, 3], "."),
    }
}

/// Belgian national register number `YY.MM.DD-SSS.CC`.
fn be_nn(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let (y, m, day) = birth_ymd(r, 1940, 2020);
    let mut d = [0u8; 11];
    ymd_digits(y, m, day, &mut d);
    let serial = r.range(1, 997);
    d[6] = (serial / 100) as u8;
    d[7] = (serial / 10 % 10) as u8;
    d[8] = (serial % 10) as u8;
    let n = d[..9].iter().fold(0u64, |a, &x| a * 10 + u64::from(x));
    let (c19, c20) = (97 - n % 97, 97 - (2_000_000_000 + n) % 97);
    let c = if !f.valid {
        loop {
            let c = r.range(1, 97);
            if c != c19 && c != c20 {
                break c;
            }
        }
    } else if y >= 2000 {
        c20
    } else {
        c19
    };
    d[9] = (c / 10) as u8;
    d[10] = (c % 10) as u8;
    match r.below(20) {
        0..=9 => {
            push_grouped(b, &d[..6], &[2, 2, 2], ".");
            b.push(b'-');
            push_grouped(b, &d[6..], &[3, 2], ".");
        }
        10..=13 => push_grouped(b, &d, &[6, 3, 2], "-"),
        14..=16 => push_grouped(b, &d, &[6, 3, 2], " "),
        _ if f.labelled => push_dv(b, &d),
        _ => push_grouped(b, &d, &[6, 3, 2], "-"),
    }
}

/// Polish PESEL: date with the century in the month, weights 1-3-7-9.
fn pesel(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let (y, m, day) = birth_ymd(r, 1940, 2015);
    let mut d = [0u8; 11];
    ymd_digits(y, m + if y >= 2000 { 20 } else { 0 }, day, &mut d);
    fill_digits(r, &mut d[6..10]);
    let s = weighted_sum(&d[..10], &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);
    d[10] = ((10 - s % 10) % 10) as u8;
    if !f.valid {
        d[10] = other_digit(r, d[10]);
    }
    push_dv(b, &d);
}

/// Romanian CNP: sex/century digit, date, county, serial, mod-11 check.
fn cnp(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let (y, m, day) = birth_ymd(r, 1940, 2006);
    let mut d = [0u8; 13];
    d[0] = (if y >= 2000 { 5 } else { 1 }) + r.below(2) as u8;
    ymd_digits(y, m, day, &mut d[1..7]);
    let county = if r.pct(10) {
        r.range(51, 52)
    } else {
        r.range(1, 46)
    };
    d[7] = (county / 10) as u8;
    d[8] = (county % 10) as u8;
    fill_digits(r, &mut d[9..12]);
    let c = weighted_sum(&d[..12], &[2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11;
    d[12] = if c == 10 { 1 } else { c as u8 };
    if !f.valid {
        d[12] = other_digit(r, d[12]);
    }
    push_dv(b, &d);
}

/// Swedish personnummer `YYMMDD-NNNC` or `YYYYMMDD-NNNC` (Luhn).
fn personnummer(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let (y, m, day) = birth_ymd(r, 1940, 2010);
    let mut d = [0u8; 10];
    let day = day + if r.pct(5) { 60 } else { 0 };
    ymd_digits(y, m, day, &mut d);
    fill_digits(r, &mut d[6..9]);
    d[9] = luhn_digit(&d[..9]);
    if !f.valid {
        d[9] = other_digit(r, d[9]);
    }
    let roll = r.below(20);
    if (8..12).contains(&roll) || (f.labelled && roll >= 16) {
        push_num(b, y / 100);
    }
    push_dv(b, &d[..6]);
    if roll < 12 || !f.labelled {
        b.push(b'-');
    }
    push_dv(b, &d[6..]);
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const VERHOEFF_INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// Verhoeff check digit for `payload`.
fn verhoeff_digit(payload: &[u8]) -> u8 {
    let c = payload.iter().rev().enumerate().fold(0u8, |c, (i, &x)| {
        VERHOEFF_D[usize::from(c)][usize::from(VERHOEFF_P[(i + 1) % 8][usize::from(x)])]
    });
    VERHOEFF_INV[usize::from(c)]
}

/// Aadhaar: twelve digits, first 2–9, Verhoeff; 4-4-4 or plain.
fn aadhaar(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let mut d = [0u8; 12];
    fill_digits(r, &mut d[1..11]);
    d[0] = r.range(2, 9) as u8;
    d[11] = verhoeff_digit(&d[..11]);
    if !f.valid {
        d[11] = other_digit(r, d[11]);
    }
    match r.below(20) {
        0..=10 => push_grouped(b, &d, &[4, 4, 4], " "),
        11..=13 => push_grouped(b, &d, &[4, 4, 4], "-"),
        _ if f.labelled => push_dv(b, &d),
        _ => push_grouped(b, &d, &[4, 4, 4], " "),
    }
}

/// Indian PAN `AAAPA9999A`: fourth letter the holder type.
fn pan(r: &mut Rng, b: &mut Vec<u8>) {
    for _ in 0..3 {
        b.push(upper(r));
    }
    b.push(*r.pick(b"PPPPPPPCHFAT"));
    b.push(upper(r));
    push_pad(b, r.range(1, 9999), 4);
    b.push(upper(r));
}

/// Brazilian CPF `000.000.000-00` (two mod-11 digits).
fn cpf(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let mut d = [0u8; 11];
    loop {
        fill_digits(r, &mut d[..9]);
        if d[..9].iter().any(|&x| x != d[0]) {
            break;
        }
    }
    for len in [9, 10] {
        let s: u32 = d[..len]
            .iter()
            .enumerate()
            .map(|(i, &x)| u32::from(x) * (len as u32 + 1 - i as u32))
            .sum();
        d[len] = (s * 10 % 11 % 10) as u8;
    }
    if !f.valid {
        d[10] = other_digit(r, d[10]);
    }
    match r.below(20) {
        0..=12 => {
            push_grouped(b, &d[..9], &[3, 3, 3], ".");
            b.push(b'-');
            push_dv(b, &d[9..]);
        }
        13..=17 if f.labelled => push_dv(b, &d),
        _ if f.labelled => {
            push_dv(b, &d[..9]);
            b.push(b'-');
            push_dv(b, &d[9..]);
        }
        _ => {
            push_grouped(b, &d[..9], &[3, 3, 3], ".");
            b.push(b'-');
            push_dv(b, &d[9..]);
        }
    }
}

/// Australian TFN: weights 1,4,3,7,5,8,6,9,10, sum divisible by 11.
fn tfn(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let mut d = [0u8; 9];
    loop {
        fill_digits(r, &mut d[1..8]);
        d[0] = r.range(1, 9) as u8;
        let c = weighted_sum(&d[..8], &[1, 4, 3, 7, 5, 8, 6, 9]) % 11;
        if c < 10 {
            d[8] = c as u8;
            break;
        }
    }
    if !f.valid {
        d[8] = other_digit(r, d[8]);
    }
    push_nine(r, b, &d);
}

/// US NPI: ten digits starting 1 or 2, Luhn with the 80840 prefix.
fn npi(r: &mut Rng, b: &mut Vec<u8>, f: Form) {
    let mut full = [8, 0, 8, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    loop {
        fill_digits(r, &mut full[6..14]);
        full[5] = r.range(1, 2) as u8;
        if full[6..14].iter().any(|&x| x != full[5]) {
            break;
        }
    }
    full[14] = luhn_digit(&full[..14]);
    if !f.valid {
        full[14] = other_digit(r, full[14]);
    }
    push_dv(b, &full[5..]);
}

const ALNUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// An AWS access key id: `AKIA` and 16 base-32 characters.
fn aws_key(r: &mut Rng, b: &mut Vec<u8>) {
    push(b, if r.pct(85) { "AKIA" } else { "ASIA" });
    for _ in 0..16 {
        b.push(*r.pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"));
    }
}

/// A GitHub token: `ghp_` (or `gho_`, `ghs_`) and 36 alphanumerics.
fn gh_token(r: &mut Rng, b: &mut Vec<u8>) {
    push(b, r.word(&["ghp_", "ghp_", "ghp_", "gho_", "ghs_"]));
    for _ in 0..36 {
        b.push(*r.pick(ALNUM));
    }
}

/// `postgres://app:Zq8-kLp2x@db.example.com`: the span the scanner matches
/// (up to the host; a port or path may follow).
fn url_password(r: &mut Rng, b: &mut Vec<u8>) {
    push(
        b,
        r.word(&[
            "postgres",
            "postgresql",
            "mysql",
            "mongodb",
            "redis",
            "amqp",
            "https",
            "ftp",
        ]),
    );
    push(b, "://");
    push(
        b,
        r.word(&[
            "app",
            "svc_orders",
            "admin",
            "deploy",
            "etl",
            "reporting",
            "crm",
        ]),
    );
    b.push(b':');
    for _ in 0..r.range(10, 24) {
        b.push(if r.pct(8) {
            *r.pick(b"-_.!~")
        } else {
            *r.pick(ALNUM)
        });
    }
    b.push(b'@');
    push(
        b,
        r.word(&[
            "db.example.com",
            "db-primary.internal",
            "mq.example.net",
            "cache-01.corp.example.com",
            "files.example.org",
            "pg.eu-west-1.example.com",
        ]),
    );
}

/// A PEM private key block; returns the length the scanner matches (the
/// header line and the first four base64 lines), the block goes on to its
/// `-----END` line.
fn pem_key(r: &mut Rng, b: &mut Vec<u8>) -> usize {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let start = b.len();
    let (kind, first) = *r.pick(&[
        ("RSA ", "MIIEpAIBAAKCAQEA"),
        ("RSA ", "MIIEowIBAAKCAQEA"),
        ("EC ", "MHcCAQEEI"),
        ("OPENSSH ", "b3BlbnNzaC1rZXktdjEAAAAA"),
        ("", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
        ("ENCRYPTED ", "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq"),
    ]);
    push(b, "-----BEGIN ");
    push(b, kind);
    push(b, "PRIVATE KEY-----\n");
    let width = if kind == "OPENSSH " { 70 } else { 64 };
    let lines = if kind == "EC " { 5 } else { r.range(6, 26) };
    let mut matched = 0;
    for i in 0..lines {
        let mut n = width;
        if i == 0 {
            push(b, first);
            n -= first.len();
        }
        if i + 1 == lines {
            n = r.range(4, width as u64) as usize;
        }
        for _ in 0..n {
            b.push(B64[r.below(64) as usize]);
        }
        b.push(b'\n');
        if i == 3 {
            matched = b.len() - start;
        }
    }
    push(b, "-----END ");
    push(b, kind);
    push(b, "PRIVATE KEY-----");
    matched
}

#[rustfmt::skip]
const COMPANIES: &[&str] = &[
    "Acme Corporation", "Global Widgets Limited", "Nordwind Logistik GmbH", "Contoso Pharma",
    "Fabrikam Holdings", "Blue Harbor Foods", "Silverline Media Group", "Northwind Traders",
    "Vitalia Servizi", "Delta Bouwgroep", "Polmex Budownictwo", "Carpathia Trading",
];
/// Upper-case words of BIC length whose letters 5–6 are no country code.
const NOT_BICS: &[&str] = &["REJECTED", "RETURNED", "COMPLETE", "APPROVED", "CANCELED"];

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
    counts: [u64; Kind::COUNT],
    /// Whether values go after a label (false in CSV cells).
    labelled: bool,
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
            counts: [0; Kind::COUNT],
            labelled: true,
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
        let form = Form {
            labelled: self.labelled,
            valid: true,
        };
        let len = kind.write(&mut self.rng, &mut self.buf, self.person, self.cc, form);
        self.planted += 1;
        self.record(kind, start, start + len as u64);
    }

    /// Records a value at `start..end` in the truth file (a value written
    /// as part of a record, outside the density budget, goes straight here).
    fn record(&mut self, kind: Kind, start: u64, end: u64) {
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
    /// `a` IP, `s` SSN, `M` MAC, `W` BIC, `V` VAT number, `B` birth date,
    /// `P` passport number, `R` MRZ line 2 (`&` writes line 1, unlisted),
    /// `N` person name (a known one, who becomes the current person),
    /// `A` street address, `I` ITIN, `C` SIN, `U` NINO, `H` NHS number,
    /// `F` NIR, `D` Steuer-ID, `E` DNI, `X` NIE, `L` codice fiscale,
    /// `O` BSN, `G` Belgian national number, `Z` PESEL, `Q` CNP,
    /// `S` personnummer, `J` Aadhaar, `K` PAN, `Y` CPF, `T` TFN, `1` NPI,
    /// `2` AWS key id, `3` GitHub token, `4` URL with password, `5` PEM key.
    /// `f` and `j` the current person's given name and surname alone,
    /// `~` a new current person (nothing written), `w` and `r` a birth date
    /// as `YYYYMMDD` and `YYYY-MM-DD`.
    /// `{!X}` writes a look-alike of kind `X` (bad check digit, company
    /// name for `N`, non-BIC word for `W`, five-group MAC for `M`).
    /// Others: `n` name, `o` order, `k` invoice, `d` date,
    /// `t` timestamp, `u` UUID, `h` digest, `m` money, `q` quantity,
    /// `v` version, `g` GPS, `x` bad card, `y` bad IBAN, `b` EAN,
    /// `l` latency, `z` epoch millis.
    fn render(&mut self, template: &str) {
        let mut rest = template.as_bytes();
        while let Some(i) = rest.iter().position(|&c| c == b'{') {
            self.buf.extend_from_slice(&rest[..i]);
            // A brace that opens no marker is text (JSON in a template).
            let marker = rest.get(i + 2) == Some(&b'}')
                || (rest.get(i + 1) == Some(&b'!') && rest.get(i + 3) == Some(&b'}'));
            if !marker {
                self.buf.push(b'{');
                rest = &rest[i + 1..];
                continue;
            }
            if rest[i + 1] == b'!' {
                self.fake(rest[i + 2]);
                rest = &rest[i + 4..];
            } else {
                self.marker(rest[i + 1]);
                rest = &rest[i + 3..];
            }
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
            b'N' => {
                self.person = known_person(&mut self.rng);
                self.pii(Kind::Name);
            }
            b'&' => mrz_line1(&mut self.buf, self.person),
            b'~' => self.person = random_person(&mut self.rng),
            b'f' | b'j' => {
                let start = self.pos();
                let part = if code == b'f' {
                    self.person.0
                } else {
                    self.person.1
                };
                self.lit(part);
                let end = self.pos();
                self.record(Kind::Name, start, end);
            }
            b'w' | b'r' => {
                let (y, m, day) = birth_ymd(&mut self.rng, 1938, 2006);
                let start = self.pos();
                let sep = if code == b'r' { "-" } else { "" };
                push_pad(&mut self.buf, y, 4);
                self.lit(sep);
                push_pad(&mut self.buf, m, 2);
                self.lit(sep);
                push_pad(&mut self.buf, day, 2);
                let end = self.pos();
                self.record(Kind::Dob, start, end);
            }
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
            other => match new_kind(other) {
                Some(kind) => self.pii(kind),
                None => panic!("unknown template marker {{{}}}", other as char),
            },
        }
    }

    /// Writes a look-alike of the kind of marker `code` (never in the truth).
    fn fake(&mut self, code: u8) {
        let (r, b) = (&mut self.rng, &mut self.buf);
        match code {
            b'N' => push(b, r.word(COMPANIES)),
            b'W' => push(b, r.word(NOT_BICS)),
            _ => {
                let kind = new_kind(code).expect("look-alike marker");
                let form = Form {
                    labelled: true,
                    valid: false,
                };
                kind.write(r, b, self.person, self.cc, form);
            }
        }
    }

    /// `First Last`, labelled, who becomes the current person.
    fn name(&mut self) {
        let (f, l) = random_person(&mut self.rng);
        self.person = (f, l);
        let start = self.pos();
        self.lit(f);
        self.byte(b' ');
        self.lit(l);
        let end = self.pos();
        self.record(Kind::Name, start, end);
    }
}

/// The kind of a personal-data template marker other than `e c i p a s N`.
fn new_kind(code: u8) -> Option<Kind> {
    Some(match code {
        b'M' => Kind::Mac,
        b'W' => Kind::Bic,
        b'V' => Kind::Vat,
        b'B' => Kind::Dob,
        b'P' => Kind::Passport,
        b'R' => Kind::Mrz,
        b'A' => Kind::Address,
        b'I' => Kind::Itin,
        b'C' => Kind::Sin,
        b'U' => Kind::Nino,
        b'H' => Kind::Nhs,
        b'F' => Kind::Nir,
        b'D' => Kind::DeTax,
        b'E' => Kind::Dni,
        b'X' => Kind::Nie,
        b'L' => Kind::FiscalCode,
        b'O' => Kind::Bsn,
        b'G' => Kind::BeNn,
        b'Z' => Kind::Pesel,
        b'Q' => Kind::Cnp,
        b'S' => Kind::Pnr,
        b'J' => Kind::Aadhaar,
        b'K' => Kind::Pan,
        b'Y' => Kind::Cpf,
        b'T' => Kind::Tfn,
        b'1' => Kind::Npi,
        b'2' => Kind::AwsKey,
        b'3' => Kind::GhToken,
        b'4' => Kind::UrlPassword,
        b'5' => Kind::PemKey,
        _ => return None,
    })
}

/// What writing one file produced.
struct Done {
    bytes: u64,
    counts: [u64; Kind::COUNT],
    truth: Vec<u8>,
}

impl Default for Done {
    fn default() -> Done {
        Done {
            bytes: 0,
            counts: [0; Kind::COUNT],
            truth: Vec::new(),
        }
    }
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

const US_HEADER: &str = "id,first_name,last_name,email,phone,ssn,card_number,itin,city,state,\
zip,signup_date,last_order,orders,total_usd,notes\n";
const EU_HEADER: &str = "customer_id,first_name,last_name,email,phone,iban,card_number,tax_id,\
country,city,address,signup_date,orders,total_eur,loyalty_ean,notes\n";

/// The tax or national id a CSV export of country `cc` holds, in a form the
/// scanner reports without a label (CSV headers are not context).
fn csv_tax_kind(r: &mut Rng, cc: &str) -> Kind {
    match cc {
        "US" => Kind::Itin,
        "FR" if r.pct(60) => Kind::Nir,
        "DE" if r.pct(50) => Kind::DeTax,
        "ES" if r.pct(70) => Kind::Dni,
        "ES" => Kind::Nie,
        "IT" if r.pct(75) => Kind::FiscalCode,
        "NL" if r.pct(60) => Kind::Bsn,
        "BE" if r.pct(60) => Kind::BeNn,
        "GB" => Kind::Nino,
        _ => Kind::Vat,
    }
}

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
    let mask = d.slots(5, 250);
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
    // A given name and a surname, each personal data by its column.
    for name in [first, last] {
        let start = d.pos();
        d.lit(name);
        d.record(Kind::Name, start, d.pos());
        d.byte(s);
    }
    let city = if st.us { None } else { Some(d.pick(EU_CITIES)) };
    d.cc = city.map_or("US", |c| c.0);
    let third = if st.us { Kind::Ssn } else { Kind::Iban };
    let tax = csv_tax_kind(&mut d.rng, d.cc);
    d.labelled = false;
    for (bit, kind) in [Kind::Email, Kind::Phone, third, Kind::Card, tax]
        .into_iter()
        .enumerate()
    {
        csv_pii(d, mask & (1 << bit) != 0, kind);
        d.byte(s);
    }
    d.labelled = true;
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
        let start = d.pos();
        d.rand_num(1, 180);
        d.byte(b' ');
        d.lit(street);
        // Under an `address` header every cell is an address, written
        // number-first whatever the country.
        let end = d.pos();
        d.record(Kind::Address, start, end);
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
/// Log lines with the rarer kinds, each after the key a real log uses.
const LOG_NEW: &[&str] = &[
    "dhcp lease {a} assigned to mac={M} hostname=laptop-{q}",
    "wifi client associated bssid={M} rssi=-{q}",
    "sepa transfer queued iban={i} bic={W} amount={m}",
    "supplier created vat_id={V} order={o}",
    "kyc submitted name=\"{N}\" dob={B} session={u}",
    "kyc document passport_no={P} status=review",
    "kyc passport scan mrz2={R} quality={q}",
    "customer profile updated customer_name=\"{N}\" address=\"{A}\"",
    "shipping label printed address=\"{A}\" order={o}",
    "w7 intake itin={I} status=pending",
    "payroll import employee sin={C} province=ON",
    "payroll import employee nino={U} tax_code=1257L",
    "patient record opened nhs_number={H} ward={q}",
    "mutuelle affiliation nir={F} caisse=CPAM",
    "lohnsteuer sync steuer_id={D} finanzamt={q}",
    "alta cliente dni={E} canal=web",
    "alta cliente nie={X} canal=app",
    "anagrafica aggiornata codice_fiscale={L}",
    "gemeente lookup bsn={O} result=match",
    "rijksregister lookup rrn={G} result=match",
    "weryfikacja klienta pesel={Z} wynik=ok",
    "verificare client cnp={Q} rezultat=ok",
    "bankid login personnummer={S} result=ok",
    "ekyc verified aadhaar={J} pan={K}",
    "cadastro atualizado cpf={Y}",
    "super fund onboarding tfn={T}",
    "claim submitted rendering_provider_npi={1} claim={q}{q}",
    "config loaded aws_access_key_id={2} region=eu-west-1",
    "git fetch failed for token {3}: 401",
    "db pool error url={4}:5432/shop timeout={l}",
    "tls key reload failed, file content follows\n{5}",
];
/// Look-alikes next to the same labels: checksums off by one digit,
/// non-birth dates, company names, status words after SWIFT, short MACs.
const LOG_DECOY: &[&str] = &[
    "vendor sync name=\"{!N}\" status=active",
    "swift gateway status {!W} ref={u}",
    "device registry rejected mac={!M}: 5 octets",
    "kyc check failed pesel={!Z}: checksum",
    "kyc check failed nhs_number={!H}: checksum",
    "validation error steuer_id={!D}",
    "validation error bsn={!O}",
    "kyc rejected personnummer={!S} reason=checksum",
    "kyc rejected cpf={!Y} aadhaar={!J}",
    "kyc rejected tfn={!T} reason=checksum",
    "kyc rejected sin={!C} reason=checksum",
    "claim rejected npi={!1} reason=checksum",
    "validation error nir={!F} dni={!E}",
    "validation error nie={!X} codice_fiscale={!L}",
    "validation error cnp={!Q} rrn={!G}",
    "vat check failed vat_id={!V}",
    "invoice {k} invoice_date={d} due_date={d}",
    "order {o} order_date={d} ship_date={d}",
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

/// Percentage (minus one) of personal-data log lines with the rarer kinds.
const NEW_PCT_LOG: u64 = 39;

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
    let templates = match (owed, d.rng.below(100)) {
        (true, 0..=NEW_PCT_LOG) => LOG_NEW,
        (true, _) => LOG_PII,
        (false, 0..=9) => LOG_DECOY,
        (false, _) => LOG_PLAIN,
    };
    let t = d.pick(templates);
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

/// JSON keys of the rarer identifiers in events.
const EVENT_IDS: &[(&str, Kind)] = &[
    ("device_mac", Kind::Mac),
    ("bssid", Kind::Mac),
    ("bic", Kind::Bic),
    ("vat_id", Kind::Vat),
    ("passport_number", Kind::Passport),
    ("mrz", Kind::Mrz),
    ("billing_address", Kind::Address),
    ("shipping_address", Kind::Address),
    ("itin", Kind::Itin),
    ("sin", Kind::Sin),
    ("nino", Kind::Nino),
    ("nhs_number", Kind::Nhs),
    ("nir", Kind::Nir),
    ("steuer_id", Kind::DeTax),
    ("dni", Kind::Dni),
    ("nie", Kind::Nie),
    ("codice_fiscale", Kind::FiscalCode),
    ("bsn", Kind::Bsn),
    ("rijksregisternummer", Kind::BeNn),
    ("pesel", Kind::Pesel),
    ("cnp", Kind::Cnp),
    ("personnummer", Kind::Pnr),
    ("aadhaar", Kind::Aadhaar),
    ("pan", Kind::Pan),
    ("cpf", Kind::Cpf),
    ("tfn", Kind::Tfn),
    ("npi", Kind::Npi),
    ("aws_access_key_id", Kind::AwsKey),
    ("github_token", Kind::GhToken),
    ("dsn", Kind::UrlPassword),
];

/// One JSON event; personal data sits in optional fields.
fn event_line(d: &mut Doc) {
    let mask = d.slots(9, 300);
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
    if mask & (1 << 6) != 0 {
        d.person = known_person(&mut d.rng);
        let key = d.pick(&["name", "full_name", "customer_name", "holder_name"]);
        d.lit(",\"");
        d.lit(key);
        d.lit("\":\"");
        d.pii(Kind::Name);
        d.byte(b'"');
    }
    if mask & (1 << 7) != 0 {
        let key = d.pick(&["dob", "customer_dob", "birth_date", "birthdate"]);
        d.lit(",\"");
        d.lit(key);
        d.lit("\":\"");
        d.pii(Kind::Dob);
        d.byte(b'"');
    }
    if mask & (1 << 8) != 0 {
        let (key, kind) = d.pick(EVENT_IDS);
        d.lit(",\"");
        d.lit(key);
        d.lit("\":\"");
        d.pii(kind);
        d.byte(b'"');
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
            // Names and the birth date are personal data by their columns
            // (the dump's CREATE TABLE names them).
            for name in [f, l] {
                let start = d.pos() + 1;
                push_sql_str(&mut d.buf, name);
                d.record(Kind::Name, start, d.pos() - 1);
                d.byte(b',');
            }
            let kinds = [Kind::Email, Kind::Phone, Kind::Iban, Kind::Card];
            for (bit, k) in kinds.into_iter().enumerate() {
                sql_pii(d, mask & (1 << bit) != 0, k);
            }
            let (y, m, day) = civil(d.rng.range(0, 12_000));
            d.byte(b'\'');
            let start = d.pos();
            push_pad(&mut d.buf, y, 4);
            d.byte(b'-');
            push_pad(&mut d.buf, m, 2);
            d.byte(b'-');
            push_pad(&mut d.buf, day, 2);
            d.record(Kind::Dob, start, d.pos());
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
            "Customer name: {N}; date of birth: {B}.",
            "Dear {N}, your billing address is now {A}, as requested.",
            "Passport No: {P}, please keep a copy on file.",
            "Scan of the passport page attached, MRZ:\n{&}\n{R}\n",
            "ITIN: {I} (the applicant has no SSN).",
            "Employee from the Toronto office, SIN: {C}.",
            "National Insurance number: {U}, for the UK payroll.",
            "NHS number: {H}, registered at a Leeds practice.",
            "TFN: {T} for the Sydney payroll.",
            "Aadhaar: {J} and PAN: {K} were provided for the Indian account.",
            "CPF: {Y} (Brazilian customer).",
            "NPI: {1}, rendering provider on the claim.",
            "Personnummer: {S} (Swedish customer).",
            "Our AWS key leaked in a screenshot: aws_access_key_id = {2}, please rotate it.",
            "I pasted my GitHub token {3} into the chat by mistake.",
            "The connection string in the report was {4}:5432/orders, please rotate it.",
            "The private key was attached to the ticket by mistake:\n{5}\n",
            "Wire the refund to IBAN {i}, BIC {W}.",
            "Supplier VAT number {V} is on the invoice.",
            "MAC address of the affected router: {M}.",
            "Mr {N} asked us to ship to {A}.",
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
            "Invoice date: {d}, due in 30 days.",
            "Company name: {!N}, registered office in Dublin.",
            "SWIFT status {!W}, the transfer is still pending.",
            "Device {!M} is not a full MAC address.",
            "NHS number {!H} was rejected as invalid.",
            "Order date: {d}; delivery date {d}.",
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
            "Nom : {N}, date de naissance : {B}.",
            "Adresse : {A}, 75002 Paris.",
            "N° de sécurité sociale : {F}.",
            "TVA intracommunautaire : {V}.",
            "Numéro national : {G} (client belge).",
            "Madame {N} souhaite être rappelée.",
            "Passeport n° {P}, délivré en préfecture.",
            "IBAN : {i}, BIC : {W}.",
            "Adresse de livraison : {A}, 69002 Lyon.",
            "Je suis {n}, vous pouvez me joindre au tél. {p} ou par courriel à {e}.",
            "Merci de rembourser sur mon compte IBAN {i}, et non sur la carte {c}.",
            "Connexion suspecte depuis l'adresse IP {a} le {d}.",
            "Client {n} : portable {p}, email {e}.",
            "Ma carte bancaire {c} a été débitée deux fois pour la commande {o}.",
            "Nouveau numéro de téléphone : {p}.",
        ],
        plain: &[
            "Date de facture : {d}.",
            "N° de sécurité sociale {!F} refusé : clé invalide.",
            "Nom : {!N}, fournisseur habituel.",
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
            "Name: {N}, Geburtsdatum: {B}.",
            "Anschrift: {A}, 10115 Berlin.",
            "Steuer-ID: {D}.",
            "USt-IdNr.: {V}.",
            "Sehr geehrter Herr {N}, vielen Dank für Ihre Nachricht.",
            "Reisepass-Nr. {P}, gültig bis 2031.",
            "Kontoinhaber: {N}, IBAN {i}, BIC {W}.",
            "Lieferadresse: {A}, 80331 München.",
            "Meine Telefonnummer ist {p} und meine E-Mail {e}.",
            "Bitte überweisen Sie den Betrag auf mein Konto, IBAN {i}.",
            "Die Kreditkarte {c} wurde bei Bestellung {o} abgelehnt.",
            "Telefon: {p}; Rückruf erbeten.",
            "Anmeldung von IP-Adresse {a} am {d} blockiert.",
            "Kunde {n}, Mobil {p}, E-Mail {e}.",
        ],
        plain: &[
            "Rechnungsdatum: {d}.",
            "Die Steuer-ID {!D} ist ungültig.",
            "Name: {!N}, Lieferant seit {d}.",
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
            "Nombre: {N}; fecha de nacimiento: {B}.",
            "Dirección: {A}, 28014 Madrid.",
            "DNI: {E}.",
            "NIE: {X}, tarjeta de residencia en vigor.",
            "Pasaporte {P}, expedido en Madrid.",
            "CIF de la empresa: {V}.",
            "Soy {n}; mi teléfono es {p} y mi correo {e}.",
            "Por favor, devuelvan el importe a la cuenta IBAN {i}.",
            "La tarjeta {c} fue rechazada en el pedido {o}.",
            "Acceso sospechoso desde la IP {a} el {d}.",
            "Móvil: {p}.",
        ],
        plain: &[
            "Fecha de factura: {d}.",
            "El DNI {!E} no es válido.",
            "Nombre: {!N}, proveedor.",
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
            "Nome e cognome: {N}, data di nascita {B}.",
            "Indirizzo: {A}, 20121 Milano.",
            "Codice fiscale: {L}.",
            "P.IVA {V}.",
            "Passaporto {P}, rilasciato dalla Questura.",
            "Gentile signora {N}, la contatteremo presto.",
            "Sono {n}: telefono {p}, email {e}.",
            "Vi prego di accreditare il rimborso sul conto IBAN {i}.",
            "La carta di credito {c} è stata addebitata due volte per l'ordine {o}.",
            "Accesso da indirizzo IP {a} il {d}.",
            "Cellulare: {p}.",
        ],
        plain: &[
            "Data fattura: {d}.",
            "Il codice fiscale {!L} non è valido.",
            "Nome: {!N}, fornitore.",
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
            "Naam: {N}, geboortedatum {B}.",
            "Woonadres: {A}, 1015 Amsterdam.",
            "BSN: {O}.",
            "BTW-nummer {V}.",
            "Rijksregisternummer: {G}.",
            "Paspoortnummer {P}.",
            "U kunt mij bereiken op telefoon {p} of via {e}.",
            "Graag het bedrag terugstorten op rekening IBAN {i}.",
            "Mijn creditcard {c} is twee keer belast voor bestelling {o}.",
            "Inlogpoging vanaf IP {a} op {d} geblokkeerd.",
            "Mobiel: {p}.",
        ],
        plain: &[
            "Factuurdatum: {d}.",
            "Het BSN {!O} is ongeldig.",
            "Naam: {!N}, leverancier.",
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
            "Imię i nazwisko: {N}, data urodzenia {B}.",
            "Adres zamieszkania: {A}, 31-042 Kraków.",
            "PESEL: {Z}.",
            "NIP: {V}.",
            "Numer paszportu {P}.",
            "Nazywam się {n}, mój numer telefonu to {p}, e-mail {e}.",
            "Proszę o zwrot na rachunek IBAN {i}.",
            "Karta {c} została obciążona dwukrotnie za zamówienie {o}.",
            "Logowanie z adresu IP {a} w dniu {d} zostało zablokowane.",
            "Komórka: {p}.",
        ],
        plain: &[
            "Data faktury: {d}.",
            "Numer PESEL {!Z} jest nieprawidłowy.",
            "Nazwisko: {!N}, dostawca.",
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
            "Nume: {N}, data nașterii {B}.",
            "Adresa: {A}, București.",
            "CNP: {Q}.",
            "CUI: {V}.",
            "Pașaport {P}.",
            "Sunt {n}; telefon {p}, e-mail {e}.",
            "Vă rog să returnați suma în contul IBAN {i}.",
            "Cardul {c} a fost debitat de două ori pentru comanda {o}.",
            "Autentificare blocată de la adresa IP {a} pe {d}.",
            "Mobil: {p}.",
        ],
        plain: &[
            "Data facturii: {d}.",
            "CNP {!Q} este invalid.",
            "Nume: {!N}, furnizor.",
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
    /// A record format (`records::FORMATS[variant]`).
    Record,
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
                (FileKind::Record, 0),
            ],
        ),
        (
            tier_sizes(&mut r, medium_total, 64 << 10, 2 * MIB),
            &[
                (FileKind::Log, 25),
                (FileKind::Events, 20),
                (FileKind::Csv, 30),
                (FileKind::Sql, 10),
                (FileKind::Notes, 5),
                (FileKind::Record, 10),
            ],
        ),
        (
            tier_sizes(&mut r, small_total, 4 << 10, 64 << 10),
            &[
                (FileKind::Log, 15),
                (FileKind::Events, 10),
                (FileKind::Csv, 20),
                (FileKind::Sql, 5),
                (FileKind::Notes, 25),
                (FileKind::Record, 25),
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
        FileKind::Record => {
            let v = r.below(records::FORMATS.len() as u64) as usize;
            let (dir, ext) = records::FORMATS[v];
            (format!("records/{dir}/{dir}-{n:05}.{ext}"), v)
        }
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
        FileKind::Record => {
            records::open(&mut d, p.variant);
            fill(&mut d, p.size, |d| records::record(d, p.variant))?;
            records::close(&mut d, p.variant);
        }
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
    if path.extension().is_some_and(|e| e == "csv") {
        // One customer export: a header, then rows.
        let st = CsvStyle {
            sep: b',',
            us: false,
        };
        csv_header(&mut d, st);
        while d.pos() < target {
            csv_row(&mut d, st);
            d.end_record()?;
        }
        return Ok(d.finish()?);
    }
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
    let mut by_name: Vec<(&str, u64)> = Vec::new();
    for k in Kind::ALL {
        match by_name.iter_mut().find(|e| e.0 == k.name()) {
            Some(e) => e.1 += done.counts[k as usize],
            None => by_name.push((k.name(), done.counts[k as usize])),
        }
    }
    let per_kind: Vec<String> = by_name.iter().map(|(k, n)| format!("{k}={n}")).collect();
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
