//! Column names as context: a delimited file's header, an SQL dump's
//! column lists. The cells come from the input's own reader; detection only
//! asks which named column a position falls in.

use std::ops::Range;

use super::compile::{Compiled, Solo};
use super::context::whole_word;
use super::Detector;

/// Column names of a table or statement.
pub type Names = std::sync::Arc<Vec<Box<[u8]>>>;

/// The values of a tuple or row read from a buffer by an input's own
/// reader (an SQL dump's tuples), with the names of their columns.
#[derive(Debug, Default)]
pub struct Cells {
    /// The column lists the values belong to.
    pub lists: Vec<Names>,
    /// The table of each list, when its statement named one.
    pub tables: Vec<Option<std::sync::Arc<str>>>,
    /// Each value: its list in `lists`, its column, and its bytes (quotes
    /// stripped) as positions in the buffer.
    pub cells: Vec<(usize, usize, usize, usize)>,
}

/// The names of an input's columns as context: a column named `dob`,
/// `email` or `nazwisko` speaks for every value below it, though it sits
/// on another line. The cells come from the input's own reader (a
/// delimited file's rows, an SQL dump's tuples): detection never splits
/// lines itself.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// For each column, the sorted ids of the context words in its name.
    pub(super) words: Vec<Vec<u32>>,
    /// The chunk's cells, as (column, start, end) sorted by start; only
    /// cells of columns with context words.
    pub(super) given: Vec<(usize, usize, usize)>,
    /// The bytes between the cells are free text, where context words
    /// count as anywhere (an SQL dump's comments and other statements); in
    /// a delimited file every byte is some column's.
    pub(super) free_between: bool,
}

impl Columns {
    /// True when column `i`'s name holds context words, so its cells are
    /// wanted.
    pub fn named(&self, i: usize) -> bool {
        self.words.get(i).is_some_and(|w| !w.is_empty())
    }

    /// True when no column's name holds a context word.
    pub fn none_named(&self) -> bool {
        self.words.iter().all(Vec::is_empty)
    }

    /// These columns with the chunk's `cells` as (column, start, end),
    /// sorted by start, of the columns that are [`Columns::named`].
    pub fn with_cells(&self, cells: Vec<(usize, usize, usize)>) -> Columns {
        Columns {
            words: self.words.clone(),
            given: cells,
            free_between: false,
        }
    }

    /// The column of the value at `pos`, if it lies in a named cell.
    pub(super) fn column_at(&self, pos: usize) -> Option<usize> {
        let cells = &self.given;
        let i = cells.partition_point(|c| c.1 <= pos).checked_sub(1)?;
        let (column, _, end) = cells[i];
        (pos < end).then_some(column)
    }

    /// Every named cell that overlaps `range`.
    pub(super) fn cells(&self, range: Range<usize>, out: &mut Vec<(usize, usize, usize)>) {
        out.clear();
        out.extend((self.given.iter()).filter(|c| c.2 > range.start && c.1 < range.end));
    }
}

