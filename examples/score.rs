//! Scores a scan against a truth file: precision and recall per kind.
//!
//! ```text
//! cargo run --release --example score -- --truth truth.jsonl --findings scan.ndjson [--root DIR]
//! ```
//!
//! `truth.jsonl` has one planted value per line (`path`, `kind`, `start`,
//! `end`, paths relative to DIR), as `gendump --truth` writes it;
//! `scan.ndjson` is `piiscan scan --format ndjson` output over DIR. A
//! finding is a true positive when it overlaps a planted value of the same
//! kind in the same file; a planted value is recalled when some finding of
//! its kind overlaps it.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::process::ExitCode;

use serde_json::Value;

struct Span {
    kind: String,
    start: u64,
    end: u64,
    hit: bool,
}

#[derive(Default)]
struct Tally {
    tp: u64,
    fp: u64,
    found: u64,
    planted: u64,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let (Some(truth), Some(findings)) = (flag("--truth"), flag("--findings")) else {
        eprintln!("usage: score --truth FILE --findings FILE [--root DIR]");
        return ExitCode::from(2);
    };
    let root = flag("--root")
        .map(|r| format!("{}/", r.trim_end_matches('/')))
        .unwrap_or_default();
    match run(&truth, &findings, &root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("score: {e}");
            ExitCode::from(2)
        }
    }
}

fn lines(path: &str) -> Result<Vec<Value>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("{path}:{}: {e}", i + 1)))
        .collect()
}

fn run(truth: &str, findings: &str, root: &str) -> Result<(), String> {
    let mut planted: HashMap<String, Vec<Span>> = HashMap::new();
    let mut tally: BTreeMap<String, Tally> = BTreeMap::new();
    for t in lines(truth)? {
        let kind = t["kind"].as_str().unwrap_or_default().to_string();
        tally.entry(kind.clone()).or_default().planted += 1;
        planted
            .entry(t["path"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push(Span {
                kind,
                start: t["start"].as_u64().unwrap_or(0),
                end: t["end"].as_u64().unwrap_or(0),
                hit: false,
            });
    }
    for spans in planted.values_mut() {
        spans.sort_by_key(|s| s.start);
    }
    for f in lines(findings)? {
        let path = f["path"].as_str().unwrap_or_default();
        let path = path.strip_prefix(root).unwrap_or(path);
        let kind = f["kind"].as_str().unwrap_or_default().to_string();
        let (start, end) = (
            f["start"].as_u64().unwrap_or(0),
            f["end"].as_u64().unwrap_or(0),
        );
        let mut matched = false;
        if let Some(spans) = planted.get_mut(path) {
            // Spans are sorted and do not overlap: only the last few that
            // start before this finding's end can overlap it.
            let upto = spans.partition_point(|s| s.start < end);
            for span in spans[..upto]
                .iter_mut()
                .rev()
                .take_while(|s| s.end + 4096 > start)
            {
                if span.kind == kind && start < span.end {
                    span.hit = true;
                    matched = true;
                }
            }
        }
        let t = tally.entry(kind).or_default();
        t.found += 1;
        if matched {
            t.tp += 1;
        } else {
            t.fp += 1;
        }
    }
    let recalled = |kind: &str| {
        planted
            .values()
            .flatten()
            .filter(|s| s.kind == kind && s.hit)
            .count() as u64
    };
    println!("| kind | planted | found | true pos. | false pos. | precision | recall |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (kind, t) in &tally {
        let precision = if t.found == 0 {
            1.0
        } else {
            t.tp as f64 / t.found as f64
        };
        let recall = if t.planted == 0 {
            f64::NAN
        } else {
            recalled(kind) as f64 / t.planted as f64
        };
        println!(
            "| {kind} | {} | {} | {} | {} | {precision:.4} | {recall:.4} |",
            t.planted, t.found, t.tp, t.fp
        );
    }
    Ok(())
}
