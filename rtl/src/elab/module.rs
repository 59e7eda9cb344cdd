//! Modules, scopes, parameters, types, generate constructs and instances.

use super::expr::Env;
use super::types::{Member, Shape, Ty};
use super::{err, err_code, DriverKind, Elaborator, FuncRef, MemVar, ScopeId, Sym};
use crate::ast::{self, Direction, Item, TypeKind};
use crate::bits::Bits;
use crate::diag::{Code, Result};
use crate::source::Span;
use num_bigint::BigUint;
use std::collections::HashMap;

/// Instantiation depth beyond which we assume recursion.
const MAX_DEPTH: usize = 64;
/// Generate-for iterations beyond which we assume a runaway loop.
const MAX_GEN_ITERATIONS: usize = 65_536;
/// Largest unpacked array (in bits) made of separate signals.
const MAX_SIGNAL_ARRAY_BITS: u64 = 1 << 20;

/// A parameter value given from outside a module (instance or `-G`).
#[derive(Clone, Debug)]
pub(super) enum Override {
    Value(Bits, Ty),
    /// A type parameter's value, resolved where the instance is written.
    Type(Ty),
}

impl<'a> Elaborator<'a> {
    pub(super) fn elaborate_top(
        &mut self,
        top: &'a ast::Module,
        opts: &super::ElabOptions,
    ) -> Result<()> {
        self.declare_unit()?;
        self.net.top_name = top.name.name.clone();
        let mut overrides: HashMap<String, (Override, Span)> = HashMap::new();
        for (name, text) in &opts.params {
            let Some(p) = top.params.iter().find(|p| &p.name.name == name) else {
                let names: Vec<&str> = top.params.iter().map(|p| p.name.name.as_str()).collect();
                return Err(err_code(
                    Code::Param,
                    Span::NONE,
                    format!(
                        "-G {name}: module `{}` has no parameter `{name}` (parameters: {})",
                        top.name.name,
                        if names.is_empty() {
                            "none".to_string()
                        } else {
                            names.join(", ")
                        }
                    ),
                ));
            };
            let (b, signed) = parse_literal(text).ok_or_else(|| {
                err_code(
                    Code::Param,
                    Span::NONE,
                    format!("-G {name}={text}: not a number (write e.g. 12, 8'hff, 4'b1010)"),
                )
            })?;
            let ty = Ty::vector(b.width(), signed);
            overrides.insert(name.clone(), (Override::Value(b, ty), p.span));
        }
        let prefix = top.name.name.clone();
        let scope = self.instantiate(top, prefix, overrides, true)?;
        let _ = scope;
        Ok(())
    }

    /// `$unit` items and packages (packages elaborated in source order).
    fn declare_unit(&mut self) -> Result<()> {
        let unit = self.unit;
        for p in &unit.packages {
            let s = self.new_scope(Some(self.syms.unit_scope), p.name.name.clone());
            self.syms.packages.insert(p.name.name.clone(), s);
            self.syms.scopes[self.syms.unit_scope]
                .names
                .insert(p.name.name.clone(), Sym::Package);
            self.declare_items(s, &p.items, &mut 0)?;
            self.reject_behaviour(&p.items, "a package")?;
        }
        let s = self.syms.unit_scope;
        self.declare_items(s, &unit.unit_items, &mut 0)?;
        self.reject_behaviour(&unit.unit_items, "the compilation-unit scope")?;
        Ok(())
    }

    fn reject_behaviour(&mut self, items: &[Item], place: &str) -> Result<()> {
        for it in items {
            let span = match it {
                Item::Assign(a) => a.span,
                Item::Always(a) => a.span,
                Item::Initial(s) | Item::Final(s) => s.span(),
                Item::Instance(i) => i.span,
                Item::Gate(g) => g.span,
                Item::Var(v) => v.span,
                _ => continue,
            };
            return Err(err_code(
                Code::ElabUnsupported,
                span,
                format!("this item is not supported in {place}"),
            ));
        }
        Ok(())
    }

    /// Elaborate one instance of `m` under `prefix`; returns its scope.
    pub(super) fn instantiate(
        &mut self,
        m: &'a ast::Module,
        prefix: String,
        overrides: HashMap<String, (Override, Span)>,
        is_top: bool,
    ) -> Result<ScopeId> {
        if self.walk.depth >= MAX_DEPTH {
            return Err(err_code(
                Code::Limit,
                m.name.span,
                format!(
                    "module `{}` instantiates itself (hierarchy deeper than {MAX_DEPTH})",
                    m.name.name
                ),
            ));
        }
        self.walk.depth += 1;
        self.walk.instances += 1;
        self.walk.used_modules.push(m.name.name.clone());
        let scope = self.new_scope(Some(self.syms.unit_scope), prefix.clone());
        let arrays = match self.syms.signal_arrays_by_module.get(&m.name.name) {
            Some(a) => a.clone(),
            None => {
                let a = std::rc::Rc::new(super::arrays::signal_arrays(&m.items));
                self.syms
                    .signal_arrays_by_module
                    .insert(m.name.name.clone(), a.clone());
                a
            }
        };
        let outer_arrays = std::mem::replace(&mut self.syms.signal_arrays, arrays);
        let r = self.instantiate_in(m, scope, &prefix, overrides, is_top);
        self.syms.signal_arrays = outer_arrays;
        r?;
        self.walk.depth -= 1;
        Ok(scope)
    }

