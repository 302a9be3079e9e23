//! The built-in rules and a detector at `low`, built once per fuzz process
//! and shared by the targets that scan.

use std::sync::OnceLock;

use piiscan::detect::Detector;
use piiscan::finding::Confidence;
use piiscan::rules::RuleSet;

/// The built-in rule set and its detector at `low`.
pub fn rules_and_detector() -> &'static (RuleSet, Detector) {
    static BUILT: OnceLock<(RuleSet, Detector)> = OnceLock::new();
    BUILT.get_or_init(|| {
        let rules = RuleSet::builtin().expect("built-in rules");
        let detector = Detector::with_min_confidence(&rules, Confidence::Low).expect("detector");
        (rules, detector)
    })
}
