//! `classify` over arbitrary statuses and bodies: never a panic; success only with a 2xx; the
//! same verdict with and without the scan that reads Zoho's success envelope unparsed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zbooks_client::classify;
use zbooks_client::classify::classify_by_parse;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_le_bytes([data[0], data[1]]) % 1000;
    let body = &data[2..];
    let verdict = classify(status, body);
    assert_eq!(verdict, classify_by_parse(status, body));
    match verdict {
        Ok(success) => assert!((200..300).contains(&success.status)),
        Err(failure) => {
            if let Some(snippet) = failure.snippet {
                assert!(snippet.chars().count() <= 161);
            }
        }
    }
});