    fn instantiate_in(
        &mut self,
        m: &'a ast::Module,
        scope: ScopeId,
        prefix: &str,
        overrides: HashMap<String, (Override, Span)>,
        is_top: bool,
    ) -> Result<()> {
        for imp in &m.header_imports {
            self.import(scope, imp)?;
        }
        // Header parameters, overridable.
        let mut used = 0;
        for p in &m.params {
            let ov = overrides.get(&p.name.name);
            if ov.is_some() {
                used += 1;
                if p.local {
                    return Err(err_code(
                        Code::Param,
                        p.name.span,
                        format!("`{}` is a localparam and cannot be overridden", p.name.name),
                    ));
                }
            }
            self.param(scope, p, ov.map(|(o, _)| o))?;
        }
        if used < overrides.len() {
            for (name, (_, span)) in &overrides {
                if !m.params.iter().any(|p| &p.name.name == name) {
                    return Err(err_code(
                        Code::Param,
                        *span,
                        format!("module `{}` has no parameter `{name}`", m.name.name),
                    ));
                }
            }
        }
        // Ports.
        for port in &m.ports {
            let ty = self.resolve_type(scope, &port.ty)?;
            // An unpacked array port is a set of signals, one per element.
            let ty = self.unpacked_type(scope, ty, &port.unpacked, port.span)?;
            if port.dir == Direction::Inout {
                return Err(err_code(Code::ElabUnsupported, port.span, format!("port `{}`: inout ports are not supported (two-state, single-driver semantics)", port.name.name)));
            }
            let name = format!("{prefix}.{}", port.name.name);
            let v = self.add_var(name, ty.clone(), port.name.span, !port.is_var);
            self.syms.scopes[scope]
                .names
                .insert(port.name.name.clone(), Sym::Var(v));
            if is_top {
                match port.dir {
                    Direction::Input => {
                        self.net.vars[v].is_input = true;
                        self.net.top_inputs.push(v);
                    }
                    _ => {
                        self.net.vars[v].is_output = true;
                        self.net.top_outputs.push(v);
                    }
                }
            }
            if let Some(d) = &port.default {
                if port.dir == Direction::Output && port.is_var {
                    let b = self.const_eval_to(scope, d, &ty)?;
                    self.net.vars[v].init = Some(b);
                } else {
                    return Err(err_code(
                        Code::ElabUnsupported,
                        d.span,
                        "port default values are only supported on output variables",
                    ));
                }
            }
        }
        let mut genblk = 0;
        let outer = std::mem::replace(&mut self.walk.nettype, m.default_nettype.clone());
        let r = self.scope_items(scope, &m.items, &mut genblk);
        self.walk.nettype = outer;
        r?;
        self.bind_items(scope, &m.name.name)?;
        Ok(())
    }

    /// The instances bound into every instance of module `target`
    /// (`bind target ...`): elaborated in the target's scope, so their
    /// connections (`.*`, `.p(sig)`) name the target's signals.
    fn bind_items(&mut self, scope: ScopeId, target: &str) -> Result<()> {
        if self.walk.depth == 1 {
            // Once, at the top: a bind naming no module would silently drop
            // its properties.
            for b in self.walk.binds.clone() {
                if self.find_module(&b.target.name).is_none() {
                    return Err(err_code(
                        Code::UnknownModule,
                        b.target.span,
                        format!("bind: no module `{}` was read", b.target.name),
                    ));
                }
            }
        }
        let binds: Vec<&'a ast::Bind> = self
            .walk
            .binds
            .iter()
            .copied()
            .filter(|b| b.target.name == target)
            .collect();
        for b in binds {
            for it in &b.items {
                if let Item::Instance(i) = it {
                    self.instance(scope, i)?;
                }
            }
        }
        Ok(())
    }

    /// The type of a declaration with unpacked dimensions `dims` (outermost
    /// first) of elements `elem`: nested `Shape::Unpacked`.
    pub(super) fn unpacked_type(
        &mut self,
        scope: ScopeId,
        elem: Ty,
        dims: &[ast::Dim],
        span: Span,
    ) -> Result<Ty> {
        let mut ty = elem;
        for d in dims.iter().rev() {
            let (left, right) = self.unpacked_range(scope, d, span)?;
            let n = (left - right).unsigned_abs() + 1;
            let width = n
                .checked_mul(ty.width as u64)
                .filter(|w| *w <= MAX_SIGNAL_ARRAY_BITS)
                .ok_or_else(|| {
                    err_code(Code::Width,
                        span,
                        format!(
                            "unpacked array of more than {MAX_SIGNAL_ARRAY_BITS} bits kept as separate signals (it is driven continuously, reset asynchronously or used whole): too large"
                        ),
                    )
                })? as u32;
            ty = Ty {
                width,
                signed: false,
                shape: Shape::Unpacked {
                    left,
                    right,
                    elem: Box::new(ty),
                },
            };
        }
        Ok(ty)
    }

    pub(super) fn unpacked_range(
        &mut self,
        scope: ScopeId,
        d: &ast::Dim,
        span: Span,
    ) -> Result<(i64, i64)> {
        Ok(match d {
            ast::Dim::Range(l, r) => (self.const_int(scope, l)?, self.const_int(scope, r)?),
            ast::Dim::Size(n) => {
                let n = self.const_int(scope, n)?;
                if n <= 0 {
                    return Err(err_code(Code::Width, span, "array size must be positive"));
                }
                (0, n - 1)
            }
            ast::Dim::Dynamic | ast::Dim::Queue(_) | ast::Dim::Assoc(_) => {
                return Err(err_code(
                    Code::DynamicValue,
                    span,
                    "a dynamic, queue or associative dimension here (a port, a typedef, a struct member, or of a net): verify evaluates these arrays only as variables at elaboration",
                ))
            }
        })
    }

    /// Declarations then behaviour of a list of items sharing one scope.
    fn scope_items(&mut self, scope: ScopeId, items: &'a [Item], genblk: &mut usize) -> Result<()> {
        self.declare_items(scope, items, genblk)?;
        self.behaviour_items(scope, items, genblk)
    }

    pub(super) fn import(&mut self, scope: ScopeId, imp: &ast::Import) -> Result<()> {
        let Some(&ps) = self.syms.packages.get(&imp.package.name) else {
            return Err(err_code(
                Code::UnknownName,
                imp.package.span,
                format!("unknown package `{}`", imp.package.name),
            ));
        };
        match &imp.name {
            None => self.syms.scopes[scope]
                .wildcard
                .push(imp.package.name.clone()),
            Some(n) => {
                let sym = self.syms.scopes[ps]
                    .names
                    .get(&n.name)
                    .cloned()
                    .ok_or_else(|| {
                        err_code(
                            Code::UnknownName,
                            n.span,
                            format!("package `{}` has no `{}`", imp.package.name, n.name),
                        )
                    })?;
                self.syms.scopes[scope].names.insert(n.name.clone(), sym);
            }
        }
        Ok(())
    }

