//! Every validator, on any bytes and any span of them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use piiscan::validate::Validator;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, hay)) = data.split_first() else {
        return;
    };
    let start = usize::from(cut) % (hay.len() + 1);
    for name in Validator::names() {
        let v = Validator::by_name(name).expect("a listed validator");
        v.check(hay, 0, hay.len());
        v.check(hay, start, hay.len());
        v.check(hay, 0, start);
    }
});
