//! Property: cutting the input into chunks never loses, adds or changes a
//! finding, wherever the boundaries fall.

use piiscan::config::ScanConfig;
use piiscan::detect::Detector;
use piiscan::finding::Confidence;
use piiscan::rules::RuleSet;
use piiscan::scan::scan_with;
use proptest::prelude::*;
use std::sync::OnceLock;

/// Pieces the generated text is made of: values, look-alikes, context
/// words, separators.
const PIECES: &[&str] = &[
    "ana.pop@example.ro",
    // Before an email, a local part with two dots in a row: one rejected
    // candidate, whose valid tail a cut must not bring out.
    "a..",
    "4787 7893 2879 2170",
    "4787789328792171",
    "DE06 1007 7283 7832 6616 63",
    "+49 30 1234567",
    "06 12 34 56 78",
    "0612345678",
    "203.0.113.45",
    "1.2.3.4.5",
    "2001:db8::8a2e:370:7334",
    "12:30:45",
    "536-22-1234",
    "phone:",
    "card",
    "ssn=536221234",
    "2024-03-15",
    "\"first_name\": \"Anna Maria\"",
    "surname=Kowalski",
    "Name: Anna Kowalski",
    "-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIBx9Qm3\\n",
    " ",
    " ",
    "\n",
    ", ",
    "x",
    "123",
];

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().unwrap())
}

/// Built once: every scan below runs the pipeline `scan` runs, with it.
fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| Detector::with_min_confidence(rules(), Confidence::Low).unwrap())
}

fn scan(text: &[u8], chunk_size: usize) -> Vec<(u64, u64, String, u64, u64, Confidence)> {
    scan_as("t", text, chunk_size)
}

/// Statements of SQL dumps: tables, tuples and COPY rows whose columns are
/// context, and look-alikes in other columns.
const SQL_PIECES: &[&str] = &[
    "CREATE TABLE p (id int, first_name text, dob date, note text);\n",
    "CREATE TABLE `q` (`id` int, `surname` varchar(9), PRIMARY KEY (`id`));\n",
    "INSERT INTO p VALUES (1,'Anna','1985-03-15','x'),(2,'Wei',NULL,'1990-01-02');\n",
    "INSERT INTO `q` VALUES (3,'O\\'Brien','2001-12-24','a, (b)');\n",
    "INSERT INTO p (note, dob) VALUES ('Lukas','1979-11-02');\n",
    "COPY p (id, first_name, dob) FROM stdin;\n",
    "7\tChinedu\t1984-07-21\n",
    "8\tZofia\t\\N\n",
    "\\.\n",
    "-- comment 'x\n",
    "/*!40101 SET NAMES utf8mb4 */;\n",
    "UPDATE p SET note = 'Anna;' WHERE id = 1;\n",
    "phone 0612345678\n",
    // A value longer than a chunk's overlap.
    concat!(
        "INSERT INTO p VALUES (4,'Zofia','1985-03-15 (entered by hand, ",
        "checked against the passport scan, the ID card and the signed ",
        "registration form; the customer asked us to keep the paper copy ",
        "in the branch office until the account is closed, then shred it ",
        "together with the other documents of the file)','n');\n"
    ),
];

fn scan_as(
    display: &str,
    text: &[u8],
    chunk_size: usize,
) -> Vec<(u64, u64, String, u64, u64, Confidence)> {
    let rules = rules();
    let config = ScanConfig {
        chunk_size,
        min_confidence: Confidence::Low,
        ..ScanConfig::default()
    };
    let result = scan_with(&config, rules, detector(), display, text).unwrap();
    result
        .findings
        .into_iter()
        .map(|f| {
            (
                f.start,
                f.end,
                f.rule.to_string(),
                f.line,
                f.column,
                f.confidence,
            )
        })
        .collect()
}

