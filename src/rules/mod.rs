//! Rules are data: one TOML file per family under `rules/`, embedded at
//! build time, plus any files given with `--rules`. Loading checks every
//! field of every rule and reports all problems with file, line, rule id and
//! field, so `rules check` and a failed scan say everything at once.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex_automata::util::syntax;
use regex_syntax::hir::{Class, Hir, HirKind};
use toml::{Spanned, Table, Value};

use crate::error::{RuleErrors, RuleProblem};
use crate::finding::mask::MaskSpec;
use crate::finding::{Category, Confidence, Normalize, Severity};
use crate::validate::Validator;

mod bytes;
mod cost;
mod load;

pub use self::bytes::ByteSet;
pub use self::load::rule_files;
use self::load::Loader;

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// A rule selection that names something no loaded rule has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// `--only` or `--disable` named neither a rule id nor a kind.
    #[error("`{0}` is neither a rule id nor a kind of a loaded rule (see `piiscan rules list`)")]
    Rule(String),
    /// `--country` named a country no rule belongs to.
    #[error("no rule belongs to country `{0}` (see `piiscan rules list`)")]
    Country(String),
}

/// The longest match any rule may produce. Chunks of large files overlap by
/// the longest match of the loaded rules, so this bounds the overlap.
pub const MAX_MATCH_LEN: usize = 4096;

/// The kinds of personal data users and CI rely on (CONTRACT.md).
pub const KINDS: &[&str] = &[
    "email",
    "credit_card",
    "iban",
    "phone",
    "ip_address",
    "mac_address",
    "swift_bic",
    "vat_id",
    "date_of_birth",
    "passport",
    "person_name",
    "postal_address",
    "us_ssn",
    "us_itin",
    "ca_sin",
    "uk_nino",
    "uk_nhs",
    "fr_nir",
    "de_tax_id",
    "es_dni",
    "es_nie",
    "it_fiscal_code",
    "nl_bsn",
    "be_national_number",
    "pl_pesel",
    "ro_cnp",
    "se_personnummer",
    "in_aadhaar",
    "in_pan",
    "br_cpf",
    "au_tfn",
    "us_npi",
    "credential",
];

/// The regex dialect of rule patterns: ASCII classes and word boundaries by
/// default (fast, and what identifiers are made of), matching raw bytes so
/// files need not be valid UTF-8. `(?u:…)` turns Unicode on locally.
pub fn syntax_config() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

