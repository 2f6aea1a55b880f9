//! Fuzz target `signing_block`: see `drivers::signing_block`.
#![no_main]

#[path = "../drivers.rs"]
mod drivers;

libfuzzer_sys::fuzz_target!(
    init: drivers::contain_guarded_panics(),
    |data: &[u8]| drivers::signing_block(data)
);
