//! The baseline reader: any bytes are read or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = piiscan::gate::baseline::Baseline::parse(data, "baseline.json", "0123abcd", "a key");
});
