//! Lowering of concurrent assertions, properties and sequences.
//!
//! sv-parser parses sequence and property expressions as a PEG without
//! operator precedence (binary operators come right-recursive, prefix
//! operators such as `not` and a leading `##n` swallow everything to their
//! right). As for ordinary expressions (see `prec`), each unparenthesised
//! chain is flattened back into source order and parsed again by
//! precedence climbing with the levels of IEEE 1800-2017 Table 16-3.
//! Parenthesised sub-expressions, `first_match(...)`, `strong(...)` and
//! instances are primaries and keep their grouping.

use super::expr::{hier_ident_expr, lower_const_expr, lower_const_primary, lower_expr, tf_name};
use super::items::lower_clocking_event;
use super::stmt::lower_stmt_or_null;
use super::Cx;
use crate::ast::*;
use crate::diag::Result;
use crate::source::Span;
use num_bigint::BigUint;
use sv_parser as sv;

// ------------------------------------------------------------ assertions

pub fn lower_concurrent_assertion(
    cx: &mut Cx,
    a: &sv::ConcurrentAssertionItem,
) -> Result<ConcurrentAssertion> {
    match a {
        sv::ConcurrentAssertionItem::Statement(s) => {
            let (label, stmt) = &s.nodes;
            let mut ca = lower_concurrent_assertion_statement(cx, stmt)?;
            if let Some((id, _)) = label {
                ca.label = Some(cx.ident(&id.nodes.0));
            }
            ca.span = cx.span(s.as_ref());
            Ok(ca)
        }
        sv::ConcurrentAssertionItem::CheckerInstantiation(c) => {
            Err(cx.unsupported(c.as_ref(), "checker instantiation"))
        }
    }
}

pub fn lower_concurrent_assertion_statement(
    cx: &mut Cx,
    a: &sv::ConcurrentAssertionStatement,
) -> Result<ConcurrentAssertion> {
    use sv::ConcurrentAssertionStatement as S;
    let span = cx.span(a);
    let (kind, spec) = match a {
        S::AssertPropertyStatement(x) => {
            action_block(cx, &x.nodes.3)?;
            (AssertKind::Assert, lower_spec(cx, &x.nodes.2.nodes.1)?)
        }
        S::AssumePropertyStatement(x) => {
            action_block(cx, &x.nodes.3)?;
            (AssertKind::Assume, lower_spec(cx, &x.nodes.2.nodes.1)?)
        }
        S::CoverPropertyStatement(x) => {
            action(cx, &x.nodes.3)?;
            (AssertKind::Cover, lower_spec(cx, &x.nodes.2.nodes.1)?)
        }
        S::CoverSequenceStatement(x) => {
            action(cx, &x.nodes.3)?;
            let (clock, disable, seq) = &x.nodes.2.nodes.1;
            let pspan = cx.span(&x.nodes.2);
            let clock = match clock {
                Some(c) => Some(lower_clocking_event(cx, c)?),
                None => None,
            };
            let disable_iff = match disable {
                Some((_, _, e)) => Some(expr_or_dist(cx, &e.nodes.1)?),
                None => None,
            };
            let body = lower_seq(cx, seq)?;
            (
                AssertKind::Cover,
                PropSpec {
                    clock,
                    disable_iff,
                    body,
                    span: pspan,
                },
            )
        }
        // `restrict property` constrains formal verification and is not
        // checked in simulation (16.14.4). verify's simulator generates
        // its own stimulus, so a restriction is an assumption for both
        // engines: a random run that violates it is dropped (as for
        // `assume`), never reported as a failure formal would rule out.
        S::RestrictPropertyStatement(x) => {
            (AssertKind::Assume, lower_spec(cx, &x.nodes.2.nodes.1)?)
        }
    };
    Ok(ConcurrentAssertion {
        label: None,
        kind,
        spec,
        span,
    })
}

/// `expect (spec) action` (16.17): an assertion of one attempt, from the
/// statement's place in an `initial` block (see `Elaborator::initial`).
pub fn lower_expect(cx: &mut Cx, x: &sv::ExpectPropertyStatement) -> Result<ConcurrentAssertion> {
    action_block(cx, &x.nodes.2)?;
    Ok(ConcurrentAssertion {
        label: None,
        kind: AssertKind::Assert,
        spec: lower_spec(cx, &x.nodes.1.nodes.1)?,
        span: cx.span(x),
    })
}

/// Action blocks of concurrent assertions: verify reports every failure
/// itself, so only reporting system tasks (`$error(...)`, `$display`...)
/// are accepted and dropped; an action with side effects (an assignment,
/// a task call) would change the design and is refused.
fn action_block(cx: &mut Cx, a: &sv::ActionBlock) -> Result<()> {
    match a {
        sv::ActionBlock::StatementOrNull(s) => action(cx, s),
        sv::ActionBlock::Else(e) => {
            let (pass, _, fail) = &e.nodes;
            if let Some(p) = pass {
                let st = super::stmt::lower_stmt(cx, p)?;
                check_action(cx, &st)?;
            }
            action(cx, fail)
        }
    }
}

fn action(cx: &mut Cx, s: &sv::StatementOrNull) -> Result<()> {
    let st = lower_stmt_or_null(cx, s)?;
    check_action(cx, &st)
}

