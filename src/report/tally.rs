//! Counting for the report, in one pass and bounded memory: per document
//! and per column counts by kind, a distinct-value estimate per column
//! from keyed fingerprints (never the values), a masked sample, and a
//! sampled map of fingerprints to the documents that hold them (for
//! copies across files). A [`Tally`] is fed by the scan as its sink, or by
//! saved `scan --format ndjson` findings and `--coverage` files: the same
//! facts either way, so both give the same report.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::io;
use std::sync::Arc;

use cardinality_estimator::CardinalityEstimator;
use serde::Deserialize;

use crate::finding::{CsvColumn, Finding};
use crate::sink::{InputDone, Sink};
use crate::summary::{InputFacts, Summary};

/// Distinct values are counted exactly up to this many per column, then
/// estimated (HyperLogLog++).
pub const EXACT_DISTINCT: usize = 256;

/// Fingerprints kept for finding copies across files; past this, the map
/// keeps a shrinking sample (see [`Copies`]).
const COPIES_KEPT: usize = 1 << 18;

/// One finding as the report counts it: from a [`Finding`] or from a saved
/// NDJSON line.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    /// The document (`archive.zip!inner.csv` for a member).
    pub path: &'a str,
    /// The kind of personal data.
    pub kind: &'a str,
    /// The kind's family (`government-id`, `credential`, …).
    pub category: &'a str,
    /// The column: a header name or number, a JSON key path with its
    /// array indices folded (`$.customers[*].email`), or an SQL dump's
    /// `table.column`.
    pub column: Option<&'a str>,
    /// The finding's masked form.
    pub masked: &'a str,
    /// The first 64 bits of the keyed fingerprint.
    pub fingerprint: u64,
    /// It has a CSV row and column: its document is a delimited file.
    pub in_table: bool,
}

/// Counts of one document.
#[derive(Debug, Clone, Default)]
pub struct DocTally {
    /// As findings name it.
    pub path: Arc<str>,
    /// Findings by kind.
    pub by_kind: BTreeMap<String, u64>,
    /// A delimited file: its columns were counted.
    pub table: bool,
    /// Its columns (or JSON key paths) by name.
    pub columns: HashMap<String, ColumnTally>,
}

/// Counts of one column of one document.
#[derive(Debug, Clone, Default)]
pub struct ColumnTally {
    /// Findings by kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Distinct values.
    pub distinct: Distinct,
    /// The first masked form of each kind.
    pub samples: BTreeMap<String, String>,
    /// Data cells and non-empty cells, for a delimited file's column.
    pub cells: Option<(u64, u64)>,
}

/// A column's distinct values: exact up to [`EXACT_DISTINCT`], estimated
/// past it.
#[derive(Debug, Clone, Default)]
pub struct Distinct {
    exact: Vec<u64>,
    sketch: Option<Box<CardinalityEstimator<u64>>>,
}

impl Distinct {
    fn insert(&mut self, fingerprint: u64) {
        if let Some(sketch) = &mut self.sketch {
            return sketch.insert_hash(mix(fingerprint));
        }
        if let Err(at) = self.exact.binary_search(&fingerprint) {
            self.exact.insert(at, fingerprint);
        }
        if self.exact.len() > EXACT_DISTINCT {
            let mut sketch = Box::new(CardinalityEstimator::new());
            for &f in &self.exact {
                sketch.insert_hash(mix(f));
            }
            self.exact = Vec::new();
            self.sketch = Some(sketch);
        }
    }

    /// The count, and whether it is an estimate.
    pub fn count(&self) -> (u64, bool) {
        match &self.sketch {
            Some(sketch) => (sketch.estimate() as u64, true),
            None => (self.exact.len() as u64, false),
        }
    }
}

/// Spreads every bit of `x` over the whole word (splitmix64's finaliser):
/// HyperLogLog reads register and run length from separate bits, and a
/// fingerprint read from saved output may be shorter than 64 bits.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Fingerprints and the documents holding them, as a sample bounded by
/// [`COPIES_KEPT`]: every fingerprint while they fit, then only those below
/// a threshold halved each time the map fills (fingerprints are keyed
/// hashes, so the sample is uniform); counts are scaled back up.
#[derive(Debug, Clone, Default)]
pub struct Copies {
    docs: HashMap<u64, Holders, BuildHasherDefault<Keyed>>,
    /// Fingerprints at or above `1 << 64 >> level` are not kept.
    level: u32,
}

/// Hashes a fingerprint's bits as they are: they are already a keyed
/// hash, uniform, so hashing them again only costs time.
#[derive(Debug, Default)]
struct Keyed(u64);

impl Hasher for Keyed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The first documents (by index) to hold one value; `NONE` marks a free
/// place. A value in more files than this is paired among these.
#[derive(Debug, Clone, Copy)]
struct Holders([u32; HOLDERS]);

