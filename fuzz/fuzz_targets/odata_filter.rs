#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| partnerdesk_fuzz::odata_filter(data));
