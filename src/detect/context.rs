//! Context words: found once per chunk, then looked up around each
//! candidate on its line, as the label right before a value, or as the
//! name of its column; and the words that say a value is something else.

use std::ops::Range;

use super::words::Words;
use super::{Columns, Detector, CONTEXT_AFTER, CONTEXT_BEFORE};

/// Every whole-word context word in the current chunk, found in one pass
/// the first time a candidate needs it, so dense candidates cost a binary
/// search each instead of a window scan each.
#[derive(Default)]
pub(super) struct ContextIndex {
    /// The header of the delimited file being scanned, if it is one.
    pub(super) columns: Option<Columns>,
    /// Scratch space for normalising a candidate (test-value look-up).
    pub(super) normalized: Vec<u8>,
    pub(super) built: bool,
    /// (start, end, word id), sorted by start.
    pub(super) found: Vec<(usize, usize, u32)>,
    /// `cells` holds this chunk's cells (built once a rule asks for them).
    pub(super) cells_built: bool,
    /// (column, start, end) of each non-empty cell of the chunk's rows.
    pub(super) cells: Vec<(usize, usize, usize)>,
}

impl ContextIndex {
    /// The chunk's whole-word context words, found on first use; `None`
    /// when the rules have no context words at all.
    pub(super) fn words(
        &mut self,
        words: Option<&Words>,
        hay: &[u8],
    ) -> Option<&[(usize, usize, u32)]> {
        let words = words?;
        if !self.built {
            self.build(words, hay);
        }
        Some(&self.found)
    }

    pub(super) fn build(&mut self, words: &Words, hay: &[u8]) {
        self.found.clear();
        let found = &mut self.found;
        words.each(hay, |start, end, id| {
            // A word that ends with punctuation (`ss#`, `sin:`) needs no
            // boundary after it; one that begins with it was walked to
            // wherever it occurs.
            let open_end = !is_word_byte(hay[end - 1]);
            if open_end || !hay.get(end).is_some_and(|&b| is_word_byte(b)) {
                found.push((start, end, id));
            }
        });
        self.built = true;
    }

    /// True when one of `words` lies wholly within `lo..hi`, outside the
    /// match `start..end` (`Street` in "221B Baker Street" is not context
    /// for the address it belongs to), with no digit and no sentence end
    /// between it and the match: a label applies to the value next to it,
    /// not to one further on ("Date of birth: 1985-03-15. Invoice date:
    /// 2024-01-02"). For a rule whose context `reaches_back`, a word
    /// before the match may end the sentence before the match's, when the
    /// match's sentence labels nothing itself ("My date of birth is
    /// wrong. It should be 03/05/1970.").
    pub(super) fn any_within(
        &self,
        (words, reaches_back): (&[u32], bool),
        hay: &[u8],
        Range { start: lo, end: hi }: Range<usize>,
        start: usize,
        end: usize,
    ) -> bool {
        let first = self.found.partition_point(|w| w.0 < lo);
        self.found[first..]
            .iter()
            .take_while(|w| w.0 < hi)
            .any(|w| {
                let between = if w.1 <= start {
                    &hay[w.1..start]
                } else if w.0 >= end {
                    &hay[end..w.0]
                } else {
                    return false;
                };
                let apart = between.iter().any(u8::is_ascii_digit)
                    || match sentence_breaks(between) {
                        0 => false,
                        1 => !(reaches_back && w.1 <= start && unlabelled(between)),
                        _ => true,
                    };
                w.1 <= hi && !apart && words.binary_search(&w.2).is_ok()
            })
    }
}

/// The context words that label the value at `start`: within the context
/// window before it, with nothing but spaces, `:`, `=`, `#` or quotes
/// between (`order_id=`, `"Invoice": "`, `Order number: `).
pub(super) fn labels_before<'a>(
    found: &'a [(usize, usize, u32)],
    hay: &'a [u8],
    start: usize,
) -> impl Iterator<Item = &'a (usize, usize, u32)> {
    let from = found.partition_point(|w| w.0 + CONTEXT_BEFORE < start);
    let to = found.partition_point(|w| w.0 < start);
    found[from..to]
        .iter()
        .filter(move |w| w.1 <= start && hay[w.1..start].iter().all(|b| b" \t:=#\"'".contains(b)))
}

/// True when the value at `start` sits in a data row under a column whose
/// name holds one of `words`.
pub(super) fn header_says(columns: Option<&Columns>, words: &[u32], start: usize) -> bool {
    let Some(column) = columns.and_then(|c| c.column_at(start)) else {
        return false;
    };
    columns
        .and_then(|c| c.words.get(column))
        .is_some_and(|ids| ids.iter().any(|id| words.binary_search(id).is_ok()))
}

