//! Baselines: the findings a team has accepted, so that a gate fails only
//! on new ones.
//!
//! An entry is a fingerprint, a rule and a path: no value, no line number.
//! A finding is known when an entry has its rule and fingerprint,
//! whichever file it is in now: the fingerprint is a keyed hash of the
//! value, so lines moving and files being renamed change nothing, and a
//! new value is new wherever it lands. The path says where the value was
//! accepted, for review and for telling which entries are stale (their
//! value is gone from the files scanned).
//!
//! The file is JSON, one entry a line, sorted, with no timestamp: written
//! again on an unchanged tree it is the same bytes, and it diffs cleanly in
//! review. It names the key that made its fingerprints (by [`Key::id`]); a
//! baseline checked with another key is an error, not "everything is new".
//!
//! It also names the lowest confidence its run reported: a run with a
//! higher threshold could not have found its low-confidence values again,
//! so it cannot call them stale.
//!
//! [`Key::id`]: crate::key::Key::id

use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::finding::{Confidence, Finding, Fingerprint};

use crate::paths::RepoPaths;

/// The format's version, the file's first key.
const VERSION: u32 = 1;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entry {
    /// Where it was found (leading `./` dropped).
    pub path: Arc<str>,
    /// The rule that found it.
    pub rule: Arc<str>,
    /// Its keyed fingerprint.
    pub fingerprint: Fingerprint,
}

impl Entry {
    /// The entry that records `finding`, its path as the repository
    /// names it.
    pub fn of(finding: &Finding, paths: &RepoPaths) -> Entry {
        Entry {
            path: Arc::from(paths.of(&finding.path)),
            rule: finding.rule.clone(),
            fingerprint: finding.fingerprint,
        }
    }
}

/// A path as a baseline keeps it: `./a/b.csv` and `a/b.csv` are one file.
pub fn normal_path(path: &str) -> &str {
    let mut path = path;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.trim_start_matches('/');
    }
    path
}

/// A baseline read from its file, with which of its entries were seen.
#[derive(Debug)]
pub struct Baseline {
    /// The id of the key that made its fingerprints.
    pub key_id: String,
    /// The lowest confidence the run that wrote it reported.
    pub min_confidence: Confidence,
    entries: Vec<Entry>,
    /// Entry indexes by rule and fingerprint.
    index: HashMap<(Arc<str>, Fingerprint), Vec<usize>>,
    seen: Vec<bool>,
}

/// Why a baseline file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// It could not be read.
    #[error("cannot read the baseline {path}: {cause}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        cause: io::Error,
    },
    /// It is not a baseline.
    #[error("{path} is not a piiscan baseline ({why}); write one with --write-baseline")]
    Format {
        /// The file.
        path: String,
        /// What is wrong, and where.
        why: String,
    },
    /// Its fingerprints were made with another key.
    #[error(
        "the baseline {path} was written with key id {theirs}, and this run's key is \
         {source_of_ours}: every finding would look new. Use the key the baseline was \
         written with (--key-file or PIISCAN_FINGERPRINT_KEY), or delete the baseline and write it \
         again with this key"
    )]
    OtherKey {
        /// The file.
        path: String,
        /// The baseline's key id.
        theirs: String,
        /// Where this run's key came from.
        source_of_ours: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    piiscan_baseline: u32,
    key_id: String,
    #[serde(default)]
    min_confidence: Option<String>,
    entries: Vec<FileEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    path: String,
    rule: String,
    fingerprint: String,
}

impl Baseline {
    /// Reads a baseline and checks it was written with the key `key_id`
    /// (described as `key_source` in the error).
    pub fn read(path: &Path, key_id: &str, key_source: &str) -> Result<Baseline, BaselineError> {
        let shown = crate::sanitize::sanitize(&path.display().to_string());
        let text = std::fs::read(path).map_err(|cause| BaselineError::Read {
            path: shown.clone(),
            cause,
        })?;
        Baseline::parse(&text, &shown, key_id, key_source)
    }