/// One detection rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique id, e.g. `credit-card`.
    pub id: Arc<str>,
    /// Kind of personal data.
    pub kind: Arc<str>,
    /// Family of the kind.
    pub category: Category,
    /// Harm of a leak.
    pub severity: Severity,
    /// One sentence for `rules list`.
    pub description: String,
    /// The regex (see [`syntax_config`]).
    pub pattern: String,
    /// Literals one of which must occur in a chunk for the rule to run
    /// there; empty means the rule always runs.
    pub keywords: Vec<String>,
    /// Checks every match must pass.
    pub validators: Vec<Validator>,
    /// Whole words near a match that raise confidence one level.
    pub context: Vec<String>,
    /// Drop matches with no context word nearby.
    pub context_required: bool,
    /// Whole words that, as the label right before a match or as its
    /// column's name, say the value is something else (an order or invoice
    /// number): they lower confidence one level when no context word is
    /// near.
    pub not_context: Vec<String>,
    /// Run only on the cells of a delimited-file column whose header holds
    /// one of the context words (values such as a bare surname are
    /// personal data by their column, not by their look).
    pub column_only: bool,
    /// Run only on the phrase right after a context word: past blanks,
    /// `,`, `:` and at most one line break (with a quoted reply's `>`), to
    /// the end of the phrase. A greeting, a sign-off or a mail header
    /// names the person in the words that follow it, not anywhere near.
    pub follows_context: bool,
    /// With `follows_context` or `column_only`: the match must be all of
    /// the phrase, cell or keyed value (`Hello Anna,`, not `Hello Retry
    /// Request is received`; `address: 9 Marlow Walk`, not the end of
    /// `address: An integer representation of an IPv4 IP address`).
    pub whole_phrase: bool,
    /// Drop a match labelled for another rule whose pattern it also fits
    /// (`nhs_number=681 231 0750` fails the NHS check; it is not a phone).
    pub yields_to_labels: bool,
    /// A context word may end the sentence before the match's, when the
    /// match's own sentence labels nothing (`My date of birth is wrong. It
    /// should be 03/05/1970.`). Off, a sentence end parts word and match.
    pub context_reaches_back: bool,
    /// Context words of a `column_only` rule that name a column in a
    /// header but, as keys in running text, mean too much (`nom`: name of
    /// anything): they label no value outside a delimited file.
    pub header_only: Vec<String>,
    /// With `column_only`: the rule's words label a value only as keys
    /// inside an object or array opened by one of these keys (FHIR's
    /// `"name": [{"family": …, "given": [ … ]}]`), never as column names.
    pub inside_key: Vec<String>,
    /// Confidence of a validated match with no context word.
    pub confidence: Confidence,
    /// How findings show the value.
    pub mask: MaskSpec,
    /// How the value is normalised for its fingerprint.
    pub normalize: Normalize,
    /// Higher runs first where two rules match at the same place.
    pub priority: i32,
    /// Texts the rule must find, with the masked values expected.
    pub examples: Vec<Example>,
    /// Texts the rule must stay silent on.
    pub negatives: Vec<String>,
    /// Documented test values (normalised): reported at low confidence
    /// with a note, not hidden.
    pub test_values: Vec<Vec<u8>>,
    /// ISO 3166 codes of the countries the identifier belongs to; empty
    /// for kinds used everywhere. `--country` selects by these.
    pub countries: Vec<String>,
    /// Where the rule was defined.
    pub origin: Origin,
    /// The longest match the pattern can produce, in bytes.
    pub max_len: usize,
    /// Every byte a match can contain: a match lies within the run of
    /// these bytes around any of its keywords.
    pub alphabet: ByteSet,
    /// Every byte a match can start with.
    pub first: ByteSet,
}

/// A positive example of a rule.
#[derive(Debug, Clone)]
pub struct Example {
    /// The input text.
    pub text: String,
    /// The masked value of each finding of this rule, in order.
    pub masked: Vec<String>,
    /// The confidence every finding must reach (default: medium, so the
    /// example is reported by a default scan).
    pub confidence: Confidence,
}

/// The file and line a rule comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// File name (`<builtin>/NAME.toml` for embedded rules).
    pub file: String,
    /// 1-based line of the `[[rule]]` header.
    pub line: usize,
}

/// A loaded, checked set of rules in priority order.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
}

impl RuleSet {
    /// The rules compiled into the binary.
    pub fn builtin() -> Result<RuleSet, RuleErrors> {
        let mut loader = Loader::default();
        for (name, text) in BUILTIN {
            loader.add_text(&format!("<builtin>/{name}"), text);
        }
        loader.finish()
    }

    /// The built-in rules plus every rule file in `paths` (files or folders
    /// of `*.toml`).
    pub fn load(paths: &[PathBuf], with_builtin: bool) -> Result<RuleSet, RuleErrors> {
        let mut loader = Loader::default();
        if with_builtin {
            for (name, text) in BUILTIN {
                loader.add_text(&format!("<builtin>/{name}"), text);
            }
        }
        for path in paths {
            loader.add_path(path);
        }
        loader.finish()
    }

    /// The rules of one rule file's `text`, named `name` in problems (with
    /// the built-in rules when `with_builtin`): what `load` does with a
    /// file, for text held in memory.
    pub fn from_text(name: &str, text: &str, with_builtin: bool) -> Result<RuleSet, RuleErrors> {
        let mut loader = Loader::default();
        if with_builtin {
            for (name, text) in BUILTIN {
                loader.add_text(&format!("<builtin>/{name}"), text);
            }
        }
        loader.add_text(name, text);
        loader.finish()
    }

