// Coverage closure benchmark: a planted bug met on the way to closure.
// A 16-bit magic word arms a counter that should stop at 12 but runs to 15,
// so `a_n_max` fails a dozen cycles after arming. Closure must report it
// (name, location, cycle, replay stimulus; exit status 1), not just count
// coverage.
module closure_bug (
    input  logic        clk,
    input  logic        rst,
    input  logic        valid,
    input  logic [15:0] data,
    output logic        armed,
    output logic [3:0]  n
);
  always_ff @(posedge clk) begin
    if (rst) begin
      armed <= 1'b0;
      n     <= 4'd0;
    end else begin
      if (valid && data == 16'hBEEF) armed <= 1'b1;
      // Planted bug: the limit should be 12.
      if (armed && n != 4'd15) n <= n + 4'd1;
    end
  end

  always @(posedge clk) begin
    if (!rst) begin
      a_n_max: assert (n <= 4'd12);
    end
  end
endmodule