/// No `:` or `=` after the sentence end in `between`: the match's own
/// sentence gives it no label of its own (`Invoice date: 2024-01-02`).
fn unlabelled(between: &[u8]) -> bool {
    let last_end = between
        .windows(2)
        .rposition(|w| matches!(w[0], b'.' | b'!' | b'?') && w[1] == b' ')
        .unwrap_or(0);
    !between[last_end..].iter().any(|b| matches!(b, b':' | b'='))
}

/// How many sentence ends `text` holds: `. X`, `! X` or `? X` with X an
/// upper-case letter (`Tél. 06…` is an abbreviation, not one).
fn sentence_breaks(text: &[u8]) -> usize {
    text.windows(3)
        .filter(|w| {
            matches!(w[0], b'.' | b'!' | b'?')
                && w[1] == b' '
                && (w[2].is_ascii_uppercase() || w[2] >= 0xC0)
        })
        .count()
}

/// Letters, digits and any byte of a non-ASCII UTF-8 character belong to a
/// word; `_` does not, so `phone_number` holds the word `phone`.
pub(super) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// True when `hay[start..end]` is not part of a longer word: no word byte
/// right before or right after it.
pub(super) fn whole_word(hay: &[u8], start: usize, end: usize) -> bool {
    let word_at = |i: Option<usize>| i.and_then(|i| hay.get(i)).is_some_and(|&b| is_word_byte(b));
    !word_at(start.checked_sub(1)) && !word_at(Some(end))
}

/// A context phrase as labels spell it: `date of birth`, and in keys and
/// column names `date_of_birth`, `date-of-birth` and `dateOfBirth` (the
/// automaton folds ASCII case).
pub(super) fn spellings(phrase: &str) -> Vec<String> {
    let mut out = vec![phrase.to_string()];
    if phrase.contains(' ') {
        out.extend(["_", "-", ""].map(|sep| phrase.replace(' ', sep)));
    }
    out
}

/// A context word and, if it has non-ASCII letters, its capitalised and
/// upper-cased forms: the automaton folds ASCII case only, and words like
/// `téléphone` need the rest.
pub(super) fn case_variants(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        return vec![lower];
    }
    let mut chars = lower.chars();
    let capital: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let mut out = vec![lower.clone(), capital, word.to_uppercase()];
    out.sort();
    out.dedup();
    out
}

/// The phrase right after a context word ending at `end`: past blanks,
/// `,`, `:`, `!`, `(` and at most one line break (a quoted reply's `>` too),
/// to the next `,`, `:`, `;`, `!`, `?`, `(`, `<`, `"` or line end, at most
/// 80 bytes; on the next line, the whole line (a name there stands alone,
/// as under a sign-off). A quoted phrase (`"Brannigan, Kaito"`) runs to
/// its quote.
pub(super) fn following_phrase(hay: &[u8], start: usize, end: usize) -> Option<Range<usize>> {
    const MAX_PHRASE: usize = 80;
    // A string literal that is only the greeting and a word is code's demo
    // text (`print('Hello World')`, `"Hello Mustache!"`), not mail.
    let quote = start
        .checked_sub(1)
        .map(|i| hay[i])
        .filter(|q| b"'\"`".contains(q));
    let mut at = end;
    let (mut next_line, mut opened) = (false, false);
    // A word that ends its line (a signature's `-- ⏎`) is followed by the
    // next line, past a quoted reply's `>`.
    if hay[..end].last() == Some(&b'\n') {
        next_line = true;
        while matches!(hay.get(at), Some(b'>' | b' ')) {
            at += 1;
        }
    }
    while let Some(&b) = hay.get(at) {
        match b {
            b' ' | b'\t' | b',' | b':' | b'!' | b'\r' => at += 1,
            // An HTML mail's line break (`Kind regards,<br>`).
            b'<' if line_break_tag(&hay[at..]) > 0 => at += line_break_tag(&hay[at..]),
            b'(' => {
                opened = true;
                at += 1;
            }
            b'\n' if !next_line => {
                next_line = true;
                at += 1;
                while matches!(hay.get(at), Some(b'>' | b' ')) {
                    at += 1;
                }
            }
            _ => break,
        }
    }
    let rest = &hay[at..hay.len().min(at + MAX_PHRASE)];
    if rest.first() == Some(&b'"') {
        let len = memchr::memchr2(b'"', b'\n', &rest[1..])?;
        return (rest[1 + len] == b'"').then(|| at + 1..at + 1 + len);
    }
    let stops: &[u8] = match (next_line, opened) {
        (true, _) => b"\r\n<",
        // `Customer (Ilse de Groot):`
        (false, true) => b",:;!?()<\"\r\n",
        (false, false) => b",:;!?(<\"\r\n",
    };
    let len = rest
        .iter()
        .position(|b| stops.contains(b))
        .unwrap_or(rest.len());
    let phrase = rest[..len].trim_ascii_end();
    let closed = quote.is_some_and(|q| {
        let after = &rest[phrase.len()..];
        let after = after.strip_prefix(b"!").unwrap_or(after);
        phrase.last() == Some(&q) || after.first() == Some(&q)
    });
    (!phrase.is_empty() && !closed).then(|| at..at + phrase.len())
}

