//! piiscan finds personal data in files, masks it, and reports where it is.
//!
//! Data flows one way, each stage a folder or module that imports only
//! from the stages before it:
//!
//! ```text
//!  rules/   TOML files ─▶ RuleSet  (vocab: shared word lists)
//!     │                 validate/  checksums, dates, names, by family
//!     ▼
//!  input/   walk ─▶ open (archives, compressed streams) ─▶ read (sniff,
//!     │     decode, chunks): a flat stream of documents and gaps
//!     ▼
//!  scan/    order ─▶ scanner ─▶ pieces ─▶ join: inputs in parallel, large
//!     │     ones split across threads and joined as if read whole
//!     │        ▲  └─▶ detect/  compile ─▶ search ─▶ validate ─▶ context
//!     │        │  formats/     table, jsonpath, sql: rows, key paths and
//!     │        │               column names beside detection
//!     │     finding/ mask, fingerprint ─▶ Finding
//!     ▼
//!  sink     the seam: findings, text and totals in input order
//!     ▼
//!  gate/    scan's Gate is a Sink in front of a reporter: inline markers,
//!     │     the settings file's allowlist (settings), the baseline, the
//!     │     git change (input/git) ─▶ new or accepted findings
//!     ▼
//!  output/  a reporter per format (text, json, ndjson, csv, sarif,
//!           github, junit) is a Sink
//!  mask/    the Masker is a Sink: copies rewritten as the text streams
//!  report/  the Tally is a Sink: counts per file and column ─▶ checks
//!           ─▶ the minimisation report (text, json, csv)
//! ```
//!
//! [`scan::run`] is the pipeline, written once: it hands each input's
//! findings (and its text, to a sink that asks) in order to a [`Sink`]:
//! `scan`'s reporters today, a rewriter or an aggregator for the commands
//! that mask or report. The binary only turns command-line flags into a
//! [`ScanConfig`] and an exit code.
//!
//! The facade: [`run`] and [`scan_reader`] with a [`ScanConfig`], a
//! [`RuleSet`] and a [`Sink`]; [`Detector`] for detection alone; every
//! result a [`Finding`], which holds a masked value and a keyed
//! fingerprint, never the value itself.
//!
//! ```
//! use piiscan::{Detector, RuleSet};
//!
//! let rules = RuleSet::builtin().unwrap();
//! let detector = Detector::new(&rules).unwrap();
//! let hits = detector.find_all(b"card: 4539 1488 0343 6467");
//! assert_eq!(&*rules.get(hits[0].rule).kind, "credit_card");
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod clock;
pub mod config;
pub mod detect;
pub mod error;
pub mod finding;
pub mod formats;
pub mod gate;
pub mod input;
pub mod key;
pub mod mask;
pub mod output;
pub mod paths;
pub mod report;
pub mod rules;
pub(crate) mod sanitize;
pub mod scan;
pub mod settings;
pub mod sink;
pub mod spool;
pub mod summary;
pub mod validate;
pub(crate) mod vocab;

pub use crate::config::ScanConfig;
pub use crate::detect::Detector;
pub use crate::finding::Finding;
pub use crate::rules::RuleSet;
pub use crate::scan::{run, scan_reader, Outcome};
pub use crate::sink::Sink;

/// Cases per property test: `n`, or eight times as many when
/// `PIISCAN_LONG_TESTS` is set (`.ci/run` sets it; a local `cargo test`
/// stays quick).
#[cfg(test)]
pub(crate) fn proptest_cases(n: u32) -> u32 {
    if std::env::var_os("PIISCAN_LONG_TESTS").is_some() {
        n * 8
    } else {
        n
    }
}
