//! JSON Web Tokens: three base64url segments, the first of which decodes to a JSON object
//! naming its signing algorithm (RFC 7519, RFC 7515). A string of that shape whose header does
//! not decode is not a JWT, whatever it looks like.
//!
//! A header that decodes is structure, not proof: a JWT's signature cannot be checked offline,
//! and signed attestations share the shape. The claims decide: a token naming a subject,
//! audience, scope, role, client or expiry is a bearer credential; one without is data.
//!
//! The facts kept are the header's `alg` and `typ` and the claims `iss` and `exp`: enough to
//! tell who issued the token and whether it may still work, and never the claims that could
//! themselves be sensitive (subjects, emails, scopes, embedded secrets).

use std::collections::BTreeMap;

use serde_json::Value;

use super::encoding::decode_json_object;
use super::placeholder::is_placeholder;
use super::verdict::{Strength, Verdict};

/// Signature of the sample token on jwt.io, copied into countless READMEs and tests.
const JWT_IO_SAMPLE_SIGNATURE: &str = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

/// Claims whose stand-in values (`"sub": "1234567890"`, `"iss": "https://example.com"`) mark a
/// documentation or test token rather than an issued one.
const IDENTITY_CLAIMS: &[&str] = &["sub", "name", "email", "iss", "aud"];

/// Claims that make a token a bearer credential: who it is for (`sub`, `aud`, `client_id`,
/// `azp`), what it may do (`scope`, `scp`, `role`, `permissions`) or how long it works (`exp`).
/// A signed statement with none of them (an evaluation attestation `{hash, version}`, a
/// signed cursor) is data, not a credential.
const ACCESS_CLAIMS: &[&str] = &[
    "sub",
    "aud",
    "scope",
    "scp",
    "scopes",
    "role",
    "roles",
    "permissions",
    "client_id",
    "cid",
    "azp",
    "exp",
    "user_id",
    "userId",
    "uid",
    "username",
    "email",
    "session",
    "sid",
    "tid",
    "tenant_id",
    "org_id",
];

fn grants_access(claims: &serde_json::Map<String, Value>) -> bool {
    ACCESS_CLAIMS.iter().any(|name| claims.contains_key(*name))
}

/// `jwt-credential`: a JWT found without a provider's name (the generic rule), which must
/// also carry claims that grant access.
pub fn credential(secret: &str) -> Verdict {
    match judge(secret) {
        (verdict, true) => verdict,
        (_, false) => Verdict::Invalid,
    }
}

/// `jwt`: a JWT's header and claims decode (a provider's rule says whose token it is).
pub fn check(secret: &str) -> Verdict {
    judge(secret).0
}

/// The verdict on `secret` as a JWT, and whether its claims grant access.
fn judge(secret: &str) -> (Verdict, bool) {
    let verdict = |v: Verdict| (v, false);
    let mut parts = secret.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return verdict(Verdict::Invalid);
    };
    let Some(header) = decode_json_object(header) else {
        return verdict(Verdict::Invalid);
    };
    let Some(alg) = header.get("alg").and_then(Value::as_str) else {
        return verdict(Verdict::Invalid);
    };
    // An unsigned token (`alg: none`) proves nothing and grants nothing a server should honour.
    if alg.eq_ignore_ascii_case("none")
        || signature.is_empty()
        || signature == JWT_IO_SAMPLE_SIGNATURE
    {
        return verdict(Verdict::Invalid);
    }
    let Some(claims) = decode_json_object(payload) else {
        return verdict(Verdict::Invalid);
    };
    let stand_in = IDENTITY_CLAIMS.iter().any(|name| {
        claims
            .get(*name)
            .and_then(Value::as_str)
            .is_some_and(is_placeholder)
    });
    if stand_in {
        return verdict(Verdict::Invalid);
    }
    let mut facts = BTreeMap::from([("jwt_alg".to_string(), alg.to_string())]);
    if let Some(typ) = header.get("typ").and_then(Value::as_str) {
        facts.insert("jwt_typ".into(), typ.to_string());
    }
    if let Some(iss) = claims.get("iss").and_then(Value::as_str) {
        facts.insert("jwt_iss".into(), iss.chars().take(200).collect());
    }
    if let Some(exp) = claims.get("exp").and_then(Value::as_i64) {
        facts.insert("jwt_exp".into(), exp.to_string());
    }

    // A header that decodes is structure: the signature cannot be checked offline.
    (
        Verdict::with_facts(Strength::Structure, facts),
        grants_access(&claims),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Proof;

    // {"alg":"HS256","typ":"JWT"} . {"iss":"https://auth.test","exp":1900000000,"sub":"u1"}
    const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2F1dGgudGVzdCIsImV4cCI6MTkwMDAwMDAwMCwic3ViIjoidTEifQ.c2lnbmF0dXJlLW5vdC1yZWFsbHktY2hlY2tlZA"; // keyhound:allow (test fixture)

    #[test]
    fn keeps_header_facts_and_issuer_but_not_other_claims() {
        let Verdict::Valid(Proof { facts, .. }) = check(TOKEN) else {
            panic!("valid JWT rejected")
        };
        assert_eq!(facts["jwt_alg"], "HS256");
        assert_eq!(facts["jwt_typ"], "JWT");
        assert_eq!(facts["jwt_iss"], "https://auth.test");
        assert_eq!(facts["jwt_exp"], "1900000000");
        assert!(!facts.values().any(|v| v == "u1"));
    }

    #[test]
    fn rejects_non_jwts() {
        assert_eq!(check("eyJhbGciOiJIUzI1NiJ9.eyJ"), Verdict::Invalid);
        // Header without alg: {"typ":"JWT"}
        assert_eq!(
            check("eyJ0eXAiOiJKV1QifQ.eyJpc3MiOiJ4In0.c2ln"),
            Verdict::Invalid
        );
        // alg none: {"alg":"none"}
        assert_eq!(
            check("eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.c2ln"),
            Verdict::Invalid
        );
        assert_eq!(
            check("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln"),
            Verdict::Invalid
        );
    }

    #[test]
    fn judges_tokens_by_their_claims() {
        use base64::Engine as _;
        let b64 = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        let token = |claims: &str| {
            format!(
                "{}.{}.c2lnbmF0dXJlLW5vdC1yZWFsbHktY2hlY2tlZA",
                b64(r#"{"alg":"EdDSA","typ":"JWT"}"#),
                b64(claims)
            )
        };
        // A HuggingFace evaluation attestation: {hash, version}, no one it grants access to.
        let attestation = token(r#"{"hash":"08a689c3","version":1}"#);
        assert_eq!(credential(&attestation), Verdict::Invalid);
        // A provider's rule still knows its own token without such claims.
        assert!(matches!(check(&attestation), Verdict::Valid(_)));
        // Supabase's service key: a role and an expiry.
        let service =
            token(r#"{"iss":"supabase","ref":"qwzxkvb","role":"service_role","exp":1983812996}"#);
        assert!(matches!(credential(&service), Verdict::Valid(_)));
        assert!(matches!(
            credential(&token(r#"{"scope":"read:repo"}"#)),
            Verdict::Valid(_)
        ));
    }

    #[test]
    fn rejects_documentation_tokens() {
        // The jwt.io sample, and the same claims re-signed: its subject is a stand-in.
        let jwt_io = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert_eq!(check(jwt_io), Verdict::Invalid);
        let resigned = jwt_io.replace("SflKx", "Qm7Tz");
        assert_eq!(check(&resigned), Verdict::Invalid);
    }
}
