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

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

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
    /// Drop a match labelled for another rule whose pattern it also fits
    /// (`nhs_number=681 231 0750` fails the NHS check; it is not a phone).
    pub yields_to_labels: bool,
    /// Context words of a `column_only` rule that name a column in a
    /// header but, as keys in running text, mean too much (`nom`: name of
    /// anything): they label no value outside a delimited file.
    pub header_only: Vec<String>,
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

/// A set of bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByteSet([u64; 4]);

impl ByteSet {
    /// Adds the bytes `lo..=hi`.
    pub fn insert_range(&mut self, lo: u8, hi: u8) {
        for b in lo..=hi {
            self.0[usize::from(b >> 6)] |= 1 << (b & 63);
        }
    }

    /// True if `b` is in the set.
    #[inline]
    pub fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] & (1 << (b & 63)) != 0
    }

    /// The bytes any match of `hir` can contain.
    fn of(hir: &Hir) -> ByteSet {
        let mut set = ByteSet::default();
        set.add(hir);
        set
    }

    /// The bytes a match of `hir` can start with, and whether it can be
    /// empty (then what follows it can start the match too).
    fn first_of(hir: &Hir) -> (ByteSet, bool) {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => (ByteSet::default(), true),
            HirKind::Literal(lit) => {
                let mut set = ByteSet::default();
                set.insert_range(lit.0[0], lit.0[0]);
                (set, false)
            }
            HirKind::Class(_) => (ByteSet::of(hir), false),
            HirKind::Repetition(rep) => {
                let (set, empty) = ByteSet::first_of(&rep.sub);
                (set, empty || rep.min == 0)
            }
            HirKind::Capture(cap) => ByteSet::first_of(&cap.sub),
            HirKind::Concat(subs) => {
                let mut set = ByteSet::default();
                for sub in subs {
                    let (first, empty) = ByteSet::first_of(sub);
                    set.union(&first);
                    if !empty {
                        return (set, false);
                    }
                }
                (set, true)
            }
            HirKind::Alternation(subs) => {
                let mut set = ByteSet::default();
                let mut any_empty = false;
                for sub in subs {
                    let (first, empty) = ByteSet::first_of(sub);
                    set.union(&first);
                    any_empty |= empty;
                }
                (set, any_empty)
            }
        }
    }

    fn union(&mut self, other: &ByteSet) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a |= b;
        }
    }

    fn add(&mut self, hir: &Hir) {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(lit) => lit.0.iter().for_each(|&b| self.insert_range(b, b)),
            HirKind::Class(Class::Bytes(class)) => {
                for r in class.ranges() {
                    self.insert_range(r.start(), r.end());
                }
            }
            HirKind::Class(Class::Unicode(class)) => {
                for r in class.ranges() {
                    let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
                    if lo < 0x80 {
                        self.insert_range(lo as u8, hi.min(0x7F) as u8);
                    }
                    if hi >= 0x80 {
                        self.insert_range(0x80, 0xFF); // UTF-8 bytes of any non-ASCII
                    }
                }
            }
            HirKind::Repetition(rep) => self.add(&rep.sub),
            HirKind::Capture(cap) => self.add(&cap.sub),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => {
                subs.iter().for_each(|h| self.add(h))
            }
        }
    }
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

    /// Keeps the rules that belong to no country or to one of `countries`
    /// (ISO 3166 alpha-2, any case); an empty list keeps every rule.
    pub fn select_countries(self, countries: &[String]) -> Result<RuleSet, String> {
        if countries.is_empty() {
            return Ok(self);
        }
        let wanted: Vec<String> = countries.iter().map(|c| c.to_ascii_uppercase()).collect();
        for c in &wanted {
            if !self.rules.iter().any(|r| r.countries.contains(c)) {
                return Err(format!(
                    "no rule belongs to country `{c}` (see `piiscan rules list`)"
                ));
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
    pub fn select(self, only: &[String], disable: &[String]) -> Result<RuleSet, String> {
        for sel in only.iter().chain(disable) {
            if !self.rules.iter().any(|r| &*r.id == sel || &*r.kind == sel) {
                return Err(format!("`{sel}` is neither a rule id nor a kind of a loaded rule (see `piiscan rules list`)"));
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

/// Collects rules and problems across files.
#[derive(Default)]
struct Loader {
    rules: Vec<Rule>,
    problems: Vec<RuleProblem>,
}

impl Loader {
    fn add_path(&mut self, path: &Path) {
        let files = if path.is_dir() {
            match std::fs::read_dir(path) {
                Ok(entries) => {
                    let mut files: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                        .collect();
                    files.sort();
                    files
                }
                Err(e) => return self.file_problem(path, None, e.to_string()),
            }
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            match std::fs::read_to_string(&file) {
                Ok(text) => self.add_text(&file.display().to_string(), &text),
                Err(e) => self.file_problem(&file, None, e.to_string()),
            }
        }
    }

    fn file_problem(&mut self, path: &Path, line: Option<usize>, message: String) {
        self.problems.push(RuleProblem {
            file: path.display().to_string(),
            line,
            rule: None,
            field: None,
            message,
        });
    }

    fn add_text(&mut self, file: &str, text: &str) {
        #[derive(serde::Deserialize)]
        struct RawFile {
            #[serde(default)]
            rule: Vec<Spanned<Table>>,
        }
        let raw: RawFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let line = e.span().map(|s| line_of(text, s.start));
                let message = e.message().to_string();
                return self.file_problem(Path::new(file), line, message);
            }
        };
        if raw.rule.is_empty() {
            self.file_problem(Path::new(file), None, "no [[rule]] tables".into());
        }
        for table in raw.rule {
            let line = line_of(text, table.span().start);
            let mut fields = Fields {
                table: table.into_inner(),
                origin: Origin {
                    file: file.to_string(),
                    line,
                },
                id: None,
                problems: &mut self.problems,
            };
            if let Some(rule) = fields.rule() {
                self.rules.push(rule);
            }
        }
    }

    fn finish(mut self) -> Result<RuleSet, RuleErrors> {
        let mut seen = std::collections::HashMap::new();
        for rule in &self.rules {
            if let Some(first) = seen.insert(rule.id.clone(), rule.origin.clone()) {
                self.problems.push(RuleProblem {
                    file: rule.origin.file.clone(),
                    line: Some(rule.origin.line),
                    rule: Some(rule.id.to_string()),
                    field: Some("id".into()),
                    message: format!(
                        "duplicate id, first defined at {}:{}",
                        first.file, first.line
                    ),
                });
            }
        }
        if !self.problems.is_empty() {
            return Err(RuleErrors(self.problems));
        }
        // Stable: equal priorities keep file order.
        self.rules.sort_by_key(|r| std::cmp::Reverse(r.priority));
        Ok(RuleSet { rules: self.rules })
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// One rule's table being turned into a [`Rule`], recording every problem.
struct Fields<'a> {
    table: Table,
    origin: Origin,
    id: Option<String>,
    problems: &'a mut Vec<RuleProblem>,
}

const FIELDS: &[&str] = &[
    "id",
    "kind",
    "category",
    "severity",
    "description",
    "pattern",
    "keywords",
    "validators",
    "context",
    "context_required",
    "not_context",
    "column_only",
    "yields_to_labels",
    "header_only",
    "confidence",
    "mask",
    "normalize",
    "priority",
    "examples",
    "negatives",
    "test_values",
    "countries",
];

impl Fields<'_> {
    fn problem(&mut self, field: &str, message: impl Into<String>) {
        self.problems.push(RuleProblem {
            file: self.origin.file.clone(),
            line: Some(self.origin.line),
            rule: self.id.clone(),
            field: Some(field.to_string()),
            message: message.into(),
        });
    }

    fn string(&mut self, field: &str) -> Option<String> {
        match self.table.get(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::String(_)) => {
                self.problem(field, "must not be empty");
                None
            }
            Some(_) => {
                self.problem(field, "must be a string");
                None
            }
            None => {
                self.problem(field, "is missing");
                None
            }
        }
    }

    fn optional_string(&mut self, field: &str, default: &str) -> Option<String> {
        if self.table.contains_key(field) {
            self.string(field)
        } else {
            Some(default.to_string())
        }
    }

    fn parsed<T>(
        &mut self,
        field: &str,
        default: Option<&str>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = match default {
            Some(d) => self.optional_string(field, d)?,
            None => self.string(field)?,
        };
        parse(&text).map_err(|e| self.problem(field, e)).ok()
    }

    fn strings(&mut self, field: &str) -> Option<Vec<String>> {
        match self.table.get(field) {
            None => Some(Vec::new()),
            Some(Value::Array(items)) => {
                let out: Option<Vec<String>> = items
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect();
                if out.is_none() {
                    self.problem(field, "must be a list of strings");
                }
                out
            }
            Some(_) => {
                self.problem(field, "must be a list of strings");
                None
            }
        }
    }

    fn rule(&mut self) -> Option<Rule> {
        let id = self.string("id");
        if let Some(id) = &id {
            self.id = Some(id.clone());
            if !id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                self.problem("id", "use lower-case letters, digits and `-`");
            }
        }
        let unknown: Vec<String> = self
            .table
            .keys()
            .filter(|k| !FIELDS.contains(&k.as_str()))
            .cloned()
            .collect();
        for key in unknown {
            self.problem(
                &key,
                format!("unknown field (known: {})", FIELDS.join(", ")),
            );
        }
        let kind = self.string("kind");
        if let Some(kind) = &kind {
            if !kind
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                self.problem(
                    "kind",
                    "use lower-case letters, digits and `_` (see the kind vocabulary)",
                );
            }
        }
        let category = self.parsed("category", None, str::parse::<Category>);
        let severity = self.parsed("severity", None, str::parse::<Severity>);
        let description = self.string("description");
        let pattern = self.string("pattern");
        let checked = pattern.as_deref().and_then(|p| self.check_pattern(p));
        let keywords = self.strings("keywords");
        let validators = self.validators();
        let context = self.strings("context");
        let context_required = self.boolean("context_required");
        let not_context = self.strings("not_context");
        let column_only = self.boolean("column_only");
        let yields_to_labels = self.boolean("yields_to_labels");
        let header_only = self.strings("header_only");
        let confidence = self.parsed("confidence", Some("medium"), str::parse::<Confidence>);
        let mask = self.parsed("mask", Some("full"), MaskSpec::parse);
        let normalize = self.parsed("normalize", Some("exact"), Normalize::parse);
        let priority = self.priority();
        let examples = self.examples();
        let negatives = self.strings("negatives");
        let test_values = self.strings("test_values");
        let countries = self.strings("countries");
        if let Some(bad) = countries
            .iter()
            .flatten()
            .find(|c| c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()))
        {
            self.problem(
                "countries",
                format!("`{bad}` is not an ISO 3166 alpha-2 code such as FR"),
            );
        }
        if negatives.as_ref().is_some_and(Vec::is_empty) {
            self.problem("negatives", "a rule needs at least one negative example");
        }
        // The rule runs only around its keywords, in the run of bytes a match
        // can contain: a keyword must be a literal piece of every match.
        if let (Some((_, alphabet, _)), Some(words)) = (&checked, &keywords) {
            for word in words {
                if word.is_empty() || !word.bytes().all(|b| alphabet.contains(b)) {
                    self.problem(
                        "keywords",
                        format!("`{word}` cannot be part of a match of the pattern; a keyword is a literal piece of every match"),
                    );
                }
            }
        }
        if let (Some(only), Some(words)) = (&header_only, &context) {
            for word in only.iter().filter(|w| !words.contains(w)) {
                self.problem(
                    "header_only",
                    format!("`{word}` is not one of the context words"),
                );
            }
        }
        if let (Some(against), Some(words)) = (&not_context, &context) {
            let lower = |w: &String| w.to_lowercase();
            let words: Vec<String> = words.iter().map(lower).collect();
            for word in against.iter().filter(|w| words.contains(&lower(w))) {
                self.problem("not_context", format!("`{word}` is also a context word"));
            }
        }
        let needs_words = context_required == Some(true) || column_only == Some(true);
        if needs_words && context.as_ref().is_some_and(Vec::is_empty) {
            self.problem(
                "context",
                "context_required and column_only need context words",
            );
        }
        Some(Rule {
            id: id?.into(),
            kind: kind?.into(),
            category: category?,
            severity: severity?,
            description: description?,
            pattern: pattern?,
            keywords: keywords?,
            validators: validators?,
            context: context?.into_iter().map(|w| w.to_lowercase()).collect(),
            context_required: context_required? || column_only?,
            not_context: not_context?.into_iter().map(|w| w.to_lowercase()).collect(),
            column_only: column_only?,
            yields_to_labels: yields_to_labels?,
            header_only: header_only?.into_iter().map(|w| w.to_lowercase()).collect(),
            confidence: confidence?,
            mask: mask?,
            normalize: normalize?,
            priority: priority?,
            examples: examples?,
            negatives: negatives?,
            test_values: test_values?
                .iter()
                .map(|v| {
                    let mut out = Vec::new();
                    normalize?.apply(v.as_bytes(), &mut out);
                    Some(out)
                })
                .collect::<Option<_>>()?,
            countries: countries?,
            origin: self.origin.clone(),
            max_len: checked?.0,
            alphabet: checked?.1,
            first: checked?.2,
        })
    }

    fn boolean(&mut self, field: &str) -> Option<bool> {
        match self.table.get(field) {
            None => Some(false),
            Some(Value::Boolean(b)) => Some(*b),
            Some(_) => {
                self.problem(field, "must be true or false");
                None
            }
        }
    }

    fn priority(&mut self) -> Option<i32> {
        match self.table.get("priority") {
            None => Some(50),
            Some(Value::Integer(p)) if (0..=100).contains(p) => Some(*p as i32),
            Some(_) => {
                self.problem("priority", "must be an integer from 0 to 100");
                None
            }
        }
    }

    /// Compiles the pattern in the scan dialect; returns its longest match,
    /// the bytes a match can contain and those it can start with.
    fn check_pattern(&mut self, pattern: &str) -> Option<(usize, ByteSet, ByteSet)> {
        let hir = match syntax::parse_with(pattern, &syntax_config()) {
            Ok(hir) => hir,
            Err(e) => {
                self.problem("pattern", format!("does not compile:\n{e}"));
                return None;
            }
        };
        let props = hir.properties();
        if props.minimum_len().unwrap_or(0) == 0 {
            self.problem("pattern", "can match the empty string");
            return None;
        }
        match props.maximum_len() {
            Some(n) if n <= MAX_MATCH_LEN => {
                Some((n, ByteSet::of(&hir), ByteSet::first_of(&hir).0))
            }
            _ => {
                self.problem(
                    "pattern",
                    format!("can match more than {MAX_MATCH_LEN} bytes: bound every repetition (`{{1,64}}`, not `+`)"),
                );
                None
            }
        }
    }

    fn validators(&mut self) -> Option<Vec<Validator>> {
        let names = self.strings("validators")?;
        let mut out = Vec::new();
        for name in names {
            match Validator::by_name(&name) {
                Some(v) => out.push(v),
                None => {
                    let known: Vec<_> = Validator::names().collect();
                    self.problem(
                        "validators",
                        format!("unknown validator `{name}` (known: {})", known.join(", ")),
                    );
                }
            }
        }
        Some(out)
    }

    fn examples(&mut self) -> Option<Vec<Example>> {
        let Some(Value::Array(items)) = self.table.get("examples").cloned() else {
            self.problem(
                "examples",
                "a rule needs a list of examples: { text = \"…\", masked = \"…\" }",
            );
            return None;
        };
        if items.is_empty() {
            self.problem("examples", "a rule needs at least one example");
        }
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let field = format!("examples[{i}]");
            let Some(t) = item.as_table() else {
                self.problem(&field, "must be a table { text, masked }");
                continue;
            };
            let text = t.get("text").and_then(Value::as_str);
            let masked = match t.get("masked") {
                Some(Value::String(s)) => Some(vec![s.clone()]),
                Some(Value::Array(a)) => a.iter().map(|v| v.as_str().map(str::to_string)).collect(),
                _ => None,
            };
            let confidence = match t
                .get("confidence")
                .map(|v| v.as_str().map(str::parse::<Confidence>))
            {
                None => Some(Confidence::Medium),
                Some(Some(Ok(c))) => Some(c),
                Some(_) => None,
            };
            match (text, masked, confidence) {
                (Some(text), Some(masked), Some(confidence)) => out.push(Example {
                    text: text.to_string(),
                    masked,
                    confidence,
                }),
                _ => self.problem(
                    &field,
                    "needs `text` (string), `masked` (string or list) and optionally `confidence` (low, medium, high)",
                ),
            }
        }
        Some(out)
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
        assert!(errs
            .iter()
            .all(|p| p.rule.as_deref() == Some("bad") && p.line == Some(2)));
        let shown = RuleErrors(errs).to_string();
        assert!(
            shown.contains("test.toml:2: rule `bad`: field `pattern`"),
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
