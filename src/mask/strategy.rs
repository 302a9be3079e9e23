//! What a masked value becomes, per kind: the finding's own `masked` form
//! (`partial`), a run of `*` as long as the value or a `[KIND]` token
//! (`redact`), a keyed pseudonym of the same shape (`hash`), a keyed token
//! of the same format that still passes the value's checksum
//! (`tokenize`), or nothing, the whole field holding it emptied (`drop`).
//! All keep a file's structure: a replacement never holds a quote or
//! delimiter the value did not have, keeps the value's escape sequences
//! (`\"`, `\u0040`) whole so a JSON string stays a string, and all but
//! `drop` and the `[KIND]` token keep the value's length.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use crate::error::ValueError;

/// How the values of one kind are masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// The finding's `masked` text: cards keep at most the first six and
    /// last four digits, emails their domain, separators stay.
    #[default]
    Partial,
    /// Every character becomes `*`; with `token`, the value becomes
    /// `[KIND]` (`[EMAIL]`).
    Redact {
        /// A `[KIND]` token rather than a run of `*`.
        token: bool,
    },
    /// A keyed pseudonym of the same shape: each letter or digit becomes
    /// a letter drawn from the value's keyed fingerprint (HMAC-SHA256 of
    /// kind and normalised value), separators stay. The same value gives
    /// the same pseudonym in every file and run with the same key, so
    /// joins across tables still work; without the key it cannot be
    /// reversed.
    Hash,
    /// A keyed token of the same format: digits stay digits, letters
    /// letters of the same case, separators stay, and a card still passes
    /// Luhn, an IBAN mod-97 (see [`super::token`]).
    Tokenize,
    /// The whole field holding the value emptied: a CSV cell becomes
    /// empty, a JSON string `""`, a bare JSON value `null`. Where the value
    /// has no field (plain text, an SQL dump, a header line, a quoted cell
    /// longer than the scan could see at once) it is redacted.
    Drop,
}

impl Strategy {
    /// True for a strategy that needs a secret key.
    pub fn keyed(self) -> bool {
        matches!(self, Strategy::Hash | Strategy::Tokenize)
    }
}

impl FromStr for Strategy {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Strategy, ValueError> {
        match s {
            "partial" => Ok(Strategy::Partial),
            "redact" => Ok(Strategy::Redact { token: false }),
            "hash" => Ok(Strategy::Hash),
            "tokenize" => Ok(Strategy::Tokenize),
            "drop" => Ok(Strategy::Drop),
            _ => Err(ValueError::NotOneOf {
                what: "masking strategy",
                value: s.to_string(),
                choices: &["partial", "redact", "hash", "tokenize", "drop"],
            }),
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Strategy::Partial => "partial",
            Strategy::Redact { .. } => "redact",
            Strategy::Hash => "hash",
            Strategy::Tokenize => "tokenize",
            Strategy::Drop => "drop",
        })
    }
}

/// The strategy of every kind: one default, and overrides by kind.
#[derive(Debug, Clone, Default)]
pub struct Strategies {
    /// For kinds not named below.
    pub default: Strategy,
    /// By kind (`email`, `credit_card`, …).
    pub by_kind: HashMap<String, Strategy>,
}

impl Strategies {
    /// Reads `KIND=NAME` settings (`--strategy`); `all=NAME` sets the
    /// default. With `redact_token`, `redact` writes `[KIND]` tokens.
    pub fn parse(settings: &[String], redact_token: bool) -> Result<Strategies, ValueError> {
        let mut strategies = Strategies::default();
        for setting in settings {
            let (kind, name) = setting
                .split_once('=')
                .ok_or_else(|| ValueError::Setting(setting.clone()))?;
            let strategy = match name.trim().parse()? {
                Strategy::Redact { .. } => Strategy::Redact {
                    token: redact_token,
                },
                other => other,
            };
            match kind.trim() {
                "all" => strategies.default = strategy,
                kind => {
                    strategies.by_kind.insert(kind.to_string(), strategy);
                }
            }
        }
        Ok(strategies)
    }

