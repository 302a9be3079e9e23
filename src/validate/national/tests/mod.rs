//! Tests of the national validators: published and generated examples,
//! and properties against reference implementations.

mod examples;
mod properties;

/// Asserts every value in `ok` passes and every value in `bad` fails.
pub(super) fn check(f: fn(&[u8]) -> bool, ok: &[&str], bad: &[&str]) {
    for v in ok {
        assert!(f(v.as_bytes()), "expected valid: {v:?}");
    }
    for v in bad {
        assert!(!f(v.as_bytes()), "expected invalid: {v:?}");
    }
}
