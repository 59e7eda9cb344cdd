//! Testbench data types (`string`, `real`, queues, dynamic and associative
//! arrays) computed at elaboration: initial blocks evaluate them
//! concretely, and the integral values they leave become constant initial
//! values; every boundary of that world is refused with E0362.

mod common;

use common::{compile, run};
use rtl::diag::Code;
use rtl::elab::ElabOptions;
use rtl::ir::Design;
use rtl::Bits;

/// The initial value of register `t.name` (a register that holds it:
/// written by the initial block, kept by an always_ff).
fn init(d: &Design, name: &str) -> Bits {
    let full = format!("t.{name}");
    d.regs
        .iter()
        .find(|r| r.name == full)
        .unwrap_or_else(|| panic!("no register {full}"))
        .init
        .clone()
        .unwrap_or_else(|| panic!("{full} has no initial value"))
}

fn val(d: &Design, name: &str) -> i64 {
    let b = init(d, name);
    if b.width() < 64 && b.msb() {
        b.sext(64).to_i64().unwrap()
    } else {
        b.to_i64().unwrap_or_else(|| b.low_u64() as i64)
    }
}

/// A module with registers `names` (32-bit signed) held by a clocked
/// block, and `body` as its items.
fn module(names: &[&str], body: &str) -> String {
    let decls: String = names.iter().map(|n| format!("int {n};\n")).collect();
    let holds: String = names.iter().map(|n| format!("{n} <= {n}; ")).collect();
    format!(
        "module t(input logic clk);\n{decls}{body}\nalways_ff @(posedge clk) begin {holds} end\nendmodule\n"
    )
}

fn refused(src: &str) -> (Code, String, u32) {
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    match c.result {
        Ok(_) => panic!("expected a refusal:\n{src}"),
        Err(e) => {
            let d = &e.diags[0];
            let line = c.sources.location(d.span).map(|l| l.line).unwrap_or(0);
            (d.code, d.message.clone(), line)
        }
    }
}

#[test]
fn string_operations_give_constants() {
    let d = compile(&module(
        &[
            "len", "cmp", "eq", "ch", "up", "sub", "num", "hex", "lt", "rep",
        ],
        r#"
        string s = "Hello";
        initial begin
          string t;
          t = {s, "_", "World"};
          len = t.len();
          cmp = s.compare("Help");
          eq = (t == "Hello_World");
          ch = t.getc(6);
          t = t.toupper();
          up = t[1];
          sub = t.substr(6, 10) == "WORLD";
          t = "1_234xyz";
          num = t.atoi();
          t = "fF";
          hex = t.atohex();
          lt = "abc" < "abd";
          t = {3{"ab"}};
          rep = t.len() * 100 + (t == "ababab");
          t.itoa(-42);
          if (t != "-42") num = 0;
          t.hextoa(255);
          if (t != "ff") hex = 0;
          t.putc(0, "F");
          if (t != "Ff") hex = 1;
        end"#,
    ));
    assert_eq!(val(&d, "len"), 11);
    assert_eq!(val(&d, "cmp"), -1, "'Hello' < 'Help' ('l' < 'p')");
    assert_eq!(val(&d, "eq"), 1);
    assert_eq!(val(&d, "ch"), 'W' as i64);
    assert_eq!(val(&d, "up"), 'E' as i64);
    assert_eq!(val(&d, "sub"), 1);
    assert_eq!(val(&d, "num"), 1234);
    assert_eq!(val(&d, "hex"), 255);
    assert_eq!(val(&d, "lt"), 1);
    assert_eq!(val(&d, "rep"), 601);
}

