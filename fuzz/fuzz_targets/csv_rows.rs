//! The CSV reader and mapper over arbitrary bytes: never a panic, never a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zbooks_import::parse_csv_bytes(data);
});
