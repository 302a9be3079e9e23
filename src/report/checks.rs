//! The minimisation findings: each check reads the tally, and for every
//! file or column it applies to, says what was found (in counts), under
//! which GDPR principle or PCI DSS requirement, how much it matters, what
//! to do, and the `piiscan mask` command that does it. The words that
//! mark a free-text column are data (`free-text-columns` in
//! `rules/vocab.toml`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::{ColumnEntry, FileEntry, Issue, Options, Tally};
use crate::finding::Severity;
use crate::sanitize::sanitize;

/// A column is a key when nearly every non-empty cell holds its kind...
const KEY_SHARE: f64 = 0.9;
/// ...nearly every value is distinct...
const KEY_DISTINCT: f64 = 0.95;
/// ...and it has at least this many.
const KEY_MIN: u64 = 10;

/// Pairs of files sharing values reported, most shared first.
const COPIES_SHOWN: usize = 20;

/// Two files are copies of the same data when they share this many
/// values, or at least half of the smaller one's findings (and two).
const COPIES_MIN: u64 = 5;

/// Each check's name in words, for readers of the HTML report.
pub fn title(check: &str) -> &'static str {
    match check {
        "full-card-numbers" => "Full card numbers stored",
        "credentials" => "Passwords, keys or tokens in files",
        "national-ids" => "National identity numbers",
        "special-category" => "Health data",
        "retention" => "Kept longer than the retention period",
        "identifier-key-column" => "An identifier used as a key",
        "dates-of-birth" => "Full dates of birth",
        "free-text" => "Personal data in free text",
        "copies-across-files" => "The same data in two files",
        _ => "Other",
    }
}

/// The checks, in the order their findings are listed within a severity.
pub const ORDER: [&str; 9] = [
    "full-card-numbers",
    "credentials",
    "national-ids",
    "special-category",
    "retention",
    "identifier-key-column",
    "dates-of-birth",
    "free-text",
    "copies-across-files",
];

/// Every minimisation finding on `tally` (its files and columns given).
pub fn run(
    tally: &Tally,
    files: &[FileEntry],
    columns: &[ColumnEntry],
    options: &Options,
) -> Vec<Issue> {
    let mut issues = Vec::new();
    for file in files {
        full_card_numbers(file, columns, &mut issues);
        by_category(tally, file, &mut issues);
        dates_of_birth(file, columns, &mut issues);
    }
    for column in columns {
        key_column(column, &mut issues);
        free_text(column, &mut issues);
    }
    retention(files, options, &mut issues);
    copies(tally, &mut issues);
    commands(&mut issues);
    issues
}

/// PCI DSS: a card number found is a full one (the detector needs every
/// digit and the Luhn check): more than the first six and last four.
fn full_card_numbers(file: &FileEntry, columns: &[ColumnEntry], out: &mut Vec<Issue>) {
    let Some(&n) = file.by_kind.get("credit_card") else {
        return;
    };
    out.push(issue(
        "full-card-numbers",
        "PCI DSS 3.3/3.4 (v4.0: 3.4.1, 3.5.1)",
        Severity::Critical,
        &file.path,
        None,
        format!("{} stored in full{}", plural(n, "card number"), where_in(file, columns, "credit_card")),
        "Stored card numbers must be unreadable: truncate them to at most the first six and last four digits, or delete the file if they are not needed.".into(),
        command(&file.path, &["credit_card=partial"]),
    ));
}

