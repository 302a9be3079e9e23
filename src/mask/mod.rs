//! Masked copies: a [`Sink`] that rewrites every document the scan hands
//! it, each finding's span replaced by what its kind's [`Strategy`] makes
//! of it, every other byte copied as it is. It rides on the scan's own
//! pipeline (one engine: a value `scan` reports is the value masked, at
//! the same offsets), so large files stream through in bounded memory on
//! all threads, and structure survives by construction: nothing outside a
//! span changes, and a replacement fits where it goes. The scan's layout
//! tells each finding's field ([`crate::finding::Field`]): `drop` widens
//! the span to the whole field and empties it; a bare JSON number takes a
//! masked form as a string, a bare SQL number keeps to digits.
//!
//! - `doc`: one document rewritten as its text streams past;
//! - `strategy`: what a value becomes (`token`: format-preserving tokens);
//! - `tree`: where copies go and how they are written (whole or not at
//!   all, compressed as their input was);
//! - `archive`: a zip or tar rebuilt around its masked members.

mod archive;
mod doc;
pub mod strategy;
pub mod token;
pub mod tree;

use std::collections::{BTreeMap, VecDeque};
use std::io;
use std::path::PathBuf;

use serde::Serialize;

use crate::finding::Finding;
use crate::input::open::Encoding;
use crate::sink::{Content, InputDone, Sink};
use crate::summary::Summary;

use self::doc::{encode, Doc, Span};
pub use self::strategy::{Strategies, Strategy};
pub use self::tree::{Copy, CopyError, Tree};

/// What became of one input.
#[derive(Debug, Clone, Serialize)]
pub struct Masked {
    /// The input, as findings name it.
    pub input: String,
    /// Where its copy went (`None`: not written, or standard output).
    pub output: Option<PathBuf>,
    /// Values masked, by kind.
    pub masked: BTreeMap<String, u64>,
    /// Why no copy was written where one was due: the run did not do
    /// its whole job.
    pub problem: Option<String>,
    /// Why no copy was written by choice (a binary file, not examined).
    pub skipped: Option<String>,
    /// Byte spans of the copy (or of a member of it: `!dir/a.csv`, else
    /// an empty name) that hold keyed pseudonyms, which look like values
    /// by design, or `[KIND]` tokens: a re-scan does not count them as
    /// left over.
    #[serde(skip)]
    pub pseudonyms: Vec<(String, u64, u64)>,
}

/// Writes masked copies of a scan's inputs.
pub struct Masker {
    tree: Tree,
    strategies: Strategies,
    only_changed: bool,
    /// Spans of the findings handed over, not yet reached by the text.
    queue: VecDeque<Span>,
    /// The documents of the current input (one, unless it is an archive).
    docs: Vec<Doc>,
    /// Why the current input cannot be copied, once known.
    problem: Option<String>,
    /// Every input so far, in order.
    pub report: Vec<Masked>,
    /// What was written to standard output (`mask -`), to scan again.
    pub stdout_copy: Option<tempfile::NamedTempFile>,
}

impl Masker {
    /// A masker writing under `tree`, masking each kind as `strategies`
    /// say; with `only_changed`, documents with nothing masked are not
    /// written.
    pub fn new(tree: Tree, strategies: Strategies, only_changed: bool) -> Masker {
        Masker {
            tree,
            strategies,
            only_changed,
            queue: VecDeque::new(),
            docs: Vec::new(),
            problem: None,
            report: Vec::new(),
            stdout_copy: None,
        }
    }

    /// The document `content` belongs to, started on its first text.
    fn doc(&mut self, content: &Content<'_>) -> io::Result<Option<&mut Doc>> {
        if self.problem.is_some() {
            return Ok(None);
        }
        if self.docs.last().is_some_and(|d| d.path == *content.path) {
            return Ok(self.docs.last_mut());
        }
        let started = if content.path != content.input {
            // An archive member: masked aside, until the archive is rebuilt.
            self.tree.scratch().map(|(file, copy)| {
                let mut doc = Doc::empty(content.path.clone(), copy);
                doc.scratch = Some(file);
                doc
            })
        } else {
            match self.tree.create(content.path) {
                Ok(copy) => Ok(Doc::empty(content.path.clone(), copy)),
                Err(CopyError::Io(e)) => Err(e),
                Err(other) => {
                    self.problem = Some(other.to_string());
                    return Ok(None);
                }
            }
        };
        match started {
            Ok(mut doc) => {
                doc.encoding = content.encoding;
                if let Encoding::Utf16 { bom: true, .. } = content.encoding {
                    doc.put(&encode(content.encoding, "\u{feff}"))?;
                }
                self.docs.push(doc);
                Ok(self.docs.last_mut())
            }
            Err(e) => Err(e),
        }
    }
}

