//! Rule files: TOML read into rules, every problem collected with its
//! file, line, rule id and field, not just the first.

use super::*;
use crate::error::ValueError;
use crate::sanitize::sanitize;

/// Fields whose entries may name a shared word list as `@name`.
const WORD_FIELDS: [&str; 4] = ["context", "not_context", "keywords", "header_only"];

/// Collects rules, named word lists and problems across files. Rules are
/// read once every file is in, so a rule may use a list any file defines.
/// The line of each field of a rule table, so that a problem points at the
/// field, not only at the table.
type FieldLines = std::collections::HashMap<String, usize>;

#[derive(Default)]
pub(super) struct Loader {
    /// Rule tables read, with where they are.
    tables: Vec<(Table, Origin, FieldLines)>,
    /// Named word lists (`[words]` tables), with where each is defined.
    words: std::collections::HashMap<String, (Vec<Value>, Origin)>,
    problems: Vec<RuleProblem>,
}

impl Loader {
    pub(super) fn add_path(&mut self, path: &Path) {
        let files = match rule_files(path) {
            Ok(files) if files.is_empty() => {
                // A folder of rules that holds none is a mistake (a wrong
                // path), not an empty set to pass.
                let message = "no rule files (*.toml) in this folder".into();
                return self.file_problem(path, None, message);
            }
            Ok(files) => files,
            Err(e) => return self.file_problem(path, None, e.to_string()),
        };
        for file in files {
            match std::fs::read_to_string(&file) {
                // Names print escaped wherever a rule's origin is shown.
                Ok(text) => self.add_text(&sanitize(&file.display().to_string()), &text),
                Err(e) => self.file_problem(&file, None, e.to_string()),
            }
        }
    }

    fn file_problem(&mut self, path: &Path, line: Option<usize>, message: String) {
        self.problems.push(RuleProblem {
            file: sanitize(&path.display().to_string()),
            line,
            rule: None,
            field: None,
            message,
        });
    }

