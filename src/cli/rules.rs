//! `piiscan rules`: list the loaded rules, check rule files, run every
//! rule's examples through the scan path.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Result;

use piiscan::error::Error;
use piiscan::rules::RuleSet;

use super::args::RuleArgs;
use super::Exit;

pub(crate) fn load_rules(args: &RuleArgs) -> Result<RuleSet> {
    let set = RuleSet::load(&args.rules, true).map_err(Error::Rules)?;
    let set = set.select(&args.only, &args.disable).map_err(Error::from)?;
    Ok(set.select_countries(&args.country).map_err(Error::from)?)
}

pub(crate) fn list(args: &RuleArgs) -> Result<Exit> {
    let rules = load_rules(args)?;
    let mut out = io::stdout().lock();
    let result = (|| -> io::Result<()> {
        writeln!(
            out,
            "{:<26} {:<20} {:<14} {:<9} {:<10} description",
            "id", "kind", "category", "severity", "confidence"
        )?;
        for r in rules.rules() {
            writeln!(
                out,
                "{:<26} {:<20} {:<14} {:<9} {:<10} {}",
                r.id, r.kind, r.category, r.severity, r.confidence, r.description
            )?;
        }
        out.flush()
    })();
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(Exit::Clean),
    }
}

pub(crate) fn check(paths: &[PathBuf]) -> Result<Exit> {
    let set = RuleSet::load(paths, true).map_err(Error::Rules)?;
    println!("ok: {} rules", set.len());
    Ok(Exit::Clean)
}

pub(crate) fn test(paths: &[PathBuf]) -> Result<Exit> {
    let set = RuleSet::load(paths, true).map_err(Error::Rules)?;
    let report = piiscan::scan::examples::test_rules(&set)?;
    for failure in &report.failures {
        eprintln!("FAIL {failure}");
    }
    println!(
        "rules: {} passed, {} failed",
        report.passed,
        report.failures.len()
    );
    Ok(if report.failures.is_empty() {
        Exit::Clean
    } else {
        Exit::Findings
    })
}
