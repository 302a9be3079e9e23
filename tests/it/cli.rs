//! The command line on `fixtures/`: findings, exit codes, formats, inputs
//! and limits, output parsed back as data.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use serde_json::Value;

use crate::harness::{fixtures, piiscan, piiscan_stdin, scan_json, stdout};

/// Every personal-data value planted in `fixtures/`, as written there.
const SEEDED: &[&str] = &[
    "4787789328792170",
    "5234123456789012",
    "4012888888881881",
    "+44 7700 900123",
    "4421 8096 7929 0814",
    "4421-8096-7929-0814",
    "5100-3390-7579-3836",
    "2720470174681452",
    "3438 401916 14614",
    "6011003307666196",
    "3541 3451 4506 1239",
    "RO22RNCB0082004530230001",
    "FR9204940326991023740954611",
    "DE06 1007 7283 7832 6616 63",
    "DE06100772837832661663",
    "NL64ABNA0417164301",
    "ES8826224393328367916011",
    "BE77 0754 0091 7145",
    "PL55014673002458921527589290",
    "IT7608436469748212378991433",
    "FR76 3000 6000 0112 3456 7890 189",
    "ana.pop@example.ro",
    "jean.dupont@exemple.fr",
    "m.mueller@beispiel.de",
    "jörg@bücher.example",
    "s.rossi@esempio.it",
    "kowalski.jan@przyklad.pl",
    "ana.utf16@example.ro",
    "wei.zhang@example.com",
    "chinedu.okafor@example.org",
    "1984-07-21",
    "1979-02-14",
    "+40 721 234 567",
    "06 12 34 56 78",
    "+49 30 1234567",
    "07700 900123",
    "+39 312 345 6789",
    "(415) 555-0134",
    "415.555.0188",
    "203.0.113.45",
    "198.51.100.23",
    "192.0.2.77",
    "2001:db8::8a2e:370:7334",
    "2001:db8:85a3::8a2e:370:7334",
    "536-22-1234",
    "212098765",
    "Ana Pop",
    "Jan Kowalski",
    "claire.martin@exemple.fr",
    "12/05/1984",
    "03/11/1990",
    "1985-03-15",
    "12 rue de la Paix",
    // Named in a self-introduction (fixtures/notes/ticket-fr.txt).
    "Jean Dupont",
    // Whole cells under an address header.
    "12 rue de la Paix\n75002 Paris",
    "8 avenue Foch; bat. B\n69006 Lyon",
    "8 avenue Foch",
    // First names and surnames, in columns named for them.
    "Ana",
    "Pop",
    "Jean",
    "Dupont",
    "Maria",
    "Müller",
    "Jörg",
    "Bauer",
    "Martin",
    "Claire",
    "Wei",
    "Zhang",
    "Chinedu",
    "Okafor",
];

fn kinds_in(findings: &[Value], path_suffix: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f["path"].as_str().unwrap().ends_with(path_suffix))
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect()
}

fn digits_or_text(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric() || *c == '@' || *c == '.')
        .collect::<String>()
        .to_lowercase()
}

#[test]
fn finds_the_seeded_values_with_exact_offsets() {
    let findings = scan_json(&["fixtures"]);
    assert_eq!(
        kinds_in(&findings, "customers.csv"),
        [
            [
                "person_name",
                "person_name",
                "email",
                "phone",
                "credit_card",
                "iban",
                "ip_address"
            ]
            .repeat(3),
            vec!["person_name", "person_name", "email", "phone", "iban"],
        ]
        .concat()
    );
    for f in &findings {
        let path = f["path"].as_str().unwrap();
        let content = decoded(Path::new(env!("CARGO_MANIFEST_DIR")).join(path).as_path());
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        let value = content.slice(start, end);
        assert!(
            SEEDED
                .iter()
                .any(|s| digits_or_text(s) == digits_or_text(&value)),
            "{path} {start}..{end} is not a seeded value"
        );
        // The masked value has the shape of the value.
        assert_eq!(
            f["masked"].as_str().unwrap().chars().count(),
            value.chars().count()
        );
        assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1);
    }
}

/// File content after decompression, sliceable by the finding offsets.
enum Content {
    Bytes(Vec<u8>),
    Utf16(Vec<u8>),
}