    pub(super) fn add_text(&mut self, file: &str, text: &str) {
        #[derive(serde::Deserialize)]
        struct RawFile {
            #[serde(default)]
            rule: Vec<Spanned<std::collections::BTreeMap<String, Spanned<Value>>>>,
            #[serde(default)]
            words: Option<Spanned<Table>>,
        }
        let raw: RawFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let line = e.span().map(|s| line_of(text, s.start));
                let message = e.message().to_string();
                return self.file_problem(Path::new(file), line, message);
            }
        };
        if raw.rule.is_empty() && raw.words.is_none() {
            let message = "no [[rule]] tables and no [words] lists".into();
            self.file_problem(Path::new(file), None, message);
        }
        // Line starts, looked up by offset: a file of thousands of rules
        // is not counted through once per field.
        let starts: Vec<usize> = memchr::memchr_iter(b'\n', text.as_bytes()).collect();
        let line_of = |_: &str, offset: usize| starts.partition_point(|&nl| nl < offset) + 1;
        if let Some(words) = raw.words {
            let origin = Origin {
                file: file.to_string(),
                line: line_of(text, words.span().start),
            };
            self.add_words(words.into_inner(), &origin);
        }
        for table in raw.rule {
            let origin = Origin {
                file: file.to_string(),
                line: line_of(text, table.span().start),
            };
            let fields = table.into_inner();
            let lines = fields
                .iter()
                .map(|(name, value)| (name.clone(), line_of(text, value.span().start)))
                .collect();
            let table = fields
                .into_iter()
                .map(|(name, value)| (name, value.into_inner()))
                .collect();
            self.tables.push((table, origin, lines));
        }
    }

    /// Takes in a `[words]` table: each key a list of words.
    fn add_words(&mut self, table: Table, origin: &Origin) {
        for (name, value) in table {
            let problem = match &value {
                // `"@"` and `"@@…"` in a rule are literal words.
                _ if name.is_empty() || name.starts_with('@') => Some(format!(
                    "word list `{name}`: a list's name is not empty and does not start with `@`"
                )),
                Value::Array(words) if words.iter().all(|w| matches!(w, Value::String(_))) => {
                    match self.words.get(&name) {
                        Some((_, first)) => Some(format!(
                            "word list `{name}` defined twice, first at {}:{}",
                            first.file, first.line
                        )),
                        None => {
                            self.words.insert(name, (words.clone(), origin.clone()));
                            None
                        }
                    }
                }
                _ => Some(format!("word list `{name}` must be an array of strings")),
            };
            if let Some(message) = problem {
                self.file_problem(Path::new(&origin.file), Some(origin.line), message);
            }
        }
    }

    /// Replaces each `@name` entry of the word fields with the words of
    /// that list; an unknown name is a problem of the rule's field.
    fn expand_words(&mut self, table: &mut Table, origin: &Origin, lines: &FieldLines) {
        let id = table_id(table);
        for field in WORD_FIELDS {
            let Some(Value::Array(entries)) = table.get_mut(field) else {
                continue;
            };
            let mut expanded = Vec::with_capacity(entries.len());
            for entry in std::mem::take(entries) {
                let name = entry.as_str().and_then(|w| w.strip_prefix('@'));
                match name.map(|n| (n, self.words.get(n))) {
                    None => expanded.push(entry),
                    // `@` alone, or `@@…`, is the literal word (no list has
                    // an empty name or one starting with `@`).
                    Some(("", _)) => expanded.push(Value::String("@".into())),
                    Some((n, _)) if n.starts_with('@') => expanded.push(Value::String(n.into())),
                    Some((_, Some((words, _)))) => expanded.extend(words.iter().cloned()),
                    Some((name, None)) => self.problems.push(RuleProblem {
                        file: origin.file.clone(),
                        line: Some(lines.get(field).copied().unwrap_or(origin.line)),
                        rule: id.clone(),
                        field: Some(field.to_string()),
                        message: format!("no word list named `{name}` (lists are [words] tables)"),
                    }),
                }
            }
            *entries = expanded;
        }
    }

    /// Replaces each `{@name}` in the pattern with an alternation of that
    /// list's words, escaped: `(?:van|von|de)`.
    fn expand_pattern(&mut self, table: &mut Table, origin: &Origin, lines: &FieldLines) {
        let line = lines.get("pattern").copied().unwrap_or(origin.line);
        let id = table_id(table);
        let Some(Value::String(pattern)) = table.get_mut("pattern") else {
            return;
        };
        let mut out = String::with_capacity(pattern.len());
        let mut rest = pattern.as_str();
        while let Some(at) = rest.find("{@") {
            out.push_str(&rest[..at]);
            let Some(len) = rest[at..].find('}') else {
                self.problems.push(RuleProblem {
                    file: origin.file.clone(),
                    line: Some(line),
                    rule: id.clone(),
                    field: Some("pattern".into()),
                    message: "`{@` without its closing `}`".into(),
                });
                return;
            };
            let name = &rest[at + 2..at + len];
            match self.words.get(name) {
                Some((words, _)) => {
                    let escaped: Vec<String> = (words.iter())
                        .filter_map(Value::as_str)
                        .map(regex_syntax::escape)
                        .collect();
                    out.push_str(&format!("(?:{})", escaped.join("|")));
                }
                None => self.problems.push(RuleProblem {
                    file: origin.file.clone(),
                    line: Some(line),
                    rule: id.clone(),
                    field: Some("pattern".into()),
                    message: format!("no word list named `{name}` (lists are [words] tables)"),
                }),
            }
            rest = &rest[at + len + 1..];
        }
        out.push_str(rest);
        *pattern = out;
    }

    pub(super) fn finish(mut self) -> Result<RuleSet, RuleErrors> {
        let mut rules = Vec::with_capacity(self.tables.len());
        for (mut table, origin, lines) in std::mem::take(&mut self.tables) {
            self.expand_words(&mut table, &origin, &lines);
            self.expand_pattern(&mut table, &origin, &lines);
            let mut fields = Fields {
                table,
                origin,
                lines,
                id: None,
                problems: &mut self.problems,
            };
            if let Some(rule) = fields.rule() {
                rules.push(rule);
            }
        }
        let mut seen = std::collections::HashMap::new();
        for rule in &rules {
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
            // In reading order, file by file, as an editor shows them.
            self.problems
                .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            return Err(RuleErrors(self.problems));
        }
        // Stable: equal priorities keep file order.
        rules.sort_by_key(|r| std::cmp::Reverse(r.priority));
        Ok(RuleSet { rules })
    }
}

