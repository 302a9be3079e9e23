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
use std::ops::Range;

use names::{after_title, before_address, before_colon, no_company_after};

/// A named check a rule can ask for.
#[derive(Debug, Clone, Copy)]
pub struct Validator {
    name: &'static str,
    check: fn(&[u8]) -> bool,
    /// What the bytes around the match must (not) be: `(hay, start, end)`.
    around: fn(&[u8], usize, usize) -> bool,
}

macro_rules! validators {
    ($($name:literal => $check:expr, $around:ident;)*) => {
        /// Every validator, by name.
        const ALL: &[Validator] = &[$(Validator { name: $name, check: $check, around: $around }),*];
    };
}

/// Only the value counts.
fn anywhere(_: &[u8], _: usize, _: usize) -> bool {
    true
}

validators! {
    "luhn" => |v| luhn(v), anywhere;
    "card" => card, numeric_isolated;
    "visa_or_barcode" => visa_or_barcode, numeric_isolated;
    "iban" => iban, anywhere;
    "us_ssn" => us_ssn, numeric_isolated;
    "ipv4" => ipv4, ipv4_isolated;
    "ipv6" => ipv6, ipv6_isolated;
    "phone" => phone, phone_isolated;
    "phone_short" => phone_short, phone_isolated;
    "nanp" => nanp, phone_isolated;
    "nanp_shape" => nanp_shape, phone_isolated;
    "mac" => mac, mac_isolated;
    "email" => email, email_isolated;
    "address_cell" => address_cell, anywhere;
    "street_name" => street_name, anywhere;
    "email_encoded" => email_encoded, anywhere;
    "isolated" => |_| true, numeric_isolated;
    "birth_date" => birth_date, numeric_isolated;
    "birth_date_text" => birth_date_text, anywhere;
    "birth_date_compact" => birth_date_compact, numeric_isolated;
    "url_password" => url_password, anywhere;
    "person_name" => person_name, no_company_after;
    "name_part" => names::name_part, anywhere;
    "full_name" => names::full_name, no_company_after;
    "titled_name" => names::titled_name, after_title;
    "addressed_name" => names::addressed_name, anywhere;
    "display_name" => names::addressed_name, before_address;
    "greeted_name" => names::addressed_name, not_after_colon;
    "speaker_name" => names::addressed_name, before_colon;
    "us_itin" => national::us_itin, numeric_isolated;
    "ca_sin" => national::ca_sin, numeric_isolated;
    "uk_nino" => national::uk_nino, anywhere;
    "uk_nhs" => national::uk_nhs, numeric_isolated;
    "fr_nir" => national::fr_nir, numeric_isolated;
    "de_tax_id" => national::de_tax_id, numeric_isolated;
    "es_dni" => national::es_dni, anywhere;
    "es_nie" => national::es_nie, anywhere;
    "it_fiscal_code" => national::it_fiscal_code, anywhere;
    "nl_bsn" => national::nl_bsn, numeric_isolated;
    "be_national_number" => national::be_national_number, numeric_isolated;
    "pl_pesel" => national::pl_pesel, numeric_isolated;
    "ro_cnp" => national::ro_cnp, numeric_isolated;
    "se_personnummer" => national::se_personnummer, numeric_isolated;
    "in_aadhaar" => national::in_aadhaar, not_code_points;
    "in_pan" => national::in_pan, anywhere;
    "br_cpf" => national::br_cpf, numeric_isolated;
    "au_tfn" => national::au_tfn, numeric_isolated;
    "us_npi" => national::us_npi, numeric_isolated;
    "swift_bic" => national::swift_bic, anywhere;
    "vat_id" => national::vat_id, anywhere;
    "passport_mrz" => national::passport_mrz_line2, anywhere;
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
        (self.around)(hay, start, end) && (self.check)(&hay[start..end])
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

/// A phone number stands alone as numbers do, and also is not glued to a
/// `+` (`++20200123…`), not one stretch of a longer run of groups
/// (`<Buffer a0 8b 01 02 03 04 05 06>`), not a pair of ISO 6709
/// coordinates (`+1306-05937`, `-0640-06952`) and not a US ZIP+4 code
/// after a state (`Boston, MA 02110-1301`).
fn phone_isolated(hay: &[u8], start: usize, end: usize) -> bool {
    let (before, value, after) = (&hay[..start], &hay[start..end], &hay[end..]);
    let glued_plus = before.last() == Some(&b'+') || after.first() == Some(&b'+');
    let continued = value
        .iter()
        .position(|b| matches!(b, b' ' | b'.' | b'-'))
        .is_some_and(|at| {
            let sep = value[at];
            let last = value.len() - 1 - value.iter().rposition(|&b| b == sep).unwrap_or(at);
            let group_after = after.first() == Some(&sep) && hex_group(&after[1..], last);
            let group_before =
                before.last() == Some(&sep) && hex_group_before(&before[..before.len() - 1], at);
            group_after || group_before
        });
    numeric_isolated(hay, start, end)
        && !glued_plus
        && !dotted_name(before)
        && !continued
        && !coordinates(before, value)
        && !zip_plus_four(before, value)
        && !code_points(hay, start, end)
}

/// A number standing alone, not on a line of Unicode code points (CJK
/// ideographs listed `5000 5001 5002` make Verhoeff-valid runs).
fn not_code_points(hay: &[u8], start: usize, end: usize) -> bool {
    numeric_isolated(hay, start, end) && !code_points(hay, start, end)
}

/// Groups of four digits on a line of Unicode code points (`00C0;0041
/// 0300;`, `1E0A;1E0A;0044 0307;`): another four-to-six-digit hex token
/// with a letter on the line says the line lists characters, not phones;
/// dotted after a `.` or `*`, they are a collation element's weights.
fn code_points(hay: &[u8], start: usize, end: usize) -> bool {
    const REACH: usize = 160;
    let value = &hay[start..end];
    let mut groups = value.split(|&b| b == b' ' || b == b'.');
    let fours = groups.clone().count() >= 2
        && groups.all(|g| g.len() == 4 && g.iter().all(u8::is_ascii_digit));
    if !fours {
        return false;
    }
    // `[.1FB4.0020.0002]`: the weights of a collation element.
    if matches!(hay[..start].last(), Some(b'.' | b'*')) {
        return true;
    }
    let lo = start.saturating_sub(REACH);
    let lo = memchr::memrchr(b'\n', &hay[lo..start]).map_or(lo, |i| lo + i + 1);
    let hi = (end + REACH).min(hay.len());
    let hi = memchr::memchr(b'\n', &hay[end..hi]).map_or(hi, |i| end + i);
    let hex_token = |t: &[u8]| {
        (4..=6).contains(&t.len())
            && t.iter()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(b))
            && t.iter().any(|b| (b'A'..=b'F').contains(b))
    };
    // An IBAN's `BE70` or a GUID's `B42D` looks like a code point too,
    // and sits beside real numbers.
    let code_point = |at: usize, t: &[u8]| {
        hex_token(t) && !guid_part(&hay[lo..hi], at - lo, t.len()) && !iban_at(&hay[at..hi])
    };
    let tokens = |range: Range<usize>| {
        words(&hay[range.clone()]).any(|(at, t)| code_point(range.start + at, t))
    };
    tokens(lo..start) || tokens(end..hi)
}

