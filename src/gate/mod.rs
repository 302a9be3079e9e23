//! The gate: between the scan and `scan`'s output, it decides for each
//! finding whether it is new or accepted, so that CI fails on new personal
//! data only and stays quiet on what a team has accepted.
//!
//! A finding is accepted by, in this order:
//! - an inline `piiscan:allow` marker on its line or the line before (the
//!   scan sets [`Finding::allowed`]);
//! - an allowlist entry of the settings file ([`allowlist`]);
//! - a baseline entry with its rule and fingerprint ([`baseline`]).
//!
//! New findings go to the reporter as findings; accepted ones go to it as
//! suppressed (SARIF shows them as suppressions, other formats leave them
//! out) and are counted. The exit code comes from the worst new finding.

pub mod allowlist;
pub mod baseline;

use std::collections::{BTreeSet, HashSet};
use std::io;
use std::sync::Arc;

use crate::finding::{Confidence, Finding, Severity};
use crate::input::git::Changed;
use crate::output::Reporter;
use crate::sink::{InputDone, Sink};
use crate::summary::Summary;

use self::allowlist::Allow;
use self::baseline::{Baseline, Entry};
use crate::paths::RepoPaths;

/// Why a finding is not reported as new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suppression {
    /// An inline marker, with its reason (maybe empty).
    Inline(String),
    /// A settings file's allowlist entry: where it is, and its reason.
    Allowlist {
        /// `piiscan.toml:12`.
        origin: String,
        /// Its reason.
        reason: String,
    },
    /// The baseline has it.
    Baseline,
}

impl Suppression {
    /// True for a suppression written in the scanned file itself (SARIF's
    /// `inSource`), false for one kept outside it (`external`).
    pub fn in_source(&self) -> bool {
        matches!(self, Suppression::Inline(_))
    }

    /// Why, in a few words, for people.
    pub fn justification(&self) -> String {
        match self {
            Suppression::Inline(reason) if reason.is_empty() => "piiscan:allow marker".into(),
            Suppression::Inline(reason) => format!("piiscan:allow: {reason}"),
            Suppression::Allowlist { origin, reason } => format!("allowed in {origin}: {reason}"),
            Suppression::Baseline => "in the baseline".into(),
        }
    }
}

/// What the gate let through and held back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Findings reported as new.
    pub new: u64,
    /// Held back by inline markers.
    pub inline: u64,
    /// Held back by the settings file's allowlist.
    pub allowlisted: u64,
    /// Held back by the baseline.
    pub baselined: u64,
    /// Left out: on a line the change did not add.
    pub unchanged: u64,
    /// The highest severity among new findings.
    pub worst: Option<Severity>,
}

impl Tally {
    /// Findings held back, whatever the reason.
    pub fn suppressed(&self) -> u64 {
        self.inline + self.allowlisted + self.baselined
    }

    /// True when a new finding is at or above `fail_on`.
    pub fn fails(&self, fail_on: Option<Severity>) -> bool {
        fail_on.is_some_and(|level| self.worst.is_some_and(|w| w >= level))
    }
}

/// What the gate decides with.
#[derive(Debug, Default)]
pub struct Policy {
    /// The settings file's allowlist, expired entries already left out.
    pub allow: Vec<Allow>,
    /// The baseline to compare with.
    pub baseline: Option<Baseline>,
    /// Record the findings for a new baseline.
    pub record: bool,
    /// Only findings on lines this change adds are looked at.
    pub changed: Option<Changed>,
    /// How a baseline names files.
    pub paths: RepoPaths,
    /// The ids of the rules this run applies: a baseline's entries of
    /// other rules are neither stale nor rewritten.
    pub rules: HashSet<Arc<str>>,
    /// This run scans the whole tree the baseline describes, at its
    /// confidence or lower: only then can a value not found again be gone
    /// (a fingerprint is matched wherever its value moved, so a run over a
    /// part of the tree cannot tell a value gone from one moved out of it).
    pub whole: bool,
    /// The lowest confidence this run reports: a baseline written at a
    /// lower one has values this run could not find again.
    pub min_confidence: Confidence,
}

