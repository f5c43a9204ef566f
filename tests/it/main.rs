//! keyhound's integration tests, one binary: each module drives the built `keyhound` binary
//! or the library the way a user or a tool would. One binary links once, where thirteen
//! linked thirteen times.

mod common;

mod accuracy_credential_files;
mod accuracy_generic;
mod accuracy_ml_cloud;
mod accuracy_saas_structural;
mod architecture;
mod baseline;
mod config;
mod config_discovery;
mod decoders;
mod distribution;
mod fuzz_decoders;
mod history;
mod hooks;
mod hostile;
mod html_report;
mod inline_allow;
mod json_contract;
mod rules;
mod rules_cli;
mod sarif;
mod scan_cache;
mod scan_tree;
mod terminal;
