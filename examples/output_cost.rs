//! What writing findings costs: scans the same paths through the real
//! pipeline twice per round, once writing NDJSON to /dev/null and once
//! handing findings to a reporter that drops them, and prints both
//! throughputs (medians) and the share of throughput lost to output.
//!
//! ```text
//! cargo run --release --example output_cost -- [--runs N] [-j N] PATH...
//! ```

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use piiscan::config::ScanConfig;
use piiscan::finding::Finding;
use piiscan::output::{self, Format, Reporter};
use piiscan::rules::RuleSet;
use piiscan::scan;

/// Takes every finding and writes nothing.
struct Drop;

impl Reporter for Drop {
    fn finding(&mut self, _: &Finding) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn main() -> ExitCode {
    let (mut runs, mut threads, mut paths) = (3, 0, Vec::new());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| match args.next().and_then(|v| v.parse().ok()) {
            Some(n) => Ok(n),
            None => Err(format!("{name} needs a number")),
        };
        let parsed = match arg.as_str() {
            "--runs" => number("--runs").map(|n| runs = n),
            "-j" => number("-j").map(|n| threads = n),
            _ => {
                paths.push(PathBuf::from(arg));
                Ok(())
            }
        };
        if let Err(e) = parsed {
            eprintln!("output_cost: {e}");
            return ExitCode::from(2);
        }
    }
    if paths.is_empty() || runs == 0 {
        eprintln!("usage: output_cost [--runs N] [-j N] PATH...");
        return ExitCode::from(2);
    }
    let rules = RuleSet::builtin().expect("built-in rules");
    let config = ScanConfig {
        paths,
        threads,
        format: Format::Ndjson,
        fail_on: None,
        ..ScanConfig::default()
    };
    let mut quiet = |_: &str| {};
    let (mut written, mut dropped) = (Vec::new(), Vec::new());
    let (mut bytes, mut findings) = (0, 0);
    for _ in 0..runs {
        let null = File::create("/dev/null").expect("/dev/null");
        let mut ndjson = output::NdjsonReporter::new(null);
        let started = Instant::now();
        let outcome = scan::run(&config, &rules, &mut ndjson, &mut quiet).expect("scan");
        written.push(started.elapsed().as_secs_f64());
        (bytes, findings) = (outcome.summary.bytes, outcome.summary.findings);
        let started = Instant::now();
        scan::run(&config, &rules, &mut Drop, &mut quiet).expect("scan");
        dropped.push(started.elapsed().as_secs_f64());
    }
    let rate = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        bytes as f64 / 1e6 / times[times.len() / 2]
    };
    let (with, without) = (rate(&mut written), rate(&mut dropped));
    println!(
        "{:.1} MB, one finding per {:.0} bytes: ndjson {with:.1} MB/s, no output {without:.1} MB/s, \
         {:.0}% of throughput lost to output",
        bytes as f64 / 1e6,
        bytes as f64 / findings.max(1) as f64,
        100.0 * (1.0 - with / without)
    );
    ExitCode::SUCCESS
}
