//! The `always` gate: fires whenever a rule names it.

use super::{Context, Fire};

/// `always`: one firing, with the fixed trigger ID `always`.
pub(super) fn evaluate(_context: &Context<'_>) -> Vec<Fire> {
    vec![Fire {
        id: Some("always".to_string()),
        message: "Unconditional trigger match".to_string(),
    }]
}

#[cfg(test)]
mod tests {
    use crate::gates::evaluate_rule;
    use crate::gates::test_support::{now, rule};
    use crate::input::EvaluationInput;

    #[test]
    fn always_fires_with_its_fixed_id() {
        let fired = evaluate_rule(
            &rule("always", "always", &[]),
            &EvaluationInput::default(),
            now(),
        )
        .unwrap();
        assert_eq!(fired.len(), 1);
        assert_eq!(fired[0].trigger_id, "always");
        assert_eq!(fired[0].message, "Unconditional trigger match");
    }
}
