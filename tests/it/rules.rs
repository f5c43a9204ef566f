//! Every bundled rule must compile, carry examples and negative examples, and behave as they
//! say. A rule cannot land untested.

use keyhound::Engine;

#[test]
fn every_bundled_rule_passes_its_examples() {
    let engine = Engine::builtin();
    let mut failures = Vec::new();
    for (index, rule) in engine.rules().enumerate() {
        for failure in engine.check_rule(index) {
            failures.push(format!("{}: {failure}", rule.id));
        }
    }
    assert!(
        failures.is_empty(),
        "rule failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_bundled_rule_is_documented() {
    let engine = Engine::builtin();
    assert!(
        engine.rules().len() >= 500,
        "{} rules",
        engine.rules().len()
    );
    for rule in engine.rules() {
        assert!(
            rule.examples.len() >= 2 && rule.negative_examples.len() >= 2,
            "{} needs at least two examples and two negative examples",
            rule.id
        );
        assert!(
            !rule.name.is_empty() && !rule.description.is_empty(),
            "{}",
            rule.id
        );
        assert!(
            rule.remediation.as_deref().is_some_and(|r| !r.is_empty()),
            "{} does not say how to revoke and rotate it",
            rule.id
        );
        assert!(
            rule.generic || !rule.references.is_empty(),
            "{} has no references",
            rule.id
        );
    }
}

#[test]
fn every_example_names_the_secret_it_must_capture() {
    // A rule that fires on its example but captures a quote too many, or stops a character
    // short, must fail its own test: so every example says exactly what it captures.
    let engine = Engine::builtin();
    let vague: Vec<String> = engine
        .rules()
        .flat_map(|rule| {
            rule.examples
                .iter()
                .enumerate()
                .filter(|(_, e)| e.secret().is_none())
                .map(move |(i, _)| format!("{}: examples[{i}]", rule.id))
        })
        .collect();
    assert!(
        vague.is_empty(),
        "examples without a secret:\n{}",
        vague.join("\n")
    );
}

#[test]
fn every_bundled_rule_passes_the_lint() {
    let engine = Engine::builtin();
    let problems: Vec<String> = engine
        .rules()
        .flat_map(|rule| {
            keyhound::rules::lint(rule)
                .into_iter()
                .map(move |p| format!("{}: {p}", rule.id))
        })
        .collect();
    assert!(problems.is_empty(), "lint:\n{}", problems.join("\n"));
}
