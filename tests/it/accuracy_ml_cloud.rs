//! Accuracy on realistic ML-project files: `corpus/accuracy/ml-cloud` holds a `.env`, a
//! training config, a notebook, scripts, Terraform, compose files and credential files with
//! planted fake secrets in current provider formats, next to the things a scanner must leave
//! alone (placeholders, documentation examples, environment-variable references, hashes, git
//! SHAs, UUIDs, a base64 image). The scan must report exactly the planted secrets: every one
//! found (recall) and nothing else (precision), each under the rule that names its provider.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;

const ROOT: &str = "corpus/accuracy/ml-cloud";

/// Every planted secret, as (path under ROOT, rule id). A path listed twice holds two secrets
/// of that kind.
const EXPECTED: &[(&str, &str)] = &[
    (".env", "anthropic-api-key"),
    (".env", "assemblyai-api-key"),
    (".env", "aws-bedrock-api-key"),
    (".env", "backblaze-b2-application-key"),
    (".env", "backblaze-b2-key-id"),
    (".env", "cohere-api-key"),
    (".env", "comet-api-key"),
    (".env", "databricks-token"),
    (".env", "deepgram-api-key"),
    (".env", "deepseek-api-key"),
    (".env", "elevenlabs-api-key"),
    (".env", "fireworks-api-key"),
    (".env", "google-api-key"),
    (".env", "groq-api-key"),
    (".env", "huggingface-user-token"),
    (".env", "jina-api-key"),
    (".env", "kaggle-api-key"),
    (".env", "langsmith-personal-access-token"),
    (".env", "mistral-api-key"),
    (".env", "modal-token-id"),
    (".env", "modal-token-secret"),
    (".env", "neptune-api-token"),
    (".env", "openai-project-key"),
    (".env", "openrouter-api-key"),
    (".env", "perplexity-api-key"),
    (".env", "pinecone-api-key"),
    (".env", "qdrant-api-key"),
    (".env", "replicate-api-token"),
    (".env", "roboflow-api-key"),
    (".env", "supabase-service-role-key"),
    (".env", "together-api-key"),
    (".env", "voyage-api-key"),
    (".env", "wandb-api-key"),
    (".env", "weaviate-api-key"),
    (".env", "xai-api-key"),
    ("config/aws_credentials", "aws-access-key-id"),
    ("config/aws_credentials", "aws-access-key-id"),
    ("config/aws_credentials", "aws-secret-access-key"),
    ("config/aws_credentials", "aws-secret-access-key"),
    ("config/aws_credentials", "aws-session-token"),
    ("config/clearml.conf", "clearml-access-key"),
    ("config/clearml.conf", "clearml-secret-key"),
    ("config/gcp-trainer-sa.json", "gcp-service-account-key"),
    ("config/gcp-trainer-sa.json", "private-key"),
    ("config/kaggle.json", "kaggle-api-key"),
    ("config/netrc", "heroku-legacy-api-key"),
    ("config/netrc", "wandb-legacy-api-key"),
    ("configs/train_llama3_sft.yaml", "huggingface-user-token"),
    ("configs/train_llama3_sft.yaml", "s3-compatible-secret-key"),
    ("configs/train_llama3_sft.yaml", "wandb-legacy-api-key"),
    ("deploy/docker-compose.yml", "azure-openai-api-key"),
    ("deploy/docker-compose.yml", "azure-shared-access-key"),
    (
        "deploy/docker-compose.yml",
        "azure-storage-connection-string",
    ),
    ("deploy/docker-compose.yml", "minio-root-credentials"),
    ("infra/main.tf", "alibaba-access-key-id"),
    ("infra/main.tf", "alibaba-access-key-secret"),
    ("infra/main.tf", "azure-entra-client-secret"),
    ("infra/main.tf", "azure-sas-token"),
    ("infra/main.tf", "cloudflare-user-api-token"),
    ("infra/main.tf", "digitalocean-personal-access-token"),
    ("infra/main.tf", "flyio-macaroon-token"),
    ("infra/main.tf", "heroku-api-key"),
    ("infra/main.tf", "ibm-cloud-api-key"),
    ("infra/main.tf", "netlify-access-token"),
    ("infra/main.tf", "supabase-personal-access-token"),
    ("infra/main.tf", "vercel-token"),
    ("notebooks/azure_rag_baseline.ipynb", "azure-openai-api-key"),
    ("notebooks/azure_rag_baseline.ipynb", "kaggle-api-key"),
    ("notebooks/azure_rag_baseline.ipynb", "kaggle-api-key"),
    ("notebooks/azure_rag_baseline.ipynb", "wandb-legacy-api-key"),
    (
        "notebooks/finetune_and_eval.ipynb",
        "huggingface-user-token",
    ),
    ("notebooks/finetune_and_eval.ipynb", "mistral-api-key"),
    ("notebooks/finetune_and_eval.ipynb", "openai-project-key"),
    ("notebooks/finetune_and_eval.ipynb", "pinecone-api-key"),
    ("notebooks/finetune_and_eval.ipynb", "wandb-api-key"),
    ("scripts/build_index.py", "cohere-api-key"),
    ("scripts/build_index.py", "deepgram-api-key"),
    ("scripts/build_index.py", "deepseek-api-key-with-endpoint"),
    ("scripts/build_index.py", "qdrant-api-key"),
    ("scripts/build_index.py", "s3-compatible-secret-key"),
    ("scripts/evaluate.py", "cohere-api-key"),
    ("web/src/components/UploadModal.tsx", "replicate-api-token"),
];