fn check_action(cx: &mut Cx, s: &Stmt) -> Result<()> {
    match s {
        Stmt::Null(_) => Ok(()),
        Stmt::Block { stmts, decls, .. } if decls.is_empty() => {
            stmts.iter().try_for_each(|s| check_action(cx, s))
        }
        Stmt::SysTask { name, .. }
            if matches!(
                name.as_str(),
                "$error" | "$fatal" | "$warning" | "$info" | "$display" | "$write"
            ) =>
        {
            Ok(())
        }
        other => Err(cx.error(
            other.span(),
            "unsupported construct: action block of a concurrent assertion with side effects (only `$error`, `$fatal`, `$warning`, `$info`, `$display` are accepted)",
        )),
    }
}

fn lower_spec(cx: &mut Cx, s: &sv::PropertySpec) -> Result<PropSpec> {
    let (clock, disable, body) = &s.nodes;
    let span = cx.span(s);
    let clock = match clock {
        Some(c) => Some(lower_clocking_event(cx, c)?),
        None => None,
    };
    let disable_iff = match disable {
        Some((_, _, e)) => Some(expr_or_dist(cx, &e.nodes.1)?),
        None => None,
    };
    let body = lower_prop(cx, body)?;
    Ok(PropSpec {
        clock,
        disable_iff,
        body,
        span,
    })
}

fn expr_or_dist(cx: &mut Cx, e: &sv::ExpressionOrDist) -> Result<Expr> {
    let (x, dist) = &e.nodes;
    if let Some((k, _)) = dist {
        return Err(cx.unsupported(k, "`dist`"));
    }
    lower_expr(cx, x)
}

// ------------------------------------------------------------ declarations

pub fn lower_property_decl(cx: &mut Cx, d: &sv::PropertyDeclaration) -> Result<PropertyDecl> {
    let (_, name, ports, _, vars, spec, _, _, _) = &d.nodes;
    let locals = local_vars(cx, vars)?;
    let name = cx.ident(&name.nodes.0);
    let mut args = Vec::new();
    if let Some(p) = ports {
        if let Some(list) = &p.nodes.1 {
            for item in list.nodes.0.contents() {
                let (_, local, _, id, dims, default) = &item.nodes;
                if let Some((k, _)) = local {
                    return Err(cx.unsupported(k, "`local` formal argument"));
                }
                if let Some(d) = dims.first() {
                    return Err(cx.unsupported(d, "unpacked formal argument"));
                }
                let default = match default {
                    Some((_, a)) => Some(property_actual(cx, a)?),
                    None => None,
                };
                args.push(SvaFormal {
                    name: cx.ident(&id.nodes.0),
                    default,
                    span: cx.span(item),
                });
            }
        }
    }
    let spec = lower_spec(cx, spec)?;
    Ok(PropertyDecl {
        name,
        args,
        locals,
        spec,
        span: cx.span(d),
    })
}

pub fn lower_sequence_decl(cx: &mut Cx, d: &sv::SequenceDeclaration) -> Result<SequenceDecl> {
    let (_, name, ports, _, vars, body, _, _, _) = &d.nodes;
    let locals = local_vars(cx, vars)?;
    let name = cx.ident(&name.nodes.0);
    let mut args = Vec::new();
    if let Some(p) = ports {
        if let Some(list) = &p.nodes.1 {
            for item in list.nodes.0.contents() {
                let (_, local, _, id, dims, default) = &item.nodes;
                if let Some((k, _)) = local {
                    return Err(cx.unsupported(k, "`local` formal argument"));
                }
                if let Some(d) = dims.first() {
                    return Err(cx.unsupported(d, "unpacked formal argument"));
                }
                let default = match default {
                    Some((_, a)) => Some(sequence_actual(cx, a)?),
                    None => None,
                };
                args.push(SvaFormal {
                    name: cx.ident(&id.nodes.0),
                    default,
                    span: cx.span(item),
                });
            }
        }
    }
    let span = cx.span(d);
    let body = lower_seq(cx, body)?;
    let bspan = cx.span(&d.nodes.5);
    Ok(SequenceDecl {
        name,
        args,
        locals,
        spec: PropSpec {
            clock: None,
            disable_iff: None,
            body,
            span: bspan,
        },
        span,
    })
}

/// `int x;` / `logic [7:0] d = 0;` in a sequence or property declaration.
fn local_vars(cx: &mut Cx, vars: &[sv::AssertionVariableDeclaration]) -> Result<Vec<LocalVar>> {
    let mut out = Vec::new();
    for v in vars {
        let (ty, list, _) = &v.nodes;
        let ty = match ty {
            sv::VarDataType::DataType(dt) => super::types::lower_data_type(cx, dt)?,
            sv::VarDataType::Var(x) => {
                return Err(cx.unsupported(x.as_ref(), "`var` local variable type"))
            }
        };
        for a in list.nodes.0.contents() {
            match a {
                sv::VariableDeclAssignment::Variable(x) => {
                    let (id, dims, init) = &x.nodes;
                    if let Some(d) = dims.first() {
                        return Err(cx.unsupported(d, "unpacked local variable"));
                    }
                    let init = match init {
                        Some((_, e)) => Some(lower_expr(cx, e)?),
                        None => None,
                    };
                    out.push(LocalVar {
                        name: cx.ident(&id.nodes.0),
                        ty: ty.clone(),
                        init,
                        span: cx.span(x.as_ref()),
                    });
                }
                other => return Err(cx.unsupported(other, "local variable declaration form")),
            }
        }
    }
    Ok(out)
}

