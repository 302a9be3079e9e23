//! CI gating: the settings file (each key, flags over it, errors with
//! file:line), every `--fail-on` level, inline markers, allowlist
//! expiry, the CI formats (SARIF against the official schema, GitHub
//! annotations, JUnit), `--git-staged`/`--git-diff`, and that none of
//! them shows a value in the clear.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::harness::{bin, stdout};

/// Synthetic values, each found at medium confidence or above.
pub(crate) const CARD: &str = "4539 1488 0343 6467";
pub(crate) const EMAIL: &str = "jane.doe@example.com";
pub(crate) const IBAN: &str = "DE44 5001 0517 5407 3249 31";
pub(crate) const OTHER_EMAIL: &str = "bob.smith@example.org";

pub(crate) fn run(dir: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run piiscan")
}

pub(crate) fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub(crate) fn ndjson(out: &Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("ndjson line"))
        .collect()
}

/// A folder with a file of three values, one a line.
pub(crate) fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("card: {CARD}\nmail: {EMAIL}\nbank: {IBAN}\n");
    fs::write(dir.path().join("data.txt"), text).unwrap();
    dir
}

#[test]
fn inline_markers_allow_their_line_and_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "a: {CARD} # piiscan:allow credit_card -- Visa test number\n\
         // piiscan:allow -- published contact\n\
         b: {EMAIL}\n\
         c: {OTHER_EMAIL} # piiscan:allow credit_card\n\
         d: {IBAN}\n"
    );
    fs::write(dir.path().join("notes.txt"), text).unwrap();
    let out = run(dir.path(), &["scan", "--format", "ndjson"]);
    let found = ndjson(&out);
    let lines: Vec<u64> = found.iter().map(|f| f["line"].as_u64().unwrap()).collect();
    // The email on line 4 is not a card; the IBAN has no marker.
    assert_eq!(lines, [4, 5], "{found:?}");
    assert!(
        stderr(&out).contains("accepted: 2 by piiscan:allow markers"),
        "{}",
        stderr(&out)
    );
}

/// Writes `piiscan.toml` in `dir`.
pub(crate) fn settings(dir: &Path, text: &str) {
    fs::write(dir.join("piiscan.toml"), text).unwrap();
}

pub(crate) fn code(dir: &Path, args: &[&str]) -> Option<i32> {
    run(dir, args).status.code()
}

#[test]
fn every_fail_on_level_against_every_severity() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("mail.txt"), format!("mail: {EMAIL}\n")).unwrap();
    let levels = ["low", "medium", "high", "critical"];
    for (s, severity) in levels.iter().enumerate() {
        settings(d, &format!("[severity]\nemail = \"{severity}\"\n"));
        for (l, level) in levels.iter().enumerate() {
            let expected = if s >= l { 1 } else { 0 };
            let got = code(d, &["scan", "-q", "--fail-on", level]);
            assert_eq!(got, Some(expected), "email {severity}, --fail-on {level}");
        }
        assert_eq!(code(d, &["scan", "-q", "--fail-on", "never"]), Some(0));
    }
}