/// Records of a customer export: quoted cells with line breaks, commas and
/// doubled quotes in the note and address columns, before the columns
/// named for names and dates of birth.
const CSV_HEADER: &str = "id,note,first_name,surname,dob,address,county\r\n";
const CSV_RECORDS: &[&str] = &[
    "1,\"called back\r\nlater, twice\",Maria,Bauer,1984-07-21,\"Flat 2\n14 Mill Lane\",Kent\r\n",
    "2,ok,Jean,Dupont,1979-02-14,8 avenue Foch,Essex\r\n",
    "3,\"said \"\"no\"\"\r\n\r\nthen yes\",Claire,Martin,12/05/1984,,Surrey\r\n",
    "4,,Wei,Zhang,,\"12 rue de la Paix\r\n75002 Paris\",\r\n",
    "\r\n",
    "5,\"ana.pop@example.ro\nphone: +49 30 1234567\",Ana,Pop,1985-03-15,x,Devon\n",
    // Quoting that breaks: the rest of the file is text without columns.
    "8,\"ab\"x,Anna,Pop,1985-03-15,,\r\n",
    // Longer than a chunk's margins, so pieces start inside the file.
    concat!(
        "6,\"asked for the paper copy of the contract, the signed form ",
        "and the scan of the passport; sent all three by post on Monday,\r\n",
        "called again on Friday: nothing arrived, so we sent them again ",
        "by courier, and asked the branch office to keep a copy until the ",
        "account is closed\",Lukas,Weber,1979-11-02,\"3 Elm Road\",Kent\r\n"
    ),
];

/// Findings of a delimited file with their row and column.
type CsvFinding = (u64, u64, String, Option<u64>, String, Confidence);

fn scan_csv(text: &[u8], chunk_size: usize) -> Vec<CsvFinding> {
    let config = ScanConfig {
        chunk_size,
        min_confidence: Confidence::Low,
        ..ScanConfig::default()
    };
    let result = scan_with(&config, rules(), detector(), "export.csv", text).unwrap();
    (result.findings.into_iter())
        .map(|f| {
            let column = f.csv_column.map(|c| format!("{c:?}")).unwrap_or_default();
            (
                f.start,
                f.end,
                f.rule.to_string(),
                f.csv_row,
                column,
                f.confidence,
            )
        })
        .collect()
}

#[test]
fn a_quoted_line_break_keeps_later_cells_in_their_columns() {
    let text = format!("{CSV_HEADER}{}", CSV_RECORDS[0]);
    let found = scan_csv(text.as_bytes(), 1 << 20);
    let named = |rule: &str, column: &str| {
        found
            .iter()
            .any(|f| f.2 == rule && f.3 == Some(1) && f.4.contains(column))
    };
    assert!(named("person-name-column", "first_name"), "{found:?}");
    assert!(named("person-name-column", "surname"), "{found:?}");
    assert!(named("date-of-birth", "dob"), "{found:?}");
    assert!(!found.iter().any(|f| f.4.contains("county")), "{found:?}");
}

/// `n` cases, or eight times as many when `PIISCAN_LONG_TESTS` is set
/// (`.ci/run` sets it).
fn long_cases(n: u32) -> u32 {
    if std::env::var_os("PIISCAN_LONG_TESTS").is_some() {
        n * 8
    } else {
        n
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(long_cases(64)))]

    #[test]
    fn delimited_files_read_the_same_in_any_chunks(
        records in proptest::collection::vec(0..CSV_RECORDS.len(), 1..40),
        chunk in 1usize..300,
    ) {
        let body: String = records.iter().map(|&i| CSV_RECORDS[i]).collect();
        let text = format!("{CSV_HEADER}{body}");
        let whole = scan_csv(text.as_bytes(), 1 << 20);
        let split = scan_csv(text.as_bytes(), chunk);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn chunk_boundaries_never_lose_or_duplicate(
        pieces in proptest::collection::vec(0..PIECES.len(), 1..120),
        chunk in 1usize..400,
    ) {
        let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
        let whole = scan(text.as_bytes(), 1 << 20);
        let split = scan(text.as_bytes(), chunk);
        prop_assert_eq!(whole, split);
    }

    #[test]
    fn sql_dumps_read_the_same_in_any_chunks(
        pieces in proptest::collection::vec(0..SQL_PIECES.len(), 1..60),
        chunk in 1usize..400,
    ) {
        let text: String = pieces.iter().map(|&i| SQL_PIECES[i]).collect();
        let whole = scan_as("dump.sql", text.as_bytes(), 1 << 20);
        let split = scan_as("dump.sql", text.as_bytes(), chunk);
        prop_assert_eq!(whole, split);
    }
}

#[test]
fn sql_values_are_found_by_their_columns() {
    let text = SQL_PIECES[..9].concat();
    let found = scan_as("dump.sql", text.as_bytes(), 1 << 20);
    let kinds: Vec<&str> = found.iter().map(|f| f.2.as_str()).collect();
    // Names in name columns, dates in the birth-date column (not the
    // note column's date, nor `Lukas` under `note`).
    assert_eq!(
        kinds,
        [
            "person-name-column",
            "date-of-birth",
            "person-name-column",
            "person-name-column",
            "date-of-birth",
            "person-name-column",
            "date-of-birth",
            "person-name-column",
        ]
    );
    for chunk in [5, 17, 40, 64] {
        assert_eq!(
            scan_as("dump.sql", text.as_bytes(), chunk),
            found,
            "chunk {chunk}"
        );
    }
}