/// Documents remembered per value.
const HOLDERS: usize = 4;

/// No document.
const NONE: u32 = u32::MAX;

impl Holders {
    fn held(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().copied().take_while(|&d| d != NONE)
    }
}

impl Copies {
    fn kept(&self, fingerprint: u64) -> bool {
        self.level == 0 || fingerprint < (u64::MAX >> self.level)
    }

    fn insert(&mut self, fingerprint: u64, doc: u32) {
        if !self.kept(fingerprint) {
            return;
        }
        match self.docs.get_mut(&fingerprint) {
            Some(h) => {
                if let Some(free) = h.0.iter().position(|&d| d == doc || d == NONE) {
                    h.0[free] = doc;
                }
            }
            None => {
                let mut holders = Holders([NONE; HOLDERS]);
                holders.0[0] = doc;
                self.docs.insert(fingerprint, holders);
                if self.docs.len() > COPIES_KEPT {
                    self.level += 1;
                    let level = self.level;
                    self.docs.retain(|&f, _| f < (u64::MAX >> level));
                }
            }
        }
    }

    /// How many kept values each pair of documents shares, scaled to the
    /// whole (exact while nothing was dropped); and whether scaled.
    pub fn pairs(&self) -> (BTreeMap<(u32, u32), u64>, bool) {
        let mut pairs: BTreeMap<(u32, u32), u64> = BTreeMap::new();
        for h in self.docs.values() {
            for (i, a) in h.held().enumerate() {
                for b in h.held().skip(i + 1) {
                    *pairs.entry((a.min(b), a.max(b))).or_default() += 1u64 << self.level;
                }
            }
        }
        (pairs, self.level > 0)
    }

    /// Values held by two or more documents, scaled to the whole.
    pub fn shared(&self) -> u64 {
        let n = self.docs.values().filter(|h| h.0[1] != NONE).count() as u64;
        n << self.level
    }
}

/// A document or member not fully examined, or left out by choice.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Gap {
    /// As findings name it.
    pub path: String,
    /// A stable code (`binary`, `encrypted`, …).
    pub reason: String,
    /// The reason in words.
    pub detail: String,
}

/// Everything counted for a report.
#[derive(Debug, Default)]
pub struct Tally {
    /// Documents in the order first seen; an index here is a document's
    /// number in [`Copies`].
    pub docs: Vec<DocTally>,
    /// Document numbers by path, and the last one used (findings come a
    /// document at a time).
    index: HashMap<Arc<str>, u32>,
    last: Option<u32>,
    /// Top-level inputs by path.
    pub inputs: BTreeMap<Arc<str>, InputFacts>,
    /// Values and the documents holding them.
    pub copies: Copies,
    /// The family of each kind seen (`government-id`, `credential`, …).
    pub categories: BTreeMap<String, String>,
    /// Documents not fully examined.
    pub incomplete: Vec<Gap>,
    /// Documents left out by choice.
    pub skipped: Vec<Gap>,
    /// Documents examined, from the scan's summary or coverage.
    pub files: u64,
    /// Bytes examined.
    pub bytes: u64,
    /// Coverage was given (always, for a scan; `--from` needs the
    /// coverage file for it).
    pub covered: bool,
}

impl Tally {
    /// The number of the document at `path`, added if new.
    fn doc(&mut self, path: &str) -> u32 {
        if let Some(i) = self.last.filter(|&i| &*self.docs[i as usize].path == path) {
            return i;
        }
        let i = match self.index.get(path) {
            Some(&i) => i,
            None => {
                let i = self.docs.len() as u32;
                let path: Arc<str> = Arc::from(path);
                self.index.insert(path.clone(), i);
                self.docs.push(DocTally {
                    path,
                    ..DocTally::default()
                });
                i
            }
        };
        self.last = Some(i);
        i
    }

    /// Counts one finding.
    pub fn add(&mut self, seen: Seen<'_>) {
        let index = self.doc(seen.path);
        self.copies.insert(seen.fingerprint, index);
        let doc = &mut self.docs[index as usize];
        doc.table |= seen.in_table;
        // A kind new to the document may be new to the run.
        if count(&mut doc.by_kind, seen.kind) && !self.categories.contains_key(seen.kind) {
            let category = seen.category.to_string();
            self.categories.insert(seen.kind.to_string(), category);
        }
        if let Some(column) = seen.column {
            let col = match doc.columns.get_mut(column) {
                Some(col) => col,
                None => doc.columns.entry(column.to_string()).or_default(),
            };
            if count(&mut col.by_kind, seen.kind) {
                let sample = seen.masked.to_string();
                col.samples.insert(seen.kind.to_string(), sample);
            }
            col.distinct.insert(seen.fingerprint);
        }
    }