    /// The rules, highest priority first.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule at `index` (as detectors report it).
    pub fn get(&self, index: usize) -> &Rule {
        &self.rules[index]
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when no rule is loaded.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Sets the severity of the rules whose id, kind or category is
    /// `name`; returns how many it set (0: no such rule).
    pub fn set_severity(&mut self, name: &str, severity: Severity) -> usize {
        let named = self
            .rules
            .iter_mut()
            .filter(|r| &*r.id == name || &*r.kind == name || r.category.as_str() == name);
        named.map(|r| r.severity = severity).count()
    }

    /// Keeps the rules that belong to no country or to one of `countries`
    /// (ISO 3166 alpha-2, any case); an empty list keeps every rule.
    pub fn select_countries(self, countries: &[String]) -> Result<RuleSet, SelectError> {
        if countries.is_empty() {
            return Ok(self);
        }
        let wanted: Vec<String> = countries.iter().map(|c| c.to_ascii_uppercase()).collect();
        for c in &wanted {
            if !self.rules.iter().any(|r| r.countries.contains(c)) {
                return Err(SelectError::Country(c.clone()));
            }
        }
        let rules = self
            .rules
            .into_iter()
            .filter(|r| r.countries.is_empty() || r.countries.iter().any(|c| wanted.contains(c)))
            .collect();
        Ok(RuleSet { rules })
    }

    /// Keeps the rules whose id or kind is in `only` (if any) and not in
    /// `disable`. Errors name selectors that match no rule.
    pub fn select(self, only: &[String], disable: &[String]) -> Result<RuleSet, SelectError> {
        for sel in only.iter().chain(disable) {
            if !self.rules.iter().any(|r| &*r.id == sel || &*r.kind == sel) {
                return Err(SelectError::Rule(sel.clone()));
            }
        }
        let hit = |r: &Rule, set: &[String]| set.iter().any(|s| *s == *r.id || *s == *r.kind);
        let rules = self
            .rules
            .into_iter()
            .filter(|r| (only.is_empty() || hit(r, only)) && !hit(r, disable))
            .collect();
        Ok(RuleSet { rules })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<RuleSet, RuleErrors> {
        let mut loader = Loader::default();
        loader.add_text("test.toml", text);
        loader.finish()
    }

    const GOOD: &str = r#"
[[rule]]
id = "test-digits"
kind = "test_kind"
category = "contact"
severity = "low"
description = "digits"
pattern = '\b\d{5}\b'
examples = [{ text = "a 12345 b", masked = "*****" }]
negatives = ["123456"]
"#;

    #[test]
    fn a_rule_uses_a_word_list_another_file_defines() {
        let mut loader = Loader::default();
        let rule = GOOD.replace(
            "negatives = [\"123456\"]",
            "negatives = [\"123456\"]\ncontext = [\"@codes\", \"zip\"]",
        );
        loader.add_text("a.toml", &rule);
        loader.add_text("vocab.toml", "[words]\ncodes = [\"code\", \"postcode\"]\n");
        let set = loader.finish().unwrap();
        assert_eq!(set.rules()[0].context, ["code", "postcode", "zip"]);
    }

    #[test]
    fn a_pattern_uses_a_word_list_as_an_alternation() {
        let mut loader = Loader::default();
        let rule = GOOD.replace(r"pattern = '\b\d{5}\b'", r"pattern = '\b{@units} \d{5}\b'");
        loader.add_text("a.toml", &rule.replace("a 12345 b", "a km 12345 b"));
        loader.add_text("v.toml", "[words]\nunits = [\"km\", \"m.\"]\n");
        let set = loader.finish().unwrap();
        assert_eq!(set.rules()[0].pattern, r"\b(?:km|m\.) \d{5}\b");
    }

    #[test]
    fn an_unknown_or_twice_defined_word_list_is_a_problem() {
        let mut loader = Loader::default();
        let rule = GOOD.replace("negatives = [", "not_context = [\"@nope\"]\nnegatives = [");
        loader.add_text("a.toml", &rule);
        loader.add_text("b.toml", "[words]\nx = [\"a\"]\n");
        loader.add_text("c.toml", "[words]\nx = [\"b\"]\ny = \"not a list\"\n");
        let open = GOOD
            .replace("test-digits", "open")
            .replace(r"'\b\d{5}\b'", r"'\d{5}{@x'");
        loader.add_text("d.toml", &open);
        let problems = loader.finish().unwrap_err().0;
        let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), 5, "{shown:#?}");
        assert!(
            shown
                .iter()
                .any(|p| p.contains("rule `open`: field `pattern`: `{@` without its closing `}`")),
            "{shown:#?}"
        );
        assert!(shown.iter().any(
            |p| p.starts_with("c.toml:1") && p.contains("`x` defined twice, first at b.toml:1")
        ));
        assert!(shown
            .iter()
            .any(|p| p.contains("`y` must be an array of strings")));
        // The problem points at the field's own line.
        let line = rule
            .lines()
            .position(|l| l.starts_with("not_context"))
            .unwrap()
            + 1;
        let expected = format!(
            "a.toml:{line}: rule `test-digits`: field `not_context`: no word list named `nope`"
        );
        assert!(shown.iter().any(|p| p.contains(&expected)), "{shown:#?}");
    }

