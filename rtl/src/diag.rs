//! Diagnostics: errors and warnings with a location, rendered with the
//! source line and a caret (codespan-reporting).
//!
//! Every diagnostic carries a stable [`Code`] (`E0101`, `W0301`, ...),
//! defined once in [`codes!`] below and documented in
//! `docs/diagnostics.md`. Codes are a public interface: a published code is
//! never renumbered or reused; retire it instead.

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

/// The code table: `Variant = "code", "one-line meaning";`, grouped by
/// phase. `E` codes are errors, `W` codes warnings.
macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal, $meaning:literal;)*) => {
        /// A stable diagnostic code (see `docs/diagnostics.md`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* #[doc = $meaning] $name,)*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The code as printed: `E0101`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $code,)*
                }
            }

            /// What the code means, in one line.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$name => $meaning,)*
                }
            }
        }
    };
}

codes! {
    // E01xx: reading the sources (command line, files, preprocessor, parser).
    Input = "E0100", "a source file or file list cannot be read, or a command-line option is malformed";
    Syntax = "E0101", "syntax error: the parser could not continue";
    Preprocess = "E0102", "preprocessor error: malformed or unsupported directive";
    IncludeNotFound = "E0103", "an `include file was not found";
    MacroUndefined = "E0104", "a macro is used but not defined";
    MacroArgs = "E0105", "a macro is used with missing arguments";
    MacroRecursion = "E0106", "macro or include recursion too deep";
    IncludeLine = "E0107", "an `include line holds other items";

    // E02xx: lowering the syntax tree (constructs verify does not read).
    Unsupported = "E0200", "unsupported construct: verify does not handle this yet";
    Malformed = "E0201", "a construct is malformed (bad literal, bad declaration, misuse of `let`, ...)";
    FreeAttr = "E0202", "misuse of the `anyconst`/`anyseq` attributes";

    // E03xx: elaboration.
    Elab = "E0300", "elaboration error not covered by a finer code";
    UnknownName = "E0301", "a name is not declared";
    UnknownModule = "E0302", "a module is instantiated but was not read";
    Top = "E0303", "the top module cannot be chosen (none, several, or --top unknown)";
    Duplicate = "E0304", "a name is declared twice, or a port connected twice";
    WrongKind = "E0305", "a name of the wrong kind: a type, memory, function, package or instance where a value is needed, a value where a type is, a call of what is not a function";
    NotAssignable = "E0306", "the target of an assignment cannot be assigned (a parameter or constant, a net in procedural code, an expression that is no variable)";
    Width = "E0310", "width or range error (select outside the declared range, width overflow)";
    Type = "E0311", "type error: an unpacked array or struct used as an integral value or with one of another shape, a malformed struct, union or enum type";
    Pattern = "E0312", "assignment pattern `'{...}` error (no type known, too many or missing values, a key that does not fit the type)";
    EnumAssign = "E0313", "a value not of an enum's type is assigned to a variable of that enum type without a cast";
    MultipleDrivers = "E0320", "a signal has more than one driver";
    CombLoop = "E0321", "combinational loop: a signal depends on itself within one cycle";
    FreeDriven = "E0322", "an `anyconst`/`anyseq` value is also driven";
    Clock = "E0330", "clocking error (clock not a top-level input, clock used as data, clock loop, no clock)";
    Sva = "E0340", "assertion (SVA) error: a sequence or property verify cannot compile or that is malformed";
    Param = "E0350", "parameter error (no value, unknown parameter, too many values)";
    NotConstant = "E0351", "an expression that must be known at elaboration is not";
    Readmem = "E0360", "`$readmemh`/`$readmemb` error (file missing or malformed)";
    Stream = "E0361", "streaming concatenation error";
    DynamicValue = "E0362", "a string, real, queue, dynamic or associative array value used where it cannot be an elaboration-time constant (written by design logic, computed from design state, x, or an operation verify does not evaluate)";
    Call = "E0370", "function, task or method call error (wrong or missing arguments, a void function used as a value, an argument direction or side effect verify does not support)";
    SystemCall = "E0371", "a system task or function verify does not support, or one called with wrong arguments or in the wrong place";
    Limit = "E0380", "a limit of verify is exceeded (loop or generate iterations, call or instance nesting)";
    ElabUnsupported = "E0390", "unsupported construct found at elaboration (testbench timing, inout ports, memory writes from combinational logic, ...): E0200's counterpart";
    Internal = "E0399", "internal error in verify (please report it)";

    // W03xx: elaboration warnings (the design is accepted).
    Latch = "W0301", "a latch is inferred in combinational logic";
    Undriven = "W0302", "bits of a signal are never driven: they are free in formal, random in simulation";
    SharedTemp = "W0303", "a variable is set before use by several combinational blocks";
    NonblockingComb = "W0304", "a nonblocking assignment in combinational logic is treated as blocking";
    DelayIgnored = "W0305", "a run-length delay (`#...`) is ignored: the run length is --cycles or --depth";
    FinalIgnored = "W0306", "a `final` block is ignored";
    IndexOutOfRange = "W0307", "a constant index is outside the declared range";
    XzConstant = "W0308", "x/z digits in a constant are 0 in two-state semantics";
    XzCompare = "W0309", "a case equality with an x/z literal is always false";
    PortUnconnected = "W0310", "an input port is not connected: it is undriven (free in formal, random in simulation)";
    QueueBound = "W0311", "elements past the bound of a bounded queue are discarded (IEEE 1800 7.10.5)";
    InitialUnknown = "W0312", "an `initial` block sets a value that is not a constant (it reads an input or a variable with no initial value): the variable starts free in formal, seeded random in simulation";
}

