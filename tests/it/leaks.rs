//! Nothing leaks: every command and every output format, run over inputs
//! seeded with known values (and over inputs that make each command fail),
//! never writes one of those values in the clear: not on standard output,
//! not on standard error, not in any file it writes but a copy it was
//! asked for unmasked. Inputs are byte-identical afterwards.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::harness::bin;

/// The values seeded, each as it must never appear.
const VALUES: &[&str] = &[
    "quillon.brezhavik@example.org",
    "4917632283547010",
    "4917 6322 8354 7010",
    "NL81RABO0312345678",
    "NL81 RABO 0312 3456 78",
    "+44 7700 900456",
    "Quillon Brezhavik",
    "Smithsonovic",
    "Margarethe",
    "Oosterhuis",
    "287-65-4321",
    "1979-11-23",
];

/// A folder of inputs holding the values in every structure piiscan reads.
fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let put = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap();
    put(
        "customers.csv",
        "name,email,card,iban,phone,ssn,date_of_birth\n\
         Quillon Brezhavik,quillon.brezhavik@example.org,4917 6322 8354 7010,\
         NL81 RABO 0312 3456 78,+44 7700 900456,287-65-4321,1979-11-23\n",
    );
    put(
        "headerless.csv",
        "Margarethe,Oosterhuis,Rotterdam\nquillon.brezhavik@example.org,+44 7700 900456,Paris\n",
    );
    put(
        "keyed.json",
        r#"{"Smithsonovic": {"surname": "Smithsonovic", "card": "4917632283547010"}}"#,
    );
    put(
        "dump.sql",
        "-- MySQL dump 10.13\nINSERT INTO users (name, email, iban) VALUES \
         ('Quillon Brezhavik','quillon.brezhavik@example.org','NL81RABO0312345678');\n",
    );
    put(
        "notes.txt",
        "Card 4917 6322 8354 7010, SSN 287-65-4321, date of birth: 1979-11-23.\n\
         Kind regards,\nQuillon Brezhavik\n",
    );
    put(
        "broken.csv",
        "email,note\nquillon.brezhavik@example.org,\"open quote\n",
    );
    let mut zip = zip::ZipWriter::new(fs::File::create(dir.path().join("bundle.zip")).unwrap());
    zip.start_file("inner/people.csv", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"email,card\nquillon.brezhavik@example.org,4917632283547010\n")
        .unwrap();
    zip.finish().unwrap();
    dir
}

/// Every file under `dir`, by path, with its bytes.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Seeded where no rule can tell them from other words (a headerless
/// file's first row; a JSON key): never printed, but a masked copy, which
/// masks what the scan finds, keeps them.
const UNFOUND: &[&str] = &["Margarethe", "Oosterhuis", "Smithsonovic"];

/// Fails naming the place when `bytes` hold a seeded value.
fn assert_clean(place: &str, bytes: &[u8]) {
    assert_none_of(VALUES, place, bytes);
}

/// Fails naming the place when `bytes` hold one of `values`.
fn assert_none_of(values: &[&str], place: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for value in values {
        assert!(!text.contains(value), "{place} holds `{value}`:\n{text}");
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn no_output_of_any_command_holds_a_value() {
    let inputs = seeded();
    let before = files(inputs.path());
    let out = tempfile::tempdir().unwrap();
    let o = |name: &str| out.path().join(name).to_string_lossy().into_owned();
    let input = inputs.path().to_string_lossy().into_owned();
    let mut runs: Vec<(String, Vec<String>)> = Vec::new();
    for format in ["text", "json", "ndjson", "csv", "sarif", "github", "junit"] {
        runs.push((
            format!("scan --format {format}"),
            [
                "scan",
                "--no-progress",
                "--min-confidence",
                "low",
                "--format",
                format,
                &input,
            ]
            .map(String::from)
            .to_vec(),
        ));
    }
    let coverage = o("coverage.json");
    let baseline = o("baseline.json");
    let findings = o("findings.ndjson");
    runs.push((
        "scan with coverage, baseline, output file, verbose".into(),
        [
            "scan",
            "-v",
            "--format",
            "ndjson",
            "-o",
            &findings,
            "--coverage",
            &coverage,
            "--write-baseline",
            &baseline,
            &input,
        ]
        .map(String::from)
        .to_vec(),
    ));
    runs.push((
        "scan against the baseline".into(),
        ["scan", "--baseline", &baseline, &input]
            .map(String::from)
            .to_vec(),
    ));
    for format in ["text", "json", "csv", "html"] {
        runs.push((
            format!("report --format {format}"),
            ["report", "--format", format, &input]
                .map(String::from)
                .to_vec(),
        ));
    }
    runs.push((
        "report --from".into(),
        ["report", "--from", &findings, "--from", &coverage]
            .map(String::from)
            .to_vec(),
    ));
    let masked = o("masked");
    runs.push((
        "mask".into(),
        ["mask", "--format", "json", "--out", &masked, &input]
            .map(String::from)
            .to_vec(),
    ));
    // Runs that fail: a data file given as rules, settings or a baseline,
    // a JSON key file read as a rule folder.
    let data = inputs
        .path()
        .join("notes.txt")
        .to_string_lossy()
        .into_owned();
    let csv = inputs
        .path()
        .join("customers.csv")
        .to_string_lossy()
        .into_owned();
    runs.push((
        "rules from a data file".into(),
        ["scan", "--rules", &csv, &input].map(String::from).to_vec(),
    ));
    runs.push((
        "settings from a data file".into(),
        ["scan", "--config", &data, &input]
            .map(String::from)
            .to_vec(),
    ));
    runs.push((
        "baseline from a data file".into(),
        ["scan", "--baseline", &csv, &input]
            .map(String::from)
            .to_vec(),
    ));
    runs.push((
        "rules check of a data file".into(),
        ["rules", "check", &csv].map(String::from).to_vec(),
    ));
    for (what, args) in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run(out.path(), &args);
        assert!(output.status.code().is_some(), "{what}: killed");
        assert_clean(&format!("{what}: stdout"), &output.stdout);
        assert_clean(&format!("{what}: stderr"), &output.stderr);
    }
    // Every file the runs wrote: findings, coverage, baseline, masked
    // copies (the archive's member read through the zip).
    let found: Vec<&str> = VALUES
        .iter()
        .copied()
        .filter(|v| !UNFOUND.contains(v))
        .collect();
    for (path, bytes) in files(out.path()) {
        let shown = path.display().to_string();
        let values = match path.starts_with(out.path().join("masked")) {
            true => &found[..],
            false => VALUES,
        };
        if path.extension().is_some_and(|e| e == "zip") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..zip.len() {
                let mut member = Vec::new();
                std::io::Read::read_to_end(&mut zip.by_index(i).unwrap(), &mut member).unwrap();
                assert_none_of(values, &format!("{shown}!{i}"), &member);
            }
        } else {
            assert_none_of(values, &shown, &bytes);
        }
    }
    assert!(out.path().join("masked").join("customers.csv").exists());
    assert!(out.path().join("masked").join("bundle.zip").exists());
    assert_eq!(files(inputs.path()), before, "inputs changed");
}
