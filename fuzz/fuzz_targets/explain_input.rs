//! `zbooks explain`'s input parser and explanation over arbitrary input: never a panic, never
//! a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zbooks_types::explain::explain;
use zbooks_types::scan::scan;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(found) = scan(&text) {
        for f in &found {
            let ex = explain(&f.finding);
            assert!(!ex.title.is_empty());
            assert!(!f.lines.is_empty());
        }
    }
});