    /// The strategy for `kind`.
    pub fn of(&self, kind: &str) -> Strategy {
        self.by_kind.get(kind).copied().unwrap_or(self.default)
    }

    /// True when some kind is masked with a keyed strategy.
    pub fn keyed(&self) -> bool {
        self.any(Strategy::keyed)
    }

    /// True when `test` holds for the strategy of some kind.
    pub fn any(&self, test: impl Fn(Strategy) -> bool) -> bool {
        test(self.default) || self.by_kind.values().any(|&s| test(s))
    }
}

/// A finding's value and what the masker knows of it.
#[derive(Debug, Clone, Copy)]
pub struct Original<'a> {
    /// Its kind (`credit_card`, …).
    pub kind: &'a str,
    /// The value's text.
    pub text: &'a str,
    /// The finding's masked form.
    pub masked: &'a str,
    /// The finding's keyed fingerprint (hex).
    pub fingerprint: &'a str,
    /// The value starts inside an escape sequence (a backslash right
    /// before it, as in `jos\u00e9.garcia@…` where the match starts at
    /// `u00e9`): that rest of the escape is kept, or the string breaks.
    pub escaped: bool,
}

/// The text that replaces a value under `strategy`.
pub fn replacement(strategy: Strategy, original: Original<'_>) -> String {
    let Original {
        kind,
        text: value,
        masked,
        fingerprint,
        escaped,
    } = original;
    let text = match strategy {
        // Where the value has no field to empty.
        Strategy::Drop => redact(value),
        Strategy::Redact { token: true } => format!("[{}]", kind.to_ascii_uppercase()),
        Strategy::Redact { token: false } => redact(value),
        Strategy::Hash => keep_escapes(value, &pseudonym(value, fingerprint)),
        Strategy::Tokenize => {
            keep_escapes(value, &super::token::tokenize(kind, value, fingerprint))
        }
        // A masked form of another shape (never expected) is not trusted
        // to keep the structure.
        Strategy::Partial if masked.chars().count() != value.chars().count() => redact(value),
        Strategy::Partial => keep_escapes(value, masked),
    };
    if escaped {
        keep_escape_tail(value, &text)
    } else {
        text
    }
}

/// `text` with the rest of the escape `value` starts in put back: `u` and
/// four hex digits, or one character; in place of as many characters of
/// `text` when it has the value's length, else before it.
fn keep_escape_tail(value: &str, text: &str) -> String {
    let original: Vec<char> = value.chars().collect();
    let hex = |c: &char| c.is_ascii_hexdigit();
    let len = match original.first() {
        Some('u') if original.len() >= 5 && original[1..5].iter().all(hex) => 5,
        Some(_) => 1,
        None => 0,
    };
    let tail = original[..len].iter();
    match text.chars().count() == original.len() {
        true => tail.copied().chain(text.chars().skip(len)).collect(),
        false => tail.copied().chain(text.chars()).collect(),
    }
}

/// `text`, the replacement of `value`, in digits only, for a bare number
/// in an SQL tuple that must stay one: digits stay, every other character
/// becomes `0`, a letter a digit of its own; of the value's length.
pub fn digits(value: &str, text: &str) -> String {
    let digit = |c: char| match c {
        '0'..='9' => c,
        c if c.is_ascii_alphabetic() => char::from(b'0' + (c as u8) % 10),
        _ => '0',
    };
    let n = value.chars().count();
    if text.chars().count() != n {
        return "0".repeat(n);
    }
    text.chars().map(digit).collect()
}

/// Letters for the fingerprint's hex digits: no digit, no vowel, no
/// capital and no hex letter, so a pseudonym reads as no number, word,
/// name or hex identifier a scan would take for personal data.
const PSEUDONYM: &[u8; 16] = b"ghjkmnpqrstvwxyz";

/// `value` with each letter or digit replaced by the next letter the
/// fingerprint gives (cycled), every other character kept.
fn pseudonym(value: &str, fingerprint: &str) -> String {
    let mut digits = fingerprint
        .bytes()
        .filter_map(|b| (b as char).to_digit(16))
        .cycle();
    value
        .chars()
        .map(|c| match c.is_alphanumeric() {
            true => digits
                .next()
                .map_or('*', |d| char::from(PSEUDONYM[d as usize])),
            false => c,
        })
        .collect()
}