    /// A baseline from its bytes, `shown` as its path in errors.
    pub fn parse(
        text: &[u8],
        shown: &str,
        key_id: &str,
        key_source: &str,
    ) -> Result<Baseline, BaselineError> {
        let shown = || shown.to_string();
        let format = |why: String| BaselineError::Format { path: shown(), why };
        // serde's messages quote the offending text, which may be a value
        // (a data file given by mistake): say where, never what.
        let file: File = serde_json::from_slice(text).map_err(|e| {
            let what = match e.classify() {
                serde_json::error::Category::Data => "not the baseline's structure",
                serde_json::error::Category::Eof => "cut short",
                _ => "not JSON",
            };
            format(format!(
                "{what} at line {}, column {}",
                e.line(),
                e.column()
            ))
        })?;
        let hex =
            |s: &str| !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex(&file.key_id) {
            return Err(format("`key_id` is not a key id (hex digits)".to_string()));
        }
        if file.piiscan_baseline != VERSION {
            return Err(format(format!(
                "version {}, and this piiscan reads version {VERSION}",
                file.piiscan_baseline
            )));
        }
        if file.key_id != key_id {
            return Err(BaselineError::OtherKey {
                path: shown(),
                theirs: file.key_id,
                source_of_ours: key_source.to_string(),
            });
        }
        let min_confidence = match file.min_confidence.as_deref() {
            None => Confidence::Medium,
            Some(name) => name
                .parse()
                .map_err(|_| format("`min_confidence` is not low, medium or high".to_string()))?,
        };
        let mut entries = Vec::with_capacity(file.entries.len());
        for (i, e) in file.entries.into_iter().enumerate() {
            let fingerprint = Fingerprint::from_hex(&e.fingerprint).ok_or_else(|| {
                format(format!(
                    "entry {}: `fingerprint` is not 32 lower-case hex digits",
                    i + 1
                ))
            })?;
            entries.push(Entry {
                path: Arc::from(normal_path(&e.path)),
                rule: Arc::from(e.rule),
                fingerprint,
            });
        }
        Ok(Baseline::new(key_id.to_string(), min_confidence, entries))
    }

    /// A baseline of `entries`, written by a run reporting `min_confidence`
    /// and above.
    pub fn new(key_id: String, min_confidence: Confidence, entries: Vec<Entry>) -> Baseline {
        let mut index: HashMap<_, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            index
                .entry((e.rule.clone(), e.fingerprint))
                .or_default()
                .push(i);
        }
        Baseline {
            key_id,
            min_confidence,
            seen: vec![false; entries.len()],
            entries,
            index,
        }
    }

    /// True when `finding` was accepted; marks its entries seen.
    pub fn knows(&mut self, finding: &Finding) -> bool {
        match self.index.get(&(finding.rule.clone(), finding.fingerprint)) {
            Some(found) => {
                for &i in found {
                    self.seen[i] = true;
                }
                true
            }
            None => false,
        }
    }

    /// Entries whose value was not found (the gate tells which of them are
    /// stale: those it would have found).
    pub fn unseen(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .zip(&self.seen)
            .filter(|(_, seen)| !**seen)
            .map(|(e, _)| e)
    }

    /// Its entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many entries it has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when it has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Writes a baseline of `entries` (sorted and without duplicates by
