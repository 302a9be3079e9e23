//! The whole read path on any bytes: sniffing, every decompressor and
//! archive reader, UTF-16 decoding, the CSV, JSON, SQL and record readers,
//! detection. The first byte picks the name the input is read under.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use piiscan::config::ScanConfig;
use piiscan::detect::Detector;
use piiscan::finding::Confidence;
use piiscan::rules::RuleSet;

const NAMES: [&str; 8] = [
    "x.txt", "x.csv", "x.json", "x.sql", "x.zip", "x.tar.gz", "x.tsv", "x.html",
];

fn setup() -> &'static (RuleSet, Detector, ScanConfig) {
    static SETUP: OnceLock<(RuleSet, Detector, ScanConfig)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let rules = RuleSet::builtin().expect("built-in rules");
        let detector = Detector::with_min_confidence(&rules, Confidence::Low).expect("detector");
        let config = ScanConfig {
            min_confidence: Confidence::Low,
            threads: 1,
            fields: true,
            ..ScanConfig::default()
        };
        (rules, detector, config)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, input)) = data.split_first() else {
        return;
    };
    let (rules, detector, config) = setup();
    let name = NAMES[usize::from(pick) % NAMES.len()];
    let _ = piiscan::scan::scan_with(config, rules, detector, name, input);
});
