//! Lowering of procedural statements.

use super::expr::{
    binary_op, lower_cond_predicate, lower_expr, lower_mintypmax, lower_variable_lvalue,
    open_range_list, subroutine_call, Call,
};
use super::number::parse_number;
use super::{items, sva, types, Cx};
use crate::ast::*;
use crate::diag::Result;
use crate::source::Span;
use sv_parser as sv;

pub fn lower_stmt_or_null(cx: &mut Cx, s: &sv::StatementOrNull) -> Result<Stmt> {
    match s {
        sv::StatementOrNull::Statement(s) => lower_stmt(cx, s),
        sv::StatementOrNull::Attribute(a) => {
            let span = cx.loc(&a.nodes.1.nodes.0);
            Ok(Stmt::Null(span))
        }
    }
}

/// A statement body, where a lone `;` means "nothing".
fn optional_body(cx: &mut Cx, s: &sv::StatementOrNull) -> Result<Option<Box<Stmt>>> {
    Ok(match lower_stmt_or_null(cx, s)? {
        Stmt::Null(_) => None,
        other => Some(Box::new(other)),
    })
}

pub fn lower_stmt(cx: &mut Cx, s: &sv::Statement) -> Result<Stmt> {
    let (label, attrs, item) = &s.nodes;
    let label = label.as_ref().map(|(id, _)| cx.ident(&id.nodes.0));
    let span = cx.span_ends(s, super::stmt_tail(s));
    match item {
        sv::StatementItem::SeqBlock(b) => seq_block(cx, b, label, span),
        sv::StatementItem::ProceduralAssertionStatement(a) => assertion(cx, a, label, span),
        _ => {
            let mut stmt = statement_item(cx, item, span)?;
            if let Stmt::Case { full_case, .. } = &mut stmt {
                *full_case = attrs.iter().any(|a| {
                    a.nodes.1.contents().iter().any(|spec| {
                        let id = cx.ident(&spec.nodes.0);
                        id.name == "full_case"
                    })
                });
            }
            Ok(match label {
                // A labelled statement is a named block around it.
                Some(l) => Stmt::Block {
                    label: Some(l),
                    decls: Vec::new(),
                    stmts: vec![stmt],
                    span,
                },
                None => stmt,
            })
        }
    }
}

fn statement_item(cx: &mut Cx, item: &sv::StatementItem, span: Span) -> Result<Stmt> {
    use sv::StatementItem as I;
    match item {
        I::BlockingAssignment(b) => blocking(cx, &b.0, span),
        I::NonblockingAssignment(n) => {
            let (lhs, _, delay, rhs) = &n.0.nodes;
            if let Some(d) = delay {
                if !is_number_delay(d) {
                    return Err(cx.unsupported(d, "delay or event control on an assignment"));
                }
                // `a <= #1 b`: a simulation nicety in RTL, meaningless in
                // cycle semantics, so dropped.
            }
            let lhs = lower_variable_lvalue(cx, lhs)?;
            let rhs = lower_expr(cx, rhs)?;
            Ok(Stmt::NonBlocking { lhs, rhs, span })
        }
        I::ProceduralContinuousAssignment(p) => Err(cx.unsupported(
            &p.0,
            "procedural continuous assignment (`assign`/`force`/`release`)",
        )),
        I::CaseStatement(c) => case(cx, c, span),
        I::ConditionalStatement(c) => conditional(cx, c, span),
        I::IncOrDecExpression(i) => inc_or_dec(cx, &i.0, span),
        I::SubroutineCallStatement(s) => call_statement(cx, s, span),
        I::DisableStatement(d) => Err(cx.unsupported(&**d, "`disable`")),
        I::EventTrigger(e) => Err(cx.unsupported(&**e, "event trigger `->`")),
        I::LoopStatement(l) => loop_statement(cx, l, span),
        I::JumpStatement(j) => Ok(match &**j {
            sv::JumpStatement::Return(r) => {
                let e = match &r.nodes.1 {
                    Some(e) => Some(lower_expr(cx, e)?),
                    None => None,
                };
                Stmt::Return(e, span)
            }
            sv::JumpStatement::Break(_) => Stmt::Break(span),
            sv::JumpStatement::Continue(_) => Stmt::Continue(span),
        }),
        I::ParBlock(p) => Err(cx.unsupported(&**p, "`fork ... join`")),
        I::ProceduralTimingControlStatement(t) => {
            let (ctl, body) = &t.nodes;
            let body = Box::new(lower_stmt_or_null(cx, body)?);
            match ctl {
                sv::ProceduralTimingControl::EventControl(e) => {
                    let event = lower_event_control(cx, e)?;
                    Ok(Stmt::Timed { event, body, span })
                }
                sv::ProceduralTimingControl::DelayControl(d) => {
                    let delay = delay_control(cx, d)?;
                    Ok(Stmt::Delay { delay, body, span })
                }
                sv::ProceduralTimingControl::CycleDelay(c) => {
                    Err(cx.unsupported(&**c, "cycle delay `##`"))
                }
            }
        }
        I::SeqBlock(b) => seq_block(cx, b, None, span),
        I::WaitStatement(w) => Err(cx.unsupported(&**w, "`wait`")),
        I::ProceduralAssertionStatement(a) => assertion(cx, a, None, span),
        I::ClockingDrive(c) => Err(cx.unsupported(&c.0, "clocking drive")),
        I::RandsequenceStatement(r) => Err(cx.unsupported(&**r, "`randsequence`")),
        I::RandcaseStatement(r) => Err(cx.unsupported(&**r, "`randcase`")),
        I::ExpectPropertyStatement(e) => Ok(Stmt::Expect(Box::new(sva::lower_expect(cx, e)?))),
    }
}

