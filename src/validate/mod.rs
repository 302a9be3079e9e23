//! Validators: the checks a regex cannot express (checksums, number ranges,
//! calendar dates, consistent separators). A rule names them; a candidate
//! that fails any of its validators is dropped before anything is allocated.
//!
//! Each check sees the whole haystack and the match span, so it can also
//! reject a match that is only a piece of a longer token (a version string,
//! a longer number).

mod basic;
mod names;
pub mod national;

pub use basic::*;
pub use names::person_name;

/// A named check a rule can ask for.
#[derive(Debug, Clone, Copy)]
pub struct Validator {
    name: &'static str,
    check: fn(&[u8]) -> bool,
    /// Whether the check also looks at the bytes around the match.
    isolation: Isolation,
}

/// How a validator treats the bytes around a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Isolation {
    /// Only the value counts.
    None,
    /// Reject a match glued to digits by `.`, `-`, `/` or `:` (a piece of a
    /// longer number, date, version string or address).
    Numeric,
}

macro_rules! validators {
    ($($name:literal => $check:expr, $iso:ident;)*) => {
        /// Every validator, by name.
        const ALL: &[Validator] = &[$(Validator { name: $name, check: $check, isolation: Isolation::$iso }),*];
    };
}

validators! {
    "luhn" => |v| luhn(v), None;
    "card" => card, Numeric;
    "iban" => iban, None;
    "us_ssn" => us_ssn, Numeric;
    "ipv4" => ipv4, Numeric;
    "ipv6" => ipv6, Numeric;
    "phone" => phone, Numeric;
    "nanp" => nanp, Numeric;
    "email" => email, None;
    "isolated" => |_| true, Numeric;
    "birth_date" => birth_date, Numeric;
    "url_password" => url_password, None;
    "person_name" => person_name, None;
    "name_part" => names::name_part, None;
    "us_itin" => national::us_itin, Numeric;
    "ca_sin" => national::ca_sin, Numeric;
    "uk_nino" => national::uk_nino, None;
    "uk_nhs" => national::uk_nhs, Numeric;
    "fr_nir" => national::fr_nir, Numeric;
    "de_tax_id" => national::de_tax_id, Numeric;
    "es_dni" => national::es_dni, None;
    "es_nie" => national::es_nie, None;
    "it_fiscal_code" => national::it_fiscal_code, None;
    "nl_bsn" => national::nl_bsn, Numeric;
    "be_national_number" => national::be_national_number, Numeric;
    "pl_pesel" => national::pl_pesel, Numeric;
    "ro_cnp" => national::ro_cnp, Numeric;
    "se_personnummer" => national::se_personnummer, Numeric;
    "in_aadhaar" => national::in_aadhaar, Numeric;
    "in_pan" => national::in_pan, None;
    "br_cpf" => national::br_cpf, Numeric;
    "au_tfn" => national::au_tfn, Numeric;
    "us_npi" => national::us_npi, Numeric;
    "swift_bic" => national::swift_bic, None;
    "vat_id" => national::vat_id, None;
    "passport_mrz" => national::passport_mrz_line2, None;
}

impl PartialEq for Validator {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Validator {}

impl Validator {
    /// Looks a validator up by the name rule files use.
    pub fn by_name(name: &str) -> Option<Validator> {
        ALL.iter().find(|v| v.name == name).copied()
    }

    /// Every validator name, for `rules check` messages.
    pub fn names() -> impl Iterator<Item = &'static str> {
        ALL.iter().map(|v| v.name)
    }

    /// The name rule files use.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// True when `hay[start..end]` passes this check.
    #[inline]
    pub fn check(&self, hay: &[u8], start: usize, end: usize) -> bool {
        let isolated = match self.isolation {
            Isolation::None => true,
            Isolation::Numeric => numeric_isolated(hay, start, end),
        };
        isolated && (self.check)(&hay[start..end])
    }
}

/// False when the match continues a longer token: a letter or digit right
/// before or after it, a digit joined by `.`, `-`, `/`, `:` or `_` (as in
/// `1.2.3.4.5`, `2024-01-15-0612345678`, `v1.2.3.4`), or a letter joined by
/// `-`, `_` or `/` (a group of a UUID such as `9519930b-0044-4063-b73f-…`).
/// A label before a colon (`tel:0612345678`) and a port after one
/// (`192.0.2.10:8080`) do not count.
fn numeric_isolated(hay: &[u8], start: usize, end: usize) -> bool {
    let before = &hay[..start];
    let after = &hay[end..];
    let joiner = |b: u8| matches!(b, b'.' | b'-' | b'/' | b':' | b'_');
    let word_joiner = |b: u8| matches!(b, b'-' | b'/' | b'_');
    match before {
        [.., b] if b.is_ascii_alphanumeric() => return false,
        [.., d, j] if joiner(*j) && d.is_ascii_digit() => return false,
        [.., c, j] if word_joiner(*j) && c.is_ascii_alphabetic() => return false,
        _ => {}
    }
    match after {
        [b, ..] if b.is_ascii_alphanumeric() => false,
        [b':', rest @ ..] if is_port(rest) => true,
        [j, d, ..] if joiner(*j) && d.is_ascii_digit() => false,
        [j, c, ..] if word_joiner(*j) && c.is_ascii_alphabetic() => false,
        _ => true,
    }
}

/// `8080` in `192.0.2.10:8080`: one to five digits, then the end of the
/// token (not more digits, letters, `:` or `.`).
fn is_port(rest: &[u8]) -> bool {
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let end = rest.get(digits);
    (1..=5).contains(&digits)
        && !end.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b':' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, hay: &str, value: &str) -> bool {
        let start = hay.find(value).unwrap();
        Validator::by_name(name)
            .unwrap()
            .check(hay.as_bytes(), start, start + value.len())
    }

    #[test]
    fn every_name_resolves_once() {
        let names: Vec<_> = Validator::names().collect();
        for n in &names {
            assert_eq!(names.iter().filter(|m| *m == n).count(), 1, "{n}");
            assert!(Validator::by_name(n).is_some());
        }
        assert!(Validator::by_name("nope").is_none());
    }

    #[test]
    fn numeric_values_must_stand_alone() {
        assert!(run("ipv4", "host 192.0.2.10 up", "192.0.2.10"));
        assert!(!run("ipv4", "version 1.2.3.4.5", "2.3.4.5"));
        assert!(!run("ipv4", "v1.2.3.4", "1.2.3.4"));
        assert!(run("ipv4", "(192.0.2.10).", "192.0.2.10"));
        assert!(run("ipv4", "peer 192.0.2.10:8080 closed", "192.0.2.10"));
        assert!(!run("isolated", "id 2024-01-0612345678", "0612345678"));
        assert!(run("isolated", "tel: 0612345678, ok", "0612345678"));
        assert!(run("isolated", "tel:0612345678", "0612345678"));
        assert!(!run(
            "isolated",
            "id 9519930b-0044-4063-b73f-f9a72d4cfec8",
            "0044-4063"
        ));
    }
}