/// Kind families that are findings in themselves: national identity
/// numbers, credentials, health data.
fn by_category(tally: &Tally, file: &FileEntry, out: &mut Vec<Issue>) {
    let kinds_of = |category: &str| -> Vec<&str> {
        file.by_kind
            .keys()
            .filter(|k| {
                tally
                    .categories
                    .get(k.as_str())
                    .is_some_and(|c| c == category)
            })
            .map(String::as_str)
            .collect()
    };
    let counted = |kinds: &[&str]| -> String {
        kinds
            .iter()
            .map(|k| format!("{k} {}", file.by_kind[*k]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ids = kinds_of("government-id");
    if !ids.is_empty() {
        let strategies: Vec<String> = ids.iter().map(|k| format!("{k}=hash")).collect();
        let strategies: Vec<&str> = strategies.iter().map(String::as_str).collect();
        out.push(issue(
            "national-ids",
            "GDPR Art. 5(1)(c) data minimisation, Art. 87 national identification numbers",
            Severity::High,
            &file.path,
            None,
            format!("national identity numbers: {}", counted(&ids)),
            "Keep national identity numbers only where a law requires them; elsewhere replace them with a keyed pseudonym (joins still work) or drop the field.".into(),
            command(&file.path, &strategies),
        ));
    }
    let secrets = kinds_of("credential");
    if !secrets.is_empty() {
        out.push(issue(
            "credentials",
            "GDPR Art. 32 security of processing",
            Severity::Critical,
            &file.path,
            None,
            format!("credentials: {}", counted(&secrets)),
            "Secrets in a file are exposed: rotate them now, then remove them and keep them in a secret store.".into(),
            command(&file.path, &["credential=redact"]),
        ));
    }
    let health = kinds_of("health");
    if !health.is_empty() {
        out.push(issue(
            "special-category",
            "GDPR Art. 9 special categories of personal data",
            Severity::High,
            &file.path,
            None,
            format!("health data: {}", counted(&health)),
            "Health data needs an Art. 9 condition and stronger protection: check there is one; otherwise remove it.".into(),
            command(&file.path, &["all=redact"]),
        ));
    }
}

/// Full dates of birth, where an age band or a year would do.
fn dates_of_birth(file: &FileEntry, columns: &[ColumnEntry], out: &mut Vec<Issue>) {
    let Some(&n) = file.by_kind.get("date_of_birth") else {
        return;
    };
    out.push(issue(
        "dates-of-birth",
        "GDPR Art. 5(1)(c) data minimisation",
        Severity::Medium,
        &file.path,
        None,
        format!("{} in full{}", plural(n, "date of birth"), where_in(file, columns, "date_of_birth")),
        "A full date of birth identifies a person: where an age band or the year would do, generalise it before sharing; where it is not needed, drop the field.".into(),
        // A dump's DATE column takes no redacted date: a keyed token is
        // another real date.
        command(&file.path, &[match file.format.starts_with("SQL") {
            true => "date_of_birth=tokenize",
            false => "date_of_birth=drop",
        }]),
    ));
}

/// A column that is one identifier per row, every value distinct: a key
/// that a keyed pseudonym can replace without breaking joins.
fn key_column(column: &ColumnEntry, out: &mut Vec<Issue>) {
    let (Some(share), Some(&n)) = (column.share, column.by_kind.get(&column.kind)) else {
        return;
    };
    let all_distinct = column.distinct as f64 >= KEY_DISTINCT * n as f64;
    if n < KEY_MIN || share < KEY_SHARE || !all_distinct {
        return;
    }
    let estimated = if column.distinct_estimated {
        "about "
    } else {
        ""
    };
    out.push(issue(
        "identifier-key-column",
        "GDPR Art. 25 data protection by design, Art. 4(5) pseudonymisation",
        Severity::Medium,
        &column.path,
        Some(&column.column),
        format!(
            "{}% of {} non-empty cells hold the kind {}, {estimated}{} distinct: the column is a key",
            (share * 100.0).round(),
            column.non_empty.unwrap_or(0),
            column.kind,
            column.distinct
        ),
        "Replace the identifier with a keyed pseudonym: the same value gets the same pseudonym in every file, so joins keep working without the identifier.".into(),
        command(&column.path, &[&format!("{}=hash", column.kind)]),
    ));
}

/// A notes, comment or description column holding personal data.
fn free_text(column: &ColumnEntry, out: &mut Vec<Issue>) {
    let name = column
        .column
        .rsplit(['.', '[', '\''])
        .find(|s| !s.is_empty() && *s != "]");
    let lower = name.unwrap_or(&column.column).to_lowercase();
    let words = crate::vocab::list("free-text-columns");
    if !words.iter().any(|w| lower.contains(w.as_str())) {
        return;
    }
    let kinds: Vec<String> = column
        .by_kind
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    out.push(issue(
        "free-text",
        "GDPR Art. 5(1)(c) data minimisation",
        Severity::Medium,
        &column.path,
        Some(&column.column),
        format!("a free-text field holds personal data: {}", kinds.join(", ")),
        "Free text collects personal data nobody planned for: review what is written there, mask it, and limit what the field accepts.".into(),
        command(&column.path, &[]),
    ));
}

/// Files older than the retention period that still hold personal data.
fn retention(files: &[FileEntry], options: &Options, out: &mut Vec<Issue>) {
    let Some(limit) = options.retention_days else {
        return;
    };
    // One finding per input: an archive's members share its age.
    let mut inputs: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for file in files {
        if let Some(age) = file.age_days.filter(|&a| a > limit) {
            let input = file.path.split('!').next().unwrap_or(&file.path);
            let entry = inputs.entry(input).or_insert((age, 0));
            entry.1 += file.findings;
        }
    }
    for (input, (age, findings)) in inputs {
        out.push(issue(
            "retention",
            "GDPR Art. 5(1)(e) storage limitation",
            Severity::High,
            input,
            None,
            format!("last modified {age} days ago (retention {limit} days), still holding {}", plural(findings, "finding")),
            "Past its retention period and still holding personal data: delete it, or keep a masked copy if it is still needed.".into(),
            command(input, &["all=redact"]),
        ));
    }
}

/// The same values in several files, by keyed fingerprint.
fn copies(tally: &Tally, out: &mut Vec<Issue>) {
    let (pairs, estimated) = tally.copies.pairs();
    let findings = |i: u32| -> u64 { tally.docs[i as usize].by_kind.values().sum() };
    let copies = |&((a, b), n): &((u32, u32), u64)| {
        let smaller = findings(a).min(findings(b));
        n >= COPIES_MIN || (n >= 2 && 2 * n >= smaller)
    };
    let mut pairs: Vec<((u32, u32), u64)> = pairs.into_iter().filter(copies).collect();
    pairs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for ((a, b), n) in pairs.into_iter().take(COPIES_SHOWN) {
        let name = |i: u32| sanitize(&tally.docs[i as usize].path);
        let (a, b) = (name(a), name(b));
        let about = if estimated { "about " } else { "" };
        out.push(issue(
            "copies-across-files",
            "GDPR Art. 5(1)(c) data minimisation, 5(1)(e) storage limitation",
            Severity::Medium,
            &format!("{a} + {b}"),
            None,
            format!("{about}{} found in both {a} and {b}", plural(n, "value")),
            "The same personal data is kept twice: keep one copy; delete or mask the other.".into(),
            command(&b, &[]),
        ));
    }
}

/// ` (columns a, b)` when the kind sits in columns of the file.
fn where_in(file: &FileEntry, columns: &[ColumnEntry], kind: &str) -> String {
    // Columns are in path order: the file's are one run.
    let from = columns.partition_point(|c| c.path < file.path);
    let names: Vec<&str> = columns[from..]
        .iter()
        .take_while(|c| c.path == file.path)
        .filter(|c| c.by_kind.contains_key(kind))
        .map(|c| c.column.as_str())
        .collect();
    match names.len() {
        0 => String::new(),
        1 => format!(" (column {})", names[0]),
        _ => format!(" (columns {})", names.join(", ")),
    }
}

fn plural(n: u64, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        _ if what.ends_with("birth") => format!("{n} {}", what.replacen("date", "dates", 1)),
        _ => format!("{n} {what}s"),
    }
}

#[allow(clippy::too_many_arguments)]
fn issue(
    check: &'static str,
    principle: &'static str,
    severity: Severity,
    path: &str,
    column: Option<&str>,
    evidence: String,
    recommendation: String,
    plan: Plan,
) -> Issue {
    let mut digest = Sha256::new();
    for part in [check, path, column.unwrap_or("")] {
        digest.update(part.as_bytes());
        digest.update([0]);
    }
    let digest = digest.finalize();
    Issue {
        id: format!(
            "{check}-{:02x}{:02x}{:02x}{:02x}",
            digest[0], digest[1], digest[2], digest[3]
        ),
        check,
        principle,
        severity,
        path: path.to_string(),
        column: column.map(str::to_string),
        evidence,
        recommendation,
        command: String::new(),
        plan,
    }
}

/// What a finding's command does: mask `input` (an archive member's
/// archive) with these strategies (`KIND=NAME`, `all=NAME`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The input to mask.
    pub input: String,
    /// The strategies it asks for.
    pub strategies: Vec<String>,
}

/// The plan for `path` with `strategies`.
fn command(path: &str, strategies: &[&str]) -> Plan {
    Plan {
        input: path.split('!').next().unwrap_or(path).to_string(),
        strategies: strategies.iter().map(|s| s.to_string()).collect(),
    }
}

/// How strong a strategy is: where two findings on one input ask for
/// different ones for a kind, the stronger wins.
fn strength(name: &str) -> u8 {
    match name {
        "drop" => 4,
        "redact" => 3,
        "hash" => 2,
        "tokenize" => 1,
        _ => 0,
    }
}

/// One command per input, doing what every finding on it asks: each
/// finding on the input shows the same command, so running it once does
/// all (a second run would meet the copy already written).
fn commands(issues: &mut [Issue]) {
    let mut merged: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for issue in issues.iter() {
        let wanted = merged.entry(issue.plan.input.clone()).or_default();
        for setting in &issue.plan.strategies {
            let (kind, name) = setting.split_once('=').unwrap_or((setting, "partial"));
            let stronger = wanted
                .get(kind)
                .is_none_or(|had| strength(name) > strength(had));
            if stronger {
                wanted.insert(kind.to_string(), name.to_string());
            }
        }
    }
    for issue in issues.iter_mut() {
        let wanted = &merged[&issue.plan.input];
        let all = wanted.get("all").map(|name| strength(name));
        let mut line = format!("piiscan mask {}", shell_quote(&issue.plan.input));
        let mut keyed = false;
        for (kind, name) in wanted {
            // A kind masked no more strongly than everything is left to `all`.
            if kind != "all" && all.is_some_and(|all| strength(name) <= all) {
                continue;
            }
            keyed |= matches!(name.as_str(), "hash" | "tokenize");
            let _ = write!(line, " --strategy {kind}={name}");
        }
        if keyed {
            line.push_str(" --key-file KEY_FILE");
        }
        line.push_str(" --out masked/");
        issue.command = line;
    }
}

/// `text` as one shell word.
fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._/-+@%:,".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_quote_paths_name_the_archive_and_merge() {
        let mut issues = vec![
            issue(
                "a",
                "",
                Severity::High,
                "exports/a b.csv",
                None,
                String::new(),
                String::new(),
                command("exports/a b.csv", &["credit_card=partial"]),
            ),
            issue(
                "b",
                "",
                Severity::High,
                "exports/a b.csv",
                None,
                String::new(),
                String::new(),
                command("exports/a b.csv", &["us_ssn=hash", "credit_card=redact"]),
            ),
            issue(
                "c",
                "",
                Severity::High,
                "x.zip!in/it's.csv",
                None,
                String::new(),
                String::new(),
                command("x.zip!in/it's.csv", &[]),
            ),
            issue(
                "d",
                "",
                Severity::High,
                "y.csv",
                None,
                String::new(),
                String::new(),
                command("y.csv", &["all=redact", "email=partial", "iban=drop"]),
            ),
        ];
        commands(&mut issues);
        let merged = "piiscan mask 'exports/a b.csv' --strategy credit_card=redact --strategy us_ssn=hash --key-file KEY_FILE --out masked/";
        assert_eq!(issues[0].command, merged);
        assert_eq!(issues[1].command, merged);
        assert_eq!(issues[2].command, "piiscan mask x.zip --out masked/");
        assert_eq!(
            issues[3].command,
            "piiscan mask y.csv --strategy all=redact --strategy iban=drop --out masked/"
        );
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }

    #[test]
    fn ids_are_stable_and_differ_by_place() {
        let at = |path: &str| {
            let none = String::new;
            issue(
                "retention",
                "",
                Severity::High,
                path,
                None,
                none(),
                none(),
                Plan::default(),
            )
        };
        let (a, b, c) = (at("a.csv"), at("a.csv"), at("b.csv"));
        assert_eq!(a.id, b.id);
        assert_ne!(a.id, c.id);
        assert!(a.id.starts_with("retention-"));
    }
}