impl Code {
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('W') {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One message about the user's design.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The stable code (`E0101`): what tests and users match on.
    pub code: Code,
    pub message: String,
    /// Where the problem is; [`Span::NONE`] for command-line problems.
    pub span: Span,
    /// Short text shown under the caret.
    pub label: String,
    /// Other places that explain the problem ("also driven here").
    pub secondary: Vec<(Span, String)>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with its code; an error or a warning as the code says.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            span,
            label: String::new(),
            secondary: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// An error (`code` must be an `E` code).
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        debug_assert_eq!(
            code.severity(),
            Severity::Error,
            "{code} is not an error code"
        );
        Diagnostic::new(code, span, message)
    }

    /// A warning (`code` must be a `W` code).
    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        debug_assert_eq!(
            code.severity(),
            Severity::Warning,
            "{code} is not a warning code"
        );
        Diagnostic::new(code, span, message)
    }

    /// A second location, rendered as a secondary label with `msg`
    /// (ignored when `span` is [`Span::NONE`]).
    pub fn with_secondary(mut self, span: Span, msg: impl Into<String>) -> Diagnostic {
        if span != Span::NONE {
            self.secondary.push((span, msg.into()));
        }
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Render as `error[E0101]: msg` + `--> file:line:col` + source line
    /// with caret, secondary labels at the other locations, and notes.
    /// `color`: ANSI escape sequences (the caller decides whether the
    /// terminal wants them); plain text otherwise.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        let mut cs = match self.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
        }
        .with_code(self.code.as_str())
        .with_message(&self.message)
        .with_notes(self.notes.clone());
        let mut labels = Vec::new();
        if sources.get(self.span.file).is_some() {
            labels.push(
                Label::primary(self.span.file.0 as usize, span_range(sources, self.span))
                    .with_message(&self.label),
            );
        }
        for (span, msg) in &self.secondary {
            if sources.get(span.file).is_some() {
                labels.push(
                    Label::secondary(span.file.0 as usize, span_range(sources, *span))
                        .with_message(msg),
                );
            }
        }
        cs = cs.with_labels(labels);
        let config = term::Config::default();
        let out = if color {
            let mut w = term::termcolor::Ansi::new(Vec::new());
            term::emit_to_write_style(&mut w, &config, &Files(sources), &cs)
                .map(|_| String::from_utf8_lossy(&w.into_inner()).into_owned())
        } else {
            let mut out = String::new();
            term::emit_to_string(&mut out, &config, &Files(sources), &cs).map(|_| out)
        };
        match out {
            Ok(out) => out,
            // Rendering can only fail on an inconsistent span; still say something useful.
            Err(_) => format!(
                "{}[{}]: {}: {}\n",
                self.severity_word(),
                self.code,
                sources.describe(self.span),
                self.message
            ),
        }
    }

    /// One line: `file:line:col: error[E0101]: message`.
    pub fn one_line(&self, sources: &SourceMap) -> String {
        format!(
            "{}: {}[{}]: {}",
            sources.describe(self.span),
            self.severity_word(),
            self.code,
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

/// At most this many errors are rendered; the rest are counted.
pub const MAX_RENDERED: usize = 20;

impl Error {
    /// Several independent errors as one (`diags` must not be empty).
    pub fn many(diags: Vec<Diagnostic>) -> Error {
        debug_assert!(!diags.is_empty());
        Error { diags }
    }

    /// A second location for the first error (see
    /// [`Diagnostic::with_secondary`]).
    pub fn with_secondary(mut self, span: Span, msg: impl Into<String>) -> Error {
        if let Some(d) = self.diags.pop() {
            let d = d.with_secondary(span, msg);
            self.diags.insert(0, d);
        }
        self
    }

    /// The code of the first error.
    pub fn code(&self) -> Option<Code> {
        self.diags.first().map(|d| d.code)
    }

    /// Every error rendered, up to [`MAX_RENDERED`], then a line saying how
    /// many more there were.
    pub fn render(&self, sources: &SourceMap, color: bool) -> String {
        let mut out: String = self
            .diags
            .iter()
            .take(MAX_RENDERED)
            .map(|d| d.render(sources, color))
            .collect();
        let n = self.diags.len();
        if n > MAX_RENDERED {
            out.push_str(&format!(
                "note: {} more error{} not shown ({n} in all)\n",
                n - MAX_RENDERED,
                if n - MAX_RENDERED == 1 { "" } else { "s" }
            ));
        }
        out
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn one_file(text: &str) -> (SourceMap, crate::source::FileId) {
        let mut sm = SourceMap::new();
        let f = sm.add(Path::new("t.sv"), "t.sv".into(), text.into());
        (sm, f)
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} used twice");
            assert_eq!(s.len(), 5, "{s}");
            assert!(s.starts_with('E') || s.starts_with('W'), "{s}");
            assert!(s[1..].chars().all(|c| c.is_ascii_digit()), "{s}");
            assert!(!c.meaning().is_empty());
        }
    }

    /// docs/diagnostics.md is the published table: it must list every code
    /// with the meaning given here.
    #[test]
    fn every_code_is_documented() {
        let doc = include_str!("../../docs/diagnostics.md");
        for c in Code::ALL {
            let row = format!("| {} | {} |", c.as_str(), c.meaning().replace('|', "\\|"));
            assert!(doc.contains(&row), "docs/diagnostics.md lacks `{row}`");
        }
    }

    #[test]
    fn render_shows_code_secondary_labels_and_honours_color() {
        let (sm, f) = one_file("module m;\n  assign q = a;\n  assign q = b;\nendmodule\n");
        let d = Diagnostic::error(
            Code::MultipleDrivers,
            Span::new(f, 35, 36),
            "multiple drivers for `q`",
        )
        .with_label("second driver")
        .with_secondary(Span::new(f, 19, 20), "also driven here");
        let plain = d.render(&sm, false);
        assert!(
            plain.starts_with("error[E0320]: multiple drivers"),
            "{plain}"
        );
        assert!(plain.contains("also driven here"), "{plain}");
        assert!(plain.contains("t.sv:3:10"), "{plain}");
        assert!(plain.contains("2 │   assign q = a;"), "{plain}");
        assert!(!plain.contains('\x1b'), "{plain}");
        let colored = d.render(&sm, true);
        assert!(colored.contains('\x1b'), "{colored}");
        assert!(colored.contains("E0320"), "{colored}");
        let w = Diagnostic::warning(Code::Latch, Span::new(f, 0, 6), "latch");
        assert!(w.render(&sm, false).starts_with("warning[W0301]: latch"));
    }

    /// Every diagnostic has a code, and it is in the rendered header.
    #[test]
    fn rendered_diagnostics_always_show_their_code() {
        let (sm, f) = one_file("x\n");
        for &c in Code::ALL {
            let d = Diagnostic::new(c, Span::new(f, 0, 1), "m");
            let word = if c.as_str().starts_with('E') {
                "error"
            } else {
                "warning"
            };
            let header = format!("{word}[{c}]: m");
            assert!(d.render(&sm, false).starts_with(&header), "{c}");
            assert!(
                d.render(&SourceMap::new(), false).starts_with(&header),
                "{c}"
            );
        }
    }

    #[test]
    fn many_errors_are_capped() {
        let (sm, f) = one_file("x\n");
        let diags: Vec<Diagnostic> = (0..MAX_RENDERED + 3)
            .map(|i| Diagnostic::error(Code::Syntax, Span::new(f, 0, 1), format!("e{i}")))
            .collect();
        let out = Error::many(diags).render(&sm, false);
        assert_eq!(out.matches("error[E0101]").count(), MAX_RENDERED, "{out}");
        assert!(out.contains("3 more errors not shown (23 in all)"), "{out}");
    }
}