/// `x = e`, `x += e`, `x++` in a sequence match item, as `(x, value)`.
fn match_items(
    cx: &mut Cx,
    items: &[(sv::Symbol, sv::SequenceMatchItem)],
) -> Result<Vec<(Ident, Expr)>> {
    let mut out = Vec::new();
    for (_, m) in items {
        let span = cx.span(m);
        let st = match m {
            sv::SequenceMatchItem::OperatorAssignment(o) => {
                super::stmt::operator_assignment(cx, o, span)?
            }
            sv::SequenceMatchItem::IncOrDecExpression(i) => super::stmt::inc_or_dec(cx, i, span)?,
            sv::SequenceMatchItem::SubroutineCall(c) => {
                return Err(cx.unsupported(c.as_ref(), "subroutine call in a sequence match item"))
            }
        };
        match st {
            Stmt::Blocking { lhs, rhs, .. } => match lhs.kind {
                ExprKind::Ident(ScopedName {
                    package: None,
                    name,
                }) => out.push((name, rhs)),
                _ => {
                    return Err(cx.error(
                        span,
                        "unsupported construct: a sequence match item must assign a whole local variable",
                    ))
                }
            },
            _ => return Err(cx.unsupported(m, "sequence match item")),
        }
    }
    Ok(out)
}

fn property_actual(cx: &mut Cx, a: &sv::PropertyActualArg) -> Result<Prop> {
    match a {
        sv::PropertyActualArg::PropertyExpr(p) => lower_prop(cx, p),
        sv::PropertyActualArg::SequenceActualArg(s) => sequence_actual(cx, s),
    }
}

fn sequence_actual(cx: &mut Cx, a: &sv::SequenceActualArg) -> Result<Prop> {
    match a {
        sv::SequenceActualArg::SequenceExpr(s) => lower_seq(cx, s),
        sv::SequenceActualArg::EventExpression(e) => {
            Err(cx.unsupported(e.as_ref(), "event expression as an argument"))
        }
    }
}

// ------------------------------------------------------------ flattening

/// Binary operators of Table 16-3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bin {
    And,
    Or,
    Intersect,
    Within,
    Throughout,
    /// `|->` (true) / `|=>`
    Implies(bool),
    /// `#-#` (true) / `#=#`
    Followed(bool),
    Iff,
    LogicImplies,
    /// `until` / `s_until` (strong) / `until_with` / `s_until_with`.
    Until {
        strong: bool,
        with: bool,
    },
}

enum Pre {
    Not,
    /// A leading `##n`: `##n s` is `1 ##n s`.
    Delay(CycleRange),
    If(Expr, Option<Prop>),
    /// `always`, `always [m:n]`, `s_always [m:n]`, `nexttime [n]`: the
    /// operand holds at every cycle of the range (`None`: `[0:$]`).
    Always(Option<CycleRange>),
    /// `s_eventually` (strong) / `eventually`, with a range if written.
    Eventually(bool, Option<CycleRange>),
    Clock(EventExpr),
}

enum Tok {
    Operand(Prop),
    Bin(Bin),
    /// An infix `##n`.
    Delay(CycleRange),
    Prefix(Pre, Span),
}

/// Binding strength of binary operators, and whether right-associative
/// (Table 16-3, highest first: `##`, `throughout`, `within`, `intersect`,
/// `not`, `and`, `or`, `iff`, `until`/`implies`, `|->`..., then the
/// prefix forms `always`, `eventually`, `if`, clocking events).
const DELAY: u8 = 10;
const NOT: u8 = 6;
const LOWEST: u8 = 0;

fn level(b: Bin) -> (u8, bool) {
    match b {
        Bin::Throughout => (9, true),
        Bin::Within => (8, false),
        Bin::Intersect => (7, false),
        Bin::And => (5, false),
        Bin::Or => (4, false),
        Bin::Iff => (3, true),
        Bin::LogicImplies | Bin::Until { .. } => (2, true),
        Bin::Implies(_) | Bin::Followed(_) => (1, true),
    }
}

fn prefix_level(p: &Pre) -> u8 {
    match p {
        Pre::Not => NOT,
        // The operand of a leading `##n` is a primary: `##1 a ##1 b` is
        // `(##1 a) ##1 b`.
        Pre::Delay(_) => DELAY + 1,
        Pre::If(..) | Pre::Always(_) | Pre::Eventually(..) | Pre::Clock(_) => LOWEST,
    }
}

pub fn lower_prop(cx: &mut Cx, p: &sv::PropertyExpr) -> Result<Prop> {
    let mut toks = Vec::new();
    flatten_prop(cx, p, &mut toks)?;
    let span = cx.span(p);
    climb_all(cx, toks, span)
}

pub fn lower_seq(cx: &mut Cx, s: &sv::SequenceExpr) -> Result<Prop> {
    let mut toks = Vec::new();
    flatten_seq(cx, s, &mut toks)?;
    let span = cx.span(s);
    climb_all(cx, toks, span)
}

fn kw(cx: &Cx, k: &sv::Keyword) -> String {
    cx.text(&k.nodes.0)
}