// ------------------------------------------------------------------ assignments

/// `#3` (a plain number), the only delay tolerated on an assignment.
fn is_number_delay(d: &sv::DelayOrEventControl) -> bool {
    matches!(d, sv::DelayOrEventControl::Delay(dc)
        if matches!(&**dc, sv::DelayControl::Delay(dd)
            if matches!(dd.nodes.1, sv::DelayValue::UnsignedNumber(_))))
}

fn blocking(cx: &mut Cx, b: &sv::BlockingAssignment, span: Span) -> Result<Stmt> {
    match b {
        sv::BlockingAssignment::OperatorAssignment(o) => operator_assignment(cx, o, span),
        sv::BlockingAssignment::Variable(v) => Err(cx.unsupported(
            &v.nodes.2,
            "delay or event control on a blocking assignment",
        )),
        sv::BlockingAssignment::NonrangeVariable(v) => {
            // `d = new[n];`, `d = new[n](d);`
            let (lv, _, new) = &v.nodes;
            let (scope, hid, sel) = &lv.nodes;
            if scope.is_some() || sel.nodes.0.is_some() || !sel.nodes.1.nodes.0.is_empty() {
                return Err(cx.unsupported(&**v, "`new[...]` assigned to a select"));
            }
            let lhs = super::expr::hier_ident_expr(cx, &hid.nodes.0)?;
            let rhs = super::expr::dynamic_array_new(cx, new)?;
            Ok(Stmt::Blocking { lhs, rhs, span })
        }
        sv::BlockingAssignment::HierarchicalVariable(v) => Err(cx.unsupported(&**v, "class `new`")),
    }
}

/// `a = b`, `a += b` (-> `a = a + b`), ...
pub(super) fn operator_assignment(
    cx: &mut Cx,
    o: &sv::OperatorAssignment,
    span: Span,
) -> Result<Stmt> {
    let (mut stmts, _) = assignment_steps(cx, o, span)?;
    if deep_assignment(o) {
        let (last, steps) = stmts.split_last().expect("an assignment gives a statement");
        if let Stmt::Blocking { lhs, rhs, .. } = last {
            super::embedded::check_order(cx, steps, &[lhs, rhs], span)?;
        }
    }
    Ok(if stmts.len() == 1 {
        stmts.remove(0)
    } else {
        Stmt::Block {
            label: None,
            decls: Vec::new(),
            stmts,
            span,
        }
    })
}

