// The design: a decade counter, instantiated twice (one wraps at 9, one
// at 5). Its properties live in checker.sv and are bound in.
module decade #(parameter logic [3:0] LAST = 4'd9) (
    input  logic       clk,
    input  logic       rst,
    input  logic       en,
    output logic [3:0] q,
    output logic       wrap
);
  assign wrap = en && q == LAST;
  always_ff @(posedge clk)
    if (rst || wrap) q <= '0;
    else if (en) q <= q + 1;
endmodule

module bind_checker (
    input  logic       clk,
    input  logic       rst,
    input  logic       en,
    output logic [3:0] tens,
    output logic [3:0] ones
);
  logic w1;
  decade u_ones (.clk, .rst, .en, .q(ones), .wrap(w1));
  decade #(.LAST(4'd5)) u_tens (.clk, .rst, .en(w1), .q(tens), .wrap());
endmodule
