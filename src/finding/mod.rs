//! The finding: what was found, where, and how sure we are. It has no field
//! for the matched value, only its masked form and a keyed fingerprint, so
//! no output format can leak the value.

pub mod mask;

use crate::error::ValueError;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use serde::{Serialize, Serializer};
use sha2::Sha256;

macro_rules! level_enum {
    ($(#[$doc:meta])* $name:ident ($what:literal) { $($(#[$vdoc:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            /// Every value, lowest first.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The name used in rule files and output.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(s: &str) -> Result<Self, ValueError> {
                match s {
                    $($text => Ok($name::$variant),)*
                    _ => Err(ValueError::NotOneOf {
                        what: $what,
                        value: s.to_string(),
                        choices: &[$($text),*],
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

level_enum! {
    /// How much harm a leak of this kind of data does.
    Severity ("severity") {
        /// Little harm on its own.
        Low = "low",
        /// Harm when combined with other data.
        Medium = "medium",
        /// Direct harm: identity, money, location.
        High = "high",
        /// Regulated data whose storage is itself a breach (card numbers).
        Critical = "critical",
    }
}

level_enum! {
    /// How sure the detector is that a match is personal data.
    Confidence ("confidence") {
        /// Shape matches; nothing else supports it.
        Low = "low",
        /// Shape and checks match.
        Medium = "medium",
        /// Checks match and the context says so.
        High = "high",
    }
}

/// The default threshold of a scan.
impl Default for Confidence {
    fn default() -> Confidence {
        Confidence::Medium
    }
}

level_enum! {
    /// The family of personal data a kind belongs to.
    Category ("category") {
        /// Cards, bank accounts.
        Financial = "financial",
        /// Email, phone.
        Contact = "contact",
        /// National identity and tax numbers, passports.
        GovernmentId = "government-id",
        /// IP and MAC addresses.
        Network = "network",
        /// Health identifiers.
        Health = "health",
        /// Keys and passwords.
        Credential = "credential",
        /// Names, addresses, birth dates.
        Person = "person",
    }
}

impl Confidence {
    /// One level up, saturating at `High`.
    pub fn raised(self) -> Confidence {
        match self {
            Confidence::Low => Confidence::Medium,
            _ => Confidence::High,
        }
    }

    /// One level down, saturating at `Low`.
    pub fn lowered(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            _ => Confidence::Low,
        }
    }
}

/// The CSV column of a finding: its header name, or its 1-based index when
/// the file has no header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum CsvColumn {
    /// The header name.
    Name(Arc<str>),
    /// The 1-based column number.
    Index(u64),
}

/// One piece of personal data found in one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Id of the rule that matched.
    pub rule: Arc<str>,
    /// Kind of personal data (CONTRACT vocabulary).
    pub kind: Arc<str>,
    /// Family of the kind.
    pub category: Category,
    /// Harm of a leak.
    pub severity: Severity,
    /// How sure the detector is.
    pub confidence: Confidence,
    /// The input, as given on the command line joined with its relative path.
    pub path: Arc<str>,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in bytes of the file's own encoding.
    pub column: u64,
    /// Byte offset of the match start in the (decompressed) file.
    pub start: u64,
    /// Byte offset just past the match.
    pub end: u64,
    /// 1-based data row in a delimited file.
    pub csv_row: Option<u64>,
    /// Header name (or index) in a delimited file.
    pub csv_column: Option<CsvColumn>,
    /// Key path of the value in a JSON document.
    pub json_path: Option<String>,
    /// The column of a value in an SQL dump's `INSERT` tuple or `COPY`
    /// row, as `table.column` (the column alone when no table is named).
    /// Omitted from JSON when empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sql_column: Option<String>,
    /// The value as masked output shows it.
    pub masked: String,
    /// Keyed hash of the kind and normalised value: stable, not reversible
    /// without the key.
    pub fingerprint: Fingerprint,
    /// Why the confidence is what it is, when that is not obvious (e.g. a
    /// documented test number). Omitted from JSON when empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'static str>,
    /// The whole delimited or JSON field holding the value, when the scan
    /// was asked for it ([`crate::config::ScanConfig::fields`]): masking
    /// that empties fields needs it. Never in output.
    #[serde(skip)]
    pub field: Option<Field>,
    /// Set when an inline `piiscan:allow` marker covers this finding (and
    /// the scan looked for markers, [`crate::config::ScanConfig::allow_markers`]):
    /// the marker's reason, maybe empty. Never in output.
    #[serde(skip)]
    pub allowed: Option<Arc<str>>,
}

/// The extent of the field holding a finding: a CSV cell (with its
/// quotes), a JSON string's contents, or a bare JSON or SQL value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Byte offset of its first byte, as [`Finding::start`] counts.
    pub start: u64,
    /// Byte offset just past it.
    pub end: u64,
    /// What may be written there.
    pub kind: FieldKind,
}

/// What a field may hold, so that masking keeps the file valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A CSV cell or a JSON string's contents: any text; emptied, nothing.
    Text,
    /// A CSV cell that is its record's only field: any text; emptied,
    /// `""`, as CSV writers write it (an empty line is no record).
    LoneCell,
    /// A JSON object key, or part of one: any text, and a masked key stays
    /// distinct from the object's other keys, or a JSON reader keeps one of
    /// them and drops the rest.
    JsonKey,
    /// A bare JSON value (a number): a masked form goes in as a string;
    /// emptied, `null`.
    JsonValue,
    /// A bare SQL value (a number in a tuple): a masked form keeps to
    /// digits; it is not emptied.
    SqlValue,
}

/// A fingerprint as 32 lower-case hex digits, held inline: a finding
/// costs no allocation for it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// No fingerprint: a run that needs none computes none (see
    /// [`crate::config::ScanConfig::fingerprints`]).
    pub const UNSET: Fingerprint = Fingerprint([b'0'; 32]);

    /// The fingerprint written as `hex` (32 lower-case hex digits).
    pub fn from_hex(hex: &str) -> Option<Fingerprint> {
        let bytes: [u8; 32] = hex.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            .then_some(Fingerprint(bytes))
    }

    /// The hex digits.
    pub fn as_str(&self) -> &str {
        // Only hex digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The note on findings whose value is a documented test value.
pub const TEST_VALUE_NOTE: &str = "documented test value";

/// Computes fingerprints: HMAC-SHA256 over the kind and the normalised value,
/// truncated to 128 bits and hex-encoded. The key makes a dictionary attack
/// on short values (a card number has few unknown digits) need the key.
#[derive(Clone)]
pub struct Fingerprinter {
    mac: Hmac<Sha256>,
}

impl Fingerprinter {
    /// A fingerprinter with `key`.
    pub fn new(key: &[u8]) -> Fingerprinter {
        let mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
        Fingerprinter { mac }
    }

    /// The fingerprint of an already normalised value of `kind`.
    pub fn fingerprint(&self, kind: &str, normalized: &[u8]) -> Fingerprint {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut mac = self.mac.clone();
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(normalized);
        let digest = mac.finalize().into_bytes();
        let mut hex = [0u8; 32];
        for (pair, b) in hex.chunks_exact_mut(2).zip(&digest[..16]) {
            pair[0] = HEX[usize::from(b >> 4)];
            pair[1] = HEX[usize::from(b & 15)];
        }
        Fingerprint(hex)
    }
}

/// An empty key: for tests and library callers that only look at
/// findings; the binary always keys with [`crate::key::Key::resolve`].
impl Default for Fingerprinter {
    fn default() -> Self {
        Fingerprinter::new(&[])
    }
}

/// How a value is normalised before fingerprinting, so `4111 1111…` and
/// `4111-1111…` are the same card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalize {
    /// Digits only.
    Digits,
    /// Letters and digits, upper-cased.
    AlnumUpper,
    /// Lower-cased, as is otherwise.
    Lower,
    /// Byte for byte.
    Exact,
}

impl Normalize {
    /// Parses `digits`, `alnum-upper`, `lower` or `exact`.
    pub fn parse(text: &str) -> Result<Normalize, ValueError> {
        match text {
            "digits" => Ok(Normalize::Digits),
            "alnum-upper" => Ok(Normalize::AlnumUpper),
            "lower" => Ok(Normalize::Lower),
            "exact" => Ok(Normalize::Exact),
            _ => Err(ValueError::NotOneOf {
                what: "normalisation",
                value: text.to_string(),
                choices: &["digits", "alnum-upper", "lower", "exact"],
            }),
        }
    }

    /// Writes the normalised `value` into `out` (cleared first).
    pub fn apply(self, value: &[u8], out: &mut Vec<u8>) {
        out.clear();
        match self {
            Normalize::Digits => out.extend(value.iter().filter(|b| b.is_ascii_digit())),
            Normalize::AlnumUpper => out.extend(
                value
                    .iter()
                    .filter(|b| b.is_ascii_alphanumeric())
                    .map(u8::to_ascii_uppercase),
            ),
            Normalize::Lower => out.extend(value.iter().map(u8::to_ascii_lowercase)),
            Normalize::Exact => out.extend_from_slice(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_order_and_parse() {
        assert!(Severity::Low < Severity::Critical);
        assert_eq!("high".parse::<Confidence>(), Ok(Confidence::High));
        let err = "huge".parse::<Severity>().unwrap_err().to_string();
        assert_eq!(
            err,
            "`huge` is not a severity: use low, medium, high or critical"
        );
        assert_eq!(Category::GovernmentId.as_str(), "government-id");
        assert_eq!(Confidence::Low.raised(), Confidence::Medium);
        assert_eq!(Confidence::High.raised(), Confidence::High);
        assert_eq!(Confidence::High.lowered(), Confidence::Medium);
        assert_eq!(Confidence::Low.lowered(), Confidence::Low);
    }

    #[test]
    fn fingerprints_are_stable_keyed_and_normalised() {
        let fp = Fingerprinter::default();
        let mut a = Vec::new();
        let mut b = Vec::new();
        Normalize::Digits.apply(b"4111 1111 1111 1111", &mut a);
        Normalize::Digits.apply(b"4111-1111-1111-1111", &mut b);
        assert_eq!(
            fp.fingerprint("credit_card", &a),
            fp.fingerprint("credit_card", &b)
        );
        assert_ne!(
            fp.fingerprint("credit_card", &a),
            fp.fingerprint("phone", &a)
        );
        assert_ne!(
            fp.fingerprint("credit_card", &a),
            Fingerprinter::new(b"other").fingerprint("credit_card", &a)
        );
        let hex = fp.fingerprint("credit_card", &a);
        assert_eq!(Fingerprint::from_hex(hex.as_str()), Some(hex));
        assert!(!hex.as_str().contains("4111"));
        assert_eq!(
            Fingerprint::from_hex("0123456789ABCDEF0123456789abcdef"),
            None
        );
    }
}