/// The word at `at..at + len` of `line` is one of three or more joined
/// by `-` (a GUID's `B42D`), not one end of a range (`1E0A-1E0B`).
fn guid_part(line: &[u8], at: usize, len: usize) -> bool {
    let part = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-';
    let from = line[..at]
        .iter()
        .rposition(|b| !part(b))
        .map_or(0, |i| i + 1);
    let to = line[at + len..]
        .iter()
        .position(|b| !part(b))
        .map_or(line.len(), |i| at + len + i);
    line[from..to].iter().filter(|&&b| b == b'-').count() >= 2
}

/// An IBAN in print or electronic form starts `text`.
fn iban_at(text: &[u8]) -> bool {
    let run = text
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b' '))
        .map_or(text, |n| &text[..n]);
    let run = &run[..run.len().min(42)];
    (15..=run.len())
        .filter(|&n| n == run.len() || run[n] == b' ')
        .any(|n| iban(&run[..n]))
}

/// The runs of ASCII letters and digits in `text`, with their offsets.
fn words(text: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + text[at..].iter().position(u8::is_ascii_alphanumeric)?;
        let len = text[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(text.len() - start);
        at = start + len;
        Some((start, &text[start..start + len]))
    })
}

/// `pain.001.001.03`: the number continues a dotted lower-case name, as
/// in namespaces and file names; a label (`Tel.`, `Tél.`, `Handy.`, `tel.`)
/// is not one.
fn dotted_name(before: &[u8]) -> bool {
    const LABELS: &[&[u8]] = &[
        b"tel", b"tlf", b"telf", b"tfno", b"fax", b"mob", b"mobil", b"mobile", b"cell", b"ph",
        b"phone", b"telefon", b"handy", b"nr", b"no", b"num",
    ];
    let Some(rest) = before.strip_suffix(b".") else {
        return false;
    };
    let n = rest
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic() || **b >= 0x80)
        .count();
    let word = &rest[rest.len() - n..];
    n >= 2 && word.iter().all(u8::is_ascii_lowercase) && !LABELS.contains(&word)
}

