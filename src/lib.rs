//! piiscan finds personal data in files, masks it, and reports where it is.
//!
//! Data flows one way through the stages, each its own module:
//!
//! ```text
//! paths ─▶ walk ─▶ unpack ─▶ read (decode, chunk) ─▶ detect (regex ─▶ validate ─▶ context)
//!       ─▶ mask ─▶ Finding ─▶ output (one writer, deterministic order)
//! ```
//!
//! [`scan::run`] wires them together; the binary only turns command-line
//! flags into a [`config::ScanConfig`] and an exit code.
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

pub mod config;
pub mod detect;
pub mod error;
pub mod finding;
pub mod jsonpath;
pub mod layout;
pub mod mask;
pub mod output;
pub mod read;
pub mod rules;
pub mod ruletest;
pub mod scan;
pub mod sink;
pub mod sql;
pub mod summary;
pub mod table;
pub mod unpack;
pub mod validate;
pub mod walk;
