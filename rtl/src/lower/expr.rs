//! Lowering of expressions, numbers and assignment targets.
//!
//! sv-parser has two parallel expression grammars (`Expression` and
//! `ConstantExpression`, with their own primaries and selects); both lower
//! to the one [`Expr`]. Selects are shared through the [`Lower`] trait.

use super::number::parse_number;
use super::{types, Cx};
use crate::ast::*;
use crate::diag::Result;
use crate::source::Span;
use sv_parser as sv;

/// Anything that lowers to an [`Expr`]: lets select and list helpers work
/// on both the constant and the non-constant grammar.
pub(crate) trait Lower {
    fn lower(&self, cx: &mut Cx) -> Result<Expr>;
}

impl Lower for sv::Expression {
    fn lower(&self, cx: &mut Cx) -> Result<Expr> {
        lower_expr(cx, self)
    }
}

impl Lower for sv::ConstantExpression {
    fn lower(&self, cx: &mut Cx) -> Result<Expr> {
        lower_const_expr(cx, self)
    }
}

fn bx(e: Expr) -> Box<Expr> {
    Box::new(e)
}

pub fn lower_expr(cx: &mut Cx, e: &sv::Expression) -> Result<Expr> {
    match e {
        sv::Expression::Primary(p) => lower_primary(cx, p),
        sv::Expression::Unary(u) => {
            let (op, _, p) = &u.nodes;
            let arg = lower_primary(cx, p)?;
            unary(cx, op, arg)
        }
        // Chains are re-associated by precedence (sv-parser does not).
        sv::Expression::Binary(_)
        | sv::Expression::ConditionalExpression(_)
        | sv::Expression::InsideExpression(_) => super::prec::lower_chain(cx, e),
        sv::Expression::IncOrDecExpression(x) => super::embedded::embedded_inc_dec(cx, x),
        sv::Expression::OperatorAssignment(x) => super::embedded::embedded_assign(cx, x),
        sv::Expression::TaggedUnionExpression(x) => {
            Err(cx.unsupported(&**x, "tagged union expression"))
        }
    }
}

pub fn lower_const_expr(cx: &mut Cx, e: &sv::ConstantExpression) -> Result<Expr> {
    match e {
        sv::ConstantExpression::ConstantPrimary(p) => lower_const_primary(cx, p),
        sv::ConstantExpression::Unary(u) => {
            let (op, _, p) = &u.nodes;
            let arg = lower_const_primary(cx, p)?;
            unary(cx, op, arg)
        }
        sv::ConstantExpression::Binary(_)
        | sv::ConstantExpression::Ternary(_)
        | sv::ConstantExpression::Inside(_) => super::prec::lower_const_chain(cx, e),
    }
}

/// `(min:typ:max)`: only the single-expression form.
pub fn lower_mintypmax(cx: &mut Cx, e: &sv::MintypmaxExpression) -> Result<Expr> {
    match e {
        sv::MintypmaxExpression::Expression(e) => lower_expr(cx, e),
        sv::MintypmaxExpression::Ternary(t) => Err(cx.unsupported(&**t, "min:typ:max expression")),
    }
}

pub fn lower_const_mintypmax(cx: &mut Cx, e: &sv::ConstantMintypmaxExpression) -> Result<Expr> {
    match e {
        sv::ConstantMintypmaxExpression::Unary(e) => lower_const_expr(cx, e),
        sv::ConstantMintypmaxExpression::Ternary(t) => {
            Err(cx.unsupported(&**t, "min:typ:max expression"))
        }
    }
}

fn cond_predicate(cx: &mut Cx, p: &sv::CondPredicate) -> Result<Expr> {
    let list = &p.nodes.0;
    if !list.nodes.1.is_empty() {
        return Err(cx.unsupported(p, "`&&&` in a condition"));
    }
    match &list.nodes.0 {
        sv::ExpressionOrCondPattern::Expression(e) => lower_expr(cx, e),
        sv::ExpressionOrCondPattern::CondPattern(c) => {
            Err(cx.unsupported(&**c, "`matches` pattern"))
        }
    }
}

/// Condition of `if (...)`, also used by statements.
pub(crate) fn lower_cond_predicate(cx: &mut Cx, p: &sv::CondPredicate) -> Result<Expr> {
    cond_predicate(cx, p)
}

pub(crate) fn open_range_list(cx: &mut Cx, l: &sv::OpenRangeList) -> Result<Vec<InsideItem>> {
    let mut out = Vec::new();
    for v in l.nodes.0.contents() {
        out.push(value_range(cx, &v.nodes.0)?);
    }
    Ok(out)
}

fn value_range(cx: &mut Cx, v: &sv::ValueRange) -> Result<InsideItem> {
    Ok(match v {
        sv::ValueRange::Expression(e) => InsideItem::Value(lower_expr(cx, e)?),
        sv::ValueRange::Binary(b) => {
            let (lo, _, hi) = &b.nodes.0.nodes.1;
            InsideItem::Range(lower_expr(cx, lo)?, lower_expr(cx, hi)?)
        }
    })
}

// ------------------------------------------------------------------ operators

fn unary(cx: &mut Cx, op: &sv::UnaryOperator, arg: Expr) -> Result<Expr> {
    let sym = &op.nodes.0.nodes.0;
    let text = cx.text(sym);
    let op_span = cx.loc(sym);
    let op = match text.as_str() {
        "+" => UnaryOp::Plus,
        "-" => UnaryOp::Minus,
        "!" => UnaryOp::LogNot,
        "~" => UnaryOp::BitNot,
        "&" => UnaryOp::RedAnd,
        "~&" => UnaryOp::RedNand,
        "|" => UnaryOp::RedOr,
        "~|" => UnaryOp::RedNor,
        "^" => UnaryOp::RedXor,
        "~^" | "^~" => UnaryOp::RedXnor,
        other => return Err(cx.unsupported(op, &format!("unary operator `{other}`"))),
    };
    let span = op_span.to(arg.span);
    Ok(Expr {
        kind: ExprKind::Unary(op, bx(arg)),
        span,
    })
}

/// The [`BinaryOp`] written as `text`, if it is one.
pub fn binary_op(text: &str) -> Option<BinaryOp> {
    use BinaryOp::*;
    Some(match text {
        "+" => Add,
        "-" => Sub,
        "*" => Mul,
        "/" => Div,
        "%" => Mod,
        "**" => Pow,
        "&" => BitAnd,
        "|" => BitOr,
        "^" => BitXor,
        "^~" | "~^" => BitXnor,
        "&&" => LogAnd,
        "||" => LogOr,
        "->" => LogImpl,
        "<->" => LogEquiv,
        "==" => Eq,
        "!=" => Ne,
        "===" => CaseEq,
        "!==" => CaseNe,
        "==?" => WildEq,
        "!=?" => WildNe,
        "<" => Lt,
        "<=" => Le,
        ">" => Gt,
        ">=" => Ge,
        "<<" => Shl,
        ">>" => Shr,
        "<<<" => AShl,
        ">>>" => AShr,
        _ => return None,
    })
}

