//! Embeds every `rules/*.toml` file in the binary, so the built-in rules are
//! data the team edits without touching code, and names the build for
//! `--version`: the commit it was built from and a digest of the rules.

use std::{env, fs, path::Path, process::Command};

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut files: Vec<_> = fs::read_dir("rules")
        .expect("rules/ folder")
        .map(|e| e.expect("rules/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut code = String::from(
        "/// Built-in rule files: (name, TOML text).\npub const BUILTIN: &[(&str, &str)] = &[\n",
    );
    let mut digest = Fnv::default();
    let mut rules = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy();
        let abs = fs::canonicalize(path).unwrap();
        let text = fs::read_to_string(path).unwrap();
        digest.add(name.as_bytes());
        digest.add(text.as_bytes());
        rules += text.lines().filter(|l| l.trim() == "[[rule]]").count();
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("builtin_rules.rs");
    fs::write(out, code).unwrap();
    println!(
        "cargo:rustc-env=PIISCAN_RULES={rules} built-in rules, digest {:016x}",
        digest.0
    );
    println!("cargo:rustc-env=PIISCAN_COMMIT={}", commit());
}

/// The commit checked out; `unknown`
/// outside a git work tree (a source archive).
fn commit() -> String {
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    Command::new("git")
        .args(["describe", "--always", "--abbrev=10", "--exclude=*"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// FNV-1a: a stable fingerprint of the rule files, not a security measure.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn add(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