/// Files that hold only things that must not be reported.
const CLEAN_FILES: &[&str] = &[
    ".env.example",
    "docs/SETUP.md",
    "deploy/docker-compose.dev.yml",
    "requirements.lock",
    "checkpoints/MANIFEST.json",
];

fn counts<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<(String, String), usize> {
    let mut map = BTreeMap::new();
    for (path, rule) in pairs {
        *map.entry((path.to_string(), rule.to_string())).or_insert(0) += 1;
    }
    map
}

fn scan_findings() -> Vec<serde_json::Value> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // An explicit empty config, so the repository's own allowlist (which covers corpus/) never
    // applies, however configuration discovery evolves.
    let config = tempfile::NamedTempFile::new().expect("temp config");
    let output = Command::cargo_bin("keyhound")
        .expect("binary")
        .current_dir(manifest)
        .args(["scan", ROOT, "--format", "jsonl", "--config"])
        .arg(config.path())
        .output()
        .expect("run keyhound");
    assert_eq!(
        output.status.code(),
        Some(1),
        "findings exit 1; stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8 report")
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect()
}

#[test]
fn ml_cloud_corpus_reports_exactly_the_planted_secrets() {
    let findings = scan_findings();
    let prefix = format!("{ROOT}/");
    let got: Vec<(String, String)> = findings
        .iter()
        .map(|f| {
            let path = f["path"].as_str().expect("path");
            let path = path.strip_prefix(&prefix).unwrap_or(path);
            (
                path.to_string(),
                f["rule_id"].as_str().expect("rule_id").to_string(),
            )
        })
        .collect();
    let got = counts(got.iter().map(|(p, r)| (p.as_str(), r.as_str())));
    let expected = counts(EXPECTED.iter().copied());

    let mut missing = Vec::new();
    let mut unexpected = Vec::new();
    for (key, &n) in &expected {
        let found = got.get(key).copied().unwrap_or(0);
        if found < n {
            missing.push(format!("{} {} (expected {n}, found {found})", key.0, key.1));
        }
    }
    for (key, &n) in &got {
        let wanted = expected.get(key).copied().unwrap_or(0);
        if n > wanted {
            unexpected.push(format!(
                "{} {} (expected {wanted}, found {n})",
                key.0, key.1
            ));
        }
    }
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missed planted secrets:\n  {}\nreports that should not exist:\n  {}",
        missing.join("\n  "),
        unexpected.join("\n  ")
    );
}

#[test]
fn ml_cloud_corpus_placeholders_and_hashes_stay_silent() {
    let findings = scan_findings();
    for clean in CLEAN_FILES {
        let path = format!("{ROOT}/{clean}");
        let hits: Vec<&str> = findings
            .iter()
            .filter(|f| f["path"].as_str() == Some(path.as_str()))
            .map(|f| f["rule_id"].as_str().unwrap_or("?"))
            .collect();
        assert!(hits.is_empty(), "{clean} must be clean, got {hits:?}");
    }
}

#[test]
fn ml_cloud_corpus_reports_are_redacted() {
    for finding in scan_findings() {
        let secret = finding["secret"].as_str().expect("secret");
        assert!(
            secret.contains("redacted"),
            "secret shown without --show-secrets: {}",
            finding["rule_id"]
        );
    }
}
