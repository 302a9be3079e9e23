//! The whole read path on any bytes: sniffing, every decompressor and
//! archive reader, UTF-16 decoding, the CSV, JSON, SQL and record readers,
//! detection. The first byte picks the name the input is read under.
#![no_main]

#[path = "builtin.rs"]
mod builtin;

use libfuzzer_sys::fuzz_target;
use piiscan::config::ScanConfig;
use piiscan::finding::Confidence;

const NAMES: [&str; 8] = [
    "x.txt", "x.csv", "x.json", "x.sql", "x.zip", "x.tar.gz", "x.tsv", "x.html",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else {
        return;
    };
    let (rules, detector) = builtin::rules_and_detector();
    let config = ScanConfig {
        min_confidence: Confidence::Low,
        threads: 1,
        fields: true,
        ..ScanConfig::default()
    };
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let _ = piiscan::scan::scan_with(&config, rules, detector, name, input);
});
