//! Mail (RFC 5322 messages, mbox files): the block under a signature's
//! delimiter line (`-- `, RFC 3676 4.3) is a person's card. Its first
//! line names the sender; its other lines hold a title, a company, phone
//! lines and the street, each tried as an address (the address rule's
//! validator keeps only what has an address's shape).

use super::Fields;

/// Most lines of a signature read.
const MAX_LINES: usize = 8;

/// Reads the signatures of `hay[from..]`.
pub(super) fn read(hay: &[u8], from: usize, fields: &mut Fields) {
    let mut lines = Lines { hay, at: from };
    while let Some((start, end)) = lines.next() {
        let (quote, text) = unquote(hay, start, end);
        if hay[text.0..text.1] != *b"--" {
            continue;
        }
        signature(&mut lines, quote, fields);
    }
}

/// The lines of the signature after a delimiter quoted `quote` deep.
fn signature(lines: &mut Lines<'_>, quote: usize, fields: &mut Fields) {
    let hay = lines.hay;
    for i in 0..MAX_LINES {
        let Some((start, end)) = lines.peek() else {
            return;
        };
        let (depth, (s, e)) = unquote(hay, start, end);
        let text = &hay[s..e];
        if depth != quote || text.is_empty() {
            return;
        }
        lines.next();
        let contact = text.iter().any(|b| b"@:+".contains(b))
            || memchr::memmem::find(text, b"http").is_some()
            || memchr::memmem::find(text, b"www.").is_some();
        match (i, contact) {
            (0, false) => fields.push(b"full name", hay, s, e),
            (_, false) => fields.push(b"street address", hay, s, e),
            _ => {}
        }
    }
}

/// The quoting depth of the line `hay[start..end]` (its leading `>`s) and
/// its text without them, a trailing `<br>` or blanks.
fn unquote(hay: &[u8], start: usize, end: usize) -> (usize, (usize, usize)) {
    let mut s = start;
    let mut depth = 0;
    while s < end && (hay[s] == b'>' || hay[s] == b' ') {
        depth += usize::from(hay[s] == b'>');
        s += 1;
    }
    let mut e = end;
    loop {
        let text = &hay[s..e];
        let trimmed = text.trim_ascii_end();
        let cut = [&b"<br>"[..], b"<br/>", b"<br />"]
            .iter()
            .find_map(|t| trimmed.strip_suffix(*t))
            .unwrap_or(trimmed);
        if cut.len() == text.len() {
            break;
        }
        e = s + cut.len();
    }
    (depth, (s, e))
}

/// Lines of a buffer, as ranges without their line break.
struct Lines<'a> {
    hay: &'a [u8],
    at: usize,
}

impl Lines<'_> {
    fn peek(&self) -> Option<(usize, usize)> {
        (self.at < self.hay.len()).then(|| {
            let end =
                memchr::memchr(b'\n', &self.hay[self.at..]).map_or(self.hay.len(), |i| self.at + i);
            (self.at, end)
        })
    }

    fn next(&mut self) -> Option<(usize, usize)> {
        let line = self.peek()?;
        self.at = line.1 + 1;
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_lines_are_named() {
        let mail = "Hi,\r\nsee you.\r\n\r\n-- \r\nAnn Lee\r\nAccount Manager\r\n201 Albert Avenue\r\nT: +44 113 496 0000\r\n\r\n\
                    > -- <br>\n> Bo Park<br>\n> Lindenweg 12<br>\n";
        let mut fields = Fields::default();
        read(mail.as_bytes(), 0, &mut fields);
        let got: Vec<(String, &str)> = (fields.values.iter())
            .map(|&(n, s, e)| {
                (
                    String::from_utf8_lossy(&fields.names[n]).into(),
                    &mail[s..e],
                )
            })
            .collect();
        let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), *b)).collect();
        assert_eq!(
            got,
            [
                ("full name", "Ann Lee"),
                ("street address", "Account Manager"),
                ("street address", "201 Albert Avenue"),
                ("full name", "Bo Park"),
                ("street address", "Lindenweg 12"),
            ]
        );
    }
}