/// The gate, a [`Sink`] in front of a reporter.
pub struct Gate<'r> {
    reporter: Box<dyn Reporter + 'r>,
    policy: Policy,
    /// The run's findings as baseline entries, when recording.
    recorded: BTreeSet<Entry>,
    /// The rule and fingerprint of each finding a marker or the allowlist
    /// accepted, when recording: a baseline rewritten keeps their entries.
    accepted: HashSet<(Arc<str>, crate::finding::Fingerprint)>,
    /// The inputs examined, as repository paths, when a baseline is read
    /// or written: what the run could have found again.
    examined: HashSet<String>,
    /// Findings each allowlist entry accepted.
    allow_hits: Vec<u64>,
    /// What it let through and held back.
    pub tally: Tally,
}

impl<'r> Gate<'r> {
    /// A gate deciding by `policy` in front of `reporter`.
    pub fn new(reporter: Box<dyn Reporter + 'r>, policy: Policy) -> Gate<'r> {
        Gate {
            reporter,
            allow_hits: vec![0; policy.allow.len()],
            policy,
            recorded: BTreeSet::new(),
            accepted: HashSet::new(),
            examined: HashSet::new(),
            tally: Tally::default(),
        }
    }

    /// Why `finding` is accepted, if it is, and whether the baseline knows
    /// it (a value a marker or the allowlist accepts is still not stale:
    /// the baseline keeps it for when they stop applying).
    fn suppression(&mut self, finding: &Finding) -> (Option<Suppression>, bool) {
        let known = (self.policy.baseline.as_mut()).is_some_and(|b| b.knows(finding));
        if let Some(reason) = &finding.allowed {
            return (Some(Suppression::Inline(reason.to_string())), known);
        }
        if let Some(i) = self.policy.allow.iter().position(|a| a.covers(finding)) {
            self.allow_hits[i] += 1;
            let allow = &self.policy.allow[i];
            let why = Suppression::Allowlist {
                origin: allow.origin.clone(),
                reason: allow.reason.clone(),
            };
            return (Some(why), known);
        }
        (known.then_some(Suppression::Baseline), known)
    }

    fn decide(&mut self, finding: &Finding) -> io::Result<()> {
        if let Some(changed) = &self.policy.changed {
            if !changed.is_added(&finding.path, finding.line) {
                self.tally.unchanged += 1;
                return Ok(());
            }
        }
        let (suppression, known) = self.suppression(finding);
        if self.policy.record && (known || suppression.is_none()) {
            self.recorded.insert(Entry::of(finding, &self.policy.paths));
        } else if self.policy.record {
            self.accepted
                .insert((finding.rule.clone(), finding.fingerprint));
        }
        match suppression {
            None => {
                self.tally.new += 1;
                self.tally.worst = self.tally.worst.max(Some(finding.severity));
                self.reporter.finding(finding)
            }
            Some(why) => {
                match why {
                    Suppression::Inline(_) => self.tally.inline += 1,
                    Suppression::Allowlist { .. } => self.tally.allowlisted += 1,
                    Suppression::Baseline => self.tally.baselined += 1,
                }
                self.reporter.suppressed(finding, &why)
            }
        }
    }

    /// The baseline compared with, to list its stale entries.
    pub fn baseline(&self) -> Option<&Baseline> {
        self.policy.baseline.as_ref()
    }

    /// True when this run would have found `entry` again were its value
    /// still there: it scans the whole tree, the entry's rule applies and
    /// its file was examined or is gone. Other entries (a rule left out, a
    /// file that could not be read, a run over a part) say nothing.
    pub fn covers(&self, entry: &Entry, of: &Baseline) -> bool {
        let outer = entry.path.split('!').next().unwrap_or(&entry.path);
        self.policy.whole
            && self.policy.min_confidence <= of.min_confidence
            && self.policy.changed.is_none()
            && self.policy.rules.contains(&entry.rule)
            && (self.examined.contains(outer) || !self.policy.paths.on_disk(outer).exists())
    }

    /// True when a marker or the allowlist accepted `entry`'s value this
    /// run (so a rewritten baseline keeps it for when they stop applying).
    pub fn accepted(&self, entry: &Entry) -> bool {
        self.accepted
            .contains(&(entry.rule.clone(), entry.fingerprint))
    }

    /// The baseline's entries not found again where they would have been.
    pub fn stale(&self) -> Vec<&Entry> {
        let Some(baseline) = &self.policy.baseline else {
            return Vec::new();
        };
        baseline
            .unseen()
            .filter(|e| self.covers(e, baseline))
            .collect()
    }

    /// The allowlist entries that accepted nothing this run.
    pub fn unused_allows(&self) -> impl Iterator<Item = &Allow> {
        let hits = &self.allow_hits;
        self.policy
            .allow
            .iter()
            .zip(hits)
            .filter(|(_, n)| **n == 0)
            .map(|(a, _)| a)
    }

    /// True when this run scans the whole tree (see [`Policy::whole`]).
    pub fn whole(&self) -> bool {
        self.policy.whole
    }

    /// The change findings were limited to, if any.
    pub fn changed(&self) -> Option<&Changed> {
        self.policy.changed.as_ref()
    }

    /// The entries of a new baseline: every finding not accepted by a
    /// marker or the allowlist, and those the baseline compared with knows
    /// whatever accepted them (empty unless [`Policy::record`]).
    pub fn recorded(&self) -> &BTreeSet<Entry> {
        &self.recorded
    }
}

impl Sink for Gate<'_> {
    fn findings(&mut self, findings: &[Finding]) -> io::Result<()> {
        findings.iter().try_for_each(|f| self.decide(f))
    }

