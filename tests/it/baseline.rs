//! Baselines: the round trip (moves, renames, new and stale values,
//! another key), files named from the work tree's root, and which entries
//! a run can judge stale or drop: only a run over the whole tree, at the
//! baseline's confidence or lower; a value a marker or the allowlist
//! accepts stays in it.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::gate::{code, git, ndjson, run, settings, stderr, tree, CARD, EMAIL, IBAN, OTHER_EMAIL};
use crate::harness::{bin, stdout};

#[test]
fn baseline_round_trip() {
    let dir = tree();
    let d = dir.path();
    let write = run(
        d,
        &[
            "scan",
            "-q",
            "--write-baseline",
            "base.json",
            "-o",
            "/dev/null",
        ],
    );
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    let first = fs::read(d.join("base.json")).unwrap();
    let text = String::from_utf8(first.clone()).unwrap();
    assert!(text.contains("\"key_id\""), "{text}");
    assert!(!text.contains("\"line\""), "no line numbers: {text}");
    for value in [
        CARD,
        EMAIL,
        IBAN,
        "4539148803436467",
        "DE44500105175407324931",
    ] {
        assert!(!text.contains(value), "value in the clear in the baseline");
    }
    // Unchanged: nothing new, and written again it is the same bytes.
    let again = run(
        d,
        &[
            "scan",
            "--baseline",
            "base.json",
            "--write-baseline",
            "base2.json",
        ],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(stderr(&again).contains("new findings: 0; accepted: 3 by the baseline"));
    assert_eq!(fs::read(d.join("base2.json")).unwrap(), first);
    fs::remove_file(d.join("base2.json")).unwrap();
    // A line moved: nothing new.
    let moved = format!("\n\nbank: {IBAN}\ncard: {CARD}\nmail: {EMAIL}\n");
    fs::write(d.join("data.txt"), moved).unwrap();
    assert_eq!(
        run(d, &["scan", "--baseline", "base.json"]).status.code(),
        Some(0)
    );
    // The file renamed: nothing new.
    fs::create_dir(d.join("sub")).unwrap();
    fs::rename(d.join("data.txt"), d.join("sub/renamed.txt")).unwrap();
    let renamed = run(d, &["scan", "--baseline", "base.json"]);
    assert_eq!(renamed.status.code(), Some(0), "{}", stderr(&renamed));
    assert!(!stderr(&renamed).contains("stale"), "{}", stderr(&renamed));
    // A value added: one new finding, the exit code says so.
    let path = d.join("sub/renamed.txt");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(&format!("new: {OTHER_EMAIL}\n"));
    fs::write(&path, &text).unwrap();
    let added = run(
        d,
        &["scan", "--baseline", "base.json", "--format", "ndjson"],
    );
    assert_eq!(added.status.code(), Some(1));
    let found = ndjson(&added);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["kind"], "email");
    // A value removed: its entry is stale.
    fs::write(&path, text.replace(&format!("card: {CARD}\n"), "")).unwrap();
    let removed = run(d, &["scan", "--baseline", "base.json", "-o", "/dev/null"]);
    let err = stderr(&removed);
    assert!(
        err.contains("baseline: 1 entry is no longer found (stale"),
        "{err}"
    );
    assert!(err.contains("data.txt credit-card "), "{err}");
    // Another key: an error, not "everything is new".
    let other = bin()
        .args(["scan", "--baseline", "base.json"])
        .env("PIISCAN_FINGERPRINT_KEY", "another key")
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(other.status.code(), Some(2));
    assert!(
        stderr(&other).contains("was written with key id"),
        "{}",
        stderr(&other)
    );
}