// ------------------------------------------------------------------ primaries

fn lower_primary(cx: &mut Cx, p: &sv::Primary) -> Result<Expr> {
    let e = lower_primary_node(cx, p)?;
    super::lets::expand(cx, e)
}

fn lower_primary_node(cx: &mut Cx, p: &sv::Primary) -> Result<Expr> {
    match p {
        sv::Primary::PrimaryLiteral(l) => literal(cx, l),
        sv::Primary::Hierarchical(h) => {
            let (scope, hid, sel) = &h.nodes;
            let package = match scope {
                None => None,
                Some(sv::ClassQualifierOrPackageScope::PackageScope(ps)) => {
                    Some(package_scope(cx, ps))
                }
                Some(sv::ClassQualifierOrPackageScope::ClassQualifier(c)) => match &c.nodes {
                    // sv-parser matches an empty qualifier before plain names.
                    (None, None) => None,
                    (None, Some(sv::ImplicitClassHandleOrClassScope::ClassScope(cs))) => {
                        match super::class_scope_as_package(cx, cs) {
                            Some(p) => Some(p),
                            None => return Err(cx.unsupported(&**c, "class scope")),
                        }
                    }
                    _ => return Err(cx.unsupported(&**c, "class scope")),
                },
            };
            let base = hier_ident(cx, package, hid)?;
            select(cx, base, sel)
        }
        sv::Primary::EmptyUnpackedArrayConcatenation(x) => Ok(Expr {
            kind: ExprKind::Concat(Vec::new()),
            span: cx.span(&**x),
        }),
        sv::Primary::Concatenation(c) => {
            let (cat, range) = &c.nodes;
            let base = concat(cx, cat)?;
            match range {
                None => Ok(base),
                Some(b) => range_select(cx, base, b),
            }
        }
        sv::Primary::MultipleConcatenation(c) => {
            let (mc, range) = &c.nodes;
            let (count, cat) = &mc.nodes.0.nodes.1;
            let count = lower_expr(cx, count)?;
            let items = concat_items(cx, cat)?;
            let span = cx.span(mc);
            let base = Expr {
                kind: ExprKind::Repl(bx(count), items),
                span,
            };
            match range {
                None => Ok(base),
                Some(b) => range_select(cx, base, b),
            }
        }
        sv::Primary::FunctionSubroutineCall(f) => function_call(cx, f),
        sv::Primary::LetExpression(x) => let_call(cx, x),
        sv::Primary::MintypmaxExpression(m) => {
            let paren = &m.nodes.0;
            let mut e = lower_mintypmax(cx, &paren.nodes.1)?;
            // The parenthesised expression covers its parentheses.
            let open = cx.loc(&paren.nodes.0.nodes.0);
            let close = cx.loc(&paren.nodes.2.nodes.0);
            e.span = open.to(close);
            Ok(e)
        }
        sv::Primary::Cast(c) => {
            let (ty, _, arg) = &c.nodes;
            let arg_e = lower_expr(cx, &arg.nodes.1)?;
            let close = cx.loc(&arg.nodes.2.nodes.0);
            cast(cx, ty, arg_e, close)
        }
        sv::Primary::AssignmentPatternExpression(a) => assignment_pattern(cx, a),
        sv::Primary::StreamingConcatenation(x) => streaming(cx, x),
        sv::Primary::SequenceMethodCall(x) => Err(cx.unsupported(&**x, "sequence method call")),
        sv::Primary::This(x) => Err(cx.unsupported(&**x, "`this`")),
        sv::Primary::Dollar(x) => Ok(Expr {
            kind: ExprKind::Dollar,
            span: cx.span(&**x),
        }),
        sv::Primary::Null(x) => Err(cx.unsupported(&**x, "`null`")),
    }
}

pub(crate) fn lower_const_primary(cx: &mut Cx, p: &sv::ConstantPrimary) -> Result<Expr> {
    match p {
        sv::ConstantPrimary::PrimaryLiteral(l) => literal(cx, l),
        sv::ConstantPrimary::PsParameter(x) => {
            let (pid, sel) = &x.nodes;
            let base = ps_parameter(cx, pid)?;
            const_select(cx, base, sel)
        }
        sv::ConstantPrimary::Specparam(x) => Err(cx.unsupported(&**x, "specparam")),
        sv::ConstantPrimary::GenvarIdentifier(g) => {
            let id = cx.ident(&g.nodes.0);
            Ok(ident_expr(None, id))
        }
        sv::ConstantPrimary::FormalPort(x) => {
            let (fid, sel) = &x.nodes;
            let id = cx.ident(&fid.nodes.0);
            const_select(cx, ident_expr(None, id), sel)
        }
        sv::ConstantPrimary::Enum(x) => {
            let (scope, eid) = &x.nodes;
            let package = package_or_class_scope(cx, scope)?;
            let id = cx.ident(&eid.nodes.0);
            Ok(ident_expr(Some(package), id))
        }
        sv::ConstantPrimary::Concatenation(c) => {
            let (cat, range) = &c.nodes;
            let base = const_concat(cx, cat)?;
            match range {
                None => Ok(base),
                Some(b) => const_range_select(cx, base, b),
            }
        }
        sv::ConstantPrimary::MultipleConcatenation(c) => {
            let (mc, range) = &c.nodes;
            let (count, cat) = &mc.nodes.0.nodes.1;
            let count = lower_const_expr(cx, count)?;
            let items = list_of(cx, &cat.nodes.0.nodes.1)?;
            let span = cx.span(mc);
            let base = Expr {
                kind: ExprKind::Repl(bx(count), items),
                span,
            };
            match range {
                None => Ok(base),
                Some(b) => const_range_select(cx, base, b),
            }
        }
        sv::ConstantPrimary::ConstantFunctionCall(f) => function_call(cx, &f.nodes.0),
        sv::ConstantPrimary::ConstantLetExpression(x) => {
            Err(cx.unsupported(&**x, "let expression"))
        }
        sv::ConstantPrimary::MintypmaxExpression(m) => {
            let paren = &m.nodes.0;
            let mut e = lower_const_mintypmax(cx, &paren.nodes.1)?;
            let open = cx.loc(&paren.nodes.0.nodes.0);
            let close = cx.loc(&paren.nodes.2.nodes.0);
            e.span = open.to(close);
            Ok(e)
        }
        sv::ConstantPrimary::ConstantCast(c) => {
            let (ty, _, arg) = &c.nodes;
            let arg_e = lower_const_expr(cx, &arg.nodes.1)?;
            let close = cx.loc(&arg.nodes.2.nodes.0);
            cast(cx, ty, arg_e, close)
        }
        sv::ConstantPrimary::ConstantAssignmentPatternExpression(a) => {
            assignment_pattern(cx, &a.nodes.0)
        }
        sv::ConstantPrimary::TypeReference(x) => Err(cx.unsupported(&**x, "`type(...)`")),
        sv::ConstantPrimary::Null(x) => Err(cx.unsupported(&**x, "`null`")),
        sv::ConstantPrimary::Dollar(x) => Ok(Expr {
            kind: ExprKind::Dollar,
            span: cx.span(&**x),
        }),
    }
}

