//! Fuzz target `provision`: see `drivers::provision`.
#![no_main]

#[path = "../drivers.rs"]
mod drivers;

libfuzzer_sys::fuzz_target!(
    init: drivers::contain_guarded_panics(),
    |data: &[u8]| drivers::provision(data)
);
