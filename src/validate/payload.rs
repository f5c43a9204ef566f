//! Offline checks for provider tokens whose body is an encoded, structured payload.
//!
//! Some providers wrap their credential in base64 (Amazon Bedrock API keys, neptune.ai tokens)
//! or a JWT (Supabase's legacy keys). The payload's structure is redundancy a random string
//! does not have: when it decodes to what the provider issues, the match is a real token (and
//! names its account or role); when it does not, it is a look-alike and is dropped. Supabase's
//! anon JWT decodes too, but is public by design, so only the service_role one passes.

use std::collections::BTreeMap;

use super::encoding;
use super::verdict::{Strength, Verdict};

/// A payload that decoded into what the provider issues. The `payload = decoded` fact is
/// part of reports' metadata.
fn valid(facts: BTreeMap<String, String>) -> Verdict {
    let mut facts = facts;
    facts.insert("payload".to_string(), "decoded".to_string());
    Verdict::with_facts(Strength::Structure, facts)
}

/// Amazon Bedrock API keys. Long-term keys are `ABSK` + base64 of the IAM service-specific
/// credential, `BedrockAPIKey-<id>-at-<account>:<secret>`; short-term keys are
/// `bedrock-api-key-` + base64 of a SigV4 presigned URL for `bedrock.amazonaws.com`.
pub fn bedrock_api_key(secret: &str) -> Verdict {
    let mut facts = BTreeMap::new();
    if let Some(body) = secret.strip_prefix("ABSK") {
        let Some(decoded) = encoding::decode(body) else {
            return Verdict::Invalid;
        };
        let Ok(text) = String::from_utf8(decoded) else {
            return Verdict::Invalid;
        };
        let Some((user, credential)) = text.split_once(':') else {
            return Verdict::Invalid;
        };
        if !user.starts_with("BedrockAPIKey-") || credential.len() < 16 {
            return Verdict::Invalid;
        }
        if let Some((_, account)) = user.rsplit_once("-at-") {
            if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) {
                facts.insert("aws_account_id".to_string(), account.to_string());
            }
        }
        return valid(facts);
    }
    if let Some(body) = secret.strip_prefix("bedrock-api-key-") {
        let Some(decoded) = encoding::decode(body) else {
            return Verdict::Invalid;
        };
        let Ok(url) = String::from_utf8(decoded) else {
            return Verdict::Invalid;
        };
        if !url.starts_with("bedrock.amazonaws.com") || !url.contains("X-Amz-Signature=") {
            return Verdict::Invalid;
        }
        // X-Amz-Credential=<key id>%2F<date>%2F<region>%2Fbedrock%2Faws4_request
        if let Some(credential) = query_value(&url, "X-Amz-Credential") {
            let parts: Vec<&str> = credential.split("%2F").collect();
            if parts.len() >= 3 {
                facts.insert("aws_region".to_string(), parts[2].to_string());
            }
            if let Some(account) = super::aws::account_id(parts[0]) {
                facts.insert("aws_account_id".to_string(), account);
            }
        }
        return valid(facts);
    }
    Verdict::Invalid
}

/// The raw (still percent-encoded) value of `name` in a URL's query string.
fn query_value<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// neptune.ai API tokens: base64 of `{"api_address": ..., "api_url": ..., "api_key": ...}`.
pub fn neptune_token(secret: &str) -> Verdict {
    let Some(decoded) = encoding::decode(secret) else {
        return Verdict::Invalid;
    };
    let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(&decoded) else {
        return Verdict::Invalid;
    };
    let text = |key: &str| object.get(key).and_then(|v| v.as_str());
    let Some(api_key) = text("api_key") else {
        return Verdict::Invalid;
    };
    if api_key.len() < 16 {
        return Verdict::Invalid;
    }
    let mut facts = BTreeMap::new();
    match text("api_url").or_else(|| text("api_address")) {
        Some(url) => facts.insert("neptune_url".to_string(), url.to_string()),
        None => return Verdict::Invalid,
    };
    valid(facts)
}

