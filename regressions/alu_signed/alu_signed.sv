// Registered ALU on signed operands: arithmetic (division and modulo guarded
// against zero), shifts including arithmetic >>>, signed and unsigned
// compares, and a full-width product. Also shows how signed and unsigned
// operands mix: one unsigned operand makes the whole expression unsigned.
module alu_signed #(
    parameter int W = 8
) (
    input  logic                  clk,
    input  logic                  rst,
    input  logic [3:0]            op,
    input  logic signed [W-1:0]   a,
    input  logic signed [W-1:0]   b,
    input  logic [W-1:0]          ub,
    output logic signed [W-1:0]   y,
    output logic                  zero,
    output logic                  neg,
    output logic                  ovf,
    output logic signed [2*W-1:0] prod,
    output logic [W:0]            mix_u,
    output logic signed [W:0]     mix_s
);
  localparam int SH_W = $clog2(W);
  localparam int MAXV = 2 ** (W - 1) - 1;  // constant ** operands
  localparam logic signed [W-1:0] MINV = -(2 ** (W - 1));

  logic signed [W-1:0] r;
  logic                r_ovf;
  logic [SH_W-1:0]     sh;

  assign sh = b[SH_W-1:0];

  always_comb begin
    r     = '0;
    r_ovf = 1'b0;
    case (op)
      4'd0: begin
        r     = a + b;
        r_ovf = (a[W-1] == b[W-1]) && (r[W-1] != a[W-1]);
      end
      4'd1: begin
        r     = a - b;
        r_ovf = (a[W-1] != b[W-1]) && (r[W-1] != a[W-1]);
      end
      4'd2:  r = a * b;
      // Guards: divide by zero, and MIN / -1 whose quotient does not fit.
      4'd3:  r = (b == 0) ? '1 : (a == MINV && b == -1) ? MINV : a / b;
      4'd4:  r = (b == 0) ? a : (a == MINV && b == -1) ? W'(0) : a % b;
      4'd5:  r = a >>> sh;
      4'd6:  r = a >> sh;
      4'd7:  r = a <<< sh;
      4'd8:  r = (a < b) ? W'(1) : W'(0);                          // signed compare
      4'd9:  r = ($unsigned(a) < $unsigned(b)) ? W'(1) : W'(0);    // unsigned compare
      4'd10: r = a & b;
      4'd11: r = a | ~b;
      4'd12: r = a ^ b;
      4'd13: r = (a < b) ? a : b;
      4'd14: r = (a == MINV) ? W'(MAXV) : ((a < 0) ? -a : a);       // saturating abs
      default: r = $signed(ub) >>> 1;
    endcase
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      y    <= '0;
      zero <= 1'b1;
      neg  <= 1'b0;
      ovf  <= 1'b0;
      prod <= '0;
    end else begin
      y    <= r;
      zero <= (r == 0);
      neg  <= r[W-1];
      ovf  <= r_ovf;
      prod <= a * b;    // signed, context width 2W: operands sign-extended
    end
  end

  // Unsigned wins: ub is unsigned, so a is zero-extended to W+1 bits.
  assign mix_u = a + ub;
  // Both signed: a and {0,ub} are sign-extended to W+1 bits.
  assign mix_s = a + $signed({1'b0, ub});

  always @(posedge clk) begin
    if (!rst) begin
      assert (zero == (y == 0));
      assert (neg == (y < 0));
      assert (mix_u[W-1:0] == mix_s[W-1:0]);  // extension only changes the top bit
    end
  end
endmodule
