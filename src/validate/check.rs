//! The offline checks a rule can ask for with `validate = "..."`, as a typed enum: a rule file
//! naming an unknown check fails to parse, with its location, instead of passing silently.
//!
//! Where a token format carries its own redundancy (a checksum, a structured payload), keyhound
//! checks it without any network access: a pass raises confidence, a failure drops the match,
//! because a token that fails its own checksum was never issued.

use serde::{Deserialize, Serialize};

use super::{aws, crc_hex, credential, generic, github, gitlab, jwt, npm, payload, pypi};
use super::{structured, Strength, Verdict};

/// One offline check. The serialised names (`github-crc32`, ...) are what rule files say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    GithubCrc32,
    AwsKeyId,
    GenericSecret,
    AwsBedrockApiKey,
    NeptuneToken,
    SupabaseServiceRole,
    NpmCrc32,
    Jwt,
    PypiMacaroon,
    GitlabRoutable,
    GrafanaSaCrc32,
    AtlassianCrc32,
    Base64Json,
    DiscordBotToken,
    UrlPassword,
    BasicAuthB64,
    FrameworkSecret,
    OpaqueToken,
    JwtCredential,
    Password,
    Base64Password,
    SectionKey,
}

impl Check {
    /// Every check, for listings and tests.
    pub const ALL: &'static [Check] = &[
        Check::GithubCrc32,
        Check::AwsKeyId,
        Check::GenericSecret,
        Check::AwsBedrockApiKey,
        Check::NeptuneToken,
        Check::SupabaseServiceRole,
        Check::NpmCrc32,
        Check::Jwt,
        Check::PypiMacaroon,
        Check::GitlabRoutable,
        Check::GrafanaSaCrc32,
        Check::AtlassianCrc32,
        Check::Base64Json,
        Check::DiscordBotToken,
        Check::UrlPassword,
        Check::BasicAuthB64,
        Check::FrameworkSecret,
        Check::OpaqueToken,
        Check::JwtCredential,
        Check::Password,
        Check::Base64Password,
        Check::SectionKey,
    ];

    /// Runs the check on `secret`; `context` is the text of the rule's `context` group (the
    /// key a generic value is assigned to, the user of a URL password), if it matched.
    pub fn run(self, secret: &str, context: Option<&str>) -> Verdict {
        match self {
            Check::GithubCrc32 => github::check(secret),
            Check::AwsKeyId => aws::key_id(secret),
            Check::GenericSecret => generic::check(secret, context.unwrap_or("")),
            Check::AwsBedrockApiKey => payload::bedrock_api_key(secret),
            Check::NeptuneToken => payload::neptune_token(secret),
            Check::SupabaseServiceRole => payload::supabase_service_role(secret),
            Check::NpmCrc32 => npm::check(secret),
            Check::Jwt => jwt::check(secret),
            Check::PypiMacaroon => pypi::check(secret),
            Check::GitlabRoutable => gitlab::check(secret),
            Check::GrafanaSaCrc32 => crc_hex::grafana_service_account(secret),
            Check::AtlassianCrc32 => crc_hex::atlassian(secret),
            Check::Base64Json => structured::base64_json(secret),
            Check::DiscordBotToken => structured::discord_bot_token(secret),
            Check::UrlPassword => credential::url_password(secret, context),
            Check::BasicAuthB64 => credential::basic_auth_b64(secret),
            Check::FrameworkSecret => credential::framework_secret(secret),
            Check::OpaqueToken => credential::opaque_token(secret),
            Check::JwtCredential => jwt::credential(secret),
            Check::Password => credential::password(secret),
            Check::Base64Password => credential::base64_password(secret),
            Check::SectionKey => generic::section_key(secret, context.unwrap_or("")),
        }
    }

    /// What a pass of this check proves: the strength every `Valid` verdict it returns has.
    /// Reports use it to say, before any finding, how confident a rule's findings can be.
    pub fn strength(self) -> Strength {
        match self {
            Check::GithubCrc32
            | Check::NpmCrc32
            | Check::GitlabRoutable
            | Check::GrafanaSaCrc32
            | Check::AtlassianCrc32 => Strength::Checksum,
            Check::AwsBedrockApiKey
            | Check::NeptuneToken
            | Check::SupabaseServiceRole
            | Check::Jwt
            | Check::JwtCredential
            | Check::PypiMacaroon
            | Check::Base64Json
            | Check::DiscordBotToken => Strength::Structure,
            Check::AwsKeyId
            | Check::GenericSecret
            | Check::UrlPassword
            | Check::BasicAuthB64
            | Check::FrameworkSecret
            | Check::OpaqueToken
            | Check::Password
            | Check::Base64Password
            | Check::SectionKey => Strength::Plausible,
        }
    }

    /// The name rule files use.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .expect("a unit variant serialises to its name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_rejected() {
        for check in Check::ALL {
            let name = check.name();
            let back: Check = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(back, *check);
        }
        assert_eq!(Check::GrafanaSaCrc32.name(), "grafana-sa-crc32");
        assert_eq!(Check::BasicAuthB64.name(), "basic-auth-b64");
        assert!(serde_json::from_value::<Check>(serde_json::json!("github-crc")).is_err());
    }
}
