//! Passwords in SQL `INSERT` statements: `INSERT INTO users (id, name, password) VALUES (1,
//! 'bob', '…'), (2, ...)`. A regex finds the statement; this module maps the column
//! list to each row's values by position, which a regex cannot do, and returns the literal
//! values of password columns.
//!
//! Only the structure of the statement says which value is a password, so a statement without
//! a column list (`INSERT INTO users VALUES (...)`) says nothing and is never read. Only
//! quoted literals are values: `NULL`, numbers, bind parameters (`?`, `:password`, `$1`) and
//! expressions (`crypt('x', gen_salt('bf'))`) are not. A value shaped like a password hash
//! (`$2y$10$...`, 32 to 128 hex digits, `{SSHA}...`, Django's `pbkdf2_sha256$...`) is a hash,
//! reported apart at its own severity; a column named as a hash (`password_hash`,
//! `encrypted_password`, `password_digest`) only ever holds hashes.

use std::ops::Range;

use super::generic::key_segments;

/// Which password values a rule wants from a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// Plain-text passwords: values of a password column that are not hash-shaped.
    Plain,
    /// Password hashes: hash-shaped values of any password column.
    Hash,
}

/// One password literal found in a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordValue {
    /// Byte range of the literal's content (inside its quotes), relative to `values`.
    pub range: Range<usize>,
    /// The column it was inserted into, as written (unquoted).
    pub column: String,
}

/// Words that name a password column (the last word: `password`, `user_password`).
const PASSWORD_WORDS: &[&str] = &["password", "passwd", "pass", "pwd"];
/// Words that make a password column a hash column (`password_hash`, `encrypted_password`).
const HASH_WORDS: &[&str] = &[
    "hash",
    "hashed",
    "digest",
    "encrypted",
    "crypted",
    "crypt",
    "bcrypt",
    "md5",
    "sha1",
    "sha256",
    "sha512",
];

/// How a column is named: not a password, a password, or a password hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Other,
    Password,
    PasswordHash,
}

fn column_kind(name: &str) -> ColumnKind {
    let words = key_segments(name);
    let is = |w: &String, list: &[&str]| list.contains(&w.as_str());
    match words.as_slice() {
        // `password`, `user_password`, `encrypted_password`, `hashed_password`
        [.., last] if is(last, PASSWORD_WORDS) => {
            if words.iter().any(|w| is(w, HASH_WORDS)) {
                ColumnKind::PasswordHash
            } else {
                ColumnKind::Password
            }
        }
        // `password_hash`, `password_digest`, `pwd_md5`
        [.., pw, last] if is(pw, PASSWORD_WORDS) && is(last, HASH_WORDS) => {
            ColumnKind::PasswordHash
        }
        _ => ColumnKind::Other,
    }
}

/// Whether `value` has the shape of a stored password hash rather than a password.
pub fn is_hash_shaped(value: &str) -> bool {
    let crypt = value.starts_with('$')
        && value.len() >= 20
        && value.matches('$').count() >= 2
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"$./=,+-".contains(&b));
    let ldap = [
        "{SHA}",
        "{SSHA}",
        "{SHA256}",
        "{SSHA256}",
        "{SSHA512}",
        "{MD5}",
        "{SMD5}",
    ]
    .iter()
    .any(|p| value.len() > p.len() + 16 && value.starts_with(p));
    let hex = [32, 40, 56, 64, 96, 128].contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_hexdigit());
    // Django and Werkzeug: `algorithm$iterations$salt$hash`, `pbkdf2:sha256:...$salt$hash`.
    let framework = ["pbkdf2", "argon2", "bcrypt", "scrypt", "sha1$", "md5$"]
        .iter()
        .any(|p| value.starts_with(p))
        && value.matches('$').count() >= 2
        && value.len() >= 30;
    crypt || ldap || hex || framework
}

