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
        engine.rules().len() >= 150,
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