    /// Pass 1: functions first (constant functions may be used by
    /// parameters), then parameters, types and signals in order.
    fn declare_items(
        &mut self,
        scope: ScopeId,
        items: &'a [Item],
        _genblk: &mut usize,
    ) -> Result<()> {
        for it in items {
            if let Item::Function(f) = it {
                self.syms.funcs.push((f, scope));
                let fr = FuncRef {
                    index: self.syms.funcs.len() - 1,
                };
                self.syms.scopes[scope]
                    .names
                    .insert(f.name.name.clone(), Sym::Func(fr));
            }
        }
        let mut forwards = Vec::new();
        for it in items {
            match it {
                Item::Typedef(t) if t.forward.is_some() => forwards.push(t),
                Item::Param(p) => self.param(scope, p, None)?,
                Item::Typedef(t) => {
                    let ty = self.resolve_type(scope, &t.ty)?;
                    // `typedef int triple [1:3];`: an unpacked array type,
                    // the same as the dimensions written on each declaration.
                    let ty = self.unpacked_type(scope, ty, &t.unpacked, t.span)?;
                    self.syms.scopes[scope]
                        .names
                        .insert(t.name.name.clone(), Sym::Type(ty));
                }
                Item::Var(v) => self.declare_var(scope, v)?,
                Item::Import(i) => self.import(scope, i)?,
                Item::Genvar(_) => {}
                _ => {}
            }
        }
        for t in forwards {
            self.check_forward_typedef(scope, t)?;
        }
        self.implicit_nets(scope, items)
    }

    pub(super) fn declare_var(&mut self, scope: ScopeId, v: &'a ast::VarDecl) -> Result<()> {
        if let Some(dt) = self.dyn_decl_type(scope, &v.ty, &v.unpacked)? {
            return self.declare_dyn_var(scope, v, dt);
        }
        let ty = self.resolve_type(scope, &v.ty)?;
        let name = format!("{}.{}", self.syms.scopes[scope].prefix, v.name.name);
        if let Some(existing) = self.syms.scopes[scope].names.get(&v.name.name) {
            // A non-ANSI port redeclared is merged by lowering; anything else is a clash.
            if !matches!(existing, Sym::Func(_)) {
                let first = match existing {
                    Sym::Var(i) => self.net.vars[*i].span,
                    Sym::Mem(i) => self.net.mems[*i as usize].span,
                    _ => Span::NONE,
                };
                return Err(err_code(
                    Code::Duplicate,
                    v.name.span,
                    format!("`{}` is declared twice in this scope", v.name.name),
                )
                .with_secondary(first, "first declared here"));
            }
        }
        if v.free.is_some() && (!v.unpacked.is_empty() || ty.is_unpacked() || v.init.is_some()) {
            let what = if v.init.is_some() {
                "with an initial value or a declaration assignment"
            } else {
                "on an unpacked array or struct"
            };
            return Err(err_code(
                Code::ElabUnsupported,
                v.span,
                format!(
                    "`{}`: `anyconst`/`anyseq` {what} is not supported",
                    v.name.name
                ),
            ));
        }
        let signals = !v.is_var
            || v.unpacked.len() > 1
            || ty.is_unpacked()
            || self.syms.signal_arrays.contains(&v.name.name);
        let ty = if signals {
            self.unpacked_type(scope, ty, &v.unpacked, v.span)?
        } else {
            ty
        };
        if !v.unpacked.is_empty() && !signals {
            let (left, right) = self.unpacked_range(scope, &v.unpacked[0], v.span)?;
            if (left - right).unsigned_abs() >= (1 << 28) {
                return Err(err_code(
                    Code::Width,
                    v.span,
                    format!("`{}`: memory too large", v.name.name),
                ));
            }
            if v.init.is_some() {
                return Err(err_code(
                    Code::ElabUnsupported,
                    v.span,
                    "initialisers on unpacked arrays are not supported: use an initial block",
                ));
            }
            self.net.mems.push(MemVar {
                name,
                elem: ty,
                left,
                right,
                span: v.name.span,
                init: None,
                writes: Vec::new(),
                written_by: None,
            });
            let id = self.net.mems.len() as u32 - 1;
            self.syms.scopes[scope]
                .names
                .insert(v.name.name.clone(), Sym::Mem(id));
            return Ok(());
        }
        if v.is_const {
            let init = v
                .init
                .as_ref()
                .ok_or_else(|| err(v.span, "a const variable needs a value"))?;
            let b = self.const_eval_to(scope, init, &ty)?;
            self.syms.scopes[scope]
                .names
                .insert(v.name.name.clone(), Sym::Const(b, ty));
            return Ok(());
        }
        let id = self.add_var(name, ty.clone(), v.name.span, !v.is_var);
        self.net.vars[id].free = v.free;
        self.net.vars[id].pull = v.pull;
        self.net.vars[id].gclk = v.gclk;
        self.syms.scopes[scope]
            .names
            .insert(v.name.name.clone(), Sym::Var(id));
        // `logic [7:0] r = 'x;` says "no initial value": free at cycle 0
        // in formal, seeded random in simulation (not 0).
        if let (Some(init), true) = (v.init.as_ref().filter(|e| !all_xz(e)), v.is_var) {
            self.check_enum_assign(&mut Env::cont(scope), init, &ty)?;
            // Declaration initialisers run before any process: they may read
            // the declared values of string/real/queue variables.
            self.dynv.var_init += 1;
            let b = self.const_eval_to(scope, init, &ty);
            self.dynv.var_init -= 1;
            let b = b.map_err(|_| {
                err_code(Code::NotConstant, init.span, "a variable's initial value must be a constant (use an assign or an always block)")
            })?;
            self.net.vars[id].init = Some(b);
        } else if let (None, true, Some(b)) = (&v.init, v.is_var, ty.member_defaults()) {
            // Struct member default values (7.2.2).
            self.net.vars[id].init = Some(b);
        } else if v.init.is_none() && v.is_var && v.unpacked.is_empty() && v.ty.kind.is_two_state()
        {
            // A two-state variable starts at 0 (6.8, table 6-7), in formal
            // as in simulation; only four-state ones start unknown.
            self.net.vars[id].init = Some(Bits::zero(ty.width));
        }
        Ok(())
    }

