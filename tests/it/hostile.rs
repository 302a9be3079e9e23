//! Hostile and odd inputs, each a regression test of a way the scanner
//! once printed a value, skipped data silently, or gave two answers for
//! one input: structure names that are data, terminal escapes, archives
//! that hide or multiply members, a byte-order mark before 8-bit text,
//! SQL state that reached across a dump. Made-up values, the real binary.

use std::fs;
use std::io::Write;

use serde_json::Value;

use crate::harness::{bin, found, piiscan_stdin, stdout};

/// Findings of `scan --format F` over `dir`, as text.
fn scan(dir: &std::path::Path, format: &str, path: &str) -> String {
    let out = bin()
        .args(["scan", "--no-progress", "--no-config", "--color", "never"])
        .args(["--min-confidence", "low", "--format", format, path])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c <= 1), "{out:?}");
    stdout(&out)
}

/// `piiscan mask ARGS` run in `dir`.
fn mask_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let base = ["mask", "--no-progress", "--no-config"];
    (bin().args(base).args(args).current_dir(dir).output()).unwrap()
}

fn ndjson(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn structure_names_that_are_data_never_print() {
    let dir = tempfile::tempdir().unwrap();
    // A JSON key spelled like a value found, before or after it.
    fs::write(
        dir.path().join("keyed.json"),
        r#"{"Smithsonovic": {"email": "jan.jansen@example.com", "surname": "Smithsonovic"}}"#,
    )
    .unwrap();
    // A headerless CSV whose first row has no `@` and few digits.
    fs::write(
        dir.path().join("people.csv"),
        "Margarethe,Oosterhuis,Rotterdam\njane.doe@example.com,+31 6 12345678,Paris\n",
    )
    .unwrap();
    for format in ["json", "ndjson", "csv", "text", "sarif"] {
        let out = scan(dir.path(), format, ".");
        for value in ["Smithsonovic", "Margarethe", "Oosterhuis", "Rotterdam"] {
            assert!(!out.contains(value), "{format}: {value} in\n{out}");
        }
    }
    let found = ndjson(&scan(dir.path(), "ndjson", "keyed.json"));
    let paths: Vec<&str> = found
        .iter()
        .map(|f| f["json_path"].as_str().unwrap())
        .collect();
    // The key is found as the surname it repeats, so a masked copy has
    // neither.
    assert_eq!(paths, ["$[*]", "$[*].email", "$[*].surname"]);
    let out = mask_in(dir.path(), &["--out", "m", "keyed.json"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let copy = fs::read_to_string(dir.path().join("m/keyed.json")).unwrap();
    assert!(!copy.contains("Smithsonovic"), "{copy}");
    serde_json::from_str::<Value>(&copy).unwrap();
    // Keys masked alike stay apart, each value its own number; a key in
    // another case is found too.
    fs::write(
        dir.path().join("index.json"),
        r#"{"smithsonovic": {"surname": "Smithsonovic"}, "Smithsonian": {"surname": "Smithsonian"}, "x": {"surname": "Smithsonovic"}}"#,
    )
    .unwrap();
    for strategy in ["partial", "redact", "drop"] {
        let strategy = format!("all={strategy}");
        let args = [
            "--force",
            "--out",
            "m",
            "--strategy",
            &strategy,
            "index.json",
        ];
        let out = mask_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let copy = fs::read_to_string(dir.path().join("m/index.json")).unwrap();
        assert!(!copy.to_lowercase().contains("smithson"), "{copy}");
        let object: Value = serde_json::from_str(&copy).unwrap();
        let keys: Vec<&String> = object.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 3, "{strategy}: {copy}");
        for n in ["~1", "~2"] {
            assert!(keys.iter().any(|k| k.ends_with(n)), "{keys:?}");
        }
    }
}

#[test]
fn terminal_escapes_from_names_are_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a\u{1b}]0;TITLE\u{7}b\u{202e}c.txt";
    fs::write(dir.path().join(name), "mail jan.jansen@example.com\n").unwrap();
    fs::write(
        dir.path().join("hdr.csv"),
        "name,e\u{1b}[31mmail\u{7}x\u{9b}y\nJan,jan.jansen@example.com\n",
    )
    .unwrap();
    for format in ["csv", "text", "github", "junit", "sarif", "json", "ndjson"] {
        let out = scan(dir.path(), format, ".");
        assert!(!out.contains("jan.jansen"), "{format}");
        for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!out.contains(raw), "{format}: raw {raw:?} in {out:?}");
        }
    }
    // The coverage file, the report and the mask manifest too.
    let out = tempfile::tempdir().unwrap();
    let cov = out.path().join("cov.json");
    let copies = out.path().join("copies");
    let runs: [Vec<&std::ffi::OsStr>; 3] = [
        ["scan", "--coverage"]
            .map(std::ffi::OsStr::new)
            .into_iter()
            .chain([cov.as_os_str()])
            .chain([std::ffi::OsStr::new(".")])
            .collect(),
        ["report", "--format", "json", "."]
            .map(std::ffi::OsStr::new)
            .to_vec(),
        ["mask", "--format", "json", "--out"]
            .map(std::ffi::OsStr::new)
            .into_iter()
            .chain([copies.as_os_str()])
            .chain([std::ffi::OsStr::new(".")])
            .collect(),
    ];
    for args in runs {
        let run = bin().args(&args).current_dir(dir.path()).output().unwrap();
        let written = [run.stdout, run.stderr, fs::read(&cov).unwrap_or_default()].concat();
        let text = String::from_utf8_lossy(&written);
        for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!text.contains(raw), "{args:?}: raw {raw:?} in {text:?}");
        }
    }
}

