// Bit-manipulation unit touching every expression operator: logical,
// bitwise, reduction, shifts, comparisons (incl. ==? and ===), arithmetic,
// part selects with +: and -:, dynamic bit selects, concatenation and
// replication, casts and system functions. All results are registered.
module expr_ops (
    input  logic        clk,
    input  logic        rst,
    input  logic [15:0] a,
    input  logic [15:0] b,
    input  logic [3:0]  idx,
    output logic [7:0]  logic_bits,
    output logic [5:0]  red_bits,
    output logic [15:0] shl,
    output logic [15:0] shr_s,
    output logic [9:0]  cmp_bits,
    output logic [15:0] arith,
    output logic [15:0] sel,
    output logic [15:0] misc
);
  typedef logic [7:0] byte_t;

  localparam int P3      = 3 ** 4;                // 81
  localparam int NEG_POW = (-2) ** 3;             // -8
  localparam int AW      = $clog2(16);            // 4
  localparam int BW      = $bits(byte_t);         // 8

  wire [31:0] aa = {a, a};                        // so +:/-: never leave the vector
  wire signed [15:0] as = $signed(a);

  always_ff @(posedge clk) begin
    if (rst) begin
      logic_bits <= '0;
      red_bits   <= '0;
      shl        <= '0;
      shr_s      <= '0;
      cmp_bits   <= 10'b10_0101_1001;  // the results for a = b = 0
      arith      <= '0;
      sel        <= '0;
      misc       <= '0;
    end else begin
      logic_bits <= {a != 0 && b != 0, a[0] || b[0], !a[1], ~a[2],
                     a[3] & b[3], a[4] | b[4], a[5] ^ b[5], a[6] ~^ b[6]};
      red_bits   <= {&a[3:0], |a[7:4], ^a, ~&b[3:0], ~|b[7:4], ~^b};
      shl        <= (a << idx) | (b <<< 1);
      shr_s      <= 16'(as >>> idx) ^ (a >> idx);
      cmp_bits   <= {a == b, a != b, a < b, a <= b, a > b, a >= b,
                     a === b, a !== b, a ==? 16'b1010_xxxx_zzzz_0101, b !=? 16'hxxF0};
      arith      <= (b == 0) ? (a + 16'(P3)) : ((a / b) + (a % b) - (-b) + 16'(NEG_POW) * 16'd2);
      sel        <= {aa[5'(idx) +: 4], aa[5'(idx) + 5'd7 -: 4], a[idx], b[idx], a[7:6], {2{b[1:0]}}};
      misc       <= {byte_t'(a[3:0]), 4'($countones(a)), $onehot(b), $onehot0(b),
                     2'(AW + BW + (a[0] ? 1 : 0) - 12)};
    end
  end

`ifdef FORMAL
  // exactly one of <, ===, > (kept in a wire: Icarus 11 gets $onehot of a
  // concatenation wrong)
  wire [2:0] order = {cmp_bits[7], cmp_bits[3], cmp_bits[5]};
  always_ff @(posedge clk) begin
    if (!rst) begin
      a_cmp_excl:  assert ($onehot(order));
      a_eq_neq:    assert (cmp_bits[9] != cmp_bits[8]);
      a_case_eq:   assert (cmp_bits[3] == cmp_bits[9]);
      c_wild:      cover (cmp_bits[1]);
    end
  end
`endif
endmodule
