// A port-less testbench whose clock is `always #5 clk = !clk` on an
// initialised reg: each period is one cycle.
module tb_clock_always;
  reg clk = 1'b0;
  always #5 clk = !clk;
  reg [2:0] n = 3'd5;
  always @(posedge clk) n <= n + 3'd1;
  a_n: assert property (@(posedge clk) ##1 n == $past(n) + 3'd1);
  a_bad_n: assert property (@(posedge clk) n != 3'd0);
endmodule
