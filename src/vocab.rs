//! The built-in vocabulary: the word lists of `rules/vocab.toml`, read once.
//! Rules refer to them by name (see [`crate::rules`]); the validators that
//! need the same words (courtesy titles, name particles) read them here, so
//! each list is written once, as data.

use std::collections::HashMap;
use std::sync::OnceLock;

/// The text of `rules/vocab.toml`, embedded at build time.
pub const VOCAB_TOML: &str = include_str!("../rules/vocab.toml");

/// The built-in list named `name`, lower-case as written; empty if there
/// is none (a test holds every name the code uses).
pub fn list(name: &str) -> &'static [String] {
    static LISTS: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    let lists = LISTS.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct Vocab {
            words: HashMap<String, Vec<String>>,
        }
        toml::from_str::<Vocab>(VOCAB_TOML).map_or_else(|_| HashMap::new(), |v| v.words)
    });
    lists.get(name).map_or(&[], Vec::as_slice)
}

/// Courtesy titles (`mr`, `frau`, `sra`), lower-case.
pub fn courtesy_titles() -> &'static [String] {
    static TITLES: OnceLock<&'static [String]> = OnceLock::new();
    TITLES.get_or_init(|| list("courtesy-titles"))
}

/// Lower-case words inside surnames (`van`, `da`, `y`).
pub fn name_particles() -> &'static [String] {
    static PARTICLES: OnceLock<&'static [String]> = OnceLock::new();
    PARTICLES.get_or_init(|| list("name-particles"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_the_code_uses_exist() {
        for name in ["courtesy-titles", "name-particles"] {
            assert!(!list(name).is_empty(), "{name}");
        }
        assert!(name_particles().iter().any(|p| p == "van"));
        assert!(courtesy_titles().iter().any(|t| t == "sig.ra"));
    }
}
