//! Runs every rule's own examples through the scan path `scan` uses
//! (reader, layout, prefilter, regex, validators, context, overlap
//! resolution, mask), with all loaded rules competing as in a real scan.
//! `piiscan rules test` and the test suite call the same function.

use crate::config::ScanConfig;
use crate::detect::Detector;
use crate::error::Error;
use crate::error::RuleProblem;
use crate::finding::Confidence;
use crate::rules::{Rule, RuleSet};

/// The outcome of testing a rule set.
#[derive(Debug, Default)]
pub struct TestReport {
    /// Examples and negatives that behaved as expected.
    pub passed: usize,
    /// Every one that did not, with where and why.
    pub failures: Vec<RuleProblem>,
}

/// Tests every example and negative of every rule in `rules`.
pub fn test_rules(rules: &RuleSet) -> Result<TestReport, Error> {
    let detector = Detector::with_min_confidence(rules, Confidence::Low)?;
    let config = ScanConfig {
        min_confidence: Confidence::Low,
        threads: 1,
        ..ScanConfig::default()
    };
    let streams = crate::scan::Streams::new(&config, rules, &detector)?;
    let mut report = TestReport::default();
    for (index, rule) in rules.rules().iter().enumerate() {
        for (i, example) in rule.examples.iter().enumerate() {
            let found = findings_of(&streams, rules, index, &example.text)?;
            let masked: Vec<&str> = found.iter().map(|(m, _)| m.as_str()).collect();
            let weak = found.iter().find(|(_, c)| *c < example.confidence);
            if masked != example.masked {
                report.fail(
                    rule,
                    &format!("examples[{i}]"),
                    format!("expected {:?}, found {masked:?}", example.masked),
                );
            } else if let Some((m, c)) = weak {
                report.fail(
                    rule,
                    &format!("examples[{i}]"),
                    format!(
                        "`{m}` found at {c} confidence, expected {}",
                        example.confidence
                    ),
                );
            } else {
                report.passed += 1;
            }
        }
        for (i, text) in rule.negatives.iter().enumerate() {
            let found = findings_of(&streams, rules, index, text)?;
            if found.is_empty() {
                report.passed += 1;
            } else {
                let masked: Vec<_> = found.iter().map(|(m, c)| format!("{m} ({c})")).collect();
                report.fail(
                    rule,
                    &format!("negatives[{i}]"),
                    format!("must find nothing, found {masked:?}"),
                );
            }
        }
    }
    Ok(report)
}

impl TestReport {
    fn fail(&mut self, rule: &Rule, field: &str, message: String) {
        self.failures.push(RuleProblem {
            file: rule.origin.file.clone(),
            line: Some(rule.origin.line),
            rule: Some(rule.id.to_string()),
            field: Some(field.to_string()),
            message,
        });
    }
}

/// Masked values and confidences of the findings of rule `index` in `text`,
/// scanned as `scan` scans a file: a column rule's examples as a delimited
/// file (a header, then rows), the others as plain text.
fn findings_of(
    streams: &crate::scan::Streams<'_>,
    rules: &RuleSet,
    index: usize,
    text: &str,
) -> Result<Vec<(String, Confidence)>, Error> {
    let rule = rules.get(index);
    let name = if rule.column_only {
        "example.csv"
    } else {
        "example.txt"
    };
    let result = streams.scan(name, text.as_bytes())?;
    Ok((result.findings.into_iter())
        .filter(|f| f.rule == rule.id)
        .map(|f| (f.masked, f.confidence))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_example_passes_through_the_whole_pipeline() {
        let rules = RuleSet::builtin().unwrap();
        let report = test_rules(&rules).unwrap();
        let shown: Vec<String> = report.failures.iter().map(ToString::to_string).collect();
        assert!(report.failures.is_empty(), "{}", shown.join("\n"));
        let expected: usize = rules
            .rules()
            .iter()
            .map(|r| r.examples.len() + r.negatives.len())
            .sum();
        assert_eq!(report.passed, expected);
    }

    #[test]
    fn a_wrong_expectation_is_reported() {
        let text = r#"
[[rule]]
id = "five-digits"
kind = "test"
category = "contact"
severity = "low"
description = "d"
pattern = '\b\d{5}\b'
examples = [{ text = "a 12345", masked = "*****" }, { text = "a 12345", masked = "wrong" }]
negatives = ["67890"]
"#;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        std::fs::write(&path, text).unwrap();
        let rules = RuleSet::load(&[path], false).unwrap();
        let report = test_rules(&rules).unwrap();
        assert_eq!(report.passed, 1);
        assert_eq!(report.failures.len(), 2);
        assert_eq!(report.failures[0].field.as_deref(), Some("examples[1]"));
        assert_eq!(report.failures[1].field.as_deref(), Some("negatives[0]"));
    }
}
