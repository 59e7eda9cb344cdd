// Up/down counter with enable, synchronous load and asynchronous active-low
// reset. W is overridden to 12 by the manifest (-G style).
module counter_el #(
    parameter W = 8
) (
    input  logic         clk,
    input  logic         rst_n,
    input  logic         en,
    input  logic         load,
    input  logic         up,
    input  logic [W-1:0] d,
    output logic [W-1:0] q,
    output logic         tc
);
  localparam logic [W-1:0] MAX = {W{1'b1}};

  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      q <= '0;
    end else if (load) begin
      q <= d;
    end else if (en) begin
      if (up) q <= q + 1'b1;
      else    q <= q - 1'b1;
    end
  end

  // Terminal count: the next enabled step wraps around.
  assign tc = en && (up ? (q == MAX) : (q == '0));

`ifdef FORMAL
  // Previous value and previous load, to check that q moves by at most one
  // step when it was not loaded.
  logic [W-1:0] q_prev;
  logic         load_prev;
  logic         seen;
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      q_prev    <= '0;
      load_prev <= 1'b0;
      seen      <= 1'b0;
    end else begin
      q_prev    <= q;
      load_prev <= load;
      seen      <= 1'b1;
    end
  end

  wire [W-1:0] delta = q - q_prev;

  always_ff @(posedge clk) begin
    if (rst_n && seen && !load_prev) begin
      a_step: assert (delta == '0 || delta == W'(1) || delta == MAX);
    end
    if (rst_n) begin
      c_wrap: cover (tc && !load);
    end
  end
`endif
endmodule