/// A group of `width` hex digits with a decimal digit among them, then the
/// end of the token: the next group of a dump (`… 06 07`, `… 3f 01`), not
/// a word (`de 9h`, `ab 8 Uhr`).
fn hex_group(rest: &[u8], width: usize) -> bool {
    let n = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    n == width
        && rest[..n].iter().any(u8::is_ascii_digit)
        && !rest.get(n).is_some_and(u8::is_ascii_alphanumeric)
}

/// [`hex_group`], backwards: such a group ends `before`.
fn hex_group_before(before: &[u8], width: usize) -> bool {
    let n = before
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    n == width
        && before[before.len() - n..].iter().any(u8::is_ascii_digit)
        && !before[..before.len() - n]
            .last()
            .is_some_and(u8::is_ascii_alphanumeric)
}

/// `±DDMM±DDDMM` or `±DDMMSS±DDDMMSS`, the sign of a national-looking
/// value standing just before it.
fn coordinates(before: &[u8], value: &[u8]) -> bool {
    let signed = |b: &u8| matches!(b, b'+' | b'-');
    let (sign, rest) = match value.split_first() {
        Some((s, rest)) if signed(s) => (true, rest),
        _ => (before.last().is_some_and(signed), value),
    };
    let Some(mid) = rest.iter().position(|b| !b.is_ascii_digit()) else {
        return false;
    };
    let (lat, lon) = (&rest[..mid], &rest[mid + 1..]);
    sign && signed(&rest[mid])
        && all_digits(lon)
        && matches!((lat.len(), lon.len()), (4, 5) | (6, 7))
}

fn all_digits(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_digit)
}

/// `02110-1301` after a two-letter state code (and spaces, no-break spaces
/// or a comment marker: `MA # 02110-1301`).
fn zip_plus_four(before: &[u8], value: &[u8]) -> bool {
    let shape =
        value.len() == 10 && value[5] == b'-' && all_digits(&value[..5]) && all_digits(&value[6..]);
    let mut rest = before;
    loop {
        rest = match rest {
            [r @ .., b' ' | b'\t' | b'#' | b'*'] => r,
            [r @ .., 0xC2, 0xA0] => r,
            _ => break,
        };
    }
    let state = match rest {
        [.., p, a, b] => {
            !p.is_ascii_alphanumeric() && a.is_ascii_uppercase() && b.is_ascii_uppercase()
        }
        [a, b] => a.is_ascii_uppercase() && b.is_ascii_uppercase(),
        _ => false,
    };
    shape && rest.len() < before.len() && state
}

/// A MAC address stands alone as numbers do, and is not six groups of a
/// longer chain of hex pairs (a certificate fingerprint `74:31:e5:…:a9`).
fn mac_isolated(hay: &[u8], start: usize, end: usize) -> bool {
    let (before, after) = (&hay[..start], &hay[end..]);
    let Some(&sep) = hay[start..end].iter().find(|b| !b.is_ascii_hexdigit()) else {
        return false;
    };
    let chained_before = matches!(before, [.., h, s] if *s == sep && h.is_ascii_hexdigit());
    let chained_after = matches!(after, [s, h, ..] if *s == sep && h.is_ascii_hexdigit());
    // `[.54D8.0020.0002]`, `[*0A4E.0020.0002]`: a Unicode collation
    // element's weights, dotted like Cisco's MACs.
    let weights = sep == b'.' && matches!(before, [.., b'.' | b'*']);
    numeric_isolated(hay, start, end) && !chained_before && !chained_after && !weights
}

