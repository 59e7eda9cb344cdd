//! `verify --lint`: parse, elaborate, summarise.

use crate::cli::RunArgs;
use crate::{frontend, status};

pub fn run(args: &RunArgs, color: bool) -> anyhow::Result<u8> {
    let loaded = frontend::load(args, color)?;
    // Several uninstantiated modules: each was elaborated, one line each.
    for e in std::iter::once(&loaded.elab).chain(&loaded.elab.others) {
        summary(e);
    }
    if args.times {
        for (phase, t) in &loaded.times {
            println!("{phase:>10}: {:.3} s", t.as_secs_f64());
        }
    }
    if args.dump_ir {
        for e in std::iter::once(&loaded.elab).chain(&loaded.elab.others) {
            print!(
                "{}",
                rtl::passes::print::dump(&e.design, Some(&loaded.sources))
            );
        }
    }
    Ok(status::OK)
}

fn summary(e: &rtl::elab::Elaborated) {
    let d = &e.design;
    let s = &e.stats;
    let regs: Vec<&rtl::ir::Reg> = d.regs.iter().filter(|r| !r.synthetic).collect();
    let bits: u64 = regs.iter().map(|r| r.width as u64).sum();
    println!(
        "{}: {} module{}, {} instance{}, {} register{} ({} bit{}), {} memor{}, {} propert{}",
        d.top,
        s.modules,
        plural(s.modules),
        s.instances,
        plural(s.instances),
        regs.len(),
        plural(regs.len()),
        bits,
        plural(bits as usize),
        d.mems.len(),
        if d.mems.len() == 1 { "y" } else { "ies" },
        d.props.len(),
        if d.props.len() == 1 { "y" } else { "ies" },
    );
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
