// 4-bit ripple-carry adder and a 2-to-1 mux built from gate primitives
// (and/or/xor/nand/nor/xnor/not/buf) with implicit nets, registered and
// checked against the behavioural sum.

module full_adder(s, co, a, b, ci);
  output s, co;
  input a, b, ci;
  // `p`, `g`, `t` are implicit nets (declared by the gate terminals).
  xor x1 (p, a, b);
  xor x2 (s, p, ci);
  and a1 (g, a, b);
  and a2 (t, p, ci);
  or  o1 (co, g, t);
endmodule

module mux2(y, a, b, sel);
  output y;
  input a, b, sel;
  not  n1 (nsel, sel);
  nand n2 (ya, a, nsel);
  nand n3 (yb, b, sel);
  nand n4 (y, ya, yb);
endmodule

module gate_adder(
  input  logic       clk,
  input  logic       rst,
  input  logic [3:0] a,
  input  logic [3:0] b,
  input  logic       cin,
  input  logic       sel,
  output logic [4:0] sum_q,
  output logic       eq_q,
  output logic       m_q
);
  // Carries c1..c3 and the comparator bits are implicit nets of the
  // port connections and gate terminals.
  full_adder fa0 (s0, c1, a[0], b[0], cin);
  full_adder fa1 (s1, c2, a[1], b[1], c1);
  full_adder fa2 (s2, c3, a[2], b[2], c2);
  full_adder fa3 (s3, c4, a[3], b[3], c3);

  xnor e0 (q0, a[0], b[0]), e1 (q1, a[1], b[1]), e2 (q2, a[2], b[2]), e3 (q3, a[3], b[3]);
  nor  z0 (nq01, nq0, nq1);
  not  (nq0, nq1x, q0);
  not  (nq1, q1);
  and  eqg (eq, q0, q1, q2, q3);
  buf  (eq_b, eq);

  mux2 u_mux (mout, a[0], b[0], sel);

  always_ff @(posedge clk) begin
    if (rst) begin
      sum_q <= '0;
      eq_q  <= 1'b0;
      m_q   <= 1'b0;
    end else begin
      sum_q <= {c4, s3, s2, s1, s0};
      eq_q  <= eq_b;
      m_q   <= mout;
    end
  end

`ifdef FORMAL
  logic [4:0] ref_sum;
  logic       ref_eq, ref_m, ref_nq01;
  logic       started;
  always_ff @(posedge clk) begin
    if (rst) begin
      ref_sum <= '0;
      ref_eq  <= 1'b0;
      ref_m   <= 1'b0;
      started <= 1'b0;
    end else begin
      ref_sum <= a + b + cin;
      ref_eq  <= a == b;
      ref_m   <= sel ? b[0] : a[0];
      started <= 1'b1;
    end
  end
  always_comb ref_nq01 = ~(~(a[0] ~^ b[0]) | ~(a[1] ~^ b[1]));
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_sum: assert (sum_q == ref_sum);
      a_eq: assert (eq_q == ref_eq);
      a_mux: assert (m_q == ref_m);
      a_nor: assert (nq01 == ref_nq01 && nq1x == nq0);
      c_carry: cover (started && sum_q[4]);
    end
  end
`endif
endmodule