    #[test]
    fn an_at_sign_alone_or_doubled_is_a_literal_word() {
        let mut loader = Loader::default();
        let rule = GOOD.replace(
            "negatives = [\"123456\"]",
            "negatives = [\"123456\"]\ncontext = [\"@\", \"@@home\", \"zip\"]",
        );
        loader.add_text("a.toml", &rule);
        let set = loader.finish().unwrap();
        assert_eq!(set.rules()[0].context, ["@", "@home", "zip"]);
        // A list could never be named so.
        let mut loader = Loader::default();
        loader.add_text("a.toml", GOOD);
        loader.add_text("w.toml", "[words]\n\"@home\" = [\"x\"]\n");
        let problems = loader.finish().unwrap_err().0;
        assert!(problems[0].to_string().contains("does not start with `@`"));
    }

    #[test]
    fn builtin_rules_load_and_use_the_vocabulary() {
        let set = RuleSet::builtin().unwrap();
        assert!(set.len() >= 6);
        for rule in set.rules() {
            assert!(
                KINDS.contains(&&*rule.kind),
                "{}: kind {}",
                rule.id,
                rule.kind
            );
        }
    }

    #[test]
    fn byte_sets_bound_where_a_match_can_lie_and_start() {
        let parse = |p: &str| {
            let hir = syntax::parse_with(p, &syntax_config()).unwrap();
            (ByteSet::of(&hir), ByteSet::first_of(&hir).0)
        };
        let (all, first) = parse(r"\b(?:[A-Z]{2})?\d{3}@x");
        for b in b"AZ09@x" {
            assert!(all.contains(*b));
        }
        for b in b" a-\n" {
            assert!(!all.contains(*b));
        }
        // The optional letters and the digits may both start a match.
        assert!(first.contains(b'A') && first.contains(b'7'));
        assert!(!first.contains(b'@') && !first.contains(b'x'));
        let (all, first) = parse(r"caf\xC3\xA9|[\x80-\xFF]{2}");
        assert!(all.contains(0xC3) && all.contains(0x80) && !all.contains(b'd'));
        assert!(first.contains(b'c') && first.contains(0x90) && !first.contains(b'a'));
    }

    #[test]
    fn a_good_rule_loads_with_defaults() {
        let set = load(GOOD).unwrap();
        let rule = set.get(0);
        assert_eq!(&*rule.id, "test-digits");
        assert_eq!(rule.confidence, Confidence::Medium);
        assert_eq!(rule.max_len, 5);
        assert_eq!(rule.origin.line, 2);
    }

    #[test]
    fn a_keyword_must_be_able_to_lie_inside_a_match() {
        let with =
            |kw: &str| GOOD.replace("pattern =", &format!("keywords = [\"{kw}\"]\npattern ="));
        let errs = load(&with("ab")).unwrap_err().0;
        assert!(
            errs.iter().any(|p| p.field.as_deref() == Some("keywords")),
            "{errs:?}"
        );
        assert!(load(&with("12")).is_ok());
    }

    /// The good rule with context word `zip` and `field = ["word"]`.
    fn with_zip_and(field: &str, word: &str) -> String {
        GOOD.replace(
            "pattern =",
            &format!("context = [\"zip\"]\n{field} = [\"{word}\"]\npattern ="),
        )
    }

