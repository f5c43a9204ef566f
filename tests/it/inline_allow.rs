//! Inline allow markers, driven through the binary, in the comment styles people write.

use crate::common::workflow::{hf_token, scan_json, write};

/// Files whose only secret carries an allow marker: none may be reported.
fn allowed_files() -> Vec<(&'static str, String)> {
    let t = |n: u64| hf_token(100 + n);
    vec![
        ("py_hash.py", format!("TOKEN = \"{}\"  # keyhound:allow\n", t(1))),
        ("js_slashes.js", format!("const t = '{}'; // keyhound:allow\n", t(2))),
        ("c_block.c", format!("char *t = \"{}\"; /* keyhound:allow */\n", t(3))),
        ("sql_dashes.sql", format!("SELECT '{}'; -- keyhound:allow\n", t(4))),
        ("page.html", format!("<!-- keyhound:allow --><meta content=\"{}\">\n", t(5))),
        ("go_gitleaks.go", format!("var t = \"{}\" //gitleaks:allow\n", t(6))),
        ("yaml_pragma.yaml", format!("token: {}  # pragma: allowlist secret\n", t(7))),
        (
            "ini_nextline.ini",
            format!("; pragma: allowlist nextline secret\ntoken = {}\n", t(8)),
        ),
        (
            "rs_nextline.rs",
            format!("// keyhound:allow-next-line\nlet t = \"{}\";\n", t(9)),
        ),
        (
            "notebook.ipynb",
            format!(
                "{{\"cells\": [{{\"cell_type\": \"code\", \"source\": [\n  \"login(token=\\\"{}\\\")  # keyhound:allow\\n\"\n]}}]}}\n",
                t(10)
            ),
        ),
    ]
}

#[test]
fn markers_in_every_comment_style_allow_their_line() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in allowed_files() {
        write(dir.path(), name, &text);
    }
    // Control: the same kind of secret without a marker is reported, so the test can fail.
    let bare = hf_token(999);
    write(dir.path(), "bare.py", &format!("TOKEN = \"{bare}\"\n"));
    let (code, findings, stderr) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["bare.py"], "{findings:#?}");
    assert!(stderr.contains("10 allowed"), "{stderr}");
}

#[test]
fn next_line_markers_reach_one_line_only() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (hf_token(1), hf_token(2));
    write(
        dir.path(),
        "conf.py",
        &format!("# keyhound:allow-next-line\nA = \"{a}\"\nB = \"{b}\"\n"),
    );
    let (code, findings, _) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"], 3);
}

#[test]
fn a_marker_on_another_line_allows_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (hf_token(3), hf_token(4));
    write(
        dir.path(),
        "two.js",
        &format!("const a = '{a}'; // gitleaks:allow\nconst b = '{b}';\n"),
    );
    let (code, findings, _) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"], 2);
}