impl Content {
    fn slice(&self, start: usize, end: usize) -> String {
        match self {
            Content::Bytes(b) => String::from_utf8(b[start..end].to_vec()).unwrap(),
            Content::Utf16(b) => {
                let units: Vec<u16> = b[start..end]
                    .chunks(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16(&units).unwrap()
            }
        }
    }
}

/// The content findings in `path` point into: a file's bytes after
/// decompression, or an archive member's (`outer.zip!inner.csv.gz`).
fn decoded(path: &Path) -> Content {
    let text = path.to_str().unwrap();
    let mut parts = text.split('!');
    let mut raw = decompressed(std::fs::read(parts.next().unwrap()).unwrap());
    for member in parts {
        raw = decompressed(member_of(&raw, member));
    }
    if raw.starts_with(&[0xff, 0xfe]) {
        Content::Utf16(raw)
    } else {
        Content::Bytes(raw)
    }
}

/// `raw`, decompressed if it is gzip, zstd, bzip2 or xz (recursively).
fn decompressed(raw: Vec<u8>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut reader: Box<dyn Read + '_> = match raw.as_slice() {
        [0x1f, 0x8b, ..] => Box::new(flate2::read::MultiGzDecoder::new(&raw[..])),
        [0x28, 0xb5, 0x2f, 0xfd, ..] => {
            Box::new(zstd::stream::read::Decoder::new(&raw[..]).unwrap())
        }
        [b'B', b'Z', b'h', ..] => Box::new(bzip2::read::MultiBzDecoder::new(&raw[..])),
        [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => Box::new(liblzma::read::XzDecoder::new(&raw[..])),
        _ => return raw,
    };
    reader.read_to_end(&mut out).unwrap();
    drop(reader);
    decompressed(out)
}

/// The bytes of member `name` of the zip or tar archive `raw`.
fn member_of(raw: &[u8], name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    if raw.starts_with(b"PK") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(raw)).unwrap();
        zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
        return out;
    }
    let mut tar = tar::Archive::new(raw);
    let mut entry = tar
        .entries()
        .unwrap()
        .map(Result::unwrap)
        .find(|e| e.path_bytes() == name.as_bytes())
        .unwrap_or_else(|| panic!("no member {name}"));
    entry.read_to_end(&mut out).unwrap();
    out
}

#[test]
fn line_and_column_point_at_the_value() {
    let findings = scan_json(&["fixtures/notes/hr-us.txt"]);
    let ssn = &findings[0];
    assert_eq!(
        (ssn["line"].as_u64(), ssn["column"].as_u64()),
        (Some(2), Some(15))
    );
    assert_eq!(ssn["masked"], "***-**-1234");
    let utf16 = scan_json(&["fixtures/utf16/contacts-utf16le.txt"]);
    // "Card: " is 6 UTF-16 units = 12 bytes into line 3.
    let card = utf16.iter().find(|f| f["kind"] == "credit_card").unwrap();
    assert_eq!(
        (card["line"].as_u64(), card["column"].as_u64()),
        (Some(3), Some(13))
    );
}