    fn param(&mut self, scope: ScopeId, p: &ast::ParamDecl, ov: Option<&Override>) -> Result<()> {
        if let Some(default) = &p.type_param {
            let ty = match (ov, default) {
                (Some(Override::Type(t)), _) => t.clone(),
                (Some(Override::Value(..)), _) => {
                    return Err(err_code(
                        Code::Param,
                        p.span,
                        format!("`{}` is a type parameter: give it a type", p.name.name),
                    ))
                }
                (None, Some(t)) => self.resolve_type(scope, t)?,
                (None, None) => {
                    return Err(err_code(
                        Code::Param,
                        p.span,
                        format!(
                            "type parameter `{}` has no default and none was given",
                            p.name.name
                        ),
                    ))
                }
            };
            self.syms.scopes[scope]
                .names
                .insert(p.name.name.clone(), Sym::Type(ty));
            return Ok(());
        }
        if self.dyn_param(scope, p, ov.is_some())? {
            return Ok(());
        }
        let declared = match p.ty.kind {
            TypeKind::Implicit if p.ty.packed.is_empty() && p.ty.signed.is_none() => None,
            _ => Some(self.resolve_type(scope, &p.ty)?),
        };
        // `parameter logic [31:0] p [3:0] = '{...}` (6.20.2): an unpacked
        // array constant; its value comes from its declaration only.
        let declared = match (declared, p.unpacked.is_empty()) {
            (d, true) => d,
            (None, false) => {
                return Err(err_code(
                    Code::Param,
                    p.span,
                    format!(
                        "parameter `{}` with unpacked dimensions needs a data type",
                        p.name.name
                    ),
                ))
            }
            (Some(t), false) => {
                if ov.is_some() {
                    return Err(err_code(
                        Code::Unsupported,
                        p.span,
                        format!(
                            "unsupported construct: overriding parameter `{}`, which has unpacked dimensions",
                            p.name.name
                        ),
                    ));
                }
                Some(self.unpacked_type(scope, t, &p.unpacked, p.span)?)
            }
        };
        let (val, ty) = match ov {
            Some(Override::Type(_)) => {
                return Err(err_code(
                    Code::WrongKind,
                    p.span,
                    format!("`{}` is a value parameter, not a type", p.name.name),
                ))
            }
            Some(Override::Value(b, vty)) => match &declared {
                Some(t) => (resize_bits(b, vty.signed, t.width), t.clone()),
                None => (b.clone(), vty.clone()),
            },
            None => {
                let e = p.value.as_ref().ok_or_else(|| {
                    err_code(
                        Code::Param,
                        p.span,
                        format!(
                            "parameter `{}` has no value and none was given",
                            p.name.name
                        ),
                    )
                })?;
                match &declared {
                    Some(t) => (self.const_eval_to(scope, e, t)?, t.clone()),
                    None => {
                        let (b, signed) = self.const_eval(scope, e)?;
                        let ty = match p.ty.signed {
                            Some(s) => Ty::vector(b.width(), s),
                            None => Ty::vector(b.width(), signed),
                        };
                        (b, ty)
                    }
                }
            }
        };
        let ty = if declared.is_none() && p.ty.signed.is_some() {
            Ty {
                signed: p.ty.signed.unwrap_or(false),
                ..ty
            }
        } else {
            ty
        };
        self.syms.scopes[scope]
            .names
            .insert(p.name.name.clone(), Sym::Const(val, ty));
        Ok(())
    }

