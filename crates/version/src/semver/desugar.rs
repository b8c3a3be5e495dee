//! node-semver's desugaring: caret, tilde, x-range, star and hyphen ranges into plain
//! comparators, with the `-0` bounds node-semver 7 uses so that pre-releases of the next
//! version stay out (and, with `includePrerelease`, pre-releases of the lower bound stay in).

use super::bound::Bound;
use super::partial::Partial;
use super::range::NpmOptions;
use super::SemverVersion;
use crate::comparator::Op;

/// Desugars one alternative (no `||`) into comparators.
pub(super) fn parse_set(set: &str, options: NpmOptions) -> Result<Vec<Bound>, &'static str> {
    let set = strip_build(set);
    let tokens: Vec<&str> = set.split(' ').filter(|token| !token.is_empty()).collect();

    let mut bounds = match tokens.as_slice() {
        [from, "-", to] => hyphen(from, to, options)?,
        _ => {
            let mut bounds = Vec::new();
            for token in merge_operators(&tokens)? {
                bounds.extend(desugar(&token, options)?);
            }
            bounds
        }
    };

    if let Some(null) = bounds.iter().find(|bound| bound.is_null_set()) {
        return Ok(vec![null.clone()]);
    }
    bounds.retain(|bound| *bound != Bound::Any);
    if bounds.is_empty() {
        bounds.push(Bound::Any);
    }
    Ok(bounds)
}

/// Removes `+build` metadata wherever it appears, as node-semver does before anything else.
fn strip_build(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let starts_build = chars
            .peek()
            .is_some_and(|next| next.is_ascii_alphanumeric() || *next == '-');
        if c == '+' && starts_build {
            while chars
                .peek()
                .is_some_and(|next| next.is_ascii_alphanumeric() || *next == '-' || *next == '.')
            {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out
}

const OPERATORS: [&str; 8] = ["<", ">", "<=", ">=", "=", "~", "~>", "^"];

/// Joins an operator written apart from its version (`>= 1.2`) to it.
fn merge_operators(tokens: &[&str]) -> Result<Vec<String>, &'static str> {
    let mut merged = Vec::new();
    let mut iter = tokens.iter();
    while let Some(token) = iter.next() {
        if OPERATORS.contains(token) {
            match iter.next() {
                Some(next) if !OPERATORS.contains(next) => merged.push(format!("{token}{next}")),
                _ => return Err("an operator has no version"),
            }
        } else {
            merged.push((*token).to_owned());
        }
    }
    Ok(merged)
}

/// One comparator token into its bounds.
fn desugar(token: &str, options: NpmOptions) -> Result<Vec<Bound>, &'static str> {
    let partial = |text| Partial::parse(text, options.loose).ok_or("unreadable version in range");

    if let Some(rest) = token.strip_prefix('^') {
        return caret(&partial(rest)?, options);
    }
    if let Some(rest) = token.strip_prefix("~>").or_else(|| token.strip_prefix('~')) {
        return tilde(&partial(rest)?, options);
    }
    let (op, rest) = [
        ("<=", Op::LessEqual),
        (">=", Op::GreaterEqual),
        ("<", Op::Less),
        (">", Op::Greater),
        ("=", Op::Equal),
    ]
    .iter()
    .find_map(|(spelling, op)| token.strip_prefix(spelling).map(|rest| (Some(*op), rest)))
    .unwrap_or((None, token));
    x_range(op, &partial(rest)?, options)
}

/// Checks a computed bound stays a valid version, as node-semver's re-parse would.
fn checked(major: u64, minor: u64, patch: u64) -> Result<SemverVersion, &'static str> {
    let limit = super::version::MAX_SAFE_INTEGER;
    if major > limit || minor > limit || patch > limit {
        return Err("range bound is too large");
    }
    Ok(SemverVersion::new(major, minor, patch))
}

/// `M.m.p`, with the lowest pre-release when `lowest` (the `-0` node-semver appends).
fn bound(op: Op, version: SemverVersion, lowest: bool) -> Bound {
    Bound::Compare(
        op,
        if lowest {
            version.lowest_prerelease()
        } else {
            version
        },
    )
}

