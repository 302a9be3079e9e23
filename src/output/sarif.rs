//! SARIF 2.1.0 output, for code-scanning services (GitHub uploads it as
//! it is): one `reportingDescriptor` per loaded rule with its help, one
//! result per finding with the masked value as its snippet, the
//! fingerprint in `partialFingerprints`, and what the gate accepted as
//! suppressed results (`inSource` for a marker, `external` for the
//! allowlist and the baseline), with `baselineState` when a baseline is
//! in use. Results are streamed: the header, then each result as it comes.
//!
//! Columns are left out: piiscan counts bytes, SARIF counts characters;
//! the region gives the line and the byte offset and length instead.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::sync::Arc;

use serde_json::{json, Value};

use super::Reporter;
use crate::finding::{Finding, Severity};
use crate::gate::Suppression;
use crate::paths::RepoPaths;
use crate::rules::RuleSet;

/// The schema the output follows.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of piiscan's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "piiscan/v1";

/// Writes one SARIF log with one run.
pub struct SarifReporter<W: Write> {
    out: BufWriter<W>,
    /// Rule ids to their index in the run's rules.
    index: HashMap<Arc<str>, usize>,
    /// The tool and its rules, until written with the log's opening.
    tool: Option<Value>,
    baseline: bool,
    results: u64,
    paths: RepoPaths,
}

impl<W: Write> SarifReporter<W> {
    /// A reporter writing to `out`, describing `rules`; with `baseline`,
    /// every result says whether it is new; files named as `paths` says.
    pub fn new(out: W, rules: &RuleSet, baseline: bool, paths: RepoPaths) -> Self {
        let descriptors: Vec<Value> = rules.rules().iter().map(descriptor).collect();
        let index = rules
            .rules()
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let tool = json!({"driver": {
            "name": "piiscan",
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": descriptors,
        }});
        SarifReporter {
            out: BufWriter::with_capacity(64 * 1024, out),
            index,
            tool: Some(tool),
            baseline,
            results: 0,
            paths,
        }
    }

    /// Writes the log up to the opening of `results` (once).
    fn open(&mut self) -> io::Result<()> {
        let Some(tool) = self.tool.take() else {
            return Ok(());
        };
        let tool = super::safe_json::to_string(&tool)?;
        write!(
            self.out,
            "{{\n  \"$schema\": \"{SCHEMA}\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \
             \"tool\": {tool},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": ["
        )
    }

    fn result(&mut self, f: &Finding, suppression: Option<&Suppression>) -> io::Result<()> {
        self.open()?;
        let mut result = json!({
            "ruleId": &*f.rule,
            "level": level(f.severity),
            "message": {"text": format!(
                "{} ({}, {} severity, {} confidence): {}",
                kind_words(&f.kind), f.kind, f.severity, f.confidence, f.masked
            )},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri(&self.paths.of(&f.path))},
                "region": {
                    "startLine": f.line,
                    "byteOffset": f.start,
                    "byteLength": f.end - f.start,
                    "snippet": {"text": &f.masked},
                },
            }}],
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint.as_str()},
            "properties": {
                "kind": &*f.kind,
                "category": f.category.as_str(),
                "severity": f.severity.as_str(),
                "confidence": f.confidence.as_str(),
            },
        });
        if let Some(&i) = self.index.get(&f.rule) {
            result["ruleIndex"] = json!(i);
        }
        if self.baseline {
            let state = match suppression {
                Some(Suppression::Baseline) => "unchanged",
                _ => "new",
            };
            result["baselineState"] = json!(state);
        }
        if let Some(why) = suppression {
            let kind = if why.in_source() {
                "inSource"
            } else {
                "external"
            };
            result["suppressions"] = json!([{
                "kind": kind,
                "status": "accepted",
                "justification": why.justification(),
            }]);
        }
        let sep = if self.results == 0 {
            "\n        "
        } else {
            ",\n        "
        };
        self.results += 1;
        self.out.write_all(sep.as_bytes())?;
        super::safe_json::write(&mut self.out, &result, false)
    }
}

impl<W: Write> Reporter for SarifReporter<W> {
    fn finding(&mut self, f: &Finding) -> io::Result<()> {
        self.result(f, None)
    }

    fn suppressed(&mut self, f: &Finding, why: &Suppression) -> io::Result<()> {
        self.result(f, Some(why))
    }

    fn finish(&mut self) -> io::Result<()> {
        self.open()?;
        let close = match self.results {
            0 => "]\n    }\n  ]\n}\n",
            _ => "\n      ]\n    }\n  ]\n}\n",
        };
        self.out.write_all(close.as_bytes())?;
        self.out.flush()
    }
}

