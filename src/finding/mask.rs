//! Masking by byte span: a matched value becomes a string of the same shape
//! in which most characters are `*`. The same function serves findings and,
//! later, masked copies of files, so what a report shows is what a copy holds.

use crate::error::ValueError;
use std::fmt;

/// How a rule masks its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaskSpec {
    /// Every letter and digit becomes `*`; separators stay.
    Full,
    /// Keep the first `first` and last `last` letters or digits.
    Keep {
        /// Characters shown at the start.
        first: u8,
        /// Characters shown at the end.
        last: u8,
    },
    /// A payment card: what [`MaskPolicy`] allows, PCI DSS at most.
    Card,
    /// An email address: the local part is hidden, the domain kept.
    Email,
}

impl MaskSpec {
    /// Parses `full`, `card`, `email` or `keep:FIRST:LAST`.
    pub fn parse(text: &str) -> Result<MaskSpec, ValueError> {
        match text {
            "full" => Ok(MaskSpec::Full),
            "card" => Ok(MaskSpec::Card),
            "email" => Ok(MaskSpec::Email),
            _ => {
                let bad = || ValueError::NotOneOf {
                    what: "mask",
                    value: text.to_string(),
                    choices: &["full", "card", "email", "keep:FIRST:LAST"],
                };
                let rest = text.strip_prefix("keep:").ok_or_else(bad)?;
                let (first, last) = rest.split_once(':').ok_or_else(bad)?;
                let first: u8 = first.parse().map_err(|_| bad())?;
                let last: u8 = last.parse().map_err(|_| bad())?;
                if first > 6 || last > 4 {
                    return Err(ValueError::ShowsTooMuch(text.to_string()));
                }
                Ok(MaskSpec::Keep { first, last })
            }
        }
    }
}

impl fmt::Display for MaskSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MaskSpec::Full => f.write_str("full"),
            MaskSpec::Card => f.write_str("card"),
            MaskSpec::Email => f.write_str("email"),
            MaskSpec::Keep { first, last } => write!(f, "keep:{first}:{last}"),
        }
    }
}

/// How much of a card number may be shown. PCI DSS allows at most the first
/// six and last four digits; the default shows only the last four.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaskPolicy {
    /// Leading card digits shown: 0 or 6.
    pub card_first: u8,
    /// Trailing card digits shown: 0 to 4.
    pub card_last: u8,
}

impl Default for MaskPolicy {
    fn default() -> Self {
        MaskPolicy {
            card_first: 0,
            card_last: 4,
        }
    }
}

impl MaskPolicy {
    /// Parses `last4` (default), `first6last4` or `none`.
    pub fn parse_card(text: &str) -> Result<MaskPolicy, ValueError> {
        let (card_first, card_last) = match text {
            "last4" => (0, 4),
            "first6last4" => (6, 4),
            "none" => (0, 0),
            _ => {
                return Err(ValueError::NotOneOf {
                    what: "card reveal",
                    value: text.to_string(),
                    choices: &["last4", "first6last4", "none"],
                })
            }
        };
        Ok(MaskPolicy {
            card_first,
            card_last,
        })
    }
}

/// Writes the masked form of `value` into `out` (cleared first).
///
/// Whatever the spec, at least half of the letters and digits are hidden,
/// so a short value is never shown whole.
pub fn mask_into(spec: MaskSpec, policy: MaskPolicy, value: &[u8], out: &mut String) {
    out.clear();
    match spec {
        MaskSpec::Full => keep(value, 0, 0, out),
        MaskSpec::Keep { first, last } => keep(value, first.into(), last.into(), out),
        MaskSpec::Card => {
            // PCI DSS allows first six and last four of a full PAN.
            let (first, last) = (policy.card_first.min(6), policy.card_last.min(4));
            let digits = value.iter().filter(|b| b.is_ascii_digit()).count();
            let (first, last) = if digits >= 13 {
                (first, last)
            } else {
                (0, last.min(2))
            };
            reveal(value, first.into(), last.into(), out)
        }
        MaskSpec::Email => match value.iter().rposition(|&b| b == b'@') {
            Some(at) => {
                keep(&value[..at], 0, 0, out);
                out.push_str(&String::from_utf8_lossy(&value[at..]));
            }
            None => keep(value, 0, 0, out),
        },
    }
}

/// Shorthand for [`mask_into`] returning a new string.
pub fn mask(spec: MaskSpec, policy: MaskPolicy, value: &[u8]) -> String {
    let mut out = String::with_capacity(value.len());
    mask_into(spec, policy, value, &mut out);
    out
}

