//! The plain settings of a scan. The binary builds one from command-line
//! flags; library users build one directly. No stage below sees CLI types.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use crate::finding::mask::MaskPolicy;
use crate::finding::{Confidence, Severity};
use crate::input::walk::WalkConfig;
use crate::output::Format;

/// Everything `scan` needs besides the rules.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// Files, folders, or `-` for standard input.
    pub paths: Vec<PathBuf>,
    /// Which files under the folders to scan.
    pub walk: WalkConfig,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Findings below this confidence are dropped.
    pub min_confidence: Confidence,
    /// The lowest severity that makes the exit code 1; `None` never does.
    pub fail_on: Option<Severity>,
    /// How much of a card number findings may show.
    pub mask: MaskPolicy,
    /// Key of the fingerprint HMAC (and of `hash` and `tokenize`): the
    /// binary takes it from [`crate::key::Key::resolve`]; empty by default,
    /// which only suits tests (fingerprints under a known key can be
    /// reversed for short values).
    pub fingerprint_key: Vec<u8>,
    /// The output format.
    pub format: Format,
    /// The progress line to draw on stderr, if any (the caller decides
    /// whether stderr is a terminal, and writes there through it).
    pub progress: Option<crate::scan::progress::Bar>,
    /// How text output looks.
    pub text: crate::output::TextStyle,
    /// Bytes per chunk when streaming (standard input, compressed and
    /// UTF-16 data); memory per thread is about this much.
    pub chunk_size: usize,
    /// Bounds on decompression and archive nesting.
    pub limits: crate::input::unpack::Limits,
    /// Keep every delimited file's per-column counts in the summary (for
    /// the coverage file); off, memory does not grow with the file count.
    pub column_stats: bool,
    /// Give each finding in a structured input the extent of its field
    /// ([`crate::finding::Finding::field`]), for masking that keeps the
    /// file valid.
    pub fields: bool,
    /// Give each finding its keyed fingerprint (on by default: every output
    /// format shows it); off, findings carry [`Fingerprint::UNSET`], for a
    /// run that only masks or counts and saves an HMAC per finding.
    ///
    /// [`Fingerprint::UNSET`]: crate::finding::Fingerprint::UNSET
    pub fingerprints: bool,
    /// Look for inline `piiscan:allow` markers and set
    /// [`crate::finding::Finding::allowed`] on the findings they cover
    /// (`scan` does; masking and reports count every value).
    pub allow_markers: bool,
    /// Set from outside (a signal handler) to stop the run early: inputs
    /// not started are not scanned and the sink is not finished.
    pub stop: Arc<AtomicBool>,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            paths: vec![PathBuf::from(".")],
            walk: WalkConfig::default(),
            threads: 0,
            min_confidence: Confidence::Medium,
            fail_on: Some(Severity::Low),
            mask: MaskPolicy::default(),
            fingerprint_key: Vec::new(),
            format: Format::Text,
            progress: None,
            text: crate::output::TextStyle::default(),
            chunk_size: crate::input::read::STREAM_CHUNK,
            limits: crate::input::unpack::Limits::default(),
            column_stats: false,
            fields: false,
            fingerprints: true,
            allow_markers: false,
            stop: Arc::default(),
        }
    }
}