/// An IPv4 address stands alone as numbers do, and does not follow the
/// word `version`, `release` or the like (`Git 1.7.0.6` aside, a dotted
/// quad after such a word is a version).
fn ipv4_isolated(hay: &[u8], start: usize, end: usize) -> bool {
    const VERSION_WORDS: &[&[u8]] = &[
        b"version",
        b"ver",
        b"release",
        b"rel",
        b"build",
        b"rev",
        b"revision",
        b"firmware",
        b"kernel",
        b"upgrade",
        b"update",
        b"git",
        // A browser's engine revision (`rv:109.0.1.2` in a User-Agent), a
        // version bump, a section or clause number.
        b"rv",
        b"bump",
        b"bumped",
        b"bumps",
        b"patch",
        b"section",
        b"sections",
        b"sect",
        b"clause",
        b"chapter",
        b"appendix",
        b"annex",
        b"oid",
    ];
    // The word before, past `(`, `:` and a `to` (`rv:109.0.1.2`, `bump
    // to 10.2.3.4`, `upgrade to version (4.4.63.30)`).
    let mut before = &hay[..start.min(hay.len())];
    let mut versioned = false;
    for _ in 0..3 {
        before = before.trim_ascii_end();
        before = before.strip_suffix(b"(").unwrap_or(before).trim_ascii_end();
        before = before.strip_suffix(b":").unwrap_or(before).trim_ascii_end();
        let word_start = before
            .iter()
            .rposition(|b| !b.is_ascii_alphabetic())
            .map_or(0, |i| i + 1);
        let word = &before[word_start..];
        versioned = VERSION_WORDS.iter().any(|w| w.eq_ignore_ascii_case(word));
        if versioned || !(word.eq_ignore_ascii_case(b"to") || word.eq_ignore_ascii_case(b"v")) {
            break;
        }
        before = &before[..word_start];
    }
    // Small numbers are an address only after a word that says so.
    let labelled = || ip_word_before(&hay[..start]);
    numeric_isolated(hay, start, end)
        && !versioned
        && !in_svg_path(&hay[..start])
        && (!small_numbers(&hay[start..end]) || labelled())
}

/// Four small numbers (each below 32, not the private `10.` block) or the
/// X.500 arcs `2.5.…`: a version (`1.16.4.2`), a section (`[23.2.2.2]`) or
/// an OID (`2.5.29.33`) far more often than a host.
fn small_numbers(value: &[u8]) -> bool {
    let mut octets = [0u32; 4];
    let mut n = 0;
    for group in value.split(|&b| b == b'.') {
        if n == 4 {
            return false;
        }
        octets[n] = group.iter().fold(0u32, |a, &d| {
            a.saturating_mul(10)
                .saturating_add(u32::from(d.wrapping_sub(b'0')))
        });
        n += 1;
    }
    let small = n == 4 && octets[0] != 10 && octets.iter().all(|&o| o < 32);
    small || octets[..2] == [2, 5]
}

/// A word that says an address follows, within the line's last 48 bytes
/// (`ip 1.2.3.4`, `inet 10.0.0.2`, `from 2.3.4.5`).
fn ip_word_before(before: &[u8]) -> bool {
    const IP_WORDS: &[&[u8]] = &[
        b"ip",
        b"ipv4",
        b"inet",
        b"addr",
        b"address",
        b"host",
        b"server",
        b"client",
        b"from",
        b"src",
        b"dst",
        b"gateway",
        b"dns",
        b"nameserver",
        b"listen",
        b"bind",
        b"peer",
        b"remote",
    ];
    let near = &before[before.len().saturating_sub(48)..];
    let line = near.rsplit(|&b| b == b'\n').next().unwrap_or(near);
    line.split(|b| !b.is_ascii_alphanumeric())
        .any(|w| IP_WORDS.iter().any(|i| w.eq_ignore_ascii_case(i)))
}

/// An IPv6 address stands alone; one of four groups and a trailing `::`
/// (`2001:db8:1:2::`) is a /64 prefix unless it opens a line, as a client
/// address opens an access log's, or a word says address.
fn ipv6_isolated(hay: &[u8], start: usize, end: usize) -> bool {
    let value = &hay[start..end];
    let groups = value
        .split(|&b| b == b':')
        .filter(|g| !g.is_empty())
        .count();
    let prefix = value.ends_with(b"::") && groups == 4;
    let opens_line = matches!(hay[..start].last(), None | Some(b'\n'));
    numeric_isolated(hay, start, end) && (!prefix || opens_line || ip_word_before(&hay[..start]))
}

/// True when `before` ends inside an SVG path's `d="…"` attribute: only
/// path commands, numbers and separators since its quote (`M 12.5.10.20`
/// is the coordinates 12.5, .10 and .20).
fn in_svg_path(before: &[u8]) -> bool {
    let near = &before[before.len().saturating_sub(4096)..];
    let Some(quote) = memchr::memrchr(b'"', near) else {
        return false;
    };
    let path_byte = |b: &u8| b" \t\n,.-+0123456789MLHVCSQTAZmlhvcsqtaz".contains(b);
    near[..quote].ends_with(b" d=") && near[quote + 1..].iter().all(path_byte)
}