    fn input_done(&mut self, done: &InputDone<'_>) -> io::Result<()> {
        // An input read only in part (a member over a limit, a read error
        // half-way) could hide its values: its entries are not judged.
        if (self.policy.baseline.is_some() || self.policy.record) && done.gaps.is_empty() {
            self.examined.insert(self.policy.paths.of(done.path));
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.reporter.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Fingerprint;
    use std::sync::Arc;

    /// Keeps what it was given, for the tests.
    #[derive(Default)]
    struct Seen {
        reported: Vec<String>,
        suppressed: Vec<(String, Suppression)>,
    }

    impl Reporter for &mut Seen {
        fn finding(&mut self, f: &Finding) -> io::Result<()> {
            self.reported.push(f.path.to_string());
            Ok(())
        }

        fn suppressed(&mut self, f: &Finding, why: &Suppression) -> io::Result<()> {
            self.suppressed.push((f.path.to_string(), why.clone()));
            Ok(())
        }

        fn finish(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn finding(path: &str, fp: char, severity: Severity) -> Finding {
        let mut f = crate::output::tests::sample(path, 1, "****");
        f.fingerprint = Fingerprint::from_hex(&fp.to_string().repeat(32)).unwrap();
        f.severity = severity;
        f
    }

    #[test]
    fn markers_then_allowlist_then_baseline() {
        let mut seen = Seen::default();
        let known = finding("old.csv", 'a', Severity::Critical);
        let policy = Policy {
            allow: vec![Allow {
                origin: "piiscan.toml:3".into(),
                paths: RepoPaths::default(),
                path: Some(("fixtures/**".into(), Allow::glob("fixtures/**").unwrap())),
                rule: None,
                fingerprint: None,
                reason: "synthetic".into(),
                expires: None,
            }],
            baseline: Some(Baseline::new(
                "k".into(),
                Confidence::Medium,
                vec![Entry::of(&known, &RepoPaths::default())],
            )),
            record: true,
            changed: None,
            paths: RepoPaths::default(),
            rules: HashSet::new(),
            whole: true,
            min_confidence: Confidence::Medium,
        };
        let mut marked = finding("a.csv", 'c', Severity::Critical);
        marked.allowed = Some(Arc::from("test card"));
        let findings = [
            finding("moved.csv", 'a', Severity::Critical),
            finding("fixtures/x.csv", 'b', Severity::Critical),
            marked,
            finding("new.csv", 'd', Severity::Medium),
        ];
        let mut gate = Gate::new(Box::new(&mut seen), policy);
        gate.findings(&findings).unwrap();
        let tally = gate.tally;
        let recorded: Vec<_> = gate.recorded().iter().map(|e| e.path.to_string()).collect();
        drop(gate);
        assert_eq!(seen.reported, ["new.csv"]);
        assert_eq!(
            tally,
            Tally {
                new: 1,
                inline: 1,
                allowlisted: 1,
                baselined: 1,
                unchanged: 0,
                worst: Some(Severity::Medium),
            }
        );
        assert!(tally.fails(Some(Severity::Low)));
        assert!(!tally.fails(Some(Severity::High)));
        assert!(!tally.fails(None));
        let whys: Vec<_> = seen
            .suppressed
            .iter()
            .map(|(_, w)| w.justification())
            .collect();
        assert_eq!(
            whys,
            [
                "in the baseline",
                "allowed in piiscan.toml:3: synthetic",
                "piiscan:allow: test card"
            ]
        );
        // A new baseline keeps the baselined and new findings only.
        assert_eq!(recorded, ["moved.csv", "new.csv"]);
    }
}
