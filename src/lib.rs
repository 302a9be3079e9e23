//! piiscan finds personal data in files, masks it, and reports where it is.
//!
//! Data flows one way, each stage a folder or module that imports only
//! from the stages before it:
//!
//! ```text
//!  rules/ (TOML ─▶ RuleSet, examples) ── validate/ (checksums, dates, names)
//!     │
//!     ▼
//!  input/ ─────────────▶ scan/ ───────────────────────────────▶ sink ─▶ output/
//!  walk ─▶ unpack ─▶ read   order, threads, split and join       Sink    text, json,
//!  (paths, archives,        │        ▲                          trait   ndjson, csv
//!   decode, chunks)         ▼        │ positions                        (Reporters)
//!                   detect/ ◀── formats/ (table, jsonpath, sql)
//!                   regex ─▶ validate ─▶ context ─▶ Hit
//!                           │
//!                           ▼
//!                   finding/ (mask, fingerprint) ─▶ Finding
//! ```
//!
//! [`scan::run`] is the pipeline, written once: it hands each input's
//! findings, in order, to a [`sink::Sink`] — `scan`'s reporters today, a
//! rewriter or an aggregator for the commands that mask or report. The
//! binary only turns command-line flags into a [`config::ScanConfig`] and
//! an exit code. [`sanitize`] is a leaf any stage may use to name a path.
//!
//! ```
//! use piiscan::{detect::Detector, rules::RuleSet};
//!
//! let rules = RuleSet::builtin().unwrap();
//! let detector = Detector::new(&rules).unwrap();
//! let hits = detector.find_all(b"card: 4539 1488 0343 6467");
//! assert_eq!(&*rules.get(hits[0].rule).kind, "credit_card");
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod config;
pub mod detect;
pub mod error;
pub mod finding;
pub mod formats;
pub mod input;
pub mod output;
pub mod rules;
pub mod sanitize;
pub mod scan;
pub mod sink;
pub mod summary;
pub mod validate;
pub mod vocab;
