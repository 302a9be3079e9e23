//! Everyday use: a run never passes by mistake, never loses or fakes a
//! result, and behaves the way ripgrep's users expect (exit codes, globs,
//! ignore files, outputs, signals, a closed or full standard output).

use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{piiscan, stdout};

fn bin() -> Command {
    let mut cmd = crate::harness::bin();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin().current_dir(dir).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const CUSTOMER: &str = "name,email\nAna Pop,ana.pop@example.ro\n";

/// A folder with one customer export.
fn export() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("customers.csv"), CUSTOMER).unwrap();
    dir
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

#[cfg(unix)]
#[test]
fn an_unreadable_path_given_to_scan_exits_2() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = export();
    let file = dir.path().join("customers.csv");
    let folder = dir.path().join("locked");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("x.csv"), CUSTOMER).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: run as `nobody` instead.
    let mut cmd = bin();
    if is_root() {
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        cmd.uid(65534).gid(65534).current_dir("/");
        let probe = crate::harness::bin()
            .arg("--version")
            .uid(65534)
            .gid(65534)
            .output();
        if !probe.is_ok_and(|o| o.status.success()) {
            eprintln!("skipped: the binary cannot run as an unprivileged user here");
            return;
        }
    }
    for path in [&file, &folder] {
        let out = cmd
            .args(["scan", "--no-progress"])
            .arg(path)
            .output()
            .unwrap();
        cmd = bin();
        if is_root() {
            cmd.uid(65534).gid(65534).current_dir("/");
        }
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("Permission denied"),
            "{}",
            stderr(&out)
        );
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_named_on_the_command_line_is_read() {
    let file = crate::harness::fixtures().join("customers.csv");
    let script = format!(
        "PIISCAN_FINGERPRINT_KEY={} {} scan --no-progress --format json <(cat {})",
        crate::harness::TEST_KEY,
        env!("CARGO_BIN_EXE_piiscan"),
        file.display()
    );
    let Ok(out) = Command::new("bash").args(["-c", &script]).output() else {
        eprintln!("skipped: no bash for process substitution");
        return;
    };
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(findings.len() > 10, "{}", findings.len());
}