fn flatten_prop(cx: &mut Cx, p: &sv::PropertyExpr, out: &mut Vec<Tok>) -> Result<()> {
    use sv::PropertyExpr as P;
    match p {
        P::SequenceExpr(s) => flatten_seq(cx, s, out)?,
        P::Strong(x) => {
            // sv-parser builds `weak(s)` as a `PropertyExprStrong` too.
            let (k, s) = &x.nodes;
            let strong = kw(cx, k) == "strong";
            let span = cx.span(x.as_ref());
            let seq = lower_seq(cx, &s.nodes.1)?;
            out.push(Tok::Operand(Prop::Strength {
                strong,
                seq: Box::new(seq),
                span,
            }));
        }
        P::Weak(x) => {
            let span = cx.span(x.as_ref());
            let seq = lower_seq(cx, &x.nodes.1.nodes.1)?;
            out.push(Tok::Operand(Prop::Strength {
                strong: false,
                seq: Box::new(seq),
                span,
            }));
        }
        P::Paren(x) => out.push(Tok::Operand(lower_prop(cx, &x.nodes.0.nodes.1)?)),
        P::Not(x) => {
            let span = cx.loc(&x.nodes.0.nodes.0);
            out.push(Tok::Prefix(Pre::Not, span));
            flatten_prop(cx, &x.nodes.1, out)?;
        }
        P::BinaryProperty(x) => {
            let (l, k, r) = &x.nodes;
            flatten_prop(cx, l, out)?;
            let op = match kw(cx, k).as_str() {
                "and" => Bin::And,
                "or" => Bin::Or,
                "iff" => Bin::Iff,
                "implies" => Bin::LogicImplies,
                "until" => Bin::Until {
                    strong: false,
                    with: false,
                },
                "s_until" => Bin::Until {
                    strong: true,
                    with: false,
                },
                "until_with" => Bin::Until {
                    strong: false,
                    with: true,
                },
                "s_until_with" => Bin::Until {
                    strong: true,
                    with: true,
                },
                other => return Err(cx.unsupported(k, &format!("`{other}` property operator"))),
            };
            out.push(Tok::Bin(op));
            flatten_prop(cx, r, out)?;
        }
        P::BinarySequence(x) => {
            let (l, sym, r) = &x.nodes;
            flatten_seq(cx, l, out)?;
            let op = match cx.text(&sym.nodes.0).as_str() {
                "|->" => Bin::Implies(true),
                "|=>" => Bin::Implies(false),
                "#-#" => Bin::Followed(true),
                _ => Bin::Followed(false),
            };
            out.push(Tok::Bin(op));
            flatten_prop(cx, r, out)?;
        }
        P::If(x) => {
            let (k, c, then, els) = &x.nodes;
            let cond = expr_or_dist(cx, &c.nodes.1)?;
            let span = cx.loc(&k.nodes.0);
            match els {
                // The `then` branch ends at `else`: it is a whole property.
                Some((_, e)) => {
                    let t = lower_prop(cx, then)?;
                    out.push(Tok::Prefix(Pre::If(cond, Some(t)), span));
                    flatten_prop(cx, e, out)?;
                }
                None => {
                    out.push(Tok::Prefix(Pre::If(cond, None), span));
                    flatten_prop(cx, then, out)?;
                }
            }
        }
        P::Case(x) => return Err(cx.unsupported(x.as_ref(), "`case` in a property")),
        // On the infinite runs formal reasons about, `nexttime` and
        // `s_nexttime` agree (a next tick always exists), as do `always`
        // and `s_always`: the strong forms differ only where a finite
        // simulation ends, where verify reports no verdict anyway.
        P::Nexttime(x) => {
            let (k, n, body) = &x.nodes;
            nexttime(cx, k, n.as_ref().map(|b| &b.nodes.1), body, out)?;
        }
        P::SNexttime(x) => {
            let (k, n, body) = &x.nodes;
            nexttime(cx, k, n.as_ref().map(|b| &b.nodes.1), body, out)?;
        }
        P::Always(x) => {
            let (k, range, body) = &x.nodes;
            let span = cx.loc(&k.nodes.0);
            let r = match range {
                Some(r) => Some(const_range(cx, &r.nodes.1)?),
                None => None,
            };
            out.push(Tok::Prefix(Pre::Always(r), span));
            flatten_prop(cx, body, out)?;
        }
        P::SAlways(x) => {
            let (k, range, body) = &x.nodes;
            let span = cx.loc(&k.nodes.0);
            let r = const_range(cx, &range.nodes.1)?;
            if matches!(r.max, Some(None)) {
                let sp = cx.span(range);
                return Err(cx.error(sp, "`s_always` needs a bounded range `[m:n]` (16.12.11)"));
            }
            out.push(Tok::Prefix(Pre::Always(Some(r)), span));
            flatten_prop(cx, body, out)?;
        }
        P::Eventually(x) => {
            let (k, range, body) = &x.nodes;
            let span = cx.loc(&k.nodes.0);
            let (lo, _, hi) = &range.nodes.1.nodes;
            let min = lower_const_expr(cx, lo)?;
            let max = if cx.node_text(hi) == "$" {
                Some(None)
            } else {
                Some(Some(lower_const_expr(cx, hi)?))
            };
            out.push(Tok::Prefix(
                Pre::Eventually(false, Some(CycleRange { min, max })),
                span,
            ));
            flatten_prop(cx, body, out)?;
        }
        P::SEventually(x) => {
            let (k, range, body) = &x.nodes;
            let span = cx.loc(&k.nodes.0);
            let r = match range {
                Some(r) => Some(const_range(cx, &r.nodes.1)?),
                None => None,
            };
            out.push(Tok::Prefix(Pre::Eventually(true, r), span));
            flatten_prop(cx, body, out)?;
        }
        P::AcceptOn(x) => return Err(cx.unsupported(x.as_ref(), "`accept_on`")),
        P::RejectOn(x) => return Err(cx.unsupported(x.as_ref(), "`reject_on`")),
        P::SyncAcceptOn(x) => return Err(cx.unsupported(x.as_ref(), "`sync_accept_on`")),
        P::SyncRejectOn(x) => return Err(cx.unsupported(x.as_ref(), "`sync_reject_on`")),
        P::PropertyInstance(x) => {
            let (id, args) = &x.nodes;
            let name = match id {
                sv::PsOrHierarchicalPropertyIdentifier::PackageScope(p) => {
                    let (pkg, id) = &p.nodes;
                    if let Some(pk) = pkg {
                        return Err(cx.unsupported(pk, "package-qualified property"));
                    }
                    cx.ident(&id.nodes.0)
                }
                sv::PsOrHierarchicalPropertyIdentifier::HierarchicalPropertyIdentifier(h) => {
                    simple_name(cx, &h.nodes.0)?
                }
            };
            let args = match args {
                Some(p) => match &p.nodes.1 {
                    Some(l) => property_args(cx, l)?,
                    None => Vec::new(),
                },
                None => Vec::new(),
            };
            let span = cx.span(x.as_ref());
            out.push(Tok::Operand(instance(name, args, span)));
        }
        P::ClockingEvent(x) => {
            let (ev, body) = &x.nodes;
            let span = cx.span(ev);
            let ev = lower_clocking_event(cx, ev)?;
            out.push(Tok::Prefix(Pre::Clock(ev), span));
            flatten_prop(cx, body, out)?;
        }
    }
    Ok(())
}

