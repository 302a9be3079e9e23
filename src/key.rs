//! Where the fingerprint key comes from: `--key-file`, else
//! `PIISCAN_FINGERPRINT_KEY`, else the user's own random key, made on first
//! use under the user's configuration folder (mode 0600). Never a constant
//! in the source: a keyed hash under a public key is reversed for short
//! values by trying them all (a 9-digit number in a fraction of a second).
//! Fingerprints, `hash` pseudonyms and `tokenize` tokens are all keyed by
//! it; a team that wants the same fingerprints everywhere shares one key
//! (a file, or the variable in CI).

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::sanitize::sanitize;

/// The environment variable holding a team key.
pub const ENV: &str = "PIISCAN_FINGERPRINT_KEY";

/// A fingerprint key and where it came from.
pub struct Key {
    /// The secret.
    pub bytes: Vec<u8>,
    /// Where it came from.
    pub source: Source,
}

/// Where a key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--key-file`, as named (sanitised).
    File(String),
    /// [`ENV`].
    Env,
    /// The user's own key file.
    User(PathBuf),
    /// Made for this run alone: there is no folder to keep a user key in.
    Run,
}

/// Why no key could be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file named cannot be read.
    #[error("cannot read the key file {file}: {cause}")]
    Read {
        /// As named, sanitised.
        file: String,
        /// What the system said.
        cause: io::Error,
    },
    /// The key file named is empty.
    #[error("the key file {0} is empty")]
    Empty(String),
    /// The variable is set, to nothing: a CI secret that is not there.
    #[error(
        "{ENV} is set but empty (a CI secret that is missing?): set it to the team's key, \
         or unset it to use your own key"
    )]
    EmptyEnv,
    /// The user's key file could not be made or read.
    #[error("the user key {file}: {cause}")]
    User {
        /// Its path, sanitised.
        file: String,
        /// What the system said.
        cause: io::Error,
    },
}

impl Key {
    /// The key of this run: `key_file` if given, else [`ENV`], else the
    /// user's key (made if there is none yet).
    pub fn resolve(key_file: Option<&Path>) -> Result<Key, KeyError> {
        if let Some(path) = key_file {
            let shown = sanitize(&path.to_string_lossy());
            let mut bytes = fs::read(path).map_err(|cause| KeyError::Read {
                file: shown.clone(),
                cause,
            })?;
            while bytes.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
                bytes.pop();
            }
            if bytes.is_empty() {
                return Err(KeyError::Empty(shown));
            }
            return Ok(Key {
                bytes,
                source: Source::File(shown),
            });
        }
        if let Some(value) = std::env::var_os(ENV) {
            if value.is_empty() {
                return Err(KeyError::EmptyEnv);
            }
            return Ok(Key {
                bytes: value.into_encoded_bytes(),
                source: Source::Env,
            });
        }
        let Some(path) = user_key_path() else {
            return Ok(Key {
                bytes: random_hex().map_err(|cause| KeyError::User {
                    file: "(none)".into(),
                    cause,
                })?,
                source: Source::Run,
            });
        };
        let bytes = user_key(&path).map_err(|cause| KeyError::User {
            file: sanitize(&path.to_string_lossy()),
            cause,
        })?;
        Ok(Key {
            bytes,
            source: Source::User(path),
        })
    }

    /// A short name of the key that does not reveal it: the first 8 hex
    /// digits of a SHA-256 of it (baselines record it).
    pub fn id(&self) -> String {
        let digest = Sha256::new()
            .chain_update(b"piiscan key id\0")
            .chain_update(&self.bytes)
            .finalize();
        digest[..4].iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }

    /// The user's key file, when the key is one: a walk leaves it out, so
    /// that scanning or masking a home folder never reads or copies it.
    pub fn file(&self) -> Option<&Path> {
        match &self.source {
            Source::User(path) => Some(path),
            _ => None,
        }
    }

    /// Which key keyed the run, in words, for the summary: never the key.
    /// A short key is said to be one: it can be guessed, and with it the
    /// short values behind fingerprints.
    pub fn describe(&self) -> String {
        let mut words = self.source_words();
        if self.is_weak() {
            words.push_str(&format!(
                "; it is only {} byte{}, few enough to guess: use {MIN_STRONG} or more random \
                 bytes (`head -c 32 /dev/urandom | xxd -p -c 64`)",
                self.bytes.len(),
                if self.bytes.len() == 1 { "" } else { "s" }
            ));
        }
        words
    }

    /// True for a key short enough to guess.
    pub fn is_weak(&self) -> bool {
        self.bytes.len() < MIN_STRONG
    }

    fn source_words(&self) -> String {
        let id = self.id();
        match &self.source {
            Source::File(file) => format!("the key file {file} (key id {id})"),
            Source::Env => format!("{ENV} (key id {id})"),
            Source::Run => format!(
                "a key made for this run alone (key id {id}; no HOME or XDG_CONFIG_HOME to keep one): fingerprints differ from run to run, set {ENV} or --key-file"
            ),
            Source::User(path) => format!(
                "your user key {} (key id {id}; others get other fingerprints: share a key with --key-file or {ENV})",
                sanitize(&path.to_string_lossy())
            ),
        }
    }
}

