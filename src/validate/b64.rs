//! Lenient base64 decoding for validators.
//!
//! Tokens embed base64 in every dialect: standard or URL-safe alphabet, with or without `=`
//! padding. A validator only needs the bytes, so it accepts all of them rather than guessing
//! which one a provider picked and dropping a real token over padding.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;

const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// Decodes `text` as base64 in whichever alphabet its characters imply; `None` if it is not
/// base64 at all (or mixes both alphabets).
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let standard = text.bytes().any(|b| b == b'+' || b == b'/');
    let url = text.bytes().any(|b| b == b'-' || b == b'_');
    match (standard, url) {
        (true, true) => None,
        (true, false) => STANDARD.decode(text).ok(),
        _ => URL_SAFE.decode(text).ok(),
    }
}

/// Decodes base64 that must hold a JSON object (a JWT segment, a structured token's payload).
pub fn decode_json_object(text: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_slice(&decode(text)?).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_dialect() {
        assert_eq!(decode("aGk/Pz8=").unwrap(), b"hi???");
        assert_eq!(decode("aGk_Pz8").unwrap(), b"hi???");
        assert_eq!(decode("aGk").unwrap(), b"hi");
        assert!(decode("a+b_").is_none());
        assert!(decode("not base64!").is_none());
        assert!(decode_json_object("eyJhIjoxfQ").is_some());
        assert!(decode_json_object("WzFd").is_none()); // [1]
    }
}
