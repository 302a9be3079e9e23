//! Contact details: phone numbers and email addresses.

use super::calling_codes::CALLING_CODES;
use super::cards::repeated;
use super::*;

/// A phone number: in international form (`+` or `00`), a country
/// calling code and a number of a length its regions give out
/// (libphonenumber's metadata); in national form 9 digits or more with a
/// trunk 0, else 8 or more. At most three kinds of separator, not a date,
/// a decimal number, a run of one repeated digit or a placeholder (see
/// [`placeholder_groups`]).
pub fn phone(value: &[u8]) -> bool {
    let mut d = [0u8; 15];
    let Some(n) = digits_of(value, &mut d) else {
        return false;
    };
    let international = value.first() == Some(&b'+') || value.starts_with(b"00");
    let fits = if international {
        let prefix = if value[0] == b'+' { 0 } else { 2 };
        // `+44 (0) 20 …`: the trunk 0 in parentheses is not dialled.
        let trunk = usize::from(value.windows(3).any(|w| w == b"(0)"));
        international_length(&d[prefix..n], trunk)
    } else {
        let national = value.first() == Some(&b'0');
        n >= if national { 9 } else { 8 }
    };
    fits && written_like_a_phone(value, &d[..n])
}

/// The tests every phone shape takes, whatever its length rule: not one
/// repeated digit, a placeholder, a date or a decimal number; at most
/// three kinds of separator, used regularly.
fn written_like_a_phone(value: &[u8], digits: &[u8]) -> bool {
    !repeated(digits)
        && !placeholder_groups(value)
        && !starts_like_date(value)
        && !decimal(value)
        && separators_regular(value)
}

/// A short national number with its trunk 0, as Sweden's (`08-47 19
/// 20`) and several others' regions give out: 7 digits or more, else
/// held to every test [`phone`] makes. Only next to a phone word: a
/// number this short is too often something else.
pub fn phone_short(value: &[u8]) -> bool {
    let mut d = [0u8; 15];
    let Some(n) = digits_of(value, &mut d) else {
        return false;
    };
    value.first() == Some(&b'0')
        && value.get(1) != Some(&b'0')
        && n >= 7
        && written_like_a_phone(value, &d[..n])
}

/// True when `digits` (after any international prefix) start with a
/// country calling code and the rest, less `trunk` digits written in
/// parentheses, is as long as a number of that code can be.
fn international_length(digits: &[u8], trunk: usize) -> bool {
    // No calling code starts with 0 (`0001 2345…`, `+0100`).
    if digits.first().is_none_or(|&d| d == 0) {
        return false;
    }
    let code = |len: usize| {
        digits[..len]
            .iter()
            .fold(0u16, |a, &x| a * 10 + u16::from(x))
    };
    // Calling codes are prefix-free: at most one of these is one.
    (1..=3.min(digits.len())).any(|len| {
        let found = CALLING_CODES.binary_search_by_key(&code(len), |&(c, _, _)| c);
        found.is_ok_and(|i| {
            let (_, shortest, longest) = CALLING_CODES[i];
            let rest = digits.len().saturating_sub(len + trunk);
            (usize::from(shortest)..=usize::from(longest)).contains(&rest)
        })
    })
}

