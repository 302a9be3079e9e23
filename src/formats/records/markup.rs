//! XML and HTML. In XML, an element's name names its text
//! (`<birthDate>`, `<email>`), with the abbreviations of ISO 20022 payment
//! files spelled out (`<Dbtr><Nm>` is a full name, `<BirthDt>` a date of
//! birth). In HTML, element names say nothing; a short text names the
//! text or `value="…"` that follows it (`<dt>Address</dt><dd>…`,
//! `<label>Phone</label><input value="…">`, `<td>Email:</td><td>…`), and a
//! table's `<th>` cells name the cells below them.

use super::Fields;

/// Most open elements remembered.
const MAX_DEPTH: usize = 64;
/// The longest text taken as a label, and how far past it its value may
/// start.
const MAX_LABEL: usize = 48;
const LABEL_REACH: usize = 256;

/// HTML elements that have no end tag.
const VOID: &[&[u8]] = &[
    b"br", b"img", b"input", b"meta", b"link", b"hr", b"wbr", b"source", b"col", b"area", b"base",
    b"embed", b"param", b"track",
];

/// HTML elements whose whole text labels what follows (a cell labels the
/// next cell in a table with no header row).
const LABELS: &[&[u8]] = &[b"dt", b"label", b"th", b"td", b"legend"];

/// ISO 20022 parties, whose `Nm` is a person's or a company's name.
const PARTIES: &[&[u8]] = &[
    b"Dbtr",
    b"Cdtr",
    b"UltmtDbtr",
    b"UltmtCdtr",
    b"InitgPty",
    b"Pty",
    b"Ownr",
    b"Invcr",
    b"Invcee",
    b"Dbtr2",
    b"Cdtr2",
    b"Prsn",
];

/// Elements whose `name` child is a person's.
const PEOPLE: &[&[u8]] = &[
    b"person",
    b"patient",
    b"customer",
    b"client",
    b"contact",
    b"employee",
    b"user",
    b"member",
    b"holder",
    b"owner",
    b"guest",
    b"passenger",
    b"author",
    b"developer",
    b"contributor",
    b"maintainer",
    b"recipient",
    b"sender",
    b"beneficiary",
    b"billing",
    b"shipping",
];

/// The field name of the text of element `leaf` inside `parent`.
fn xml_name<'a>(leaf: &'a [u8], parent: &[u8]) -> Option<&'a [u8]> {
    let spelled: &[u8] = match leaf {
        b"Nm" if PARTIES.contains(&parent) => b"full name",
        b"Nm" => return None,
        b"AdrLine" => b"street address",
        b"StrtNm" => b"street name",
        b"BirthDt" => b"date of birth",
        b"IBAN" => b"iban",
        b"BIC" | b"BICFI" | b"AnyBIC" | b"BICOrBEI" => b"bic",
        b"EmailAdr" => b"email",
        b"PhneNb" | b"MobNb" | b"FaxNb" => b"telephone",
        _ if leaf.eq_ignore_ascii_case(b"name")
            && PEOPLE.iter().any(|p| p.eq_ignore_ascii_case(parent)) =>
        {
            b"full name"
        }
        _ => leaf,
    };
    Some(spelled)
}

/// An HTML table being read: its header names and where the row stands.
#[derive(Default)]
struct Table {
    header: Vec<Vec<u8>>,
    /// The cell the reader is in (0 before the first), and whether the row
    /// is a header row.
    cell: usize,
    in_header: bool,
    /// This table's names and values, handed over at its end.
    fields: Fields,
}

/// The reader's state between tags.
#[derive(Default)]
struct Reader {
    /// The open elements' names, as places in the input (no copies).
    stack: Vec<(usize, usize)>,
    /// The text that may label the next value (HTML): its bytes and where
    /// it ended.
    label: Option<(Vec<u8>, usize)>,
    tables: Vec<Table>,
    /// The element the last tag opened, if it opened one.
    opened: Option<(usize, usize)>,
}

/// Reads the elements of `hay[from..]`.
pub(super) fn read(hay: &[u8], from: usize, html: bool, fields: &mut Fields) {
    let mut reader = Reader::default();
    let mut at = from;
    // Text before the first tag belongs to an element opened before.
    let Some(first) = memchr::memchr(b'<', &hay[at..]) else {
        return;
    };
    at += first;
    while at < hay.len() {
        let Some(close) = tag_end(hay, at) else {
            break;
        };
        let tag = &hay[at + 1..close];
        at = close + 1;
        let next = memchr::memchr(b'<', &hay[at..]).map_or(hay.len(), |i| at + i);
        reader.tag(hay, tag, html, fields);
        if html && is_raw_text(tag) {
            // Script and style bodies are code, not text.
            let name = element_name(tag).to_ascii_lowercase();
            let closing = [b"</".as_slice(), &name].concat();
            at = memchr::memmem::find(&hay[at..], &closing).map_or(hay.len(), |i| at + i);
            continue;
        }
        if hay[at..next].iter().any(|b| !b.is_ascii_whitespace()) {
            reader.text(hay, at, next, html, fields);
        }
        at = next;
    }
    for table in reader.tables.drain(..) {
        fields.tables.push(table.fields);
    }
}