fn literal(cx: &mut Cx, l: &sv::PrimaryLiteral) -> Result<Expr> {
    match l {
        sv::PrimaryLiteral::Number(n) => lower_number(cx, n),
        sv::PrimaryLiteral::TimeLiteral(t) => Err(cx.unsupported(&**t, "time literal")),
        sv::PrimaryLiteral::UnbasedUnsizedLiteral(u) => {
            let loc = &u.nodes.0.nodes.0;
            let text = cx.text(loc);
            let span = cx.loc(loc);
            let v = match text.as_str() {
                "'0" => UnbasedUnsized::Zero,
                "'1" => UnbasedUnsized::One,
                "'x" | "'X" => UnbasedUnsized::X,
                "'z" | "'Z" => UnbasedUnsized::Z,
                _ => return Err(cx.unsupported(&**u, "unbased literal")),
            };
            Ok(Expr {
                kind: ExprKind::Unbased(v),
                span,
            })
        }
        sv::PrimaryLiteral::StringLiteral(s) => {
            let loc = &s.nodes.0;
            let text = cx.text(loc);
            let span = cx.loc(loc);
            Ok(Expr {
                kind: ExprKind::String(unescape_string(&text)),
                span,
            })
        }
    }
}

/// The contents of a string literal (quotes removed, escapes resolved).
pub fn unescape_string(text: &str) -> String {
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('v') => out.push('\x0b'),
            Some('f') => out.push('\x0c'),
            Some('a') => out.push('\x07'),
            Some('\n') => {} // line continuation
            Some('x') => {
                let mut v = 0u32;
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            v = v * 16 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('?'));
            }
            Some(d @ '0'..='7') => {
                let mut v = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('?'));
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Integer literal: the text of its tokens, parsed by [`parse_number`].
pub fn lower_number(cx: &mut Cx, n: &sv::Number) -> Result<Expr> {
    let span = cx.span(n);
    let int = match n {
        sv::Number::IntegralNumber(i) => i,
        sv::Number::RealNumber(r) => {
            let text: String = cx
                .node_text(&**r)
                .chars()
                .filter(|c| *c != '_' && !c.is_whitespace())
                .collect();
            return match text.parse::<f64>() {
                Ok(v) => Ok(Expr {
                    kind: ExprKind::Real(v),
                    span,
                }),
                Err(_) => Err(cx.error(span, format!("malformed real number `{text}`"))),
            };
        }
    };
    let mut locs: Vec<&sv::Locate> = Vec::new();
    match &**int {
        sv::IntegralNumber::DecimalNumber(d) => match &**d {
            sv::DecimalNumber::UnsignedNumber(u) => locs.push(&u.nodes.0),
            sv::DecimalNumber::BaseUnsigned(b) => {
                locs.extend(size_loc(&b.nodes.0));
                locs.push(&b.nodes.1.nodes.0);
                locs.push(&b.nodes.2.nodes.0);
            }
            sv::DecimalNumber::BaseXNumber(b) => {
                locs.extend(size_loc(&b.nodes.0));
                locs.push(&b.nodes.1.nodes.0);
                locs.push(&b.nodes.2.nodes.0);
            }
            sv::DecimalNumber::BaseZNumber(b) => {
                locs.extend(size_loc(&b.nodes.0));
                locs.push(&b.nodes.1.nodes.0);
                locs.push(&b.nodes.2.nodes.0);
            }
        },
        sv::IntegralNumber::BinaryNumber(b) => {
            locs.extend(size_loc(&b.nodes.0));
            locs.push(&b.nodes.1.nodes.0);
            locs.push(&b.nodes.2.nodes.0);
        }
        sv::IntegralNumber::OctalNumber(b) => {
            locs.extend(size_loc(&b.nodes.0));
            locs.push(&b.nodes.1.nodes.0);
            locs.push(&b.nodes.2.nodes.0);
        }
        sv::IntegralNumber::HexNumber(b) => {
            locs.extend(size_loc(&b.nodes.0));
            locs.push(&b.nodes.1.nodes.0);
            locs.push(&b.nodes.2.nodes.0);
        }
    }
    let text: String = locs.iter().map(|l| cx.text(l)).collect();
    match parse_number(&text) {
        Ok(num) => Ok(Expr {
            kind: ExprKind::Number(num),
            span,
        }),
        Err(msg) => Err(cx.error(span, msg)),
    }
}

fn size_loc(s: &Option<sv::Size>) -> Option<&sv::Locate> {
    s.as_ref().map(|s| &s.nodes.0.nodes.0)
}

// ------------------------------------------------------------------ names

fn ident_expr(package: Option<Ident>, name: Ident) -> Expr {
    let span = match &package {
        Some(p) => p.span.to(name.span),
        None => name.span,
    };
    Expr {
        kind: ExprKind::Ident(ScopedName { package, name }),
        span,
    }
}

pub(crate) fn package_scope(cx: &mut Cx, ps: &sv::PackageScope) -> Ident {
    match ps {
        sv::PackageScope::Package(p) => cx.ident(&p.nodes.0.nodes.0),
        sv::PackageScope::Unit(u) => Ident {
            name: "$unit".to_string(),
            span: cx.loc(&u.nodes.0.nodes.0),
        },
    }
}

fn package_or_class_scope(cx: &mut Cx, s: &sv::PackageScopeOrClassScope) -> Result<Ident> {
    match s {
        sv::PackageScopeOrClassScope::PackageScope(p) => Ok(package_scope(cx, p)),
        sv::PackageScopeOrClassScope::ClassScope(c) => match super::class_scope_as_package(cx, c) {
            Some(p) => Ok(p),
            None => Err(cx.unsupported(&**c, "class scope")),
        },
    }
}

/// `P`, `pkg::P`, or `blk[0].P` (a parameter inside a generate block).
fn ps_parameter(cx: &mut Cx, p: &sv::PsParameterIdentifier) -> Result<Expr> {
    match p {
        sv::PsParameterIdentifier::Scope(s) => {
            let (scope, id) = &s.nodes;
            let package = match scope {
                Some(sc) => Some(package_or_class_scope(cx, sc)?),
                None => None,
            };
            let id = cx.ident(&id.nodes.0);
            Ok(ident_expr(package, id))
        }
        sv::PsParameterIdentifier::Generate(g) => {
            let (path, id) = &g.nodes;
            let mut base: Option<Expr> = None;
            for (blk, index, _) in path {
                let b = cx.ident(&blk.nodes.0);
                let mut e = match base {
                    None => ident_expr(None, b),
                    Some(prev) => member(prev, b),
                };
                if let Some(ix) = index {
                    let i = lower_const_expr(cx, &ix.nodes.1)?;
                    let close = cx.loc(&ix.nodes.2.nodes.0);
                    e = index_expr(e, i, close);
                }
                base = Some(e);
            }
            let id = cx.ident(&id.nodes.0);
            Ok(match base {
                None => ident_expr(None, id),
                Some(prev) => member(prev, id),
            })
        }
    }
}

