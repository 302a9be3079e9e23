//! Shapes of input that once made a scan's cost grow faster than its size.

use std::fs;
use std::time::{Duration, Instant};

use crate::harness::bin;

/// Scans `text` in a file of its own; the wall time of the whole run.
fn timed_scan(dir: &std::path::Path, name: &str, text: &[u8]) -> Duration {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    let started = Instant::now();
    let out = bin()
        .args(["scan", "--format", "ndjson", "--quiet"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    started.elapsed()
}

/// A megabyte on one line of bytes an email's local part may hold, with
/// digits that start other candidates or `@`s, costs what it costs in
/// 1000-byte lines (it took 30 to 110 s when a loose email search re-read
/// the rest of the line after each candidate). Times are compared within
/// one run, so a slow machine slows both sides.
#[test]
fn one_long_line_costs_what_short_lines_cost() {
    let dir = tempfile::tempdir().unwrap();
    let mut seed = 7u32;
    let mut random_numbers = String::new();
    while random_numbers.len() < 1_000_000 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        random_numbers.push_str(&format!("{}.", (seed >> 8) % 1000));
    }
    let shapes = [
        "1.2.3.4.5.6.7.8.".repeat(62_500),
        "12-34-56-78-90-".repeat(66_667),
        random_numbers,
        // Emails that fail their checks, and what is left between them.
        "a.b@c.".repeat(166_667),
        "x..y@example.org-".repeat(58_824),
    ];
    for (i, line) in shapes.iter().enumerate() {
        let lines: Vec<u8> = (line.as_bytes().chunks(999))
            .flat_map(|c| c.iter().copied().chain([b'\n']))
            .collect();
        let long = timed_scan(dir.path(), &format!("long{i}.txt"), line.as_bytes());
        let short = timed_scan(dir.path(), &format!("short{i}.txt"), &lines);
        assert!(
            long < short * 4 + Duration::from_millis(500),
            "shape {i}: one line {long:?}, short lines {short:?}"
        );
    }
}