#[test]
fn a_baseline_that_is_not_one_is_an_error() {
    let dir = tree();
    fs::write(dir.path().join("base.json"), "[]").unwrap();
    let out = run(dir.path(), &["scan", "--baseline", "base.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a piiscan baseline"),
        "{}",
        stderr(&out)
    );
    // A data file given by mistake: its values are never echoed.
    for text in [
        "{\"piiscan_baseline\": \"4539148803436467\"}",
        "\"jane.doe@example.com\"",
        "{\"jane.doe@example.com\": 1}",
        "{\"piiscan_baseline\": 1, \"key_id\": \"4539148803436467x\", \"entries\": []}",
    ] {
        fs::write(dir.path().join("base.json"), text).unwrap();
        let out = run(dir.path(), &["scan", "--baseline", "base.json"]);
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert!(
            !err.contains("4539148803436467") && !err.contains("jane.doe"),
            "{err}"
        );
    }
    let missing = run(dir.path(), &["scan", "--baseline", "nope.json"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn files_are_named_from_the_work_tree_root_and_a_partial_rewrite_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    fs::create_dir_all(d.join("src")).unwrap();
    fs::create_dir_all(d.join("docs")).unwrap();
    fs::write(d.join("src/a.txt"), format!("mail: {EMAIL}\n")).unwrap();
    fs::write(d.join("docs/b.txt"), format!("card: {CARD}\n")).unwrap();
    let src = d.join("src");
    assert_eq!(
        code(d, &["scan", "-q", "--write-baseline", "base.json"]),
        Some(0)
    );
    let paths = |d: &Path| -> Vec<String> {
        let text = fs::read_to_string(d.join("base.json")).unwrap();
        let base: Value = serde_json::from_str(&text).unwrap();
        let entries = base["entries"].as_array().unwrap();
        entries
            .iter()
            .map(|e| e["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(paths(d), ["docs/b.txt", "src/a.txt"]);
    // From a subfolder: nothing new, nothing stale outside it.
    let sub = run(&src, &["scan", "--baseline", "../base.json"]);
    assert_eq!(sub.status.code(), Some(0), "{}", stderr(&sub));
    assert!(!stderr(&sub).contains("stale"), "{}", stderr(&sub));
    let sarif: Value =
        serde_json::from_slice(&run(&src, &["scan", "--format", "sarif"]).stdout).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"];
    assert_eq!(uri, "src/a.txt");
    let github = stdout(&run(&src, &["scan", "--format", "github"]));
    assert!(
        github.starts_with("::error file=src/a.txt,line=1,"),
        "{github}"
    );
    // Rewritten from a subfolder, no entry is dropped: a run over a part
    // cannot tell a value gone from one moved out of it.
    fs::write(d.join("src/a.txt"), format!("mail: {OTHER_EMAIL}\n")).unwrap();
    assert_eq!(
        code(&src, &["scan", "-q", "--write-baseline", "../base.json"]),
        Some(0)
    );
    assert_eq!(paths(d), ["docs/b.txt", "src/a.txt", "src/a.txt"]);
    assert_eq!(code(d, &["scan", "-q", "--baseline", "base.json"]), Some(0));
    // So is a run over a named folder, or narrowed by globs.
    fs::write(d.join("docs/b.txt"), "nothing\n").unwrap();
    for part in [&["src"][..], &["-g", "*.txt", "."]] {
        let mut args = vec!["scan", "-q", "--write-baseline", "base.json"];
        args.extend(part);
        assert_eq!(code(d, &args), Some(0));
        assert_eq!(paths(d), ["docs/b.txt", "src/a.txt", "src/a.txt"]);
    }
    let narrowed = run(d, &["scan", "src", "--baseline", "base.json"]);
    assert!(
        !stderr(&narrowed).contains("stale"),
        "{}",
        stderr(&narrowed)
    );
    // The whole tree prunes what is gone.
    let whole = run(d, &["scan", "--baseline", "base.json"]);
    assert!(
        stderr(&whole).contains("2 entries are no longer found"),
        "{}",
        stderr(&whole)
    );
    assert_eq!(
        code(d, &["scan", "-q", "--write-baseline", "base.json"]),
        Some(0)
    );
    assert_eq!(paths(d), ["src/a.txt"]);
    // A run narrowed to some rules keeps the other rules' entries.
    fs::write(d.join("docs/b.txt"), format!("card: {CARD}\n")).unwrap();
    assert_eq!(
        code(d, &["scan", "-q", "--write-baseline", "base.json"]),
        Some(0)
    );
    assert_eq!(paths(d), ["docs/b.txt", "src/a.txt"]);
    assert_eq!(
        code(
            d,
            &[
                "scan",
                "-q",
                "--only",
                "email",
                "--write-baseline",
                "base.json"
            ]
        ),
        Some(0)
    );
    assert_eq!(paths(d), ["docs/b.txt", "src/a.txt"]);
    // Run from outside the work tree, files are still named from its root.
    let outside = d.parent().unwrap();
    let github = stdout(&run(
        outside,
        &[
            "scan",
            "--format",
            "github",
            d.join("src").to_str().unwrap(),
        ],
    ));
    assert!(
        github.starts_with("::error file=src/a.txt,line=1,"),
        "{github}"
    );
    let weak = bin()
        .args(["scan", "--write-baseline", "weak.json"])
        .env("PIISCAN_FINGERPRINT_KEY", "short")
        .current_dir(d)
        .output()
        .unwrap();
    assert_eq!(weak.status.code(), Some(2));
    assert!(
        stderr(&weak).contains("could be reversed"),
        "{}",
        stderr(&weak)
    );
    assert!(!d.join("weak.json").exists());
    let dash = run(d, &["scan", "--write-baseline", "-"]);
    assert_eq!(dash.status.code(), Some(2));
}

#[test]
fn a_file_renamed_out_of_the_folder_scanned_keeps_its_entries() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    fs::create_dir_all(d.join("src")).unwrap();
    fs::create_dir_all(d.join("docs")).unwrap();
    fs::write(d.join("docs/contact.md"), format!("mail: {EMAIL}\n")).unwrap();
    fs::write(d.join("src/a.txt"), format!("card: {CARD}\n")).unwrap();
    assert_eq!(
        code(d, &["scan", "-q", "--write-baseline", "base.json"]),
        Some(0)
    );
    fs::rename(d.join("docs/contact.md"), d.join("src/CONTACT.md")).unwrap();
    let src = d.join("src");
    let sub = run(&src, &["scan", ".", "--baseline", "../base.json"]);
    assert_eq!(sub.status.code(), Some(0), "{}", stderr(&sub));
    assert!(!stderr(&sub).contains("stale"), "{}", stderr(&sub));
    fs::rename(d.join("src/CONTACT.md"), d.join("CONTACT.md")).unwrap();
    assert_eq!(
        code(
            &src,
            &["scan", "-q", ".", "--write-baseline", "../base.json"]
        ),
        Some(0)
    );
    assert_eq!(code(d, &["scan", "-q", "--baseline", "base.json"]), Some(0));
}

#[test]
fn accepted_values_are_not_stale_and_a_higher_threshold_judges_nothing_lower() {
    let dir = tree();
    let d = dir.path();
    assert_eq!(
        code(d, &["scan", "-q", "--write-baseline", "base.json"]),
        Some(0)
    );
    // The allowlist accepts the email for now: its entry stays, so the
    // gate holds when the allow entry goes.
    settings(
        d,
        "[[allow]]\nrule = \"email\"\nreason = \"for now\"\nexpires = 2999-01-01\n",
    );
    let allowed = run(d, &["scan", "--baseline", "base.json"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
    assert!(!stderr(&allowed).contains("stale"), "{}", stderr(&allowed));
    assert_eq!(
        code(d, &["scan", "-q", "--write-baseline", "base.json"]),
        Some(0)
    );
    fs::remove_file(d.join("piiscan.toml")).unwrap();
    assert_eq!(code(d, &["scan", "-q", "--baseline", "base.json"]), Some(0));
    // Written at low confidence, a test card is in it; a run at the
    // default threshold cannot see it, so does not call it stale.
    fs::write(d.join("test.txt"), "visa test 4111 1111 1111 1111\n").unwrap();
    let low = ["scan", "-q", "--min-confidence", "low"];
    assert_eq!(
        code(d, &[&low[..], &["--write-baseline", "base.json"]].concat()),
        Some(0)
    );
    let text = fs::read_to_string(d.join("base.json")).unwrap();
    assert!(text.contains("\"min_confidence\": \"low\""), "{text}");
    let medium = run(d, &["scan", "--baseline", "base.json"]);
    assert!(!stderr(&medium).contains("stale"), "{}", stderr(&medium));
    assert_eq!(
        code(d, &["scan", "-q", "--write-baseline", "base.json"]),
        Some(0)
    );
    assert_eq!(
        code(d, &[&low[..], &["--baseline", "base.json"]].concat()),
        Some(0)
    );
}
