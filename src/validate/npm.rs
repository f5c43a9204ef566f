//! npm access tokens (2021 format): `npm_` + 30 random base62 characters + the CRC32 of those
//! 30 characters in 6 base62 digits, the scheme GitHub introduced for its own tokens.
//! Source: <https://github.blog/2021-09-23-announcing-npms-new-access-token-format/>.

use super::encoding::base62_crc32_body;
use super::verdict::{Strength, Verdict};

/// `npm-crc32`.
pub fn check(secret: &str) -> Verdict {
    match secret.strip_prefix("npm_") {
        Some(body) => Verdict::holds(base62_crc32_body(body), Strength::Checksum),
        None => Verdict::Invalid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::encoding::base62;

    #[test]
    fn accepts_valid_and_rejects_tampered() {
        let random = "Kq3Zr8Vt1Lm6Wx0Pn4Bc7Yd2Hf5Js9";
        let token = format!(
            "npm_{random}{}",
            base62(crc32fast::hash(random.as_bytes()), 6)
        );
        assert!(matches!(check(&token), Verdict::Valid(_)));
        let tampered = token.replace("Kq3", "Kq4");
        assert_eq!(check(&tampered), Verdict::Invalid);
        assert_eq!(check("npm_short"), Verdict::Invalid);
        assert_eq!(check(&token.replace("npm_", "ghp_")), Verdict::Invalid);
    }
}