impl Detector {
    /// The context words of each column name, for [`Columns`] whose cells
    /// the input's reader gives chunk by chunk.
    pub fn columns<'n>(&self, names: impl IntoIterator<Item = &'n [u8]>) -> Columns {
        let names: Vec<&[u8]> = names.into_iter().collect();
        let mut words: Vec<Vec<u32>> = names.iter().map(|n| self.column_words(n)).collect();
        self.people_table(&names, &mut words);
        Columns {
            words,
            given: Vec::new(),
            free_between: false,
        }
    }

    /// In a table about people (one with an email, phone or address
    /// column), a bare
    /// `name` column holds full names and a `naam` beside `voornaam`
    /// surnames: the words of `full name` or `surname` are added to it.
    fn people_table(&self, names: &[&[u8]], words: &mut [Vec<u32>]) {
        let contact = |ids: &Vec<u32>| {
            ids.iter().any(|&id| {
                (self.word_rules[id as usize].iter())
                    .any(|&k| matches!(&*self.rules[k].kind, "email" | "phone" | "postal_address"))
            })
        };
        let given = |name: &[u8]| {
            GIVEN_NAME_COLUMNS
                .iter()
                .any(|g| bare(name) == g.as_bytes())
        };
        let about_people = words.iter().any(contact);
        let beside_given = names.iter().any(|n| given(n));
        for (i, name) in names.iter().enumerate() {
            let name = bare(name);
            let phrase: &[u8] = match () {
                _ if beside_given && SURNAME_BESIDE_GIVEN.iter().any(|w| w.as_bytes() == name) => {
                    b"surname"
                }
                _ if about_people && BARE_NAME_COLUMNS.iter().any(|w| w.as_bytes() == name) => {
                    b"full name"
                }
                _ => continue,
            };
            words[i].extend(self.column_words(phrase));
            words[i].sort_unstable();
            words[i].dedup();
        }
    }

    /// Column context from the cells an input's structure gives (an SQL
    /// dump's values).
    pub fn given_columns(&self, found: &Cells) -> Columns {
        // One slot per column met, words looked up once per slot.
        let mut slots: Vec<Vec<Option<usize>>> =
            found.lists.iter().map(|l| vec![None; l.len()]).collect();
        let mut words: Vec<Vec<u32>> = Vec::new();
        let mut given = Vec::with_capacity(found.cells.len());
        // Each list's words, made whole on first use (a bare `name` column
        // depends on its siblings).
        let mut list_words: Vec<Option<Vec<Vec<u32>>>> = vec![None; found.lists.len()];
        for &(list, column, start, end) in &found.cells {
            let slot = *slots[list][column].get_or_insert_with(|| {
                let all = list_words[list].get_or_insert_with(|| {
                    let names: Vec<&[u8]> = found.lists[list].iter().map(|n| &n[..]).collect();
                    let mut ws: Vec<Vec<u32>> =
                        names.iter().map(|n| self.column_words(n)).collect();
                    self.people_table(&names, &mut ws);
                    ws
                });
                words.push(all[column].clone());
                words.len() - 1
            });
            if !words[slot].is_empty() {
                given.push((slot, start, end));
            }
        }
        Columns {
            words,
            given,
            free_between: true,
        }
    }

    /// Where whole context words stand in `name` (`Date of Birth` is one,
    /// `Home Street` holds `Street`), by start.
    pub fn context_spans(&self, name: &[u8]) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        if let Some(words) = &self.context {
            words.each(name, |start, end, _| {
                if whole_word(name, start, end) {
                    spans.push((start, end));
                }
            });
        }
        spans
    }

    /// The sorted ids of the context words that are whole words of a
    /// column's name.
    pub(super) fn column_words(&self, name: &[u8]) -> Vec<u32> {
        let mut ids: Vec<u32> = Vec::new();
        if let Some(words) = &self.context {
            words.each(name, |start, end, id| {
                if whole_word(name, start, end) {
                    ids.push(id);
                }
            });
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// What marks a bare `name` key as a person's full name in running text
/// (JSON, logs): its ids, and the column rules that take full names.
#[derive(Debug, Default)]
pub(super) struct People {
    /// Sorted ids of the spellings of the bare name words.
    bare: Vec<u32>,
    /// The solo rules whose context holds `full name`.
    pub(super) full_name_solos: Vec<usize>,
}

impl People {
    pub(super) fn new(words: &[String], solo: &[Solo], rules: &[Compiled]) -> People {
        let mut bare: Vec<u32> = (words.iter().enumerate())
            .filter(|(_, w)| BARE_NAME_KEYS.iter().any(|b| w.eq_ignore_ascii_case(b)))
            .map(|(i, _)| i as u32)
            .collect();
        bare.sort_unstable();
        let full: Vec<u32> = (words.iter().enumerate())
            .filter(|(_, w)| {
                w.eq_ignore_ascii_case("full name") || w.eq_ignore_ascii_case("full_name")
            })
            .map(|(i, _)| i as u32)
            .collect();
        let full_name_solos = (solo.iter().enumerate())
            .filter(|(_, s)| s.column_only)
            .filter(|(_, s)| {
                full.iter()
                    .any(|f| rules[s.rule].context.binary_search(f).is_ok())
            })
            .map(|(g, _)| g)
            .collect();
        People {
            bare,
            full_name_solos,
        }
    }

    /// True when context word `id` is a bare name key.
    pub(super) fn bare_name(&self, id: u32) -> bool {
        self.bare.binary_search(&id).is_ok()
    }
}

impl Detector {
    /// True when the bare name key `w` sits in an object that also has an
    /// email, phone or address key (`{"name": "Zephyrine Oduya", "email": …}`, a
    /// billing or customer object): within its braces, no further than
    /// 400 bytes either way.
    pub(super) fn about_people(
        &self,
        hay: &[u8],
        w: &(usize, usize, u32),
        found: &[(usize, usize, u32)],
    ) -> bool {
        const REACH: usize = 400;
        let (lo, hi) = if super::indent::starts_line(hay, w.0) {
            // `name: Isla Davies` among the keys of a YAML list item or an
            // INI section.
            super::indent::block(hay, w.0)
        } else {
            let lo = w.0.saturating_sub(REACH);
            let Some(open) = memchr::memrchr2(b'{', b'}', &hay[lo..w.0]) else {
                return false;
            };
            if hay[lo + open] != b'{' {
                return false;
            }
            let hi = (w.1 + REACH).min(hay.len());
            let close = memchr::memchr2(b'{', b'}', &hay[w.1..hi]).map_or(hi, |i| w.1 + i);
            (lo + open, close)
        };
        let first = found.partition_point(|x| x.0 < lo);
        // A key of the object, not a word in a value (`"description":
        // "call us"`).
        found[first..].iter().take_while(|x| x.0 < hi).any(|x| {
            self.word_rules[x.2 as usize]
                .iter()
                .any(|&k| matches!(&*self.rules[k].kind, "email" | "phone" | "postal_address"))
                && super::context::keyed_value(hay, x.0, x.1).is_some()
        })
    }
}

/// Keys that say only "name": in an object about a person, a full name.
const BARE_NAME_KEYS: &[&str] = &[
    "name", "naam", "nom", "nombre", "nome", "namn", "navn", "nimi",
];

/// A column name without quotes, blanks or case: `"Name"` is `name`.
fn bare(name: &[u8]) -> Vec<u8> {
    let name = name.trim_ascii();
    let name = name
        .strip_prefix(b"\"")
        .and_then(|n| n.strip_suffix(b"\""))
        .unwrap_or(name);
    name.to_ascii_lowercase()
}

/// Column names that, in a table about people, hold a person's name:
/// "name" alone and the people a table lists (contact, customer), in the
/// languages of the rules.
const BARE_NAME_COLUMNS: &[&str] = &[
    "name",
    "names",
    "nom",
    "nombre",
    "nome",
    "naam",
    "namn",
    "navn",
    "nimi",
    "imię",
    "nume",
    "jméno",
    "meno",
    "név",
    "ime",
    "contact",
    "contact person",
    "ansprechpartner",
    "kontaktperson",
    "contactpersoon",
    "persona de contacto",
    "customer",
    "kunde",
    "klant",
    "cliente",
    "client",
    "klient",
    "kund",
    "owner",
];

/// Given-name columns beside which a bare name column holds surnames.
const GIVEN_NAME_COLUMNS: &[&str] = &[
    "voornaam",
    "vorname",
    "prénom",
    "prenom",
    "first name",
    "first_name",
    "firstname",
    "given_name",
    "förnamn",
];

/// Bare name columns that are surnames beside a given-name column.
const SURNAME_BESIDE_GIVEN: &[&str] = &["naam", "name", "nom", "namn"];