/// Groups no one is given: four or more of equal width that count up or
/// down or repeat a pair (`01 02 03 04 05 06`, `08 07 06 05`,
/// `01 02 01 02 01 02`), as byte dumps and numbered lists print them, or
/// groups each of one repeated digit (`111-222-3333`).
pub(super) fn placeholder_groups(value: &[u8]) -> bool {
    let runs: Vec<&[u8]> = value
        .split(|b| !b.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let one_digit_each = runs
        .iter()
        .all(|g| g.len() >= 2 && g.iter().all(|&d| d == g[0]));
    if runs.len() >= 2 && one_digit_each {
        return true;
    }
    // Equal widths of at most four digits: the values fit any integer.
    let width = runs.first().map_or(0, |g| g.len());
    if runs.len() < 4 || width > 4 || runs.iter().any(|g| g.len() != width) {
        return false;
    }
    let groups: Vec<i32> = runs
        .iter()
        .map(|g| g.iter().fold(0, |a, &x| a * 10 + i32::from(x - b'0')))
        .collect();
    let stepping = |step: i32| groups.windows(2).all(|w| w[1] - w[0] == step);
    let pairs = groups.windows(3).all(|w| w[0] == w[2]);
    stepping(1) || stepping(-1) || pairs
}

/// `+35236450.6`: one dot, before a last group of one or two digits.
fn decimal(value: &[u8]) -> bool {
    let dots = value.iter().filter(|&&b| b == b'.').count();
    let tail = value
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    dots == 1 && (1..=2).contains(&tail) && value[value.len() - tail - 1] == b'.'
}

/// A North American number: area code and exchange start with 2–9 and are
/// not N11 service codes (211, 411, 911, …).
pub fn nanp(value: &[u8]) -> bool {
    let Some(d) = nanp_digits(value) else {
        return false;
    };
    d[0] >= 2
        && d[3] >= 2
        && !(d[1] == 1 && d[2] == 1)
        && !(d[4] == 1 && d[5] == 1)
        && separators_regular(value)
}

/// A North American number's shape only (ten digits, an area code from
/// 2): what a phone column holds when its exchange is not one the plan
/// gives out (`(507) 155-3539`, as test-data generators write them).
pub fn nanp_shape(value: &[u8]) -> bool {
    nanp_digits(value).is_some_and(|d| d[0] >= 2 && !repeated(&d) && separators_regular(value))
}

/// The ten digits of a North American number, without a leading `1`.
fn nanp_digits(value: &[u8]) -> Option<[u8; 10]> {
    let mut d = [0u8; 11];
    let n = digits_of(value, &mut d)?;
    let digits = if n == 11 && d[0] == 1 {
        &d[1..11]
    } else {
        &d[..n]
    };
    digits.try_into().ok()
}

/// A date at the start: `DD.MM.YYYY`, `DD/MM/YY`, `YYYY-MM-DD` and the like,
/// three digit groups with one separator that does not go on to a fourth
/// group (`06.12.34.56.78` is a phone number, `06.12.2034` a date).
fn starts_like_date(value: &[u8]) -> bool {
    // (digits, separator after) for the first four groups.
    let mut runs = [(0usize, 0u8); 4];
    let mut n = 0;
    for &b in value {
        if b.is_ascii_digit() {
            runs[n].0 += 1;
        } else {
            runs[n].1 = b;
            n += 1;
            if n == runs.len() {
                break;
            }
        }
    }
    let [(a, s1), (b, s2), (c, s3), _] = runs;
    let date_sep = matches!(s1, b'.' | b'/' | b'-') && s1 == s2 && s3 != s1;
    let shape = matches!(
        (a, b, c),
        (2, 2, 4) | (2, 2, 2) | (4, 2, 2) | (1, 1, 4) | (1, 2, 4) | (2, 1, 4)
    );
    date_sep && shape
}

/// Separators are spaces, dashes, dots or parentheses, never doubled, and
/// dots are not mixed with dashes.
fn separators_regular(value: &[u8]) -> bool {
    let (mut dot, mut dash) = (false, false);
    let mut prev_sep = false;
    for &b in value {
        let sep = matches!(b, b' ' | b'-' | b'.');
        if sep && prev_sep {
            return false;
        }
        prev_sep = sep;
        dot |= b == b'.';
        dash |= b == b'-';
    }
    !(dot && dash)
}

/// An email address: RFC 5321 dot-atom local part (at most 64 bytes, no
/// leading, trailing or doubled dots), a domain of at most 253 bytes whose
/// labels (UTF-8 letters allowed) neither start nor end with `-`, and a
/// top-level domain of letters or an `xn--` label.
pub fn email(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    if !local_ok || domain.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || is_mark(c))
    };
    let Some(tld) = labels.last() else {
        return false;
    };
    let tld_ok = tld.starts_with("xn--")
        || (tld.chars().count() >= 2
            && tld.chars().all(char::is_alphabetic)
            && !FILE_EXTENSIONS.contains(&tld.to_ascii_lowercase().as_str()));
    labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok
}

/// An [`email`] whose `@` is percent-encoded (`%40`).
pub fn email_encoded(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    email(text.replacen("%40", "@", 1).as_bytes())
}

/// File extensions that are not top-level domains: `logo@2x.png` and
/// `hero@3x.webp` name images, not mailboxes.
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "heic", "css",
    "scss", "js", "mjs", "jsx", "tsx", "json", "html", "htm", "xml", "txt", "pdf", "woff", "woff2",
    "ttf", "otf", "eot", "mp3", "wav", "ogg", "webm", "yml", "yaml", "toml", "ini", "cfg", "csv",
    "lock", "bak", "tmp", "swp", "exe", "dll",
];

/// Combining marks appear inside internationalised domain labels.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0900..=0x0DFF | 0x3099..=0x309A)
}
