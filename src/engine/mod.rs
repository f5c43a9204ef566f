//! The matching engine: keyword prefilter, lazily compiled rule regexes on candidate windows,
//! then validators.
//!
//! Cost model: every byte passes through the keyword [`prefilter`] (each keyword anchored on
//! its rarest four bytes, tested against one bit set). Only a keyword hit makes any rule's
//! regex run, and then only on a window around the hit. Regexes compile on first use, so
//! start-up costs the prefilter alone and a scan that never sees `-----BEGIN` never compiles
//! the private-key regexes.

mod check;
mod prefilter;
mod reuse;
mod screen;
pub(crate) mod window;

pub use check::RuleFailure;
pub use reuse::{Reuse, WindowResults};

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex_automata::meta::Regex;

use self::prefilter::{Hit, Prefilter};
use self::reuse::GroupSpans;
use crate::error::Error;
use crate::rules::{check_definitions, Confidence, Rule};
use crate::text::{CopiedSpan, LineIndex};
use crate::validate::{is_placeholder, shannon_entropy, Check, Strength, Verdict};

/// A rule with its lazily compiled regex.
struct CompiledRule {
    /// Bundled rules are borrowed from the process-wide parse: cloning 600 rules with their
    /// examples on every start cost a pre-commit hook more than building the engine.
    rule: Cow<'static, Rule>,
    regex: OnceLock<Result<Regex, String>>,
    /// What a window must match before `regex` runs on it (see [`screen`]).
    screen: OnceLock<Option<screen::Screen>>,
    /// Index of the rule named by `pair_with`.
    pair_with: Option<usize>,
}

impl CompiledRule {
    fn regex(&self) -> Result<&Regex, &str> {
        self.regex
            .get_or_init(|| compile_rule_regex(&self.rule.regex))
            .as_ref()
            .map_err(String::as_str)
    }

    fn screen(&self) -> Option<&screen::Screen> {
        self.screen
            .get_or_init(|| screen::build(&self.rule.regex))
            .as_ref()
    }
}

/// The largest compiled NFA a rule regex may have (the `regex` crate's default is 10 MiB).
const NFA_SIZE_LIMIT: usize = 16 << 20;
/// Each rule regex's lazy DFA cache, per thread (what `regex::bytes` gives one).
const LAZY_DFA_CACHE: usize = 2 << 20;

/// How rule patterns are parsed, for their regexes and their screens alike: a screen parsed
/// otherwise could match less than its rule.
fn rule_syntax() -> regex_automata::util::syntax::Config {
    // Byte-oriented by default: secrets are ASCII, and Unicode classes (`\s`, `[^"]`, `(?i)`)
    // made 600 regexes take 300 ms to compile (one took 45 ms) where ASCII ones take 127 ms,
    // which a pre-commit hook pays in full. A rule that needs Unicode says `(?u:...)`.
    regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false)
}

fn compile_rule_regex(pattern: &str) -> Result<Regex, String> {
    // Built with regex-automata's meta engine (what the `regex` crate wraps) to switch off
    // its literal prefilter: a rule's regex only ever searches the few lines around a
    // keyword hit, where a prefilter has little to skip, and extracting one was about 40% of
    // the compile time (all 596 bundled regexes: 131 ms with it, 79 ms without), which a
    // tree scan pays for every rule its keywords hit.
    let syntax = rule_syntax();
    // Otherwise as `regex::bytes::RegexBuilder` configures it (leftmost-first matches, empty
    // matches anywhere, a 2 MiB lazy DFA cache).
    let config = regex_automata::meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(false)
        .nfa_size_limit(Some(NFA_SIZE_LIMIT))
        .hybrid_cache_capacity(LAZY_DFA_CACHE)
        .auto_prefilter(false);
    let regex = match regex_automata::meta::Builder::new()
        .syntax(syntax)
        .configure(config)
        .build(pattern)
    {
        Ok(regex) => regex,
        // The `regex` crate's message points at the mistake in the pattern; ask it.
        Err(e) => {
            return Err(regex::bytes::RegexBuilder::new(pattern)
                .unicode(false)
                .size_limit(NFA_SIZE_LIMIT)
                .build()
                .err()
                .map_or_else(|| e.to_string(), |e| e.to_string()))
        }
    };
    if group_names(&regex).all(|n| n != Some("secret")) {
        return Err("regex has no named group `secret`".into());
    }
    Ok(regex)
}

