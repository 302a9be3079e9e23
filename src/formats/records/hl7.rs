//! HL7 version 2 messages: segments (one per line, ended by a carriage
//! return) of fields separated by `|`, components by `^`, repetitions by
//! `~` and subcomponents by `&`. Which field holds what is fixed by the
//! standard (PID-5 the patient's name, PID-7 the birth date, PID-11 the
//! address), so each field's value is named for it; an identifier's type
//! code or assigning authority (`…^^^SSA^SS`) names the identifier.

use super::Fields;

/// What a field holds, by its data type.
#[derive(Clone, Copy)]
enum Holds {
    /// XPN: family^given^middle.
    Name,
    /// XCN: id^family^given^middle (a person in a role).
    Staff,
    /// XAD: street^other^city^state^zip.
    Address,
    /// XTN: number, or an email in component 4.
    Telecom,
    /// A whole field of one kind.
    Whole(&'static str),
    /// CX: id^check digit^scheme^authority^type code.
    Identifier,
}

/// The fields of a segment that hold personal data.
fn fields_of(segment: &[u8]) -> &'static [(usize, Holds)] {
    use Holds::*;
    match segment {
        b"PID" => &[
            (2, Identifier),
            (3, Identifier),
            (4, Identifier),
            (5, Name),
            (6, Name),
            (7, Whole("date of birth")),
            (9, Name),
            (11, Address),
            (13, Telecom),
            (14, Telecom),
            (19, Whole("social security number")),
            (20, Identifier),
        ],
        b"NK1" => &[
            (2, Name),
            (4, Address),
            (5, Telecom),
            (6, Telecom),
            (16, Whole("date of birth")),
        ],
        b"GT1" => &[
            (3, Name),
            (5, Address),
            (6, Telecom),
            (7, Telecom),
            (8, Whole("date of birth")),
            (12, Whole("social security number")),
        ],
        b"IN1" => &[(16, Name), (18, Whole("date of birth")), (19, Address)],
        b"IN2" => &[(2, Whole("social security number"))],
        b"PV1" => &[(7, Staff), (8, Staff), (9, Staff), (17, Staff)],
        b"ORC" => &[(10, Staff), (11, Staff), (12, Staff)],
        b"OBR" => &[(16, Staff), (28, Staff)],
        b"ROL" => &[(4, Staff)],
        b"PD1" => &[(4, Staff)],
        _ => &[],
    }
}

/// The field name an identifier's type code or assigning authority gives
/// it, if that names a kind.
fn identifier_name(authority: &[u8], code: &[u8]) -> Option<&'static str> {
    let code = code.to_ascii_uppercase();
    let authority = authority.to_ascii_uppercase();
    Some(match (&code[..], &authority[..]) {
        (b"SS" | b"SSN", _) | (_, b"SSA" | b"SSN" | b"USSSA") => "social security number",
        (b"NPI", _) | (_, b"NPI" | b"CMS") => "npi",
        (b"NH" | b"NHS", _) | (_, b"NHS") => "nhs number",
        (b"PPN", _) => "passport number",
        (b"DL", _) => "driver license number",
        _ => return None,
    })
}

/// Reads the segments of `hay[from..]`.
pub(super) fn read(hay: &[u8], from: usize, fields: &mut Fields) {
    let mut at = from;
    while at < hay.len() {
        let end = memchr::memchr2(b'\r', b'\n', &hay[at..]).map_or(hay.len(), |i| at + i);
        segment(hay, at, end, fields);
        at = end + 1;
    }
}

