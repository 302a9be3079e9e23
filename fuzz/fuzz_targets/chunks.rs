//! The chunker: an input read in small chunks gives the findings it gives
//! read in one piece, wherever the chunks split it.
#![no_main]

#[path = "builtin.rs"]
mod builtin;

use libfuzzer_sys::fuzz_target;
use piiscan::config::ScanConfig;
use piiscan::finding::Confidence;

fn found(chunk_size: usize, name: &str, input: &[u8]) -> Option<Vec<(String, u64, u64)>> {
    let (rules, detector) = builtin::rules_and_detector();
    let config = ScanConfig {
        min_confidence: Confidence::Low,
        threads: 1,
        chunk_size,
        ..ScanConfig::default()
    };
    let result = piiscan::scan::scan_with(&config, rules, detector, name, input).ok()?;
    Some(
        result
            .findings
            .iter()
            .map(|f| (f.rule.to_string(), f.start, f.end))
            .collect(),
    )
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else {
        return;
    };
    // Text only: the same bytes as a stream of small chunks and as one.
    let name = if pick & 1 == 0 { "x.txt" } else { "x.csv" };
    let small = 64 + usize::from(pick >> 1) * 8;
    let whole = found(1 << 20, name, input);
    let split = found(small, name, input);
    assert_eq!(whole, split, "chunks of {small} bytes");
});