/// The password values of `values` (the text from the first row's `(` on) wanted by `wanted`,
/// given the statement's column list `columns` (the text between its parentheses). Rows whose
/// value count differs from the column count are skipped: without a one-to-one mapping
/// nothing says which value is the password.
pub fn password_values(columns: &str, values: &str, wanted: Wanted) -> Vec<PasswordValue> {
    let names: Vec<String> = columns.split(',').map(unquote_identifier).collect();
    let kinds: Vec<ColumnKind> = names.iter().map(|n| column_kind(n)).collect();
    if kinds.iter().all(|k| *k == ColumnKind::Other) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for row in rows(values) {
        if row.len() != kinds.len() {
            continue;
        }
        for ((value, kind), name) in row.iter().zip(&kinds).zip(&names) {
            let Value::Literal(range) = value else {
                continue;
            };
            let text = &values[range.clone()];
            let hash = is_hash_shaped(text);
            let keep = match (wanted, kind) {
                (_, ColumnKind::Other) => false,
                (Wanted::Plain, ColumnKind::Password) => !hash,
                (Wanted::Plain, ColumnKind::PasswordHash) => false,
                (Wanted::Hash, _) => hash,
            };
            if keep {
                found.push(PasswordValue {
                    range: range.clone(),
                    column: name.clone(),
                });
            }
        }
    }
    found
}

/// A column name without its quoting: `` `password` ``, `"password"`, `[password]`.
fn unquote_identifier(name: &str) -> String {
    name.trim()
        .trim_matches(|c| matches!(c, '`' | '"' | '[' | ']'))
        .to_string()
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    /// A quoted string literal; the range is its content, inside the quotes.
    Literal(Range<usize>),
    /// Anything else: a number, `NULL`, a bind parameter, an expression.
    Other,
}

/// The rows of a `VALUES` list: `(a, 'b'), (c, 'd')`. Parsing stops at the first thing that is
/// not a row (the statement's `;`, an `ON CONFLICT`, the end of the window), and a row cut
/// off by the end of the text is dropped.
fn rows(text: &str) -> Vec<Vec<Value>> {
    let bytes = text.as_bytes();
    let mut rows = Vec::new();
    let mut i = 0;
    loop {
        i = skip_space(bytes, i);
        if bytes.get(i) != Some(&b'(') {
            break;
        }
        let Some((row, next)) = row(bytes, i + 1) else {
            break;
        };
        rows.push(row);
        i = skip_space(bytes, next);
        if bytes.get(i) != Some(&b',') {
            break;
        }
        i += 1;
    }
    rows
}

/// One row from just after its `(`: its values and the position after its `)`.
fn row(bytes: &[u8], mut i: usize) -> Option<(Vec<Value>, usize)> {
    let mut values = Vec::new();
    loop {
        i = skip_space(bytes, i);
        let (value, next) = value(bytes, i)?;
        values.push(value);
        i = skip_space(bytes, next);
        match bytes.get(i)? {
            b',' => i += 1,
            b')' => return Some((values, i + 1)),
            _ => return None,
        }
    }
}

/// One value from `i`: a lone quoted literal, or anything else up to the `,` or `)` that ends
/// it at depth zero (quotes and nested parentheses skipped).
fn value(bytes: &[u8], start: usize) -> Option<(Value, usize)> {
    if bytes.get(start) == Some(&b'\'') {
        let end = string_end(bytes, start + 1)?;
        let after = skip_space(bytes, end + 1);
        if matches!(bytes.get(after), Some(b',' | b')')) {
            return Some((Value::Literal(start + 1..end), end + 1));
        }
    }
    let mut depth = 0usize;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\'' => i = string_end(bytes, i + 1)?,
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b',' if depth == 0 => break,
            b';' => return None,
            _ => {}
        }
        i += 1;
    }
    if i >= bytes.len() || i == start {
        return None;
    }
    Some((Value::Other, i))
}

