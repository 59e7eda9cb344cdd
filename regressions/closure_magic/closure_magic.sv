// Coverage closure benchmark: a magic-value compare. Uniform random data
// hits a 32-bit magic word with probability 2^-32 per cycle; a solver finds
// it at once. A second, 16-bit compare relocks.
module closure_magic (
    input  logic        clk,
    input  logic        rst,
    input  logic        valid,
    input  logic [31:0] data,
    output logic        unlocked,
    output logic [1:0]  hits
);
  always_ff @(posedge clk) begin
    if (rst) begin
      unlocked <= 1'b0;
      hits     <= 2'd0;
    end else if (valid && data == 32'hDEAD_BEEF) begin
      unlocked <= 1'b1;
      hits     <= hits + 2'd1;
    end else if (valid && data[15:0] == 16'hCAFE) begin
      unlocked <= 1'b0;
    end
  end

  always @(posedge clk) begin
    if (!rst) begin
      cover (unlocked && hits == 2'd2);
    end
  end
endmodule
