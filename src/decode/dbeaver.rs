//! DBeaver's `credentials-config.json`: the user names and passwords of saved connections,
//! stored as JSON encrypted with AES-128-CBC under a key that ships in every copy of DBeaver
//! (the first 16 bytes of the file are the IV). The key is public, documented by DBeaver's own
//! issue tracker and by password-recovery tools, so the encryption hides nothing from anyone
//! who holds the file: keyhound decrypts it and scans the JSON, where the DBeaver rule reports
//! each connection's password with its user.
//!
//! A file that does not decrypt to JSON under that key was protected another way (a master
//! password, a secure-storage provider): it is noted and skipped, not guessed at.

use std::borrow::Cow;

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};

use super::{Ctx, Piece, Segment};

/// DBeaver's built-in key for `credentials-config.json` (hex `babb4a9f774ab853c96c2d653dfe544a`).
const DEFAULT_KEY: [u8; 16] = [
    0xba, 0xbb, 0x4a, 0x9f, 0x77, 0x4a, 0xb8, 0x53, 0xc9, 0x6c, 0x2d, 0x65, 0x3d, 0xfe, 0x54, 0x4a,
];

/// The file name DBeaver stores credentials under.
pub(super) const FILE_NAME: &str = "credentials-config.json";

/// Whether `bytes` under a file named [`FILE_NAME`] are the encrypted form (an IV and whole
/// AES blocks, not JSON text).
pub(super) fn is_encrypted(bytes: &[u8]) -> bool {
    let text = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    !text && bytes.len() >= 32 && bytes.len().is_multiple_of(16)
}

/// The plaintext of an encrypted `credentials-config.json`, if the default key opens it.
pub(super) fn decrypt(bytes: &[u8]) -> Option<Vec<u8>> {
    let (iv, body) = bytes.split_at_checked(16)?;
    let mut buffer = body.to_vec();
    let cipher = cbc::Decryptor::<aes::Aes128>::new_from_slices(&DEFAULT_KEY, iv).ok()?;
    let plain = cipher
        .decrypt_padded_mut::<Pkcs7>(&mut buffer)
        .ok()?
        .to_vec();
    let json = std::str::from_utf8(&plain).ok()?;
    serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .filter(serde_json::Value::is_object)?;
    Some(plain)
}

pub(super) fn decode(ctx: &mut Ctx<'_, '_>, suffix: &str, bytes: &[u8]) {
    let Some(plain) = decrypt(bytes) else {
        ctx.report.skipped += 1;
        ctx.note(
            suffix,
            "DBeaver credentials not decrypted: not DBeaver's default key (a master password or secure storage protects them)",
        );
        return;
    };
    ctx.emit(Segment {
        text: Cow::Owned(plain),
        path_suffix: suffix.to_string(),
        line_offset: 0,
        label: Some("decrypted with DBeaver's built-in key".to_string()),
        // The plaintext has no lines of the file: everything maps to line 1, after the IV.
        pieces: vec![Piece {
            start: 0,
            line: Some(1),
            offset: Some(16),
        }],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::BlockEncryptMut;

    fn encrypt(plain: &[u8], key: &[u8; 16]) -> Vec<u8> {
        let iv = [7u8; 16];
        let cipher = cbc::Encryptor::<aes::Aes128>::new_from_slices(key, &iv).unwrap();
        let mut buffer = plain.to_vec();
        buffer.resize(plain.len() + 16, 0);
        let sealed = cipher
            .encrypt_padded_mut::<Pkcs7>(&mut buffer, plain.len())
            .unwrap();
        let mut out = iv.to_vec();
        out.extend_from_slice(sealed);
        out
    }

    #[test]
    fn opens_files_encrypted_with_the_default_key_only() {
        let plain = br##"{"postgres-jdbc-1":{"#connection":{"user":"app","password":"Pw-7x"}}}"##; // keyhound:allow
        let file = encrypt(plain, &DEFAULT_KEY);
        assert!(is_encrypted(&file));
        assert_eq!(decrypt(&file).as_deref(), Some(&plain[..]));
        // Another key (a master password) is not guessed at.
        assert_eq!(decrypt(&encrypt(plain, &[1; 16])), None);
        // Truncated or plain files are not the encrypted form.
        assert_eq!(decrypt(&file[..20]), None);
        assert!(!is_encrypted(b"  {\"a\": 1}                     \n"));
    }
}