/// The rule files `path` names: itself, or the `*.toml` files in it when
/// it is a folder, in name order.
pub fn rule_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// The id of a rule table, for a problem found before its fields are read.
fn table_id(table: &Table) -> Option<String> {
    table.get("id").and_then(Value::as_str).map(str::to_string)
}

/// A regex error on one line: what is wrong and where in the pattern (the
/// parser's own message draws the pattern over several lines).
fn one_line(error: &regex_syntax::Error) -> String {
    let (kind, span) = match error {
        regex_syntax::Error::Parse(e) => (e.kind().to_string(), e.span()),
        regex_syntax::Error::Translate(e) => (e.kind().to_string(), e.span()),
        other => return other.to_string().replace('\n', " "),
    };
    let at = span.start;
    if at.line > 1 {
        format!(
            "{kind} (line {} of the pattern, column {})",
            at.line, at.column
        )
    } else {
        format!("{kind} (column {} of the pattern)", at.column)
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
    lines: FieldLines,
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
    "follows_context",
    "whole_phrase",
    "yields_to_labels",
    "context_reaches_back",
    "header_only",
    "inside_key",
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
            line: Some(self.lines.get(field).copied().unwrap_or(self.origin.line)),
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
        parse: impl Fn(&str) -> Result<T, ValueError>,
    ) -> Option<T> {
        let text = match default {
            Some(d) => self.optional_string(field, d)?,
            None => self.string(field)?,
        };
        parse(&text)
            .map_err(|e| self.problem(field, e.to_string()))
            .ok()
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
        let follows_context = self.boolean("follows_context");
        let whole_phrase = self.boolean("whole_phrase");
        let yields_to_labels = self.boolean("yields_to_labels");
        let context_reaches_back = self.boolean("context_reaches_back");
        let header_only = self.strings("header_only");
        let inside_key = self.strings("inside_key");
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
        if let (Some(pattern), Some((_, alphabet, _)), false) = (
            &pattern,
            &checked,
            self.origin.file.starts_with("<builtin>/"),
        ) {
            let texts = examples.iter().flatten().map(|e| e.text.as_str());
            if let Some(shape) = super::cost::overflows(pattern, alphabet, texts) {
                self.problem(
                    "pattern",
                    format!("its search automaton overflows on {shape}: a scan of a large file could take hours; bound repetitions lower (a repetition inside another multiplies them)"),
                );
            }
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
        let needs_words = context_required == Some(true)
            || column_only == Some(true)
            || follows_context == Some(true);
        if needs_words && context.as_ref().is_some_and(Vec::is_empty) {
            self.problem(
                "context",
                "context_required, column_only and follows_context need context words",
            );
        }
        if whole_phrase == Some(true)
            && follows_context == Some(false)
            && column_only == Some(false)
        {
            self.problem(
                "whole_phrase",
                "whole_phrase needs follows_context or column_only",
            );
        }
        if inside_key.as_ref().is_some_and(|k| !k.is_empty()) && column_only == Some(false) {
            self.problem("inside_key", "inside_key needs column_only");
        }
        if column_only == Some(true) && follows_context == Some(true) {
            self.problem(
                "follows_context",
                "a rule is column_only or follows_context, not both",
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
            context_required: context_required? || column_only? || follows_context?,
            not_context: not_context?.into_iter().map(|w| w.to_lowercase()).collect(),
            column_only: column_only?,
            follows_context: follows_context?,
            whole_phrase: whole_phrase?,
            yields_to_labels: yields_to_labels?,
            context_reaches_back: context_reaches_back?,
            header_only: header_only?.into_iter().map(|w| w.to_lowercase()).collect(),
            inside_key: inside_key?,
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
                self.problem("pattern", format!("does not compile: {}", one_line(&e)));
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