fn simple_name(cx: &mut Cx, h: &sv::HierarchicalIdentifier) -> Result<Ident> {
    let e = hier_ident_expr(cx, h)?;
    match e.kind {
        ExprKind::Ident(ScopedName {
            package: None,
            name,
        }) => Ok(name),
        _ => Err(cx.unsupported(h, "hierarchical sequence or property name")),
    }
}

/// An instance: arguments that are all plain expressions keep the
/// expression form (`ExprKind::Call`), as sv-parser gives for most
/// instances, so elaboration sees one shape.
fn instance(name: Ident, args: Vec<SvaArg>, span: Span) -> Prop {
    let name = ScopedName {
        package: None,
        name,
    };
    let mut exprs = Vec::new();
    for a in &args {
        match a {
            SvaArg::Positional(Some(Prop::Expr(e))) => exprs.push(e.clone()),
            _ => {
                return Prop::Instance { name, args, span };
            }
        }
    }
    let kind = if args.is_empty() {
        ExprKind::Ident(name)
    } else {
        ExprKind::Call(name, exprs)
    };
    Prop::Expr(Expr { kind, span })
}

fn property_args(cx: &mut Cx, l: &sv::PropertyListOfArguments) -> Result<Vec<SvaArg>> {
    let mut out = Vec::new();
    match l {
        sv::PropertyListOfArguments::Ordered(o) => {
            let (pos, named) = &o.nodes;
            for a in pos.contents() {
                out.push(SvaArg::Positional(match a {
                    Some(a) => Some(property_actual(cx, a)?),
                    None => None,
                }));
            }
            for (_, _, id, a) in named {
                let id = cx.ident(id);
                let a = match &a.nodes.1 {
                    Some(a) => Some(property_actual(cx, a)?),
                    None => None,
                };
                out.push(SvaArg::Named(id, a));
            }
        }
        sv::PropertyListOfArguments::Named(n) => {
            for (_, id, a) in n.nodes.0.contents() {
                let id = cx.ident(id);
                let a = match &a.nodes.1 {
                    Some(a) => Some(property_actual(cx, a)?),
                    None => None,
                };
                out.push(SvaArg::Named(id, a));
            }
        }
    }
    Ok(out)
}

fn sequence_args(cx: &mut Cx, l: &sv::SequenceListOfArguments) -> Result<Vec<SvaArg>> {
    let mut out = Vec::new();
    match l {
        sv::SequenceListOfArguments::Ordered(o) => {
            let (pos, named) = &o.nodes;
            for a in pos.contents() {
                out.push(SvaArg::Positional(match a {
                    Some(a) => Some(sequence_actual(cx, a)?),
                    None => None,
                }));
            }
            for (_, _, id, a) in named {
                let id = cx.ident(id);
                let a = match &a.nodes.1 {
                    Some(a) => Some(sequence_actual(cx, a)?),
                    None => None,
                };
                out.push(SvaArg::Named(id, a));
            }
        }
        sv::SequenceListOfArguments::Named(n) => {
            for (_, id, a) in n.nodes.0.contents() {
                let id = cx.ident(id);
                let a = match &a.nodes.1 {
                    Some(a) => Some(sequence_actual(cx, a)?),
                    None => None,
                };
                out.push(SvaArg::Named(id, a));
            }
        }
    }
    Ok(out)
}

