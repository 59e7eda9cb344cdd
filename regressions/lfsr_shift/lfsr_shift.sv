// A 16-bit LFSR (Fibonacci or Galois, chosen by a generate if) advanced
// STEPS times per enabled clock with a repeat loop, and an 8-bit serial-in
// shift register. No reset: both registers get their first value from
// initial blocks, and are 2-state `bit` vectors.
module lfsr_shift #(
    parameter bit GALOIS = 1'b0,
    parameter int STEPS  = 3
) (
    input  bit        clk,
    input  bit        en,
    input  bit        sin,
    output bit [15:0] rnd,
    output bit [7:0]  sr,
    output bit        sout
);
  bit [15:0] lfsr;
  bit [15:0] lfsr_next;

  initial lfsr = 16'hACE1;
  initial begin
    sr = 8'h00;
  end

  generate
    if (GALOIS) begin : g_galois
      // x^16 + x^14 + x^13 + x^11 + 1, right-shifting Galois form
      always @* begin
        lfsr_next = lfsr;
        repeat (STEPS) begin
          lfsr_next = {1'b0, lfsr_next[15:1]} ^ (lfsr_next[0] ? 16'hB400 : 16'h0000);
        end
      end
    end else begin : g_fib
      always @* begin
        lfsr_next = lfsr;
        repeat (STEPS) begin
          lfsr_next = {lfsr_next[14:0], lfsr_next[15] ^ lfsr_next[13] ^ lfsr_next[12] ^ lfsr_next[10]};
        end
      end
    end
  endgenerate

  always_ff @(posedge clk) begin
    if (en) lfsr <= lfsr_next;
    sr <= {sr[6:0], sin};
  end

  assign rnd  = lfsr;
  assign sout = sr[7];

`ifdef FORMAL
  // A maximal-length LFSR never reaches the all-zero state.
  always_ff @(posedge clk) begin
    a_nonzero: assert (lfsr != 16'h0000);
  end
`endif
endmodule