/// A greeting is no key: `Hello Anna`, not `hi: Padding`.
fn not_after_colon(hay: &[u8], start: usize, _end: usize) -> bool {
    !hay[..start].trim_ascii_end().ends_with(b":")
}

/// An email address is the whole token: not a top-level domain cut short
/// (`sr_RS@latin.UTF-8`, `xx_yy@script.utf8` are locale aliases), nor the
/// password of a URL's credentials (`https://user:pass@example.com`).
fn email_isolated(hay: &[u8], start: usize, end: usize) -> bool {
    let cut_short = hay
        .get(end)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    // `scheme://user:` right before, within a URL's userinfo (no `/`, `@`
    // or blank between `://` and the `:`), looked for in the last 256 bytes.
    let before = &hay[start.saturating_sub(256)..start];
    let credentials = before.strip_suffix(b":").is_some_and(|userinfo| {
        let from = userinfo
            .iter()
            .rposition(|b| b"/@\"'<( \t\r\n".contains(b))
            .map_or(0, |i| i + 1);
        userinfo[..from].ends_with(b"//") && from >= 3 && userinfo[from - 3] == b':'
    });
    !cut_short && !credentials && !message_id(hay, start)
}

/// Mail headers whose `<…@…>` values name messages, not people, and the
/// `UID` of calendar and contact objects.
const MESSAGE_HEADERS: [&[u8]; 6] = [
    b"message-id:",
    // An iCalendar or vCard object's id (`UID:…@planner.example.org`).
    b"uid:",
    b"in-reply-to:",
    b"references:",
    b"content-id:",
    b"resent-message-id:",
];