    /// True when loading `text` reports a problem with `field`.
    fn problem_with(text: &str, field: &str) -> bool {
        let errs = load(text).unwrap_err().0;
        errs.iter().any(|p| p.field.as_deref() == Some(field))
    }

    #[test]
    fn header_only_words_are_context_words() {
        let with = |only: &str| with_zip_and("header_only", only);
        assert!(problem_with(&with("code"), "header_only"));
        assert!(load(&with("zip")).is_ok());
    }

    #[test]
    fn words_against_a_rule_are_not_its_context_words() {
        let with = |against: &str| with_zip_and("not_context", against);
        assert!(problem_with(&with("zip"), "not_context"));
        assert_eq!(
            load(&with("order")).unwrap().rules()[0].not_context,
            ["order"]
        );
    }

    #[test]
    fn a_pattern_that_does_not_compile_is_one_line_at_the_pattern() {
        let text = GOOD.replace(r"pattern = '\b\d{5}\b'", r"pattern = '\b(\d{5}\b'");
        let errs = load(&text).unwrap_err().0;
        let line = text.lines().position(|l| l.starts_with("pattern")).unwrap() + 1;
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, Some(line));
        let shown = errs[0].to_string();
        assert!(!shown.contains('\n'), "{shown}");
        assert!(
            shown.contains("unclosed group (column 3 of the pattern)"),
            "{shown}"
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = r#"
[[rule]]
id = "bad"
kind = "Bad Kind"
category = "money"
description = "x"
pattern = '\d+'
validators = ["nope"]
colour = "red"
examples = []
negatives = []
"#;
        let errs = load(text).unwrap_err().0;
        let fields: Vec<_> = errs.iter().map(|p| p.field.clone().unwrap()).collect();
        for f in [
            "kind",
            "category",
            "severity",
            "pattern",
            "validators",
            "colour",
            "examples",
            "negatives",
        ] {
            assert!(
                fields.iter().any(|x| x == f),
                "no problem for {f}: {errs:?}"
            );
        }
        // Each problem is on its field's line; a missing field is on the
        // table's.
        let line_of = |field: &str| {
            text.lines()
                .position(|l| l.starts_with(&format!("{field} =")))
                .map_or(2, |i| i + 1)
        };
        for p in &errs {
            assert_eq!(p.rule.as_deref(), Some("bad"));
            assert_eq!(p.line, Some(line_of(p.field.as_deref().unwrap())), "{p}");
        }
        let shown = RuleErrors(errs).to_string();
        assert!(
            shown.contains("test.toml:7: rule `bad`: field `pattern`"),
            "{shown}"
        );
    }

    #[test]
    fn syntax_errors_and_duplicates_have_lines() {
        let errs = load("[[rule]\nid=").unwrap_err().0;
        assert_eq!(errs[0].line, Some(1));
        let twice = format!("{GOOD}\n{GOOD}");
        let errs = load(&twice).unwrap_err().0;
        assert!(errs[0].message.contains("duplicate id"), "{errs:?}");
    }

    #[test]
    fn select_by_id_or_kind() {
        let set = RuleSet::builtin().unwrap();
        let only = set.clone().select(&["email".into()], &[]).unwrap();
        assert!(only.rules().iter().all(|r| &*r.kind == "email"));
        let without = set.clone().select(&[], &["credit_card".into()]).unwrap();
        assert!(without.rules().iter().all(|r| &*r.kind != "credit_card"));
        assert!(set.clone().select(&["nonsense".into()], &[]).is_err());
        let fr = set.clone().select_countries(&["fr".into()]);
        let us = set.clone().select_countries(&["us".into()]).unwrap();
        assert!(us.rules().iter().any(|r| &*r.kind == "us_ssn"));
        assert!(us.rules().iter().any(|r| &*r.kind == "email"));
        if let Ok(fr) = fr {
            assert!(fr.rules().iter().all(|r| &*r.kind != "us_ssn"));
        }
        assert!(set.select_countries(&["XX".into()]).is_err());
    }
}