/// The regex's capture group names, in group order (`None` for unnamed groups).
fn group_names(regex: &Regex) -> impl Iterator<Item = Option<&str>> {
    regex
        .group_info()
        .pattern_names(regex_automata::PatternID::ZERO)
}

/// A validated match inside one scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMatch {
    /// Index into [`Engine::rules`].
    pub rule: usize,
    /// Byte range of the `secret` capture.
    pub secret: Range<usize>,
    pub confidence: Confidence,
    pub metadata: BTreeMap<String, String>,
    /// The regex's optional `context` group matched (a provider name next to the value).
    pub has_context: bool,
}

/// What a search cost, for tests that hold the engine to work linear in its input.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    /// Bytes of candidate windows handed to rule regexes (each rule's windows are disjoint).
    pub regex_bytes: u64,
    /// Of those, bytes of windows whose results were taken from a base's (see [`reuse`]).
    pub carried_bytes: u64,
}

/// Rule indexes, ascending, each with the sorted, disjoint windows of the text its regex
/// searches.
type RuleWindows = Vec<(usize, Vec<(usize, usize)>)>;

/// Every keyword occurrence in one text, found once and handed back to the engine: a text
/// rebuilt from another by copies gets its hits from the other's
/// ([`Engine::derive_keyword_hits`]) instead of a search of every byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordHits {
    hits: Vec<Hit>,
    /// The length of the text they are of: hits offered for another text are not used.
    text_len: usize,
}

impl KeywordHits {
    /// How many occurrences there are (a holder of many texts' hits bounds its memory).
    pub fn len(&self) -> usize {
        self.hits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }
}

/// The compiled rule set. Cheap to share across threads (`&Engine` is `Sync`).
pub struct Engine {
    rules: Vec<CompiledRule>,
    prefilter: Prefilter,
    /// For each prefilter pattern, the rules that listed it as a keyword.
    keyword_rules: Vec<Vec<usize>>,
    /// For each file name some rule lists in `file_names`, those rules.
    file_rules: BTreeMap<String, Vec<usize>>,
}

impl Engine {
    /// Builds the engine. Rule definitions are checked here; regexes are not compiled until a
    /// keyword for them is seen (use [`Engine::check_rule`] to compile and test one eagerly).
    pub fn new(rules: Vec<Rule>) -> Result<Self, Error> {
        Engine::from_rules(rules.into_iter().map(Cow::Owned).collect())
    }

