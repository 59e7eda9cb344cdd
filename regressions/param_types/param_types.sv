// Parameters of several integral types, typed and untyped, overridden by
// name and by position in three instances of a registered scaler
// (q = d * GAIN + OFFSET + BIAS, optionally saturating).

module scaler #(
    parameter int         W      = 4,      // int
    parameter logic [7:0] GAIN   = 8'd3,   // logic vector
    parameter bit         SAT    = 1'b0,   // bit
    parameter integer     OFFSET = -2,     // integer (signed)
    parameter             BIAS   = 5       // untyped
) (
    input  logic         clk,
    input  logic         rst,
    input  logic [W-1:0] d,
    output logic [W-1:0] q
);
  localparam int MAXV = (1 << W) - 1;

  int t;
  always_comb begin
    t = int'(d) * int'(GAIN) + OFFSET + BIAS;
  end

  always_ff @(posedge clk) begin
    if (rst) q <= '0;
    else if (SAT && t > MAXV) q <= W'(MAXV);
    else q <= W'(t);
  end

`ifdef FORMAL
  always_ff @(posedge clk) begin
    a_nonneg: assert (t >= 0);
  end
`endif
endmodule

module param_types #(
    parameter integer STAGES = 2
) (
    input  logic        clk,
    input  logic        rst,
    input  logic [7:0]  d,
    input  logic [11:0] d12,
    output logic [7:0]  qa,
    output logic [7:0]  qb,
    output logic [11:0] qc,
    output logic [3:0]  flags
);
  localparam bit [3:0]           MASK = 4'b1010;
  localparam logic signed [7:0]  NEG  = -8'sd5;
  localparam                     UNTYPED = STAGES * 3;

  // by name, partially
  scaler #(.W(8), .GAIN(8'd5), .SAT(1'b1)) u_a (.clk(clk), .rst(rst), .d(d), .q(qa));
  // by position, first parameter only
  scaler #(8) u_b (.clk(clk), .rst(rst), .d(d), .q(qb));
  // by position, all five
  scaler #(12, 8'd2, 1'b0, 7, UNTYPED) u_c (.clk(clk), .rst(rst), .d(d12), .q(qc));

  // A negative typed localparam compared in a signed context.
  assign flags = MASK ^ {qa[7], qb[7], qc[11], $signed(qa) < NEG};
endmodule
