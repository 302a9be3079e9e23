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

/// Reads the content lines of `hay[from..]`, folded lines joined.
pub(super) fn read(hay: &[u8], from: usize, fields: &mut Fields) {
    let mut line = Line::default();
    let mut at = from;
    while at < hay.len() {
        line.text.clear();
        line.at.clear();
        // A line break followed by a blank continues the line (RFC 5545
        // 3.1): the value is read unfolded, and named where it lies whole.
        loop {
            let end = memchr::memchr(b'\n', &hay[at..]).map_or(hay.len(), |i| at + i);
            let text_end = if end > at && hay[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            line.text.extend_from_slice(&hay[at..text_end]);
            line.at.extend(at..text_end);
            at = end + 1;
            match hay.get(at) {
                Some(b' ' | b'\t') => at += 1,
                _ => break,
            }
        }
        line.read(hay, fields);
    }
}

/// A content line unfolded, with each byte's place in the input.
#[derive(Default)]
struct Line {
    text: Vec<u8>,
    at: Vec<usize>,
}

impl Line {
    /// Names `text[start..end]` as `field`, if its bytes lie together in
    /// the input (a value broken by a fold is no one value there).
    fn push(&self, field: &str, hay: &[u8], start: usize, end: usize, fields: &mut Fields) {
        if start >= end {
            return;
        }
        let (lo, hi) = (self.at[start], self.at[end - 1] + 1);
        if hi - lo == end - start {
            fields.push(field.as_bytes(), hay, lo, hi);
        }
    }

    fn read(&self, hay: &[u8], fields: &mut Fields) {
        let text = &self.text[..];
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
        let mut params = Vec::new();
        while at < text.len() {
            match text[at] {
                b'"' => quoted = !quoted,
                b';' if !quoted => params.push(at + 1),
                b':' if !quoted => break,
                _ => {}
            }
            at += 1;
        }
        if at >= text.len() {
            return;
        }
        let ends = params.iter().skip(1).map(|&p| p - 1).chain([at]);
        let params: Vec<(usize, usize)> = params.iter().copied().zip(ends).collect();
        self.params(hay, &params, fields);
        self.value(hay, name, at + 1, fields);
    }

    /// The value `text[value..]` of property `name`.
    fn value(&self, hay: &[u8], name: &[u8], value: usize, fields: &mut Fields) {
        let text = &self.text[..];
        let end = text.len();
        if let Some(parts) = components(name) {
            let mut from = value;
            for (i, part) in text[value..end].split(|&b| b == b';').enumerate() {
                if let Some(Some(field)) = parts.get(i) {
                    // A name component of several values (`Jean,Paul`)
                    // names each; a street keeps its commas (`Plaza Mayor,
                    // 204`), escaped or not.
                    let many = name.eq_ignore_ascii_case(b"N");
                    let mut at = from;
                    for one in part.split(|&b| many && b == b',') {
                        self.push(field, hay, at, at + one.len(), fields);
                        at += one.len() + 1;
                    }
                }
                from += part.len() + 1;
            }
        } else if name.eq_ignore_ascii_case(b"LOCATION") {
            // A place written street first, then town (`125 Albert Avenue\,
            // BS3 1WF Bristol`): its street.
            if let Some(i) = memchr::memmem::find(&text[value..], b"\\,") {
                self.push("street address", hay, value, value + i, fields);
            }
        } else if let Some(field) = whole(name) {
            // `tel:+1-555…`, `mailto:ann@…`: the value after its scheme.
            let rest = &text[value..end];
            let scheme = rest
                .iter()
                .position(|&b| b == b':')
                .filter(|&i| i <= 6 && rest[..i].iter().all(u8::is_ascii_alphabetic))
                .map_or(0, |i| i + 1);
            self.push(field, hay, value + scheme, end, fields);
        }
    }

    /// The parameters, as ranges of `text`: a common name (`CN="Ann
    /// Lee"`) is a full name, unless the attendee is a room or a resource.
    fn params(&self, hay: &[u8], params: &[(usize, usize)], fields: &mut Fields) {
        let text = &self.text[..];
        let split = |&(s, e): &(usize, usize)| {
            let eq = text[s..e].iter().position(|&b| b == b'=')?;
            Some((&text[s..s + eq], s + eq + 1, e))
        };
        let thing = params.iter().filter_map(split).any(|(key, s, e)| {
            key.eq_ignore_ascii_case(b"CUTYPE")
                && ["ROOM", "RESOURCE"]
                    .iter()
                    .any(|t| text[s..e].eq_ignore_ascii_case(t.as_bytes()))
        });
        for (key, mut lo, mut hi) in params.iter().filter_map(split) {
            if thing || !key.eq_ignore_ascii_case(b"CN") {
                continue;
            }
            if text.get(lo) == Some(&b'"') && hi > lo + 1 && text[hi - 1] == b'"' {
                lo += 1;
                hi -= 1;
            }
            self.push("full name", hay, lo, hi, fields);
        }
    }
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
