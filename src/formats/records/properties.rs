//! vCard (RFC 6350) and iCalendar (RFC 5545) content lines:
//! `[group.]NAME[;param=value…]:value`. A property's name says what its
//! value is (`TEL`, `BDAY`); structured values (`N`, `ADR`) are split at
//! `;` into their components, each named for what it holds; an attendee's
//! `CN=` parameter is a full name and its `mailto:` value an email.

use super::Fields;

/// The field names of a structured value's components, by position
/// (`None`: a component that is no personal data on its own).
fn components(property: &[u8]) -> Option<&'static [Option<&'static str>]> {
    const N: &[Option<&str>] = &[Some("family name"), Some("given name"), Some("middle name")];
    const ADR: &[Option<&str>] = &[None, Some("street address"), Some("street address")];
    let upper = property.to_ascii_uppercase();
    Some(match &upper[..] {
        b"N" => N,
        b"ADR" => ADR,
        _ => return None,
    })
}

/// The field name of a whole property value.
fn whole(property: &[u8]) -> Option<&'static str> {
    let upper = property.to_ascii_uppercase();
    Some(match &upper[..] {
        b"FN" => "full name",
        b"TEL" => "telephone",
        b"EMAIL" => "email",
        b"BDAY" => "date of birth",
        b"ORGANIZER" | b"ATTENDEE" => "email",
        _ => return None,
    })
}

/// Reads the content lines of `hay[from..]`.
pub(super) fn read(hay: &[u8], from: usize, fields: &mut Fields) {
    let mut at = from;
    while at < hay.len() {
        let end = memchr::memchr(b'\n', &hay[at..]).map_or(hay.len(), |i| at + i);
        line(hay, at, end, fields);
        at = end + 1;
    }
}

/// One content line `hay[start..end]` (a folded continuation starts with a
/// blank and is left alone).
fn line(hay: &[u8], start: usize, end: usize, fields: &mut Fields) {
    let text = &hay[start..end];
    if text.first().is_none_or(|b| !b.is_ascii_alphabetic()) {
        return;
    }
    // The property name, after an optional `group.`.
    let name_end = text
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.'))
        .unwrap_or(text.len());
    let name = &text[..name_end];
    let name = name.rsplit(|&b| b == b'.').next().unwrap_or(name);
    // Parameters up to the `:` outside quotes.
    let mut at = name_end;
    let mut quoted = false;
    let mut param_start = None;
    while at < text.len() {
        match text[at] {
            b'"' => quoted = !quoted,
            b';' if !quoted => {
                if let Some(p) = param_start {
                    param(hay, start + p, start + at, fields);
                }
                param_start = Some(at + 1);
            }
            b':' if !quoted => break,
            _ => {}
        }
        at += 1;
    }
    if at >= text.len() {
        return;
    }
    if let Some(p) = param_start {
        param(hay, start + p, start + at, fields);
    }
    let value = start + at + 1;
    let end = if hay[..end].last() == Some(&b'\r') {
        end - 1
    } else {
        end
    };
    if let Some(parts) = components(name) {
        let mut from = value;
        for (i, part) in hay[value..end].split(|&b| b == b';').enumerate() {
            if let Some(Some(field)) = parts.get(i) {
                // A component of several values (`Jean,Paul`) names each.
                let mut at = from;
                for one in part.split(|&b| b == b',') {
                    fields.push(field.as_bytes(), hay, at, at + one.len());
                    at += one.len() + 1;
                }
            }
            from += part.len() + 1;
        }
    } else if let Some(field) = whole(name) {
        // `tel:+1-555…`, `mailto:ann@…`: the value after its scheme.
        let text = &hay[value..end];
        let scheme = text
            .iter()
            .position(|&b| b == b':')
            .filter(|&i| i <= 6 && text[..i].iter().all(u8::is_ascii_alphabetic))
            .map_or(0, |i| i + 1);
        fields.push(field.as_bytes(), hay, value + scheme, end);
    }
}

/// A parameter `hay[start..end]`: a common name (`CN="Ann Lee"`) is a full
/// name.
fn param(hay: &[u8], start: usize, end: usize, fields: &mut Fields) {
    let text = &hay[start..end];
    let Some(eq) = text.iter().position(|&b| b == b'=') else {
        return;
    };
    if !text[..eq].eq_ignore_ascii_case(b"CN") {
        return;
    }
    let (mut lo, mut hi) = (start + eq + 1, end);
    if hay.get(lo) == Some(&b'"') && hi > lo + 1 && hay[hi - 1] == b'"' {
        lo += 1;
        hi -= 1;
    }
    fields.push(b"full name", hay, lo, hi);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(text: &str) -> Vec<(String, String)> {
        let mut fields = Fields::default();
        read(text.as_bytes(), 0, &mut fields);
        (fields.values.iter())
            .map(|&(n, s, e)| {
                let name = String::from_utf8_lossy(&fields.names[n]).into_owned();
                (name, text[s..e].to_string())
            })
            .collect()
    }

    #[test]
    fn vcard_properties_and_components() {
        let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Lee\r\nN:Lee;Ann;Mary,Jo;;\r\n\
                    item1.TEL;TYPE=\"cell,voice\":tel:+1-555-0100\r\n\
                    ADR;TYPE=home:;;9 Marlow Walk;Leeds;;LS1 4AB;UK\r\nBDAY:19700305\r\nEND:VCARD\r\n";
        let got = named(card);
        let want = [
            ("full name", "Ann Lee"),
            ("family name", "Lee"),
            ("given name", "Ann"),
            ("middle name", "Mary"),
            ("middle name", "Jo"),
            ("telephone", "+1-555-0100"),
            ("street address", "9 Marlow Walk"),
            ("date of birth", "19700305"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn icalendar_attendees() {
        let got = named(
            "ATTENDEE;ROLE=REQ-PARTICIPANT;CN=\"Lee, Ann\":mailto:ann@example.org\n\
             ORGANIZER;CN=Bo Park:mailto:bo@example.org\nSUMMARY:Call: Bo\n",
        );
        let texts: Vec<&str> = got.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(
            texts,
            ["Lee, Ann", "ann@example.org", "Bo Park", "bo@example.org"]
        );
    }
}