fn member(base: Expr, name: Ident) -> Expr {
    let span = base.span.to(name.span);
    Expr {
        kind: ExprKind::Member(bx(base), name),
        span,
    }
}

fn index_expr(base: Expr, index: Expr, close: Span) -> Expr {
    let span = base.span.to(close);
    Expr {
        kind: ExprKind::Index(bx(base), bx(index)),
        span,
    }
}

/// A hierarchical identifier on its own (`@clk`, `#DELAY`).
pub(crate) fn hier_ident_expr(cx: &mut Cx, h: &sv::HierarchicalIdentifier) -> Result<Expr> {
    hier_ident(cx, None, h)
}

/// `a`, `a.b`, `a[0].b` as written in a hierarchical identifier.
fn hier_ident(cx: &mut Cx, package: Option<Ident>, h: &sv::HierarchicalIdentifier) -> Result<Expr> {
    let (root, path, last) = &h.nodes;
    if let Some(r) = root {
        return Err(cx.unsupported(r, "`$root` reference"));
    }
    let mut base: Option<Expr> = None;
    let mut package = package;
    for (id, bits, _) in path {
        let id = cx.ident(id);
        let e = match base {
            None => ident_expr(package.take(), id),
            Some(prev) => member(prev, id),
        };
        base = Some(bit_selects(cx, e, &bits.nodes.0)?);
    }
    let id = cx.ident(last);
    Ok(match base {
        None => ident_expr(package, id),
        Some(prev) => member(prev, id),
    })
}

// ------------------------------------------------------------------ selects

fn bit_selects<E: Lower>(cx: &mut Cx, mut base: Expr, bits: &[sv::Bracket<E>]) -> Result<Expr> {
    for b in bits {
        let i = b.nodes.1.lower(cx)?;
        let close = cx.loc(&b.nodes.2.nodes.0);
        base = index_expr(base, i, close);
    }
    Ok(base)
}

fn range_expr(base: Expr, msb: Expr, lsb: Expr, close: Span) -> Expr {
    let span = base.span.to(close);
    Expr {
        kind: ExprKind::Range(bx(base), bx(msb), bx(lsb)),
        span,
    }
}

fn indexed_range(
    cx: &mut Cx,
    base: Expr,
    start: Expr,
    op: &sv::Symbol,
    width: Expr,
    close: Span,
) -> Result<Expr> {
    let up = match cx.text(&op.nodes.0).as_str() {
        "+:" => true,
        "-:" => false,
        other => return Err(cx.unsupported(op, &format!("part select `{other}`"))),
    };
    let span = base.span.to(close);
    Ok(Expr {
        kind: ExprKind::IndexedRange {
            base: bx(base),
            start: bx(start),
            up,
            width: bx(width),
        },
        span,
    })
}

fn part_select(cx: &mut Cx, base: Expr, p: &sv::Bracket<sv::PartSelectRange>) -> Result<Expr> {
    let close = cx.loc(&p.nodes.2.nodes.0);
    match &p.nodes.1 {
        sv::PartSelectRange::ConstantRange(r) => {
            let (m, _, l) = &r.nodes;
            let m = lower_const_expr(cx, m)?;
            let l = lower_const_expr(cx, l)?;
            Ok(range_expr(base, m, l, close))
        }
        sv::PartSelectRange::IndexedRange(r) => {
            let (s, op, w) = &r.nodes;
            let s = lower_expr(cx, s)?;
            let w = lower_const_expr(cx, w)?;
            indexed_range(cx, base, s, op, w, close)
        }
    }
}

fn const_part_select(
    cx: &mut Cx,
    base: Expr,
    p: &sv::ConstantPartSelectRange,
    close: Span,
) -> Result<Expr> {
    match p {
        sv::ConstantPartSelectRange::ConstantRange(r) => {
            let (m, _, l) = &r.nodes;
            let m = lower_const_expr(cx, m)?;
            let l = lower_const_expr(cx, l)?;
            Ok(range_expr(base, m, l, close))
        }
        sv::ConstantPartSelectRange::ConstantIndexedRange(r) => {
            let (s, op, w) = &r.nodes;
            let s = lower_const_expr(cx, s)?;
            let w = lower_const_expr(cx, w)?;
            indexed_range(cx, base, s, op, w, close)
        }
    }
}

/// Select after a concatenation: `{a, b}[3:0]`.
fn range_select(cx: &mut Cx, base: Expr, b: &sv::Bracket<sv::RangeExpression>) -> Result<Expr> {
    let close = cx.loc(&b.nodes.2.nodes.0);
    match &b.nodes.1 {
        sv::RangeExpression::Expression(e) => {
            let i = lower_expr(cx, e)?;
            Ok(index_expr(base, i, close))
        }
        sv::RangeExpression::PartSelectRange(p) => match &**p {
            sv::PartSelectRange::ConstantRange(r) => {
                let (m, _, l) = &r.nodes;
                let m = lower_const_expr(cx, m)?;
                let l = lower_const_expr(cx, l)?;
                Ok(range_expr(base, m, l, close))
            }
            sv::PartSelectRange::IndexedRange(r) => {
                let (s, op, w) = &r.nodes;
                let s = lower_expr(cx, s)?;
                let w = lower_const_expr(cx, w)?;
                indexed_range(cx, base, s, op, w, close)
            }
        },
    }
}

fn const_range_select(
    cx: &mut Cx,
    base: Expr,
    b: &sv::Bracket<sv::ConstantRangeExpression>,
) -> Result<Expr> {
    let close = cx.loc(&b.nodes.2.nodes.0);
    match &b.nodes.1 {
        sv::ConstantRangeExpression::ConstantExpression(e) => {
            let i = lower_const_expr(cx, e)?;
            Ok(index_expr(base, i, close))
        }
        sv::ConstantRangeExpression::ConstantPartSelectRange(p) => {
            const_part_select(cx, base, p, close)
        }
    }
}

/// `.m1[i].m2 [j][k] [hi:lo]` after a name.
fn select(cx: &mut Cx, base: Expr, s: &sv::Select) -> Result<Expr> {
    let (members, bits, part) = &s.nodes;
    let mut e = base;
    if let Some((path, _, last)) = members {
        for (_, m, b) in path {
            let id = cx.ident(&m.nodes.0);
            e = member(e, id);
            e = bit_selects(cx, e, &b.nodes.0)?;
        }
        let id = cx.ident(&last.nodes.0);
        e = member(e, id);
    }
    e = bit_selects(cx, e, &bits.nodes.0)?;
    if let Some(p) = part {
        e = part_select(cx, e, p)?;
    }
    Ok(e)
}