/// True when the address at `start` is in a header that names messages
/// (`Message-ID: <6964934860.4d6dd719f01a@mail.example.com>`), on its line
/// or on a folded continuation of it.
fn message_id(hay: &[u8], start: usize) -> bool {
    let lo = start.saturating_sub(1024);
    let mut end = start;
    // A folded header goes on on lines that start with a blank.
    let line = loop {
        let from = memchr::memrchr(b'\n', &hay[lo..end]).map_or(lo, |i| lo + i + 1);
        let line = &hay[from..end];
        if !line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            break line;
        }
        if from == lo {
            return false;
        }
        end = from - 1;
    };
    let line = line.strip_prefix(b">").unwrap_or(line).trim_ascii_start();
    (MESSAGE_HEADERS.iter())
        .any(|h| line.len() >= h.len() && line[..h.len()].eq_ignore_ascii_case(h))
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
    fn code_point_lines_are_told_by_their_fields_not_any_hex_word() {
        let aadhaar = "9532 2812 4124";
        for line in [
            "1E0A;1E0A;9532 2812 4124;1E0A;",
            "00C0;LATIN CAPITAL LETTER;9532 2812 4124",
            "U+00C0 9532 2812 4124",
            "1E0A-1E0B 9532 2812 4124",
        ] {
            assert!(!run("in_aadhaar", line, aadhaar), "{line}");
        }
        for line in [
            r#"{"iban":"BE70 8964 2697 6925","aadhaar":"9532 2812 4124"}"#,
            "request 6F9619FF-8B86-D011-B42D-00CF4FC964FF aadhaar 9532 2812 4124",
        ] {
            assert!(run("in_aadhaar", line, aadhaar), "{line}");
        }
    }

    #[test]
    fn phone_numbers_are_not_pieces_of_something_else() {
        assert!(run("phone", "tel 06 12 34 56 78, ok", "06 12 34 56 78"));
        assert!(run("phone", "tel 06 12 34 56 78 24h/24", "06 12 34 56 78"));
        assert!(run(
            "phone",
            "Tél : 01 23 45 67 89 de 9h à 18h",
            "01 23 45 67 89"
        ));
        assert!(run("phone", "Tel 030 1234567 ab 8 Uhr", "030 1234567"));
        assert!(run("phone", "Tél.01 23 45 67 89", "01 23 45 67 89"));
        assert!(run("phone", "Handy.0171 2345678", "0171 2345678"));
        assert!(!run("phone", "xsd:pain.001.001.03", "001.001.03"));
        assert!(!run(
            "phone",
            "<Buffer 01 02 03 04 05 06 07 08>",
            "02 03 04 05 06 07"
        ));
        assert!(!run(
            "phone",
            "<Buffer a0 8b 28 3f 01 00 00 00 50 32>",
            "01 00 00 00 50 32"
        ));
        assert!(!run("phone", "Boston, MA 02110-1301", "02110-1301"));
        assert!(!run("phone", "MA\u{a0}02110-1301", "02110-1301"));
        assert!(run("phone", "Tel 02110-1301", "02110-1301"));
        assert!(!run("phone", "BR\t-0640-06952\tAmerica", "0640-06952"));
        assert!(!run("phone", "US\t+394606-0860929\t", "+394606-0860929"));
        assert!(!run("phone", "~++20200123111717+04fd", "+20200123111717"));
    }

    #[test]
    fn mac_addresses_are_not_pieces_of_fingerprints() {
        assert!(run(
            "mac",
            "ether 00:00:5e:00:53:af up",
            "00:00:5e:00:53:af"
        ));
        assert!(!run(
            "mac",
            "SHA1: 74:31:e5:f4:c3:c1:ce:46:90",
            "74:31:e5:f4:c3:c1"
        ));
        assert!(!run("mac", "0b:61:e0:54:40:88:3b", "61:e0:54:40:88:3b"));
        assert!(!run(
            "mac",
            "ether 00:00:5E:00:53:af up",
            "00:00:5E:00:53:af"
        ));
    }

    #[test]
    fn dotted_quads_after_version_words_are_versions() {
        assert!(run("ipv4", "from 192.0.2.10 ok", "192.0.2.10"));
        assert!(!run("ipv4", "Git 1.7.12.3 Release Notes", "1.7.12.3"));
        assert!(!run("ipv4", "upgrade to version (4.4.63.30)", "4.4.63.30"));
        assert!(!run("ipv4", "section 2.2.1.4.", "2.2.1.4"));
        assert!(!run("ipv4", "(X11; rv:109.0.12.40) Gecko", "109.0.12.40"));
        assert!(!run("ipv4", "Bump to 10.20.30.40", "10.20.30.40"));
        assert!(run("ipv4", "connect to 192.0.2.10", "192.0.2.10"));
        let svg = r#"<path d="M 12.5.10.20 L 30.40.50.60"/>"#;
        assert!(!run("ipv4", svg, "12.5.10.20"));
        assert!(!run("ipv4", svg, "30.40.50.60"));
        assert!(run("ipv4", r#"<a d="x" title="192.0.2.10">"#, "192.0.2.10"));
    }

    #[test]
    fn emails_are_whole_tokens_not_credentials() {
        assert!(run("email", "mail ana@example.org.", "ana@example.org"));
        assert!(run("email", "mailto:ana@example.org", "ana@example.org"));
        assert!(!run("email", "sr_RS@latin.UTF-8", "sr_RS@latin.UTF"));
        assert!(!run(
            "ipv6",
            "addSubnet('8592:757c:efae:4e45::', 64)",
            "8592:757c:efae:4e45::"
        ));
        assert!(run(
            "ipv6",
            "x\n2a00:a7bc:f3d9:a81:: - - [06/Jan",
            "2a00:a7bc:f3d9:a81::"
        ));
        assert!(!run("email", "xx_yy@script.utf8", "xx_yy@script.utf"));
        let headers = "From: Ann <ann@example.org>\nMessage-ID: <69.4d6d@mail.example.com>\n\
                       References: <1.a@example.com>\n <2.b@example.com>\n";
        assert!(run("email", headers, "ann@example.org"));
        assert!(!run("email", headers, "69.4d6d@mail.example.com"));
        assert!(!run("email", headers, "2.b@example.com"));
        assert!(!run(
            "email",
            "https://u:pass@example.org/",
            "pass@example.org"
        ));
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

#[cfg(test)]
mod any_span {
    use super::*;

    /// Every validator takes any span of any bytes without a panic (the
    /// fuzz target's first crash: a phone and a date, cut at byte 3).
    #[test]
    fn every_validator_takes_any_span() {
        let hays: [&[u8]; 3] = [b"+44 7700 900123 1990-01-01", b"", b"\xff\x00 0"];
        for hay in hays {
            for start in 0..=hay.len() {
                for name in Validator::names() {
                    let v = Validator::by_name(name).unwrap();
                    v.check(hay, 0, hay.len());
                    v.check(hay, start, hay.len());
                    v.check(hay, 0, start);
                }
            }
        }
    }
}