fn flatten_seq(cx: &mut Cx, s: &sv::SequenceExpr, out: &mut Vec<Tok>) -> Result<()> {
    use sv::SequenceExpr as S;
    match s {
        S::CycleDelayExpr(x) => {
            let (d, first, rest) = &x.nodes;
            let (r, span) = delay_range(cx, d)?;
            out.push(Tok::Prefix(Pre::Delay(r), span));
            flatten_seq(cx, first, out)?;
            for (d, s) in rest {
                let (r, _) = delay_range(cx, d)?;
                out.push(Tok::Delay(r));
                flatten_seq(cx, s, out)?;
            }
        }
        S::ExprCycleDelayExpr(x) => {
            let (l, d, first, rest) = &x.nodes;
            flatten_seq(cx, l, out)?;
            let (r, _) = delay_range(cx, d)?;
            out.push(Tok::Delay(r));
            flatten_seq(cx, first, out)?;
            for (d, s) in rest {
                let (r, _) = delay_range(cx, d)?;
                out.push(Tok::Delay(r));
                flatten_seq(cx, s, out)?;
            }
        }
        S::Expression(x) => {
            let (e, abbrev) = &x.nodes;
            let e = match named_call_instance(cx, &e.nodes.0)? {
                Some(i) if e.nodes.1.is_none() => i,
                _ => Prop::Expr(expr_or_dist(cx, e)?),
            };
            let p = match abbrev {
                None => e,
                Some(a) => {
                    let span = cx.span(x.as_ref());
                    let (kind, range) = match a {
                        sv::BooleanAbbrev::ConsecutiveRepetition(c) => consecutive(cx, c)?,
                        sv::BooleanAbbrev::GotoRepetition(g) => {
                            (RepKind::Goto, rep_range(cx, &g.nodes.0.nodes.1 .1)?)
                        }
                        sv::BooleanAbbrev::NonConsecutiveRepetition(n) => (
                            RepKind::NonConsecutive,
                            rep_range(cx, &n.nodes.0.nodes.1 .1)?,
                        ),
                    };
                    Prop::Repeat {
                        seq: Box::new(e),
                        kind,
                        range,
                        span,
                    }
                }
            };
            out.push(Tok::Operand(p));
        }
        S::Instance(x) => {
            let (inst, abbrev) = &x.nodes;
            let (id, args) = &inst.nodes;
            let name = match id {
                sv::PsOrHierarchicalSequenceIdentifier::PackageScope(p) => {
                    let (pkg, id) = &p.nodes;
                    if let Some(pk) = pkg {
                        return Err(cx.unsupported(pk, "package-qualified sequence"));
                    }
                    cx.ident(&id.nodes.0)
                }
                sv::PsOrHierarchicalSequenceIdentifier::HierarchicalSequenceIdentifier(h) => {
                    simple_name(cx, &h.nodes.0)?
                }
            };
            let args = match args {
                Some(p) => match &p.nodes.1 {
                    Some(l) => sequence_args(cx, l)?,
                    None => Vec::new(),
                },
                None => Vec::new(),
            };
            let ispan = cx.span(inst);
            let p = instance(name, args, ispan);
            out.push(Tok::Operand(abbreviate(cx, p, abbrev, x.as_ref())?));
        }
        S::Paren(x) => {
            let ((_, (inner, items), _), abbrev) = (&x.nodes.0.nodes, &x.nodes.1);
            let mut p = lower_seq(cx, inner)?;
            if !items.is_empty() {
                let assigns = match_items(cx, items)?;
                let span = cx.span(&x.nodes.0);
                p = Prop::Match {
                    seq: Box::new(p),
                    assigns,
                    span,
                };
            }
            out.push(Tok::Operand(abbreviate(cx, p, abbrev, x.as_ref())?));
        }
        S::Binary(x) => {
            let (l, k, r) = &x.nodes;
            flatten_seq(cx, l, out)?;
            let op = match kw(cx, k).as_str() {
                "and" => Bin::And,
                "or" => Bin::Or,
                "intersect" => Bin::Intersect,
                _ => Bin::Within,
            };
            out.push(Tok::Bin(op));
            flatten_seq(cx, r, out)?;
        }
        S::FirstMatch(x) => {
            let (_, p) = &x.nodes;
            let (inner, items) = &p.nodes.1;
            let span = cx.span(x.as_ref());
            let mut s = lower_seq(cx, inner)?;
            if !items.is_empty() {
                let assigns = match_items(cx, items)?;
                s = Prop::Match {
                    seq: Box::new(s),
                    assigns,
                    span,
                };
            }
            out.push(Tok::Operand(Prop::FirstMatch(Box::new(s), span)));
        }
        S::Throughout(x) => {
            let (e, _, r) = &x.nodes;
            out.push(Tok::Operand(Prop::Expr(expr_or_dist(cx, e)?)));
            out.push(Tok::Bin(Bin::Throughout));
            flatten_seq(cx, r, out)?;
        }
        S::ClockingEvent(x) => {
            let (ev, body) = &x.nodes;
            let span = cx.span(ev);
            let ev = lower_clocking_event(cx, ev)?;
            out.push(Tok::Prefix(Pre::Clock(ev), span));
            flatten_seq(cx, body, out)?;
        }
    }
    Ok(())
}

/// `p(.x(a), .y(b))` parses as a function call with named arguments: it
/// is a sequence or property instance.
fn named_call_instance(cx: &mut Cx, e: &sv::Expression) -> Result<Option<Prop>> {
    let sv::Expression::Primary(p) = e else {
        return Ok(None);
    };
    let sv::Primary::FunctionSubroutineCall(f) = p.as_ref() else {
        return Ok(None);
    };
    let sv::SubroutineCall::TfCall(t) = &f.nodes.0 else {
        return Ok(None);
    };
    let (name, _, args) = &t.nodes;
    let Some(args) = args else {
        return Ok(None);
    };
    let has_named = match &args.nodes.1 {
        sv::ListOfArguments::Named(_) => true,
        sv::ListOfArguments::Ordered(o) => !o.nodes.1.is_empty(),
    };
    if !has_named {
        return Ok(None);
    }
    let name = tf_name(cx, name)?;
    let mut out = Vec::new();
    let named = |cx: &mut Cx, id: &sv::Identifier, a: &Option<sv::Expression>| {
        let id = cx.ident(id);
        let a = match a {
            Some(a) => Some(Prop::Expr(lower_expr(cx, a)?)),
            None => None,
        };
        Ok::<SvaArg, crate::diag::Error>(SvaArg::Named(id, a))
    };
    match &args.nodes.1 {
        sv::ListOfArguments::Ordered(o) => {
            for a in o.nodes.0.contents() {
                out.push(SvaArg::Positional(match a {
                    Some(a) => Some(Prop::Expr(lower_expr(cx, a)?)),
                    None => None,
                }));
            }
            for (_, _, id, a) in &o.nodes.1 {
                out.push(named(cx, id, &a.nodes.1)?);
            }
        }
        sv::ListOfArguments::Named(n) => {
            let (_, id, a, rest) = &n.nodes;
            out.push(named(cx, id, &a.nodes.1)?);
            for (_, _, id, a) in rest {
                out.push(named(cx, id, &a.nodes.1)?);
            }
        }
    }
    let span = cx.span(e);
    Ok(Some(Prop::Instance {
        name,
        args: out,
        span,
    }))
}