fn const_select(cx: &mut Cx, base: Expr, s: &sv::ConstantSelect) -> Result<Expr> {
    let (members, bits, part) = &s.nodes;
    let mut e = base;
    if let Some((path, _, last)) = members {
        for (_, m, b) in path {
            let id = cx.ident(&m.nodes.0);
            e = member(e, id);
            e = bit_selects(cx, e, &b.nodes.0)?;
        }
        let id = cx.ident(&last.nodes.0);
        e = member(e, id);
    }
    e = bit_selects(cx, e, &bits.nodes.0)?;
    if let Some(p) = part {
        let close = cx.loc(&p.nodes.2.nodes.0);
        e = const_part_select(cx, e, &p.nodes.1, close)?;
    }
    Ok(e)
}

// ------------------------------------------------------------------ concatenation

fn list_of<E: Lower>(cx: &mut Cx, l: &sv::List<sv::Symbol, E>) -> Result<Vec<Expr>> {
    let mut out = Vec::new();
    for e in l.contents() {
        out.push(e.lower(cx)?);
    }
    Ok(out)
}

fn concat_items(cx: &mut Cx, c: &sv::Concatenation) -> Result<Vec<Expr>> {
    list_of(cx, &c.nodes.0.nodes.1)
}

fn concat(cx: &mut Cx, c: &sv::Concatenation) -> Result<Expr> {
    let items = concat_items(cx, c)?;
    let span = brace_span(cx, &c.nodes.0);
    Ok(Expr {
        kind: ExprKind::Concat(items),
        span,
    })
}

fn const_concat(cx: &mut Cx, c: &sv::ConstantConcatenation) -> Result<Expr> {
    let items = list_of(cx, &c.nodes.0.nodes.1)?;
    let span = brace_span(cx, &c.nodes.0);
    Ok(Expr {
        kind: ExprKind::Concat(items),
        span,
    })
}

fn brace_span<T>(cx: &mut Cx, b: &sv::Brace<T>) -> Span {
    let open = cx.loc(&b.nodes.0.nodes.0);
    let close = cx.loc(&b.nodes.2.nodes.0);
    open.to(close)
}

// ------------------------------------------------------------------ calls

/// Arguments in order; named arguments and empty positions are refused
/// (`f()` has none).
fn arguments(cx: &mut Cx, args: &Option<sv::Paren<sv::ListOfArguments>>) -> Result<Vec<Expr>> {
    let Some(p) = args else {
        return Ok(Vec::new());
    };
    match &p.nodes.1 {
        sv::ListOfArguments::Ordered(o) => {
            let (list, named) = &o.nodes;
            if !named.is_empty() {
                return Err(cx.unsupported(&**o, "named arguments"));
            }
            optional_args(cx, list, &p.nodes.1)
        }
        sv::ListOfArguments::Named(n) => Err(cx.unsupported(&**n, "named arguments")),
    }
}

/// Positional then named arguments, when there are named ones.
#[allow(clippy::type_complexity)]
fn named_arguments(
    cx: &mut Cx,
    args: &Option<sv::Paren<sv::ListOfArguments>>,
) -> Result<Option<(Vec<Expr>, Vec<(Ident, Option<Expr>)>)>> {
    let Some(p) = args else {
        return Ok(None);
    };
    let (positional, first, rest) = match &p.nodes.1 {
        sv::ListOfArguments::Ordered(o) => {
            let (list, named) = &o.nodes;
            if named.is_empty() {
                return Ok(None);
            }
            (optional_args(cx, list, &**o)?, None, named)
        }
        sv::ListOfArguments::Named(n) => {
            let (_, id, e, rest) = &n.nodes;
            (Vec::new(), Some((id, e)), rest)
        }
    };
    let mut named = Vec::new();
    for (id, e) in first
        .into_iter()
        .chain(rest.iter().map(|(_, _, id, e)| (id, e)))
    {
        let name = cx.ident(id);
        let val = match &e.nodes.1 {
            Some(e) => Some(lower_expr(cx, e)?),
            None => None,
        };
        named.push((name, val));
    }
    Ok(Some((positional, named)))
}

/// The tasks that print their arguments, where an empty argument
/// (`$display(a,,b)`) prints one space (21.2.1.1).
fn is_display_task(name: &str) -> bool {
    matches!(
        name,
        "$display"
            | "$displayb"
            | "$displayh"
            | "$displayo"
            | "$write"
            | "$writeb"
            | "$writeh"
            | "$writeo"
            | "$strobe"
            | "$monitor"
            | "$info"
            | "$warning"
            | "$error"
    )
}

/// Arguments of a display task: an empty position is the string " ".
fn display_arguments(
    cx: &mut Cx,
    args: &Option<sv::Paren<sv::ListOfArguments>>,
) -> Result<Vec<Expr>> {
    let Some(p) = args else {
        return Ok(Vec::new());
    };
    let sv::ListOfArguments::Ordered(o) = &p.nodes.1 else {
        return arguments(cx, args);
    };
    let (list, named) = &o.nodes;
    if !named.is_empty() {
        return arguments(cx, args);
    }
    let span = cx.span(&p.nodes.1);
    display_list(cx, list, span)
}

fn display_list(
    cx: &mut Cx,
    list: &sv::List<sv::Symbol, Option<sv::Expression>>,
    span: Span,
) -> Result<Vec<Expr>> {
    let items = list.contents();
    if items.len() == 1 && items[0].is_none() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for a in items {
        out.push(match a {
            Some(e) => lower_expr(cx, e)?,
            None => Expr {
                kind: ExprKind::String(" ".into()),
                span,
            },
        });
    }
    Ok(out)
}

fn optional_args<'b, N>(
    cx: &mut Cx,
    list: &sv::List<sv::Symbol, Option<sv::Expression>>,
    whole: N,
) -> Result<Vec<Expr>>
where
    N: Into<sv::RefNodes<'b>>,
{
    let items = list.contents();
    if items.len() == 1 && items[0].is_none() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for a in items {
        match a {
            Some(e) => out.push(lower_expr(cx, e)?),
            None => return Err(cx.unsupported(whole, "empty argument")),
        }
    }
    Ok(out)
}

/// The name of a task or function: `f` or `pkg::f`.
pub(crate) fn tf_name(cx: &mut Cx, n: &sv::PsOrHierarchicalTfIdentifier) -> Result<ScopedName> {
    match n {
        sv::PsOrHierarchicalTfIdentifier::PackageScope(p) => {
            let (scope, id) = &p.nodes;
            let package = match scope {
                None => None,
                Some(sv::ImplicitClassHandleOrClassScopeOrPackageScope::PackageScope(ps)) => {
                    Some(package_scope(cx, ps))
                }
                // `pkg::f(x)` where the parser could not tell a package from a class.
                Some(sv::ImplicitClassHandleOrClassScopeOrPackageScope::ClassScope(cs)) => {
                    match super::class_scope_as_package(cx, cs) {
                        Some(p) => Some(p),
                        None => return Err(cx.unsupported(&**cs, "class method call")),
                    }
                }
                Some(other) => return Err(cx.unsupported(other, "class method call")),
            };
            let name = cx.ident(&id.nodes.0);
            Ok(ScopedName { package, name })
        }
        sv::PsOrHierarchicalTfIdentifier::HierarchicalTfIdentifier(h) => {
            let (root, path, last) = &h.nodes.0.nodes;
            if root.is_some() || !path.is_empty() {
                return Err(cx.unsupported(&**h, "hierarchical task or function call"));
            }
            let name = cx.ident(last);
            Ok(ScopedName {
                package: None,
                name,
            })
        }
    }
}

