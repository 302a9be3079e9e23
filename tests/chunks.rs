//! Property: cutting the input into chunks never loses, adds or changes a
//! finding, wherever the boundaries fall.

use piiscan::config::ScanConfig;
use piiscan::finding::Confidence;
use piiscan::rules::RuleSet;
use piiscan::scan::scan_reader;
use proptest::prelude::*;
use std::sync::OnceLock;

/// Pieces the generated text is made of: values, look-alikes, context
/// words, separators.
const PIECES: &[&str] = &[
    "ana.pop@example.ro",
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
    let result = scan_reader(&config, rules, display, text).unwrap();
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

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
    let mut text = "2001:db8::8a2e:370:7334".repeat(3);
    text.push_str(&"ana.pop@example.ro".repeat(40));
    let whole = scan(text.as_bytes(), 1 << 20);
    assert_eq!(whole[0].0, 69);
    for chunk in [3, 4, 5, 8] {
        assert_eq!(scan(text.as_bytes(), chunk), whole, "chunk {chunk}");
    }
}