/// being a set) made with the key `key_id` by a run reporting
/// `min_confidence` and above.
pub fn write(
    out: &mut dyn Write,
    key_id: &str,
    min_confidence: Confidence,
    entries: &BTreeSet<Entry>,
) -> io::Result<()> {
    let quoted = |s: &str| crate::output::safe_json::to_string(s);
    writeln!(out, "{{")?;
    writeln!(out, "  \"piiscan_baseline\": {VERSION},")?;
    writeln!(out, "  \"key_id\": {},", quoted(key_id)?)?;
    writeln!(out, "  \"min_confidence\": \"{min_confidence}\",")?;
    write!(out, "  \"entries\": [")?;
    for (i, e) in entries.iter().enumerate() {
        let comma = if i == 0 { "" } else { "," };
        write!(
            out,
            "{comma}\n    {{\"path\": {}, \"rule\": {}, \"fingerprint\": \"{}\"}}",
            quoted(&e.path)?,
            quoted(&e.rule)?,
            e.fingerprint
        )?;
    }
    if !entries.is_empty() {
        write!(out, "\n  ")?;
    }
    writeln!(out, "]")?;
    writeln!(out, "}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, rule: &str, fp: char) -> Entry {
        Entry {
            path: Arc::from(path),
            rule: Arc::from(rule),
            fingerprint: Fingerprint::from_hex(&fp.to_string().repeat(32)).unwrap(),
        }
    }

    fn finding(path: &str, rule: &str, fp: char) -> Finding {
        let mut f = crate::output::tests::sample(path, 1, "****");
        f.rule = Arc::from(rule);
        f.fingerprint = Fingerprint::from_hex(&fp.to_string().repeat(32)).unwrap();
        f
    }

    #[test]
    fn written_sorted_and_read_back() {
        let entries: BTreeSet<Entry> = [
            entry("b.csv", "email", 'b'),
            entry("a \"q\".csv", "credit-card", 'a'),
            entry("a.csv", "email", 'c'),
        ]
        .into_iter()
        .collect();
        let mut out = Vec::new();
        write(&mut out, "0a1b2c3d", Confidence::Low, &entries).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.find("a \\\"q\\\".csv").unwrap() < text.find("b.csv").unwrap());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        std::fs::write(&path, &text).unwrap();
        let base = Baseline::read(&path, "0a1b2c3d", "test").unwrap();
        assert_eq!(base.len(), 3);
        let mut again = Vec::new();
        assert_eq!(base.min_confidence, Confidence::Low);
        write(
            &mut again,
            "0a1b2c3d",
            base.min_confidence,
            &base.entries.iter().cloned().collect(),
        )
        .unwrap();
        assert_eq!(String::from_utf8(again).unwrap(), text);
        let mut empty = Vec::new();
        write(&mut empty, "k", Confidence::Medium, &BTreeSet::new()).unwrap();
        let empty = String::from_utf8(empty).unwrap();
        assert!(empty.contains("\"entries\": []"), "{empty}");
    }

    #[test]
    fn another_key_or_a_bad_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let mut out = Vec::new();
        write(&mut out, "0a1b2c3d", Confidence::Medium, &BTreeSet::new()).unwrap();
        std::fs::write(&path, &out).unwrap();
        let err = Baseline::read(&path, "ffffffff", "the user key").unwrap_err();
        assert!(matches!(err, BaselineError::OtherKey { .. }), "{err}");
        std::fs::write(&path, b"{\"findings\": []}").unwrap();
        let err = Baseline::read(&path, "0a1b2c3d", "k")
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not a piiscan baseline"), "{err}");
    }

    #[test]
    fn known_wherever_it_moved_and_stale_when_gone() {
        let mut base = Baseline::new(
            "k".into(),
            Confidence::Medium,
            vec![
                entry("a.csv", "email", 'a'),
                entry("sub/b.csv", "email", 'b'),
            ],
        );
        assert!(base.knows(&finding("./renamed.csv", "email", 'a')));
        assert!(!base.knows(&finding("a.csv", "email", 'c')));
        assert!(!base.knows(&finding("a.csv", "phone", 'a')));
        let unseen: Vec<_> = base.unseen().map(|e| &*e.path).collect();
        assert_eq!(unseen, ["sub/b.csv"]);
    }

    #[test]
    fn paths_are_normalised() {
        assert_eq!(normal_path("./a/b"), "a/b");
        assert_eq!(normal_path(".//./a"), "a");
        assert_eq!(normal_path("/abs/a"), "/abs/a");
        assert_eq!(normal_path("../a"), "../a");
    }
}