#[test]
fn a_value_on_every_boundary() {
    let text = "ana.pop@example.ro 4787 7893 2879 2170\n".repeat(50);
    let whole = scan(text.as_bytes(), 1 << 20);
    assert_eq!(whole.len(), 100);
    for chunk in [1, 7, 19, 20, 38, 39, 64] {
        assert_eq!(scan(text.as_bytes(), chunk), whole, "chunk {chunk}");
    }
}

/// Found by the property above: a piece without candidates between two
/// pieces of one long candidate chain must not reset the chain.
#[test]
fn a_chain_carries_over_a_piece_without_candidates() {
    // Rejected candidates, then values of the shared regex's chain, then
    // values found around a keyword.
    let mut text = "2001:db8::8a2e:370:7334".repeat(3);
    text.push_str(&"+49 30 1234567, ".repeat(20));
    text.push_str(&"ana.pop@example.ro".repeat(20));
    let whole = scan(text.as_bytes(), 1 << 20);
    assert_eq!(
        whole
            .iter()
            .filter(|f| f.2 == "phone-international")
            .count(),
        19
    );
    assert!(whole.iter().any(|f| f.2 == "email"));
    for chunk in [3, 4, 5, 8] {
        assert_eq!(scan(text.as_bytes(), chunk), whole, "chunk {chunk}");
    }
}

#[test]
fn a_piece_starting_inside_a_quoted_cell_is_read_from_the_true_state() {
    // Longer than a chunk's margins, so that the file is cut in pieces.
    let filler = CSV_RECORDS[CSV_RECORDS.len() - 1].repeat(detector().lookahead() / 300 + 1);
    let [a, b] = [CSV_RECORDS[2], CSV_RECORDS[0]];
    let text = format!("{CSV_HEADER}{filler}{a}{b}{a}{b}");
    let whole = scan_csv(text.as_bytes(), 1 << 20);
    for chunk in (1..400).step_by(3) {
        assert_eq!(scan_csv(text.as_bytes(), chunk), whole, "chunk {chunk}");
    }
}

/// A rule whose match runs over a line end makes the next piece of a split
/// file be scanned again from the true state; its rows were once counted
/// twice (rows 2, 4, 6 came out as 3, 9, 11).
#[test]
fn a_piece_scanned_again_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let rule_file = dir.path().join("span.toml");
    std::fs::write(
        &rule_file,
        r#"
[[rule]]
id = "span-code"
kind = "span_code"
category = "government-id"
severity = "low"
description = "a code and its suffix on the next line"
pattern = 'QQ\d{3}\s{1,3}ZZ\d{3}'
confidence = "high"
examples = [{ text = "QQ123 ZZ456", masked = "***********" }]
negatives = ["QQ12 ZZ456"]

[[rule]]
id = "zz-code"
kind = "zz_code"
category = "government-id"
severity = "low"
description = "the suffix alone"
pattern = 'ZZ\d{3}'
confidence = "high"
priority = 10
examples = [{ text = "ZZ456", masked = "*****" }]
negatives = ["ZZ45"]
"#,
    )
    .unwrap();
    let rules = RuleSet::load(&[rule_file], true).unwrap();
    let detector = Detector::with_min_confidence(&rules, Confidence::Low).unwrap();
    let mut text = String::from("id,note,email\n");
    for i in 0..120 {
        text.push_str(&format!("{i},QQ123\nZZ456 x,ana{i}@example.com\n"));
    }
    let scan = |chunk_size: usize| -> Vec<(u64, String, Option<u64>)> {
        let config = ScanConfig {
            chunk_size,
            min_confidence: Confidence::Low,
            ..ScanConfig::default()
        };
        let result = scan_with(&config, &rules, &detector, "export.csv", text.as_bytes()).unwrap();
        (result.findings.iter())
            .map(|f| (f.start, f.rule.to_string(), f.csv_row))
            .collect()
    };
    let whole = scan(1 << 20);
    let emails: Vec<u64> = (whole.iter())
        .filter(|f| f.1 == "email")
        .filter_map(|f| f.2)
        .collect();
    // Each email is on the second line of a pair: rows 2, 4, 6 …
    assert_eq!(emails, (1..=120).map(|i| 2 * i).collect::<Vec<u64>>());
    for chunk in [16, 20, 24, 30, 40, 64, 100] {
        assert_eq!(scan(chunk), whole, "chunk {chunk}");
    }
}
