//! Plan errors as data: each names where it is (line and column, or the id),
//! what is wrong and what to write instead. Turned into text only at the edge.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// 1-based line and column in the plan file, where known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The id of the phase, module, task or habit concerned, where known.
    pub id: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

/// Every problem found in one plan file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanErrors {
    /// The file's path, or `built-in NAME`.
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
    /// Problems beyond the ones listed (the list is capped).
    pub more: usize,
}

impl PlanErrors {
    pub fn single(source: &str, diagnostic: Diagnostic) -> PlanErrors {
        PlanErrors { source: source.to_string(), diagnostics: vec![diagnostic], more: 0 }
    }

    pub fn count(&self) -> usize {
        self.diagnostics.len() + self.more
    }
}

impl Diagnostic {
    pub fn at(line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic { line: Some(line), column: Some(column), id: None, message: message.into(), hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for PlanErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.source)?;
            if let (Some(line), Some(column)) = (d.line, d.column) {
                write!(f, ":{line}:{column}")?;
            }
            write!(f, ": {}", d.message)?;
            if let Some(hint) = &d.hint {
                write!(f, "\n  hint: {hint}")?;
            }
        }
        if self.more > 0 {
            let noun = if self.more == 1 { "error" } else { "errors" };
            write!(f, "\n… and {} more {noun}", self.more)?;
        }
        Ok(())
    }
}