/// The end (`>`) of the tag opening at `hay[at]`, quotes respected.
fn tag_end(hay: &[u8], at: usize) -> Option<usize> {
    if hay[at + 1..].starts_with(b"!--") {
        return memchr::memmem::find(&hay[at..], b"-->").map(|i| at + i + 2);
    }
    let mut quote = None;
    for (i, &b) in hay[at + 1..].iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return Some(at + 1 + i),
            _ => {}
        }
    }
    None
}

/// The local name of the element a tag opens or closes (`ns:Nm` is `Nm`).
fn element_name(tag: &[u8]) -> &[u8] {
    let tag = tag.strip_prefix(b"/").unwrap_or(tag);
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..end];
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

fn is_raw_text(tag: &[u8]) -> bool {
    let name = element_name(tag);
    !tag.starts_with(b"/")
        && (name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style"))
}

impl Reader {
    /// Takes in the tag `tag` (between `<` and `>`).
    fn tag(&mut self, hay: &[u8], tag: &[u8], html: bool, fields: &mut Fields) {
        self.opened = None;
        if tag.starts_with(b"!") || tag.starts_with(b"?") {
            return;
        }
        let name = element_name(tag);
        if tag.starts_with(b"/") {
            if let Some(i) = self
                .stack
                .iter()
                .rposition(|&(s, e)| hay[s..e].eq_ignore_ascii_case(name))
            {
                self.stack.truncate(i);
            }
            if html && name.eq_ignore_ascii_case(b"table") {
                if let Some(table) = self.tables.pop() {
                    fields.tables.push(table.fields);
                }
            }
            return;
        }
        if html {
            self.html_open(hay, tag, name, fields);
        }
        let void = html && VOID.iter().any(|v| v.eq_ignore_ascii_case(name));
        if !tag.ends_with(b"/") && !void {
            let at = name.as_ptr() as usize - hay.as_ptr() as usize;
            let span = (at, at + name.len());
            self.opened = Some(span);
            if self.stack.len() < MAX_DEPTH {
                self.stack.push(span);
            }
        }
    }

    /// An HTML element opens: tables track their cells, and a form field's
    /// `value` is the value a label before it names.
    fn html_open(&mut self, hay: &[u8], tag: &[u8], name: &[u8], fields: &mut Fields) {
        let lower = name.to_ascii_lowercase();
        match &lower[..] {
            b"table" => self.tables.push(Table::default()),
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = 0;
                    t.in_header = false;
                }
            }
            b"th" | b"td" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell += 1;
                    t.in_header |= lower == b"th";
                    if t.in_header && t.header.len() < t.cell {
                        t.header.resize(t.cell, Vec::new());
                    }
                }
            }
            b"input" | b"textarea" | b"option" => {
                let Some((label, ended)) = self.label.take() else {
                    return;
                };
                let start = tag.as_ptr() as usize - hay.as_ptr() as usize;
                if start - ended > LABEL_REACH {
                    return;
                }
                if let Some((s, e)) = attribute(tag, b"value") {
                    fields.push(&label, hay, start + s, start + e);
                }
            }
            _ => {}
        }
    }

    /// The text `hay[start..end]` between two tags.
    fn text(&mut self, hay: &[u8], start: usize, end: usize, html: bool, fields: &mut Fields) {
        if !html {
            let depth = self.stack.len();
            if let Some(&(s, e)) = self.stack.last() {
                let leaf = &hay[s..e];
                let parent = depth
                    .checked_sub(2)
                    .map_or(&b""[..], |i| &hay[self.stack[i].0..self.stack[i].1]);
                // Only an element's own text: a leaf closed right after it.
                let closes = hay[end..].starts_with(b"</");
                if let Some(name) = xml_name(leaf, parent).filter(|_| closes) {
                    fields.push(name, hay, start, end);
                }
            }
            return;
        }
        if let Some(t) = self.tables.last_mut().filter(|t| t.cell > 0) {
            if t.in_header {
                let (s, e) = super::trim(hay, start, end);
                t.header[t.cell - 1].extend_from_slice(&hay[s..e]);
                return;
            }
            if let Some(name) = t.header.get(t.cell - 1).filter(|h| !h.is_empty()) {
                t.fields.push(name, hay, start, end);
                self.label = None;
                return;
            }
        }
        // The element the text is in, when the text opens it.
        let element = self.opened.map_or(&b""[..], |(s, e)| &hay[s..e]);
        let labelling = LABELS.iter().any(|l| element.eq_ignore_ascii_case(l));
        if let Some((label, ended)) = self.label.take() {
            // A term or a heading is no value (`<dt>Phone</dt><dt>Fax</dt>`).
            let heading = element.len() == 2
                && element[0].eq_ignore_ascii_case(&b'h')
                && element[1].is_ascii_digit();
            let cell = element.eq_ignore_ascii_case(b"td");
            // A term or heading labels; a cell may be a value.
            let value_element = cell || !labelling;
            if start - ended <= LABEL_REACH && value_element && !heading {
                fields.push(&label, hay, start, end);
                return;
            }
        }
        // A label is the whole text of its element (`<dt>Address</dt>`),
        // not a line among others (`9 Marlow Walk<br>Leeds</dd>`), in an
        // element that labels or ended by a colon (`<b>Email:</b>`).
        let whole = self.opened.is_some_and(|(s, e)| {
            let open = &hay[s..e];
            let closing = hay[end..].strip_prefix(b"</").unwrap_or(b"");
            closing.len() > open.len()
                && closing[..open.len()].eq_ignore_ascii_case(open)
                && !is_name_byte(closing[open.len()])
        });
        let (s, e) = super::trim(hay, start, end);
        let text = &hay[s..e];
        let colon = text.ends_with(b":");
        let text = text.strip_suffix(b":").unwrap_or(text);
        if whole
            && (labelling || colon)
            && !text.is_empty()
            && text.len() <= MAX_LABEL
            && text.split(|&b| b == b' ').count() <= 5
        {
            self.label = Some((text.to_vec(), end));
        }
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_:.".contains(&b)
}

