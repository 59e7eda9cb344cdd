// Coverage closure benchmark: a deep counter. It counts when go == 3,
// holds when go is 1 or 2, and clears when go == 0, so uniform random
// stimulus (a clear every 4 cycles on average) never gets far; the top
// bits need about a thousand cycles without a clear, beyond any bounded
// proof's depth.
module closure_counter (
    input  logic       clk,
    input  logic       rst,
    input  logic [1:0] go,
    output logic [9:0] cnt,
    output logic       top
);
  always_ff @(posedge clk) begin
    if (rst || go == 2'd0) begin
      cnt <= 10'd0;
    end else if (go == 2'd3) begin
      cnt <= cnt + 10'd1;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) top <= 1'b0;
    else if (cnt == 10'h3ff) top <= 1'b1;
    else if (go == 2'd0) top <= 1'b0;
  end

  always @(posedge clk) begin
    if (!rst) begin
      cover (cnt == 10'h3ff);
    end
  end
endmodule