/// A call in an expression or a statement.
pub(crate) enum Call {
    User(ScopedName, Vec<Expr>),
    System(String, Vec<Expr>),
    /// `root.name(args)`: a built-in method (enum methods today).
    Method(Expr, Ident, Vec<Expr>),
}

pub(crate) fn subroutine_call(cx: &mut Cx, c: &sv::SubroutineCall) -> Result<Call> {
    match c {
        sv::SubroutineCall::TfCall(t) => {
            let (name, _, args) = &t.nodes;
            let name = tf_name(cx, name)?;
            if let Some(named) = named_arguments(cx, args)? {
                // Named arguments (`op(.x(a), .y(b))`): ordered by the
                // formals of a `let`; a function's are not read yet.
                let (positional, named) = named;
                let span = cx.span(t.as_ref());
                return match super::lets::order_arguments(cx, &name, positional, named, span)? {
                    Some(args) => Ok(Call::User(name, args)),
                    None => {
                        Err(cx
                            .unsupported(t.as_ref(), "named arguments in a function or task call"))
                    }
                };
            }
            let args = arguments(cx, args)?;
            Ok(Call::User(name, args))
        }
        sv::SubroutineCall::SystemTfCall(s) => system_call(cx, s),
        sv::SubroutineCall::MethodCall(m) => {
            let (root, _, body) = &m.nodes;
            let sv::MethodCallRoot::Primary(p) = root else {
                return Err(cx.unsupported(&**m, "method call on `this`/`super`"));
            };
            // sv-parser reads `x.next()` as a user method or, with no
            // type information, as an array manipulation method: one call.
            let (name, attrs, args) = match body {
                sv::MethodCallBody::User(u) => (&u.nodes.0, &u.nodes.1, &u.nodes.2),
                sv::MethodCallBody::BuiltInMethodCall(b) => match &**b {
                    sv::BuiltInMethodCall::ArrayManipulationCall(a) => {
                        let (name, attrs, args, with) = &a.nodes;
                        if let (Some((_, w)), sv::ArrayMethodName::MethodIdentifier(n)) =
                            (with, name)
                        {
                            // `q.find with (item > 2)`: the method's name
                            // gets ` with` and the condition is its last
                            // argument (elaboration reads it per element).
                            if !attrs.is_empty() {
                                return Err(cx.unsupported(&**m, "attributes on a method call"));
                            }
                            let root = lower_primary(cx, p)?;
                            let mut name = cx.ident(&n.nodes.0);
                            name.name.push_str(" with");
                            let mut args = arguments(cx, args)?;
                            args.push(lower_expr(cx, &w.nodes.1)?);
                            return Ok(Call::Method(root, name, args));
                        }
                        if with.is_some() {
                            return Err(cx.unsupported(&**a, "array method call with `with`"));
                        }
                        let kw = match name {
                            sv::ArrayMethodName::MethodIdentifier(_) => None,
                            sv::ArrayMethodName::Unique(k) => Some(("unique", &**k)),
                            sv::ArrayMethodName::And(k) => Some(("and", &**k)),
                            sv::ArrayMethodName::Or(k) => Some(("or", &**k)),
                            sv::ArrayMethodName::Xor(k) => Some(("xor", &**k)),
                        };
                        if let Some((word, k)) = kw {
                            // `a.and()`, `q.unique()`: keywords as method names.
                            if !attrs.is_empty() {
                                return Err(cx.unsupported(&**m, "attributes on a method call"));
                            }
                            let root = lower_primary(cx, p)?;
                            let name = Ident {
                                name: word.to_string(),
                                span: cx.span(k),
                            };
                            let args = arguments(cx, args)?;
                            return Ok(Call::Method(root, name, args));
                        }
                        let sv::ArrayMethodName::MethodIdentifier(name) = name else {
                            return Err(cx.unsupported(&**a, "array method"));
                        };
                        (&**name, attrs, args)
                    }
                    sv::BuiltInMethodCall::RandomizeCall(r) => {
                        return Err(cx.unsupported(&**r, "randomize()"))
                    }
                },
            };
            if !attrs.is_empty() {
                return Err(cx.unsupported(&**m, "attributes on a method call"));
            }
            let root = lower_primary(cx, p)?;
            let name = cx.ident(&name.nodes.0);
            let args = arguments(cx, args)?;
            Ok(Call::Method(root, name, args))
        }
        sv::SubroutineCall::Randomize(r) => Err(cx.unsupported(&**r, "randomize")),
    }
}

fn system_call(cx: &mut Cx, s: &sv::SystemTfCall) -> Result<Call> {
    match s {
        sv::SystemTfCall::ArgOptionl(a) => {
            let (id, args) = &a.nodes;
            let name = cx.text(&id.nodes.0);
            let args = if is_display_task(&name) {
                display_arguments(cx, args)?
            } else {
                arguments(cx, args)?
            };
            Ok(Call::System(name, args))
        }
        sv::SystemTfCall::ArgDataType(a) => {
            let (id, paren) = &a.nodes;
            let name = cx.text(&id.nodes.0);
            let (ty, rest) = &paren.nodes.1;
            let ty_span = cx.span(ty);
            let ty = types::lower_data_type(cx, ty)?;
            let mut args = vec![Expr {
                kind: ExprKind::Type(Box::new(ty)),
                span: ty_span,
            }];
            if let Some((_, e)) = rest {
                args.push(lower_expr(cx, e)?);
            }
            Ok(Call::System(name, args))
        }
        sv::SystemTfCall::ArgExpression(a) => {
            let (id, paren) = &a.nodes;
            let name = cx.text(&id.nodes.0);
            let (list, clock) = &paren.nodes.1;
            if let Some(c) = clock {
                return Err(cx.unsupported(&c.0, "clocking event argument"));
            }
            let args = if is_display_task(&name) {
                let span = cx.span(&**a);
                display_list(cx, list, span)?
            } else {
                optional_args(cx, list, &**a)?
            };
            Ok(Call::System(name, args))
        }
    }
}

fn function_call(cx: &mut Cx, c: &sv::FunctionSubroutineCall) -> Result<Expr> {
    let span = cx.span(c);
    let kind = match subroutine_call(cx, &c.nodes.0)? {
        Call::User(name, args) => ExprKind::Call(name, args),
        Call::System(name, args) => ExprKind::SysCall(name, args),
        Call::Method(root, name, args) => ExprKind::Method(bx(root), name, args),
    };
    Ok(Expr { kind, span })
}