/// The value of attribute `name` in `tag`, as a range of `tag`.
fn attribute(tag: &[u8], name: &[u8]) -> Option<(usize, usize)> {
    let mut at = 0;
    while let Some(i) = memchr::memmem::find(&tag[at..], name) {
        let s = at + i;
        at = s + name.len();
        let before = s.checked_sub(1).map(|j| tag[j]);
        if !before.is_some_and(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let rest = &tag[at..];
        let eq = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        if rest[eq] != b'=' {
            continue;
        }
        let v = at
            + eq
            + 1
            + rest[eq + 1..]
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        return match tag.get(v) {
            Some(&q @ (b'"' | b'\'')) => {
                let len = memchr::memchr(q, &tag[v + 1..])?;
                Some((v + 1, v + 1 + len))
            }
            Some(_) => {
                let len = tag[v..]
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'/');
                Some((v, v + len.unwrap_or(tag.len() - v)))
            }
            None => None,
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(text: &str, html: bool) -> Vec<(String, String)> {
        let mut fields = Fields::default();
        read(text.as_bytes(), 0, html, &mut fields);
        let one = |f: &Fields| -> Vec<(String, String)> {
            (f.values.iter())
                .map(|&(n, s, e)| {
                    (
                        String::from_utf8_lossy(&f.names[n]).into(),
                        text[s..e].into(),
                    )
                })
                .collect()
        };
        let mut out = one(&fields);
        fields.tables.iter().for_each(|t| out.extend(one(t)));
        out
    }

    fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
        v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
    }

    #[test]
    fn iso20022_parties_and_leaf_names() {
        let xml = "<?xml version=\"1.0\"?><Document><Cdtr><Nm>Ann Lee</Nm><PstlAdr>\
                   <AdrLine>Lindenweg 12</AdrLine></PstlAdr></Cdtr><CdtrAgt><FinInstnId>\
                   <BICFI>DEUTDEFF</BICFI><Nm>Bank</Nm></FinInstnId></CdtrAgt>\
                   <person><name>Bo Park</name><birthDate>1970-03-05</birthDate></person></Document>";
        let got = named(xml, false);
        assert_eq!(
            pairs(&got),
            [
                ("full name", "Ann Lee"),
                ("street address", "Lindenweg 12"),
                ("bic", "DEUTDEFF"),
                ("full name", "Bo Park"),
                ("birthDate", "1970-03-05"),
            ]
        );
    }

    #[test]
    fn html_labels_forms_and_tables() {
        let html = "<html><script>var a = '<b>x</b>';</script><dl><dt>Address</dt><dd>9 Marlow Walk<br>Leeds</dd></dl>\
                    <label for=p>Phone:</label> <input id=p value=\"0113 496 0123\">\
                    <table><tr><th>Name</th><th>E-mail</th></tr>\
                    <tr><td>Ann Lee</td><td><a href=\"#\">ann@example.org</a></td></tr></table>";
        let got = named(html, true);
        assert_eq!(
            pairs(&got),
            [
                ("Address", "9 Marlow Walk"),
                ("Phone", "0113 496 0123"),
                ("Name", "Ann Lee"),
                ("E-mail", "ann@example.org"),
            ]
        );
    }
}
