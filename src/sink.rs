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
use crate::input::SkipReason;
use crate::summary::Summary;

/// Receives the engine's results in input order, on one thread.
pub trait Sink {
    /// Findings of the input whose turn it is, in offset order. A large
    /// input hands them over in several batches, before it is done.
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()>;

    /// The input whose findings came last is done.
    fn input_done(&mut self, done: &InputDone<'_>) -> io::Result<()> {
        let _ = done;
        Ok(())
    }

    /// The run is over: `summary` holds its totals.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// What one input (a file, standard input, an archive and all its
/// members) added to the run, beside its findings.
#[derive(Debug, Clone, Copy)]
pub struct InputDone<'a> {
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

    #[test]
    fn a_sink_gets_every_input_in_order_and_the_totals() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [("a.txt", "mail ana.pop@example.ro\n"), ("b.txt", "none\n")] {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let config = ScanConfig {
            paths: vec![dir.path().to_path_buf()],
            progress: false,
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
