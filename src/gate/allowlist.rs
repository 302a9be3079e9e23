//! Allowlist entries of a settings file: findings accepted by path glob,
//! by rule (an id, a kind or a category) or by fingerprint, or by several
//! of these at once, each with a reason and an optional expiry date on
//! which it stops applying.

use globset::{GlobBuilder, GlobMatcher};

use crate::finding::{Finding, Fingerprint};

use crate::paths::RepoPaths;

/// One allowlist entry.
#[derive(Debug, Clone)]
pub struct Allow {
    /// Where it is written, `piiscan.toml:12`, to name it in messages.
    pub origin: String,
    /// How its glob sees paths: relative to the settings file's folder.
    pub paths: RepoPaths,
    /// Paths it covers, as written and compiled.
    pub path: Option<(String, GlobMatcher)>,
    /// The rule id, kind or category it covers.
    pub rule: Option<String>,
    /// The one value it covers.
    pub fingerprint: Option<Fingerprint>,
    /// Why the findings are accepted.
    pub reason: String,
    /// The first day (`YYYY-MM-DD`, UTC) it no longer applies.
    pub expires: Option<String>,
}

impl Allow {
    /// Compiles a path glob as gitignore reads one: without a `/` it
    /// matches a file name at any depth (`*.sql`), with one it matches
    /// from the scanned root (`tests/fixtures/**`).
    pub fn glob(text: &str) -> Result<GlobMatcher, globset::Error> {
        let anchored = text.trim_start_matches('/');
        let pattern = match anchored.contains('/') {
            true => anchored.to_string(),
            false => format!("**/{anchored}"),
        };
        let glob = GlobBuilder::new(&pattern).literal_separator(true).build()?;
        Ok(glob.compile_matcher())
    }

    /// True when it covers `finding`: every part it names matches. An
    /// archive member is covered by a glob that covers its archive.
    pub fn covers(&self, finding: &Finding) -> bool {
        let path_ok = self.path.as_ref().is_none_or(|(_, glob)| {
            let path = self.paths.of(&finding.path);
            let path = path.as_str();
            glob.is_match(path)
                || path
                    .split('!')
                    .next()
                    .is_some_and(|outer| glob.is_match(outer))
        });
        let rule_ok = self.rule.as_deref().is_none_or(|r| {
            r == &*finding.rule || r == &*finding.kind || r == finding.category.as_str()
        });
        let fingerprint_ok = self.fingerprint.is_none_or(|fp| fp == finding.fingerprint);
        path_ok && rule_ok && fingerprint_ok
    }

    /// True when `today` (`YYYY-MM-DD`) is on or after its expiry date.
    pub fn expired(&self, today: &str) -> bool {
        self.expires.as_deref().is_some_and(|day| today >= day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow(path: Option<&str>, rule: Option<&str>) -> Allow {
        Allow {
            origin: "piiscan.toml:1".into(),
            paths: RepoPaths::default(),
            path: path.map(|p| (p.to_string(), Allow::glob(p).unwrap())),
            rule: rule.map(str::to_string),
            fingerprint: None,
            reason: "test".into(),
            expires: None,
        }
    }

    fn finding(path: &str) -> Finding {
        crate::output::tests::sample(path, 1, "****")
    }

    #[test]
    fn globs_match_as_gitignore_does() {
        let fixtures = allow(Some("tests/fixtures/**"), None);
        assert!(fixtures.covers(&finding("./tests/fixtures/a/b.csv")));
        assert!(!fixtures.covers(&finding("src/tests/fixtures/b.csv")));
        let sql = allow(Some("*.sql"), None);
        assert!(sql.covers(&finding("deep/down/dump.sql")));
        assert!(!sql.covers(&finding("dump.sql.bak")));
        let zip = allow(Some("exports/*.zip"), None);
        assert!(zip.covers(&finding("exports/a.zip!inner/people.csv")));
    }

    #[test]
    fn every_named_part_must_match() {
        // The sample finding is a credit card.
        assert!(allow(Some("*.csv"), Some("credit_card")).covers(&finding("a.csv")));
        assert!(allow(None, Some("financial")).covers(&finding("a.csv")));
        assert!(allow(None, Some("credit-card")).covers(&finding("a.csv")));
        assert!(!allow(Some("*.csv"), Some("email")).covers(&finding("a.csv")));
        assert!(!allow(Some("*.json"), Some("credit_card")).covers(&finding("a.csv")));
    }

    #[test]
    fn expiry_is_the_first_day_it_no_longer_applies() {
        let mut a = allow(None, None);
        assert!(!a.expired("2026-12-07"));
        a.expires = Some("2026-12-07".into());
        assert!(!a.expired("2026-12-06"));
        assert!(a.expired("2026-12-07"));
        assert!(a.expired("2027-01-01"));
    }
}