#[test]
fn a_missing_path_among_good_ones_is_reported_after_the_others_are_scanned() {
    let out = piiscan(&[
        "scan",
        "--no-progress",
        "--format",
        "json",
        "fixtures/no-such-file.csv",
        "fixtures/customers.csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!findings.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("fixtures/no-such-file.csv: No such file or directory"),
        "{err}"
    );
    assert!(
        err.contains("could not examine 1 input: no such file or folder (1)"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn only_what_could_not_be_examined_makes_a_run_incomplete() {
    let dir = export();
    fs::write(dir.path().join("photo.bin"), b"\x00\x01\x02binary").unwrap();
    std::os::unix::fs::symlink("customers.csv", dir.path().join("link.csv")).unwrap();
    fs::write(dir.path().join(".ignore"), "*.log\n").unwrap();
    fs::write(dir.path().join("app.log"), CUSTOMER).unwrap();
    let args = [
        "scan",
        "--no-progress",
        "--fail-on",
        "never",
        "--fail-on-incomplete",
        ".",
    ];
    let out = run_in(dir.path(), &args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("left out: binary (1), symlink not followed (1), ignore files (1 file; --no-ignore scans them)"),
        "{err}"
    );
    // A symbolic link to a folder, named on the command line, is walked.
    let link = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(dir.path(), link.path().join("exports")).unwrap();
    let out = run_in(
        link.path(),
        &args[..5]
            .iter()
            .copied()
            .chain(["exports"])
            .collect::<Vec<_>>(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("scanned 2 files"), "{}", stderr(&out));
    // A corrupt archive could not be examined.
    fs::write(dir.path().join("broken.gz"), b"\x1f\x8b\x08\x00broken").unwrap();
    let out = run_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn rules_check_says_what_it_checked_and_fails_on_nothing() {
    let empty = tempfile::tempdir().unwrap();
    let out = piiscan(&["rules", "check", empty.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no rule files (*.toml)"),
        "{}",
        stderr(&out)
    );
    let out = piiscan(&["rules", "check", "tests/rules"]);
    let said = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        said.starts_with("ok: 1 rule in 1 file (checked together with the "),
        "{said}"
    );
    let out = piiscan(&["rules", "check"]);
    assert!(
        stdout(&out).ends_with(" built-in rules\n"),
        "{}",
        stdout(&out)
    );
    // A folder of rules without any is a wrong path wherever it is given.
    let empty = empty.path().to_str().unwrap();
    for args in [
        &["rules", "test", empty][..],
        &["scan", "--rules", empty, "fixtures/customers.csv"],
    ] {
        let out = piiscan(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("no rule files (*.toml)"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn an_output_that_is_an_input_is_refused_and_the_input_kept() {
    let dir = export();
    let before = fs::read(dir.path().join("customers.csv")).unwrap();
    for flag in ["-o", "--coverage"] {
        let out = run_in(
            dir.path(),
            &["scan", "customers.csv", flag, "customers.csv"],
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(
            stderr(&out).contains("is both an input and the output"),
            "{}",
            stderr(&out)
        );
        assert_eq!(fs::read(dir.path().join("customers.csv")).unwrap(), before);
    }
    // Inside a folder scanned, an earlier output is left out, listed and
    // replaced (a file that is not one is refused: `report.rs`).
    fs::write(dir.path().join("findings.json"), "[]\n").unwrap();
    let out = run_in(
        dir.path(),
        &[
            "scan",
            ".",
            "--format",
            "json",
            "-o",
            "findings.json",
            "--coverage",
            "cov.json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let findings: Vec<serde_json::Value> =
        serde_json::from_slice(&fs::read(dir.path().join("findings.json")).unwrap()).unwrap();
    assert_eq!(findings.len(), 2);
    let coverage: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("cov.json")).unwrap()).unwrap();
    assert_eq!(coverage["skipped"][0]["reason"], "output", "{coverage}");
    let left: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(left.len(), 3, "no temporary file is left: {left:?}");
}

#[cfg(unix)]
#[test]
fn a_signal_stops_the_run_and_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("findings.json");
    fs::write(&target, "previous run").unwrap();
    // One signal, then (a second Ctrl-C) two: the scan waits on its open
    // standard input, so each ends the process early, never through a
    // finished scan.
    for (signals, code) in [
        (&["-INT"][..], 130),
        (&["-TERM"], 143),
        (&["-INT", "-INT"], 130),
    ] {
        let mut child = bin()
            .args(["scan", "--no-progress", "--format", "json", "-", "-o"])
            .arg(&target)
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        input.write_all(CUSTOMER.as_bytes()).unwrap();
        // Input still open: the scan is waiting for more once its
        // temporary output exists (the signal handler is in place before
        // it), however slow a loaded machine is to get there.
        let waiting = Instant::now();
        while fs::read_dir(dir.path()).unwrap().count() < 2 {
            assert!(
                waiting.elapsed() < Duration::from_secs(30),
                "no temporary output"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(100));
        let started = Instant::now();
        for signal in signals {
            let killed = Command::new("kill")
                .args([*signal, &child.id().to_string()])
                .status()
                .unwrap();
            assert!(killed.success());
        }
        let out = child.wait_with_output().unwrap();
        assert!(started.elapsed() < Duration::from_secs(10), "{signals:?}");
        drop(input);
        assert_eq!(out.status.code(), Some(code), "{}", stderr(&out));
        assert!(stderr(&out).contains("left as it was"), "{}", stderr(&out));
        assert_eq!(fs::read_to_string(&target).unwrap(), "previous run");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

#[cfg(unix)]
#[test]
fn an_output_through_a_link_or_into_a_pipe_is_written_where_it_leads() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.json");
    fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("link.json")).unwrap();
    let input = crate::harness::fixtures().join("customers.csv");
    let args = [
        "scan",
        "--format",
        "json",
        "-o",
        "link.json",
        input.to_str().unwrap(),
    ];
    let out = run_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let link = fs::symlink_metadata(dir.path().join("link.json")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is kept");
    assert!(fs::read_to_string(&real).unwrap().starts_with('['));
    // A pipe is written in place (a shell's `>(wc -c)`, `/dev/null`).
    let fifo = dir.path().join("pipe");
    if !Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let out = bin()
        .args(["scan", "--format", "json", "fixtures/customers.csv", "-o"])
        .arg(&fifo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let read: Vec<serde_json::Value> = serde_json::from_str(&reader.join().unwrap()).unwrap();
    assert!(!read.is_empty());
    let kind = fs::metadata(&fifo).unwrap().file_type();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&kind),
        "still a pipe"
    );
}

#[test]
fn a_closed_or_full_standard_output_never_panics() {
    for args in [
        &["rules", "list"][..],
        &["rules", "check"],
        &["completions", "bash"],
        &["man"],
        &["--help"],
        &["scan", "fixtures/customers.csv"],
    ] {
        let mut child = bin()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            matches!(status.code(), Some(0) | Some(1)),
            "{args:?}: {err}"
        );
        if Path::new("/dev/full").exists() {
            let full = fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let out = bin().args(args).stdout(full).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
            assert!(!stderr(&out).contains("panicked"), "{args:?}");
        }
    }
}

#[test]
fn absurd_thread_counts_are_bounded() {
    let started = Instant::now();
    let out = piiscan(&[
        "scan",
        "--no-progress",
        "-j",
        "1000000",
        "fixtures/customers.csv",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1000000 threads asked for"),
        "{}",
        stderr(&out)
    );
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn globs_work_as_ripgreps_do() {
    let paths = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["scan", "--no-progress", "--format", "json", "fixtures"];
        all.extend_from_slice(args);
        let out = piiscan(&all);
        let findings: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        // Globs choose files on disk; an archive's members go with it.
        let mut paths: Vec<String> = findings
            .iter()
            .map(|f| {
                f["path"]
                    .as_str()
                    .unwrap()
                    .split('!')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        paths.dedup();
        paths
    };
    // From ripgrep's guide: `-g '*.toml'`, `-g '!*.toml'`.
    let csv = paths(&["-g", "*.csv"]);
    assert!(!csv.is_empty() && csv.iter().all(|p| p.ends_with(".csv")));
    assert!(paths(&["-g", "!*.csv"])
        .iter()
        .all(|p| !p.ends_with(".csv")));
    // Anchored at the path as given, and `*` within one folder.
    for exclude in [
        &["-g", "!fixtures/archive"][..],
        &["--exclude", "fixtures/archive"],
        &["--exclude", "*/archive/*"],
        &["--exclude", "archive"],
    ] {
        let kept = paths(exclude);
        assert!(!kept.is_empty());
        assert!(
            kept.iter().all(|p| !p.starts_with("fixtures/archive/")),
            "{exclude:?}"
        );
    }
    // A later glob wins; --exclude wins over every include.
    let some = paths(&["-g", "*.csv", "-g", "!customers.csv"]);
    assert!(!some.is_empty() && !some.iter().any(|p| p.ends_with("/customers.csv")));
    let none = paths(&["--exclude", "*.csv", "--include", "*.csv"]);
    assert!(none.is_empty());
    // A glob that matched nothing is said.
    let out = piiscan(&["scan", "--no-progress", "--include", "csv", "fixtures"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("glob `csv` let in no file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn ignore_files_are_honoured_in_a_work_tree_and_counted() {
    let dir = export();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    fs::create_dir_all(dir.path().join("target")).unwrap();
    fs::write(dir.path().join("target/dump.csv"), CUSTOMER).unwrap();
    fs::write(dir.path().join(".gitignore"), "target/\n").unwrap();
    let out = run_in(dir.path(), &["scan", "--no-progress", "."]);
    assert!(
        stderr(&out).contains("ignore files (1 folder; --no-ignore scans them)"),
        "{}",
        stderr(&out)
    );
    assert!(!stdout(&out).contains("target"));
    let out = run_in(dir.path(), &["scan", "--no-progress", "--no-ignore", "."]);
    assert!(stdout(&out).contains("target/dump.csv"), "{}", stdout(&out));
}

#[test]
fn the_summary_counts_in_words_and_groups_what_it_left_out() {
    let out = piiscan(&[
        "scan",
        "--no-progress",
        "fixtures/notes/hr-us.txt",
        "--only",
        "us_ssn",
    ]);
    let err = stderr(&out);
    assert!(err.starts_with("scanned 1 file, "), "{err}");
    assert!(!err.contains("MB/s") || err.contains(" MB/s"), "{err}");
    let out = piiscan(&["scan", "--no-progress", "fixtures/limits"]);
    let err = stderr(&out);
    assert!(err.contains("could not examine 3 inputs: "), "{err}");
    let out = piiscan(&["scan", "-q", "fixtures/limits"]);
    assert_eq!(
        stderr(&out),
        "piiscan: 3 inputs could not be examined (--coverage FILE lists them)\n"
    );
}

#[test]
fn text_output_shows_kinds_and_the_rule_when_asked() {
    let plain = stdout(&piiscan(&[
        "scan",
        "--no-progress",
        "fixtures/customers.csv",
    ]));
    assert!(plain.contains("\tcredit_card\t"), "{plain}");
    assert!(!plain.contains("[rule "), "{plain}");
    let verbose = stdout(&piiscan(&[
        "scan",
        "-v",
        "--no-progress",
        "fixtures/customers.csv",
    ]));
    assert!(verbose.contains("[rule credit-card]"), "{verbose}");
}

#[test]
fn flags_read_like_the_tools_users_know() {
    let out = piiscan(&[
        "scan",
        "--min-confidence",
        "HIGH",
        "--format",
        "JSON",
        "fixtures/customers.csv",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = piiscan(&["scan", "--fail-on", "everything", "fixtures"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("invalid value 'everything'"), "{err}");
    assert!(!err.contains("tip"), "no suggestion of `never`: {err}");
    assert_eq!(
        piiscan(&["scan", "--fail-on", "NEVER", "fixtures"])
            .status
            .code(),
        Some(0)
    );
    let version = stdout(&piiscan(&["--version"]));
    assert!(version.contains("commit: "), "{version}");
    assert!(version.contains("built-in rules, digest "), "{version}");
    let bash = stdout(&piiscan(&["completions", "bash"]));
    assert!(bash.contains("--fail-on-incomplete"), "{bash}");
    let man = stdout(&piiscan(&["man"]));
    for page in [
        ".TH piiscan 1",
        ".TH piiscan-scan 1",
        ".TH piiscan-rules-check 1",
    ] {
        assert!(man.contains(page), "{page}");
    }
    assert!(man.contains(".SH \"EXIT STATUS\""));
    assert!(
        man.contains("fail\\-on\\-incomplete"),
        "scan's options are on its page"
    );
}

#[cfg(unix)]
#[test]
fn the_progress_line_is_never_drawn_into_findings() {
    // `script` gives the scan a terminal for stdout and stderr alike.
    let command = format!(
        "PIISCAN_FINGERPRINT_KEY={} {} scan --format ndjson -j 1 fixtures",
        crate::harness::TEST_KEY,
        env!("CARGO_BIN_EXE_piiscan")
    );
    let Ok(out) = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
    else {
        eprintln!("skipped: no `script` to give the scan a terminal");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut findings = 0;
    for line in text.split('\n') {
        // What a terminal shows: what follows the last carriage return or
        // line erase (a terminal ends lines with `\r\n`).
        let line = line.trim_end_matches('\r');
        let shown = line.rsplit('\r').next().unwrap_or(line);
        let shown = shown.rsplit("\x1b[2K").next().unwrap_or(shown);
        if shown.contains("\"fingerprint\"") {
            findings += 1;
            assert!(
                shown.starts_with('{'),
                "progress drawn into a finding: {shown:?}"
            );
        }
    }
    assert!(findings > 100, "{text}");
}

#[test]
fn without_a_key_each_user_gets_their_own_and_the_summary_says_which() {
    let config = tempfile::tempdir().unwrap();
    let scan = |config: &Path| {
        crate::harness::bin()
            .args([
                "scan",
                "--no-progress",
                "--format",
                "json",
                "fixtures/customers.csv",
            ])
            .env_remove("PIISCAN_FINGERPRINT_KEY")
            .env("XDG_CONFIG_HOME", config)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap()
    };
    let first = scan(config.path());
    assert_eq!(first.status.code(), Some(1));
    let said = String::from_utf8_lossy(&first.stderr).into_owned();
    assert!(
        said.contains("fingerprints keyed with your user key"),
        "{said}"
    );
    let key_file = config.path().join("piiscan/fingerprint.key");
    let key = fs::read_to_string(&key_file).unwrap();
    assert_eq!(key.trim().len(), 64);
    assert!(!said.contains(key.trim()), "never the key itself");
    // The same user: the same fingerprints; another user: others; the
    // team key (the variable): others again.
    let fingerprints = |out: &Output| -> Vec<String> {
        let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        v.iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(fingerprints(&scan(config.path())), fingerprints(&first));
    let other = tempfile::tempdir().unwrap();
    assert_ne!(fingerprints(&scan(other.path())), fingerprints(&first));
    let team = piiscan(&[
        "scan",
        "--no-progress",
        "--format",
        "json",
        "fixtures/customers.csv",
    ]);
    assert_ne!(fingerprints(&team), fingerprints(&first));
    // Masking the folder that holds the key never reads or copies it.
    fs::write(config.path().join("a.csv"), "email\nana.pop@example.ro\n").unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let masked = crate::harness::bin()
        .args(["mask", "--no-progress", "--strategy", "all=hash"])
        .arg(config.path())
        .arg("--out")
        .arg(out_dir.path().join("copy"))
        .env_remove("PIISCAN_FINGERPRINT_KEY")
        .env("XDG_CONFIG_HOME", config.path())
        .output()
        .unwrap();
    assert_eq!(
        masked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&masked.stderr)
    );
    assert!(out_dir.path().join("copy/a.csv").exists());
    assert!(!out_dir.path().join("copy/piiscan/fingerprint.key").exists());
    // `piiscan key path` names the file.
    let path = crate::harness::bin()
        .args(["key", "path"])
        .env("XDG_CONFIG_HOME", config.path())
        .output()
        .unwrap();
    assert_eq!(stdout(&path).trim(), key_file.to_str().unwrap());
}