/// One segment `hay[start..end]`.
fn segment(hay: &[u8], start: usize, end: usize, fields: &mut Fields) {
    let text = &hay[start..end];
    let text_start = start + text.iter().take_while(|&&b| b == b'\x0b').count();
    let text = &hay[text_start..end];
    if text.len() < 4 || text[3] != b'|' {
        return;
    }
    let wanted = fields_of(&text[..3]);
    if wanted.is_empty() {
        return;
    }
    let mut at = text_start + 4;
    for (i, field) in hay[at..end].split(|&b| b == b'|').enumerate() {
        let number = i + 1;
        if let Some(&(_, holds)) = wanted.iter().find(|w| w.0 == number) {
            // Each repetition of the field.
            let mut rep = at;
            for one in field.split(|&b| b == b'~') {
                value(hay, rep, rep + one.len(), holds, fields);
                rep += one.len() + 1;
            }
        }
        at += field.len() + 1;
    }
}

/// One repetition of a field, `hay[start..end]`, by what it holds.
fn value(hay: &[u8], start: usize, end: usize, holds: Holds, fields: &mut Fields) {
    let parts = components(hay, start, end);
    let part = |i: usize| parts.get(i).copied();
    let mut name = |field: &str, span: Option<(usize, usize)>| {
        if let Some((s, e)) = span {
            // A component's first subcomponent (`Smith&Van` keeps Smith).
            let e = memchr::memchr(b'&', &hay[s..e]).map_or(e, |i| s + i);
            fields.push(field.as_bytes(), hay, s, e);
        }
    };
    match holds {
        Holds::Name => {
            name("family name", part(0));
            name("given name", part(1));
            name("middle name", part(2));
        }
        Holds::Staff => {
            name("family name", part(1));
            name("given name", part(2));
            name("middle name", part(3));
            // A US provider's id is an NPI where no authority says
            // otherwise (the NPI check decides).
            let field = part(8).map_or(Some("npi"), |(s, e)| identifier_name(&hay[s..e], b""));
            if let Some(field) = field {
                name(field, part(0));
            }
        }
        Holds::Address => name("street address", part(0)),
        Holds::Telecom => {
            let internet = part(2).is_some_and(|(s, e)| {
                hay[s..e].eq_ignore_ascii_case(b"internet")
                    || hay[s..e].eq_ignore_ascii_case(b"x.400")
            });
            if internet {
                name("email", part(3));
            } else {
                name("telephone", part(0));
            }
        }
        Holds::Whole(field) => name(field, Some((start, end))),
        Holds::Identifier => {
            let text = |i: usize| part(i).map_or(&b""[..], |(s, e)| &hay[s..e]);
            if let Some(field) = identifier_name(text(3), text(4)) {
                name(field, part(0));
            }
        }
    }
}

/// The components of `hay[start..end]`, split at `^`.
fn components(hay: &[u8], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = start;
    for part in hay[start..end].split(|&b| b == b'^') {
        out.push((at, at + part.len()));
        at += part.len() + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patient_fields_are_named_by_position() {
        let msg = "MSH|^~\\&|EPIC|HOSP|LAB|HOSP|20240101120000||ADT^A01|123|P|2.5\r\
                   PID|1||4456123^^^HOSP^MR~123456789^^^SSA^SS||Lee^Ann^M||19700305|F|||\
                   9 Marlow Walk^^Leeds^^LS1 4AB||^NET^Internet^ann@example.org~0113 496 0123\r\
                   PV1|1|I|||||1234567893^Park^Bo^^^^^^NPI\r";
        let mut fields = Fields::default();
        read(msg.as_bytes(), 0, &mut fields);
        let got: Vec<(String, &str)> = (fields.values.iter())
            .map(|&(n, s, e)| {
                (
                    String::from_utf8_lossy(&fields.names[n]).into_owned(),
                    &msg[s..e],
                )
            })
            .collect();
        let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), *b)).collect();
        assert_eq!(
            got,
            [
                ("social security number", "123456789"),
                ("family name", "Lee"),
                ("given name", "Ann"),
                ("middle name", "M"),
                ("date of birth", "19700305"),
                ("street address", "9 Marlow Walk"),
                ("email", "ann@example.org"),
                ("telephone", "0113 496 0123"),
                ("family name", "Park"),
                ("given name", "Bo"),
                ("npi", "1234567893"),
            ]
        );
    }
}