#[test]
fn archives_neither_hide_nor_multiply_members() {
    let dir = tempfile::tempdir().unwrap();
    // Tar entries GNU tar extracts as files: contiguous and unknown types.
    let mut builder = tar::Builder::new(Vec::new());
    for (kind, name) in [(b'7', "c.txt"), (b'Z', "z.txt")] {
        let mut header = tar::Header::new_ustar();
        let data = b"mail jan.jansen@example.com\n";
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::new(kind));
        builder.append_data(&mut header, name, &data[..]).unwrap();
    }
    fs::write(dir.path().join("odd.tar"), builder.into_inner().unwrap()).unwrap();
    // A zip cut short: its members are read from their local headers.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for name in ["m0.txt", "m1.txt", "m2.txt"] {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"mail jan.jansen@example.com\n").unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    fs::write(dir.path().join("cut.zip"), &bytes[..bytes.len() - 40]).unwrap();
    let found = ndjson(&scan(dir.path(), "ndjson", "."));
    let mut paths: Vec<&str> = found.iter().map(|f| f["path"].as_str().unwrap()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "./cut.zip!m0.txt",
            "./cut.zip!m1.txt",
            "./cut.zip!m2.txt",
            "./odd.tar!c.txt",
            "./odd.tar!z.txt"
        ]
    );
}

