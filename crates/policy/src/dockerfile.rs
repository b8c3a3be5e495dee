//! The Dockerfile the `dockerfile` gate checks: instructions with their arguments, and whether
//! they come from the real file or were guessed from the image's layer history.

/// Where a [`Dockerfile`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DockerfileMode {
    /// Supplied with the image.
    Actual,
    /// Rebuilt from the config's history (`created_by`).
    Guessed,
}

/// One instruction: the keyword upper-cased, and the rest of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// `FROM`, `RUN`, `USER`, …
    pub instruction: String,
    /// Everything after the keyword, trimmed.
    pub arguments: String,
}

/// A Dockerfile as a list of instructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    pub mode: DockerfileMode,
    pub instructions: Vec<Instruction>,
}

impl Dockerfile {
    /// Builds a Dockerfile from `(INSTRUCTION, arguments)` pairs; keywords are upper-cased.
    pub fn from_pairs<'a>(
        mode: DockerfileMode,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Self {
        let instructions = pairs
            .into_iter()
            .map(|(instruction, arguments)| Instruction {
                instruction: instruction.trim().to_ascii_uppercase(),
                arguments: arguments.trim().to_string(),
            })
            .collect();
        Dockerfile { mode, instructions }
    }

    /// Reads Dockerfile text: comments and blank lines are skipped, lines ending in `\` are
    /// joined with the next, and each logical line is split at its first space.
    ///
    /// This is the reading Anchore's dockerfile gate does, not a full Dockerfile parser: heredocs
    /// and parser directives are not understood.
    pub fn parse(mode: DockerfileMode, text: &str) -> Self {
        let mut instructions = Vec::new();
        let mut pending = String::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(continued) = line.strip_suffix('\\') {
                pending.push_str(continued);
                continue;
            }
            pending.push_str(line);
            let (keyword, arguments) = pending.split_once(' ').unwrap_or((&pending, ""));
            instructions.push(Instruction {
                instruction: keyword.to_ascii_uppercase(),
                arguments: arguments.trim().to_string(),
            });
            pending.clear();
        }
        Dockerfile { mode, instructions }
    }

    /// The arguments of every instruction with this keyword, in order.
    pub fn arguments_of<'a>(&'a self, keyword: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.instructions
            .iter()
            .filter(move |instruction| instruction.instruction == keyword)
            .map(|instruction| instruction.arguments.as_str())
    }

    /// Whether any instruction has this keyword.
    pub fn has(&self, keyword: &str) -> bool {
        self.instructions
            .iter()
            .any(|instruction| instruction.instruction == keyword)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_joins_continuations_and_skips_comments() {
        let text = "# syntax\nFROM alpine:3.18\n\nrun apk add \\\n  curl \\\n  git\nUSER  app\n";
        let dockerfile = Dockerfile::parse(DockerfileMode::Actual, text);
        let pairs: Vec<(&str, &str)> = dockerfile
            .instructions
            .iter()
            .map(|i| (i.instruction.as_str(), i.arguments.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("FROM", "alpine:3.18"),
                ("RUN", "apk add curl git"),
                ("USER", "app"),
            ]
        );
        assert!(dockerfile.has("USER"));
        assert!(!dockerfile.has("HEALTHCHECK"));
    }
}
