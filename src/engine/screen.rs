//! Screens: a cheaper regex that every window must match before a rule's own regex runs.
//!
//! Many rules bound a distance (`[^\n]{0,160}?` between a provider's name and a key name, a
//! token of exactly `{40}` characters). A lazy DFA pays for such counters in states: each one
//! it tracks multiplies the states a window can put it in with every other counter alive at
//! the same byte, and in a tree scan, where each DFA state is built for a few windows only,
//! building them was most of the regex time (the W&B context rule ran at 22 MB/s on the
//! diffusers tree).
//!
//! A screen is the rule's regex with every large counted repetition made open (`x{0,160}`
//! becomes `x*`, `x{40}` becomes `x+`) and its capture groups dropped. Each change only
//! widens what the pattern matches, so a window the screen rejects holds no match of the
//! rule's regex, and skipping it loses nothing; the rule's regex still decides every match
//! it reports, bounds and all. Most windows fail the screen, and a rule none of whose
//! windows pass it never compiles its own regex.

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::pool::Pool;
use regex_automata::Input;
use regex_syntax::hir::{Hir, HirKind, Repetition};

/// Repetitions whose bound (the maximum, or the minimum when open-ended) is at least this
/// are opened. Small ones (`{2,5}`, `\d{1,3}`) add few states, and opening them would let
/// more windows through to the rule's regex.
const OPEN_FROM: u32 = 16;

/// A rule's screen: a forward lazy DFA alone, which answers "is there a match?" without the
/// reverse automaton and capture engines a full regex builds (building those for every rule
/// a tree scan hits cost more than the screens saved).
pub(super) struct Screen {
    dfa: DFA,
    caches: Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>,
}

impl Screen {
    /// Whether `window` may hold a match of the rule's regex. A search the DFA cannot finish
    /// says yes: the rule's regex then decides.
    pub(super) fn passes(&self, window: &[u8]) -> bool {
        let mut cache = self.caches.get();
        let input = Input::new(window).earliest(true);
        !matches!(self.dfa.try_search_fwd(&mut cache, &input), Ok(None))
    }
}

/// The screen for `pattern`, or `None` when it would be the pattern itself (no large
/// counter) or cannot be built; then the rule's regex screens its own windows.
pub(super) fn build(pattern: &str) -> Option<Screen> {
    // Parsing is most of a screen's cost: patterns that spell no count of 16 or more are
    // left alone unparsed.
    if !spells_large_count(pattern) {
        return None;
    }
    let hir = regex_automata::util::syntax::parse_with(pattern, &super::rule_syntax()).ok()?;
    let mut opened = false;
    let screen = open_counters(hir, &mut opened);
    if !opened {
        return None;
    }
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .nfa_size_limit(Some(super::NFA_SIZE_LIMIT))
                .shrink(false),
        )
        .build_from_hir(&screen)
        .ok()?;
    let dfa = DFA::builder()
        .configure(DFA::config().cache_capacity(super::LAZY_DFA_CACHE))
        .build_from_nfa(nfa)
        .ok()?;
    let for_caches = dfa.clone();
    Some(Screen {
        dfa,
        caches: Pool::new(Box::new(move || for_caches.create_cache())),
    })
}

/// Whether `pattern` holds a `{n`, `{n,` or `,n}` with n of at least [`OPEN_FROM`]: a
/// superset of the patterns with a large counted repetition (an escaped brace or a digit
/// run in a class only costs a parse that opens nothing).
fn spells_large_count(pattern: &str) -> bool {
    let bytes = pattern.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        (b == b'{' || b == b',')
            && bytes[i + 1..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .fold(0u32, |n, d| {
                    n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
                })
                >= OPEN_FROM
    })
}

/// `hir` with every large repetition opened and every capture group replaced by what it
/// holds; `opened` is set when a repetition was opened. It takes the tree apart rather than
/// copying it: cloning every class and literal was a third of a screen's cost.
fn open_counters(hir: Hir, opened: &mut bool) -> Hir {
    match hir.into_kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Capture(capture) => open_counters(*capture.sub, opened),
        HirKind::Concat(parts) => Hir::concat(
            parts
                .into_iter()
                .map(|p| open_counters(p, opened))
                .collect(),
        ),
        HirKind::Alternation(parts) => Hir::alternation(
            parts
                .into_iter()
                .map(|p| open_counters(p, opened))
                .collect(),
        ),
        HirKind::Repetition(rep) => {
            let sub = Box::new(open_counters(*rep.sub, opened));
            let bound = rep.max.unwrap_or(rep.min);
            let (min, max) = if bound >= OPEN_FROM {
                *opened = true;
                (rep.min.min(1), None)
            } else {
                (rep.min, rep.max)
            };
            Hir::repetition(Repetition {
                min,
                max,
                greedy: rep.greedy,
                sub,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_patterns_spelling_a_large_count_are_parsed() {
        assert!(spells_large_count("a{16}"));
        assert!(spells_large_count("a{0,160}?"));
        assert!(spells_large_count("a{20,}"));
        assert!(!spells_large_count("a{2,15}b{10,}"));
    }

    #[test]
    fn small_counters_leave_the_rule_to_screen_itself() {
        assert!(build(r"ab\d{1,3}(?P<secret>[a-f]{4})").is_none());
    }

    #[test]
    fn large_counters_are_opened_so_the_screen_passes_more() {
        let s = build(r"name[^\n]{0,20}?key=(?P<secret>[0-9a-f]{40})").expect("has counters");
        let hex = "0123456789abcdef0123456789abcdef01234567";
        // What the rule matches, the screen passes.
        assert!(s.passes(format!("name: x key={hex}").as_bytes()));
        // Farther apart and shorter than the rule allows: only the screen passes.
        let far = format!("name{}key=abc", "-".repeat(100));
        assert!(s.passes(far.as_bytes()));
        // What neither matches, the screen rejects.
        assert!(!s.passes(format!("name key: {hex}").as_bytes()));
        assert!(!s.passes(b"name\nkey=abc"));
    }

    /// The promise a screen makes: nothing the rule's regex matches is screened out. Every
    /// bundled rule's matching examples are held to it.
    #[test]
    fn every_bundled_rule_example_passes_its_screen() {
        let mut screened = 0;
        for rule in crate::rules::bundled_rules() {
            let Some(screen) = build(&rule.regex) else {
                continue;
            };
            screened += 1;
            for example in &rule.examples {
                let text = match example {
                    crate::rules::Example::Text(text) => text,
                    crate::rules::Example::Expect { text, .. } => text,
                };
                assert!(screen.passes(text.as_bytes()), "{}: {text:?}", rule.id);
            }
        }
        // Most provider rules bound a token's length, so most have a screen.
        assert!(screened > 300, "only {screened} rules have a screen");
    }

    #[test]
    fn capture_groups_are_dropped() {
        let s = build(r"(?P<context>x{0,30})(?P<secret>y{20})").expect("has counters");
        assert_eq!(s.dfa.get_nfa().group_info().all_group_len(), 1);
    }
}
