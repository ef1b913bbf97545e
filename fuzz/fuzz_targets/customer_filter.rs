#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnerdesk_fuzz::customer_filter(data));