    /// Pass 2: assignments, processes, instances, generate.
    fn behaviour_items(
        &mut self,
        scope: ScopeId,
        items: &'a [Item],
        genblk: &mut usize,
    ) -> Result<()> {
        for it in items {
            match it {
                Item::Var(v) if !v.is_var && v.init.is_some() => {
                    // Net declaration assignment: `wire x = a & b;`
                    let lhs = ast::Expr {
                        kind: ast::ExprKind::Ident(ast::ScopedName {
                            package: None,
                            name: v.name.clone(),
                        }),
                        span: v.name.span,
                    };
                    if let Some(init) = &v.init {
                        self.cont_assign(scope, &lhs, init, v.span)?;
                    }
                }
                Item::Assign(a) => self.cont_assign(scope, &a.lhs, &a.rhs, a.span)?,
                Item::Always(a) => self.always(scope, a)?,
                Item::Initial(s) => self.initial(scope, s)?,
                Item::Final(s) => {
                    self.warn(
                        Code::FinalIgnored,
                        s.span(),
                        "`final` block ignored (it has no effect in cycle semantics)",
                    );
                }
                Item::Instance(i) => self.instance(scope, i)?,
                Item::Gate(g) => self.gate(scope, g)?,
                Item::GenFor(f) => {
                    *genblk += 1;
                    self.gen_for(scope, f, *genblk)?;
                }
                Item::GenIf(g) => {
                    *genblk += 1;
                    let c = self.const_eval(scope, &g.cond)?.0;
                    if !c.is_zero() {
                        self.gen_block(scope, &g.then, *genblk)?;
                    } else if let Some(e) = &g.els {
                        self.gen_block(scope, e, *genblk)?;
                    }
                }
                Item::GenCase(c) => {
                    *genblk += 1;
                    let (v, vs) = self.const_eval(scope, &c.expr)?;
                    let mut chosen = None;
                    for (labels, block) in &c.arms {
                        if labels.is_empty() {
                            continue;
                        }
                        for l in labels {
                            let (lv, ls) = self.const_eval(scope, l)?;
                            let w = v.width().max(lv.width());
                            if resize_bits(&v, vs && ls, w) == resize_bits(&lv, vs && ls, w) {
                                chosen = Some(block);
                                break;
                            }
                        }
                        if chosen.is_some() {
                            break;
                        }
                    }
                    if chosen.is_none() {
                        chosen = c.arms.iter().find(|(l, _)| l.is_empty()).map(|(_, b)| b);
                    }
                    if let Some(b) = chosen {
                        self.gen_block(scope, b, *genblk)?;
                    }
                }
                Item::GenBlock(b) => {
                    if b.label.is_some() {
                        *genblk += 1;
                        self.gen_block(scope, b, *genblk)?;
                    } else {
                        self.scope_items(scope, &b.items, genblk)?;
                    }
                }
                Item::Assertion(_)
                | Item::PropertyDecl(_)
                | Item::SequenceDecl(_)
                | Item::DefaultClocking(_)
                | Item::DefaultDisable(_) => self.sva_item(scope, it)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn gen_block(&mut self, scope: ScopeId, b: &'a ast::GenBlock, n: usize) -> Result<()> {
        let name = b
            .label
            .as_ref()
            .map(|l| l.name.clone())
            .unwrap_or_else(|| format!("genblk{n}"));
        let prefix = format!("{}.{}", self.syms.scopes[scope].prefix, name);
        let s = self.new_scope(Some(scope), prefix);
        if let Some(l) = &b.label {
            self.syms.scopes[scope]
                .names
                .insert(l.name.clone(), Sym::Scope(s));
        }
        let mut inner = 0;
        self.scope_items(s, &b.items, &mut inner)
    }

    fn gen_for(&mut self, scope: ScopeId, f: &'a ast::GenFor, n: usize) -> Result<()> {
        let name = f
            .block
            .label
            .as_ref()
            .map(|l| l.name.clone())
            .unwrap_or_else(|| format!("genblk{n}"));
        let int = Ty::vector(32, true);
        let mut val = self.const_eval_to(scope, &f.init, &int)?;
        for _ in 0..MAX_GEN_ITERATIONS {
            // Condition and step see the genvar in a scope of their own.
            let probe = self.new_scope(Some(scope), self.syms.scopes[scope].prefix.clone());
            self.syms.scopes[probe]
                .names
                .insert(f.genvar.name.clone(), Sym::Const(val.clone(), int.clone()));
            if self.const_eval(probe, &f.cond)?.0.is_zero() {
                return Ok(());
            }
            let idx = val.to_i64().unwrap_or(0);
            let prefix = format!("{}.{}[{}]", self.syms.scopes[scope].prefix, name, idx);
            let s = self.new_scope(Some(scope), prefix);
            self.syms.scopes[s]
                .names
                .insert(f.genvar.name.clone(), Sym::Const(val.clone(), int.clone()));
            if let Some(l) = &f.block.label {
                let entry = self.syms.scopes[scope]
                    .names
                    .entry(l.name.clone())
                    .or_insert(Sym::GenArray(Vec::new()));
                if let Sym::GenArray(v) = entry {
                    v.push((idx, s));
                }
            }
            let mut inner = 0;
            self.scope_items(s, &f.block.items, &mut inner)?;
            val = self.const_eval_to(probe, &f.step, &int)?;
        }
        Err(err_code(
            Code::Limit,
            f.span,
            format!("generate loop runs more than {MAX_GEN_ITERATIONS} times"),
        ))
    }

    fn instance(&mut self, scope: ScopeId, inst: &'a ast::Instance) -> Result<()> {
        let Some(m) = self.find_module(&inst.module.name) else {
            let mut names: Vec<&str> = self
                .unit
                .modules
                .iter()
                .map(|m| m.name.name.as_str())
                .collect();
            names.sort();
            return Err(crate::diag::Diagnostic::error(
                Code::UnknownModule,
                inst.module.span,
                format!("unknown module `{}`", inst.module.name),
            )
            .with_label("no module of this name was read")
            .with_note(format!(
                "modules read: {}; add the file that defines it to the command line or file list",
                names.join(", ")
            ))
            .into());
        };
        // Parameter overrides, evaluated in the parent scope.
        let mut overrides = HashMap::new();
        let overridable: Vec<&ast::ParamDecl> = m.params.iter().filter(|p| !p.local).collect();
        let mut pos = 0;
        for pa in &inst.params {
            let (pname, val, span) = match pa {
                ast::ParamAssign::Positional(v) => {
                    let p = overridable.get(pos).ok_or_else(|| {
                        err_code(
                            Code::Param,
                            inst.span,
                            format!("too many parameter values for module `{}`", m.name.name),
                        )
                    })?;
                    pos += 1;
                    (p.name.name.clone(), Some(v), p.span)
                }
                ast::ParamAssign::Named(n, v) => (n.name.clone(), v.as_ref(), n.span),
            };
            let Some(val) = val else { continue };
            let ov = match val {
                ast::ParamValue::Expr(e) => {
                    if let ast::ExprKind::Ident(sn) = &e.kind {
                        if let Ok(Sym::Type(t)) = self.lookup(scope, sn) {
                            overrides.insert(pname, (Override::Type(t), span));
                            continue;
                        }
                    }
                    let (b, s) = self.const_eval(scope, e)?;
                    let w = b.width();
                    Override::Value(b, Ty::vector(w, s))
                }
                ast::ParamValue::Type(t) => Override::Type(self.resolve_type(scope, t)?),
            };
            overrides.insert(pname, (ov, span));
        }
        let prefix = format!("{}.{}", self.syms.scopes[scope].prefix, inst.name.name);
        // An array of instances (23.3.2): one instance per index, leftmost
        // first, reachable as `u[2].sig`.
        let children: Vec<ScopeId> = match inst.unpacked.as_slice() {
            [] => {
                let child = self.instantiate(m, prefix, overrides, false)?;
                self.syms.scopes[scope]
                    .names
                    .insert(inst.name.name.clone(), Sym::Scope(child));
                vec![child]
            }
            [d] => {
                let (left, right) = self.unpacked_range(scope, d, inst.span)?;
                let n = (left - right).unsigned_abs() + 1;
                if n > MAX_GEN_ITERATIONS as u64 {
                    return Err(err_code(
                        Code::Width,
                        inst.span,
                        "array of instances too large",
                    ));
                }
                let mut list = Vec::new();
                for k in 0..n as i64 {
                    let idx = if left >= right { left - k } else { left + k };
                    let p = format!("{prefix}[{idx}]");
                    let child = self.instantiate(m, p, overrides.clone(), false)?;
                    list.push((idx, child));
                }
                let children = list.iter().map(|(_, c)| *c).collect();
                self.syms.scopes[scope]
                    .names
                    .insert(inst.name.name.clone(), Sym::GenArray(list));
                children
            }
            _ => return Err(err_code(
                Code::ElabUnsupported,
                inst.span,
                "multi-dimensional arrays of instances are not supported: use a generate for loop",
            )),
        };
        // Port connections.
        let mut connected: Vec<bool> = vec![false; m.ports.len()];
        let mut wildcard = None;
        for (i, c) in inst.conns.iter().enumerate() {
            let (idx, expr): (usize, Option<ast::Expr>) = match c {
                ast::PortConn::Positional(e) => {
                    if i >= m.ports.len() {
                        return Err(err(
                            inst.span,
                            format!("too many port connections for module `{}`", m.name.name),
                        ));
                    }
                    (i, e.clone())
                }
                ast::PortConn::Named(n, e) => (self.port_index(m, n)?, e.clone()),
                ast::PortConn::Implicit(n) => {
                    let idx = self.port_index(m, n)?;
                    (idx, Some(ident_expr(n)))
                }
                ast::PortConn::Wildcard(s) => {
                    wildcard = Some(*s);
                    continue;
                }
            };
            if connected[idx] {
                return Err(err_code(
                    Code::Duplicate,
                    inst.span,
                    format!("port `{}` connected twice", m.ports[idx].name.name),
                ));
            }
            connected[idx] = true;
            if let Some(e) = expr {
                self.connect_all(scope, &children, &m.ports[idx], &e)?;
            }
        }
        for (idx, port) in m.ports.iter().enumerate() {
            if connected[idx] {
                continue;
            }
            if let Some(ws) = wildcard {
                let name = ast::Ident {
                    name: port.name.name.clone(),
                    span: ws,
                };
                let sn = ast::ScopedName {
                    package: None,
                    name: name.clone(),
                };
                if self.lookup(scope, &sn).is_err() {
                    return Err(err_code(
                        Code::UnknownName,
                        ws,
                        format!(
                            "`.*`: no signal `{}` here to connect to port `{}`",
                            port.name.name, port.name.name
                        ),
                    ));
                }
                self.connect_all(scope, &children, port, &ident_expr(&name))?;
            } else if port.dir == Direction::Input {
                self.warn(
                    Code::PortUnconnected,
                    inst.span,
                    format!(
                        "input port `{}` of `{}` is not connected: it is undriven (free in formal, random in simulation)",
                        port.name.name, inst.name.name
                    ),
                );
            }
        }
        Ok(())
    }

    fn port_index(&self, m: &ast::Module, n: &ast::Ident) -> Result<usize> {
        m.ports
            .iter()
            .position(|p| p.name.name == n.name)
            .ok_or_else(|| {
                err_code(
                    Code::UnknownName,
                    n.span,
                    format!("module `{}` has no port `{}`", m.name.name, n.name),
                )
            })
    }

    /// Connect `e` to `port` of every instance of an instance array
    /// (23.3.3.5): an expression as wide as the port goes to each instance
    /// (inputs only); one `n` times as wide is split, the leftmost instance
    /// taking the most significant part (an unpacked array: its leftmost
    /// element).
    fn connect_all(
        &mut self,
        parent: ScopeId,
        children: &[ScopeId],
        port: &ast::Port,
        e: &ast::Expr,
    ) -> Result<()> {
        let [child] = children else {
            let n = children.len() as u32;
            let Some(Sym::Var(v0)) = self.syms.scopes[children[0]]
                .names
                .get(&port.name.name)
                .cloned()
            else {
                return Err(err_code(
                    Code::Internal,
                    port.span,
                    "internal: port without a signal",
                ));
            };
            let pw = self.net.vars[v0.index()].ty.width;
            let mut env = Env::cont(parent);
            let ew = match port.dir {
                Direction::Input => self.self_type(&mut env, e)?.0,
                _ => self.lvalue_type(&mut env, e)?.width,
            };
            if ew as u64 != pw as u64 * n as u64 {
                if port.dir == Direction::Input {
                    for c in children {
                        self.connect(parent, *c, port, e)?;
                    }
                    return Ok(());
                }
                return Err(err_code(Code::Width,
                    e.span,
                    format!(
                        "output port `{}` of an array of {n} instances needs a connection of {} bits ({n} x {pw}), not {ew}",
                        port.name.name,
                        pw as u64 * n as u64
                    ),
                ));
            }
            let mut vars = Vec::new();
            for c in children {
                let Some(Sym::Var(v)) = self.syms.scopes[*c].names.get(&port.name.name).cloned()
                else {
                    return Err(err_code(
                        Code::Internal,
                        port.span,
                        "internal: port without a signal",
                    ));
                };
                vars.push(v);
            }
            if port.dir == Direction::Input {
                let (w, s) = self.self_type(&mut env, e)?;
                let g = self.gen(&mut env, e, w, s)?;
                for (k, v) in vars.iter().enumerate() {
                    let lo = (n - 1 - k as u32) * pw;
                    let piece = self.g.slice(g, lo, pw);
                    self.drive(*v, 0, piece, e.span, DriverKind::Assign);
                }
            } else {
                let parts: Vec<_> = vars
                    .iter()
                    .map(|v| {
                        let span = self.net.vars[*v].span;
                        self.g.var(*v, pw, span)
                    })
                    .collect();
                let val = self.g.concat(parts);
                self.cont_assign_value(parent, e, val, false, e.span)?;
            }
            return Ok(());
        };
        self.connect(parent, *child, port, e)
    }

    fn connect(
        &mut self,
        parent: ScopeId,
        child: ScopeId,
        port: &ast::Port,
        e: &ast::Expr,
    ) -> Result<()> {
        let Some(Sym::Var(v)) = self.syms.scopes[child].names.get(&port.name.name).cloned() else {
            return Err(err_code(
                Code::Internal,
                port.span,
                "internal: port without a signal",
            ));
        };
        match port.dir {
            Direction::Input => {
                let ty = self.net.vars[v].ty.clone();
                let mut env = Env::cont(parent);
                let val = self.assign_rhs(&mut env, e, &ty)?;
                self.drive(v, 0, val, e.span, DriverKind::Assign);
            }
            _ => {
                let w = self.net.vars[v].ty.width;
                let span = self.net.vars[v].span;
                let val = self.g.var(v, w, span);
                let signed = self.net.vars[v].ty.signed;
                self.cont_assign_value(parent, e, val, signed, e.span)?;
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------ types

    pub(super) fn resolve_type(&mut self, scope: ScopeId, t: &ast::DataType) -> Result<Ty> {
        let signed_kw = t.signed;
        let base: Ty = match &t.kind {
            TypeKind::Implicit | TypeKind::Logic | TypeKind::Reg | TypeKind::Bit => {
                Ty::bit(signed_kw.unwrap_or(false))
            }
            TypeKind::Byte => Ty::vector(8, signed_kw.unwrap_or(true)),
            TypeKind::ShortInt => Ty::vector(16, signed_kw.unwrap_or(true)),
            TypeKind::Int | TypeKind::Integer => Ty::vector(32, signed_kw.unwrap_or(true)),
            TypeKind::LongInt => Ty::vector(64, signed_kw.unwrap_or(true)),
            TypeKind::String | TypeKind::Real | TypeKind::ShortReal => {
                return Err(err_code(
                    Code::DynamicValue,
                    t.span,
                    "a string or real type here (a function argument or result, a typedef, a port, a struct member): verify evaluates these types only for variables and parameters at elaboration",
                ))
            }
            TypeKind::Named(sn) => match self.lookup(scope, sn)? {
                Sym::Type(t) => t,
                _ => {
                    return Err(err_code(
                        Code::WrongKind,
                        sn.name.span,
                        format!("`{}` is not a type", sn.name.name),
                    ))
                }
            },
            TypeKind::Enum { base, items } => {
                self.enum_type(scope, base.as_deref(), items, t.span)?
            }
            TypeKind::Struct { packed, members } | TypeKind::Union { packed, members } => {
                let is_union = matches!(t.kind, TypeKind::Union { .. });
                if !packed && is_union {
                    return Err(err_code(
                        Code::ElabUnsupported,
                        t.span,
                        "unpacked unions are not supported: use `union packed`",
                    ));
                }
                let mut ms = Vec::new();
                for m in members {
                    let ty = self.resolve_type(scope, &m.ty)?;
                    let ty = self.unpacked_type(scope, ty, &m.unpacked, m.span)?;
                    if *packed && ty.is_unpacked() {
                        return Err(err_code(
                            Code::Type,
                            m.span,
                            format!(
                                "member `{}` of a packed struct has an unpacked type",
                                m.name.name
                            ),
                        ));
                    }
                    let default = match &m.default {
                        Some(d) => Some(self.const_eval_to(scope, d, &ty)?),
                        None => None,
                    };
                    ms.push((m.name.name.clone(), ty, m.span, default));
                }
                let width: u32 = if is_union {
                    let w = ms.first().map(|m| m.1.width).unwrap_or(1);
                    if let Some(bad) = ms.iter().find(|m| m.1.width != w) {
                        return Err(err_code(
                            Code::Type,
                            bad.2,
                            "members of a packed union must all have the same width",
                        ));
                    }
                    w
                } else {
                    ms.iter().map(|m| m.1.width).sum()
                };
                if width == 0 {
                    return Err(err_code(Code::Type, t.span, "empty struct"));
                }
                let mut lo = width;
                let mut members_out = Vec::new();
                for (name, ty, _, default) in ms {
                    let mlo = if is_union { 0 } else { lo - ty.width };
                    lo = mlo;
                    members_out.push(Member {
                        name,
                        ty,
                        lo: mlo,
                        default,
                    });
                }
                if *packed {
                    Ty {
                        width,
                        signed: signed_kw.unwrap_or(false),
                        shape: Shape::Struct(members_out),
                    }
                } else {
                    // Laid out as if packed; each member is a signal of its own.
                    Ty {
                        width,
                        signed: false,
                        shape: Shape::UStruct(members_out),
                    }
                }
            }
        };
        let is_int_atom = matches!(
            t.kind,
            TypeKind::Byte
                | TypeKind::ShortInt
                | TypeKind::Int
                | TypeKind::Integer
                | TypeKind::LongInt
        );
        if is_int_atom && !t.packed.is_empty() {
            return Err(err_code(
                Code::Type,
                t.span,
                "packed dimensions on an integer type",
            ));
        }
        if base.is_unpacked() && !t.packed.is_empty() {
            return Err(err(
                t.span,
                "packed dimensions on an unpacked type (an unpacked array or struct)",
            ));
        }
        let mut ty = base;
        // Packed dims, innermost last: build from the inside out.
        let signed_vec = ty.signed;
        for d in t.packed.iter().rev() {
            let (left, right) = match d {
                ast::Dim::Range(l, r) => (self.const_int(scope, l)?, self.const_int(scope, r)?),
                _ => {
                    return Err(err_code(
                        Code::Type,
                        t.span,
                        "a packed dimension needs a range `[msb:lsb]`",
                    ))
                }
            };
            let n = (left - right).unsigned_abs() + 1;
            let width = n
                .checked_mul(ty.width as u64)
                .filter(|w| *w <= (1 << 24))
                .ok_or_else(|| {
                    err_code(Code::Width, t.span, "type too wide (more than 16M bits)")
                })? as u32;
            let mut elem = ty;
            elem.signed = false;
            ty = Ty {
                width,
                signed: false,
                shape: Shape::Vector {
                    left,
                    right,
                    elem: Box::new(elem),
                },
            };
        }
        if !t.packed.is_empty() {
            ty.signed = signed_kw.unwrap_or(signed_vec && matches!(t.kind, TypeKind::Named(_)));
        }
        Ok(ty)
    }

    fn enum_type(
        &mut self,
        scope: ScopeId,
        base: Option<&ast::DataType>,
        items: &[ast::EnumItem],
        span: Span,
    ) -> Result<Ty> {
        let base_ty = match base {
            Some(b) => self.resolve_type(scope, b)?,
            None => Ty::vector(32, true),
        };
        let two_state = base.as_ref().is_none_or(|b| b.kind.is_two_state());
        let w = base_ty.width;
        let mut values: Vec<(String, Bits)> = Vec::new();
        let mut next = Bits::zero(w);
        for it in items {
            let v = match &it.value {
                Some(e) => {
                    if let ast::ExprKind::Number(n) = &e.kind {
                        if n.width.is_some_and(|nw| nw != w) {
                            return Err(err_code(Code::Type,
                                e.span,
                                format!("enum value `{}` is a sized literal of {} bits, the base type has {w} (IEEE 1800 6.19)", it.name.name, n.width.unwrap_or(0)),
                            ));
                        }
                    }
                    let (b, s) = self.const_eval(scope, e)?;
                    if b.width() > w && !fits(&b, s, w) {
                        return Err(err_code(
                            Code::Width,
                            e.span,
                            format!("enum value does not fit in {w} bits"),
                        ));
                    }
                    resize_bits(&b, s, w)
                }
                None => next.clone(),
            };
            if let Some((other, _)) = values.iter().find(|(_, x)| *x == v) {
                return Err(err_code(
                    Code::Duplicate,
                    it.span,
                    format!("enum value of `{}` equals that of `{other}`", it.name.name),
                )
                .with_secondary(
                    items
                        .iter()
                        .find(|x| &x.name.name == other)
                        .map_or(Span::NONE, |x| x.span),
                    format!("`{other}` has the same value"),
                ));
            }
            next = v.add(&Bits::from_u64(w, 1));
            values.push((it.name.name.clone(), v));
        }
        if values.is_empty() {
            return Err(err_code(Code::Type, span, "empty enum"));
        }
        let ty = Ty {
            width: w,
            signed: base_ty.signed,
            shape: Shape::Enum {
                base: Box::new(base_ty),
                values: values.clone(),
                two_state,
            },
        };
        for (name, v) in values {
            self.syms.scopes[scope]
                .names
                .insert(name, Sym::Const(v, ty.clone()));
        }
        Ok(ty)
    }

    /// Resolve a name through the scope chain, then wildcard imports.
    pub(super) fn lookup(&self, scope: ScopeId, sn: &ast::ScopedName) -> Result<Sym> {
        if let Some(pkg) = &sn.package {
            let ps = if pkg.name == "$unit" {
                self.syms.unit_scope
            } else {
                *self.syms.packages.get(&pkg.name).ok_or_else(|| {
                    err_code(
                        Code::UnknownName,
                        pkg.span,
                        format!("unknown package `{}`", pkg.name),
                    )
                })?
            };
            return self.syms.scopes[ps]
                .names
                .get(&sn.name.name)
                .cloned()
                .ok_or_else(|| {
                    err_code(
                        Code::UnknownName,
                        sn.name.span,
                        format!("package `{}` has no `{}`", pkg.name, sn.name.name),
                    )
                });
        }
        let name = &sn.name.name;
        let mut s = Some(scope);
        while let Some(i) = s {
            if let Some(sym) = self.syms.scopes[i].names.get(name) {
                return Ok(sym.clone());
            }
            for p in &self.syms.scopes[i].wildcard {
                if let Some(ps) = self.syms.packages.get(p) {
                    if let Some(sym) = self.syms.scopes[*ps].names.get(name) {
                        return Ok(sym.clone());
                    }
                }
            }
            s = self.syms.scopes[i].parent;
        }
        Err(crate::diag::Diagnostic::error(
            Code::UnknownName,
            sn.name.span,
            format!("`{name}` is not declared"),
        )
        .with_label("unknown name")
        .into())
    }
}

fn ident_expr(n: &ast::Ident) -> ast::Expr {
    ast::Expr {
        kind: ast::ExprKind::Ident(ast::ScopedName {
            package: None,
            name: n.clone(),
        }),
        span: n.span,
    }
}

/// Resize a constant, sign-extending if `signed`.
pub(super) fn resize_bits(b: &Bits, signed: bool, width: u32) -> Bits {
    if width <= b.width() {
        b.slice(0, width)
    } else if signed {
        b.sext(width)
    } else {
        b.zext(width)
    }
}

/// Whether `b` (signed or not) keeps its value in `w` bits.
fn fits(b: &Bits, signed: bool, w: u32) -> bool {
    resize_bits(&resize_bits(b, signed, w), signed, b.width()) == *b
}

/// A command-line value: `12`, `-3`, `8'hff`, `4'sb1010`, `'h1f`, `0x1f`.
pub(super) fn parse_literal(text: &str) -> Option<(Bits, bool)> {
    let t: String = text.trim().chars().filter(|c| *c != '_').collect();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        let v = BigUint::parse_bytes(hex.as_bytes(), 16)?;
        let w = (v.bits() as u32).max(32);
        return Some((Bits::new(w, v), false));
    }
    if let Some(q) = t.find('\'') {
        let width: Option<u32> = if q == 0 {
            None
        } else {
            Some(t[..q].parse().ok()?)
        };
        let mut rest = &t[q + 1..];
        let signed = rest.starts_with(['s', 'S']);
        if signed {
            rest = &rest[1..];
        }
        let radix = match rest.chars().next()?.to_ascii_lowercase() {
            'b' => 2,
            'o' => 8,
            'd' => 10,
            'h' => 16,
            _ => return None,
        };
        let v = BigUint::parse_bytes(&rest.as_bytes()[1..], radix)?;
        let w = width.unwrap_or(32).max(1);
        if v.bits() > w as u64 {
            return None;
        }
        return Some((Bits::new(w, v), signed));
    }
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.as_str()),
    };
    let v = BigUint::parse_bytes(digits.as_bytes(), 10)?;
    let w = (v.bits() as u32 + 1).max(32);
    let b = Bits::new(w, v);
    Some((if neg { b.neg() } else { b }, true))
}

/// A literal whose every digit is x or z (`'x`, `8'hxx`, `'bz`).
fn all_xz(e: &ast::Expr) -> bool {
    match &e.kind {
        ast::ExprKind::Unbased(u) => {
            matches!(u, ast::UnbasedUnsized::X | ast::UnbasedUnsized::Z)
        }
        ast::ExprKind::Number(n) => {
            let ones = n.xz.count_ones();
            ones > 0
                && n.value == BigUint::default()
                && n.xz.bits() == ones
                && n.width.is_none_or(|w| ones == u64::from(w))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_from_the_command_line() {
        let (b, s) = parse_literal("12").unwrap();
        assert_eq!((b.width(), b.to_u64(), s), (32, Some(12), true));
        let (b, s) = parse_literal("8'hff").unwrap();
        assert_eq!((b.width(), b.to_u64(), s), (8, Some(255), false));
        let (b, _) = parse_literal("-3").unwrap();
        assert_eq!(b.to_i64(), Some(-3));
        assert!(parse_literal("4'hff").is_none());
        assert!(parse_literal("abc").is_none());
    }
}