// ------------------------------------------------------------------ casts and patterns

fn simple_type(cx: &mut Cx, t: &sv::SimpleType) -> Result<DataType> {
    let span = cx.span(t);
    let kind = match t {
        sv::SimpleType::IntegerType(i) => match &**i {
            sv::IntegerType::IntegerVectorType(v) => vector_type(v),
            sv::IntegerType::IntegerAtomType(a) => atom_type(cx, a)?,
        },
        sv::SimpleType::NonIntegerType(x) => super::types::non_integer_kind(x),
        sv::SimpleType::PsTypeIdentifier(p) => TypeKind::Named(ps_type(cx, p)?),
        sv::SimpleType::PsParameterIdentifier(p) => match ps_parameter(cx, p)?.kind {
            ExprKind::Ident(n) => TypeKind::Named(n),
            _ => return Err(cx.unsupported(&**p, "type inside a generate block")),
        },
    };
    Ok(DataType {
        kind,
        signed: None,
        packed: Vec::new(),
        span,
    })
}

fn vector_type(v: &sv::IntegerVectorType) -> TypeKind {
    match v {
        sv::IntegerVectorType::Bit(_) => TypeKind::Bit,
        sv::IntegerVectorType::Logic(_) => TypeKind::Logic,
        sv::IntegerVectorType::Reg(_) => TypeKind::Reg,
    }
}

fn atom_type(cx: &mut Cx, a: &sv::IntegerAtomType) -> Result<TypeKind> {
    Ok(match a {
        sv::IntegerAtomType::Byte(_) => TypeKind::Byte,
        sv::IntegerAtomType::Shortint(_) => TypeKind::ShortInt,
        sv::IntegerAtomType::Int(_) => TypeKind::Int,
        sv::IntegerAtomType::Longint(_) => TypeKind::LongInt,
        sv::IntegerAtomType::Integer(_) => TypeKind::Integer,
        sv::IntegerAtomType::Time(k) => return Err(cx.unsupported(&**k, "`time` type")),
    })
}

fn ps_type(cx: &mut Cx, p: &sv::PsTypeIdentifier) -> Result<ScopedName> {
    let (scope, id) = &p.nodes;
    let package = match scope {
        None => None,
        Some(sv::LocalOrPackageScopeOrClassScope::PackageScope(ps)) => Some(package_scope(cx, ps)),
        Some(sv::LocalOrPackageScopeOrClassScope::ClassScope(cs)) => {
            match super::class_scope_as_package(cx, cs) {
                Some(p) => Some(p),
                None => return Err(cx.unsupported(&**cs, "class scope")),
            }
        }
        Some(other) => return Err(cx.unsupported(other, "class or local scope")),
    };
    let name = cx.ident(&id.nodes.0);
    Ok(ScopedName { package, name })
}

/// `T'(x)`. A bare name before `'` is syntactically a type name to
/// sv-parser even when it names a parameter (`W'(x)`): it comes out as
/// `CastKind::Type(Named)` and the elaborator decides which it is.
fn cast(cx: &mut Cx, ty: &sv::CastingType, arg: Expr, close: Span) -> Result<Expr> {
    let start = cx.span(ty);
    let kind = match ty {
        sv::CastingType::SimpleType(t) => {
            let dt = simple_type(cx, t)?;
            CastKind::Type(dt)
        }
        sv::CastingType::ConstantPrimary(p) => CastKind::Width(bx(lower_const_primary(cx, p)?)),
        sv::CastingType::Signing(s) => match &**s {
            sv::Signing::Signed(_) => CastKind::Signed,
            sv::Signing::Unsigned(_) => CastKind::Unsigned,
        },
        sv::CastingType::String(k) => CastKind::Type(DataType {
            kind: TypeKind::String,
            signed: None,
            packed: Vec::new(),
            span: cx.span(&**k),
        }),
        sv::CastingType::Const(k) => return Err(cx.unsupported(&**k, "const cast")),
    };
    Ok(Expr {
        kind: ExprKind::Cast(kind, bx(arg)),
        span: start.to(close),
    })
}

fn count_node(r: &sv::AssignmentPatternRepeat) -> &sv::ConstantExpression {
    &r.nodes.0.nodes.1 .0
}

fn pattern_key(cx: &mut Cx, k: &sv::AssignmentPatternKey) -> Result<PatternKey> {
    match k {
        sv::AssignmentPatternKey::Default(_) => Ok(PatternKey::Default),
        sv::AssignmentPatternKey::SimpleType(t) => {
            Err(cx.unsupported(&**t, "type key in an assignment pattern"))
        }
    }
}

/// `'{...}` and `T'{...}`. A `'{name: v}` key is a struct member to
/// sv-parser whenever it is a plain name (it may also be an index parameter:
/// the elaborator decides); other keys are array indices.
fn assignment_pattern(cx: &mut Cx, a: &sv::AssignmentPatternExpression) -> Result<Expr> {
    let (ty, pat) = &a.nodes;
    let span = cx.span(a);
    let mut entries = Vec::new();
    match pat {
        sv::AssignmentPattern::List(l) => {
            for e in l.nodes.0.nodes.1.contents() {
                entries.push((PatternKey::Positional, lower_expr(cx, e)?));
            }
        }
        sv::AssignmentPattern::Structure(s) => {
            for (k, _, e) in s.nodes.0.nodes.1.contents() {
                let key = match k {
                    sv::StructurePatternKey::MemberIdentifier(m) => {
                        PatternKey::Member(cx.ident(&m.nodes.0))
                    }
                    sv::StructurePatternKey::AssignmentPatternKey(k) => pattern_key(cx, k)?,
                };
                entries.push((key, lower_expr(cx, e)?));
            }
        }
        sv::AssignmentPattern::Array(s) => {
            for (k, _, e) in s.nodes.0.nodes.1.contents() {
                let key = match k {
                    sv::ArrayPatternKey::ConstantExpression(c) => {
                        PatternKey::Index(lower_const_expr(cx, c)?)
                    }
                    sv::ArrayPatternKey::AssignmentPatternKey(k) => pattern_key(cx, k)?,
                };
                entries.push((key, lower_expr(cx, e)?));
            }
        }
        // `'{3{a, b}}`: the items repeated, positionally. The count must be
        // a literal here (the pattern's shape is fixed before elaboration).
        sv::AssignmentPattern::Repeat(r) => {
            let (count, items) = &r.nodes.0.nodes.1;
            let n = lower_const_expr(cx, count)?;
            let count = match &n.kind {
                ExprKind::Number(num) if num.xz == num_bigint::BigUint::default() => {
                    u64::try_from(&num.value)
                        .ok()
                        .filter(|&c| c > 0 && c <= 1 << 16)
                }
                _ => None,
            };
            let Some(count) = count else {
                return Err(cx.unsupported(
                    count_node(r),
                    "replication count in an assignment pattern that is not a positive literal",
                ));
            };
            let mut one = Vec::new();
            for e in items.nodes.1.contents() {
                one.push(lower_expr(cx, e)?);
            }
            for _ in 0..count {
                for e in &one {
                    entries.push((PatternKey::Positional, e.clone()));
                }
            }
        }
    }
    let pattern = Expr {
        kind: ExprKind::Pattern(entries),
        span,
    };
    let Some(ty) = ty else {
        return Ok(pattern);
    };
    let ty_span = cx.span(ty);
    let kind = match ty {
        sv::AssignmentPatternExpressionType::PsTypeIdentifier(p) => {
            TypeKind::Named(ps_type(cx, p)?)
        }
        sv::AssignmentPatternExpressionType::PsParameterIdentifier(p) => {
            match ps_parameter(cx, p)?.kind {
                ExprKind::Ident(n) => TypeKind::Named(n),
                _ => return Err(cx.unsupported(&**p, "type inside a generate block")),
            }
        }
        sv::AssignmentPatternExpressionType::IntegerAtomType(a) => atom_type(cx, a)?,
        sv::AssignmentPatternExpressionType::TypeReference(t) => {
            return Err(cx.unsupported(&**t, "`type(...)`"))
        }
    };
    let dt = DataType {
        kind,
        signed: None,
        packed: Vec::new(),
        span: ty_span,
    };
    Ok(Expr {
        kind: ExprKind::Cast(CastKind::Type(dt), bx(pattern)),
        span,
    })
}

