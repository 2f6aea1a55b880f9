//! Fuzz target `plist`: see `drivers::plist`.
#![no_main]

#[path = "../drivers.rs"]
mod drivers;

libfuzzer_sys::fuzz_target!(
    init: drivers::contain_guarded_panics(),
    |data: &[u8]| drivers::plist(data)
);