    /// [`Engine::new`] over rules that may be borrowed (the bundled ones, see
    /// [`crate::rules::bundled_rules`]).
    pub fn from_rules(rules: Vec<Cow<'static, Rule>>) -> Result<Self, Error> {
        check_definitions(&rules)?;
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut keyword_index: std::collections::HashMap<String, usize> = Default::default();
        for (index, rule) in rules.iter().enumerate() {
            for keyword in &rule.keywords {
                let lower = keyword.to_ascii_lowercase();
                let k = *keyword_index.entry(lower.clone()).or_insert_with(|| {
                    keywords.push(lower);
                    keyword_rules.push(Vec::new());
                    keywords.len() - 1
                });
                if !keyword_rules[k].contains(&index) {
                    keyword_rules[k].push(index);
                }
            }
        }
        let prefilter = Prefilter::new(&keywords);
        let mut file_rules: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, rule) in rules.iter().enumerate() {
            for name in &rule.file_names {
                file_rules.entry(name.clone()).or_default().push(index);
            }
        }
        let ids: std::collections::HashMap<&str, usize> = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let pairs: Vec<Option<usize>> = rules
            .iter()
            .map(|rule| {
                rule.pair_with
                    .as_deref()
                    .and_then(|id| ids.get(id).copied())
            })
            .collect();
        drop(ids);
        let compiled = rules
            .into_iter()
            .zip(pairs)
            .map(|(rule, pair_with)| CompiledRule {
                pair_with,
                rule,
                regex: OnceLock::new(),
                screen: OnceLock::new(),
            })
            .collect();
        Ok(Engine {
            rules: compiled,
            prefilter,
            keyword_rules,
            file_rules,
        })
    }

    /// The engine over the bundled rules.
    pub fn builtin() -> Self {
        let rules = crate::rules::bundled_rules()
            .iter()
            .map(Cow::Borrowed)
            .collect();
        Engine::from_rules(rules).expect("bundled rules are checked by tests")
    }

    pub fn rules(&self) -> impl ExactSizeIterator<Item = &Rule> {
        self.rules.iter().map(|c| c.rule.as_ref())
    }

    pub fn rule(&self, index: usize) -> &Rule {
        &self.rules[index].rule
    }

    /// Compiles rule `index`'s regex and runs its examples: each example must produce a
    /// finding of this rule, each negative example none. Returns every failure found.
    pub fn check_rule(&self, index: usize) -> Vec<String> {
        self.rule_failures(index)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Finds every validated secret in `text`, sorted by position.
    pub fn find(&self, text: &[u8]) -> Vec<RawMatch> {
        self.find_with(text, &mut None, &mut Work::default())
    }

    /// [`Engine::find`], sharing the text's line index with the caller (built here if
    /// `lines` is `None` and a rule matches, or keyword hits are dense, so most texts never
    /// pay for it) and
    /// adding what the search cost to `work`.
    pub fn find_with(
        &self,
        text: &[u8],
        lines: &mut Option<LineIndex>,
        work: &mut Work,
    ) -> Vec<RawMatch> {
        self.find_in_file(text, "", lines, work)
    }

    /// The last component of `path` when some rule reads files of that name whole
    /// (`file_names`): what a scan of the file depends on besides its bytes and extensions.
    pub fn file_name_read<'p>(&self, path: &'p str) -> Option<&'p str> {
        if self.file_rules.is_empty() {
            return None;
        }
        let name = path.rsplit(['/', '\\', '!']).next().unwrap_or(path);
        self.file_rules.contains_key(name).then_some(name)
    }

    /// [`Engine::find_with`] for a text that is the file `path` (or an archive member of that
    /// name): rules listing its file name in `file_names` also search the whole text.
    pub fn find_in_file(
        &self,
        text: &[u8],
        path: &str,
        lines: &mut Option<LineIndex>,
        work: &mut Work,
    ) -> Vec<RawMatch> {
        self.find_in_file_reusing(text, path, Reuse::default(), lines, work)
            .0
    }

    /// [`Engine::find_in_file`], taking what `reuse` offers from the scan of the text this
    /// one was rebuilt from (see [`reuse`]), and giving this text's window results when
    /// `reuse.keep_windows` asks for them. Hits of a text of another length are ignored
    /// and the text searched (a guard, not a check that they are this text's: the caller
    /// vouches for that, and for the base's results and copies).
    pub fn find_in_file_reusing(
        &self,
        text: &[u8],
        path: &str,
        reuse: Reuse<'_>,
        lines: &mut Option<LineIndex>,
        work: &mut Work,
    ) -> (Vec<RawMatch>, Option<WindowResults>) {
        let mut kept = reuse.keep_windows.then(WindowResults::default);
        let matches = self.find_keeping(text, path, reuse, &mut kept, lines, work);
        (matches, kept)
    }

    fn find_keeping(
        &self,
        text: &[u8],
        path: &str,
        reuse: Reuse<'_>,
        kept: &mut Option<WindowResults>,
        lines: &mut Option<LineIndex>,
        work: &mut Work,
    ) -> Vec<RawMatch> {
        let searched;
        let hits = match reuse.hits {
            Some(known) if known.text_len == text.len() => &known.hits,
            _ => {
                searched = self.prefilter.hits(text);
                &searched
            }
        };
        let mut windows = self.candidate_windows(text, hits, lines);
        if let Some(name) = self.file_name_read(path) {
            for &rule in &self.file_rules[name] {
                let whole = vec![(0, text.len())];
                match windows.binary_search_by_key(&rule, |(r, _)| *r) {
                    Ok(at) => windows[at].1 = whole,
                    Err(at) => windows.insert(at, (rule, whole)),
                }
            }
        }
        if windows.is_empty() {
            return Vec::new();
        }
        work.regex_bytes += windows
            .iter()
            .flat_map(|(_, w)| w)
            .map(|(s, e)| (e - s) as u64)
            .sum::<u64>();
        let mut matches = Vec::new();
        // Secrets matched by specific rules' regexes, valid or not: a generic rule must not
        // report what a provider rule recognised and rejected (a failed checksum, a placeholder).
        let mut claimed: Vec<Range<usize>> = Vec::new();
        for (rule_index, windows) in &windows {
            let rule_index = *rule_index;
            let compiled = &self.rules[rule_index];
            let screen = compiled.screen();
            for &(start, end) in windows {
                let window = &text[start..end];
                let carried = reuse
                    .base
                    .and_then(|(base, copies)| base.carried(copies, rule_index, start, end));
                let found: Cow<'_, [GroupSpans]> = match carried {
                    Some(found) => {
                        work.carried_bytes += (end - start) as u64;
                        Cow::Borrowed(found)
                    }
                    None if screen.is_some_and(|screen| !screen.passes(window)) => {
                        Cow::Owned(Vec::new())
                    }
                    None => match compiled.regex() {
                        Ok(regex) => Cow::Owned(
                            regex
                                .captures_iter(window)
                                .map(|caps| {
                                    caps.iter().map(|g| g.map(|g| (g.start, g.end))).collect()
                                })
                                .collect(),
                        ),
                        Err(_) => Cow::Owned(Vec::new()),
                    },
                };
                if let Some(results) = kept.as_mut() {
                    results.push(rule_index, start, end, found.to_vec());
                    if results.len() > reuse::MOST_KEPT_WINDOWS {
                        *kept = None;
                    }
                }
                if found.is_empty() {
                    continue;
                }
                // Something matched here (now or in the base), so the regex compiled.
                let Ok(regex) = compiled.regex() else {
                    break;
                };
                let info = regex.group_info();
                for spans in found.iter() {
                    let group = |name: &str| {
                        let index = info.to_index(regex_automata::PatternID::ZERO, name)?;
                        reuse::group_range(spans, index)
                    };
                    let Some(secret) = group("secret") else {
                        continue;
                    };
                    let range = start + secret.start..start + secret.end;
                    // A context-dependent shape seen without its context recognises nothing.
                    let rule = &compiled.rule;
                    let recognised = !rule.require_context
                        || rule.pair_with.is_some()
                        || group("context").is_some();
                    if !rule.generic && recognised {
                        claimed.push(range.clone());
                    }
                    let context = group("context").map(|c| &window[c]);
                    let mut accept = |range: Range<usize>, facts: BTreeMap<String, String>| {
                        let Some(mut m) = self.validate(rule_index, text, lines, range, context)
                        else {
                            return;
                        };
                        m.has_context = group("context").is_some();
                        m.metadata.extend(facts);
                        for name in group_names(regex).flatten() {
                            if name == "secret" || name == "context" {
                                continue;
                            }
                            if let Some(value) = group(name) {
                                let value = String::from_utf8_lossy(&window[value]);
                                m.metadata
                                    .insert(name.to_string(), value.trim().to_string());
                            }
                        }
                        matches.push(m);
                    };
                    // Nearly every rule's secret is its capture; an extractor's are parts of it.
                    match rule.extract {
                        None => accept(range, BTreeMap::new()),
                        Some(extract) => {
                            for (range, facts) in extracted(extract, text, range, context) {
                                accept(range, facts);
                            }
                        }
                    }
                }
            }
        }
        if matches.is_empty() {
            return matches;
        }
        // Built for texts with a match only (the caller locates matches with it): a regex
        // capture is usually rejected, and most texts a keyword hits hold none.
        let lines = lines.get_or_insert_with(|| LineIndex::new(text));
        self.pair_up(text, lines, &mut matches);
        matches.retain(|m| {
            let rule = &self.rules[m.rule].rule;
            !rule.require_context || rule.pair_with.is_some() || m.has_context
        });
        if !claimed.is_empty() {
            let claimed = ClaimedRanges::new(claimed);
            matches.retain(|m| !self.rules[m.rule].rule.generic || !claimed.overlaps(&m.secret));
        }
        // One finding per secret: where several rules report the very same value, the most
        // confident one (then the first defined) speaks for it.
        matches.sort_by_key(|m| (m.secret.start, m.secret.end, Reverse(m.confidence), m.rule));
        matches.dedup_by(|later, kept| later.secret == kept.secret);
        matches
    }

    /// How many keyword hits the prefilter reports in `text`: what decides how often rule
    /// regexes run, so benchmarks measure it (and the automaton's own speed) on ordinary
    /// code as rules are added.
    pub fn prefilter_hits(&self, text: &[u8]) -> usize {
        self.prefilter.hits(text).len()
    }

    /// Every keyword occurrence in `text`, for [`Engine::find_in_file_reusing`].
    pub fn keyword_hits(&self, text: &[u8]) -> KeywordHits {
        KeywordHits {
            hits: self.prefilter.hits(text),
            text_len: text.len(),
        }
    }

    /// The keyword hits of `text`, rebuilt from a text whose hits are `base` by `copies`
    /// (its spans copied from that text, in order and disjoint; the rest inserted): only
    /// the inserted bytes and the edges of the copies are searched. Exactly what
    /// [`Engine::keyword_hits`] of `text` gives.
    pub fn derive_keyword_hits(
        &self,
        base: &KeywordHits,
        copies: &[CopiedSpan],
        text: &[u8],
    ) -> KeywordHits {
        KeywordHits {
            hits: self.prefilter.derived_hits(&base.hits, copies, text),
            text_len: text.len(),
        }
    }

    /// The rules some keyword hit, in rule order, each with the disjoint windows its regex
    /// must search. Only those rules are listed: a list slot for each of the 600 rules,
    /// made and walked for every text, cost 2% of a history audit.
    fn candidate_windows(
        &self,
        text: &[u8],
        hits: &[Hit],
        lines: &mut Option<LineIndex>,
    ) -> RuleWindows {
        if hits.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(usize, (usize, usize))> = Vec::with_capacity(hits.len() * 2);
        let mut hit_windows = window::HitWindows::new(text, lines);
        for &hit in hits {
            // A keyword names up to dozens of rules, nearly all with the same widening.
            let mut last: Option<(usize, (usize, usize))> = None;
            for &rule_index in &self.keyword_rules[hit.keyword] {
                let extra = self.rules[rule_index].rule.window_lines;
                let window = match last {
                    Some((widened, window)) if widened == extra => window,
                    _ => hit_windows.window(hit.start, hit.len, extra),
                };
                last = Some((extra, window));
                found.push((rule_index, window));
            }
        }
        // Stable: each rule's windows stay in text order, as merging needs.
        found.sort_by_key(|&(rule, _)| rule);
        let mut windows: RuleWindows = Vec::new();
        for (rule, window) in found {
            match windows.last_mut() {
                Some((last, list)) if *last == rule => window::push_merged(list, window),
                _ => windows.push((rule, vec![window])),
            }
        }
        windows
    }

    /// Entropy, placeholder and offline checks for one capture.
    fn validate(
        &self,
        rule_index: usize,
        text: &[u8],
        lines: &mut Option<LineIndex>,
        range: Range<usize>,
        context: Option<&[u8]>,
    ) -> Option<RawMatch> {
        let rule = &self.rules[rule_index].rule;
        let secret = std::str::from_utf8(&text[range.clone()]).ok()?;
        if secret.is_empty() {
            return None;
        }
        if let Some(min) = rule.min_entropy {
            if shannon_entropy(secret.as_bytes()) < min {
                return None;
            }
        }
        let mut confidence = rule.confidence;
        let mut metadata = BTreeMap::new();
        // Offline checks first: they are cheap and, for checksummed formats, decisive.
        if let Some(check) = rule.validate {
            let context = context.and_then(|c| std::str::from_utf8(c).ok());
            if check == Check::GenericSecret && is_webhook_nonce_at(text, lines, &range, context) {
                return None;
            }
            match check.run(secret, context) {
                Verdict::Invalid => return None,
                Verdict::Valid(proof) => {
                    confidence = rule.confidence_after(proof.strength);
                    metadata = proof.facts;
                    if proof.strength >= Strength::Structure {
                        // Reports have always said `checksum = valid` for a proven format.
                        metadata.insert("checksum".into(), "valid".into());
                    }
                }
            }
        }
        if !rule.allow_placeholders && is_placeholder(secret) {
            return None;
        }
        Some(RawMatch {
            rule: rule_index,
            secret: range,
            confidence,
            metadata,
            has_context: false,
        })
    }

    /// Links matches of rules with `pair_with` to a match of the named rule within their
    /// window (an AWS secret key next to its key id), and drops unpaired matches of rules
    /// that `require_context` and matched without their `context` group.
    fn pair_up(&self, text: &[u8], lines: &LineIndex, matches: &mut Vec<RawMatch>) {
        // Each rule's matches by start. One rule's matches never overlap, so their ends are
        // sorted too, and the first one starting inside a window is the only candidate: a
        // binary search per match, where a scan of every match made pairing quadratic.
        let mut partners: BTreeMap<usize, Vec<Range<usize>>> = BTreeMap::new();
        for m in matches.iter() {
            partners.entry(m.rule).or_default().push(m.secret.clone());
        }
        for ranges in partners.values_mut() {
            ranges.sort_by_key(|r| (r.start, r.end));
        }
        matches.retain_mut(|m| {
            let compiled = &self.rules[m.rule];
            let Some(partner_rule) = compiled.pair_with else {
                return true;
            };
            let extra = compiled.rule.pair_lines;
            let (start, end) = window::around(text, lines, m.secret.start, m.secret.len(), extra);
            let partner = partners.get(&partner_rule).and_then(|ranges| {
                let first = ranges.partition_point(|r| r.start < start);
                ranges[first..]
                    .iter()
                    .take_while(|r| r.start < end)
                    .find(|r| r.end <= end)
            });
            match partner {
                Some(range) => {
                    let partner_text = String::from_utf8_lossy(&text[range.clone()]);
                    m.metadata.insert(
                        "paired_with".into(),
                        format!(
                            "{} {}",
                            self.rules[partner_rule].rule.id,
                            crate::finding::redact(&partner_text)
                        ),
                    );
                    let delta =
                        lines.line_of(range.start) as i64 - lines.line_of(m.secret.start) as i64;
                    m.metadata
                        .insert("paired_line_offset".into(), delta.to_string());
                    m.confidence = Confidence::High;
                    true
                }
                None => !compiled.rule.require_context || m.has_context,
            }
        });
    }
}