fn abbreviate<'b, T: Into<sv::RefNodes<'b>>>(
    cx: &mut Cx,
    p: Prop,
    abbrev: &Option<sv::SequenceAbbrev>,
    node: T,
) -> Result<Prop> {
    match abbrev {
        None => Ok(p),
        Some(a) => {
            let span = cx.span(node);
            let (kind, range) = consecutive(cx, &a.nodes.0)?;
            Ok(Prop::Repeat {
                seq: Box::new(p),
                kind,
                range,
                span,
            })
        }
    }
}

/// `nexttime [n] p` / `s_nexttime [n] p` (`n` is 1 when not written): `p`
/// at the cycle `n` on, an `always [n:n]`.
fn nexttime(
    cx: &mut Cx,
    k: &sv::Keyword,
    n: Option<&sv::ConstantExpression>,
    body: &sv::PropertyExpr,
    out: &mut Vec<Tok>,
) -> Result<()> {
    let span = cx.loc(&k.nodes.0);
    let n = match n {
        Some(e) => lower_const_expr(cx, e)?,
        None => number(1, span),
    };
    let r = CycleRange { min: n, max: None };
    out.push(Tok::Prefix(Pre::Always(Some(r)), span));
    flatten_prop(cx, body, out)
}

/// `a until b` is the weak sequence `a[*0:$] ##1 b` (`a` in every cycle
/// before the first `b`; it fails where neither holds, and holds if `a`
/// does forever); `until_with` needs `a` in `b`'s cycle too (`a and b` as
/// the end); the `s_` forms are the strong sequences (`b` must come).
/// Operands that are properties, not sequences, are refused where the
/// sequence is compiled.
fn until(a: Box<Prop>, b: Box<Prop>, strong: bool, with: bool, span: Span) -> Prop {
    let end = if with {
        Box::new(Prop::And(a.clone(), b, span))
    } else {
        b
    };
    let seq = Prop::Delay {
        lhs: Some(Box::new(Prop::Repeat {
            seq: a,
            kind: RepKind::Consecutive,
            range: CycleRange {
                min: number(0, span),
                max: Some(None),
            },
            span,
        })),
        range: CycleRange {
            min: number(1, span),
            max: None,
        },
        rhs: end,
        span,
    };
    Prop::Strength {
        strong,
        seq: Box::new(seq),
        span,
    }
}

/// `1 ##[range] 1 |-> p`: `p` at each cycle of `range` from the attempt.
fn gate(range: CycleRange, p: Box<Prop>, span: Span) -> Prop {
    let one = || Box::new(Prop::Expr(number(1, span)));
    Prop::Implies {
        antecedent: Box::new(Prop::Delay {
            lhs: Some(one()),
            range,
            rhs: one(),
            span,
        }),
        overlapping: true,
        consequent: p,
        span,
    }
}

fn number(v: u32, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Number(Number {
            width: None,
            signed: true,
            value: BigUint::from(v),
            xz: BigUint::from(0u32),
            based: false,
        }),
        span,
    }
}

fn consecutive(cx: &mut Cx, c: &sv::ConsecutiveRepetition) -> Result<(RepKind, CycleRange)> {
    let span = cx.span(c);
    let range = match c {
        sv::ConsecutiveRepetition::Expression(e) => rep_range(cx, &e.nodes.0.nodes.1 .1)?,
        // `[*]` is `[*0:$]`, `[+]` is `[*1:$]`.
        sv::ConsecutiveRepetition::Asterisk(_) => CycleRange {
            min: number(0, span),
            max: Some(None),
        },
        sv::ConsecutiveRepetition::Plus(_) => CycleRange {
            min: number(1, span),
            max: Some(None),
        },
    };
    Ok((RepKind::Consecutive, range))
}

fn rep_range(cx: &mut Cx, r: &sv::ConstOrRangeExpression) -> Result<CycleRange> {
    match r {
        sv::ConstOrRangeExpression::ConstantExpression(e) => Ok(CycleRange {
            min: lower_const_expr(cx, e)?,
            max: None,
        }),
        sv::ConstOrRangeExpression::CycleDelayConstRangeExpression(c) => const_range(cx, c),
    }
}

fn const_range(cx: &mut Cx, c: &sv::CycleDelayConstRangeExpression) -> Result<CycleRange> {
    match c {
        sv::CycleDelayConstRangeExpression::Binary(b) => {
            let (lo, _, hi) = &b.nodes;
            let min = lower_const_expr(cx, lo)?;
            // sv-parser reads the `$` of `[1:$]` as a constant expression.
            if cx.node_text(hi) == "$" {
                return Ok(CycleRange {
                    min,
                    max: Some(None),
                });
            }
            Ok(CycleRange {
                min,
                max: Some(Some(lower_const_expr(cx, hi)?)),
            })
        }
        sv::CycleDelayConstRangeExpression::Dollar(d) => Ok(CycleRange {
            min: lower_const_expr(cx, &d.nodes.0)?,
            max: Some(None),
        }),
    }
}

