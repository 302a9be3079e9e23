//! The seam between the engine and what a command does with its results.
//!
//! The pipeline ([`crate::scan::run`]) is written once: it walks, unpacks,
//! reads, splits large inputs across threads, joins their pieces and keeps
//! the input order. Whatever the thread count, it hands a [`Sink`] each
//! input's findings in path and offset order, then what the input added to
//! the totals, on one thread. `scan`'s findings writers are sinks (every
//! [`crate::output::Reporter`] is one); a command that masks or aggregates is another
//! sink, not another pipeline.

use std::io;
use std::sync::Arc;

use crate::finding::Finding;
use crate::formats::table::ColumnStats;
pub use crate::input::open::Encoding;
use crate::input::SkipReason;
use crate::summary::Summary;

/// Receives the engine's results in input order, on one thread.
pub trait Sink {
    /// True for a sink that needs the scanned text itself (a rewriter), not
    /// just the findings: the pipeline then hands it [`Sink::content`] too.
    /// Off by default, so a scan never copies what it reads.
    fn wants_content(&self) -> bool {
        false
    }

    /// Findings of the input whose turn it is, in offset order. A large
    /// input hands them over in several batches, before it is done.
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()>;

    /// The next bytes of a scanned document (a file, standard input, an
    /// archive member), in order and without gaps, for a sink that
    /// [`Sink::wants_content`]. Every finding that starts before the end of
    /// `content` has been handed over before it, so a rewriter can write
    /// the bytes out as they come.
    fn content(&mut self, content: &Content<'_>) -> io::Result<()> {
        let _ = content;
        Ok(())
    }

    /// The input whose findings came last is done.
    fn input_done(&mut self, done: &InputDone<'_>) -> io::Result<()> {
        let _ = done;
        Ok(())
    }

    /// The run is over: `summary` holds its totals.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// A piece of a document's text, in order: see [`Sink::content`].
#[derive(Clone, Copy)]
pub struct Content<'a> {
    /// The input the document is (a file) or is in (an archive).
    pub input: &'a Arc<str>,
    /// The document, named as its findings name it (`outer.zip!inner.csv`).
    pub path: &'a Arc<str>,
    /// Offset of `bytes[0]` in the document's own bytes (after a UTF-16
    /// byte-order mark, which is not part of any piece).
    pub offset: u64,
    /// The text.
    pub bytes: &'a [u8],
    /// [`Encoding::Utf8`]: the document's bytes as they are.
    /// [`Encoding::Utf16`]: UTF-16 decoded to UTF-8; each character stands
    /// for 2 or 4 bytes of the document, an unpaired surrogate (2 bytes)
    /// for U+FFFD, so encoding the text again gives the document's offsets.
    pub encoding: Encoding,
}

/// Never the text itself: it holds the values findings mask.
impl std::fmt::Debug for Content<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Content")
            .field("path", &self.path)
            .field("offset", &self.offset)
            .field("len", &self.bytes.len())
            .field("encoding", &self.encoding)
            .finish()
    }
}

