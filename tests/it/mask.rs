//! `piiscan mask`: copies keep every byte outside a finding's span and
//! every file's structure; inputs are never touched; what a copy still
//! holds is found by a re-scan; outputs are refused where they would
//! clobber something.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::harness::{piiscan, piiscan_stdin, stdout};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_path_buf();
                files.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Masks the fixtures that are not archives (archives are not masked yet).
fn mask_fixtures(extra: &[&str]) -> (tempfile::TempDir, Output) {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("copies");
    let mut args = vec![
        "mask",
        "--no-progress",
        "fixtures",
        "-g",
        "!archive",
        "-g",
        "!limits",
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = piiscan(&args);
    (out, run)
}

#[test]
fn copies_differ_from_their_input_only_where_scan_found_something() {
    let before = tree(&crate::harness::fixtures());
    let (out, run) = mask_fixtures(&[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("re-scan of the copies: nothing left"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        tree(&crate::harness::fixtures()),
        before,
        "inputs are never modified"
    );
    let copies = tree(&out.path().join("copies"));
    // One scan of the same inputs, its findings by file.
    let scan = piiscan(&[
        "scan",
        "--no-progress",
        "--format",
        "json",
        "--min-confidence",
        "low",
        "fixtures",
        "-g",
        "!archive",
        "-g",
        "!limits",
    ]);
    let findings: Vec<Value> = serde_json::from_slice(&scan.stdout).unwrap();
    let mut by_file: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for f in &findings {
        by_file
            .entry(f["path"].as_str().unwrap().to_string())
            .or_default()
            .push(f);
    }
    let mut checked = 0;
    for (rel, copy) in &copies {
        let input = Path::new("fixtures").join(rel);
        let original = fs::read(crate::harness::fixtures().join(rel)).unwrap();
        if original.starts_with(&[0xff, 0xfe]) || original.starts_with(&[0x1f, 0x8b]) {
            continue; // UTF-16 and gzip: checked on their own below
        }
        if rel.ends_with("payments-mysqldump.sql") {
            continue; // bare numbers keep to digits: checked on its own
        }
        // The input with each span replaced by the finding's masked form:
        // exactly the copy.
        // A value that is a JSON key takes its number in the document.
        let mut expected = Vec::new();
        let (mut at, mut keys) = (0, Vec::new());
        for f in by_file.get(input.to_str().unwrap()).into_iter().flatten() {
            let (start, end) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            if start < at {
                continue;
            }
            expected.extend_from_slice(&original[at..start]);
            expected.extend_from_slice(f["masked"].as_str().unwrap().as_bytes());
            if original[end..].starts_with(b"\":") && original[start - 1] == b'"' {
                let value = &original[start..end];
                if !keys.contains(&value) {
                    keys.push(value);
                }
                let n = keys.iter().position(|k| *k == value).unwrap() + 1;
                expected.extend_from_slice(format!("~{n}").as_bytes());
            }
            at = end;
        }
        expected.extend_from_slice(&original[at..]);
        assert!(expected == *copy, "{}", rel.display());
        checked += 1;
    }
    assert!(checked > 20, "{checked}");
}

#[test]
fn structured_copies_keep_their_structure() {
    let (out, run) = mask_fixtures(&[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let copies = out.path().join("copies");
    // CSV: the same records with the same number of fields.
    for rel in [
        "customers.csv",
        "csv/contacts-fr.csv",
        "csv/callbacks.csv",
        "csv/people.tsv",
    ] {
        let delimiter = if rel.ends_with(".tsv") { b'\t' } else { b',' };
        let shape = |path: &Path| -> Vec<usize> {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .delimiter(delimiter)
                .flexible(true)
                .from_path(path)
                .unwrap()
                .records()
                .map(|r| r.unwrap().len())
                .collect()
        };
        let original = shape(&crate::harness::fixtures().join(rel));
        assert_eq!(shape(&copies.join(rel)), original, "{rel}");
    }
    // JSON and NDJSON parse, to the same shape.
    let json: Value =
        serde_json::from_slice(&fs::read(copies.join("json/customers.json")).unwrap()).unwrap();
    let original: Value = serde_json::from_slice(
        &fs::read(crate::harness::fixtures().join("json/customers.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(shape_of(&json), shape_of(&original));
    for line in fs::read_to_string(copies.join("events.ndjson"))
        .unwrap()
        .lines()
    {
        serde_json::from_str::<Value>(line).unwrap();
    }
    // UTF-16 stays UTF-16 with its byte-order mark, and is masked.
    let utf16 = fs::read(copies.join("utf16/customers-utf16le.csv")).unwrap();
    assert_eq!(&utf16[..2], &[0xff, 0xfe]);
    let units: Vec<u16> = utf16[2..]
        .chunks(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect();
    let text = String::from_utf16(&units).unwrap();
    assert!(text.starts_with("first_name;last_name;email;"), "{text}");
    assert!(
        text.contains("@example.com") && !text.contains("wei.zhang@"),
        "{text}"
    );
}

/// A JSON value's shape: its keys and array lengths, not its strings.
fn shape_of(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), shape_of(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(shape_of).collect()),
        Value::String(_) => Value::Null,
        other => other.clone(),
    }
}

#[test]
fn a_compressed_input_gives_a_copy_compressed_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = piiscan(&[
        "mask",
        "--no-progress",
        "fixtures/archive/export.csv.gz",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let copy = fs::read(out.join("export.csv.gz")).unwrap();
    assert_eq!(&copy[..2], &[0x1f, 0x8b], "still gzip");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&copy[..]), &mut text).unwrap();
    assert!(text.starts_with("id,email,card,iban\n"), "{text}");
    assert!(text.contains("@przyklad.pl,************6196,"), "{text}");
}

#[test]
fn standard_input_is_masked_to_standard_output() {
    let out = piiscan_stdin(
        &["mask", "-"],
        b"card 4539 1488 0343 6467, mail {\"e\": \"ana.pop@example.ro\"}\n".to_vec(),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "card **** **** **** 6467, mail {\"e\": \"***.***@example.ro\"}\n"
    );
    // What went to standard output is scanned again too.
    let run = crate::harness::bin()
        .args(["mask", "--no-progress", "-"])
        .stdin(fs::File::open(crate::harness::fixtures().join("customers.csv")).unwrap())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(stderr(&run).contains("in 1 copy"), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("re-scan of the copies: nothing left"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn redact_replaces_every_character_and_the_manifest_holds_no_value() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = piiscan(&[
        "mask",
        "--no-progress",
        "fixtures/customers.csv",
        "--out",
        out.to_str().unwrap(),
        "--strategy",
        "email=redact",
        "--format",
        "json",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let copy = fs::read_to_string(out.join("customers.csv")).unwrap();
    assert!(!copy.contains("example.ro"), "{copy}");
    assert!(copy.contains(",******************,"), "{copy}");
    assert!(
        copy.contains("************2170"),
        "cards stay partial: {copy}"
    );
    let manifest: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(manifest["files"][0]["masked"]["email"], 4);
    assert!(!String::from_utf8_lossy(&run.stdout).contains("ana.pop"));
}

#[test]
fn outputs_are_refused_where_they_would_clobber() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_arg = out.to_str().unwrap();
    // Inside an input: refused, nothing created.
    let run = piiscan(&["mask", "fixtures", "--out", "fixtures/masked"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("is inside the input fixtures"),
        "{}",
        stderr(&run)
    );
    assert!(!Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/masked")
        .exists());
    // An existing copy is kept unless --force; the other files go on.
    fs::create_dir_all(out.join("notes")).unwrap();
    fs::write(out.join("customers.csv"), "mine").unwrap();
    let run = piiscan(&[
        "mask",
        "--no-progress",
        "fixtures/customers.csv",
        "fixtures/notes",
        "--out",
        out_arg,
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("exists (--force replaces it)"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        fs::read_to_string(out.join("customers.csv")).unwrap(),
        "mine"
    );
    assert!(
        out.join("hr-us.txt").exists(),
        "{:?}",
        tree(&out).keys().collect::<Vec<_>>()
    );
    let run = piiscan(&[
        "mask",
        "--no-progress",
        "fixtures/customers.csv",
        "--out",
        out_arg,
        "--force",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_ne!(
        fs::read_to_string(out.join("customers.csv")).unwrap(),
        "mine"
    );
    // No temporary file is left anywhere.
    assert!(tree(&out)
        .keys()
        .all(|p| !p.to_string_lossy().contains(".piiscan-")));
}

#[test]
fn only_changed_leaves_out_files_with_nothing_to_mask_and_a_tar_gz_in_a_zip_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = piiscan(&[
        "mask",
        "--no-progress",
        "fixtures/negatives",
        "fixtures/customers.csv",
        "--out",
        out.to_str().unwrap(),
        "--only-changed",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let written: Vec<_> = tree(&out).into_keys().collect();
    assert!(written.contains(&PathBuf::from("customers.csv")));
    assert!(
        !written.contains(&PathBuf::from("source-code.rs")),
        "{written:?}"
    );
    // A zip holding a .tar.gz: the tar inside comes out a .tar.gz again,
    // its member masked, beside a member with nothing to mask.
    let nested = dir.path().join("nested.zip");
    let tar_gz = |text: &[u8]| -> Vec<u8> {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut tar = tar::Builder::new(gz);
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o640);
        header.set_mtime(1_700_000_000);
        // As GNU tar writes `tar czf x.tar.gz ./sub`: names start `./`.
        let name = b"./sub/a.txt";
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        header.set_cksum();
        tar.append(&header, text).unwrap();
        tar.into_inner().unwrap().finish().unwrap()
    };
    {
        let mut zip = zip::ZipWriter::new(fs::File::create(&nested).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("inner.tar.gz", options).unwrap();
        std::io::Write::write_all(&mut zip, &tar_gz(b"mail ana.pop@example.ro\n")).unwrap();
        zip.start_file("plain.txt", options).unwrap();
        std::io::Write::write_all(&mut zip, b"nothing here\n").unwrap();
        zip.finish().unwrap();
    }
    let args = [
        "mask",
        "--no-progress",
        nested.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let run = piiscan(&args);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let mut zip = zip::ZipArchive::new(fs::File::open(out.join("nested.zip")).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    assert_eq!(names, ["inner.tar.gz", "plain.txt"]);
    let mut inner = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name("inner.tar.gz").unwrap(), &mut inner).unwrap();
    assert_eq!(&inner[..2], &[0x1f, 0x8b], "compressed again");
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(&inner[..]));
    let mut entry = tar.entries().unwrap().next().unwrap().unwrap();
    assert_eq!(&*entry.path_bytes(), b"./sub/a.txt", "the name as it was");
    assert_eq!(entry.header().mode().unwrap(), 0o640);
    assert_eq!(entry.header().mtime().unwrap(), 1_700_000_000);
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
    assert_eq!(text, "mail ***.***@example.ro\n");
}

#[test]
fn copies_are_the_same_at_any_thread_count_and_keep_times_and_modes() {
    let (one, run) = mask_fixtures(&["-j", "1"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let (two, run) = mask_fixtures(&["-j", "2"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert_eq!(
        tree(&one.path().join("copies")),
        tree(&two.path().join("copies"))
    );
    let input = fs::metadata(crate::harness::fixtures().join("customers.csv")).unwrap();
    let copy = fs::metadata(one.path().join("copies/customers.csv")).unwrap();
    assert_eq!(copy.modified().unwrap(), input.modified().unwrap());
    assert_eq!(copy.permissions(), input.permissions());
}

#[test]
fn hash_gives_one_keyed_pseudonym_per_value_under_the_key_of_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("a.csv"), "id,email\n1,ana.pop@example.ro\n").unwrap();
    fs::write(input.join("b.csv"), "email,note\nana.pop@example.ro,x\n").unwrap();
    let key = |name: &str, text: &str| {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let (one, two) = (
        key("one.key", "first secret\n"),
        key("two.key", "second secret"),
    );
    // Without --key-file or the variable, the user's own key (made in
    // this folder on first use).
    let config = dir.path().join("config");
    let run = |key: Option<&str>, out: &str, threads: &str| {
        let out = dir.path().join(out);
        let mut args = vec![
            "mask",
            "--no-progress",
            "-j",
            threads,
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--strategy",
            "all=hash",
        ];
        if let Some(key) = key {
            args.extend(["--key-file", key]);
        }
        let status = crate::harness::bin()
            .args(&args)
            .env_remove("PIISCAN_FINGERPRINT_KEY")
            .env("XDG_CONFIG_HOME", &config)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap();
        (status, out)
    };
    let (user, out0) = run(None, "user", "1");
    assert_eq!(user.status.code(), Some(0), "{}", stderr(&user));
    assert!(stderr(&user).contains("your user key"), "{}", stderr(&user));
    let user_key = fs::read_to_string(config.join("piiscan/fingerprint.key")).unwrap();
    assert!(
        !stderr(&user).contains(user_key.trim()),
        "the key is never shown"
    );
    let (user_again, out0b) = run(None, "user-again", "1");
    assert_eq!(user_again.status.code(), Some(0));
    assert_eq!(tree(&out0), tree(&out0b), "the same user key, kept");
    let pseudonym = |out: &Path, file: &str, line: usize, field: usize| -> String {
        let text = fs::read_to_string(out.join(file)).unwrap();
        text.lines()
            .nth(line)
            .unwrap()
            .split(',')
            .nth(field)
            .unwrap()
            .to_string()
    };
    let (first, out1) = run(Some(&one), "first", "1");
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let a = pseudonym(&out1, "a.csv", 1, 1);
    assert_eq!(
        a,
        pseudonym(&out1, "b.csv", 1, 0),
        "the same value, the same pseudonym"
    );
    assert_eq!(a.len(), "ana.pop@example.ro".len());
    assert!(!a.contains("ana") && !a.contains("example"), "{a}");
    let (again, out2) = run(Some(&one), "again", "2");
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(tree(&out1), tree(&out2), "the same key, any thread count");
    let (other, out3) = run(Some(&two), "other", "1");
    assert_eq!(other.status.code(), Some(0));
    assert_ne!(pseudonym(&out3, "a.csv", 1, 1), a, "another key");
    assert_ne!(
        pseudonym(&out0, "a.csv", 1, 1),
        a,
        "the user key is another"
    );
}

#[test]
fn tokenize_keeps_formats_and_checksums() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    fs::write(&key, "a secret").unwrap();
    let out = dir.path().join("out");
    let run = piiscan(&[
        "mask",
        "--no-progress",
        "fixtures/customers.csv",
        "--out",
        out.to_str().unwrap(),
        "--strategy",
        "all=tokenize",
        "--key-file",
        key.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let luhn = |digits: &str| {
        let sum: u32 = digits
            .chars()
            .rev()
            .filter_map(|c| c.to_digit(10))
            .enumerate()
            .map(|(i, d)| {
                if i % 2 == 1 {
                    (d * 2) % 9 + u32::from(d == 9) * 9
                } else {
                    d
                }
            })
            .sum();
        sum % 10 == 0
    };
    let mod97 = |iban: &str| {
        let moved = format!("{}{}", &iban[4..], &iban[..4]);
        moved.chars().fold(0u32, |r, c| {
            let v = c.to_digit(36).unwrap();
            if v >= 10 {
                (r * 100 + v) % 97
            } else {
                (r * 10 + v) % 97
            }
        }) == 1
    };
    let original =
        csv::Reader::from_path(crate::harness::fixtures().join("customers.csv")).unwrap();
    let copy = csv::Reader::from_path(out.join("customers.csv")).unwrap();
    let mut checked = 0;
    for (a, b) in original.into_records().zip(copy.into_records()) {
        let (a, b) = (a.unwrap(), b.unwrap());
        let (card, iban) = (&b[5], &b[6]);
        if !card.is_empty() {
            assert_ne!(card, &a[5]);
            assert_eq!(card.len(), a[5].len(), "{card}");
            let digits: String = card.chars().filter(char::is_ascii_digit).collect();
            assert!(luhn(&digits), "{card}");
            checked += 1;
        }
        let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
        assert_ne!(iban, &a[6]);
        assert_eq!(&compact[..2], &a[6][..2], "the country stays");
        assert!(mod97(&compact), "{iban}");
    }
    assert!(checked >= 3);
}

#[cfg(unix)]
#[test]
fn a_stopped_run_leaves_no_partial_copy() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let line = "1,Ana Pop,ana.pop@example.ro,4539 1488 0343 6467,note\n";
    for i in 0..4 {
        fs::write(
            input.join(format!("big-{i}.csv")),
            format!("id,name,email,card,note\n{}", line.repeat(200_000)),
        )
        .unwrap();
    }
    let out = dir.path().join("out");
    let child = crate::harness::bin()
        .args(["mask", "--no-progress", "-j", "2"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let run = child.wait_with_output().unwrap();
    assert_eq!(run.status.code(), Some(130), "{}", stderr(&run));
    // Copies that are there are whole; no temporary file is left.
    if !out.exists() {
        return; // stopped before the first copy was started
    }
    for (path, bytes) in tree(&out) {
        let shown = path.display().to_string();
        assert!(!shown.contains(".piiscan-"), "{shown}");
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().count(), 200_001, "{shown}");
        assert!(!text.contains("ana.pop@"));
    }
}

#[test]
fn mistakes_in_the_command_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out_arg = out.to_str().unwrap();
    let refused = |args: &[&str], says: &str| {
        let run = piiscan(args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        assert!(stderr(&run).contains(says), "{args:?}: {}", stderr(&run));
    };
    refused(
        &[
            "mask",
            "fixtures/customers.csv",
            "--out",
            out_arg,
            "--strategy",
            "emails=redact",
        ],
        "which no loaded rule finds",
    );
    refused(&["mask", "-", "--format", "json"], "--format json with `-`");
    refused(&["mask", "-", "--out", "somewhere"], "--out with `-`");
    let file = dir.path().join("file");
    fs::write(&file, "x").unwrap();
    refused(
        &[
            "mask",
            "fixtures/customers.csv",
            "--out",
            file.to_str().unwrap(),
        ],
        "is a file",
    );
    assert!(!out.exists());
    // Two inputs whose copies would share a path: the second is refused,
    // the first kept, even with --force.
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for root in [&a, &b] {
        fs::create_dir_all(root.join("x")).unwrap();
        fs::write(
            root.join("x/f.txt"),
            format!("mail ana.pop@example.ro from {}\n", root.display()),
        )
        .unwrap();
    }
    let run = piiscan(&[
        "mask",
        "--no-progress",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--out",
        out_arg,
        "--force",
    ]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("the copy of another input goes there"),
        "{}",
        stderr(&run)
    );
    let kept = fs::read_to_string(out.join("x/f.txt")).unwrap();
    assert!(kept.ends_with(&format!("from {}\n", a.display())), "{kept}");
}

#[test]
fn archives_come_out_the_same_archives_with_their_members_masked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = piiscan(&[
        "mask",
        "--no-progress",
        "fixtures/archive",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    // A tar holding a zip: the zip inside rebuilt too.
    let mut tar = tar::Archive::new(fs::File::open(out.join("backup.tar")).unwrap());
    let mut inner = Vec::new();
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.path().unwrap().ends_with("inner.zip") {
            std::io::Read::read_to_end(&mut entry, &mut inner).unwrap();
        }
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(inner)).unwrap();
    let mut people = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("people.tsv").unwrap(), &mut people).unwrap();
    assert_eq!(people, "name\temail\nA** ***\t***.***@example.ro\n");
    // A zip: the same members in the same order, with their times; a
    // compressed member compressed again; values masked.
    let listing = |path: &Path| -> Vec<(String, u64)> {
        let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
        (0..zip.len())
            .map(|i| {
                let f = zip.by_index(i).unwrap();
                let time = f
                    .last_modified()
                    .map(|t| u64::from(t.timepart()) << 16 | u64::from(t.datepart()));
                (f.name().to_string(), time.unwrap_or(0))
            })
            .collect()
    };
    let original = crate::harness::fixtures().join("archive/bundle.zip");
    assert_eq!(listing(&out.join("bundle.zip")), listing(&original));
    let mut zip = zip::ZipArchive::new(fs::File::open(out.join("bundle.zip")).unwrap()).unwrap();
    let mut contacts = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("crm/contacts.csv").unwrap(), &mut contacts)
        .unwrap();
    assert!(
        contacts.contains(",***.***@example.ro,************2170"),
        "{contacts}"
    );
    let mut log = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name("logs/app.log.bz2").unwrap(), &mut log).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut bzip2::read::BzDecoder::new(&log[..]), &mut text).unwrap();
    assert!(text.contains("RO******************0001"), "{text}");
    // A .tar.gz: a gzip holding a tar of the same members, modes and times.
    let entries = |path: &Path| -> Vec<(String, u32, u64, Vec<u8>)> {
        let gz = flate2::read::GzDecoder::new(fs::File::open(path).unwrap());
        let mut tar = tar::Archive::new(gz);
        tar.entries()
            .unwrap()
            .map(|e| {
                let mut e = e.unwrap();
                let h = e.header().clone();
                let mut data = Vec::new();
                std::io::Read::read_to_end(&mut e, &mut data).unwrap();
                (
                    e.path().unwrap().display().to_string(),
                    h.mode().unwrap(),
                    h.mtime().unwrap(),
                    data,
                )
            })
            .collect()
    };
    let copy = entries(&out.join("dump.tar.gz"));
    let original = entries(&crate::harness::fixtures().join("archive/dump.tar.gz"));
    let shape = |e: &[(String, u32, u64, Vec<u8>)]| {
        e.iter()
            .map(|(n, m, t, _)| (n.clone(), *m, *t))
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&copy), shape(&original));
    let sql = copy.iter().find(|e| e.0 == "dump/users.sql").unwrap();
    let sql = String::from_utf8_lossy(&sql.3);
    assert!(
        sql.contains("'***.***@example.ro'") && !sql.contains("ana.pop"),
        "{sql}"
    );
    let note = copy.iter().find(|e| e.0 == "dump/note.txt.xz").unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut liblzma::read::XzDecoder::new(&note.3[..]), &mut text)
        .unwrap();
    assert!(text.contains("****-****-****-3836"), "{text}");
}

#[test]
fn an_archive_keeps_its_empty_members_and_leaves_out_its_binary_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.tar");
    {
        let mut tar = tar::Builder::new(fs::File::create(&path).unwrap());
        for (name, data) in [
            ("mail.txt", &b"to ana.pop@example.ro\n"[..]),
            ("empty.txt", b""),
            ("photo.bin", b"\x00\x01\x02binary"),
        ] {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o640);
            tar.append_data(&mut header, name, data).unwrap();
        }
        tar.finish().unwrap();
    }
    let out = dir.path().join("out");
    let run = piiscan(&[
        "mask",
        "--no-progress",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(
        stderr(&run).contains("left out of the copy (not examined): photo.bin"),
        "{}",
        stderr(&run)
    );
    let mut tar = tar::Archive::new(fs::File::open(out.join("a.tar")).unwrap());
    let members: Vec<(String, u32, String)> = tar
        .entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let mut text = String::new();
            std::io::Read::read_to_string(&mut e, &mut text).unwrap();
            (
                e.path().unwrap().display().to_string(),
                e.header().mode().unwrap(),
                text,
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            (
                "mail.txt".to_string(),
                0o640,
                "to ***.***@example.ro\n".to_string()
            ),
            ("empty.txt".to_string(), 0o640, String::new()),
        ]
    );
}

#[test]
fn every_stream_compression_comes_out_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    let text = b"id,email\n1,ana.pop@example.ro\n";
    let compressed: [(&str, Vec<u8>); 3] = [
        ("a.csv.zst", zstd::encode_all(&text[..], 3).unwrap()),
        ("b.csv.bz2", {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
            std::io::Write::write_all(&mut e, text).unwrap();
            e.finish().unwrap()
        }),
        ("c.csv.xz", {
            let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
            std::io::Write::write_all(&mut e, text).unwrap();
            e.finish().unwrap()
        }),
    ];
    for (name, bytes) in &compressed {
        fs::write(input.join(name), bytes).unwrap();
    }
    let out = dir.path().join("out");
    let run = piiscan(&[
        "mask",
        "--no-progress",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let plain = |name: &str, bytes: &[u8]| -> String {
        let mut text = String::new();
        let reader: Box<dyn std::io::Read + '_> = match &name[name.len() - 3..] {
            "zst" => Box::new(zstd::stream::read::Decoder::new(bytes).unwrap()),
            "bz2" => Box::new(bzip2::read::BzDecoder::new(bytes)),
            _ => Box::new(liblzma::read::XzDecoder::new(bytes)),
        };
        let mut reader = reader;
        reader.read_to_string(&mut text).unwrap();
        text
    };
    for (name, _) in &compressed {
        let copy = fs::read(out.join(name)).unwrap();
        assert_eq!(
            plain(name, &copy),
            "id,email\n1,***.***@example.ro\n",
            "{name}"
        );
    }
}

/// The values of each `INSERT … VALUES` tuple of a MySQL dump, each as
/// (quoted, text): a tiny reader of MySQL's literal syntax (quotes with
/// backslash escapes or doubled), enough to tell a dump still loads.
fn sql_tuples(dump: &str) -> Vec<Vec<(bool, String)>> {
    let mut tuples = Vec::new();
    for line in dump.lines().filter(|l| l.starts_with("INSERT INTO")) {
        let values = &line[line.find(" VALUES ").expect("VALUES") + 8..];
        let mut chars = values.chars().peekable();
        let (mut tuple, mut value, mut quoted) = (Vec::new(), String::new(), false);
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    quoted = true;
                    loop {
                        match chars.next().expect("a closed quote") {
                            '\\' => value.push(chars.next().expect("an escape")),
                            '\'' if chars.peek() == Some(&'\'') => {
                                chars.next();
                                value.push('\'');
                            }
                            '\'' => break,
                            c => value.push(c),
                        }
                    }
                }
                // Between tuples.
                '(' | ',' | ';' if tuple.is_empty() && value.trim().is_empty() && !quoted => {
                    value.clear();
                }
                ',' | ')' => {
                    tuple.push((quoted, value.trim().to_string()));
                    (value, quoted) = (String::new(), false);
                    if c == ')' {
                        tuples.push(std::mem::take(&mut tuple));
                    }
                }
                c => value.push(c),
            }
        }
    }
    tuples
}

#[test]
fn every_strategy_keeps_csv_json_and_sql_valid() {
    let fixtures = crate::harness::fixtures();
    let sql = |root: &Path| fs::read_to_string(root.join("sql/payments-mysqldump.sql")).unwrap();
    let original = sql_tuples(&sql(&fixtures));
    assert_eq!(original.len(), 2);
    for strategy in ["partial", "redact", "hash", "tokenize", "drop"] {
        let all = format!("all={strategy}");
        let (out, run) = mask_fixtures(&["--strategy", &all, "--key-file", "Cargo.toml"]);
        let keyed = matches!(strategy, "hash" | "tokenize");
        // Pseudonyms are not residue; other strategies leave nothing.
        assert_eq!(run.status.code(), Some(0), "{strategy}: {}", stderr(&run));
        let copies = out.path().join("copies");
        // SQL: the same tuples of the same values; a bare number stays a
        // number, a quoted value quoted.
        let masked = sql_tuples(&sql(&copies));
        assert_eq!(masked.len(), original.len(), "{strategy}");
        for (old, new) in original.iter().zip(&masked) {
            assert_eq!(old.len(), new.len(), "{strategy}");
            for ((was_quoted, was), (quoted, now)) in old.iter().zip(new) {
                assert_eq!(was_quoted, quoted, "{strategy}");
                if !quoted {
                    assert!(now.chars().all(|c| c.is_ascii_digit()), "{strategy}: {now}");
                }
                if !keyed && was.contains('@') {
                    assert!(!now.contains("ana.pop") && !now.contains("jean.dupont"));
                }
            }
        }
        // CSV: the same records and fields; drop leaves a masked cell empty.
        let records = |path: &Path| -> Vec<Vec<String>> {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_path(path)
                .unwrap()
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect()
        };
        let (before, after) = (
            records(&fixtures.join("customers.csv")),
            records(&copies.join("customers.csv")),
        );
        assert_eq!(
            before.iter().map(Vec::len).collect::<Vec<_>>(),
            after.iter().map(Vec::len).collect::<Vec<_>>(),
            "{strategy}"
        );
        if strategy == "drop" {
            let cells = before.iter().flatten().zip(after.iter().flatten());
            assert!(cells.clone().all(|(b, a)| a == b || a.is_empty()));
            assert!(cells.filter(|(b, a)| a != b).count() > 5);
        }
        // JSON: valid, the same keys and arrays.
        let json = |root: &Path| -> Value {
            serde_json::from_slice(&fs::read(root.join("json/customers.json")).unwrap()).unwrap()
        };
        let loose = |v: &Value| shape_of(v).to_string().replace("null", "v");
        assert_eq!(loose(&json(&copies)), loose(&json(&fixtures)), "{strategy}");
    }
}

#[test]
fn redact_token_names_the_kind_and_needs_redact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = piiscan(&[
        "mask",
        "--no-progress",
        "fixtures/customers.csv",
        "--out",
        out.to_str().unwrap(),
        "--strategy",
        "all=redact",
        "--redact-token",
    ]);
    // A `[PERSON_NAME]` token under a name column is no name left over.
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let copy = fs::read_to_string(out.join("customers.csv")).unwrap();
    assert!(
        copy.contains("[EMAIL]") && copy.contains("[PERSON_NAME]"),
        "{copy}"
    );
    assert!(!copy.contains("@example"), "{copy}");
    // Without a redact strategy, the flag would do nothing: refused.
    let run = piiscan(&[
        "mask",
        "--no-progress",
        "fixtures/customers.csv",
        "--out",
        dir.path().join("other").to_str().unwrap(),
        "--redact-token",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("--redact-token"), "{}", stderr(&run));
    assert!(!dir.path().join("other").exists());
}
