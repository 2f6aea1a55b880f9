//! Fuzz target `dex`: see `drivers::dex`.
#![no_main]

#[path = "../drivers.rs"]
mod drivers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| drivers::dex(data));
