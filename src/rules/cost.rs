//! What a user's pattern costs on hostile text, tried before it is
//! trusted. A repetition inside another (`(?:a{1,64}){1,64}`) or one with
//! thousands of counted steps keeps thousands of positions alive at once;
//! on a long run of the bytes it repeats, the scan's lazy automaton
//! overflows its cache, gives up, and the search falls back to an engine
//! that takes minutes per megabyte. Built-in rules are measured by the
//! benchmarks; a user's are tried here, on runs of the bytes a match can
//! hold and on its examples repeated, with the cache a rule gets in a scan.

use regex_automata::hybrid::{dfa, regex::Regex};
use regex_automata::nfa::thompson;
use regex_automata::Input;

use super::bytes::ByteSet;
use super::syntax_config;

/// Bytes of each hostile text: past the point where a sane pattern's
/// automaton has every state it needs.
const RUN: usize = 32 << 10;

/// The lazy automaton's cache, as a rule that runs on its own regex gets.
const CACHE: usize = 256 << 10;

/// Bytes of the alphabet tried as runs, at most (letters and digits first).
const BYTES_TRIED: usize = 24;

/// The hostile text `pattern` overflows on (`a run of `a``), if any.
/// `alphabet` holds the bytes a match can contain; `examples` are texts
/// the rule is written to find.
pub(super) fn overflows<'a>(
    pattern: &str,
    alphabet: &ByteSet,
    examples: impl Iterator<Item = &'a str>,
) -> Option<String> {
    let regex = Regex::builder()
        .syntax(syntax_config())
        .thompson(thompson::Config::new().utf8(false))
        // As the scan's engine configures it: three clears, then give up.
        .dfa(
            dfa::Config::new()
                .cache_capacity(CACHE)
                .minimum_cache_clear_count(Some(3))
                .minimum_bytes_per_state(Some(10)),
        )
        .build(pattern)
        .ok()?;
    let mut cache = regex.create_cache();
    let mut bytes: Vec<u8> = (0..=255u8).filter(|&b| alphabet.contains(b)).collect();
    bytes.sort_by_key(|b| !b.is_ascii_alphanumeric());
    for &b in bytes.iter().take(BYTES_TRIED) {
        if gives_up(&regex, &mut cache, &vec![b; RUN]) {
            return Some(format!("a run of {}", shown(b)));
        }
    }
    for text in examples.take(4).filter(|t| !t.is_empty()) {
        let hay: Vec<u8> = text.bytes().cycle().take(RUN).collect();
        if gives_up(&regex, &mut cache, &hay) {
            return Some("one of its examples repeated".into());
        }
    }
    None
}

/// True when a search through all of `hay`, match after match as the scan
/// searches, makes the automaton give up.
fn gives_up(regex: &Regex, cache: &mut regex_automata::hybrid::regex::Cache, hay: &[u8]) -> bool {
    let mut at = 0;
    while at < hay.len() {
        match regex.try_search(cache, &Input::new(hay).range(at..)) {
            Ok(Some(m)) => at = m.end().max(at + 1),
            Ok(None) => return false,
            // Gave up (or quit): the scan would fall back to a slow engine.
            Err(_) => return true,
        }
    }
    false
}

/// A byte as a message shows it: `a`, or `0x0a`.
fn shown(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", b as char)
    } else {
        format!("0x{b:02x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tried(pattern: &str, example: &str) -> Option<String> {
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(pattern)
            .unwrap();
        overflows(pattern, &ByteSet::of(&hir), [example].into_iter())
    }

    #[test]
    fn a_user_rule_that_overflows_is_refused_at_load() {
        let rule = r#"
[[rule]]
id = "runs-of-a"
kind = "test"
category = "contact"
severity = "low"
description = "d"
pattern = '(?:(?:a{1,64}){1,64})$'
examples = [{ text = "aaaa", masked = "****" }]
negatives = ["bbbb"]
"#;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.toml");
        std::fs::write(&path, rule).unwrap();
        let err = crate::rules::RuleSet::load(&[path], false).unwrap_err();
        assert!(
            err.to_string().contains("overflows on a run of `a`"),
            "{err}"
        );
    }

    #[test]
    fn nested_and_huge_repetitions_overflow_sane_patterns_do_not() {
        assert_eq!(
            tried(r"(?:(?:a{1,64}){1,64})$", "aaaa").as_deref(),
            Some("a run of `a`")
        );
        let repeated = tried(r"(?:(?:ab){1,40}){1,40}c", "abababababc");
        assert_eq!(
            repeated, None,
            "a cycle the examples do not show is not tried"
        );
        let shown = tried(r"(?:(?:ab){1,40}){1,40}c?", "abababab");
        assert_eq!(shown.as_deref(), Some("one of its examples repeated"));
        assert_eq!(tried(r"\b\d{3}-\d{2}-\d{4}\b", "123-45-6789"), None);
        assert_eq!(
            tried(
                r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}\b",
                "GB82 WEST 1234 5698 7654 32"
            ),
            None
        );
        assert_eq!(
            tried(
                r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}",
                "a@b.co"
            ),
            None
        );
    }
}
