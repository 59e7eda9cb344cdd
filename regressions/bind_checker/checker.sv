// Properties kept apart from the design and bound into every `decade`:
// `.*` connects the checker's ports to the instance's own signals.
module decade_props #(parameter logic [3:0] LIM = 4'd9) (
    input logic       clk,
    input logic       rst,
    input logic       en,
    input logic [3:0] q,
    input logic       wrap
);
  a_range: assert property (@(posedge clk) disable iff (rst) q <= LIM);
  a_step: assert property (@(posedge clk) disable iff (rst) en && !wrap |=> q == $past(q) + 4'd1);
  a_hold: assert property (@(posedge clk) disable iff (rst) !en |=> $stable(q));
  a_bad: assert property (@(posedge clk) disable iff (rst) q != 4'd5);
  c_wrap: cover property (@(posedge clk) wrap);
endmodule

bind decade decade_props #(.LIM(4'd9)) p_decade (.*);