/// The position of the quote that closes a string whose content starts at `i`: `''` and `\'`
/// are escaped quotes inside it.
fn string_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(columns: &str, values: &str) -> Vec<String> {
        password_values(columns, values, Wanted::Plain)
            .into_iter()
            .map(|p| values[p.range].to_string())
            .collect()
    }

    fn hashes(columns: &str, values: &str) -> Vec<String> {
        password_values(columns, values, Wanted::Hash)
            .into_iter()
            .map(|p| values[p.range].to_string())
            .collect()
    }

    #[test]
    fn maps_columns_to_values_by_position() {
        assert_eq!(
            plain("id, name, password", "(1, 'bob', 'hunter2-xyz');"),
            ["hunter2-xyz"]
        );
        assert_eq!(
            plain(
                "`id`,`email`,`passwd`",
                "(1,'a@x.org','Kq8-vL2zx'),\n (2, 'b@x.org', 'O''Brien-9')"
            ),
            ["Kq8-vL2zx", "O''Brien-9"]
        );
        // The password is not always last, and other quoted values are not passwords.
        assert_eq!(
            plain("\"pwd\", \"login\"", "('Tz4#mq9L', 'Tz4#mq9L-not-this')"),
            ["Tz4#mq9L"]
        );
    }

    #[test]
    fn reads_only_literals() {
        for values in [
            "(1, 'bob', NULL)",
            "(1, 'bob', ?)",
            "(1, 'bob', :password)",
            "(1, 'bob', $1)",
            "(1, 'bob', crypt('Pw7-zq', gen_salt('bf')))",
            "(1, 'bob', 'x' || 'y')",
        ] {
            assert!(plain("id, name, password", values).is_empty(), "{values}");
        }
        // An empty literal is found here and rejected by the `password` check.
        assert_eq!(plain("id, name, password", "(1, 'bob', '')"), [""]);
    }

    #[test]
    fn rows_that_do_not_map_are_skipped() {
        assert!(plain("id, password", "(1, 'bob', 'Kq8-vL2zx')").is_empty());
        // Cut off by the end of the window.
        assert_eq!(
            plain("id, password", "(1, 'Kq8-vL2zx'), (2, 'Lm4!pQ9"),
            ["Kq8-vL2zx"]
        );
        assert!(plain("id, name", "(1, 'Kq8-vL2zx')").is_empty());
    }

    #[test]
    fn hashes_are_told_apart_from_passwords() {
        let bcrypt = "$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"; // keyhound:allow
        let values = format!("(1, '{bcrypt}'), (2, 'Vq8#Lr2xZt7m')");
        assert_eq!(plain("id, password", &values), ["Vq8#Lr2xZt7m"]);
        assert_eq!(hashes("id, password", &values), [bcrypt]);
        // A hash column holds hashes only: a value of another shape is not reported as either.
        let values = "(1, '5f4dcc3b5aa765d61d8327deb882cf99'), (2, 'not-a-hash')";
        assert_eq!(
            hashes("id, password_hash", values),
            ["5f4dcc3b5aa765d61d8327deb882cf99"]
        );
        assert!(plain("id, password_hash", values).is_empty());
        assert!(plain("id, encrypted_password", values).is_empty());
    }

    #[test]
    fn column_names() {
        for name in [
            "password",
            "user_password",
            "Passwd",
            "pwd",
            "pass",
            "[password]",
        ] {
            assert_eq!(
                column_kind(&unquote_identifier(name)),
                ColumnKind::Password,
                "{name}"
            );
        }
        for name in [
            "password_hash",
            "encrypted_password",
            "password_digest",
            "hashed_password",
        ] {
            assert_eq!(column_kind(name), ColumnKind::PasswordHash, "{name}");
        }
        for name in [
            "password_reset_token",
            "password_changed_at",
            "passport",
            "id",
            "password_salt",
        ] {
            assert_eq!(column_kind(name), ColumnKind::Other, "{name}");
        }
    }
}
