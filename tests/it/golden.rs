//! Golden files: every output format of `scan` on the fixtures, and the
//! report's minimisation findings, byte for byte, reviewed like code. After an intended change, rewrite them with
//! `UPDATE_GOLDEN=1 cargo test golden` and read the diff.

use std::path::PathBuf;

use crate::harness::piiscan;

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares `got` with the golden file `name`, or rewrites it.
fn check(name: &str, got: &[u8]) {
    let path = golden(name);
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::write(&path, got).expect("write golden file");
        return;
    }
    let want = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    if got != want {
        let (got, want) = (String::from_utf8_lossy(got), String::from_utf8_lossy(&want));
        let first = got.lines().zip(want.lines()).position(|(g, w)| g != w);
        panic!(
            "{name} differs from its golden file (first different line: {:?})\n--- got\n{got}\n--- want\n{want}",
            first.map(|i| i + 1)
        );
    }
}

fn scan_fixtures(format: &str, extra: &[&str]) -> Vec<u8> {
    let mut args = vec![
        "scan",
        "fixtures",
        "--no-progress",
        "--color",
        "never",
        "--fail-on",
        "never",
        "--format",
        format,
    ];
    args.extend_from_slice(extra);
    let out = piiscan(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn every_output_format_matches_its_golden_file() {
    for format in ["text", "json", "ndjson", "csv", "sarif", "github", "junit"] {
        check(&format!("fixtures.{format}"), &scan_fixtures(format, &[]));
    }
}

#[test]
fn the_coverage_file_matches_its_golden_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let coverage = dir.path().join("coverage.json");
    let coverage_arg = coverage.to_str().expect("utf-8 temp path");
    scan_fixtures("ndjson", &["--coverage", coverage_arg]);
    // Modification times follow the checkout, not the code: shown as 0.
    let text = std::fs::read_to_string(&coverage).expect("coverage written");
    let times = without_times(&text);
    check("fixtures.coverage.json", times.as_bytes());
}

/// `text` with every `"modified": N` as `"modified": 0`.
fn without_times(text: &str) -> String {
    text.lines()
        .map(|line| match line.split_once("\"modified\": ") {
            Some((head, tail)) if tail != "null" => format!("{head}\"modified\": 0"),
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn the_report_s_minimisation_findings_match_their_golden_file() {
    // CSV holds the findings, not file ages (which follow the checkout).
    let out = piiscan(&["report", "fixtures", "--no-progress", "--format", "csv"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check("fixtures.report.csv", &out.stdout);
}
