//! GitHub's token format (2021): `<prefix>_` + 30 random base62 characters + the CRC32 of
//! those 30 characters in 6 base62 digits.

use super::encoding::base62_crc32_body;
use super::verdict::{Strength, Verdict};

/// `github-crc32`.
pub fn check(secret: &str) -> Verdict {
    let Some((_, body)) = secret.split_once('_') else {
        return Verdict::Invalid;
    };
    Verdict::holds(base62_crc32_body(body), Strength::Checksum)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::encoding::base62;

    fn github_token(prefix: &str, random: &str) -> String {
        format!(
            "{prefix}_{random}{}",
            base62(crc32fast::hash(random.as_bytes()), 6)
        )
    }

    #[test]
    fn accepts_valid_and_rejects_tampered() {
        let token = github_token("ghp", "R8m2Kx7Qp4Lz9Vw1Tn6Yb3Hc5Jd0Fs");
        assert_eq!(check(&token), Verdict::pass(Strength::Checksum));
        let mut tampered = token.clone().into_bytes();
        tampered[10] = if tampered[10] == b'a' { b'b' } else { b'a' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(check(&tampered), Verdict::Invalid);
        assert_eq!(check("ghp_short"), Verdict::Invalid);
    }
}