    /// Records a delimited file's cell counts per column.
    pub fn add_table(&mut self, path: &str, columns: impl Iterator<Item = (String, u64, u64)>) {
        let index = self.doc(path);
        let doc = &mut self.docs[index as usize];
        doc.table = true;
        for (name, cells, non_empty) in columns {
            doc.columns.entry(name).or_default().cells = Some((cells, non_empty));
        }
    }

    /// Reads saved `scan --format ndjson` output (a finding per line).
    pub fn read_ndjson(
        &mut self,
        reader: impl io::BufRead,
        name: &str,
    ) -> crate::error::Result<()> {
        for (i, line) in reader.lines().enumerate() {
            let line = line.map_err(|cause| crate::error::Error::Io {
                path: crate::sanitize::sanitize(name),
                cause,
            })?;
            if line.trim().is_empty() {
                continue;
            }
            let record: Record =
                serde_json::from_str(&line).map_err(|e| saved_error(name, i as u64 + 1, &e))?;
            let column = record.column();
            self.add(Seen {
                path: &record.path,
                kind: &record.kind,
                category: &record.category,
                column: column.as_deref(),
                masked: &record.masked,
                fingerprint: fingerprint_bits(&record.fingerprint),
                in_table: record.csv_column.is_some(),
            });
        }
        Ok(())
    }

    /// Reads a saved `scan --coverage` file.
    pub fn read_coverage(&mut self, text: &str, name: &str) -> crate::error::Result<()> {
        let saved: SavedCoverage =
            serde_json::from_str(text).map_err(|e| saved_error(name, e.line() as u64, &e))?;
        self.covered = true;
        self.files += saved.files;
        self.bytes += saved.bytes;
        self.incomplete.extend(saved.incomplete);
        self.skipped.extend(saved.skipped);
        for table in saved.tables {
            let columns = table.columns.into_iter().map(|c| {
                let name = c.column.map_or_else(String::new, column_name_of);
                (name, c.cells, c.non_empty)
            });
            self.add_table(&table.path, columns);
        }
        for input in saved.inputs {
            self.inputs.insert(input.path.clone(), input);
        }
        Ok(())
    }
}

impl Sink for Tally {
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        let mut column = String::new();
        for f in findings {
            let has_column = column_of(f, &mut column);
            self.add(Seen {
                path: &f.path,
                kind: &f.kind,
                category: f.category.as_str(),
                column: has_column.then_some(column.as_str()),
                masked: &f.masked,
                fingerprint: fingerprint_bits(f.fingerprint.as_str()),
                in_table: f.csv_column.is_some(),
            });
        }
        Ok(())
    }

    fn input_done(&mut self, done: &InputDone<'_>) -> io::Result<()> {
        let facts = InputFacts {
            path: done.path.clone(),
            bytes: done.bytes,
            modified: crate::input::modified(done.path),
        };
        self.inputs.insert(done.path.clone(), facts);
        for (path, columns) in done.tables {
            let columns = columns.iter().map(|c| {
                let name = c.column.clone().map_or_else(String::new, column_name);
                (name, c.cells, c.non_empty)
            });
            self.add_table(path, columns);
        }
        Ok(())
    }

    /// The summary's gaps, as the coverage file has them: every member cut
    /// short, every walk skip, every path given that could not be read.
    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.covered = true;
        self.files = summary.files;
        self.bytes = summary.bytes;
        for (path, reason) in &summary.incomplete_inputs {
            let gap = Gap {
                path: path.to_string(),
                reason: reason.code().to_string(),
                detail: reason.as_str().to_string(),
            };
            if reason.by_choice() {
                self.skipped.push(gap);
            } else {
                self.incomplete.push(gap);
            }
        }
        Ok(())
    }
}

/// The column of a finding as the report groups it, into `out`; false
/// when it has none.
fn column_of(f: &Finding, out: &mut String) -> bool {
    out.clear();
    if let Some(column) = &f.csv_column {
        match column {
            CsvColumn::Name(name) => out.push_str(name),
            CsvColumn::Index(i) => out.push_str(itoa::Buffer::new().format(*i)),
        }
    } else if let Some(path) = &f.json_path {
        fold_indices(path, out);
    } else if let Some(column) = &f.sql_column {
        out.push_str(column);
    } else {
        return false;
    }
    true
}

/// A CSV column's name as the report shows it: the header, or its number.
fn column_name(column: CsvColumn) -> String {
    match column {
        CsvColumn::Name(name) => name.to_string(),
        CsvColumn::Index(i) => i.to_string(),
    }
}

/// The same for a column read from a saved file.
fn column_name_of(column: SavedColumn) -> String {
    match column {
        SavedColumn::Name(name) => name,
        SavedColumn::Index(i) => i.to_string(),
    }
}

