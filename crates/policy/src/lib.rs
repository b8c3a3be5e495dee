//! Anchore policy bundles (version `1_0`) for Plimsoll: the bundle model and its validation,
//! the gates and triggers, evaluation of a bundle against one image, and the result
//! documents the Anchore v1 API returns.
//!
//! The crate does no I/O and reads no clock: the caller fills an [`EvaluationInput`] with what
//! it knows about the image and passes the current time.
//!
//! ```
//! use plimsoll_policy::{default_bundle, evaluate, validate, EvaluationInput};
//!
//! let bundle = default_bundle();
//! assert!(validate(&bundle).is_empty());
//!
//! let input = EvaluationInput { tag: "docker.io/library/alpine:3.18".into(), ..Default::default() };
//! let now = "2024-06-01T00:00:00Z".parse().unwrap();
//! let evaluation = evaluate(&bundle, &input, now);
//! // No feed data and no Dockerfile: the default bundle only warns.
//! assert_eq!(evaluation.status(), "pass");
//! ```

pub mod bundle;
mod default_bundle;
pub mod dockerfile;
mod evaluate;
pub mod gates;
mod glob;
pub mod input;
pub mod mapping;
pub mod params;
pub mod result;
pub mod spec;
mod validate;
pub mod whitelist;

pub use bundle::{
    Action, ImageRef, ImageRefType, ImageSelectionRule, MappingRule, Policy, PolicyBundle,
    PolicyRule, RuleParam, Whitelist, WhitelistItem, BUNDLE_VERSION,
};
pub use default_bundle::{default_bundle, DEFAULT_BUNDLE_ID, DEFAULT_BUNDLE_JSON};
pub use dockerfile::{Dockerfile, DockerfileMode, Instruction};
pub use evaluate::{evaluate, FinalActionReason, PolicyEvaluation, ResultRow};
pub use gates::{Fired, TriggerError};
pub use input::{
    parse_source_date, CvssV3Scores, EvaluationInput, FeedGroupSync, FeedState, FileEntry,
    ImageFacts, RegexMatch, Severity, VulnerabilityFinding,
};
pub use result::{result_document, table_json};
pub use spec::policy_spec;
pub use validate::{validate, Problem};
