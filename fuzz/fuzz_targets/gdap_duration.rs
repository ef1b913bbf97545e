#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnerdesk_fuzz::gdap_duration(data));