/// `path` with each array index as `[*]`: `$.a[2].b[10]` → `$.a[*].b[*]`.
pub fn fold_indices(path: &str, out: &mut String) {
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(']') {
            out.push('*');
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
}

/// A saved file that does not read: where, and the kind of problem
/// (serde's own message can quote the text, which may hold a value).
fn saved_error(name: &str, line: u64, e: &serde_json::Error) -> crate::error::Error {
    use serde_json::error::Category;
    crate::error::Error::Saved {
        file: crate::sanitize::sanitize(name),
        line,
        problem: match e.classify() {
            Category::Io => "cannot be read",
            Category::Syntax => "not JSON",
            Category::Data => "a field is missing or of the wrong type",
            Category::Eof => "cut short",
        },
    }
}

/// Adds one to `kind`'s count, allocating only for a kind not seen yet;
/// true when it was not.
fn count(by_kind: &mut BTreeMap<String, u64>, kind: &str) -> bool {
    match by_kind.get_mut(kind) {
        Some(n) => {
            *n += 1;
            false
        }
        None => {
            by_kind.insert(kind.to_string(), 1);
            true
        }
    }
}

/// The first 64 bits of a fingerprint's hex digits.
fn fingerprint_bits(hex: &str) -> u64 {
    u64::from_str_radix(hex.get(..16).unwrap_or(hex), 16).unwrap_or(0)
}

/// A saved NDJSON finding: the fields the report reads.
#[derive(Deserialize)]
struct Record {
    path: String,
    kind: String,
    category: String,
    csv_column: Option<SavedColumn>,
    json_path: Option<String>,
    #[serde(default)]
    sql_column: Option<String>,
    masked: String,
    fingerprint: String,
}

impl Record {
    fn column(&self) -> Option<String> {
        if let Some(column) = &self.csv_column {
            return Some(column_name_of(column.clone()));
        }
        if let Some(path) = &self.json_path {
            let mut out = String::new();
            fold_indices(path, &mut out);
            return Some(out);
        }
        self.sql_column.clone()
    }
}

/// A CSV column in saved output: a header name or a number.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum SavedColumn {
    Name(String),
    Index(u64),
}

/// A saved `--coverage` file: the parts the report reads.
#[derive(Deserialize)]
struct SavedCoverage {
    files: u64,
    bytes: u64,
    #[serde(default)]
    incomplete: Vec<Gap>,
    #[serde(default)]
    skipped: Vec<Gap>,
    #[serde(default)]
    tables: Vec<SavedTable>,
    #[serde(default)]
    inputs: Vec<InputFacts>,
}

#[derive(Deserialize)]
struct SavedTable {
    path: String,
    columns: Vec<SavedColumnStats>,
}

#[derive(Deserialize)]
struct SavedColumnStats {
    column: Option<SavedColumn>,
    cells: u64,
    non_empty: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_indices_fold() {
        let fold = |p: &str| {
            let mut out = String::new();
            fold_indices(p, &mut out);
            out
        };
        assert_eq!(fold("$.a[2].b[10]"), "$.a[*].b[*]");
        assert_eq!(fold("$['x[1]'][3]"), "$['x[*]'][*]");
        assert_eq!(fold("$[*].email"), "$[*].email");
        assert_eq!(fold("$.a[b]"), "$.a[b]");
    }

    #[test]
    fn distinct_values_are_exact_then_estimated() {
        let mut d = Distinct::default();
        for i in 0..200u64 {
            d.insert(i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            d.insert(i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        }
        assert_eq!(d.count(), (200, false));
        for i in 200..20_000u64 {
            d.insert(i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        }
        let (n, estimated) = d.count();
        assert!(estimated);
        assert!((19_000..21_000).contains(&n), "{n}");
    }

    #[test]
    fn copies_are_counted_exactly_then_sampled() {
        let mut copies = Copies::default();
        for f in 0..10u64 {
            copies.insert(f << 40, 0);
            copies.insert(f << 40, 1);
        }
        copies.insert(99 << 40, 2);
        let (pairs, scaled) = copies.pairs();
        assert_eq!(pairs.get(&(0, 1)), Some(&10));
        assert!(!scaled);
        assert_eq!(copies.shared(), 10);
        // A value in four files pairs every two of them.
        for doc in [3, 4, 5, 6, 6] {
            copies.insert(7 << 50, doc);
        }
        let (pairs, _) = copies.pairs();
        for pair in [(3, 4), (3, 5), (3, 6), (4, 5), (4, 6), (5, 6)] {
            assert_eq!(pairs.get(&pair), Some(&1), "{pair:?}");
        }
        assert_eq!(copies.shared(), 11);
    }
}
