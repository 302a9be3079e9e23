//! Rule files: any text is loaded or refused with problems, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = piiscan::rules::RuleSet::from_text("fuzz.toml", text, false);
});