/// Keys shorter than this are said to be weak.
const MIN_STRONG: usize = 16;

/// Where the user's key is kept: `$XDG_CONFIG_HOME/piiscan/fingerprint.key`,
/// else `~/.config/piiscan/fingerprint.key`.
pub fn user_key_path() -> Option<PathBuf> {
    // A relative XDG_CONFIG_HOME is to be ignored (the XDG spec): it would
    // move with the working folder.
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|home| PathBuf::from(home).join(".config"))
        })?;
    Some(config.join("piiscan").join("fingerprint.key"))
}

/// The user's key at `path`, made there first if there is none: 32 random
/// bytes as hex, in a file only its owner reads.
fn user_key(path: &Path) -> io::Result<Vec<u8>> {
    match fs::read(path) {
        Ok(mut bytes) => {
            while bytes.last().is_some_and(|b| b.is_ascii_whitespace()) {
                bytes.pop();
            }
            if bytes.is_empty() {
                return Err(io::Error::other("is empty: remove it to make a new one"));
            }
            return Ok(bytes);
        }
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        Err(_) => {}
    }
    let hex = random_hex()?;
    if let Some(folder) = path.parent() {
        fs::create_dir_all(folder)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(&hex)?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            Ok(hex)
        }
        // Another run made it first: use that one.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => user_key(path),
        Err(e) => Err(e),
    }
}

/// 32 random bytes, as 64 hex digits.
fn random_hex() -> io::Result<Vec<u8>> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(io::Error::other)?;
    let hex = secret.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    });
    Ok(hex.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_key_is_made_once_private_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("piiscan/fingerprint.key");
        let first = user_key(&path).unwrap();
        assert_eq!(first.len(), 64);
        assert_eq!(user_key(&path).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let other = tempfile::tempdir().unwrap();
        assert_ne!(user_key(&other.path().join("k")).unwrap(), first);
    }

    #[test]
    fn ids_name_keys_without_showing_them() {
        let key = |bytes: &[u8]| Key {
            bytes: bytes.to_vec(),
            source: Source::Env,
        };
        let (a, b) = (key(b"team secret"), key(b"other secret"));
        assert_eq!(a.id().len(), 8);
        assert_ne!(a.id(), b.id());
        assert!(!a.describe().contains("team secret"));
    }

    #[test]
    fn a_short_key_is_said_to_be_weak() {
        let key = |bytes: &[u8]| Key {
            bytes: bytes.to_vec(),
            source: Source::Env,
        };
        assert!(key(b"secret")
            .describe()
            .contains("only 6 bytes, few enough to guess"));
        assert!(!key(&[7; 32]).describe().contains("few enough"));
    }
}