/// The length of the `<br>`, `<br/>` or `<br />` that `text` starts with,
/// or 0.
fn line_break_tag(text: &[u8]) -> usize {
    [&b"<br>"[..], b"<br/>", b"<br />", b"<BR>"]
        .iter()
        .find(|t| text.starts_with(t))
        .map_or(0, |t| t.len())
}

/// True when the phrase at `start` began a line (a sign-off's name under
/// it): a match there must be all of it.
pub(super) fn phrase_on_own_line(hay: &[u8], start: usize) -> bool {
    let before = &hay[..start];
    let i = before
        .iter()
        .rposition(|&b| !matches!(b, b' ' | b'>'))
        .map_or(0, |i| i + 1);
    i == 0 || before[i - 1] == b'\n'
}

/// The value a key labels, when the word at `start..end` is the whole of
/// a key: `"first_name": "Wei"`, `'surname' => 'Zhang'`, `nachname=Müller`,
/// `Vorname: Lukas`. The value runs to its closing quote, or, unquoted,
/// from a letter or digit over letters, digits, spaces, `'`, `-` and `.`.
pub(super) fn keyed_value(hay: &[u8], start: usize, end: usize) -> Option<Range<usize>> {
    const MAX_VALUE: usize = 128;
    let key_start = match hay[..start].last() {
        Some(&q @ (b'"' | b'\'')) => Some(q),
        // `customer.address.street=` in a properties file.
        None | Some(b' ' | b'\t' | b'\n' | b'{' | b',' | b'&' | b'?' | b';' | b'.') => None,
        Some(_) => return None,
    };
    let mut at = end;
    if let Some(q) = key_start {
        (hay.get(at) == Some(&q)).then_some(())?;
        at += 1;
    }
    let skip = |at: &mut usize| {
        while matches!(hay.get(*at), Some(b' ' | b'\t')) {
            *at += 1;
        }
    };
    skip(&mut at);
    match hay.get(at..at + 2) {
        Some(b"=>") => at += 2,
        _ => match hay.get(at) {
            Some(b':' | b'=') => at += 1,
            _ => return None,
        },
    }
    skip(&mut at);
    let rest = &hay[at..hay.len().min(at + MAX_VALUE)];
    match rest.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let len = memchr::memchr2(q, b'\n', &rest[1..])?;
            (rest[1 + len] == q).then(|| at + 1..at + 1 + len)
        }
        // Unquoted, a value is a word or a number (`address: 9 Marlow
        // Walk`), not code: `SURNAME = Oid("2.5.4.4")` and `firstname: *mut
        // Win32::…` label nothing.
        Some(&b) if b.is_ascii_alphanumeric() || b >= 0x80 => {
            let len = rest
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b >= 0x80 || b" '-.".contains(b)))
                .unwrap_or(rest.len());
            let code = rest.get(len).is_some_and(|b| b"([{<:".contains(b));
            // `user=Kaito Brannigan ip=10.0.0.1`: the last word before an
            // `=` is the next key (logfmt), not part of this value.
            let trimmed = |len: usize| {
                rest[..len]
                    .iter()
                    .rposition(|&b| b != b' ')
                    .map_or(0, |i| i + 1)
            };
            let len = match rest.get(len) {
                // `ip = 10.0.0.1` as well as `ip=10.0.0.1`.
                Some(b'=') => rest[..trimmed(len)]
                    .iter()
                    .rposition(|&b| b == b' ')
                    .unwrap_or(0),
                _ => len,
            };
            let len = trimmed(len);
            (!code && len > 0).then_some(at..at + len)
        }
        _ => None,
    }
}

