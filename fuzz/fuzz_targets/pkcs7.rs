//! Fuzz target `pkcs7`: see `drivers::pkcs7`.
#![no_main]

#[path = "../drivers.rs"]
mod drivers;

libfuzzer_sys::fuzz_target!(
    init: drivers::contain_guarded_panics(),
    |data: &[u8]| drivers::pkcs7(data)
);
