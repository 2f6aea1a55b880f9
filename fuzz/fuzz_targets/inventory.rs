//! Fuzz target `inventory`: see `drivers::inventory`.
#![no_main]

#[path = "../drivers.rs"]
mod drivers;

libfuzzer_sys::fuzz_target!(
    init: drivers::contain_guarded_panics(),
    |data: &[u8]| drivers::inventory(data)
);
