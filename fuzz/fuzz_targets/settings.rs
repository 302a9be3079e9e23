//! The settings file: any text is read or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = piiscan::settings::Settings::parse(std::path::Path::new(".piiscan.toml"), text);
});