/// Like [`reveal`], but always hides more than half of the characters: a
/// short value is never shown whole or nearly so.
fn keep(value: &[u8], first: usize, last: usize, out: &mut String) {
    let significant = classified(&String::from_utf8_lossy(value))
        .filter(|&(_, hidden)| hidden)
        .count();
    let (first, last) = if (first + last) * 2 >= significant {
        (0, ((significant.saturating_sub(1)) / 2).min(last))
    } else {
        (first, last)
    };
    reveal(value, first, last, out)
}

/// Replaces letters and digits (and any non-ASCII character) with `*`,
/// except the first `first` and last `last` of them; ASCII punctuation and
/// spaces stay so the masked value keeps its shape.
fn reveal(value: &[u8], first: usize, last: usize, out: &mut String) {
    let text = String::from_utf8_lossy(value);
    let significant = classified(&text).filter(|&(_, hidden)| hidden).count();
    let last = last.min(significant);
    let mut seen = 0;
    for (c, hidden) in classified(&text) {
        if !hidden {
            out.push(c);
            continue;
        }
        let shown = seen < first || seen >= significant - last;
        out.push(if shown { c } else { '*' });
        seen += 1;
    }
}

/// The characters of `text`, each with whether masking hides it: letters,
/// digits, `_` and non-ASCII do, except the letter of a string escape
/// (`\n`, `\r`, `\t`): an escaped key block in JSON keeps its line breaks,
/// so a masked copy stays valid. Any other letter after a backslash
/// (`CORP\jsmith`) is hidden like the rest.
fn classified(text: &str) -> impl Iterator<Item = (char, bool)> + '_ {
    let mut escaped = false;
    text.chars().map(move |c| {
        let escape = escaped && matches!(c, 'n' | 'r' | 't');
        let hidden = !escape && (c.is_alphanumeric() || c == '_' || !c.is_ascii());
        escaped = !escaped && c == '\\';
        (c, hidden)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(spec: &str, value: &str) -> String {
        mask(
            MaskSpec::parse(spec).unwrap(),
            MaskPolicy::default(),
            value.as_bytes(),
        )
    }

    #[test]
    fn escapes_stay_escapes() {
        assert_eq!(m("full", "BEGIN\\nMIIE\\n"), "*****\\n****\\n");
        assert_eq!(m("full", "a\\\\b"), "*\\\\*");
        assert_eq!(m("full", "CORP\\jsmith"), "****\\******");
    }

    #[test]
    fn cards_show_last_four_by_default() {
        assert_eq!(m("card", "4111111111111111"), "************1111");
        assert_eq!(m("card", "4111 1111 1111 1111"), "**** **** **** 1111");
        let six = MaskPolicy::parse_card("first6last4").unwrap();
        assert_eq!(
            mask(MaskSpec::Card, six, b"4111-1111-1111-1111"),
            "4111-11**-****-1111"
        );
        let none = MaskPolicy::parse_card("none").unwrap();
        assert_eq!(
            mask(MaskSpec::Card, none, b"4111111111111111"),
            "****************"
        );
    }

    #[test]
    fn shapes_are_kept() {
        assert_eq!(m("email", "ana.pop@example.ro"), "***.***@example.ro");
        assert_eq!(
            m("keep:2:4", "DE89 3704 0044 0532 0130 00"),
            "DE** **** **** **** **30 00"
        );
        assert_eq!(m("full", "192.0.2.10"), "***.*.*.**");
        assert_eq!(m("keep:0:2", "+33 6 12 34 56 78"), "+** * ** ** ** 78");
    }

    #[test]
    fn short_values_are_never_shown_whole() {
        assert_eq!(m("keep:6:4", "12345"), "***45");
        assert_eq!(m("keep:2:2", "ab"), "**");
        assert_eq!(m("keep:0:4", "jörg"), "***g");
        assert_eq!(m("card", "123456"), "****56");
    }

    #[test]
    fn specs_round_trip_and_limits_hold() {
        for s in ["full", "card", "email", "keep:2:4"] {
            assert_eq!(MaskSpec::parse(s).unwrap().to_string(), s);
        }
        assert!(MaskSpec::parse("keep:7:4").is_err());
        assert!(MaskSpec::parse("keep:0:5").is_err());
        assert!(MaskSpec::parse("partial").is_err());
    }
}
