//! JSON helpers shared by the notebook and safetensors decoders.
//!
//! serde_json's `RawValue` borrows the exact source text of a value, so its address inside
//! the input gives the value's byte offset, hence its file line. That lets keyhound use
//! serde_json's parser and escape decoding (`\u0063`, surrogate pairs) and still report
//! where each string sits, without a hand-written JSON parser.

use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::value::RawValue;

/// How deep [`leaves`] follows nested objects and arrays; deeper values are ignored.
pub(super) const MAX_DEPTH: usize = 32;

/// Byte offset of `raw` inside `whole`, which it must borrow from.
pub(super) fn offset_in(whole: &str, raw: &RawValue) -> usize {
    (raw.get().as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// The decoded text of a JSON string value; `None` for any other kind of value.
pub(super) fn string(raw: &RawValue) -> Option<String> {
    if !raw.get().starts_with('"') {
        return None;
    }
    serde_json::from_str(raw.get()).ok()
}

/// The strings of a value that is a string or an array of strings (how nbformat stores
/// multi-line text), each with its raw value for locating it.
pub(super) fn string_or_list(raw: &RawValue) -> Vec<(&RawValue, String)> {
    let text = raw.get();
    if text.starts_with('[') {
        let items: Vec<&RawValue> = serde_json::from_str(text).unwrap_or_default();
        items
            .into_iter()
            .filter_map(|item| string(item).map(|s| (item, s)))
            .collect()
    } else {
        string(raw).map(|s| vec![(raw, s)]).unwrap_or_default()
    }
}

/// Every string leaf under `raw` with the key it sits under (the nearest object key), in
/// source order.
/// Keys are shared, not copied per leaf: a 3 MB key over two million strings was 6 TB.
/// The second value is true when some value sat deeper than [`MAX_DEPTH`] and was not read.
pub(super) fn leaves(raw: &RawValue) -> (Vec<Leaf<'_>>, bool) {
    let mut out = Vec::new();
    let mut too_deep = false;
    collect(raw, None, 0, &mut out, &mut too_deep);
    out.sort_by_key(|(_, r, _)| r.get().as_ptr() as usize);
    (out, too_deep)
}

/// A string leaf: the key it sits under, where it is, and its value.
pub(super) type Leaf<'a> = (Option<Rc<str>>, &'a RawValue, String);

fn collect<'a>(
    raw: &'a RawValue,
    key: Option<&Rc<str>>,
    depth: usize,
    out: &mut Vec<Leaf<'a>>,
    too_deep: &mut bool,
) {
    if depth > MAX_DEPTH {
        *too_deep = true;
        return;
    }
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => {
            if let Some(s) = string(raw) {
                out.push((key.cloned(), raw, s));
            }
        }
        Some(b'{') => {
            let map: BTreeMap<String, &RawValue> = serde_json::from_str(text).unwrap_or_default();
            for (k, v) in map {
                let k: Rc<str> = Rc::from(k);
                collect(v, Some(&k), depth + 1, out, too_deep);
            }
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text).unwrap_or_default();
            for v in items {
                collect(v, key, depth + 1, out, too_deep);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_unescaped_and_located() {
        let whole = r#"{"a": ["x\u0041", "y"], "b": {"c": "z\n"}}"#;
        let map: BTreeMap<String, &RawValue> = serde_json::from_str(whole).unwrap();
        let list = string_or_list(map["a"]);
        assert_eq!(list[0].1, "xA");
        assert_eq!(offset_in(whole, list[0].0), 7);
        let (all, _) = leaves(serde_json::from_str::<&RawValue>(whole).unwrap());
        let got: Vec<_> = all
            .iter()
            .map(|(k, _, s)| (k.as_deref().map(str::to_string), s.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("a".into()), "xA".into()),
                (Some("a".into()), "y".into()),
                (Some("c".into()), "z\n".into())
            ]
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("{}\"s\"{}", "[".repeat(100), "]".repeat(100));
        // serde_json refuses past its own recursion limit; either way no panic, no leaves.
        if let Ok(raw) = serde_json::from_str::<&RawValue>(&deep) {
            assert!(leaves(raw).0.is_empty());
        }
    }
}