#[test]
fn sql_dumps_name_the_columns_of_their_values() {
    let findings = scan_json(&["fixtures/sql"]);
    let found = |file: &str| -> Vec<(String, String)> {
        findings
            .iter()
            .filter(|f| f["path"].as_str().unwrap().ends_with(file))
            .map(|f| {
                (
                    f["kind"].as_str().unwrap().into(),
                    f["masked"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter().map(|&(k, m)| (k.into(), m.into())).collect()
    };
    // mysqldump: columns from CREATE TABLE; the city column holds none.
    assert_eq!(
        found("shop-mysqldump.sql"),
        pairs(&[
            ("person_name", "A**"),
            ("person_name", "P**"),
            ("date_of_birth", "****-**-**"),
            ("person_name", "J***"),
            ("person_name", "D*****"),
        ])
    );
    // pg_dump: COPY rows in the columns its header names; the note's date
    // and name are not in a birth-date or name column.
    assert_eq!(
        found("kunden-pgdump.sql"),
        pairs(&[("person_name", "M*****"), ("date_of_birth", "**/**/****")])
    );
}

#[test]
fn a_utf16_spreadsheet_export_names_its_columns() {
    let findings = scan_json(&["fixtures/utf16/customers-utf16le.csv"]);
    let in_column = |kind: &str, column: &str| {
        let rows: Vec<u64> = findings
            .iter()
            .filter(|f| f["kind"] == kind && f["csv_column"] == column)
            .map(|f| f["csv_row"].as_u64().unwrap())
            .collect();
        rows
    };
    assert_eq!(in_column("person_name", "first_name"), [1, 2, 3]);
    assert_eq!(in_column("person_name", "last_name"), [1, 2, 3]);
    assert_eq!(in_column("date_of_birth", "date_of_birth"), [1, 2, 3]);
    assert_eq!(in_column("email", "email"), [1, 2, 3]);
    assert_eq!(findings.len(), 12, "the city column holds no personal data");
}

#[test]
fn lookalikes_give_no_finding() {
    let out = piiscan(&[
        "scan",
        "--no-progress",
        "--format",
        "json",
        "fixtures/negatives",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out).trim(), "[]");
}

#[test]
fn no_output_format_leaks_a_seeded_value() {
    for format in ["text", "json", "ndjson", "csv"] {
        let out = piiscan(&["scan", "--no-progress", "--format", format, "fixtures"]);
        assert_eq!(out.status.code(), Some(1));
        let all = format!("{}{}", stdout(&out), String::from_utf8_lossy(&out.stderr));
        assert!(!all.is_empty());
        for value in SEEDED {
            assert!(
                !all.contains(value),
                "{format} output contains a seeded value"
            );
            let compact: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect();
            assert!(
                !all.contains(&compact),
                "{format} output contains a seeded value"
            );
        }
    }
}

#[test]
fn csv_and_ndjson_parse_back_to_the_same_findings() {
    let json = scan_json(&["fixtures"]);
    let out = piiscan(&["scan", "--no-progress", "--format", "csv", "fixtures"]);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), json.len());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (row, f) in rows.iter().zip(&json) {
        assert_eq!(&row[col("fingerprint")], f["fingerprint"].as_str().unwrap());
        assert_eq!(
            row[col("start")].parse::<u64>().unwrap(),
            f["start"].as_u64().unwrap()
        );
        assert!(
            !row[col("masked")].starts_with('+'),
            "formula not neutralised"
        );
    }
    let out = piiscan(&["scan", "--no-progress", "--format", "ndjson", "fixtures"]);
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, json);
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let one = piiscan(&[
        "scan",
        "--no-progress",
        "--format",
        "ndjson",
        "-j",
        "1",
        "fixtures",
    ]);
    let two = piiscan(&[
        "scan",
        "--no-progress",
        "--format",
        "ndjson",
        "-j",
        "2",
        "fixtures",
    ]);
    assert_eq!(one.status.code(), Some(1), "findings, no crash");
    assert!(one.stdout.len() > 1000, "findings written");
    assert_eq!(one.stdout, two.stdout);
}

/// More threads than cores once hung: a pool thread splitting a large file
/// picked up a later input's worker loop while it waited, and that loop
/// waited for the large file's turn. A large file followed by more small
/// files than may be scanned ahead of the writer, at -j 8 and -j 16, many
/// times, each under a time limit.
#[test]
fn no_thread_count_hangs_a_large_file_before_many_small_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let line = "The quick brown fox jumps over the lazy dog, twice a day.\n";
    let mut big = line.repeat((9 << 20) / line.len());
    big.push_str("contact: ana.pop@example.ro\n");
    std::fs::write(dir.path().join("a-large.log"), big).expect("write large file");
    for i in 0..400 {
        let small = format!("name,email\nAna Pop,ana{i}@example.ro\n");
        std::fs::write(dir.path().join(format!("s{i:04}.csv")), small).expect("write small file");
    }
    let limit = std::time::Duration::from_secs(120);
    for threads in ["8", "16"] {
        for run in 0..6 {
            let mut child = crate::harness::bin()
                .args(["scan", "-q", "--format", "ndjson", "-j", threads])
                .arg(dir.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .expect("run piiscan");
            let mut out = child.stdout.take().expect("stdout");
            let reader = std::thread::spawn(move || {
                let mut text = String::new();
                out.read_to_string(&mut text).map(|_| text)
            });
            let started = std::time::Instant::now();
            let status = loop {
                if let Some(status) = child.try_wait().expect("wait for piiscan") {
                    break status;
                }
                if started.elapsed() > limit {
                    let _ = child.kill();
                    panic!("-j {threads}, run {run}: no result after {limit:?}");
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            };
            let text = reader.join().expect("reader").expect("utf-8 output");
            assert_eq!(status.code(), Some(1), "-j {threads}, run {run}");
            assert_eq!(text.lines().count(), 401 + 400, "-j {threads}, run {run}");
        }
    }
}

#[test]
fn exit_codes_follow_the_contract() {
    let code = |args: &[&str]| piiscan(args).status.code();
    assert_eq!(code(&["scan", "fixtures"]), Some(1));
    assert_eq!(code(&["scan", "--fail-on", "never", "fixtures"]), Some(0));
    // hr-us.txt holds critical SSNs; ticket-fr.txt holds at most high (IBAN).
    assert_eq!(
        code(&[
            "scan",
            "--fail-on",
            "critical",
            "fixtures/notes/ticket-fr.txt"
        ]),
        Some(0)
    );
    assert_eq!(
        code(&["scan", "--fail-on", "critical", "fixtures/notes/hr-us.txt"]),
        Some(1)
    );
    assert_eq!(code(&["scan", "fixtures/does-not-exist"]), Some(2));
    assert_eq!(code(&["scan", "--format", "yaml", "fixtures"]), Some(2));
    assert_eq!(
        code(&["scan", "--only", "no-such-rule", "fixtures"]),
        Some(2)
    );
    assert_eq!(
        code(&[
            "scan",
            "--fail-on",
            "never",
            "--fail-on-incomplete",
            "fixtures"
        ]),
        Some(3)
    );
    assert_eq!(
        code(&["scan", "--fail-on-incomplete", "fixtures/negatives"]),
        Some(0)
    );
}

#[test]
fn min_confidence_and_rule_selection_filter() {
    let all = scan_json(&["--min-confidence", "low", "fixtures/notes"]);
    let high = scan_json(&["--min-confidence", "high", "fixtures/notes"]);
    assert!(!high.is_empty() && high.len() < all.len());
    assert!(high.iter().all(|f| f["confidence"] == "high"));
    let emails = scan_json(&["--only", "email", "fixtures"]);
    assert!(!emails.is_empty() && emails.iter().all(|f| f["kind"] == "email"));
    let no_cards = scan_json(&["--disable", "credit_card,iban", "fixtures"]);
    assert!(!no_cards.is_empty());
    assert!(no_cards
        .iter()
        .all(|f| f["kind"] != "credit_card" && f["kind"] != "iban"));
}

#[test]
fn summary_lists_skipped_inputs_on_stderr() {
    let out = piiscan(&["scan", "--no-progress", "fixtures"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("left out: binary (1), not valid CSV"), "{err}");
    assert!(err.contains("could not examine 3 inputs: "), "{err}");
    assert!(
        err.contains("  fixtures/limits/locked.zip!secret.txt (encrypted)"),
        "{err}"
    );
    assert!(err.contains("findings: credit_card"), "{err}");
}

#[test]
fn standard_input_is_scanned() {
    let out = piiscan_stdin(
        &["scan", "--format", "json", "-"],
        b"hello\ncontact: ana.pop@example.ro\n".to_vec(),
    );
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["path"], "-");
    assert_eq!(
        (v[0]["line"].as_u64(), v[0]["column"].as_u64()),
        (Some(2), Some(10))
    );
}

#[test]
fn include_and_exclude_globs() {
    let only_csv = scan_json(&["--include", "*.csv", "fixtures"]);
    assert!(!only_csv.is_empty());
    assert!(only_csv
        .iter()
        .all(|f| f["path"].as_str().unwrap().ends_with(".csv")));
    let no_notes = scan_json(&["--exclude", "notes", "fixtures"]);
    assert!(no_notes
        .iter()
        .all(|f| !f["path"].as_str().unwrap().contains("notes")));
    assert!(!no_notes.is_empty());
}

#[test]
fn a_closed_pipe_is_a_clean_exit() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("many.txt");
    let line = "user ana.pop@example.ro paid with 4787789328792170 from 203.0.113.45\n";
    std::fs::write(&big, line.repeat(50_000)).unwrap();
    let mut child = crate::harness::bin()
        .args(["scan", "--format", "ndjson", big.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_large_file_split_across_threads_matches_streaming() {
    // Over the parallel threshold, with values straddling every piece
    // boundary; standard input streams the same bytes in 1 MiB chunks.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.log");
    let mut data = Vec::with_capacity(20 << 20);
    let values = [
        "ana.pop@example.ro",
        "4787 7893 2879 2170",
        "DE06 1007 7283 7832 6616 63",
        "+49 30 1234567",
    ];
    let mut i = 0;
    while data.len() < (20 << 20) {
        let filler = 997 + (i * 7919) % 3001;
        data.extend(std::iter::repeat_n(b'x', filler));
        data.extend_from_slice(b" ");
        data.extend_from_slice(values[i % values.len()].as_bytes());
        data.extend_from_slice(if i % 3 == 0 { b"\n" } else { b" " });
        i += 1;
    }
    std::fs::write(&path, &data).unwrap();
    let from_file = piiscan(&[
        "scan",
        "--no-progress",
        "--format",
        "ndjson",
        path.to_str().unwrap(),
    ]);
    let from_stdin = piiscan_stdin(&["scan", "--no-progress", "--format", "ndjson", "-"], data);
    let strip = |out: &Output| -> Vec<Value> {
        stdout(out)
            .lines()
            .map(|l| {
                let mut v: Value = serde_json::from_str(l).unwrap();
                v["path"] = Value::Null;
                v
            })
            .collect()
    };
    let (a, b) = (strip(&from_file), strip(&from_stdin));
    assert_eq!(a.len(), i, "every planted value found exactly once");
    assert_eq!(a, b);
}

#[test]
fn rules_commands() {
    let out = piiscan(&["rules", "test"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("passed, 0 failed"));
    let out = piiscan(&["rules", "list"]);
    assert!(stdout(&out).lines().any(|l| l.starts_with("credit-card ")));

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[rule]]\nid = \"x\"\nkind = \"email\"\ncategory = \"nope\"\nseverity = \"low\"\ndescription = \"d\"\npattern = '(['\nexamples = []\nnegatives = [\"a\"]\n",
    )
    .unwrap();
    let out = piiscan(&["rules", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:4: rule `x`: field `category`"),
        "{err}"
    );
    assert!(
        err.contains("bad.toml:7: rule `x`: field `pattern`: does not compile: unclosed character class (column 2 of the pattern)\n"),
        "{err}"
    );
    assert!(
        err.contains("bad.toml:8: rule `x`: field `examples`"),
        "{err}"
    );
    let out = piiscan(&["scan", "--rules", bad.to_str().unwrap(), "fixtures"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn user_rules_are_loaded_and_tested() {
    let dir = tempfile::tempdir().unwrap();
    let rule = dir.path().join("employee.toml");
    std::fs::write(
        &rule,
        r#"
[[rule]]
id = "employee-id"
kind = "employee_id"
category = "person"
severity = "medium"
description = "Internal employee number"
pattern = '\bEMP-\d{6}\b'
keywords = ["EMP-"]
mask = "keep:0:2"
examples = [{ text = "badge EMP-123456", masked = "***-****56" }]
negatives = ["EMP-12345"]
"#,
    )
    .unwrap();
    let out = piiscan(&["rules", "test", rule.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let target = dir.path().join("hr.txt");
    std::fs::write(&target, "badge EMP-654321 issued\n").unwrap();
    let findings = scan_json(&["--rules", rule.to_str().unwrap(), target.to_str().unwrap()]);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["rule"], "employee-id");
    assert_eq!(findings[0]["masked"], "***-****21");
}

#[test]
fn fixtures_folder_is_where_the_readme_says() {
    assert!(fixtures().join("customers.csv").is_file());
}

#[test]
fn a_csv_header_is_context_for_its_column() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("people.csv");
    std::fs::write(
        &csv,
        "id;notes;dob;ssn;ref;name;remark;card_number;code\n\
         1;15/03/1985;15/03/1985;536221234;536221234;Anna Kowalski;Maria Nowak;\
         4787789328792170;4787789328792170\n",
    )
    .unwrap();
    let findings = scan_json(&["--min-confidence", "low", csv.to_str().unwrap()]);
    let columns: Vec<(String, String)> = findings
        .iter()
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["csv_column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // (kind, the column named for it, a column with the same value and another name)
    for (kind, named, other) in [
        ("date_of_birth", "dob", "notes"),
        ("us_ssn", "ssn", "ref"),
        ("person_name", "name", "remark"),
    ] {
        let found = |column: &str| columns.contains(&(kind.to_string(), column.to_string()));
        assert!(found(named), "{kind} not found under {named}: {columns:?}");
        assert!(!found(other), "{kind} found under {other}: {columns:?}");
    }
    assert!(findings.iter().all(|f| f["csv_row"] == 1));
    // A value found either way is more certain under its own header.
    let card = |column: &str| {
        let f = findings.iter().find(|f| f["csv_column"] == column).unwrap();
        f["confidence"].as_str().unwrap().to_string()
    };
    assert_eq!(
        (card("card_number"), card("code")),
        ("high".into(), "medium".into())
    );
}

#[test]
fn a_large_csv_split_across_threads_keeps_its_header_as_context() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("big.csv");
    let mut text = String::from("id,remark,dob\n");
    let rows = 230_000; // about 9 MB: over the parallel threshold of 8 MiB
    for i in 1..=rows {
        text.push_str(&format!("{i},nothing to see here at all,15/03/1985\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let out = piiscan(&[
        "scan",
        "--no-progress",
        "--format",
        "ndjson",
        csv.to_str().unwrap(),
    ]);
    let findings: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(findings.len(), rows);
    let last = findings.last().unwrap();
    assert_eq!(last["csv_row"], rows);
    assert_eq!(last["csv_column"], "dob");
    assert_eq!(last["line"], rows + 1);
}

#[test]
fn a_csv_without_header_never_names_columns_after_its_values() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("raw.csv");
    std::fs::write(
        &csv,
        "ana.pop@example.ro,+40 721 234 567\nm.mueller@beispiel.de,+49 30 1234567\n",
    )
    .unwrap();
    let findings = scan_json(&[csv.to_str().unwrap()]);
    assert_eq!(findings.len(), 4);
    assert_eq!(findings[0]["csv_row"], 1);
    assert_eq!(findings[0]["csv_column"], 1);
    assert_eq!(findings[3]["csv_row"], 2);
    assert_eq!(findings[3]["csv_column"], 2);
    let all = serde_json::to_string(&findings).unwrap();
    assert!(!all.contains("ana.pop"));
    // A first line whose values are not reported still never names columns.
    std::fs::write(&csv, "Jane Roe,0612345678\nx,ana.pop@example.ro\n").unwrap();
    let findings = scan_json(&[csv.to_str().unwrap()]);
    assert_eq!(findings.len(), 1);
    assert_eq!(
        (
            findings[0]["csv_row"].as_u64(),
            findings[0]["csv_column"].as_u64()
        ),
        (Some(2), Some(2))
    );
}

#[test]
fn archive_members_are_named_and_scanned() {
    let findings = scan_json(&["fixtures/archive"]);
    let paths: std::collections::BTreeSet<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let expected = [
        "fixtures/archive/backup.tar!backup/inner.zip!people.tsv",
        "fixtures/archive/bundle.zip!crm/contacts.csv",
        "fixtures/archive/bundle.zip!events.ndjson.zst",
        "fixtures/archive/bundle.zip!logs/app.log.bz2",
        "fixtures/archive/dump.tar.gz!dump/note.txt.xz",
        "fixtures/archive/dump.tar.gz!dump/users.sql",
        "fixtures/archive/export.csv.gz",
    ];
    assert_eq!(paths.into_iter().collect::<Vec<_>>(), expected);
    // A CSV inside a zip still has rows and columns.
    let card = findings
        .iter()
        .find(|f| f["path"] == expected[1] && f["kind"] == "credit_card")
        .unwrap();
    assert_eq!(
        (card["csv_row"].as_u64(), card["csv_column"].as_str()),
        (Some(1), Some("card"))
    );
}

/// The `--coverage` file of a scan of `paths` with `extra` flags, and the
/// exit code.
fn coverage(paths: &[&str], extra: &[&str]) -> (Value, Option<i32>) {
    let file = tempfile::NamedTempFile::new().unwrap();
    let mut args = vec!["scan", "-q", "--fail-on", "never", "--coverage"];
    args.push(file.path().to_str().unwrap());
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    let out = piiscan(&args);
    let text = std::fs::read_to_string(file.path()).unwrap();
    (serde_json::from_str(&text).unwrap(), out.status.code())
}

/// What could not be examined, as (path, reason).
fn gaps(coverage: &Value) -> Vec<(String, String)> {
    listed(coverage, "incomplete")
}

/// What was left out by choice, as (path, reason).
fn skipped(coverage: &Value) -> Vec<(String, String)> {
    listed(coverage, "skipped")
}

fn listed(coverage: &Value, list: &str) -> Vec<(String, String)> {
    coverage[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let field = |k: &str| g[k].as_str().unwrap().to_string();
            (field("path"), field("reason"))
        })
        .collect()
}

#[test]
fn limits_stop_bombs_and_deep_nesting_and_are_listed() {
    let (cov, code) = coverage(&["fixtures/limits"], &["--fail-on-incomplete"]);
    assert_eq!(code, Some(3));
    assert_eq!(cov["complete"], false);
    let deep = ["level1", "level2", "level3", "level4", "level5", "level6"]
        .map(|l| format!("!{l}.zip"))
        .concat();
    assert_eq!(
        gaps(&cov),
        [
            (
                "fixtures/limits/bomb.zip!bomb.csv".to_string(),
                "ratio".to_string()
            ),
            (format!("fixtures/limits/deep.zip{deep}"), "too_deep".into()),
            (
                "fixtures/limits/locked.zip!secret.txt".into(),
                "encrypted".into()
            ),
        ]
    );
    // The bomb stopped within a few MiB of its 256 MiB; the plain member of
    // the locked zip was scanned.
    assert!(cov["bytes"].as_u64().unwrap() < 16 << 20, "{cov}");
    assert!(cov["files"].as_u64().unwrap() >= 2);

    // Tighter limits, from the flags.
    let (cov, code) = coverage(
        &["fixtures/archive/dump.tar.gz", "fixtures/limits/deep.zip"],
        &["--archive-max-depth", "1", "--archive-max-ratio", "1000000"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        gaps(&cov),
        [
            (
                "fixtures/archive/dump.tar.gz".to_string(),
                "too_deep".to_string()
            ),
            (
                "fixtures/limits/deep.zip!level1.zip".into(),
                "too_deep".into()
            ),
        ]
    );
    let (cov, _) = coverage(
        &["fixtures/limits/bomb.zip"],
        &["--archive-max-ratio", "100000", "--archive-max-size", "2M"],
    );
    assert_eq!(
        gaps(&cov),
        [(
            "fixtures/limits/bomb.zip!bomb.csv".to_string(),
            "too_large".to_string()
        )]
    );
    assert!(
        piiscan(&["scan", "--archive-max-size", "12Q", "fixtures"])
            .status
            .code()
            == Some(2)
    );
}

#[test]
fn a_complete_scan_has_an_empty_coverage_list() {
    let (cov, code) = coverage(&["fixtures/archive"], &["--fail-on-incomplete"]);
    assert_eq!((cov["complete"].as_bool(), code), (Some(true), Some(0)));
    assert_eq!(cov["files"], 7);
}

/// `(path suffix, kind, line, csv_row, csv_column, json_path)` of each finding.
type Place = (String, String, u64, Value, Value, Value);

fn places(findings: &[Value]) -> Vec<Place> {
    findings
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap();
            (
                path.rsplit('/').next().unwrap().to_string(),
                f["kind"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["csv_row"].clone(),
                f["csv_column"].clone(),
                f["json_path"].clone(),
            )
        })
        .collect()
}

fn place(file: &str, kind: &str, line: u64, row: Value, column: Value, path: Value) -> Place {
    (file.into(), kind.into(), line, row, column, path)
}

#[test]
fn delimited_files_give_quote_aware_rows_and_columns() {
    use serde_json::json;
    let csv = |file: &str, kind: &str, line: u64, row: u64, column: Value| {
        place(file, kind, line, json!(row), column, Value::Null)
    };
    let got = places(&scan_json(&["fixtures/csv"]));
    // BOM, CRLF, `;`, quoted line breaks and doubled quotes: the second
    // row starts on line 4.
    let contacts = |line, row| {
        [
            ("person_name", "nom"),
            ("person_name", "prenom"),
            ("email", "courriel"),
            ("date_of_birth", "date_naissance"),
            ("postal_address", "adresse"),
        ]
        .map(|(kind, column)| csv("contacts-fr.csv", kind, line, row, json!(column)))
    };
    let text = |line| {
        place(
            "broken.csv",
            "email",
            line,
            Value::Null,
            Value::Null,
            Value::Null,
        )
    };
    let broken = [
        csv("broken.csv", "email", 2, 1, json!("email")),
        // From the unclosed quote on, the file is text: no rows.
        text(3),
        text(4),
    ];
    // After a quoted cell with a line break, the record's later cells are
    // still in their columns (the rows reader gives detection its cells).
    let callbacks = [1, 2, 3].map(|row| {
        let line = [3, 5, 6][row as usize - 1];
        [
            csv(
                "callbacks.csv",
                "person_name",
                line,
                row,
                json!("first_name"),
            ),
            csv("callbacks.csv", "person_name", line, row, json!("surname")),
            csv("callbacks.csv", "date_of_birth", line, row, json!("dob")),
        ]
    });
    let rest = [
        // No extension: recognised by its content.
        csv("crm-export", "email", 2, 1, json!("contact")),
        csv("crm-export", "iban", 2, 1, json!("iban")),
        csv("crm-export", "email", 3, 2, json!("contact")),
        csv("crm-export", "iban", 3, 2, json!("iban")),
        csv("orders.psv", "email", 2, 1, json!("customer_email")),
        csv("orders.psv", "credit_card", 2, 1, json!("card_number")),
        csv("orders.psv", "email", 3, 2, json!("customer_email")),
        csv("people.tsv", "person_name", 2, 1, json!("name")),
        csv("people.tsv", "email", 2, 1, json!("email")),
        // On the second line of a quoted cell: still row 1.
        csv("people.tsv", "iban", 3, 1, json!("note")),
        csv("people.tsv", "person_name", 4, 2, json!("name")),
        csv("people.tsv", "email", 4, 2, json!("email")),
    ];
    let want = [
        &broken[..],
        &callbacks.concat(),
        &contacts(2, 1),
        &contacts(4, 2),
        &rest,
    ]
    .concat();
    assert_eq!(got, want);

    let (cov, _) = coverage(&["fixtures/csv"], &[]);
    assert_eq!(
        skipped(&cov),
        [("fixtures/csv/broken.csv".to_string(), "not_csv".to_string())]
    );
    let contacts = cov["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["path"] == "fixtures/csv/contacts-fr.csv")
        .unwrap();
    let courriel = &contacts["columns"][3];
    assert_eq!(courriel["column"], "courriel");
    assert_eq!(
        (courriel["cells"].as_u64(), courriel["non_empty"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(courriel["findings"]["email"], 2);
    let crm = cov["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["path"] == "fixtures/csv/crm-export")
        .unwrap();
    assert_eq!(
        (
            crm["columns"][2]["cells"].as_u64(),
            crm["columns"][2]["non_empty"].as_u64()
        ),
        (Some(3), Some(2))
    );
}

#[test]
fn json_findings_carry_their_key_path() {
    use serde_json::json;
    let got = places(&scan_json(&["fixtures/json", "fixtures/events.ndjson"]));
    let at = |file: &str, kind: &str, line: u64, path: &str| {
        place(file, kind, line, Value::Null, Value::Null, json!(path))
    };
    let want = [
        // NDJSON: each line from the root.
        at("events.ndjson", "email", 1, "$.user.email"),
        at("events.ndjson", "phone", 1, "$.user.phone"),
        at("events.ndjson", "ip_address", 1, "$.ip"),
        at("events.ndjson", "credit_card", 2, "$.card"),
        at("events.ndjson", "iban", 2, "$.iban"),
        at("events.ndjson", "ip_address", 3, "$.ip"),
        at("customers.json", "person_name", 6, "$.customers[0].name"),
        at("customers.json", "email", 7, "$.customers[0].emails[0]"),
        at("customers.json", "email", 7, "$.customers[0].emails[1]"),
        at(
            "customers.json",
            "credit_card",
            8,
            "$.customers[0].payment.card",
        ),
        at("customers.json", "iban", 8, "$.customers[0].payment.iban"),
        // The key names the kind: enough context for a bare date.
        at(
            "customers.json",
            "date_of_birth",
            9,
            "$.customers[0].date_of_birth",
        ),
        at(
            "customers.json",
            "phone",
            13,
            "$.customers[1].contact.phone",
        ),
        at(
            "customers.json",
            "email",
            13,
            "$.customers[1].contact['e-mail']",
        ),
        at(
            "customers.json",
            "date_of_birth",
            14,
            "$.customers[1].notes",
        ),
        at("customers.json", "credit_card", 14, "$.customers[1].notes"),
        // A key holding personal data never shows in a path.
        at("keyed.json", "email", 1, "$.by_email[*]"),
        at("keyed.json", "iban", 1, "$.by_email[*].iban"),
        // Cut short: not JSON, scanned as text, no paths.
        place(
            "truncated.json",
            "email",
            1,
            Value::Null,
            Value::Null,
            Value::Null,
        ),
        place(
            "truncated.json",
            "credit_card",
            1,
            Value::Null,
            Value::Null,
            Value::Null,
        ),
    ];
    assert_eq!(got, want);
}

#[test]
fn a_large_ndjson_or_csv_split_across_threads_keeps_paths_and_rows() {
    let dir = tempfile::tempdir().unwrap();
    // Over 8 MiB, so split in pieces; a quoted cell with line breaks in
    // every record puts some piece boundaries inside quotes.
    let mut ndjson = String::new();
    let mut csv = String::from("id,note,email\n");
    for i in 0..120_000 {
        ndjson.push_str(&format!(
            "{{\"n\": {i}, \"tags\": [\"a\", \"b\"], \"user\": {{\"email\": \"ana.pop@example.ro\"}}}}\n"
        ));
        csv.push_str(&format!(
            "{i},\"line one\nline two, still {i}\",ana.pop@example.ro\n"
        ));
    }
    for (name, text) in [("big.ndjson", ndjson), ("big.csv", csv)] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let findings = scan_json(&["-j", "2", path.to_str().unwrap()]);
        assert_eq!(findings.len(), 120_000, "{name}");
        for (i, f) in findings.iter().enumerate() {
            if name.ends_with("ndjson") {
                assert_eq!(f["json_path"], "$.user.email", "{name} {i}");
            } else {
                assert_eq!(f["csv_row"], i as u64 + 1, "{name} {i}");
                assert_eq!(f["csv_column"], "email", "{name} {i}");
            }
        }
    }
}

fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

/// Writes `text` as `dir/name` and as `dir/name.gz`.
fn plain_and_gzip(dir: &Path, name: &str, text: &str) -> (PathBuf, PathBuf) {
    let plain = dir.join(name);
    let packed = dir.join(format!("{name}.gz"));
    std::fs::write(&plain, text).unwrap();
    std::fs::write(&packed, gzip(text.as_bytes())).unwrap();
    (plain, packed)
}

#[test]
fn a_compressed_csv_gives_what_the_plain_one_gives() {
    let dir = tempfile::tempdir().unwrap();
    // Larger than one streaming chunk; names are found only through the
    // header, in every chunk.
    let mut csv = String::from("id,city,name,notes\n");
    for i in 0..60_000 {
        csv.push_str(&format!(
            "{i},Cluj-Napoca Centru Vest,Anna Kowalski,\"seen \"\"{i}\"\"\nagain\"\n"
        ));
    }
    let (plain, packed) = plain_and_gzip(dir.path(), "people.csv", &csv);
    let strip = |mut findings: Vec<Value>| {
        for f in &mut findings {
            f["path"] = Value::Null;
        }
        findings
    };
    let a = strip(scan_json(&[plain.to_str().unwrap()]));
    let b = strip(scan_json(&[packed.to_str().unwrap()]));
    assert_eq!(a.len(), 60_000);
    assert_eq!(a, b);
    assert_eq!(b[59_999]["csv_row"], 60_000);
}

#[test]
fn truncated_compressed_data_keeps_what_came_before_the_break() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("email\n");
    for i in 0..100_000 {
        csv.push_str(&format!("user{i}@example.com\n"));
    }
    let packed = gzip(csv.as_bytes());
    let path = dir.path().join("cut.csv.gz");
    std::fs::write(&path, &packed[..packed.len() / 2]).unwrap();
    // What a decoder recovers from the first half, line by line.
    let mut recovered = Vec::new();
    let _ = flate2::read::GzDecoder::new(&packed[..packed.len() / 2]).read_to_end(&mut recovered);
    let whole_lines = recovered.iter().filter(|&&b| b == b'\n').count() - 1;
    let findings = scan_json(&[path.to_str().unwrap()]);
    assert!(
        findings.len() >= whole_lines,
        "{} < {whole_lines}",
        findings.len()
    );
    // A single-column CSV still has rows and its column name.
    assert_eq!(findings[41]["csv_row"], 42);
    assert_eq!(findings[41]["csv_column"], "email");
    let (cov, code) = coverage(&[path.to_str().unwrap()], &["--fail-on-incomplete"]);
    assert_eq!(code, Some(3));
    assert_eq!(gaps(&cov)[0].1, "corrupt");
}

#[test]
fn rows_longer_than_a_piece_keep_their_columns() {
    let dir = tempfile::tempdir().unwrap();
    // Rows of about 1.5 MB: pieces and streamed chunks start mid-record.
    let mut csv = String::from("id,note,email\n");
    for i in 0..8 {
        csv.push_str(&format!(
            "{i},{},ana.pop@example.ro\n",
            "word ".repeat(300_000)
        ));
    }
    let (plain, packed) = plain_and_gzip(dir.path(), "long.csv", &csv);
    for path in [plain, packed] {
        let findings = scan_json(&["-j", "2", path.to_str().unwrap()]);
        assert_eq!(findings.len(), 8, "{path:?}");
        for (i, f) in findings.iter().enumerate() {
            assert_eq!(
                (f["csv_row"].as_u64(), f["csv_column"].as_str()),
                (Some(i as u64 + 1), Some("email")),
                "{path:?}"
            );
        }
    }
}