// ------------------------------------------------------------------ lvalues

/// `new[size]` / `new[size](init)` of a dynamic array.
pub(crate) fn dynamic_array_new(cx: &mut Cx, n: &sv::DynamicArrayNew) -> Result<Expr> {
    let span = cx.span(n);
    let (_, size, init) = &n.nodes;
    let size = lower_expr(cx, &size.nodes.1)?;
    let init = match init {
        Some(p) => Some(bx(lower_expr(cx, &p.nodes.1)?)),
        None => None,
    };
    Ok(Expr {
        kind: ExprKind::New {
            size: bx(size),
            init,
        },
        span,
    })
}

/// Procedural assignment target (`a`, `a[3:0]`, `{a, b}`, `s.f[i]`).
pub fn lower_variable_lvalue(cx: &mut Cx, e: &sv::VariableLvalue) -> Result<Expr> {
    match e {
        sv::VariableLvalue::Identifier(v) => {
            let (scope, hid, sel) = &v.nodes;
            let package = match scope {
                None => None,
                Some(sv::ImplicitClassHandleOrPackageScope::PackageScope(ps)) => {
                    Some(package_scope(cx, ps))
                }
                Some(other) => return Err(cx.unsupported(other, "class handle")),
            };
            let base = hier_ident(cx, package, &hid.nodes.0)?;
            select(cx, base, sel)
        }
        sv::VariableLvalue::Lvalue(l) => {
            let mut items = Vec::new();
            for x in l.nodes.0.nodes.1.contents() {
                items.push(lower_variable_lvalue(cx, x)?);
            }
            let span = brace_span(cx, &l.nodes.0);
            Ok(Expr {
                kind: ExprKind::Concat(items),
                span,
            })
        }
        sv::VariableLvalue::Pattern(p) => {
            Err(cx.unsupported(&**p, "assignment pattern as a target"))
        }
        sv::VariableLvalue::StreamingConcatenation(s) => {
            Err(cx.unsupported(&**s, "streaming concatenation"))
        }
    }
}

/// `{<< 8 {a, b}}` as a value (11.4.14).
fn streaming(cx: &mut Cx, x: &sv::StreamingConcatenation) -> Result<Expr> {
    let span = cx.span(x);
    let (op, size, list) = &x.nodes.0.nodes.1;
    let left = cx.text(&op.nodes.0.nodes.0) == "<<";
    let slice = match size {
        None => None,
        Some(sv::SliceSize::ConstantExpression(c)) => Some(bx(lower_const_expr(cx, c)?)),
        Some(sv::SliceSize::SimpleType(t)) => {
            let ty = simple_type(cx, t)?;
            let span = ty.span;
            Some(bx(Expr {
                kind: ExprKind::Type(Box::new(ty)),
                span,
            }))
        }
    };
    let mut items = Vec::new();
    for item in list.nodes.0.nodes.1.contents() {
        let (e, with) = &item.nodes;
        if let Some((kw, _)) = with {
            return Err(cx.unsupported(kw, "`with` in a streaming concatenation"));
        }
        items.push(lower_expr(cx, e)?);
    }
    Ok(Expr {
        kind: ExprKind::Stream { left, slice, items },
        span,
    })
}

/// Continuous assignment target.
pub fn lower_net_lvalue(cx: &mut Cx, e: &sv::NetLvalue) -> Result<Expr> {
    match e {
        sv::NetLvalue::Identifier(n) => {
            let (id, sel) = &n.nodes;
            let base = match id {
                sv::PsOrHierarchicalNetIdentifier::PackageScope(p) => {
                    let (scope, nid) = &p.nodes;
                    let package = scope.as_ref().map(|s| package_scope(cx, s));
                    let name = cx.ident(&nid.nodes.0);
                    ident_expr(package, name)
                }
                sv::PsOrHierarchicalNetIdentifier::HierarchicalNetIdentifier(h) => {
                    hier_ident(cx, None, &h.nodes.0)?
                }
            };
            const_select(cx, base, sel)
        }
        sv::NetLvalue::Lvalue(l) => {
            let mut items = Vec::new();
            for x in l.nodes.0.nodes.1.contents() {
                items.push(lower_net_lvalue(cx, x)?);
            }
            let span = brace_span(cx, &l.nodes.0);
            Ok(Expr {
                kind: ExprKind::Concat(items),
                span,
            })
        }
        sv::NetLvalue::Pattern(p) => Err(cx.unsupported(&**p, "assignment pattern as a target")),
    }
}

/// `p::f(a, b)` read as a `let` use (sv-parser gives most uses as
/// function calls; `lets::expand` replaces either form).
fn let_call(cx: &mut Cx, x: &sv::LetExpression) -> Result<Expr> {
    let (scope, id, args) = &x.nodes;
    let span = cx.span(x);
    let package = scope.as_ref().map(|ps| package_scope(cx, ps));
    let name = ScopedName {
        package,
        name: cx.ident(&id.nodes.0),
    };
    let mut out = Vec::new();
    if let Some(p) = args {
        match &p.nodes.1 {
            None => {}
            Some(sv::LetListOfArguments::Ordered(o)) if o.nodes.1.is_empty() => {
                for a in o.nodes.0.contents() {
                    match a {
                        Some(a) => out.push(lower_expr(cx, &a.nodes.0)?),
                        None => return Err(cx.unsupported(x, "empty `let` argument")),
                    }
                }
            }
            Some(other) => return Err(cx.unsupported(other, "named `let` arguments")),
        }
    }
    Ok(Expr {
        kind: ExprKind::Call(name, out),
        span,
    })
}
