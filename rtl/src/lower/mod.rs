//! Lowering: sv-parser's concrete syntax tree → [`crate::ast`].
//!
//! One module per part of the grammar: `items` (source text, packages,
//! modules, module items and declarations), `ports`, `params`, `types`,
//! `instances` (instantiations, `bind`), `generate`, `subroutines`
//! (functions and tasks), `expr`
//! (expressions, numbers, lvalues), `stmt` (procedural statements, timing,
//! immediate assertions) and `sva` (concurrent assertions, properties,
//! sequences). Every construct not understood is an error naming the
//! construct and its location: nothing is dropped silently.

mod embedded;
pub mod expr;
mod gates;
mod generate;
mod instances;
pub mod items;
pub mod lets;
pub mod number;
mod params;
mod ports;
mod prec;
pub mod stmt;
mod subroutines;
pub mod sva;
pub mod types;

use crate::ast::{Ident, SourceUnit};
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::parse::{self, ParsedFile};
use crate::source::{SourceMap, Span};
use sv_parser::{Locate, RefNode, RefNodes, SyntaxTree};

/// Lowering context: the tree being read and the source map (which grows
/// as locations in included files are first met).
pub struct Cx<'a> {
    pub file: &'a ParsedFile,
    pub tree: &'a SyntaxTree,
    pub sources: &'a mut SourceMap,
    /// `let` declarations in scope (carried from file to file).
    pub lets: lets::LetTable,
    /// The `` `default_nettype `` in effect (carried from file to file).
    pub default_nettype: crate::ast::DefaultNettype,
    /// While lowering an expression whose embedded assignments run first
    /// (`lower::embedded`): the statements taken out so far.
    pub hoist: Option<Vec<crate::ast::Stmt>>,
}

impl<'a> Cx<'a> {
    pub fn new(file: &'a ParsedFile, sources: &'a mut SourceMap) -> Cx<'a> {
        Cx {
            file,
            tree: &file.tree,
            sources,
            lets: lets::LetTable::default(),
            default_nettype: crate::ast::DefaultNettype::Wire,
            hoist: None,
        }
    }

    /// Span of a single token.
    pub fn loc(&mut self, loc: &Locate) -> Span {
        parse::span_of(self.file, self.sources, loc)
    }

    /// Span from the first to the last token of any node (within one file).
    pub fn span<'b, T: Into<RefNodes<'b>>>(&mut self, node: T) -> Span {
        let nodes: RefNodes<'b> = node.into();
        let mut first: Option<Locate> = None;
        let mut last: Option<Locate> = None;
        for root in nodes.0 {
            for n in root {
                if let RefNode::Locate(l) = n {
                    if first.is_none() {
                        first = Some(*l);
                    }
                    last = Some(*l);
                }
            }
        }
        match (first, last) {
            (Some(f), Some(l)) => {
                let a = self.loc(&f);
                let b = self.loc(&l);
                a.to(b)
            }
            _ => Span::NONE,
        }
    }

    /// The source text of a token.
    pub fn text(&self, loc: &Locate) -> String {
        self.tree.get_str(loc).unwrap_or("").to_string()
    }

    /// The text of a node with white space and comments dropped.
    pub fn node_text<'b, T: Into<RefNodes<'b>>>(&self, node: T) -> String {
        let nodes: RefNodes<'b> = node.into();
        let mut out = String::new();
        for root in nodes.0 {
            for n in root {
                match n {
                    RefNode::Locate(l) => out.push_str(self.tree.get_str(l).unwrap_or("")),
                    RefNode::WhiteSpace(_) => {}
                    _ => {}
                }
            }
        }
        out
    }

    /// An identifier (simple or escaped; escaped names lose the backslash
    /// and the closing space).
    pub fn ident(&mut self, id: &sv_parser::Identifier) -> Ident {
        let loc = match id {
            sv_parser::Identifier::SimpleIdentifier(s) => &s.nodes.0,
            sv_parser::Identifier::EscapedIdentifier(e) => &e.nodes.0,
        };
        let mut name = self.text(loc);
        if let Some(rest) = name.strip_prefix('\\') {
            name = rest.trim_end().to_string();
        }
        Ident {
            name,
            span: self.loc(loc),
        }
    }

    /// "unsupported construct" error at a node.
    pub fn unsupported<'b, T: Into<RefNodes<'b>>>(&mut self, node: T, what: &str) -> Error {
        let span = self.span(node);
        Diagnostic::error(
            Code::Unsupported,
            span,
            format!("unsupported construct: {what}"),
        )
        .with_label("verify does not handle this yet")
        .into()
    }

    /// An error found while lowering: [`Code::Unsupported`] when the
    /// message says so, [`Code::Malformed`] otherwise.
    pub fn error(&mut self, span: Span, msg: impl Into<String>) -> Error {
        let msg = msg.into();
        let code = if msg.starts_with("unsupported construct") {
            Code::Unsupported
        } else {
            Code::Malformed
        };
        Diagnostic::error(code, span, msg).into()
    }
}

/// sv-parser cannot tell `pkg::x` from `Class::x`, nor a typedef name from
/// a class type, without knowing the names: a class type with no
/// parameters and no nesting is read as a plain (package-qualified) name.
/// verify has no classes, so nothing is lost.
pub(crate) fn plain_class_type(
    cx: &mut Cx,
    t: &sv_parser::ClassType,
) -> Option<(Option<Ident>, Ident)> {
    let (ps, params, nested) = &t.nodes;
    if params.is_some() || !nested.is_empty() {
        return None;
    }
    let (pkg, id) = &ps.nodes;
    let package = match pkg {
        None => None,
        Some(sv_parser::PackageScope::Package(p)) => Some(cx.ident(&p.nodes.0.nodes.0)),
        Some(_) => return None,
    };
    Some((package, cx.ident(&id.nodes.0)))
}

/// A class scope `name::` that is really a package scope.
pub(crate) fn class_scope_as_package(cx: &mut Cx, c: &sv_parser::ClassScope) -> Option<Ident> {
    match plain_class_type(cx, &c.nodes.0) {
        Some((None, name)) => Some(name),
        _ => None,
    }
}

/// Lower every parsed file into one [`SourceUnit`].
pub fn lower(files: &[ParsedFile], sources: &mut SourceMap) -> Result<SourceUnit> {
    let mut unit = SourceUnit::default();
    let mut lets = lets::LetTable::default();
    let mut nettype = crate::ast::DefaultNettype::Wire;
    // Files lower independently (names are resolved later, by
    // elaboration, which does not run after an error): report the first
    // error of each file.
    let mut errors = Vec::new();
    let mut failed = Vec::new();
    for f in files {
        if failed.contains(&f.file) {
            continue; // the other pieces of a file that failed
        }
        let mut cx = Cx::new(f, sources);
        cx.lets = lets;
        cx.default_nettype = nettype;
        if let Err(e) = items::lower_source_text(&mut cx, &mut unit) {
            failed.push(f.file);
            errors.extend(e.diags);
        }
        lets = std::mem::take(&mut cx.lets);
        nettype = std::mem::take(&mut cx.default_nettype);
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    Ok(unit)
}