#[test]
fn reals_convert_by_the_standard() {
    let d = compile(&module(
        &["a", "b", "c", "e", "f", "g", "h", "w"],
        r#"
        real r = 2.5;
        shortreal sr;
        localparam real P = 1.75;
        logic [$rtoi(P * 4) - 1:0] v;  // a 7-bit vector
        initial begin
          a = r;               // rounds away from zero: 3
          b = -r;              // -3
          c = $rtoi(-2.7);     // truncates: -2
          e = $realtobits(1.0) >> 52;  // exponent field of 1.0: 1023
          f = (r * 2 > 4.9) + (P == 1.75) * 2;
          sr = 0.1;
          g = $shortrealtobits(sr) == 32'h3dcccccd;
          h = $rtoi($sqrt(16.0) + $pow(2.0, 3.0) + $floor(-0.5) + $ceil(0.2));
          w = $bits(v);
        end"#,
    ));
    assert_eq!(val(&d, "a"), 3);
    assert_eq!(val(&d, "b"), -3);
    assert_eq!(val(&d, "c"), -2);
    assert_eq!(val(&d, "e"), 1023);
    assert_eq!(val(&d, "f"), 3);
    assert_eq!(val(&d, "g"), 1);
    assert_eq!(val(&d, "h"), 4 + 8 - 1 + 1);
    assert_eq!(val(&d, "w"), 7);
}

#[test]
fn queue_operations_follow_7_10() {
    let d = compile(&module(
        &[
            "sz", "front", "back", "mid", "last", "sum", "popped", "oob", "sl",
        ],
        r#"
        int q[$];
        initial begin
          int r[$];
          for (int i = 1; i <= 5; i++) q.push_back(i * 10);  // 10 20 30 40 50
          q.push_front(5);                                    // 5 10 20 30 40 50
          q.insert(2, 15);                                    // 5 10 15 20 30 40 50
          q.delete(6);                                        // 5 10 15 20 30 40
          popped = q.pop_front();                             // 10 15 20 30 40
          sz = q.size();
          front = q[0];
          back = q[$];
          mid = q[2];
          r = q[1:$];                                         // 15 20 30 40
          sl = r.size() * 100 + r[0];
          q = {q, 99};
          last = q[$];
          sum = q.sum();
          oob = q[100];                                       // default: 0
        end"#,
    ));
    assert_eq!(val(&d, "popped"), 5);
    assert_eq!(val(&d, "sz"), 5);
    assert_eq!(val(&d, "front"), 10);
    assert_eq!(val(&d, "back"), 40);
    assert_eq!(val(&d, "mid"), 20);
    assert_eq!(val(&d, "sl"), 415);
    assert_eq!(val(&d, "last"), 99);
    assert_eq!(val(&d, "sum"), 10 + 15 + 20 + 30 + 40 + 99);
    assert_eq!(val(&d, "oob"), 0);
}

#[test]
fn dynamic_and_associative_arrays() {
    let d = compile(&module(
        &[
            "dsz", "d2", "grown", "n", "ex", "first", "next", "sv", "cnt",
        ],
        r#"
        int da[];
        int aa[int];
        int sa[string];
        initial begin
          int k;
          da = new[4];
          foreach (da[i]) da[i] = i * i;
          dsz = da.size();
          d2 = da[2];
          da = new[6](da);
          grown = da.size() * 100 + da[3] * 10 + da[5];
          aa[7] = 70;
          aa[-3] = 30;
          aa[12] = 120;
          aa.delete(12);
          n = aa.num();
          ex = aa.exists(7) * 10 + aa.exists(12);
          void'(aa.first(k));
          first = k;
          void'(aa.next(k));
          next = k;
          sa["b"] = 2;
          sa["a"] = 1;
          sv = sa["a"] * 10 + sa["zz"];
          cnt = 0;
          foreach (sa[s]) cnt = cnt * 10 + sa[s];
        end"#,
    ));
    assert_eq!(val(&d, "dsz"), 4);
    assert_eq!(val(&d, "d2"), 4);
    assert_eq!(val(&d, "grown"), 600 + 90);
    assert_eq!(val(&d, "n"), 2);
    assert_eq!(val(&d, "ex"), 10);
    assert_eq!(val(&d, "first"), -3, "keys in signed order");
    assert_eq!(val(&d, "next"), 7);
    assert_eq!(val(&d, "sv"), 10);
    assert_eq!(val(&d, "cnt"), 12, "string keys in lexical order: a then b");
}

