// A port-less testbench: the clock is a module variable toggled by an
// `initial ... forever #5` generator and passed to a sub-module. Each
// period of the generator is one cycle of verify's cycle semantics.
module tb_clock_gen;
  logic clk;
  initial begin
    clk = 1'b0;
    forever #5 clk = ~clk;
  end

  logic [3:0] cnt = 4'd0;
  always @(posedge clk) cnt <= cnt + 4'd1;

  logic [7:0] sr;
  shifter u_sh (.clk(clk), .din(cnt[0]), .q(sr));

  // Counting from 0, one step per cycle.
  always @(posedge clk) a_wrap: assert (cnt != 4'd15 || sr[0] == 1'b0);
  a_step: assert property (@(posedge clk) ##1 cnt == $past(cnt) + 4'd1);
  a_bit: assert property (@(posedge clk) ##1 sr[0] == $past(cnt[0]));
  // Planted: the counter does reach 12 (at cycle 12).
  a_bad: assert property (@(posedge clk) cnt != 4'd12);
endmodule

module shifter (input logic clk, input logic din, output logic [7:0] q);
  initial q = 8'h00;
  always_ff @(posedge clk) q <= {q[6:0], din};
endmodule