#[test]
fn data_past_an_archive_end_or_in_an_unread_encoding_is_never_complete() {
    let dir = tempfile::tempdir().unwrap();
    let tar_of = |name: &str, text: &str| {
        let mut builder = tar::Builder::new(Vec::new());
        let mut header = tar::Header::new_ustar();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, name, text.as_bytes())
            .unwrap();
        builder.into_inner().unwrap()
    };
    // Two tars one after the other, as `cat a.tar b.tar` makes them.
    let two = [
        tar_of("m.txt", "nothing here\n"),
        tar_of("n.txt", "mail jan.jansen@example.com\n"),
    ]
    .concat();
    fs::write(dir.path().join("two.tar"), two).unwrap();
    // Text appended after a zip's end.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("m.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"nothing here\n").unwrap();
    let mut bytes = zip.finish().unwrap().into_inner();
    // A script with that zip appended (a self-extracting archive), longer
    // than the block a file is recognised by.
    let script = ["#!/bin/sh\n", &"echo installing\n".repeat(1000)].concat();
    let script = [script.as_bytes(), &bytes].concat();
    fs::write(dir.path().join("setup.sh"), script).unwrap();
    bytes.extend_from_slice(b"mail jan.jansen@example.com\n");
    fs::write(dir.path().join("trail.zip"), bytes).unwrap();
    // UTF-32 with its byte-order mark.
    let utf32: Vec<u8> = "\u{feff}mail jan.jansen@example.com\n"
        .chars()
        .flat_map(|c| u32::from(c).to_le_bytes())
        .collect();
    fs::write(dir.path().join("wide.txt"), utf32).unwrap();
    let out = bin()
        .args([
            "scan",
            "--no-progress",
            "--no-config",
            "--format",
            "ndjson",
            "--coverage",
            "cov.json",
            ".",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let found = ndjson(&stdout(&out));
    let paths: Vec<&str> = found.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["./two.tar!n.txt"]);
    let coverage: Value =
        serde_json::from_slice(&fs::read(dir.path().join("cov.json")).unwrap()).unwrap();
    assert_eq!(coverage["complete"], false);
    let gaps: Vec<(&str, &str)> = coverage["incomplete"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["path"].as_str().unwrap(), g["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        gaps,
        [
            ("./setup.sh", "embedded_zip"),
            ("./trail.zip", "corrupt"),
            ("./wide.txt", "unsupported")
        ]
    );
}

#[test]
fn a_byte_order_mark_before_8_bit_text_does_not_hide_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("latin1.txt"),
        b"\xff\xfeNa\xefve caf\xe9 jan.jansen@example.com\n",
    )
    .unwrap();
    let found = ndjson(&scan(dir.path(), "ndjson", "latin1.txt"));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["kind"], "email");
}

