//! Source files and locations.
//!
//! Every location in the AST and the IR is a [`Span`] into an *original*
//! source file (never into sv-parser's preprocessed text), so diagnostics and
//! reports point at what the user wrote.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileId(pub u32);

/// A byte range in an original source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// A span that points nowhere (synthesised nodes, command-line values).
    pub const NONE: Span = Span {
        file: FileId(u32::MAX),
        start: 0,
        end: 0,
    };

    pub fn new(file: FileId, start: u32, end: u32) -> Span {
        Span { file, start, end }
    }

    pub fn is_none(&self) -> bool {
        self.file.0 == u32::MAX
    }

    /// The smallest span covering both (if they are in the same file).
    pub fn to(self, other: Span) -> Span {
        if self.is_none() {
            return other;
        }
        if other.is_none() || other.file != self.file {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A resolved location: file path, 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// One loaded source file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The name shown to users (the path as given on the command line).
    pub name: String,
    pub text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(path: PathBuf, name: String, text: String) -> SourceFile {
        let mut line_starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        SourceFile {
            path,
            name,
            text,
            line_starts,
        }
    }

    /// 1-based (line, column) of a byte offset; columns count characters.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(self.text.len() as u32);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        };
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).max(start);
        let col = self
            .text
            .get(start..end)
            .map(|s| s.chars().count())
            .unwrap_or(end - start);
        (line as u32 + 1, col as u32 + 1)
    }
}

/// All files read for one design, in the order they were read.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Paths as callers spelled them, to the file they name: a span lookup
    /// per sv-parser node would otherwise canonicalize (readlink per path
    /// component) thousands of times a run.
    aliases: std::collections::HashMap<PathBuf, FileId>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Add a file (or return the id it already has).
    pub fn add(&mut self, path: &Path, name: String, text: String) -> FileId {
        if let Some(i) = self.files.iter().position(|f| f.path == path) {
            return FileId(i as u32);
        }
        self.files
            .push(SourceFile::new(path.to_path_buf(), name, text));
        FileId(self.files.len() as u32 - 1)
    }

    /// The file `path` (as a caller spelled it) was recorded for.
    pub fn find_alias(&self, path: &Path) -> Option<FileId> {
        self.aliases.get(path).copied()
    }

    /// Record that `path`, as a caller spells it, names `id`.
    pub fn add_alias(&mut self, path: &Path, id: FileId) {
        self.aliases.insert(path.to_path_buf(), id);
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The user-facing location of a span's start, if it has one.
    pub fn location(&self, span: Span) -> Option<Location> {
        let f = self.get(span.file)?;
        let (line, col) = f.line_col(span.start);
        Some(Location {
            file: f.name.clone(),
            line,
            col,
        })
    }

    /// `file:line:col`, or `<unknown>` for synthesised spans.
    pub fn describe(&self, span: Span) -> String {
        self.location(span)
            .map(|l| l.to_string())
            .unwrap_or_else(|| "<command line>".to_string())
    }

    /// Source text covered by a span.
    pub fn snippet(&self, span: Span) -> Option<&str> {
        let f = self.get(span.file)?;
        f.text.get(span.start as usize..span.end as usize)
    }
}