/// An assignment whose source is itself an assignment (`b = (a -= 1)`,
/// `a = (b = (c = 5))`, `b = (++a)`, `b = a++`, IEEE 1800 11.3.6) becomes
/// the inner assignment, then this one reading the inner target (its old
/// value for a postfix `++`/`--`): the statements in order, and this
/// assignment's target.
pub(super) fn assignment_steps(
    cx: &mut Cx,
    o: &sv::OperatorAssignment,
    span: Span,
) -> Result<(Vec<Stmt>, Expr)> {
    let (lhs, op, rhs_sv) = &o.nodes;
    let text = cx.text(&op.nodes.0.nodes.0);
    let lhs = lower_variable_lvalue(cx, lhs)?;
    let (mut before, rhs, after) = match embedded_assignment(rhs_sv) {
        Some(Embedded::Assign(inner)) => {
            let (steps, target) = assignment_steps(cx, inner, span)?;
            (steps, target, Vec::new())
        }
        Some(Embedded::IncDec(x)) => {
            let st = inc_or_dec(cx, x, span)?;
            let Stmt::Blocking { lhs: target, .. } = &st else {
                unreachable!("inc_or_dec gives a blocking assignment");
            };
            let target = target.clone();
            match x {
                sv::IncOrDecExpression::Prefix(_) => (vec![st], target, Vec::new()),
                sv::IncOrDecExpression::Suffix(_) => (Vec::new(), target, vec![st]),
            }
        }
        None => {
            let (steps, rhs) = super::embedded::hoisted(cx, rhs_sv)?;
            (steps, rhs, Vec::new())
        }
    };
    let rhs = if text == "=" {
        rhs
    } else {
        let bop = text.strip_suffix('=').and_then(binary_op);
        let Some(bop) = bop else {
            return Err(cx.unsupported(op, &format!("assignment operator `{text}`")));
        };
        let rspan = rhs.span;
        Expr {
            kind: ExprKind::Binary(bop, Box::new(lhs.clone()), Box::new(rhs)),
            span: lhs.span.to(rspan),
        }
    };
    before.push(Stmt::Blocking {
        lhs: lhs.clone(),
        rhs,
        span,
    });
    before.extend(after);
    Ok((before, lhs))
}

/// Whether the source of `o` holds an assignment (or `++`/`--`) that is
/// not its whole source: lowered by `lower::embedded`, order-checked.
fn deep_assignment(o: &sv::OperatorAssignment) -> bool {
    let mut o = o;
    loop {
        match embedded_assignment(&o.nodes.2) {
            Some(Embedded::Assign(inner)) => o = inner,
            Some(Embedded::IncDec(_)) => return false,
            None => {
                let r: sv::RefNode = (&o.nodes.2).into();
                return r.into_iter().any(|n| {
                    matches!(
                        n,
                        sv::RefNode::OperatorAssignment(_) | sv::RefNode::IncOrDecExpression(_)
                    )
                });
            }
        }
    }
}