/// A lookup table built with a queue in an initial block, read by design
/// logic through a memory: the assertion holds for every index.
#[test]
fn table_built_with_a_queue_drives_the_design() {
    let d = compile(
        r#"
        module t(input logic clk, input logic [2:0] idx);
          logic [7:0] sq [0:7];
          initial begin
            byte unsigned q[$];
            for (int i = 0; i < 8; i++) q.push_back(i * i);
            foreach (sq[i]) sq[i] = q[i];
          end
          a_sq: assert property (@(posedge clk) sq[idx] == idx * idx);
          a_bad: assert property (@(posedge clk) sq[idx] != 8'd49);
        endmodule"#,
    );
    let fired = run(&d, "idx=0,1,2,3,4,5,6,7");
    let get = |n: &str| {
        fired
            .iter()
            .find(|(p, _)| p.ends_with(n))
            .map(|(_, c)| c.clone())
            .unwrap()
    };
    // An assertion's node is 1 when it fails.
    assert!(get("a_sq").is_empty(), "{fired:?}");
    assert_eq!(get("a_bad"), vec![7], "{fired:?}");
}

#[test]
fn boundaries_are_refused_with_their_code() {
    // Written by design logic.
    let (c, m, line) = refused(
        "module t(input logic clk, input int x);\n string s;\n always_ff @(posedge clk) s = \"a\";\nendmodule",
    );
    assert_eq!(c, Code::DynamicValue);
    assert!(m.contains("`t.s`") && m.contains("design logic"), "{m}");
    assert_eq!(line, 3);
    // A value computed from design state.
    let (c, m, line) = refused(
        "module t(input logic clk, input int x);\n real r;\n int y;\n always_comb y = $rtoi(r + x);\nendmodule",
    );
    assert_eq!(c, Code::DynamicValue, "{m}");
    assert_eq!(line, 4);
    // Written under a condition that depends on a signal (a local queue of
    // a function called by design logic).
    let (c, m, line) = refused(
        "module t(input logic a, output int y);\n function automatic int f(input logic c);\n  int q[$];\n  if (c) q.push_back(1);\n  return q.size();\n endfunction\n assign y = f(a);\nendmodule",
    );
    assert_eq!(c, Code::DynamicValue);
    assert!(m.contains("condition"), "{m}");
    assert_eq!(line, 4);
    // Driven by a continuous assignment.
    let (c, _, line) = refused("module t(input int x);\n string s;\n assign s = \"x\";\nendmodule");
    assert_eq!(c, Code::DynamicValue);
    assert_eq!(line, 3);
    // Read by logic, then written by a later initial block.
    let (c, m, line) = refused(
        "module t(input logic clk);\n int q[$];\n int y;\n always_ff @(posedge clk) y <= q.size();\n initial q.push_back(3);\nendmodule",
    );
    assert_eq!(c, Code::DynamicValue);
    assert!(m.contains("read by design logic"), "{m}");
    assert_eq!(line, 5);
    // An x element reaching the design.
    let (c, m, _) = refused(
        "module t(input logic clk);\n logic [3:0] d[];\n int y;\n initial begin d = new[2]; y = d[0]; end\n always_ff @(posedge clk) y <= y;\nendmodule",
    );
    assert_eq!(c, Code::DynamicValue);
    assert!(m.contains("x"), "{m}");
    // A real that rounds to 0 but is true as a condition.
    let (c, _, line) = refused(
        "module t(input logic clk);\n real r = 0.25;\n int y;\n initial if (r) y = 1;\n always_ff @(posedge clk) y <= y;\nendmodule",
    );
    assert_eq!(c, Code::DynamicValue);
    assert_eq!(line, 4);
    // Text the standard does not define.
    let (c, m, _) = refused(
        "module t(input logic clk);\n string s;\n int y;\n initial begin s.realtoa(1.5); y = s.len(); end\n always_ff @(posedge clk) y <= y;\nendmodule",
    );
    assert_eq!(c, Code::DynamicValue);
    assert!(m.contains("not defined by the standard"), "{m}");
}

#[test]
fn bounded_queues_discard_past_their_bound() {
    // 7.10.5: push_back on a full queue drops the new element, push_front
    // drops the last one; a warning each time.
    let src = module(
        &["a", "b", "n"],
        r#"
        int q[$:2];
        initial begin
          q.push_back(1); q.push_back(2); q.push_back(3);
          q.push_back(4);            // 1 2 3
          q.push_front(0);           // 0 1 2
          a = q[0] * 100 + q[1] * 10 + q[2];
          q = {7, 8, 9, 10};         // 7 8 9
          b = q[$];
          n = q.size();
        end"#,
    );
    let c = rtl::compile_text("t.sv", &src, ElabOptions::default());
    let e = c.result.as_ref().expect("accepted");
    assert_eq!(
        e.warnings
            .iter()
            .filter(|w| w.code == Code::QueueBound)
            .count(),
        2
    );
    let d = compile(&src);
    assert_eq!(val(&d, "a"), 12);
    assert_eq!(val(&d, "b"), 9);
    assert_eq!(val(&d, "n"), 3);
}

#[test]
fn locator_methods_with_a_condition() {
    let d = compile(&module(
        &["nf", "fi", "li", "ff", "ui", "ix", "lo", "ra", "rb"],
        r#"
        string s[] = {"hello", "sad", "hello", "world"};
        int v[$] = {5, 1, 5, 7, 2};
        initial begin
          int qi[$];
          string qs[$];
          qs = s.find with (item == "hello");
          nf = qs.size();
          qi = s.find_first_index with (item == "hello");
          fi = qi[0];
          qi = s.find_last_index with (item == "hello");
          li = qi[0];
          qs = s.find_first with (item != "hello");
          ff = (qs[0] == "sad");
          qi = v.unique_index;
          ui = qi.size() * 100 + qi[1] * 10 + qi[3];
          qi = v.find_index with (item == item.index + 4);  // only v[3] = 7
          ix = qi.size() * 10 + qi[0];
          qi = v.find with (item < 3);
          lo = qi.sum();
          ra = 0.1;       // an assignment rounds: 0 (no question of truth)
          rb = 2.5;       // 3
        end"#,
    ));
    assert_eq!(val(&d, "nf"), 2);
    assert_eq!(val(&d, "fi"), 0);
    assert_eq!(val(&d, "li"), 2);
    assert_eq!(val(&d, "ff"), 1);
    // unique_index of 5 1 5 7 2: indices 0 1 3 4.
    assert_eq!(val(&d, "ui"), 400 + 10 + 4);
    assert_eq!(val(&d, "ix"), 13);
    assert_eq!(val(&d, "lo"), 3);
    assert_eq!(val(&d, "ra"), 0);
    assert_eq!(val(&d, "rb"), 3);
}

#[test]
fn design_logic_reads_a_table_fixed_at_time_zero() {
    // Reading a queue in design logic after the initial block wrote it.
    let d = compile(
        r#"
        module t(input logic clk);
          int q[$];
          int y;
          initial begin q.push_back(4); q.push_back(9); end
          always_ff @(posedge clk) y <= q[1] + q.size();
          a_y: assert property (@(posedge clk) ##1 y == 11);
        endmodule"#,
    );
    let fired = run(&d, "clk=0,0,0,0");
    assert!(fired.iter().all(|(_, c)| c.is_empty()), "{fired:?}");
}
