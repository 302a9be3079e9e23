//! `piiscan report`: each minimisation finding fires where it should and
//! nowhere else; `report PATH` and `report --from` (saved NDJSON and the
//! scan's coverage file) give the same report; no format holds a value.

use std::fs;
use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::harness::{piiscan, stdout};

/// A fixed "now" (2026-12-06), so ages and dates do not move.
const NOW: &str = "1796601599";

fn report(args: &[&str]) -> Output {
    let mut all = vec!["report", "--no-progress"];
    all.extend_from_slice(args);
    crate::harness::bin()
        .args(&all)
        .env("SOURCE_DATE_EPOCH", NOW)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run piiscan")
}

fn report_json(args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = report(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).expect("the report parses")
}

/// (check, path, column) of every minimisation finding.
fn fired(report: &Value) -> Vec<(String, String, Option<String>)> {
    report["minimisation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["check"].as_str().unwrap().to_string(),
                i["path"].as_str().unwrap().to_string(),
                i["column"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn paths_of(fired: &[(String, String, Option<String>)], check: &str) -> Vec<String> {
    let mut paths: Vec<String> = fired
        .iter()
        .filter(|f| f.0 == check)
        .map(|f| f.1.clone())
        .collect();
    paths.sort();
    paths
}

#[test]
fn each_check_fires_on_the_fixtures_where_it_should() {
    let report = report_json(&["fixtures"]);
    let fired = fired(&report);
    // Full card numbers: exactly the files where scan finds a card.
    let findings = crate::harness::scan_json(&["fixtures"]);
    let mut with_cards: Vec<String> = findings
        .iter()
        .filter(|f| f["kind"] == "credit_card")
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    with_cards.sort();
    with_cards.dedup();
    assert_eq!(paths_of(&fired, "full-card-numbers"), with_cards);
    for issue in report["minimisation"].as_array().unwrap() {
        if issue["check"] == "full-card-numbers" {
            assert_eq!(issue["severity"], "critical");
            assert!(issue["principle"].as_str().unwrap().contains("PCI DSS"));
            let command = issue["command"].as_str().unwrap();
            assert!(command.starts_with("piiscan mask "), "{command}");
            assert!(
                command.contains("--strategy credit_card=partial"),
                "{command}"
            );
        }
    }
    // National identity numbers: the US HR note (SSNs) only.
    assert_eq!(
        paths_of(&fired, "national-ids"),
        ["fixtures/notes/hr-us.txt"]
    );
    // Free-text columns: the notes key of the JSON customers only.
    let free: Vec<_> = fired.iter().filter(|f| f.0 == "free-text").collect();
    assert!(!free.is_empty());
    for (_, _, column) in &free {
        let column = column.as_deref().unwrap();
        assert!(column.contains("note"), "{column}");
    }
    // No retention without --retention; no key column in files this small.
    assert!(paths_of(&fired, "retention").is_empty());
    assert!(paths_of(&fired, "identifier-key-column").is_empty());
    // Nothing the fixtures do not hold.
    assert!(paths_of(&fired, "credentials").is_empty());
    // An SQL dump's values are grouped by table and column.
    let columns = report["columns"].as_array().unwrap();
    let card = columns
        .iter()
        .find(|c| c["path"] == "fixtures/sql/payments-mysqldump.sql" && c["kind"] == "credit_card")
        .unwrap();
    assert_eq!(card["column"], "payments.card_number");
    assert!(columns.iter().any(|c| c["column"] == "kunden.geburtsdatum"));
    // Every id is stable: the same run gives the same ids.
    let again = report_json(&["fixtures"]);
    assert_eq!(again["minimisation"], report["minimisation"]);
}

#[test]
fn retention_key_columns_credentials_and_copies_fire_where_they_should() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // Twenty customers, each email distinct: the email column is a key;
    // the plan column repeats and holds nothing.
    let mut customers = String::from("email,plan,notes\n");
    for i in 0..20 {
        let note = if i == 3 {
            "call +44 7700 900123 after 6"
        } else {
            ""
        };
        customers.push_str(&format!("user{i}.pop@example.ro,basic,{note}\n"));
    }
    fs::write(root.join("customers.csv"), &customers).unwrap();
    // The same emails again in another export: copies across files.
    let mut copy = String::from("id,email\n");
    for i in 0..8 {
        copy.push_str(&format!("{i},user{i}.pop@example.ro\n"));
    }
    fs::write(root.join("old-export.csv"), &copy).unwrap();
    // An old file still holding personal data, and a new one.
    let old = root.join("old-export.csv");
    let two_years = std::time::Duration::from_secs(2 * 365 * 86_400);
    let then = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_796_601_599) - two_years;
    fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(then)
        .unwrap();
    // A credential in a config file.
    fs::write(
        root.join("settings.env"),
        "aws_access_key_id=AKIAQ3EGRWXZ4YB7KT5N\n",
    )
    .unwrap();
    let report = report_json(&[root.to_str().unwrap(), "--retention", "365d"]);
    let fired = fired(&report);
    let name = |file: &str| root.join(file).to_string_lossy().into_owned();
    assert_eq!(paths_of(&fired, "retention"), [name("old-export.csv")]);
    let keys: Vec<_> = fired
        .iter()
        .filter(|f| f.0 == "identifier-key-column")
        .collect();
    assert_eq!(keys.len(), 1, "{fired:?}");
    assert_eq!(keys[0].1, name("customers.csv"));
    assert_eq!(keys[0].2.as_deref(), Some("email"));
    assert_eq!(paths_of(&fired, "credentials"), [name("settings.env")]);
    let copies = paths_of(&fired, "copies-across-files");
    assert_eq!(copies.len(), 1, "{fired:?}");
    assert!(copies[0].contains("customers.csv") && copies[0].contains("old-export.csv"));
    let free: Vec<_> = fired.iter().filter(|f| f.0 == "free-text").collect();
    assert_eq!(free.len(), 1, "{fired:?}");
    assert_eq!(free[0].2.as_deref(), Some("notes"));
    // The column's distinct count is exact, and its sample masked.
    let email = report["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["column"] == "email" && c["path"] == name("customers.csv").as_str())
        .unwrap();
    assert_eq!(email["distinct"], 20);
    assert_eq!(email["distinct_estimated"], false);
    assert_eq!(email["share"], 1.0);
    assert!(!email["sample"].as_str().unwrap().contains("user"));
    // A year's retention is not two years: a shorter file age does not fire.
    let lenient = report_json(&[root.to_str().unwrap(), "--retention", "3y"]);
    assert!(paths_of(&self::fired(&lenient), "retention").is_empty());
}

#[test]
fn a_report_from_saved_output_is_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let ndjson = dir.path().join("findings.ndjson");
    let coverage = dir.path().join("coverage.json");
    let scan = piiscan(&[
        "scan",
        "fixtures",
        "--no-progress",
        "--fail-on",
        "never",
        "--format",
        "ndjson",
        "-o",
        ndjson.to_str().unwrap(),
        "--coverage",
        coverage.to_str().unwrap(),
    ]);
    assert_eq!(
        scan.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&scan.stderr)
    );
    for format in ["json", "csv", "text"] {
        let direct = report(&["fixtures", "--format", format, "--retention", "30d"]);
        let saved = report(&[
            "--from",
            ndjson.to_str().unwrap(),
            "--from",
            coverage.to_str().unwrap(),
            "--format",
            format,
            "--retention",
            "30d",
        ]);
        assert_eq!(
            saved.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&saved.stderr)
        );
        assert!(direct.stdout == saved.stdout, "{format} differs");
    }
    // A split scan: two halves of the findings give the same report too.
    let text = fs::read_to_string(&ndjson).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (a, b) = lines.split_at(lines.len() / 2);
    let (half_a, half_b) = (dir.path().join("a.ndjson"), dir.path().join("b.ndjson"));
    fs::write(&half_a, a.join("\n") + "\n").unwrap();
    fs::write(&half_b, b.join("\n") + "\n").unwrap();
    let whole = report(&["--from", ndjson.to_str().unwrap(), "--format", "json"]);
    let split = report(&[
        "--from",
        half_a.to_str().unwrap(),
        "--from",
        half_b.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(whole.stdout == split.stdout);
    // Without the coverage file, what was not examined is unknown, said.
    let findings_only: Value = serde_json::from_slice(&whole.stdout).unwrap();
    assert_eq!(findings_only["coverage"]["known"], false);
    assert_eq!(findings_only["totals"]["files_examined"], Value::Null);
}

#[test]
fn saved_output_that_is_not_findings_is_refused_without_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ndjson");
    fs::write(&bad, "{\"rule\":\"email\"}\nana.pop@example.ro\n").unwrap();
    let out = report(&["--from", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.ndjson:1"), "{err}");
    assert!(!err.contains("ana.pop"), "{err}");
    let out = report(&["fixtures", "--from", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    // The report never replaces a file it reads.
    let before = fs::read(&bad).unwrap();
    let out = report(&["--from", bad.to_str().unwrap(), "-o", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read(&bad).unwrap(), before);
}

#[test]
fn no_format_holds_a_value() {
    let findings = crate::harness::scan_json(&["fixtures"]);
    for format in ["text", "json", "csv", "html"] {
        let out = report(&["fixtures", "--format", format]);
        let text = stdout(&out);
        for f in &findings {
            // The value itself is never in the report; its masked form may be.
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(f["path"].as_str().unwrap());
            if let Ok(content) = fs::read(&path) {
                let (start, end) = (
                    f["start"].as_u64().unwrap() as usize,
                    f["end"].as_u64().unwrap() as usize,
                );
                if let Some(value) = content
                    .get(start..end)
                    .and_then(|v| std::str::from_utf8(v).ok())
                {
                    if value.len() >= 6 {
                        assert!(!text.contains(value), "{format}: a value in the clear");
                    }
                }
            }
        }
    }
}

#[test]
fn the_html_report_is_one_page_that_asks_for_nothing() {
    let out = report(&["fixtures", "--format", "html"]);
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    for part in [
        "id=\"chart-kinds\"",
        "id=\"chart-files\"",
        "id=\"t-issues\"",
        "id=\"t-files\"",
        "id=\"t-columns\"",
        "<script>",
    ] {
        assert!(page.contains(part), "{part}");
    }
    // No address a browser would fetch: no URL, no external stylesheet or
    // script (the browser test checks the same in Chromium).
    for fetch in ["http://", "https://", "src=", "href=", "@import", "url("] {
        assert!(!page.contains(fetch), "{fetch}");
    }
    // Markup in a file name is text, not markup.
    let dir = tempfile::tempdir().unwrap();
    let name = dir.path().join("<b>x.csv");
    fs::write(&name, "email\nana.pop@example.ro\n").unwrap();
    let out = report(&[dir.path().to_str().unwrap(), "--format", "html"]);
    let page = stdout(&out);
    assert!(page.contains("&lt;b&gt;x.csv"));
    assert!(!page.contains("<b>x"));
}

#[test]
fn an_input_named_as_the_output_is_refused_and_an_earlier_output_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("a.csv");
    fs::write(&data, "email\nana.pop@example.ro\n").unwrap();
    let root = dir.path().to_str().unwrap();
    for command in ["report", "scan"] {
        let out = piiscan(&[command, root, "--no-progress", "-o", data.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("would replace an input"));
        assert_eq!(
            fs::read_to_string(&data).unwrap(),
            "email\nana.pop@example.ro\n"
        );
    }
    // A run repeated over its own earlier output replaces it.
    let html = dir.path().join("report.html");
    for _ in 0..2 {
        let out = report(&[root, "--format", "html", "-o", html.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let scan_out = dir.path().join("findings.json");
    for _ in 0..2 {
        let out = piiscan(&[
            "scan",
            root,
            "--no-progress",
            "--format",
            "json",
            "--fail-on",
            "never",
            "-o",
            scan_out.to_str().unwrap(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