enum Embedded<'b> {
    Assign(&'b sv::OperatorAssignment),
    IncDec(&'b sv::IncOrDecExpression),
}

/// The assignment an assignment's source is, through parentheses.
fn embedded_assignment(e: &sv::Expression) -> Option<Embedded<'_>> {
    match e {
        sv::Expression::OperatorAssignment(o) => Some(Embedded::Assign(&o.nodes.0.nodes.1)),
        sv::Expression::IncOrDecExpression(x) => Some(Embedded::IncDec(x)),
        sv::Expression::Primary(p) => match &**p {
            sv::Primary::MintypmaxExpression(m) => match &m.nodes.0.nodes.1 {
                sv::MintypmaxExpression::Expression(inner) => embedded_assignment(inner),
                sv::MintypmaxExpression::Ternary(_) => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// `i++`, `++i`, `i--`, `--i` as statements: `i = i + 1`.
pub(super) fn inc_or_dec(cx: &mut Cx, e: &sv::IncOrDecExpression, span: Span) -> Result<Stmt> {
    let (op, lv) = match e {
        sv::IncOrDecExpression::Prefix(p) => (&p.nodes.0, &p.nodes.2),
        sv::IncOrDecExpression::Suffix(s) => (&s.nodes.2, &s.nodes.0),
    };
    let text = cx.text(&op.nodes.0.nodes.0);
    let op_span = cx.loc(&op.nodes.0.nodes.0);
    let bop = match text.as_str() {
        "++" => BinaryOp::Add,
        "--" => BinaryOp::Sub,
        _ => return Err(cx.unsupported(op, &format!("operator `{text}`"))),
    };
    let lhs = lower_variable_lvalue(cx, lv)?;
    let one = Expr {
        kind: ExprKind::Number(parse_number("1").map_err(|m| cx.error(op_span, m))?),
        span: op_span,
    };
    let rhs = Expr {
        kind: ExprKind::Binary(bop, Box::new(lhs.clone()), Box::new(one)),
        span,
    };
    Ok(Stmt::Blocking { lhs, rhs, span })
}

// ------------------------------------------------------------------ blocks and control

fn seq_block(cx: &mut Cx, b: &sv::SeqBlock, label: Option<Ident>, span: Span) -> Result<Stmt> {
    let (_, name, decl_items, stmts, _, _) = &b.nodes;
    let label = match name {
        Some((_, id)) => Some(cx.ident(&id.nodes.0)),
        None => label,
    };
    let mut decls = Vec::new();
    for d in decl_items {
        decls.extend(items::lower_block_item_decl(cx, d)?);
    }
    let mut out = Vec::new();
    for s in stmts {
        out.push(lower_stmt_or_null(cx, s)?);
    }
    Ok(Stmt::Block {
        label,
        decls,
        stmts: out,
        span,
    })
}

fn qualifier(q: &Option<sv::UniquePriority>) -> Option<Qualifier> {
    q.as_ref().map(|q| match q {
        sv::UniquePriority::Unique(_) => Qualifier::Unique,
        sv::UniquePriority::Unique0(_) => Qualifier::Unique0,
        sv::UniquePriority::Priority(_) => Qualifier::Priority,
    })
}

/// `if ... else if ... else`: nested `If`s; a `unique`/`priority`
/// qualifier is repeated on every `else if` of its chain (checking it on
/// each nested `If` is the same as checking the whole chain).
fn conditional(cx: &mut Cx, c: &sv::ConditionalStatement, span: Span) -> Result<Stmt> {
    let (q, _, cond, then, elifs, els) = &c.nodes;
    let qualifier = qualifier(q);
    let mut tail = match els {
        Some((_, s)) => Some(Box::new(lower_stmt_or_null(cx, s)?)),
        None => None,
    };
    for (else_kw, _, cond, body) in elifs.iter().rev() {
        let cond = lower_cond_predicate(cx, &cond.nodes.1)?;
        let then = Box::new(lower_stmt_or_null(cx, body)?);
        let start = cx.loc(&else_kw.nodes.0);
        let end = tail.as_ref().map(|t| t.span()).unwrap_or(then.span());
        tail = Some(Box::new(Stmt::If {
            qualifier,
            cond,
            then,
            els: tail,
            span: start.to(end),
        }));
    }
    // `if ((x = y))`: the assignment runs first (the first condition is
    // always evaluated; those of `else if` are not, and stay refused).
    let (steps, cond) = match cond_as_expression(&cond.nodes.1) {
        Some(e) => super::embedded::hoisted(cx, e)?,
        None => (Vec::new(), lower_cond_predicate(cx, &cond.nodes.1)?),
    };
    if !steps.is_empty() {
        super::embedded::check_order(cx, &steps, &[&cond], span)?;
    }
    let then = Box::new(lower_stmt_or_null(cx, then)?);
    let st = Stmt::If {
        qualifier,
        cond,
        then,
        els: tail,
        span,
    };
    Ok(if steps.is_empty() {
        st
    } else {
        let mut stmts = steps;
        stmts.push(st);
        Stmt::Block {
            label: None,
            decls: Vec::new(),
            stmts,
            span,
        }
    })
}

/// A condition that is one plain expression (no `&&&`, no `matches`).
fn cond_as_expression(p: &sv::CondPredicate) -> Option<&sv::Expression> {
    let list = &p.nodes.0;
    match (&list.nodes.0, list.nodes.1.is_empty()) {
        (sv::ExpressionOrCondPattern::Expression(e), true) => Some(e),
        _ => None,
    }
}

fn case(cx: &mut Cx, c: &sv::CaseStatement, span: Span) -> Result<Stmt> {
    match c {
        sv::CaseStatement::Normal(n) => {
            let (q, kw, expr, first, rest, _) = &n.nodes;
            let kind = match kw {
                sv::CaseKeyword::Case(_) => CaseKind::Case,
                sv::CaseKeyword::Casez(_) => CaseKind::Casez,
                sv::CaseKeyword::Casex(_) => CaseKind::Casex,
            };
            let expr = lower_expr(cx, &expr.nodes.1.nodes.0)?;
            let mut items = Vec::new();
            for it in std::iter::once(first).chain(rest) {
                let item_span = cx.span(it);
                let (labels, body) = match it {
                    sv::CaseItem::NonDefault(nd) => {
                        let (list, _, body) = &nd.nodes;
                        let mut labels = Vec::new();
                        for e in list.contents() {
                            labels.push(InsideItem::Value(lower_expr(cx, &e.nodes.0)?));
                        }
                        (labels, body)
                    }
                    sv::CaseItem::Default(d) => (Vec::new(), &d.nodes.2),
                };
                let body = lower_stmt_or_null(cx, body)?;
                items.push(CaseItem {
                    labels,
                    body,
                    span: item_span,
                });
            }
            Ok(Stmt::Case {
                qualifier: qualifier(q),
                full_case: false,
                kind,
                inside: false,
                expr,
                items,
                span,
            })
        }
        sv::CaseStatement::Inside(n) => {
            let (q, kw, expr, _, first, rest, _) = &n.nodes;
            if cx.text(&kw.nodes.0) != "case" {
                return Err(cx.unsupported(kw, "`casex`/`casez` with `inside`"));
            }
            let expr = lower_expr(cx, &expr.nodes.1.nodes.0)?;
            let mut items = Vec::new();
            for it in std::iter::once(first).chain(rest) {
                let item_span = cx.span(it);
                let (labels, body) = match it {
                    sv::CaseInsideItem::NonDefault(nd) => {
                        let (list, _, body) = &nd.nodes;
                        (open_range_list(cx, list)?, body)
                    }
                    sv::CaseInsideItem::Default(d) => (Vec::new(), &d.nodes.2),
                };
                let body = lower_stmt_or_null(cx, body)?;
                items.push(CaseItem {
                    labels,
                    body,
                    span: item_span,
                });
            }
            Ok(Stmt::Case {
                qualifier: qualifier(q),
                full_case: false,
                kind: CaseKind::Case,
                inside: true,
                expr,
                items,
                span,
            })
        }
        sv::CaseStatement::Matches(m) => Err(cx.unsupported(&**m, "`case ... matches`")),
    }
}

fn loop_statement(cx: &mut Cx, l: &sv::LoopStatement, span: Span) -> Result<Stmt> {
    match l {
        sv::LoopStatement::Forever(f) => {
            let body = Box::new(lower_stmt_or_null(cx, &f.nodes.1)?);
            Ok(Stmt::Forever { body, span })
        }
        sv::LoopStatement::Repeat(r) => {
            let count = lower_expr(cx, &r.nodes.1.nodes.1)?;
            let body = Box::new(lower_stmt_or_null(cx, &r.nodes.2)?);
            Ok(Stmt::Repeat { count, body, span })
        }
        sv::LoopStatement::While(w) => {
            let cond = lower_expr(cx, &w.nodes.1.nodes.1)?;
            let body = Box::new(lower_stmt_or_null(cx, &w.nodes.2)?);
            Ok(Stmt::While { cond, body, span })
        }
        sv::LoopStatement::DoWhile(d) => {
            let body = Box::new(lower_stmt_or_null(cx, &d.nodes.1)?);
            let cond = lower_expr(cx, &d.nodes.3.nodes.1)?;
            Ok(Stmt::DoWhile { body, cond, span })
        }
        sv::LoopStatement::For(f) => for_loop(cx, f, span),
        sv::LoopStatement::Foreach(f) => {
            let (scope, arr) = &f.nodes.1.nodes.1 .0.nodes;
            if scope.is_some() {
                return Err(cx.unsupported(&**f, "`foreach` over a class or package member"));
            }
            let array = super::expr::hier_ident_expr(cx, &arr.nodes.0)?;
            let vars = f
                .nodes
                .1
                .nodes
                .1
                 .1
                .nodes
                .1
                .nodes
                .0
                .contents()
                .into_iter()
                .map(|v| v.as_ref().map(|v| cx.ident(&v.nodes.0)))
                .collect();
            let body = Box::new(lower_stmt(cx, &f.nodes.2)?);
            Ok(Stmt::Foreach {
                array,
                vars,
                body,
                span,
            })
        }
    }
}

fn for_loop(cx: &mut Cx, f: &sv::LoopStatementFor, span: Span) -> Result<Stmt> {
    let (init, _, cond, _, step) = &f.nodes.1.nodes.1;
    let mut decls = Vec::new();
    let mut inits = Vec::new();
    match init {
        None => {}
        Some(sv::ForInitialization::ListOfVariableAssignments(l)) => {
            for a in l.nodes.0.contents() {
                let a_span = cx.span(a);
                let (lhs, _, rhs) = &a.nodes;
                let lhs = lower_variable_lvalue(cx, lhs)?;
                let rhs = lower_expr(cx, rhs)?;
                inits.push(Stmt::Blocking {
                    lhs,
                    rhs,
                    span: a_span,
                });
            }
        }
        Some(sv::ForInitialization::Declaration(d)) => {
            for v in d.nodes.0.contents() {
                let (_, ty, vars) = &v.nodes;
                let ty = types::lower_data_type(cx, ty)?;
                for (id, _, e) in vars.contents().into_iter().map(|x| (&x.0, &x.1, &x.2)) {
                    let name = cx.ident(&id.nodes.0);
                    let rhs = lower_expr(cx, e)?;
                    let s = name.span.to(rhs.span);
                    decls.push(VarDecl {
                        name: name.clone(),
                        is_var: true,
                        ty: ty.clone(),
                        unpacked: Vec::new(),
                        init: None,
                        is_const: false,
                        free: None,
                        pull: None,
                        gclk: false,
                        span: s,
                    });
                    let lhs = Expr {
                        span: name.span,
                        kind: ExprKind::Ident(ScopedName {
                            package: None,
                            name,
                        }),
                    };
                    inits.push(Stmt::Blocking { lhs, rhs, span: s });
                }
            }
        }
    }
    let cond = match cond {
        Some(c) => Some(lower_expr(cx, c)?),
        None => None,
    };
    let mut steps = Vec::new();
    if let Some(step) = step {
        for s in step.nodes.0.contents() {
            let s_span = cx.span(s);
            steps.push(match s {
                sv::ForStepAssignment::OperatorAssignment(o) => operator_assignment(cx, o, s_span)?,
                sv::ForStepAssignment::IncOrDecExpression(i) => inc_or_dec(cx, i, s_span)?,
                sv::ForStepAssignment::FunctionSubroutineCall(c) => {
                    return Err(cx.unsupported(&**c, "function call as a loop step"))
                }
            });
        }
    }
    let body = Box::new(lower_stmt_or_null(cx, &f.nodes.2)?);
    Ok(Stmt::For {
        decls,
        init: inits,
        cond,
        step: steps,
        body,
        span,
    })
}

// ------------------------------------------------------------------ calls

fn call_statement(cx: &mut Cx, s: &sv::SubroutineCallStatement, span: Span) -> Result<Stmt> {
    let call = match s {
        sv::SubroutineCallStatement::SubroutineCall(c) => subroutine_call(cx, &c.0)?,
        // `void'(f(x))`
        sv::SubroutineCallStatement::Function(f) => {
            subroutine_call(cx, &f.nodes.2.nodes.1.nodes.0)?
        }
    };
    Ok(match call {
        Call::User(name, args) => Stmt::Call { name, args, span },
        Call::System(name, args) => Stmt::SysTask { name, args, span },
        // Built-in methods of queues, strings... (`q.push_back(x);`): the
        // elaborator refuses those of other types.
        Call::Method(root, name, args) => Stmt::Method {
            call: Expr {
                kind: ExprKind::Method(Box::new(root), name, args),
                span,
            },
            span,
        },
    })
}

// ------------------------------------------------------------------ timing

/// `@(posedge a or negedge b)`, `@(a, b)`, `@a`, `@*`, `@(*)`.
pub fn lower_event_control(cx: &mut Cx, e: &sv::EventControl) -> Result<Event> {
    match e {
        sv::EventControl::Asterisk(_) | sv::EventControl::ParenAsterisk(_) => Ok(Event::Star),
        sv::EventControl::EventIdentifier(i) => {
            let h = &i.nodes.1.nodes.0;
            let expr = super::expr::hier_ident_expr(cx, h)?;
            let span = expr.span;
            Ok(Event::List(vec![EventExpr {
                edge: Edge::Any,
                expr,
                span,
            }]))
        }
        sv::EventControl::EventExpression(x) => {
            let mut out = Vec::new();
            lower_event_expression(cx, &x.nodes.1.nodes.1, &mut out)?;
            Ok(Event::List(out))
        }
        sv::EventControl::SequenceIdentifier(s) => {
            Err(cx.unsupported(&**s, "sequence as an event"))
        }
    }
}

/// Flatten `a or b`, `a, b` and parentheses into a list of edges.
pub fn lower_event_expression(
    cx: &mut Cx,
    e: &sv::EventExpression,
    out: &mut Vec<EventExpr>,
) -> Result<()> {
    match e {
        sv::EventExpression::Expression(x) => {
            let (edge, expr, iff) = &x.nodes;
            if let Some((kw, _)) = iff {
                return Err(cx.unsupported(kw, "`iff` in an event control"));
            }
            let edge = match edge {
                None => Edge::Any,
                Some(sv::EdgeIdentifier::Posedge(_)) => Edge::Pos,
                Some(sv::EdgeIdentifier::Negedge(_)) => Edge::Neg,
                Some(sv::EdgeIdentifier::Edge(_)) => Edge::Both,
            };
            let span = cx.span(&**x);
            let expr = lower_expr(cx, expr)?;
            out.push(EventExpr { edge, expr, span });
            Ok(())
        }
        sv::EventExpression::Sequence(s) => Err(cx.unsupported(&**s, "sequence as an event")),
        sv::EventExpression::Or(o) => {
            lower_event_expression(cx, &o.nodes.0, out)?;
            lower_event_expression(cx, &o.nodes.2, out)
        }
        sv::EventExpression::Comma(c) => {
            lower_event_expression(cx, &c.nodes.0, out)?;
            lower_event_expression(cx, &c.nodes.2, out)
        }
        sv::EventExpression::Paren(p) => lower_event_expression(cx, &p.nodes.0.nodes.1, out),
    }
}

/// `#5`, `#W`, `#(a + b)`.
fn delay_control(cx: &mut Cx, d: &sv::DelayControl) -> Result<Expr> {
    match d {
        sv::DelayControl::Delay(dd) => match &dd.nodes.1 {
            sv::DelayValue::UnsignedNumber(n) => {
                let span = cx.loc(&n.nodes.0);
                let text = cx.text(&n.nodes.0);
                let num = parse_number(&text).map_err(|m| cx.error(span, m))?;
                Ok(Expr {
                    kind: ExprKind::Number(num),
                    span,
                })
            }
            sv::DelayValue::PsIdentifier(p) => {
                let (scope, id) = &p.nodes;
                let package = scope.as_ref().map(|s| super::expr::package_scope(cx, s));
                let name = cx.ident(id);
                let span = match &package {
                    Some(p) => p.span.to(name.span),
                    None => name.span,
                };
                Ok(Expr {
                    kind: ExprKind::Ident(ScopedName { package, name }),
                    span,
                })
            }
            sv::DelayValue::HierarchicalIdentifier(h) => super::expr::hier_ident_expr(cx, h),
            other => Err(cx.unsupported(other, "real or time delay")),
        },
        sv::DelayControl::Mintypmax(m) => lower_mintypmax(cx, &m.nodes.1.nodes.1),
    }
}

// ------------------------------------------------------------------ assertions

fn assertion(
    cx: &mut Cx,
    a: &sv::ProceduralAssertionStatement,
    label: Option<Ident>,
    span: Span,
) -> Result<Stmt> {
    match a {
        sv::ProceduralAssertionStatement::Concurrent(c) => {
            let mut ca = sva::lower_concurrent_assertion_statement(cx, c)?;
            if ca.label.is_none() {
                ca.label = label;
            }
            Ok(Stmt::Assertion(Box::new(ca)))
        }
        sv::ProceduralAssertionStatement::Immediate(i) => {
            let (kind, expr, action) = match &**i {
                sv::ImmediateAssertionStatement::Simple(s) => match &**s {
                    sv::SimpleImmediateAssertionStatement::Assert(x) => {
                        (AssertKind::Assert, &x.nodes.1, Action::Block(&x.nodes.2))
                    }
                    sv::SimpleImmediateAssertionStatement::Assume(x) => {
                        (AssertKind::Assume, &x.nodes.1, Action::Block(&x.nodes.2))
                    }
                    sv::SimpleImmediateAssertionStatement::Cover(x) => {
                        (AssertKind::Cover, &x.nodes.1, Action::Pass(&x.nodes.2))
                    }
                },
                sv::ImmediateAssertionStatement::Deferred(d) => deferred_parts(d),
            };
            immediate(cx, kind, expr, action, label, span)
        }
        sv::ProceduralAssertionStatement::Checker(c) => {
            Err(cx.unsupported(&**c, "checker instantiation"))
        }
    }
}

type Parts<'a> = (AssertKind, &'a sv::Paren<sv::Expression>, Action<'a>);

fn deferred_parts(d: &sv::DeferredImmediateAssertionStatement) -> Parts<'_> {
    match d {
        sv::DeferredImmediateAssertionStatement::Assert(x) => {
            (AssertKind::Assert, &x.nodes.2, Action::Block(&x.nodes.3))
        }
        sv::DeferredImmediateAssertionStatement::Assume(x) => {
            (AssertKind::Assume, &x.nodes.2, Action::Block(&x.nodes.3))
        }
        sv::DeferredImmediateAssertionStatement::Cover(x) => {
            (AssertKind::Cover, &x.nodes.2, Action::Pass(&x.nodes.3))
        }
    }
}

/// A deferred immediate assertion at module level (`assert #0 (e);`,
/// `assert final (e);`, 16.4): it checks the settled value of `e` in
/// every cycle, as the same assertion inside `always_comb` does (in cycle
/// semantics every value is the settled one, so `#0` and `final` agree).
pub(super) fn deferred_item(cx: &mut Cx, d: &sv::DeferredImmediateAssertionItem) -> Result<Always> {
    let (label, stmt) = &d.nodes;
    let label = label.as_ref().map(|(id, _)| cx.ident(&id.nodes.0));
    let span = cx.span(d);
    let (kind, expr, action) = deferred_parts(stmt);
    let body = immediate(cx, kind, expr, action, label, span)?;
    Ok(Always {
        kind: AlwaysKind::AlwaysComb,
        body,
        span,
    })
}

fn immediate(
    cx: &mut Cx,
    kind: AssertKind,
    expr: &sv::Paren<sv::Expression>,
    action: Action,
    label: Option<Ident>,
    span: Span,
) -> Result<Stmt> {
    {
        {
            let expr = lower_expr(cx, &expr.nodes.1)?;
            let (pass, fail) = match action {
                Action::Pass(s) => (optional_body(cx, s)?, None),
                Action::Block(sv::ActionBlock::StatementOrNull(s)) => (optional_body(cx, s)?, None),
                Action::Block(sv::ActionBlock::Else(e)) => {
                    let (pass, _, fail) = &e.nodes;
                    let pass = match pass {
                        Some(p) => Some(Box::new(lower_stmt(cx, p)?)),
                        None => None,
                    };
                    (pass, Some(Box::new(lower_stmt_or_null(cx, fail)?)))
                }
            };
            Ok(Stmt::ImmediateAssert {
                kind,
                label,
                expr,
                pass,
                fail,
                span,
            })
        }
    }
}

enum Action<'a> {
    Block(&'a sv::ActionBlock),
    Pass(&'a sv::StatementOrNull),
}
