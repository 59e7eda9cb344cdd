// Three-stage pipelined signed multiply-accumulate. Pipeline registers are
// packed structs; the accumulator is cleared (loaded) when clr travels down
// the pipe with a valid sample. Struct members are declared unsigned and
// reinterpreted with $signed where used (Icarus 11 ignores `signed` on
// packed struct members, which would make it disagree with the LRM).
module mac_pipe #(
    parameter int AW = 8,
    parameter int ACC_W = 24
) (
    input  logic                    clk,
    input  logic                    rst_n,
    input  logic                    valid,
    input  logic                    clr,
    input  logic signed [AW-1:0]    a,
    input  logic signed [AW-1:0]    b,
    output logic signed [ACC_W-1:0] acc,
    output logic                    acc_valid
);
  typedef struct packed {
    logic                 valid;
    logic                 clr;
    logic [AW-1:0]        a;
    logic [AW-1:0]        b;
  } in_stage_t;

  typedef struct packed {
    logic                   valid;
    logic                   clr;
    logic [2*AW-1:0]        prod;
  } mul_stage_t;

  in_stage_t  s1;
  mul_stage_t s2;

  always_ff @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      s1        <= '0;
      s2        <= '0;
      acc       <= '0;
      acc_valid <= 1'b0;
    end else begin
      // stage 1: register the operands
      s1.valid <= valid;
      s1.clr   <= clr;
      s1.a     <= a;
      s1.b     <= b;
      // stage 2: multiply (signed x signed, 2*AW-bit context)
      s2.valid <= s1.valid;
      s2.clr   <= s1.clr;
      s2.prod  <= $signed(s1.a) * $signed(s1.b);
      // stage 3: accumulate, product sign-extended to ACC_W
      acc_valid <= s2.valid;
      if (s2.valid) begin
        if (s2.clr) acc <= ACC_W'($signed(s2.prod));
        else acc <= acc + ACC_W'($signed(s2.prod));
      end
    end
  end

`ifdef FORMAL
  always_ff @(posedge clk) begin
    if (rst_n) begin
      a_prod_range: assert ($signed(s2.prod) >= -16256 && $signed(s2.prod) <= 16384);
      a_bits:       assert ($bits(in_stage_t) == 2 + 2 * AW && $bits(s2) == 2 + 2 * AW);
      c_neg:        cover (acc_valid && acc < 0);
    end
  end
`endif
endmodule