/// Supabase's legacy service_role key: a JWT whose payload has `"role": "service_role"`.
pub fn supabase_service_role(secret: &str) -> Verdict {
    let mut segments = secret.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) else {
        return Verdict::Invalid;
    };
    if signature.len() < 20 {
        return Verdict::Invalid;
    }
    let (Some(header), Some(payload)) = (
        encoding::decode_json_object(header),
        encoding::decode_json_object(payload),
    ) else {
        return Verdict::Invalid;
    };
    if !header.contains_key("alg") {
        return Verdict::Invalid;
    }
    if payload.get("role").and_then(|r| r.as_str()) != Some("service_role") {
        return Verdict::Invalid;
    }
    let mut facts = BTreeMap::new();
    if let Some(project) = payload.get("ref").and_then(|r| r.as_str()) {
        facts.insert("supabase_project".to_string(), project.to_string());
    }
    valid(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    fn b64url(s: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn bedrock_long_term_key_decodes_and_names_the_account() {
        let key = format!(
            "ABSK{}",
            b64("BedrockAPIKey-q7zt-at-210987654321:Wk3pR9sLm2Qv8Xc1Yb6Nd4Jf0Hg7Ta5Ue2Io9Kz") // keyhound:allow (fake test value)
        );
        match bedrock_api_key(&key) {
            Verdict::Valid(proof) => {
                assert_eq!(proof.facts["aws_account_id"], "210987654321");
            }
            Verdict::Invalid => panic!("valid key rejected"),
        }
        let wrong = format!(
            "ABSK{}",
            b64("SomethingElse-at-210987654321:Wk3pR9sLm2Qv8Xc1Yb6N") // keyhound:allow (fake test value)
        );
        assert_eq!(bedrock_api_key(&wrong), Verdict::Invalid);
        assert_eq!(bedrock_api_key("ABSK!!!notbase64"), Verdict::Invalid);
    }

    #[test]
    fn bedrock_short_term_key_is_a_presigned_url() {
        let url = "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Credential=ASIAQ3EGTRS2KMV4PLXN%2F20260115%2Feu-west-1%2Fbedrock%2Faws4_request&X-Amz-Signature=ab12&Version=1"; // keyhound:allow (fake test value)
        match bedrock_api_key(&format!("bedrock-api-key-{}", b64(url))) {
            Verdict::Valid(proof) => assert_eq!(proof.facts["aws_region"], "eu-west-1"),
            Verdict::Invalid => panic!("valid key rejected"),
        }
        let other = format!(
            "bedrock-api-key-{}",
            b64("s3.amazonaws.com/?X-Amz-Signature=1")
        );
        assert_eq!(bedrock_api_key(&other), Verdict::Invalid);
    }

    #[test]
    fn neptune_token_needs_its_json_fields() {
        let token = b64(
            r#"{"api_address":"https://app.neptune.ai","api_url":"https://app.neptune.ai","api_key":"3f1c2b7e-5d4a-4c3b-9a8f-7e6d5c4b3a21"}"#,
        );
        assert!(matches!(neptune_token(&token), Verdict::Valid(_)));
        let no_key = b64(r#"{"api_address":"https://app.neptune.ai"}"#);
        assert_eq!(neptune_token(&no_key), Verdict::Invalid);
        assert_eq!(neptune_token("eyJhcGlfYWRkcmVzcyI6"), Verdict::Invalid);
    }

    #[test]
    fn supabase_accepts_service_role_only() {
        let header = b64url(r#"{"alg":"HS256","typ":"JWT"}"#);
        let service =
            b64url(r#"{"iss":"supabase","ref":"abcdwxyzklmnopqrstuv","role":"service_role"}"#);
        let anon = b64url(r#"{"iss":"supabase","ref":"abcdwxyzklmnopqrstuv","role":"anon"}"#);
        let sig = "Qm9vdHN0cmFwU2lnbmF0dXJlVmFsdWVIZXJlMTIz";
        match supabase_service_role(&format!("{header}.{service}.{sig}")) {
            Verdict::Valid(proof) => {
                assert_eq!(proof.facts["supabase_project"], "abcdwxyzklmnopqrstuv")
            }
            Verdict::Invalid => panic!("service_role rejected"),
        }
        assert_eq!(
            supabase_service_role(&format!("{header}.{anon}.{sig}")),
            Verdict::Invalid
        );
        assert_eq!(supabase_service_role("eyJ.eyJ.sig"), Verdict::Invalid);
    }
}
