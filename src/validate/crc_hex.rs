//! Tokens that end in a CRC32 written as 8 hex digits.
//!
//! - Grafana service account tokens: `glsa_<32 random>_<crc>`, the CRC32 (IEEE) of
//!   `glsa_<32 random>` with its four bytes in little-endian order, as lowercase hex.
//!   Source: Grafana's `pkg/components/satokengen`.
//! - Atlassian API tokens: `ATATT…=<crc>`, the CRC32 of everything before the last 8
//!   characters (the `=` included), big-endian, as uppercase hex.

use super::encoding::hex_upper as hex;
use super::verdict::{Strength, Verdict};

/// `grafana-sa-crc32`.
pub fn grafana_service_account(secret: &str) -> Verdict {
    let Some((signed, crc)) = secret.rsplit_once('_') else {
        return Verdict::Invalid;
    };
    let expected = crc32fast::hash(signed.as_bytes()).to_le_bytes();
    verdict(crc.len() == 8 && crc == hex(&expected).to_ascii_lowercase())
}

/// `atlassian-crc32`.
pub fn atlassian(secret: &str) -> Verdict {
    if secret.len() < 9 || !secret.is_ascii() {
        return Verdict::Invalid;
    }
    let (signed, crc) = secret.split_at(secret.len() - 8);
    let expected = crc32fast::hash(signed.as_bytes()).to_be_bytes();
    verdict(crc.eq_ignore_ascii_case(&hex(&expected)))
}

fn verdict(valid: bool) -> Verdict {
    Verdict::holds(valid, Strength::Checksum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grafana_checksum_is_little_endian_hex() {
        let signed = "glsa_Rk2Lq9Wm4Xz7Vb1Nc8Td3Hy6Jp0Fs5Ga";
        let crc = crc32fast::hash(signed.as_bytes()).to_le_bytes();
        let token = format!("{signed}_{}", hex(&crc).to_ascii_lowercase());
        assert!(matches!(grafana_service_account(&token), Verdict::Valid(_)));
        let swapped = format!("{signed}_{:08x}", crc32fast::hash(signed.as_bytes()));
        if swapped != token {
            assert_eq!(grafana_service_account(&swapped), Verdict::Invalid);
        }
        assert_eq!(grafana_service_account("glsa_x"), Verdict::Invalid);
    }

    #[test]
    fn atlassian_checksum_covers_the_separator() {
        let signed = "ATATT3xFfGF0Qm7TzK2pW9vXcR4nB8yL1sD6fG3hJ0aEkUo=";
        let token = format!("{signed}{:08X}", crc32fast::hash(signed.as_bytes()));
        assert!(matches!(atlassian(&token), Verdict::Valid(_)));
        let tampered = token.replace("Qm7", "Qm8");
        assert_eq!(atlassian(&tampered), Verdict::Invalid);
    }
}
