//! The encodings token formats are built from: base64 (read leniently), base62 and base36
//! digits, hex, and the CRC32 schemes that checksummed tokens carry.
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

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// Base62 of `n`, left-padded with `0` to `width` digits.
pub fn base62(n: u32, width: usize) -> String {
    padded_digits(n, BASE62, width)
}

/// Lowercase base 36 of `n`, left-padded with `0` to `width` digits (Ruby's `to_s(36).rjust`).
pub fn base36(n: u32, width: usize) -> String {
    padded_digits(n, BASE36, width)
}

/// `n` written with `digits` (its length is the base), left-padded with the zero digit to
/// `width`: the form checksummed tokens carry their CRC32 in.
pub fn padded_digits(mut n: u32, digits: &[u8], width: usize) -> String {
    let base = digits.len() as u32;
    let mut out = Vec::with_capacity(width);
    while n > 0 {
        out.push(digits[(n % base) as usize]);
        n /= base;
    }
    while out.len() < width {
        out.push(digits[0]);
    }
    out.reverse();
    String::from_utf8(out).expect("digit alphabets are ASCII")
}

/// Uppercase hex of `bytes`.
pub fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The 2021 scheme of GitHub tokens (and npm's, which adopted it): a body of 30 random base62
/// characters followed by their CRC32 in 6 base62 digits. True when `body` is exactly that.
pub fn base62_crc32_body(body: &str) -> bool {
    if body.len() != 36 || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let (random, checksum) = body.split_at(30);
    base62(crc32fast::hash(random.as_bytes()), 6) == checksum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_pad_and_encode() {
        assert_eq!(base62(0, 6), "000000");
        assert_eq!(base62(61, 2), "0z");
        assert_eq!(base62(62, 2), "10");
        assert_eq!(base36(35, 2), "0z");
        assert_eq!(hex_upper(&[0xab, 0x01]), "AB01");
    }

    #[test]
    fn base62_crc32_bodies() {
        let random = "R8m2Kx7Qp4Lz9Vw1Tn6Yb3Hc5Jd0Fs";
        let body = format!("{random}{}", base62(crc32fast::hash(random.as_bytes()), 6));
        assert!(base62_crc32_body(&body));
        assert!(!base62_crc32_body(&body.replace("R8m", "R9m")));
        assert!(!base62_crc32_body("short"));
    }

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
