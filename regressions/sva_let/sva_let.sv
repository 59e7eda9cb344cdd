// Regression design for `let` declarations (11.12), expanded at use: with
// arguments, without, with a typed argument (the actual is converted to
// the formal's type), and from a package (its names resolve in the
// package). cnt counts 0..5 and wraps; q is a 3-stage delay line of `a`.
package sva_let_pkg;
  localparam int LIMIT = 5;
  let in_range(v) = v <= LIMIT;
endpackage

module sva_let (
    input  logic       clk,
    input  logic       rst,
    input  logic       a,
    input  logic       b,
    output logic [2:0] q,
    output logic [2:0] cnt
);
  import sva_let_pkg::*;
  let follows(x, y) = !x || y;
  let low2(logic [1:0] v) = v;
  let started = a && !q[0];

  always_ff @(posedge clk)
    if (rst) begin
      q   <= '0;
      cnt <= '0;
    end else begin
      q   <= {q[1:0], a};
      cnt <= (cnt == 3'd5) ? 3'd0 : cnt + 3'd1;
    end

`ifdef FORMAL
  default clocking @(posedge clk); endclocking
  default disable iff (rst);
  a_ok_pkg: assert property (in_range(cnt));
  a_ok: assert property (follows(q[0] && q[1], q != 3'b000));
  a_ok_typed: assert property (low2(q) <= 3);
  a_ok_shift: assert property (follows(!a, 1'b0) |=> q[0]);
  a_bad: assert property (follows(a, b));
  c_hit: cover property (started ##1 q[0]);
`endif
endmodule