/// The secrets an extractor names inside one capture (with their facts), as ranges of `text`.
fn extracted(
    extract: crate::validate::Extract,
    text: &[u8],
    range: Range<usize>,
    context: Option<&[u8]>,
) -> Vec<(Range<usize>, BTreeMap<String, String>)> {
    let (Ok(capture), context) = (
        std::str::from_utf8(&text[range.clone()]),
        context.and_then(|c| std::str::from_utf8(c).ok()),
    ) else {
        return Vec::new();
    };
    extract
        .run(capture, context)
        .into_iter()
        .map(|e| {
            (
                range.start + e.range.start..range.start + e.range.end,
                e.facts,
            )
        })
        .collect()
}

/// Whether a generic `token` at `range` sits in a webhook's signed payload (beside its
/// `timestamp` and `signature`, within three lines): a nonce, not a credential.
fn is_webhook_nonce_at(
    text: &[u8],
    lines: &mut Option<LineIndex>,
    range: &Range<usize>,
    key: Option<&str>,
) -> bool {
    // The key decides first: for nearly every generic match it is no nonce's name, and the
    // lines around need not be read at all.
    if !key.is_some_and(crate::validate::names_a_nonce) {
        return false;
    }
    let lines = lines.get_or_insert_with(|| LineIndex::new(text));
    let (start, end) = window::around(text, lines, range.start, range.len(), 3);
    crate::validate::signs_a_payload(&String::from_utf8_lossy(&text[start..end]))
}

/// The secrets specific rules matched, indexed so that asking whether a generic match overlaps
/// one costs a binary search, not a scan: a large file full of credentials (a dump, a
/// concatenated config) has thousands of both, and a scan per match made `find` quadratic.
struct ClaimedRanges {
    /// Sorted by start.
    ranges: Vec<Range<usize>>,
    /// `max_end[i]` is the largest end among `ranges[..=i]`.
    max_end: Vec<usize>,
}

impl ClaimedRanges {
    fn new(mut ranges: Vec<Range<usize>>) -> Self {
        ranges.sort_by_key(|r| r.start);
        let max_end = ranges
            .iter()
            .scan(0, |max, r| {
                *max = (*max).max(r.end);
                Some(*max)
            })
            .collect();
        ClaimedRanges { ranges, max_end }
    }

    /// Whether any claimed range overlaps `secret`: among the ranges starting before it
    /// ends, does one end after it starts?
    fn overlaps(&self, secret: &Range<usize>) -> bool {
        let before_end = self.ranges.partition_point(|r| r.start < secret.end);
        before_end > 0 && self.max_end[before_end - 1] > secret.start
    }
}

#[cfg(test)]
mod tests;