/// `*` for every character, escape sequences kept as whole `*` runs.
fn redact(value: &str) -> String {
    value.chars().map(|_| '*').collect()
}

/// `masked`, with every backslash escape of `value` (`\"`, `\n`,
/// `\u0040`) put back whole: a half-masked escape (`\u**40`) would break
/// a JSON or SQL string. An escape shows at most one escaped character.
fn keep_escapes(value: &str, masked: &str) -> String {
    if !value.contains('\\') {
        return masked.to_string();
    }
    let original: Vec<char> = value.chars().collect();
    let mut out: Vec<char> = masked.chars().collect();
    let mut i = 0;
    while i < original.len() {
        if original[i] != '\\' || i + 1 == original.len() {
            i += 1;
            continue;
        }
        let len = if original[i + 1] == 'u' { 6 } else { 2 };
        let end = (i + len).min(original.len());
        out[i..end].copy_from_slice(&original[i..end]);
        i = end;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value<'a>(text: &'a str, masked: &'a str, fingerprint: &'a str) -> Original<'a> {
        Original {
            kind: "email",
            text,
            masked,
            fingerprint,
            escaped: false,
        }
    }

    #[test]
    fn a_value_that_starts_inside_an_escape_keeps_its_rest() {
        let fp = "0123456789abcdef0123456789abcdef";
        for strategy in [
            Strategy::Partial,
            Strategy::Redact { token: false },
            Strategy::Redact { token: true },
            Strategy::Hash,
            Strategy::Tokenize,
            Strategy::Drop,
        ] {
            let original = Original {
                escaped: true,
                ..value("u00e9.garcia@example.es", "*****.******@example.es", fp)
            };
            let text = replacement(strategy, original);
            assert!(text.starts_with("u00e9"), "{strategy}: {text}");
            assert!(!text.contains("garcia"), "{strategy}: {text}");
        }
    }

    #[test]
    fn a_pseudonym_keeps_the_shape_and_follows_the_fingerprint() {
        let fp = "0123456789abcdef0123456789abcdef";
        let a = replacement(Strategy::Hash, value("4539 1488", "", fp));
        assert_eq!(a, "ghjk mnpq");
        let other = "f123456789abcdef0123456789abcdef";
        assert_ne!(
            a,
            replacement(Strategy::Hash, value("4539 1488", "", other))
        );
        let email = replacement(Strategy::Hash, value("ana@x.ro", "", fp));
        assert_eq!(email, "ghj@k.mn");
    }

    #[test]
    fn settings_parse_by_kind_with_a_default() {
        let s = Strategies::parse(&["email=redact".into(), "all=partial".into()], false).unwrap();
        assert_eq!(s.of("email"), Strategy::Redact { token: false });
        assert_eq!(s.of("iban"), Strategy::Partial);
        assert!(Strategies::parse(&["email".into()], false).is_err());
        assert!(Strategies::parse(&["email=scramble".into()], false).is_err());
    }

    #[test]
    fn replacements_keep_the_length_and_the_escapes() {
        let fp = "0123456789abcdef0123456789abcdef";
        let redacted = replacement(
            Strategy::Redact { token: false },
            value("ana@x.ro", "***@x.ro", fp),
        );
        assert_eq!(redacted, "********");
        let escaped = replacement(
            Strategy::Partial,
            value("ana\\u0040x.ro", "***\\*****x.ro", fp),
        );
        assert_eq!(escaped, "***\\u0040x.ro");
        let quoted = replacement(Strategy::Partial, value("a\\\"b", "*\\\"*", fp));
        assert_eq!(quoted, "*\\\"*");
        let hashed = replacement(Strategy::Hash, value("a\\u0040b", "", fp));
        assert_eq!(hashed, "g\\u0040p");
        // A masked form of another length is not used.
        assert_eq!(
            replacement(Strategy::Partial, value("4111", "****1", fp)),
            "****"
        );
    }
}
