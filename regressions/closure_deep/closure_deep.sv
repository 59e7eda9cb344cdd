// Coverage closure benchmark: deep state behind a checksum. A command
// unlocks the design only when its high word equals a checksum of its low
// word (the low word rotated, XOR a salt): uniform random data meets it
// with probability 2^-32 per cycle, the input dictionary has nothing to
// offer (the compare is against a function of the input, not a constant)
// and a solver finds one at once. Behind it, a 12-bit counter that counts
// when go == 3, holds on 1 or 2 and clears on go == 0 needs thousands of
// cycles without a clear: far beyond a bounded proof's depth, reachable
// only by long simulation from an unlocked state. Neither engine alone
// closes it; side by side, simulation continues from the end of formal's
// witness (issue #7, point 2).
module closure_deep (
    input  logic        clk,
    input  logic        rst,
    input  logic        valid,
    input  logic [63:0] data,
    input  logic [1:0]  go,
    output logic        unlocked,
    output logic [11:0] cnt,
    output logic        done
);
  wire [31:0] sum = {data[18:0], data[31:19]} ^ 32'h5A5A_C3C3;
  wire cmd_ok = valid && data[63:32] == sum;

  always_ff @(posedge clk) begin
    if (rst) unlocked <= 1'b0;
    else if (cmd_ok) unlocked <= 1'b1;
  end

  always_ff @(posedge clk) begin
    if (rst || !unlocked || go == 2'd0) begin
      cnt <= 12'd0;
    end else if (go == 2'd3) begin
      cnt <= cnt + 12'd1;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) done <= 1'b0;
    else if (cnt == 12'hfff) done <= 1'b1;
  end

  always @(posedge clk) begin
    if (!rst) begin
      cover (done);
    end
  end
endmodule