#[test]
fn settings_keys_and_flags_over_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join("skip")).unwrap();
    fs::create_dir_all(d.join("rules")).unwrap();
    fs::write(
        d.join("a.txt"),
        format!("mail: {EMAIL}\nstaff EMP-123456\n"),
    )
    .unwrap();
    // No word says it is a card: medium confidence.
    fs::write(d.join("skip/b.txt"), "ref 4539148803436467\n").unwrap();
    let rule = include_str!("../rules/employee-id.toml");
    fs::write(d.join("rules/employee.toml"), rule).unwrap();
    let kinds = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["scan", "--format", "ndjson"];
        all.extend_from_slice(args);
        let mut kinds: Vec<String> = ndjson(&run(d, &all))
            .iter()
            .map(|f| f["kind"].as_str().unwrap().to_string())
            .collect();
        kinds.sort();
        kinds
    };
    assert_eq!(kinds(&[]), ["credit_card", "email"]);
    // fail-on, and the flag over it.
    settings(d, "fail-on = \"critical\"\n");
    assert_eq!(code(d, &["scan", "-q", "a.txt"]), Some(0));
    assert_eq!(
        code(d, &["scan", "-q", "--fail-on", "low", "a.txt"]),
        Some(1)
    );
    // exclude, and --include over it.
    settings(d, "exclude = [\"skip/**\"]\n");
    assert_eq!(kinds(&[]), ["email"]);
    assert_eq!(kinds(&["--include", "skip/**"]), ["credit_card"]);
    // From another folder, the file's globs still mean paths below its own.
    let skip = d.join("skip");
    let from_skip = |extra: &str| {
        settings(d, extra);
        ndjson(&run(
            &skip,
            &[
                "scan",
                "--config",
                "../piiscan.toml",
                "--format",
                "ndjson",
                ".",
            ],
        ))
        .len()
    };
    assert_eq!(from_skip(""), 1);
    assert_eq!(from_skip("exclude = [\"skip/**\"]\n"), 0);
    assert_eq!(
        from_skip("[[allow]]\npath = \"skip/*.txt\"\nreason = \"r\"\n"),
        0
    );
    settings(d, "include = [\"skip/**\"]\n");
    assert_eq!(kinds(&[]), ["credit_card"]);
    // rules, relative to the file; only; disable; country.
    settings(d, "rules = [\"rules\"]\n");
    assert_eq!(kinds(&["a.txt"]), ["email", "employee_id"]);
    settings(d, "only = [\"email\"]\n");
    assert_eq!(kinds(&[]), ["email"]);
    assert_eq!(kinds(&["--only", "credit_card"]), ["credit_card"]);
    settings(d, "disable = [\"email\"]\n");
    assert_eq!(kinds(&[]), ["credit_card"]);
    settings(d, "country = [\"FR\"]\n");
    assert_eq!(kinds(&[]), ["credit_card", "email"]);
    // min-confidence: the email is high, the card medium.
    settings(d, "min-confidence = \"high\"\n");
    assert_eq!(kinds(&[]), ["email"]);
    assert_eq!(
        kinds(&["--min-confidence", "medium"]),
        ["credit_card", "email"]
    );
    // severity.
    settings(d, "[severity]\nemail = \"critical\"\n");
    let out = run(d, &["scan", "--format", "ndjson", "a.txt"]);
    assert_eq!(ndjson(&out)[0]["severity"], "critical");
    // --config names another file; --no-config reads none.
    fs::write(d.join("other.toml"), "only = [\"credit_card\"]\n").unwrap();
    assert_eq!(kinds(&["--config", "other.toml"]), ["credit_card"]);
    settings(d, "only = [\"email\"]\n");
    assert_eq!(kinds(&["--no-config"]), ["credit_card", "email"]);
    // An include that lets in nothing is a typo, not a clean scan.
    settings(d, "include = [\"*.csvv\"]\n");
    let typo = run(d, &["scan"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("let in no file"),
        "{}",
        stderr(&typo)
    );
    // no-ignore and fail-on-incomplete.
    fs::write(d.join(".ignore"), "skip/\n").unwrap();
    settings(d, "");
    assert_eq!(kinds(&[]), ["email"]);
    settings(d, "no-ignore = true\n");
    assert_eq!(kinds(&[]), ["credit_card", "email"]);
    fs::remove_file(d.join(".ignore")).unwrap();
    fs::write(d.join("broken.gz"), b"\x1f\x8b\x08\x00not gzip").unwrap();
    settings(d, "fail-on = \"never\"\nfail-on-incomplete = true\n");
    assert_eq!(code(d, &["scan", "-q"]), Some(3));
    fs::remove_file(d.join("broken.gz")).unwrap();
    // baseline, relative to the file.
    settings(d, "baseline = \"ci/base.json\"\n");
    let missing = run(d, &["scan"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("does not exist: write it with --write-baseline"));
    fs::create_dir(d.join("ci")).unwrap();
    let write = run(d, &["scan", "-q", "--write-baseline", "ci/base.json"]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert_eq!(code(d, &["scan", "-q"]), Some(0));
}

#[test]
fn settings_are_found_at_the_work_tree_root() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::create_dir_all(d.join(".git")).unwrap();
    fs::create_dir_all(d.join("src/deep")).unwrap();
    fs::write(d.join("src/deep/a.txt"), format!("mail: {EMAIL}\n")).unwrap();
    settings(d, "fail-on = \"never\"\n");
    assert_eq!(code(&d.join("src/deep"), &["scan", "-q"]), Some(0));
    assert_eq!(
        code(&d.join("src/deep"), &["scan", "-q", "--no-config"]),
        Some(1)
    );
}

#[test]
fn settings_errors_name_the_file_line_and_key() {
    let dir = tree();
    let d = dir.path();
    let error = |text: &str| {
        settings(d, text);
        let out = run(d, &["scan"]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        stderr(&out)
    };
    let e = error("fail-on = \"low\"\nfailon = \"high\"\n");
    assert!(e.contains("piiscan.toml:2: unknown field `failon`"), "{e}");
    let e = error("\nmin-confidence = \"certain\"\n");
    assert!(
        e.contains("piiscan.toml:2: min-confidence: `certain`"),
        "{e}"
    );
    let e = error("[severity]\n\nemial = \"low\"\n");
    assert!(
        e.contains("piiscan.toml:3: severity.emial: `emial` is not a rule id"),
        "{e}"
    );
    let e = error("[[allow]]\npath = \"x/**\"\n");
    assert!(
        e.contains("piiscan.toml:1: allow: every entry needs a `reason`"),
        "{e}"
    );
    let e = error("[[allow]]\nrule = \"email\"\nreason = \"r\"\nexpires = 2027-13-01\n");
    assert!(e.contains("piiscan.toml:4:"), "{e}");
    let e = error("only = \"email\"\n");
    assert!(e.contains("piiscan.toml:1: only: invalid type"), "{e}");
    let e = error("fail-on = \"low\"\n\ndisable = [\"emial\"]\n");
    assert!(
        e.contains("piiscan.toml:3: disable: `emial` is neither"),
        "{e}"
    );
    let e = error("country = [\"XX\"]\n");
    assert!(
        e.contains("piiscan.toml:1: country: no rule belongs"),
        "{e}"
    );
}

#[test]
fn allowlist_entries_apply_until_they_expire() {
    let dir = tree();
    let d = dir.path();
    let count = |d: &Path| ndjson(&run(d, &["scan", "--format", "ndjson"])).len();
    assert_eq!(count(d), 3);
    settings(
        d,
        "[[allow]]\nrule = \"email\"\nreason = \"published\"\nexpires = 2999-01-01\n",
    );
    assert_eq!(count(d), 2);
    settings(d, "[[allow]]\npath = \"*.txt\"\nreason = \"fixtures\"\n");
    assert_eq!(count(d), 0);
    let out = run(d, &["scan", "--format", "ndjson"]);
    let fingerprint = ndjson(&run(d, &["scan", "--no-config", "--format", "ndjson"]))[0]
        ["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        stderr(&out).contains("3 by the settings file's allowlist"),
        "{}",
        stderr(&out)
    );
    settings(
        d,
        &format!("[[allow]]\nfingerprint = \"{fingerprint}\"\nreason = \"known\"\n"),
    );
    assert_eq!(count(d), 2);
    settings(d, "[[allow]]\npath = \"*.pyy\"\nreason = \"typo\"\n");
    let unused = run(d, &["scan", "-o", "/dev/null"]);
    assert!(
        stderr(&unused).contains("piiscan.toml:1: the allow entry \"typo\" accepted nothing"),
        "{}",
        stderr(&unused)
    );
    settings(
        d,
        "[[allow]]\nrule = \"financial\"\nreason = \"old\"\nexpires = \"2020-01-01\"\n",
    );
    let expired = run(d, &["scan", "--format", "ndjson"]);
    assert_eq!(ndjson(&expired).len(), 3);
    let err = stderr(&expired);
    assert!(
        err.contains(
            "piiscan.toml:1: the allow entry \"old\" expired on 2020-01-01: it no longer applies"
        ),
        "{err}"
    );
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let dir = tree();
    let d = dir.path();
    let mut text = fs::read_to_string(d.join("data.txt")).unwrap();
    text.push_str(&format!(
        "x: {OTHER_EMAIL} # piiscan:allow -- \"quoted\" reason\n"
    ));
    let card = run(
        d,
        &[
            "scan",
            "-q",
            "--only",
            "credit_card",
            "--write-baseline",
            "base.json",
        ],
    );
    assert_eq!(card.status.code(), Some(0));
    fs::write(d.join("data.txt"), text).unwrap();
    let out = run(d, &["scan", "--format", "sarif", "--baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    let schema: Value =
        serde_json::from_str(include_str!("../data/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let states: Vec<&str> = results
        .iter()
        .map(|r| r["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(
        states.iter().filter(|s| **s == "unchanged").count(),
        1,
        "{states:?}"
    );
    let suppressed: Vec<&str> = results
        .iter()
        .filter_map(|r| r["suppressions"][0]["kind"].as_str())
        .collect();
    assert_eq!(suppressed, ["external", "inSource"]);
    // An empty run is valid too.
    let clean = tempfile::tempdir().unwrap();
    fs::write(clean.path().join("a.txt"), "nothing here\n").unwrap();
    let empty = run(clean.path(), &["scan", "--format", "sarif"]);
    let log: Value = serde_json::from_slice(&empty.stdout).unwrap();
    assert!(validator.is_valid(&log));
}

#[test]
fn no_ci_output_shows_a_value_in_the_clear() {
    let dir = tree();
    let d = dir.path();
    let values = [
        CARD,
        "4539148803436467",
        EMAIL,
        IBAN,
        "DE44500105175407324931",
        "jane.doe",
    ];
    for format in ["text", "json", "ndjson", "csv", "sarif", "github", "junit"] {
        let out = run(
            d,
            &[
                "scan",
                "--format",
                format,
                "--write-baseline",
                "b.json",
                "--coverage",
                "c.json",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let mut all = out.stdout.clone();
        all.extend_from_slice(&out.stderr);
        all.extend(fs::read(d.join("b.json")).unwrap());
        all.extend(fs::read(d.join("c.json")).unwrap());
        let all = String::from_utf8_lossy(&all);
        for value in values {
            assert!(!all.contains(value), "{format} shows a value in the clear");
        }
        fs::remove_file(d.join("b.json")).unwrap();
        fs::remove_file(d.join("c.json")).unwrap();
    }
}

#[test]
fn a_marker_s_reason_never_carries_a_value_into_ci_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = format!(
        "\"piiscan:allow -- vip\",Jane,{EMAIL},{CARD}\n\
         <!-- piiscan:allow --> <td>{EMAIL}</td><td>{IBAN}</td>\n\
         x = 1 # piiscan:allow -- ask {OTHER_EMAIL} or call {CARD}\n"
    );
    fs::write(d.join("a.txt"), text).unwrap();
    for format in ["sarif", "junit"] {
        let out = run(d, &["scan", "--format", format]);
        let all = String::from_utf8_lossy(&out.stdout);
        for value in [EMAIL, CARD, IBAN, OTHER_EMAIL, "4539148803436467"] {
            assert!(!all.contains(value), "{format} shows a value in the clear");
        }
        assert!(all.contains("vip"), "{format}: the reason is kept");
    }
}

#[test]
fn an_empty_key_variable_is_an_error() {
    let dir = tree();
    let out = bin()
        .args(["scan"])
        .env("PIISCAN_FINGERPRINT_KEY", "")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("set but empty"), "{}", stderr(&out));
}

#[test]
fn github_and_junit_formats() {
    let dir = tree();
    let github = stdout(&run(dir.path(), &["scan", "--format", "github"]));
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.len(), 3, "{github}");
    assert!(
        lines[0].starts_with("::error file=data.txt,line=1,title=piiscan%3A credit_card"),
        "{github}"
    );
    assert!(
        lines[1].starts_with("::error file=data.txt,line=2,"),
        "{github}"
    );
    let junit = stdout(&run(
        dir.path(),
        &["scan", "--format", "junit", "--fail-on", "high"],
    ));
    assert!(junit.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"piiscan\" tests=\"3\" failures=\"2\""), "{junit}");
}

pub(crate) fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn git_staged_and_diff_look_at_added_lines_only() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    fs::write(d.join("old.txt"), format!("mail: {EMAIL}\n")).unwrap();
    fs::write(d.join("keep.txt"), format!("card: {CARD}\n")).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "first"]);
    // Nothing staged: nothing to look at, a clean exit.
    let nothing = run(d, &["scan", "--git-staged", "--format", "sarif"]);
    assert_eq!(nothing.status.code(), Some(0), "{}", stderr(&nothing));
    let log: Value = serde_json::from_slice(&nothing.stdout).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    // A line added to a file that held a value already, and a new file.
    fs::write(
        d.join("old.txt"),
        format!("mail: {EMAIL}\nnew: {OTHER_EMAIL}\n"),
    )
    .unwrap();
    fs::write(d.join("new.txt"), format!("bank: {IBAN}\n")).unwrap();
    git(d, &["add", "old.txt", "new.txt"]);
    let staged = run(d, &["scan", "--git-staged", "--format", "ndjson"]);
    assert_eq!(staged.status.code(), Some(1));
    let mut found: Vec<(String, u64)> = ndjson(&staged)
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [("new.txt".to_string(), 1), ("old.txt".to_string(), 2)]
    );
    assert!(
        stderr(&staged).contains("1 finding on lines the change did not add left out"),
        "{}",
        stderr(&staged)
    );
    // --git-diff REV: the same change against the commit; a root given as
    // an absolute path or going up narrows nothing away.
    let diff = run(d, &["scan", "--git-diff", "HEAD", "--format", "ndjson"]);
    assert_eq!(ndjson(&diff).len(), 2);
    let absolute = d.to_str().unwrap();
    let diff = run(
        d,
        &["scan", "--git-diff", "HEAD", "--format", "ndjson", absolute],
    );
    assert_eq!(ndjson(&diff).len(), 2, "{}", stderr(&diff));
    let sub = d.join("sub");
    fs::create_dir_all(&sub).unwrap();
    let up = run(
        &sub,
        &["scan", "--git-diff", "HEAD", "--format", "ndjson", ".."],
    );
    assert_eq!(ndjson(&up).len(), 2, "{}", stderr(&up));
    // A staged file changed again, unstaged: what is on disk is not what
    // the commit holds, and the run says it cannot judge it.
    fs::write(d.join("new.txt"), format!("bank: {IBAN}\nmore\n")).unwrap();
    let unstaged = run(d, &["scan", "--git-staged", "-o", "/dev/null"]);
    assert_eq!(unstaged.status.code(), Some(2));
    let err = stderr(&unstaged);
    assert!(
        err.contains("new.txt has changes that are not staged"),
        "{err}"
    );
    git(d, &["add", "new.txt"]);
    // Settings' excludes apply to the files git names.
    settings(d, "exclude = [\"new.txt\"]\n");
    let excluded = run(d, &["scan", "--git-staged", "--format", "ndjson"]);
    assert_eq!(ndjson(&excluded).len(), 1);
    for rev in ["no-such-rev", "--output=x.txt", "-R"] {
        let bad = run(d, &["scan", &format!("--git-diff={rev}")]);
        assert_eq!(bad.status.code(), Some(2), "{rev}");
        assert!(
            stderr(&bad).contains("is not a revision git knows"),
            "{}",
            stderr(&bad)
        );
    }
    assert!(!d.join("x.txt").exists());
    let missing = run(d, &["scan", "--git-staged", "no-such-folder"]);
    assert_eq!(missing.status.code(), Some(2));
    let outside = tempfile::tempdir().unwrap();
    let out = run(outside.path(), &["scan", "--git-staged"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not inside a git work tree"),
        "{}",
        stderr(&out)
    );
    let refused = run(d, &["scan", "--git-staged", "--write-baseline", "b.json"]);
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn git_renames_and_the_base_branch_are_not_blamed_on_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    fs::write(d.join("a.txt"), format!("mail: {EMAIL}\n")).unwrap();
    fs::write(d.join("b.txt"), format!("card: {CARD}\n")).unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-qm", "base"]);
    // A branch renames a file that holds a value, and adds nothing.
    git(d, &["checkout", "-qb", "topic"]);
    git(d, &["mv", "a.txt", "renamed.txt"]);
    let staged = run(d, &["scan", "--git-staged", "--format", "ndjson"]);
    assert_eq!(staged.status.code(), Some(0), "{}", stderr(&staged));
    git(d, &["commit", "-qm", "rename"]);
    // Meanwhile main drops the card: that is main's change, not topic's.
    git(d, &["checkout", "-q", "main"]);
    fs::write(d.join("b.txt"), "card: none\n").unwrap();
    git(d, &["commit", "-qam", "drop the card"]);
    git(d, &["checkout", "-q", "topic"]);
    let diff = run(d, &["scan", "--git-diff", "main", "--format", "ndjson"]);
    assert_eq!(diff.status.code(), Some(0), "{}", stderr(&diff));
    assert!(ndjson(&diff).is_empty());
    // Written as a range, it is git's own.
    let range = run(
        d,
        &["scan", "--git-diff", "main..topic", "--format", "ndjson"],
    );
    assert_eq!(ndjson(&range).len(), 1, "{}", stderr(&range));
    // A range that ends elsewhere than HEAD is not what is on disk.
    let elsewhere = run(d, &["scan", "--git-diff", "topic~1..main"]);
    assert_eq!(elsewhere.status.code(), Some(2));
    assert!(
        stderr(&elsewhere).contains("ends at HEAD"),
        "{}",
        stderr(&elsewhere)
    );
    // No common ancestor (an orphan history, as in a shallow clone).
    git(d, &["checkout", "-q", "--orphan", "lonely"]);
    git(d, &["commit", "-qm", "lonely"]);
    let lonely = run(d, &["scan", "--git-diff", "main"]);
    assert_eq!(lonely.status.code(), Some(2));
    assert!(
        stderr(&lonely).contains("no common ancestor"),
        "{}",
        stderr(&lonely)
    );
    // A mode changed after staging is no unstaged content.
    fs::write(d.join("tool.sh"), "echo hi\n").unwrap();
    git(d, &["add", "tool.sh"]);
    let mut mode = fs::metadata(d.join("tool.sh")).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut mode, 0o755);
    fs::set_permissions(d.join("tool.sh"), mode).unwrap();
    assert_eq!(code(d, &["scan", "-q", "--git-staged"]), Some(0));
    // A file git stores through a filter (Git LFS) counts as changed
    // throughout: its diff is the pointer's.
    fs::write(d.join(".gitattributes"), "*.csv filter=pointer\n").unwrap();
    git(d, &["config", "filter.pointer.clean", "sha1sum"]);
    fs::write(d.join("x.csv"), format!("id,email\n1,{EMAIL}\n")).unwrap();
    git(d, &["add", ".gitattributes", "x.csv"]);
    git(d, &["commit", "-qm", "pointer"]);
    fs::write(
        d.join("x.csv"),
        format!("id,email\n1,{EMAIL}\n2,{OTHER_EMAIL}\n"),
    )
    .unwrap();
    git(d, &["add", "x.csv"]);
    let filtered = run(d, &["scan", "--git-staged", "--format", "ndjson"]);
    assert_eq!(ndjson(&filtered).len(), 2, "{}", stderr(&filtered));
    // A staged symbolic link is the link, not its target's content.
    git(d, &["commit", "-qm", "more"]);
    std::os::unix::fs::symlink("x.csv", d.join("link.csv")).unwrap();
    git(d, &["add", "link.csv"]);
    let link = run(d, &["scan", "--git-staged", "--format", "ndjson"]);
    assert_eq!(link.status.code(), Some(0), "{}", stderr(&link));
    assert!(ndjson(&link).is_empty());
}

#[test]
fn init_writes_a_starter_that_scan_reads() {
    let dir = tree();
    let d = dir.path();
    let out = run(d, &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = fs::read_to_string(d.join("piiscan.toml")).unwrap();
    assert!(text.contains("fail-on = \"low\""));
    assert_eq!(code(d, &["scan", "-q"]), Some(1));
    let again = run(d, &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("exists"), "{}", stderr(&again));
    assert_eq!(code(d, &["init", "--force"]), Some(0));
    assert_eq!(stdout(&run(d, &["init", "-"])), text);
}