/// What one input (a file, standard input, an archive and all its
/// members) added to the run, beside its findings.
#[derive(Debug, Clone, Copy)]
pub struct InputDone<'a> {
    /// The input, as findings name it (`-` for standard input).
    pub path: &'a Arc<str>,
    /// Bytes examined.
    pub bytes: u64,
    /// Files examined: 1 for a text file, the members of an archive.
    pub files: u64,
    /// Every part not fully examined, and why.
    pub gaps: &'a [(Arc<str>, SkipReason)],
    /// Per-column cell counts of each delimited file (or member).
    pub tables: &'a [(Arc<str>, Vec<ColumnStats>)],
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ScanConfig;
    use crate::rules::RuleSet;

    /// A sink that only counts, as `report` would aggregate.
    #[derive(Default)]
    struct Counter {
        findings: usize,
        inputs: usize,
        bytes: u64,
        finished: bool,
    }

    impl Sink for Counter {
        fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
            self.findings += findings.len();
            Ok(())
        }

        fn input_done(&mut self, done: &InputDone<'_>) -> io::Result<()> {
            self.inputs += 1;
            self.bytes += done.bytes;
            Ok(())
        }

        fn finish(&mut self, summary: &Summary) -> io::Result<()> {
            assert_eq!(summary.bytes, self.bytes);
            self.finished = true;
            Ok(())
        }
    }

    /// A finding's (path, start, end).
    type Span = (String, u64, u64);
    /// A piece of text: (path, offset, text, encoding).
    type Piece = (String, u64, Vec<u8>, Encoding);

    /// What a rewriter sees: every event, in order.
    #[derive(Default)]
    struct Recorder {
        /// Findings (`Ok`) and text (`Err`), in arrival order.
        events: Vec<Result<Span, Piece>>,
    }

    impl Sink for Recorder {
        fn wants_content(&self) -> bool {
            true
        }

        fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
            let spans = findings
                .iter()
                .map(|f| Ok((f.path.to_string(), f.start, f.end)));
            self.events.extend(spans);
            Ok(())
        }

        fn content(&mut self, c: &Content<'_>) -> io::Result<()> {
            let piece = (c.path.to_string(), c.offset, c.bytes.to_vec(), c.encoding);
            self.events.push(Err(piece));
            Ok(())
        }

        fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
            Ok(())
        }
    }

    /// A rewriter built on the sink alone gets each document's text whole
    /// and in order, after every finding that starts in it, in small
    /// pieces (a compressed stream split into 64-byte chunks), in a large
    /// file split into pieces, and decoded from UTF-16.
    #[test]
    fn a_rewriter_gets_every_document_whole_after_its_findings() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let line = "Ana Pop <ana.pop@example.ro> paid with 4539 1488 0343 6467.\n";
        let text = format!(
            "{}id,\"note\nmore\",email\n1,x,wei.zhang@example.com\n",
            line.repeat(40)
        );
        std::fs::write(dir.path().join("a.txt"), &text).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text.as_bytes()).unwrap();
        std::fs::write(dir.path().join("b.txt.gz"), gz.finish().unwrap()).unwrap();
        let large = line.repeat((crate::input::read::PARALLEL_MIN as usize) / line.len() + 1000);
        std::fs::write(dir.path().join("c.log"), &large).unwrap();
        let utf16: Vec<u8> = (text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        std::fs::write(
            dir.path().join("d.txt"),
            [&[0xff, 0xfe][..], &utf16].concat(),
        )
        .unwrap();

        let config = ScanConfig {
            paths: vec![dir.path().to_path_buf()],
            progress: None,
            chunk_size: 64,
            threads: 2,
            ..ScanConfig::default()
        };
        let mut sink = Recorder::default();
        let rules = RuleSet::builtin().unwrap();
        crate::scan::run(&config, &rules, &mut sink, &mut |_| {}).unwrap();

        let name = |f: &str| dir.path().join(f).to_string_lossy().into_owned();
        let expected = [
            (name("a.txt"), text.as_bytes().to_vec()),
            (name("b.txt.gz"), text.as_bytes().to_vec()),
            (name("c.log"), large.into_bytes()),
            (name("d.txt"), utf16),
        ];
        for (path, original) in expected {
            let mut rebuilt = Vec::new();
            let mut seen: Vec<(u64, u64)> = Vec::new();
            for event in &sink.events {
                match event {
                    Ok((p, start, end)) if *p == path => seen.push((*start, *end)),
                    Err((p, offset, bytes, encoding)) if *p == path => {
                        let bytes: Vec<u8> = match encoding {
                            Encoding::Utf8 => bytes.clone(),
                            Encoding::Utf16 { .. } => (std::str::from_utf8(bytes).unwrap())
                                .encode_utf16()
                                .flat_map(u16::to_le_bytes)
                                .collect(),
                        };
                        let skip =
                            u64::from(matches!(encoding, Encoding::Utf16 { bom: true, .. })) * 2;
                        assert_eq!(*offset, rebuilt.len() as u64 + skip, "{path}: in order");
                        rebuilt.extend_from_slice(&bytes);
                        let end = offset + bytes.len() as u64;
                        let later = (sink.events.iter())
                            .skip_while(|e| !std::ptr::eq(*e, event))
                            .filter_map(|e| e.as_ref().ok())
                            .any(|(p, start, _)| *p == path && *start < end);
                        assert!(!later, "{path}: a finding before {end} came after its text");
                    }
                    _ => {}
                }
            }
            assert_eq!(rebuilt, original, "{path}: text whole");
            assert!(seen.len() >= 40, "{path}: {} findings", seen.len());
        }
    }

    #[test]
    fn a_sink_gets_every_input_and_the_totals() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [("a.txt", "mail ana.pop@example.ro\n"), ("b.txt", "none\n")] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let config = ScanConfig {
            paths: vec![dir.path().to_path_buf()],
            progress: None,
            ..ScanConfig::default()
        };
        let rules = RuleSet::builtin().unwrap();
        let mut sink = Counter::default();
        let outcome = crate::scan::run(&config, &rules, &mut sink, &mut |_| {}).unwrap();
        assert_eq!((sink.findings, sink.inputs, sink.bytes), (1, 2, 29));
        assert!(sink.finished);
        assert_eq!(outcome.summary.findings, 1);
    }
}
