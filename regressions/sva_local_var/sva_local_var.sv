// Regression design for local variables in sequences and properties
// (16.10): a value captured when `valid` is high is compared with the
// pipeline's output three cycles later. out = in + 3 after a 3-stage
// pipeline (each stage adds 1, modulo 256).
module sva_local_var (
    input  logic       clk,
    input  logic       rst,
    input  logic       valid,
    input  logic [7:0] in,
    output logic [7:0] out
);
  logic [7:0] s1, s2;
  always_ff @(posedge clk)
    if (rst) begin
      s1  <= '0;
      s2  <= '0;
      out <= '0;
    end else begin
      s1  <= in + 8'd1;
      s2  <= s1 + 8'd1;
      out <= s2 + 8'd1;
    end

`ifdef FORMAL
  default clocking @(posedge clk); endclocking
  default disable iff (rst);

  property p_track;
    logic [7:0] x;
    (valid, x = in) |-> ##3 (out == x + 8'd3);
  endproperty

  // The variable is updated once more a cycle later (x = x + 1).
  property p_update;
    logic [7:0] x;
    (valid, x = in) ##1 (1'b1, x = x + 8'd1) |-> ##2 (out == x + 8'd2);
  endproperty

  // Wrong latency: out two cycles later is not yet in + 3.
  property p_bad;
    logic [7:0] x;
    (valid, x = in) |-> ##2 (out == x + 8'd3);
  endproperty

  sequence s_repeat;
    logic [7:0] x;
    (valid, x = in) ##1 (valid && ((in ^ x) & 8'd1) == 8'd0);
  endsequence

  a_ok: assert property (p_track);
  a_ok_update: assert property (p_update);
  a_bad: assert property (p_bad);
  c_hit: cover property (s_repeat);
`endif
endmodule