fn x_range(
    op: Option<Op>,
    partial: &Partial<'_>,
    options: NpmOptions,
) -> Result<Vec<Bound>, &'static str> {
    if partial.has_wild_before_number() {
        return Err("a wildcard is followed by a number");
    }
    let (major, minor, patch) = (partial.major, partial.minor, partial.patch);
    let any_wild = major.is_wild() || minor.is_wild() || patch.is_wild();
    let op = if op == Some(Op::Equal) && any_wild {
        None
    } else {
        op
    };
    let pre = options.include_prerelease;
    let (m, n) = (major.value(), minor.value());

    if major.is_wild() {
        return Ok(match op {
            Some(Op::Greater | Op::Less) => vec![bound(Op::Less, checked(0, 0, 0)?, true)],
            _ => vec![Bound::Any],
        });
    }
    if let (Some(op), true) = (op, any_wild) {
        let (op, version) = match (op, minor.is_wild()) {
            // >1 is >=2.0.0, >1.2 is >=1.3.0.
            (Op::Greater, true) => (Op::GreaterEqual, checked(m + 1, 0, 0)?),
            (Op::Greater, false) => (Op::GreaterEqual, checked(m, n + 1, 0)?),
            // <=1 is <2.0.0-0, <=1.2 is <1.3.0-0.
            (Op::LessEqual, true) => (Op::Less, checked(m + 1, 0, 0)?),
            (Op::LessEqual, false) => (Op::Less, checked(m, n + 1, 0)?),
            (op, true) => (op, checked(m, 0, 0)?),
            (op, false) => (op, checked(m, n, 0)?),
        };
        return Ok(vec![bound(op, version, op == Op::Less || pre)]);
    }
    if minor.is_wild() {
        return Ok(vec![
            bound(Op::GreaterEqual, checked(m, 0, 0)?, pre),
            bound(Op::Less, checked(m + 1, 0, 0)?, true),
        ]);
    }
    if patch.is_wild() {
        return Ok(vec![
            bound(Op::GreaterEqual, checked(m, n, 0)?, pre),
            bound(Op::Less, checked(m, n + 1, 0)?, true),
        ]);
    }
    Ok(vec![Bound::Compare(
        op.unwrap_or(Op::Equal),
        partial.full(),
    )])
}

fn tilde(partial: &Partial<'_>, options: NpmOptions) -> Result<Vec<Bound>, &'static str> {
    let pre = options.include_prerelease;
    let (m, n) = (partial.major.value(), partial.minor.value());
    if partial.major.is_wild() {
        return Ok(vec![Bound::Any]);
    }
    if partial.minor.is_wild() {
        return Ok(vec![
            bound(Op::GreaterEqual, checked(m, 0, 0)?, pre),
            bound(Op::Less, checked(m + 1, 0, 0)?, true),
        ]);
    }
    let lower = if partial.patch.is_wild() {
        bound(Op::GreaterEqual, checked(m, n, 0)?, pre)
    } else {
        Bound::Compare(Op::GreaterEqual, partial.full())
    };
    Ok(vec![lower, bound(Op::Less, checked(m, n + 1, 0)?, true)])
}

fn caret(partial: &Partial<'_>, options: NpmOptions) -> Result<Vec<Bound>, &'static str> {
    let pre = options.include_prerelease;
    let (major, minor) = (partial.major, partial.minor);
    let (m, n, p) = (major.value(), minor.value(), partial.patch.value());
    if major.is_wild() {
        return Ok(vec![Bound::Any]);
    }
    if minor.is_wild() {
        return Ok(vec![
            bound(Op::GreaterEqual, checked(m, 0, 0)?, pre),
            bound(Op::Less, checked(m + 1, 0, 0)?, true),
        ]);
    }

    let lower = if partial.patch.is_wild() {
        bound(Op::GreaterEqual, checked(m, n, 0)?, pre)
    } else {
        Bound::Compare(Op::GreaterEqual, partial.full())
    };
    // The first non-zero number (as written) is the one that may not change.
    let upper = if !major.is_written_zero() {
        checked(m + 1, 0, 0)?
    } else if partial.patch.is_wild() || !minor.is_written_zero() {
        checked(m, n + 1, 0)?
    } else {
        checked(m, n, p + 1)?
    };
    Ok(vec![lower, bound(Op::Less, upper, true)])
}

fn hyphen(from: &str, to: &str, options: NpmOptions) -> Result<Vec<Bound>, &'static str> {
    let read =
        |text| Partial::parse(text, options.loose).ok_or("unreadable version in hyphen range");
    let (from, to) = (read(from)?, read(to)?);
    let pre = options.include_prerelease;
    let mut bounds = Vec::new();

    let (fm, fn_) = (from.major.value(), from.minor.value());
    if !from.major.is_wild() {
        bounds.push(if from.minor.is_wild() {
            bound(Op::GreaterEqual, checked(fm, 0, 0)?, pre)
        } else if from.patch.is_wild() {
            bound(Op::GreaterEqual, checked(fm, fn_, 0)?, pre)
        } else if !from.pre.is_empty() {
            Bound::Compare(Op::GreaterEqual, from.full())
        } else {
            bound(Op::GreaterEqual, from.full(), pre)
        });
    }

    let (tm, tn, tp) = (to.major.value(), to.minor.value(), to.patch.value());
    if !to.major.is_wild() {
        bounds.push(if to.minor.is_wild() {
            bound(Op::Less, checked(tm + 1, 0, 0)?, true)
        } else if to.patch.is_wild() {
            bound(Op::Less, checked(tm, tn + 1, 0)?, true)
        } else if !to.pre.is_empty() {
            Bound::Compare(Op::LessEqual, to.full())
        } else if pre {
            bound(Op::Less, checked(tm, tn, tp + 1)?, true)
        } else {
            Bound::Compare(Op::LessEqual, to.full())
        });
    }
    Ok(bounds)
}
