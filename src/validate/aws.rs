//! AWS access key ids encode the owning account: after the 4-character prefix, the first
//! 6 bytes of the base32-decoded rest hold the account id shifted left by 7 bits (a published
//! fact, see "A short note on AWS KEY ID" by Tal Be'ery). It tells an auditor whose key it is.

use std::collections::BTreeMap;

use super::verdict::{Strength, Verdict};

/// `aws-key-id`: always passes; adds the account id when it decodes.
pub fn key_id(secret: &str) -> Verdict {
    let mut facts = BTreeMap::new();
    if let Some(account) = account_id(secret) {
        facts.insert("aws_account_id".to_string(), account);
    }
    Verdict::with_facts(Strength::Plausible, facts)
}

/// The 12-digit account id encoded in an access key id, if it decodes.
pub fn account_id(key_id: &str) -> Option<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let encoded = key_id.get(4..14)?;
    let mut value: u64 = 0;
    for b in encoded.bytes() {
        let digit = ALPHABET.iter().position(|&a| a == b)? as u64;
        value = (value << 5) | digit;
    }
    // 10 base32 digits = 50 bits, of which the first 48 are the 6 bytes that matter.
    let six_bytes = value >> 2;
    let account = (six_bytes & 0x7fff_ffff_ff80) >> 7;
    Some(format!("{account:012}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_id_decodes() {
        // AKIA + base32 of (account << 7 | noise) for account 123456789012.
        let account: u64 = 123_456_789_012;
        let value = ((account << 7) | 0x55) << 2;
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        let mut encoded = String::new();
        for i in (0..10).rev() {
            encoded.push(ALPHABET[((value >> (i * 5)) & 31) as usize] as char);
        }
        let key = format!("AKIA{encoded}QRSTUV");
        assert_eq!(key.len(), 20);
        assert_eq!(account_id(&key).as_deref(), Some("123456789012"));
        assert_eq!(account_id("AKIA"), None);
    }
}
