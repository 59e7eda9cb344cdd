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
        self.span_between(first, last)
    }

    /// The span of a node whose last children are `tail` (they hold its
    /// last token): equal to [`Cx::span`] of `node`, but only `tail` is
    /// walked to the end (the first token is found at once). `span` walks
    /// the whole subtree, and lowering asks for the spans of modules,
    /// blocks and statements nested in each other: on wb2axip's
    /// axilempty.sby, 6% of a `verify sby` run's instructions.
    pub fn span_ends<'b, T: Into<RefNodes<'b>>>(&mut self, node: T, tail: RefNodes<'b>) -> Span {
        let nodes: RefNodes<'b> = node.into();
        let first = nodes.0.into_iter().find_map(|root| {
            root.into_iter().find_map(|n| match n {
                RefNode::Locate(l) => Some(*l),
                _ => None,
            })
        });
        let mut last: Option<Locate> = None;
        for root in tail.0 {
            for n in root {
                if let RefNode::Locate(l) = n {
                    last = Some(*l);
                }
            }
        }
        self.span_between(first, last)
    }

    /// From the start of token `first` to the end of token `last`.
    fn span_between(&mut self, first: Option<Locate>, last: Option<Locate>) -> Span {
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

/// `a` then `b` as one list of nodes.
fn join<'b>(a: impl Into<RefNodes<'b>>, b: impl Into<RefNodes<'b>>) -> RefNodes<'b> {
    let mut v = a.into().0;
    v.extend(b.into().0);
    RefNodes(v)
}

/// The last children of a statement that hold its last token (for
/// [`Cx::span_ends`]): `end` of a block, the last branch of an `if`, the
/// body of `@(...)`; the whole item otherwise.
pub fn stmt_tail(s: &sv_parser::Statement) -> RefNodes<'_> {
    use sv_parser::StatementItem as I;
    match &s.nodes.2 {
        I::SeqBlock(b) => join(&b.nodes.4, &b.nodes.5),
        I::ConditionalStatement(c) => {
            let (_, _, _, then, elifs, els) = &c.nodes;
            match (els, elifs.last()) {
                (Some((_, e)), _) => stmt_or_null_tail(e),
                (None, Some(x)) => stmt_or_null_tail(&x.3),
                (None, None) => stmt_or_null_tail(then),
            }
        }
        I::ProceduralTimingControlStatement(p) => stmt_or_null_tail(&p.nodes.1),
        item => item.into(),
    }
}

/// [`stmt_tail`] of a statement or null statement.
pub fn stmt_or_null_tail(s: &sv_parser::StatementOrNull) -> RefNodes<'_> {
    match s {
        sv_parser::StatementOrNull::Statement(s) => stmt_tail(s),
        sv_parser::StatementOrNull::Attribute(a) => a.as_ref().into(),
    }
}

/// The last children of a generate block that hold its last token.
pub fn gen_block_tail(b: &sv_parser::GenerateBlock) -> RefNodes<'_> {
    match b {
        sv_parser::GenerateBlock::Multiple(m) => join(&m.nodes.4, &m.nodes.5),
        sv_parser::GenerateBlock::GenerateItem(g) => g.as_ref().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_files, ParseOptions};

    /// `span_ends` with each tail gives `span` exactly, for every module,
    /// statement, always block and generate construct of a file with
    /// labels, comments, `else if` chains, null statements, timing
    /// controls and generate blocks with and without `begin`.
    #[test]
    fn span_ends_equals_span() {
        let text = r#"
module m #(parameter N = 2) (input logic clk, input logic [3:0] a, output logic [3:0] q);
  logic [3:0] r; // comment
  always @(posedge clk) begin : blk
    if (a == 0) r <= 1;
    else if (a == 1) begin r <= 2; end // trailing
    else if (a == 2) ;
    else begin
      r <= r + 1;
    end : inner
  end : blk
  always_comb q = r;
  always @(posedge clk)
    if (a[0]) r <= 0; /* c */
  always_ff @(posedge clk) begin end
  generate
    if (N == 2) begin : g1
      always @(posedge clk) r <= a;
    end else if (N == 3)
      assign q = a;
    else begin
    end
    case (N)
      1: begin : c1 end
      default: assign q = r;
    endcase
    for (genvar i = 0; i < 2; i++) begin : gl
      if (i == 0) begin end
    end
  endgenerate
  initial begin
    r = 0;
    #1 r = 1;
    (* full *) ;
  end
endmodule : m // after
module n(a);
  input a;
  always @* begin : x
  end
endmodule
"#;
        let dir = std::env::temp_dir().join(format!("verify-span-ends-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.sv");
        std::fs::write(&path, text).unwrap();
        let opts = ParseOptions {
            files: vec![path],
            ..Default::default()
        };
        let (files, mut sources) = crate::parse::on_big_stack(move || {
            let mut sources = SourceMap::new();
            let f = parse_files(&opts, &mut sources).map_err(|e| format!("{e:?}"));
            (f, sources)
        });
        let files = files.unwrap();
        let mut checked = [0usize; 6];
        for f in &files {
            let mut cx = Cx::new(f, &mut sources);
            for node in &f.tree {
                let (i, whole, ends) = match node {
                    RefNode::Statement(s) => (0, cx.span(s), cx.span_ends(s, stmt_tail(s))),
                    RefNode::StatementOrNull(s) => {
                        (1, cx.span(s), cx.span_ends(s, stmt_or_null_tail(s)))
                    }
                    RefNode::GenerateBlock(b) => {
                        (2, cx.span(b), cx.span_ends(b, gen_block_tail(b)))
                    }
                    RefNode::IfGenerateConstruct(x) => {
                        let tail = match &x.nodes.3 {
                            Some((_, b)) => gen_block_tail(b),
                            None => gen_block_tail(&x.nodes.2),
                        };
                        (3, cx.span(x), cx.span_ends(x, tail))
                    }
                    RefNode::AlwaysConstruct(a) => {
                        (4, cx.span(a), cx.span_ends(a, stmt_tail(&a.nodes.1)))
                    }
                    RefNode::ModuleDeclarationAnsi(m) => {
                        (5, cx.span(m), cx.span_ends(m, join(&m.nodes.3, &m.nodes.4)))
                    }
                    RefNode::ModuleDeclarationNonansi(m) => {
                        (5, cx.span(m), cx.span_ends(m, join(&m.nodes.3, &m.nodes.4)))
                    }
                    RefNode::CaseGenerateConstruct(x) => {
                        (3, cx.span(x), cx.span_ends(x, (&x.nodes.3).into()))
                    }
                    _ => continue,
                };
                assert_ne!(whole, Span::NONE);
                assert_eq!(whole, ends, "kind {i}");
                checked[i] += 1;
            }
        }
        // Every kind was met (several statements, blocks and generates).
        assert!(checked.iter().all(|&n| n > 0), "{checked:?}");
        assert!(checked[0] >= 10, "{checked:?}");
    }
}