/// A rule as SARIF describes it.
fn descriptor(rule: &crate::rules::Rule) -> Value {
    let words = kind_words(&rule.kind);
    let text = format!(
        "{} Found as `{}` ({} data, {} severity). Remove it where it is not needed \
         (GDPR Art. 5(1)(c), data minimisation), or write a masked copy with \
         `piiscan mask --strategy {}=redact`. If it is a synthetic or published value, \
         accept it with a `piiscan:allow {}` marker on its line, an [[allow]] entry in \
         piiscan.toml, or the baseline.",
        rule.description, rule.kind, rule.category, rule.severity, rule.kind, rule.kind
    );
    let markdown = format!(
        "**{words}** (`{}`, {} data, {} severity)\n\n{}\n\n\
         - Remove it where it is not needed (GDPR Art. 5(1)(c), data minimisation; \
         PCI DSS 3.4 for card numbers).\n\
         - Or write a masked copy: `piiscan mask --strategy {}=redact`.\n\
         - A synthetic or published value: accept it with `piiscan:allow {}` on its \
         line, an `[[allow]]` entry in `piiscan.toml`, or the baseline.",
        rule.kind, rule.category, rule.severity, rule.description, rule.kind, rule.kind
    );
    let mut tags = vec![
        "privacy",
        "personal-data",
        rule.category.as_str(),
        &*rule.kind,
    ];
    tags.dedup();
    json!({
        "id": &*rule.id,
        "name": pascal(&rule.id),
        "shortDescription": {"text": words},
        "fullDescription": {"text": &rule.description},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {
            "tags": tags,
            "security-severity": security_severity(rule.severity),
            "precision": match rule.confidence {
                crate::finding::Confidence::High => "high",
                crate::finding::Confidence::Medium => "medium",
                crate::finding::Confidence::Low => "low",
            },
        },
    })
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like score as a string): it ranks
/// alerts as critical (9+), high (7+), medium (4+) or low.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// `credit_card` as words: `Credit card`, `ip_address` as `IP address`.
fn kind_words(kind: &str) -> String {
    // Short words of a kind are acronyms (`ip`, `us ssn`, `vat id`).
    let word = |w: &str| match w {
        "of" | "and" | "or" | "to" | "tax" => w.to_string(),
        _ if w.len() <= 3 || matches!(w, "iban" | "nino" | "swift") => w.to_uppercase(),
        _ => w.to_string(),
    };
    let words: Vec<String> = kind.split('_').map(word).collect();
    let words = words.join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// `credit-card` as `CreditCard`, SARIF's convention for rule names.
fn pascal(id: &str) -> String {
    id.split(['-', '_'])
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .into_iter()
                .flat_map(char::to_uppercase)
                .chain(chars)
        })
        .collect()
}

/// A repository path as a URI reference: relative (GitHub matches it
/// against the repository), `file://` when absolute, every byte outside
/// RFC 3986's unreserved and path characters escaped.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b'!' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(findings: &[(Finding, Option<Suppression>)], baseline: bool) -> Value {
        let rules = RuleSet::builtin().unwrap();
        let mut out = Vec::new();
        {
            let mut r = SarifReporter::new(&mut out, &rules, baseline, RepoPaths::default());
            for (f, why) in findings {
                match why {
                    Some(why) => r.suppressed(f, why).unwrap(),
                    None => r.finding(f).unwrap(),
                }
            }
            r.finish().unwrap();
        }
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn an_empty_run_is_a_whole_log() {
        let log = log(&[], false);
        assert_eq!(log["version"], "2.1.0");
        assert_eq!(log["runs"][0]["results"], json!([]));
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert!(rules.len() > 40);
        assert!(rules.iter().all(|r| r["help"]["text"].as_str().is_some()));
    }

    #[test]
    fn results_carry_masked_values_fingerprints_and_suppressions() {
        let f = crate::output::tests::sample("./a b/c.csv", 3, "************1111");
        let log = log(
            &[
                (f.clone(), None),
                (f.clone(), Some(Suppression::Baseline)),
                (f, Some(Suppression::Inline("test card".into()))),
            ],
            true,
        );
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        let first = &results[0];
        assert_eq!(first["ruleId"], "credit-card");
        assert_eq!(first["level"], "error");
        assert_eq!(first["baselineState"], "new");
        let location = &first["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "a%20b/c.csv");
        assert_eq!(location["region"]["startLine"], 3);
        assert_eq!(location["region"]["snippet"]["text"], "************1111");
        assert_eq!(
            first["partialFingerprints"][FINGERPRINT_KEY],
            "0123456789abcdef0123456789abcdef"
        );
        assert_eq!(results[1]["baselineState"], "unchanged");
        assert_eq!(results[1]["suppressions"][0]["kind"], "external");
        assert_eq!(results[2]["suppressions"][0]["kind"], "inSource");
        assert_eq!(
            results[2]["suppressions"][0]["justification"],
            "piiscan:allow: test card"
        );
        let index = first["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["rules"][index]["id"],
            "credit-card"
        );
    }

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal("credit-card"), "CreditCard");
        assert_eq!(kind_words("us_ssn"), "US SSN");
        assert_eq!(kind_words("iban"), "IBAN");
        assert_eq!(kind_words("date_of_birth"), "Date of birth");
        assert_eq!(kind_words("de_tax_id"), "DE tax ID");
        assert_eq!(uri("/tmp/x y.csv"), "file:///tmp/x%20y.csv");
        assert_eq!(uri("a.zip!in/é.csv"), "a.zip!in/%C3%A9.csv");
    }
}
