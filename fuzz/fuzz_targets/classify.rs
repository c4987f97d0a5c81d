//! `classify` over arbitrary statuses and bodies: never a panic; success only with a 2xx.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zbooks_client::classify;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]) % 1000;
    let body = &data[2..];
    match classify(status, body) {
        Ok(success) => assert!((200..300).contains(&success.status)),
        Err(failure) => {
            if let Some(snippet) = failure.snippet {
                assert!(snippet.chars().count() <= 161);
            }
        }
    }
});