/// The strings of the list a quoted key labels (`"given": ["Kaito",
/// "J"]`, on one line or several), as one span from the first string's
/// first byte to the last one's last.
pub(super) fn keyed_list(hay: &[u8], start: usize, end: usize) -> Option<Range<usize>> {
    const MAX_LIST: usize = 160;
    let quoted = start.checked_sub(1).is_some_and(|i| hay[i] == b'"');
    (quoted && hay.get(end) == Some(&b'"')).then_some(())?;
    let blank = |at: usize| {
        at + hay[at..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count()
    };
    let at = blank(end + 1);
    (hay.get(at) == Some(&b':')).then_some(())?;
    let at = blank(at + 1);
    (hay.get(at) == Some(&b'[')).then_some(())?;
    let list = &hay[at + 1..hay.len().min(at + 1 + MAX_LIST)];
    let close = list.iter().position(|b| b"[]{}".contains(b))?;
    let inner = list[..close].trim_ascii();
    let s = inner.as_ptr() as usize - list.as_ptr() as usize;
    (list[close] == b']' && !inner.is_empty()).then(|| at + 1 + s..at + 1 + s + inner.len())
}

/// True when the key at `start` sits in an object or list opened by one of
/// `parents` (lower case): `"name": [{"family": …` for `name`, or in
/// YAML, under `name:` indented.
pub(super) fn opened_by(hay: &[u8], start: usize, parents: &[String]) -> bool {
    if super::indent::starts_line(hay, start) {
        let parent = super::indent::parent_key(hay, start);
        return parent
            .is_some_and(|k| parents.iter().any(|p| k.eq_ignore_ascii_case(p.as_bytes())));
    }
    opened_by_brace(hay, start, parents)
}

fn opened_by_brace(hay: &[u8], start: usize, parents: &[String]) -> bool {
    const REACH: usize = 256;
    let lo = start.saturating_sub(REACH);
    let mut depth = 0usize;
    let mut at = start;
    while at > lo {
        at -= 1;
        match hay[at] {
            b'}' | b']' => depth += 1,
            b'{' | b'[' if depth > 0 => depth -= 1,
            b'{' | b'[' => {
                // `[{` is a list of objects: its key is the list's.
                let before = hay[lo..at].trim_ascii_end();
                if before.last() == Some(&b'[') {
                    continue;
                }
                let Some(key) = before.strip_suffix(b":").map(<[u8]>::trim_ascii_end) else {
                    return false;
                };
                let key = key.strip_suffix(b"\"").unwrap_or(key);
                let from = key
                    .iter()
                    .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                    .map_or(0, |i| i + 1);
                let key = &key[from..];
                return parents
                    .iter()
                    .any(|p| key.eq_ignore_ascii_case(p.as_bytes()));
            }
            _ => {}
        }
    }
    false
}

impl Detector {
    /// True when the label right before `start..end` (nothing but spaces,
    /// `:`, `=`, `#` or quotes between) is a context word of another kind's
    /// rule, not of `rule`, and that rule's pattern fits the same span:
    /// the value is that kind's, whatever its validators said.
    pub(super) fn labelled_otherwise(
        &self,
        rule: usize,
        hay: &[u8],
        start: usize,
        end: usize,
        index: &mut ContextIndex,
    ) -> bool {
        let Some(found) = index.words(self.context.as_ref(), hay) else {
            return false;
        };
        let own = &self.rules[rule].context;
        let (mut other, mut mine) = (false, false);
        for w in labels_before(found, hay, start) {
            if own.binary_search(&w.2).is_ok() {
                mine = true;
            } else {
                other |= self.word_rules[w.2 as usize].iter().any(|&k| {
                    self.rules[k].kind != self.rules[rule].kind && self.fits(k, hay, start, end)
                });
            }
        }
        other && !mine
    }

    /// True when the value at `start` is labelled as something else by one
    /// of `against` (a rule's `not_context` words): as its column's name,
    /// or as the label right before it.
    pub(super) fn labelled_against(
        &self,
        against: &[u32],
        hay: &[u8],
        start: usize,
        index: &mut ContextIndex,
    ) -> bool {
        if against.is_empty() {
            return false;
        }
        if header_says(index.columns.as_ref(), against, start) {
            return true;
        }
        let Some(found) = index.words(self.context.as_ref(), hay) else {
            return false;
        };
        labels_before(found, hay, start).any(|w| against.binary_search(&w.2).is_ok())
    }

    /// True when one of `words` occurs as a whole word on the same line
    /// within the context window around `start..end`.
    pub(super) fn has_context(
        &self,
        (words, reaches_back): (&[u32], bool),
        hay: &[u8],
        start: usize,
        end: usize,
        index: &mut ContextIndex,
    ) -> bool {
        // The header first: a value in a named column needs no look for
        // words around it (nor the chunk-wide index that look builds).
        if header_says(index.columns.as_ref(), words, start) {
            return true;
        }
        if index.words(self.context.as_ref(), hay).is_none() {
            return false;
        }
        let lo = start.saturating_sub(CONTEXT_BEFORE);
        let lo = memchr::memrchr(b'\n', &hay[lo..start]).map_or(lo, |i| lo + i + 1);
        let hi = (end + CONTEXT_AFTER).min(hay.len());
        let hi = memchr::memchr(b'\n', &hay[end..hi]).map_or(hi, |i| end + i);
        index.any_within((words, reaches_back), hay, lo..hi, start, end)
            || sibling_says(&index.found, words, hay, start, end)
    }
}

/// Keys whose value says what kind of value a sibling holds.
const TYPE_KEYS: &[&[u8]] = &[
    b"type",
    b"kind",
    b"system",
    b"scheme",
    b"id_type",
    b"idtype",
    b"idType",
    b"document_type",
    b"documentType",
    b"doc_type",
    b"identifier_type",
    b"identifierType",
];

/// True when the quoted value at `start..end` sits in a JSON object where
/// a sibling key says its kind with one of `words` (`"type": "ssn"`,
/// FHIR's `"system": "…/us-npi"`), on whatever line.
fn sibling_says(
    found: &[(usize, usize, u32)],
    words: &[u32],
    hay: &[u8],
    start: usize,
    end: usize,
) -> bool {
    const REACH: usize = 1024;
    let quoted =
        start.checked_sub(1).is_some_and(|i| hay[i] == b'"') && hay.get(end) == Some(&b'"');
    if !quoted {
        return false;
    }
    // The words near first (few values have one), the object only then.
    let first = found.partition_point(|w| w.0 + REACH < start);
    let mut near = found[first..]
        .iter()
        .take_while(|w| w.0 < end + REACH)
        .filter(|w| words.binary_search(&w.2).is_ok() && type_key_of(hay, w.0).is_some());
    let Some(w) = near.next() else {
        return false;
    };
    let object = enclosing_object(hay, start);
    object.is_some()
        && std::iter::once(w)
            .chain(near)
            .any(|w| enclosing_object(hay, w.0) == object)
}

/// The JSON object (`{` to `}`) in which the word at `word` is the value
/// of a type key (`"id_type": "nhs"`): a sibling may hold that kind.
pub(super) fn typed_object(hay: &[u8], word: usize) -> Option<(usize, usize)> {
    type_key_of(hay, word)?;
    enclosing_object(hay, word)
}

/// The JSON object around `pos`, `{` to past `}`, its nested objects and
/// lists skipped (FHIR puts extensions before an identifier's system).
fn enclosing_object(hay: &[u8], pos: usize) -> Option<(usize, usize)> {
    const REACH: usize = 1024;
    let lo = pos.saturating_sub(REACH);
    let open = unnested(hay, (lo..pos).rev(), b"}]", b"{[", b'{')?;
    let hi = (pos + REACH).min(hay.len());
    let close = unnested(hay, pos..hi, b"{[", b"}]", b'}')?;
    Some((open, close + 1))
}

/// The first `target` at nesting depth 0 among the bytes at `at`, read in
/// order: `enter` bytes go one level in, `leave` bytes one level out.
fn unnested(
    hay: &[u8],
    mut at: impl Iterator<Item = usize>,
    enter: &[u8],
    leave: &[u8],
    target: u8,
) -> Option<usize> {
    let mut depth = 0usize;
    at.find(|&i| {
        let b = hay[i];
        if enter.contains(&b) {
            depth += 1;
        } else if leave.contains(&b) && depth > 0 {
            depth -= 1;
        } else {
            return b == target;
        }
        false
    })
}

/// The type key whose quoted value holds the word at `word`
/// (`"system": "https://fhir.nhs.uk/Id/nhs-number"`), if it is one: the
/// value's opening quote within a line's reach before the word, then `:`
/// and the quoted key.
fn type_key_of(hay: &[u8], word: usize) -> Option<&[u8]> {
    const VALUE_REACH: usize = 96;
    let lo = word.saturating_sub(VALUE_REACH);
    let quote = memchr::memchr2_iter(b'"', b'\n', &hay[lo..word]).next_back()? + lo;
    (hay[quote] == b'"').then_some(())?;
    let before = hay[quote.saturating_sub(64)..quote]
        .trim_ascii_end()
        .strip_suffix(b":")?;
    let key = before.trim_ascii_end().strip_suffix(b"\"")?;
    let key_start = memchr::memrchr(b'"', key)? + 1;
    let key = &key[key_start..];
    TYPE_KEYS
        .iter()
        .any(|k| key.eq_ignore_ascii_case(k))
        .then_some(key)
}