impl Sink for Masker {
    fn wants_content(&self) -> bool {
        true
    }

    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        for finding in findings {
            let span = Span::of(finding, self.strategies.of(&finding.kind));
            // A field starts before its value, maybe before findings ahead
            // of it in the same field: the queue stays in start order.
            let mut at = self.queue.len();
            while at > 0
                && self.queue[at - 1].path == span.path
                && self.queue[at - 1].start > span.start
            {
                at -= 1;
            }
            self.queue.insert(at, span);
        }
        Ok(())
    }

    fn content(&mut self, content: &Content<'_>) -> io::Result<()> {
        // Taken out for the call, so that the document can be borrowed.
        let mut queue = std::mem::take(&mut self.queue);
        let written = match self.doc(content) {
            Ok(Some(doc)) => doc.rewrite(content, &mut queue),
            Ok(None) => {
                queue.retain(|f| f.path != *content.path);
                Ok(())
            }
            Err(e) => Err(e),
        };
        self.queue = queue;
        written
    }

    fn input_done(&mut self, done: &InputDone<'_>) -> io::Result<()> {
        self.queue.clear();
        let mut entry = Masked {
            input: done.path.to_string(),
            output: None,
            masked: BTreeMap::new(),
            problem: self.problem.take().or_else(|| why_no_copy(done)),
            skipped: None,
            pseudonyms: Vec::new(),
        };
        if self.docs.is_empty() && entry.problem.is_none() {
            self.nothing_read(done, &mut entry)?;
        }
        if self.docs.iter().any(|d| d.scratch.is_some()) {
            self.rebuild(done, &mut entry)?;
        }
        for mut doc in std::mem::take(&mut self.docs) {
            for (kind, n) in &doc.masked {
                *entry.masked.entry(kind.to_string()).or_default() += n;
            }
            let unchanged = doc.masked.is_empty();
            let keep = entry.problem.is_none() && !(self.only_changed && unchanged);
            let pseudonyms = std::mem::take(&mut doc.pseudonyms);
            if let Some(tee) = doc.copy.take_tee() {
                entry.pseudonyms = pseudonyms
                    .iter()
                    .map(|&(a, b)| (String::new(), a, b))
                    .collect();
                self.stdout_copy = Some(tee);
            }
            if let Some(target) = doc.finish(keep)? {
                entry.output = Some(target);
                entry.pseudonyms = pseudonyms
                    .into_iter()
                    .map(|(a, b)| (String::new(), a, b))
                    .collect();
            }
        }
        self.report.push(entry);
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

impl Masker {
    /// Rebuilds the archive whose members were masked aside, every masked
    /// member in its place, written as one copy.
    fn rebuild(&mut self, done: &InputDone<'_>, entry: &mut Masked) -> io::Result<()> {
        let mut members = archive::Members::new();
        for mut doc in std::mem::take(&mut self.docs) {
            for (kind, n) in &doc.masked {
                *entry.masked.entry(kind.to_string()).or_default() += n;
            }
            let member = &doc.path[done.path.len()..];
            for &(from, to) in &doc.pseudonyms {
                entry.pseudonyms.push((member.to_string(), from, to));
            }
            let (path, scratch) = (doc.path.to_string(), doc.scratch.take());
            doc.finish(false)?;
            members.extend(scratch.map(|file| (path, file)));
        }
        if entry.problem.is_some() {
            return Ok(());
        }
        let (copy, kind) = match self.tree.create_archive(done.path) {
            Ok(started) => started,
            Err(CopyError::Io(e)) => return Err(e),
            Err(other) => {
                entry.problem = Some(other.to_string());
                return Ok(());
            }
        };
        let source = std::path::Path::new(&**done.path);
        let rebuild = match kind {
            tree::Archive::Tar => archive::rebuild_tar,
            tree::Archive::Zip => archive::rebuild_zip,
        };
        // An archive the scan read but this writer cannot (a damaged
        // sparse map): this input has no copy, the others go on. The copy
        // begun is dropped, and its temporary file with it.
        let (copy, omitted) = match rebuild(source, done.path, &mut members, copy) {
            Ok(rebuilt) => rebuilt,
            Err(e) => {
                entry.problem = Some(format!(
                    "the archive could not be rebuilt ({}): no copy written",
                    crate::sanitize::sanitize(&e.to_string())
                ));
                return Ok(());
            }
        };
        if !members.is_empty() {
            // Masked text with no place in the copy (a member read as an
            // archive that this build cannot write back): no copy, rather
            // than one holding the unmasked member.
            copy.finish(false)?;
            entry.problem = Some(
                "a member holding masked text could not be written back into the archive: no copy written"
                    .into(),
            );
            return Ok(());
        }
        if !omitted.is_empty() {
            let names: Vec<String> = omitted
                .iter()
                .map(|n| crate::sanitize::sanitize(n))
                .collect();
            entry.skipped = Some(format!(
                "left out of the copy (not examined): {}",
                names.join(", ")
            ));
        }
        entry.output = copy.finish(true)?;
        Ok(())
    }

    /// An input that handed over no text: not examined (a binary file: no
    /// copy, by choice), or empty (an empty copy).
    fn nothing_read(&mut self, done: &InputDone<'_>, entry: &mut Masked) -> io::Result<()> {
        if let Some((_, reason)) = done.gaps.first() {
            entry.skipped = Some(format!("not copied: not examined ({reason})"));
            return Ok(());
        }
        if self.only_changed {
            return Ok(());
        }
        match self.tree.create(done.path) {
            Ok(copy) => self.docs.push(Doc::empty(done.path.clone(), copy)),
            Err(CopyError::Io(e)) => return Err(e),
            Err(other) => entry.problem = Some(other.to_string()),
        }
        Ok(())
    }
}

/// Why an input gets no copy although one was due: it could not be read
/// whole (a copy would pass for a whole one).
fn why_no_copy(done: &InputDone<'_>) -> Option<String> {
    let (_, reason) = done.gaps.iter().find(|(_, r)| !r.by_choice())?;
    Some(format!("not examined in full ({reason}): no copy written"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ScanConfig;
    use crate::rules::RuleSet;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn rules() -> &'static RuleSet {
        static RULES: OnceLock<RuleSet> = OnceLock::new();
        RULES.get_or_init(|| RuleSet::builtin().unwrap())
    }

    /// Masks `text` as a file named `name` through the whole pipeline;
    /// returns the copy and the findings a scan makes of the input.
    fn mask_text(name: &str, text: &[u8]) -> (Vec<u8>, Vec<Finding>) {
        mask_with(name, text, ScanConfig::default().chunk_size)
    }

    /// [`mask_text`], streamed in chunks of `chunk_size` (compressed input).
    fn mask_with(name: &str, text: &[u8], chunk_size: usize) -> (Vec<u8>, Vec<Finding>) {
        mask_as(name, text, chunk_size, Strategies::default())
    }

    /// [`mask_with`], each kind masked as `strategies` say.
    fn mask_as(
        name: &str,
        text: &[u8],
        chunk_size: usize,
        strategies: Strategies,
    ) -> (Vec<u8>, Vec<Finding>) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir(&input).unwrap();
        std::fs::write(input.join(name), text).unwrap();
        let config = ScanConfig {
            paths: vec![input.clone()],
            threads: 1,
            min_confidence: crate::finding::Confidence::Low,
            chunk_size,
            fields: true,
            fingerprint_key: b"test key".to_vec(),
            ..ScanConfig::default()
        };
        let tree = Tree {
            out: dir.path().join("out"),
            roots: vec![input.clone()],
            force: false,
            live: tree::Live::default(),
            claimed: Default::default(),
        };
        let mut masker = Masker::new(tree, strategies, false);
        crate::scan::run(&config, rules(), &mut masker, &mut |_| {}).unwrap();
        let copy = std::fs::read(dir.path().join("out").join(name)).unwrap();
        let findings = crate::scan::scan_reader(&config, rules(), name, text)
            .unwrap()
            .findings;
        (copy, findings)
    }

    /// The input with every finding's span replaced by its masked form.
    fn spliced(text: &[u8], findings: &[Finding]) -> Vec<u8> {
        let (mut out, mut at) = (Vec::new(), 0);
        for f in findings {
            let (start, end) = (f.start as usize, f.end as usize);
            if start < at {
                continue;
            }
            out.extend_from_slice(&text[at..start]);
            out.extend_from_slice(f.masked.as_bytes());
            at = end;
        }
        out.extend_from_slice(&text[at..]);
        out
    }

    fn records(text: &[u8]) -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text)
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    fn field_counts(text: &[u8]) -> Vec<usize> {
        records(text).iter().map(Vec::len).collect()
    }

    fn all(name: &str) -> Strategies {
        Strategies::parse(&[format!("all={name}")], false).unwrap()
    }

    /// Findings of a scan of `text` (a file named `name`) at `low`.
    fn rescan(name: &str, text: &[u8]) -> Vec<Finding> {
        let config = ScanConfig {
            min_confidence: crate::finding::Confidence::Low,
            ..ScanConfig::default()
        };
        crate::scan::scan_reader(&config, rules(), name, text)
            .unwrap()
            .findings
    }

    /// The shape of a JSON value: its keys and array lengths; a leaf is
    /// `v` (a string, a number, or null: a masked number may become a
    /// string or null) or `b`.
    fn shape(value: &serde_json::Value) -> String {
        use serde_json::Value;
        match value {
            Value::Object(map) => {
                let inner: Vec<String> = map
                    .iter()
                    .map(|(k, v)| format!("{k}:{}", shape(v)))
                    .collect();
                format!("{{{}}}", inner.join(","))
            }
            Value::Array(items) => {
                let inner: Vec<String> = items.iter().map(shape).collect();
                format!("[{}]", inner.join(","))
            }
            Value::String(_) | Value::Number(_) | Value::Null => "v".into(),
            Value::Bool(_) => "b".into(),
        }
    }

    const LEAVES: [&str; 8] = [
        "\"ana.pop@example.ro\"",
        "4539148803436467",
        "\"mail jean.dupont@exemple.fr or call +40 721 234 567\"",
        "\"jos\\u00e9.garcia@example.es\"",
        "\"RO22 RNCB 0082 0045 3023 0001\"",
        "12",
        "true",
        "\"said \\\"4539 1488 0343 6467\\\"\"",
    ];

    const CELLS: [&str; 10] = [
        "ana.pop@example.ro",
        "\"Pop, Ana\"",
        "\"said \"\"hi\"\" to jean.dupont@exemple.fr\"",
        "\"line one\nline two ana@x.example\"",
        "4539 1488 0343 6467",
        "\"RO22 RNCB 0082 0045 3023 0001\"",
        "Wei",
        "",
        "+40 721 234 567",
        "order 12345",
    ];

    /// A CSV export of `rows` (indices into [`CELLS`]) under a header.
    fn csv_text(rows: &[Vec<usize>], crlf: bool) -> String {
        let end = if crlf { "\r\n" } else { "\n" };
        let width = rows.first().map_or(3, Vec::len);
        let mut text = format!("{}{end}", ["email", "name", "note"][..width].join(","));
        for row in rows {
            let cells: Vec<&str> = row.iter().map(|&i| CELLS[i]).collect();
            text.push_str(&cells.join(","));
            text.push_str(end);
        }
        text
    }

    #[test]
    fn drop_never_joins_records_a_lone_carriage_return_parts() {
        // CSV readers end a record at a lone CR; an emptied field stops there.
        let text = "id,note\n1,ab\rcd jan.jansen@example.com\n2,x\n";
        let (copy, _) = mask_as("export.csv", text.as_bytes(), 1 << 20, all("drop"));
        let widths = |t: &[u8]| records(t).iter().map(Vec::len).collect::<Vec<_>>();
        assert_eq!(widths(&copy), widths(text.as_bytes()));
        assert_eq!(String::from_utf8_lossy(&copy), "id,note\n1,ab\r\"\"\n2,x\n");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::proptest_cases(12)))]

        #[test]
        fn masking_changes_nothing_outside_a_span_nor_a_record_s_fields(
            rows in proptest::collection::vec(proptest::collection::vec(0..CELLS.len(), 3), 1..12),
            crlf in any::<bool>(),
            width in 1..=3usize,
        ) {
            // One column too: an emptied record of one field stays a record.
            let rows: Vec<Vec<usize>> = rows.into_iter().map(|r| r[..width].to_vec()).collect();
            let text = csv_text(&rows, crlf);
            let (copy, findings) = mask_text("export.csv", text.as_bytes());
            prop_assert_eq!(&copy, &spliced(text.as_bytes(), &findings));
            prop_assert_eq!(field_counts(&copy), field_counts(text.as_bytes()));
        }

        #[test]
        fn drop_empties_whole_cells_and_leaves_the_others(
            rows in proptest::collection::vec(proptest::collection::vec(0..CELLS.len(), 3), 1..12),
            crlf in any::<bool>(),
            width in 1..=3usize,
        ) {
            // One column too: an emptied record of one field stays a record.
            let rows: Vec<Vec<usize>> = rows.into_iter().map(|r| r[..width].to_vec()).collect();
            let text = csv_text(&rows, crlf);
            let (copy, findings) = mask_as("export.csv", text.as_bytes(), 1 << 20, all("drop"));
            let (before, after) = (records(text.as_bytes()), records(&copy));
            prop_assert_eq!(before.len(), after.len());
            let mut emptied = 0;
            for (old, new) in before.iter().zip(&after) {
                prop_assert_eq!(old.len(), new.len());
                for (o, n) in old.iter().zip(new) {
                    prop_assert!(n == o || n.is_empty(), "a cell changed without being emptied");
                    emptied += usize::from(n != o);
                }
            }
            prop_assert!(findings.is_empty() || emptied > 0);
            prop_assert!(rescan("export.csv", &copy).is_empty());
        }

        #[test]
        fn json_stays_valid_and_keeps_its_shape_under_every_strategy(
            values in proptest::collection::vec(proptest::collection::vec(0..LEAVES.len(), 0..4), 1..6),
            ndjson in any::<bool>(),
            strategy in proptest::sample::select(vec!["partial", "redact", "hash", "tokenize", "drop"]),
        ) {
            let objects: Vec<String> = values
                .iter()
                .map(|leaves| {
                    let list: Vec<&str> = leaves.iter().map(|&i| LEAVES[i]).collect();
                    let first = leaves.first().map_or("null", |&i| LEAVES[i]);
                    format!("{{\"v\": {first}, \"list\": [{}]}}", list.join(", "))
                })
                .collect();
            let (name, text) = match ndjson {
                true => ("events.ndjson", objects.join("\n") + "\n"),
                false => ("export.json", format!("[{}]", objects.join(",\n "))),
            };
            let (copy, _) = mask_as(name, text.as_bytes(), 1 << 20, all(strategy));
            let parse = |bytes: &[u8]| -> Vec<serde_json::Value> {
                serde_json::Deserializer::from_slice(bytes)
                    .into_iter()
                    .collect::<Result<_, _>>()
                    .expect("valid JSON")
            };
            let shapes = |v: Vec<serde_json::Value>| v.iter().map(shape).collect::<Vec<_>>();
            prop_assert_eq!(shapes(parse(&copy)), shapes(parse(text.as_bytes())));
            if strategy != "hash" && strategy != "tokenize" {
                prop_assert!(rescan(name, &copy).is_empty(), "{}", String::from_utf8_lossy(&copy));
            }
        }
    }

    #[test]
    fn a_value_split_across_pieces_is_masked_whole() {
        // A compressed file streams in small chunks: spans run across the
        // pieces the sink is handed.
        let text = "x ana.pop@example.ro y 4539 1488 0343 6467 z\n".repeat(2000);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, text.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        let (copy, findings) = mask_with("log.txt.gz", &gz, 4096);
        assert!(findings.len() >= 4000, "{}", findings.len());
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&copy[..]), &mut plain)
            .unwrap();
        assert_eq!(plain, spliced(text.as_bytes(), &findings));
    }
}
