//! Mask round trips: a masked copy parses as its input did. JSON stays
//! JSON of the same shape; a delimited file keeps its records and their
//! field counts, read with the delimiter the scan found. The first byte
//! picks the file's name, the second the strategy every kind is masked
//! with.
#![no_main]

#[path = "builtin.rs"]
mod builtin;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use piiscan::config::ScanConfig;
use piiscan::finding::Confidence;
use piiscan::formats::table::Table;
use piiscan::mask::{Masker, Strategies, Tree};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

const NAMES: [&str; 6] = ["x.txt", "x.csv", "x.tsv", "x.json", "x.ndjson", "x.sql"];
const STRATEGIES: [&str; 5] = ["partial", "redact", "hash", "tokenize", "drop"];

fuzz_target!(|data: &[u8]| {
    let [name, strategy, input @ ..] = data else {
        return;
    };
    let name = NAMES[usize::from(*name) % NAMES.len()];
    let strategy = STRATEGIES[usize::from(*strategy) % STRATEGIES.len()];
    let Some(copy) = mask(name, strategy, input) else {
        return;
    };
    if let Some(shapes) = json_shapes(input) {
        assert_eq!(
            json_shapes(&copy),
            Some(shapes),
            "{name} {strategy}: JSON shape"
        );
    }
    if let Some(delimiter) = delimiter(name, input) {
        if let Some(fields) = csv_fields(input, delimiter) {
            let masked = csv_fields(&copy, delimiter);
            assert_eq!(masked, Some(fields), "{name} {strategy}: records");
        }
    }
});

/// The masked copy of `input` saved as `name`, every kind masked with
/// `strategy`; `None` when none was written by choice (a binary input).
fn mask(name: &str, strategy: &str, input: &[u8]) -> Option<Vec<u8>> {
    let (rules, detector) = builtin::rules_and_detector();
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("in");
    std::fs::create_dir(&root).expect("input folder");
    std::fs::write(root.join(name), input).expect("input");
    let config = ScanConfig {
        paths: vec![root.clone()],
        threads: 1,
        min_confidence: Confidence::Low,
        fields: true,
        fingerprint_key: b"fuzz key".to_vec(),
        ..ScanConfig::default()
    };
    let strategies = Strategies::parse(&[format!("all={strategy}")], false).expect("strategy");
    let tree = Tree {
        out: dir.path().join("out"),
        roots: vec![root],
        force: false,
        live: Default::default(),
        claimed: Default::default(),
    };
    let mut masker = Masker::new(tree, strategies, false);
    piiscan::scan::run_with(&config, rules, detector, &mut masker, &mut |_| {}).expect("mask run");
    let report = &masker.report[0];
    assert_eq!(report.problem, None, "{name}: no copy");
    if report.skipped.is_some() {
        return None;
    }
    Some(std::fs::read(Path::new(&dir.path().join("out")).join(name)).expect("copy"))
}

/// The shapes of the JSON values `bytes` holds in a row (one document or
/// NDJSON), or `None` when it is not JSON.
fn json_shapes(bytes: &[u8]) -> Option<Vec<Shape>> {
    let values = serde_json::Deserializer::from_slice(bytes).into_iter::<Shape>();
    values.collect::<Result<Vec<_>, _>>().ok()
}

/// A JSON value's structure: objects as their values in order (keys are
/// masked too, and two masked keys may read the same), scalars by type
/// (a masked number may become a string).
#[derive(Debug, PartialEq)]
enum Shape {
    Scalar,
    Bool,
    List(Vec<Shape>),
    Object(Vec<Shape>),
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
        Ok(Shape::Bool)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Scalar)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Shape::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let mut values = Vec::new();
        while let Some((IgnoredAny, value)) = map.next_entry()? {
            values.push(value);
        }
        Ok(Shape::Object(values))
    }
}

/// The delimiter the scan reads `input` (named `name`) with, if it reads
/// it as a delimited text file (UTF-8 only: not UTF-16, compressed or
/// binary).
fn delimiter(name: &str, input: &[u8]) -> Option<u8> {
    let (_, detector) = builtin::rules_and_detector();
    if std::str::from_utf8(input).is_err() || input.contains(&0) {
        return None;
    }
    let head = &input[..input.len().min(8 << 10)];
    let table = Table::of(name, head, detector, &mut detector.scratch())?;
    Some(table.delimiter)
}

/// Each record's field count, or `None` when `bytes` is not CSV a strict
/// reader takes.
fn csv_fields(bytes: &[u8], delimiter: u8) -> Option<Vec<usize>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let records = reader.byte_records();
    records.map(|r| r.ok().map(|r| r.len())).collect()
}
