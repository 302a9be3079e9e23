//! The small harness every integration test shares: run the real binary
//! from the project root, with arguments or standard input, and read its
//! output back.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The fingerprint key every test run uses (the golden files' fingerprints
/// are made with it), unless a test sets its own.
pub const TEST_KEY: &str = "piiscan-fingerprint-v1";

/// The binary, keyed with [`TEST_KEY`], its user configuration folder a
/// temporary one (a test never makes a key in the real one).
pub fn bin() -> Command {
    static CONFIG: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let config = CONFIG.get_or_init(|| tempfile::tempdir().expect("temp dir"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_piiscan"));
    cmd.env("PIISCAN_FINGERPRINT_KEY", TEST_KEY)
        .env("XDG_CONFIG_HOME", config.path());
    cmd
}

pub fn piiscan(args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run piiscan")
}

/// Runs piiscan with `input` on standard input (written from a thread, so
/// large inputs do not dead-lock on full pipes).
pub fn piiscan_stdin(args: &[&str], input: Vec<u8>) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run piiscan");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        stdin.write_all(&input).expect("write stdin");
    });
    let out = child.wait_with_output().expect("wait for piiscan");
    writer.join().expect("stdin writer");
    out
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8 stdout")
}

pub fn scan_json(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["scan", "--format", "json", "--no-progress"];
    all.extend_from_slice(args);
    let out = piiscan(&all);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&stdout(&out)).expect("json output parses")
}

/// The (kind, text) of each finding in `name`, written with `text`.
pub fn found(name: &str, text: &str) -> Vec<(String, String)> {
    use std::fs;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, text).unwrap();
    let out = bin()
        .args(["scan", "--no-progress", "--format", "ndjson"])
        .arg(&path)
        .output()
        .unwrap();
    stdout(&out)
        .lines()
        .map(|l| {
            let f: Value = serde_json::from_str(l).unwrap();
            let (s, e) = (f["start"].as_u64().unwrap(), f["end"].as_u64().unwrap());
            let value = String::from_utf8_lossy(&text.as_bytes()[s as usize..e as usize]);
            (f["kind"].as_str().unwrap().to_string(), value.into_owned())
        })
        .collect()
}
