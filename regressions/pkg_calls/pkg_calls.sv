// Package constants and functions called as pkg::f(...) in every position:
// parameter defaults, port widths, declarations, continuous assignments,
// procedural code, and through a header import.
package sat_pkg;
  localparam int W = 6;
  localparam logic [W-1:0] MAX = '1;
  function automatic logic [W-1:0] sat_inc(input logic [W-1:0] v);
    return (v == MAX) ? v : v + 1;
  endfunction
  function automatic logic [W-1:0] halve(input logic [W-1:0] v);
    return v >> 1;
  endfunction
endpackage

module pkg_calls
  import sat_pkg::*;
#(
    parameter int N = sat_pkg::W
) (
    input  logic             clk,
    input  logic             rst,
    input  logic             up,
    input  logic [N-1:0]     d,
    output logic [N-1:0]     q,
    output logic [sat_pkg::W-1:0] h
);
  logic [sat_pkg::W-1:0] nxt;
  assign nxt = up ? sat_pkg::sat_inc(q) : q;
  assign h = halve(sat_pkg::halve(d));
  always_ff @(posedge clk)
    if (rst) q <= '0;
    else q <= (d == sat_pkg::MAX) ? sat_pkg::MAX : nxt;

`ifdef FORMAL
  always_comb begin
    a_h: assert (h == d / 4);
    a_width: assert ($bits(q) == 6);
  end
  a_sat: assert property (@(posedge clk) disable iff (rst) !$past(rst) && $past(q) == sat_pkg::MAX |-> q == sat_pkg::MAX);
  a_bad: assert property (@(posedge clk) disable iff (rst) q != 6'd3);
  c_max: cover property (@(posedge clk) q == sat_pkg::MAX);
`endif
endmodule