#[test]
fn zero_bytes_in_text_or_utf16_without_a_mark_do_not_make_it_binary() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "name,email\r\nAda,jan.jansen@example.com\r\n";
    let bare: Vec<u8> = csv.encode_utf16().flat_map(u16::to_le_bytes).collect();
    fs::write(dir.path().join("export.csv"), &bare).unwrap();
    fs::write(dir.path().join("nul.csv"), csv.replacen(',', "\0,", 1)).unwrap();
    fs::write(
        dir.path().join("img.bin"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01",
    )
    .unwrap();
    let found = ndjson(&scan(dir.path(), "ndjson", "."));
    let at = |file: &str| -> Vec<(String, u64, String)> {
        let of = found
            .iter()
            .filter(|f| f["path"].as_str().unwrap().ends_with(file));
        of.map(|f| {
            let kind = f["kind"].as_str().unwrap().to_string();
            (
                kind,
                f["start"].as_u64().unwrap(),
                f["csv_column"].to_string(),
            )
        })
        .collect()
    };
    // Byte offsets count the file's own bytes: two per UTF-16 unit.
    let column = "\"email\"".to_string();
    assert_eq!(at("export.csv"), [("email".into(), 32, column.clone())]);
    assert_eq!(at("nul.csv"), [("email".into(), 17, column)]);
    // The picture is still left out, by choice.
    let out = bin()
        .args([
            "scan",
            "--no-progress",
            "--no-config",
            "--format",
            "json",
            ".",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("left out: binary (1)"), "{summary}");

    // A masked copy stays UTF-16 without a mark.
    let out = mask_in(dir.path(), &["--out", "m", "export.csv"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let copy = fs::read(dir.path().join("m/export.csv")).unwrap();
    assert_eq!(copy.len(), bare.len());
    let units: Vec<u16> = copy
        .chunks(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .collect();
    let text = String::from_utf16(&units).unwrap();
    assert!(
        text.starts_with("name,email\r\nAda,") && !text.contains("jan.jansen"),
        "{text}"
    );
}

#[test]
fn an_sql_statement_never_changes_what_is_found_before_it() {
    let head = "-- MySQL dump 10.13\nnote date of birth: 1990-01-01;\n";
    let copy = "COPY public.users (email, birth_date) FROM stdin;\n";
    let kinds = |text: &str| -> Vec<String> {
        found("dump.sql", text)
            .into_iter()
            .map(|(kind, _)| kind)
            .collect()
    };
    let alone = kinds(head);
    assert_eq!(alone, ["date_of_birth"]);
    assert_eq!(kinds(&format!("{head}{copy}")), alone);
    assert_eq!(kinds(&format!("{head}{copy}\tx\n")), alone);
    let rows = format!("{head}{copy}q.r@example.com\t1980-02-03\n\\.\n");
    assert_eq!(kinds(&rows), ["date_of_birth", "email", "date_of_birth"]);
    // Standard input gives the same answer as the file.
    let out = piiscan_stdin(&["scan", "--format", "ndjson", "-"], rows.into_bytes());
    assert_eq!(ndjson(&stdout(&out)).len(), 3);
}

/// (rule, start, end, row, column, json path, masked) of each finding: all
/// but the path it was read under.
fn answer(text: &str) -> Vec<String> {
    ndjson(text)
        .iter()
        .map(|f| {
            let keep = [
                "rule",
                "start",
                "end",
                "csv_row",
                "csv_column",
                "json_path",
                "masked",
            ];
            keep.map(|k| f[k].to_string()).join(" ")
        })
        .collect()
}

#[test]
fn one_input_one_answer_whatever_the_read_path_or_thread_count() {
    let root = crate::harness::fixtures();
    let inputs = [
        "customers.csv",
        "events.ndjson",
        "csv/contacts-fr.csv",
        "csv/broken.csv",
        "json/customers.json",
        "json/truncated.json",
        "sql/shop-mysqldump.sql",
        "sql/kunden-pgdump.sql",
        "notes",
        "logs",
    ];
    let files: Vec<std::path::PathBuf> = inputs
        .iter()
        .flat_map(|name| {
            let path = root.join(name);
            match path.is_dir() {
                true => fs::read_dir(&path)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect(),
                false => vec![path],
            }
        })
        .filter(|p| p.is_file())
        .collect();
    assert!(files.len() > 10);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(&path).unwrap();
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(&name), &bytes).unwrap();
        let file = answer(&scan(dir.path(), "ndjson", &name));
        // Two threads; a pipe, where the name does not say the format (a
        // `.csv` named `-` is a table only if its lines show one).
        if !name.ends_with(".csv") {
            let piped = piiscan_stdin(
                &[
                    "scan",
                    "--no-config",
                    "--min-confidence",
                    "low",
                    "--format",
                    "ndjson",
                    "-",
                ],
                bytes.clone(),
            );
            assert_eq!(answer(&stdout(&piped)), file, "{name} through a pipe");
        }
        let two = bin()
            .args(["scan", "--no-progress", "--no-config", "-j", "2"])
            .args(["--min-confidence", "low", "--format", "ndjson", &name])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(answer(&stdout(&two)), file, "{name}: -j 2");
        // Inside a zip and a gzip file.
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&bytes).unwrap();
        fs::write(
            dir.path().join("in.zip"),
            zip.finish().unwrap().into_inner(),
        )
        .unwrap();
        assert_eq!(
            answer(&scan(dir.path(), "ndjson", "in.zip")),
            file,
            "{name} in a zip"
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&bytes).unwrap();
        fs::write(dir.path().join(format!("{name}.gz")), gz.finish().unwrap()).unwrap();
        let gz_answer = answer(&scan(dir.path(), "ndjson", &format!("{name}.gz")));
        assert_eq!(gz_answer, file, "{name}.gz");
    }
}

/// Sends `signal` to a run of `args` over a large input once it has begun,
/// and returns its exit code.
#[cfg(unix)]
fn interrupted(dir: &std::path::Path, args: &[&str], signal: &str) -> Option<i32> {
    let mut child = bin()
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let sent = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    child.wait().unwrap().code()
}

#[cfg(unix)]
#[test]
fn interrupted_runs_leave_no_output_that_looks_complete() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    fs::create_dir(&inputs).unwrap();
    // Enough to scan for seconds: every line a finding.
    let line = "customer jan.jansen@example.com card 4917 6322 8354 7010 +44 7700 900456\n";
    for i in 0..8 {
        fs::write(inputs.join(format!("big{i}.log")), line.repeat(200_000)).unwrap();
    }
    let before: Vec<u64> = (0..8)
        .map(|i| {
            fs::metadata(inputs.join(format!("big{i}.log")))
                .unwrap()
                .len()
        })
        .collect();
    for signal in ["-INT", "-TERM"] {
        let code = interrupted(
            dir.path(),
            &[
                "scan",
                "-q",
                "-j",
                "1",
                "-o",
                "out.ndjson",
                "--coverage",
                "cov.json",
                "in",
            ],
            signal,
        );
        assert_eq!(code, Some(if signal == "-INT" { 130 } else { 143 }));
        assert!(
            !dir.path().join("out.ndjson").exists(),
            "{signal}: a partial findings file"
        );
        assert!(
            !dir.path().join("cov.json").exists(),
            "{signal}: a partial coverage file"
        );
        let code = interrupted(
            dir.path(),
            &["mask", "-q", "-j", "1", "--out", "copies", "in"],
            signal,
        );
        assert_eq!(code, Some(if signal == "-INT" { 130 } else { 143 }));
        // Whatever copy is there is whole: no temporary file, no copy
        // shorter than its input.
        if let Ok(entries) = fs::read_dir(dir.path().join("copies")) {
            for entry in entries {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                assert!(
                    name.starts_with("big") && name.ends_with(".log"),
                    "{signal}: {name} left"
                );
                let n: usize = name["big".len()..name.len() - ".log".len()]
                    .parse()
                    .unwrap();
                assert_eq!(
                    fs::metadata(&path).unwrap().len(),
                    before[n],
                    "{signal}: {name} cut short"
                );
            }
        }
        let _ = fs::remove_dir_all(dir.path().join("copies"));
    }
    let after: Vec<u64> = (0..8)
        .map(|i| {
            fs::metadata(inputs.join(format!("big{i}.log")))
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!(before, after);
}

/// A GNU sparse tar of one file: `data` at offset 0, `tail` at 1 MiB, the
/// hole between them stored as nothing.
fn sparse_tar(data: &[u8], tail: &[u8]) -> Vec<u8> {
    let octal = |field: &mut [u8], n: u64| {
        let text = format!("{n:0width$o}\0", width = field.len() - 1);
        field.copy_from_slice(text.as_bytes());
    };
    let mut header = tar::Header::new_gnu();
    header.set_path("big.txt").unwrap();
    header.set_mode(0o644);
    header.set_mtime(1_700_000_000);
    header.set_entry_type(tar::EntryType::GNUSparse);
    header.set_size((data.len() + tail.len()) as u64);
    let gnu = header.as_gnu_mut().unwrap();
    octal(&mut gnu.sparse[0].offset, 0);
    octal(&mut gnu.sparse[0].numbytes, data.len() as u64);
    octal(&mut gnu.sparse[1].offset, 1 << 20);
    octal(&mut gnu.sparse[1].numbytes, tail.len() as u64);
    octal(&mut gnu.realsize, (1 << 20) + tail.len() as u64);
    header.set_cksum();
    let mut builder = tar::Builder::new(Vec::new());
    builder
        .append(&header, [data, tail].concat().as_slice())
        .unwrap();
    builder.into_inner().unwrap()
}

#[test]
fn a_sparse_tar_member_is_masked_in_place_or_not_copied() {
    let dir = tempfile::tempdir().unwrap();
    // A segment before another fills whole blocks.
    let data = "contact jan.jansen@example.com here\n".repeat(256);
    assert_eq!(data.len() % 512, 0);
    let tar = sparse_tar(data.as_bytes(), b"tail maria.garcia@example.org\n");
    fs::write(dir.path().join("s.tar"), &tar).unwrap();
    let mask = |extra: &[&str], out: &str| {
        mask_in(dir.path(), &[&["--out", out, "s.tar"], extra].concat())
    };
    // Masked bytes of the same length: the member stays sparse, its map
    // placing them where they were.
    let out = mask(&[], "partial");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let copy = fs::read(dir.path().join("partial/s.tar")).unwrap();
    let mut archive = tar::Archive::new(&copy[..]);
    let mut entry = archive.entries().unwrap().next().unwrap().unwrap();
    assert!(entry.header().entry_type().is_gnu_sparse());
    let mut file = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut file).unwrap();
    assert_eq!(file.len(), (1 << 20) + 30);
    let text = String::from_utf8_lossy(&file);
    assert!(
        text.starts_with("contact ***.******@example.com here\n"),
        "{}",
        &text[..40]
    );
    assert!(text.ends_with("tail *****.******@example.org\n"));
    assert!(!text.contains("jan.jansen") && !text.contains("maria.garcia"));
    // A token of another length cannot be placed by the map: no copy, and
    // the run says so.
    let out = mask(&["--strategy", "email=redact", "--redact-token"], "token");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("big.txt: a sparse member whose masked text does not fill"),
        "{err}"
    );
    assert!(!dir.path().join("token/s.tar").exists());
    // A map the writer cannot follow (a segment not block-aligned): that
    // archive has no copy, the other input does, and the run says so.
    let odd = sparse_tar(&data.as_bytes()[1..], b"tail maria.garcia@example.org\n");
    fs::write(dir.path().join("s.tar"), &odd).unwrap();
    fs::write(dir.path().join("b.txt"), "mail jan.jansen@example.com\n").unwrap();
    let out = mask_in(dir.path(), &["--out", "odd", "s.tar", "b.txt"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not be rebuilt"));
    assert!(dir.path().join("odd/b.txt").exists() && !dir.path().join("odd/s.tar").exists());
}

#[test]
fn a_symbolic_link_in_the_output_folder_never_leads_a_copy_into_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in/sub/b.txt");
    fs::create_dir_all(input.parent().unwrap()).unwrap();
    fs::write(&input, "mail jan.jansen@example.com\n").unwrap();
    fs::create_dir(dir.path().join("o")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("in/sub"), dir.path().join("o/sub")).unwrap();
    let out = mask_in(dir.path(), &["--force", "in", "--out", "o"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link out of the output"));
    assert_eq!(
        fs::read_to_string(&input).unwrap(),
        "mail jan.jansen@example.com\n"
    );
    let left: Vec<_> = fs::read_dir(dir.path().join("in/sub")).unwrap().collect();
    assert_eq!(left.len(), 1, "no temporary file left in the input folder");
}

#[test]
fn a_rule_file_s_hostile_name_is_escaped_in_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a\u{1b}[31mb\u{202e}.toml";
    fs::write(dir.path().join(name), "x=\n").unwrap();
    for args in [
        &["rules", "check", name][..],
        &["scan", "--no-config", "--rules", name, "."],
    ] {
        let out = bin().args(args).current_dir(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("a\\u{1b}[31mb\\u{202e}.toml:1"), "{err}");
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{202e}'),
            "{err}"
        );
    }
}
