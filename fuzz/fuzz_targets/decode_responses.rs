//! Decodes arbitrary bytes as each Personal Client response type; what decodes must survive
//! encode → decode unchanged, and nothing may panic.

#![no_main]

use conductorone_personal_client::types;
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn check<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(bytes: &[u8]) {
    let Ok(decoded) = serde_json::from_slice::<T>(bytes) else { return };
    let encoded = serde_json::to_vec(&decoded).expect("a decoded value encodes");
    let again: T = serde_json::from_slice(&encoded).expect("an encoded value decodes");
    assert_eq!(again, decoded, "the value changed across encode and decode");
}

fuzz_target!(|bytes: &[u8]| {
    check::<types::PersonalClientServiceListResponse>(bytes);
    check::<types::PersonalClientServiceCreateResponse>(bytes);
    check::<types::PersonalClientServiceGetResponse>(bytes);
    check::<types::PersonalClientServiceUpdateResponse>(bytes);
    check::<types::PersonalClientServiceDeleteResponse>(bytes);
    check::<types::PersonalClientSearchServiceSearchResponse>(bytes);
});
