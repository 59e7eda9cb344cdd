//! Diagnostics: errors and warnings with a location, rendered with the
//! source line and a caret (codespan-reporting).

use crate::source::{SourceMap, Span};
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::Error as FilesError;
use codespan_reporting::term;
use std::fmt;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One message about the user's design.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; [`Span::NONE`] for command-line problems.
    pub span: Span,
    /// Short text shown under the caret.
    pub label: String,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            label: String::new(),
            notes: Vec::new(),
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Render as `error: msg` + `--> file:line:col` + source line with caret.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        let mut cs = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_message(&self.message)
        .with_notes(self.notes.clone());
        if sources.get(self.span.file).is_some() {
            let label = Label::primary(self.span.file.0 as usize, span_range(sources, self.span))
                .with_message(&self.label);
            cs = cs.with_labels(vec![label]);
        }
        let config = term::Config::default();
        // Plain text: colour is the terminal's business (the binary decides).
        let _ = color;
        let mut out = String::new();
        let ok = term::emit_to_string(&mut out, &config, &Files(sources), &cs).is_ok();
        if !ok {
            // Rendering can only fail on an inconsistent span; still say something useful.
            return format!(
                "{}: {}: {}",
                self.severity_word(),
                sources.describe(self.span),
                self.message
            );
        }
        out
    }

    /// One line: `file:line:col: error: message`.
    pub fn one_line(&self, sources: &SourceMap) -> String {
        format!(
            "{}: {}: {}",
            sources.describe(self.span),
            self.severity_word(),
            self.message
        )
    }

    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

fn span_range(sources: &SourceMap, span: Span) -> Range<usize> {
    let len = sources.get(span.file).map(|f| f.text.len()).unwrap_or(0);
    let start = (span.start as usize).min(len);
    let end = (span.end as usize).clamp(start, len);
    start..end
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

/// The error type of the front end: one or more diagnostics (all errors).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .diags.first().map(|d| d.message.as_str()).unwrap_or("error"))]
pub struct Error {
    pub diags: Vec<Diagnostic>,
}

impl Error {
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        self.diags
            .iter()
            .map(|d| d.render(sources, color))
            .collect()
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Error {
        Error { diags: vec![d] }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// The source map as codespan-reporting's file database (a wrapper: the
/// map is the `ir` crate's type, the trait codespan-reporting's).
struct Files<'s>(&'s SourceMap);

impl<'a> codespan_reporting::files::Files<'a> for Files<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> std::result::Result<&'a str, FilesError> {
        self.0
            .files()
            .get(id)
            .map(|f| f.name.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'a self, id: usize) -> std::result::Result<&'a str, FilesError> {
        self.0
            .files()
            .get(id)
            .map(|f| f.text.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(
        &'a self,
        id: usize,
        byte_index: usize,
    ) -> std::result::Result<usize, FilesError> {
        let f = self.0.files().get(id).ok_or(FilesError::FileMissing)?;
        Ok(f.line_col(byte_index as u32).0 as usize - 1)
    }

    fn line_range(
        &'a self,
        id: usize,
        line_index: usize,
    ) -> std::result::Result<Range<usize>, FilesError> {
        let f = self.0.files().get(id).ok_or(FilesError::FileMissing)?;
        let text = f.text.as_str();
        let mut start = 0usize;
        for _ in 0..line_index {
            match text[start..].find('\n') {
                Some(p) => start += p + 1,
                None => {
                    return Err(FilesError::LineTooLarge {
                        given: line_index,
                        max: line_index.saturating_sub(1),
                    })
                }
            }
        }
        let end = text[start..]
            .find('\n')
            .map(|p| start + p + 1)
            .unwrap_or(text.len());
        Ok(start..end)
    }
}