fn delay_range(cx: &mut Cx, d: &sv::CycleDelayRange) -> Result<(CycleRange, Span)> {
    let span = cx.span(d);
    let r = match d {
        sv::CycleDelayRange::Primary(p) => CycleRange {
            min: lower_const_primary(cx, &p.nodes.1)?,
            max: None,
        },
        sv::CycleDelayRange::Expression(e) => const_range(cx, &e.nodes.1.nodes.1)?,
        // `##[*]` is `##[0:$]`, `##[+]` is `##[1:$]`.
        sv::CycleDelayRange::Asterisk(_) => CycleRange {
            min: number(0, span),
            max: Some(None),
        },
        sv::CycleDelayRange::Plus(_) => CycleRange {
            min: number(1, span),
            max: Some(None),
        },
    };
    Ok((r, span))
}

// ------------------------------------------------------------ precedence

type It = std::iter::Peekable<std::vec::IntoIter<Tok>>;

fn climb_all(cx: &mut Cx, toks: Vec<Tok>, span: Span) -> Result<Prop> {
    let mut it = toks.into_iter().peekable();
    let p = climb(&mut it, LOWEST);
    match (p, it.next()) {
        (Some(p), None) => Ok(p),
        _ => Err(cx.error(
            span,
            "unsupported construct: sequence or property shape (operator chain)",
        )),
    }
}

fn primary(it: &mut It) -> Option<Prop> {
    match it.next()? {
        Tok::Operand(p) => Some(p),
        Tok::Prefix(pre, span) => {
            let operand = climb(it, prefix_level(&pre))?;
            let span = span.to(operand.span());
            let b = Box::new(operand);
            Some(match pre {
                Pre::Not => Prop::Not(b, span),
                Pre::Delay(range) => Prop::Delay {
                    lhs: None,
                    range,
                    rhs: b,
                    span,
                },
                Pre::If(cond, then) => match then {
                    Some(t) => Prop::IfElse {
                        cond,
                        then: Box::new(t),
                        els: Some(b),
                        span,
                    },
                    None => Prop::IfElse {
                        cond,
                        then: b,
                        els: None,
                        span,
                    },
                },
                Pre::Always(None) => gate(
                    CycleRange {
                        min: number(0, span),
                        max: Some(None),
                    },
                    b,
                    span,
                ),
                // `always [m:n] p`: `p` in every cycle of the range, which
                // is `p` at every match of `1 ##[m:n] 1`.
                Pre::Always(Some(r)) => gate(r, b, span),
                Pre::Eventually(strong, None) => Prop::Eventually {
                    strong,
                    prop: b,
                    span,
                },
                // `s_eventually [m:$] p`: from `m` cycles on.
                Pre::Eventually(strong, Some(r)) if matches!(r.max, Some(None)) => {
                    let from = CycleRange {
                        min: r.min,
                        max: None,
                    };
                    let ev = Prop::Eventually {
                        strong,
                        prop: b,
                        span,
                    };
                    gate(from, Box::new(ev), span)
                }
                // Bounded: `p` in some cycle of the range, a sequence.
                Pre::Eventually(_, Some(r)) => Prop::Delay {
                    lhs: None,
                    range: r,
                    rhs: b,
                    span,
                },
                Pre::Clock(ev) => Prop::Clocked(ev, b, span),
            })
        }
        Tok::Bin(..) | Tok::Delay(..) => None,
    }
}

/// Precedence climbing: operators at `min` or above are taken here.
fn climb(it: &mut It, min: u8) -> Option<Prop> {
    let mut lhs = primary(it)?;
    loop {
        let (lv, right) = match it.peek() {
            Some(Tok::Bin(b)) => level(*b),
            Some(Tok::Delay(..)) => (DELAY, false),
            Some(_) => return None,
            None => break,
        };
        if lv < min {
            break;
        }
        let next = if right { lv } else { lv + 1 };
        match it.next()? {
            Tok::Delay(range) => {
                let rhs = climb(it, next)?;
                let span = lhs.span().to(rhs.span());
                lhs = Prop::Delay {
                    lhs: Some(Box::new(lhs)),
                    range,
                    rhs: Box::new(rhs),
                    span,
                };
            }
            Tok::Bin(b) => {
                let rhs = climb(it, next)?;
                let span = lhs.span().to(rhs.span());
                let (l, r) = (Box::new(lhs), Box::new(rhs));
                lhs = match b {
                    Bin::And => Prop::And(l, r, span),
                    Bin::Or => Prop::Or(l, r, span),
                    Bin::Intersect => Prop::Intersect(l, r, span),
                    Bin::Within => Prop::Within(l, r, span),
                    Bin::Throughout => Prop::Throughout(l, r, span),
                    Bin::Iff => Prop::Iff(l, r, span),
                    Bin::LogicImplies => Prop::LogicImplies(l, r, span),
                    Bin::Until { strong, with } => until(l, r, strong, with, span),
                    Bin::Implies(overlapping) => Prop::Implies {
                        antecedent: l,
                        overlapping,
                        consequent: r,
                        span,
                    },
                    Bin::Followed(overlapping) => Prop::FollowedBy {
                        antecedent: l,
                        overlapping,
                        consequent: r,
                        span,
                    },
                };
            }
            _ => return None,
        }
    }
    Some(lhs)
}
